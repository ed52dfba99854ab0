// Package pgtest starts throwaway PostgreSQL servers for tests.
//
// Each call to [Start] runs initdb into a fresh temporary directory, starts a
// server on a free TCP port of 127.0.0.1 with durability switched off (fsync,
// full_page_writes and synchronous_commit are off, so it is fast and must
// never hold data anyone cares about), creates an empty database and returns
// its DSN. The server is stopped and its directory removed when the test
// ends.
//
// The server binaries are found with `pg_config --bindir`, falling back to the
// newest /usr/lib/postgresql/*/bin. When they are missing the test is
// skipped, unless the environment variable CI is non-empty, in which case it
// fails: tests that prove a feature are never skipped in CI.
//
// initdb and postgres refuse to run as root. When the test runs as root the
// server runs as the "postgres" OS user (created by Debian's postgresql
// package) and its directory is owned by that user.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

const (
	// superuser is the database role initdb creates; connections use trust
	// authentication, so no password.
	superuser = "xinyong"

	// startTimeout bounds initdb, server start and the first connection.
	startTimeout = 60 * time.Second

	// startAttempts is how many ports are tried: another process may take
	// the port between choosing it and the server binding it.
	startAttempts = 3
)

// Start starts a fresh PostgreSQL server for one test and returns the DSN of
// an empty database on it, of the form
//
//	postgres://xinyong@127.0.0.1:PORT/DBNAME?sslmode=disable
//
// where DBNAME is derived from tb.Name(). The role xinyong is a superuser and
// needs no password. tb.Cleanup stops the server and removes its files;
// cleanups registered after Start (for example closing a *sql.DB) run before
// the server stops.
//
// Start calls tb.Fatal on failure, quoting the end of the server log, and
// tb.Skip when PostgreSQL is not installed and CI is unset.
func Start(tb testing.TB) string {
	tb.Helper()

	bin, err := binDir()
	if err != nil {
		msg := fmt.Sprintf("pgtest: PostgreSQL server binaries not found (%v); "+
			"install them with `apt-get install postgresql` (Debian/Ubuntu) "+
			"or put their pg_config on PATH", err)
		if os.Getenv("CI") != "" {
			tb.Fatal(msg + " [CI is set, so this is a failure, not a skip]")
		}
		tb.Skip(msg)
	}

	srv := &server{tb: tb, bin: bin}
	if os.Geteuid() == 0 {
		if err := srv.runAsPostgresUser(); err != nil {
			tb.Fatalf("pgtest: running as root: %v", err)
		}
	}

	srv.dir, err = os.MkdirTemp(tempBase(srv.cred != nil), "xinyong-pg-")
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	tb.Cleanup(func() {
		if err := os.RemoveAll(srv.dir); err != nil {
			tb.Logf("pgtest: removing %s: %v", srv.dir, err)
		}
	})
	srv.data = filepath.Join(srv.dir, "data")
	srv.log = filepath.Join(srv.dir, "postgres.log")
	if err := srv.chown(); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}

	began := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()

	if err := srv.initdb(ctx); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if err := srv.start(ctx); err != nil {
		tb.Fatalf("pgtest: %v%s", err, srv.logTail())
	}
	dsn, err := srv.createDatabase(ctx, dbName(tb.Name()))
	if err != nil {
		tb.Fatalf("pgtest: %v%s", err, srv.logTail())
	}
	tb.Logf("pgtest: PostgreSQL server ready in %v: %s", time.Since(began).Round(time.Millisecond), dsn)
	return dsn
}

// server is one throwaway PostgreSQL instance.
type server struct {
	tb   testing.TB
	bin  string              // directory holding initdb, pg_ctl, postgres
	cred *syscall.Credential // nil: run as the current user
	dir  string              // temporary directory holding everything below
	data string              // data directory (PGDATA)
	log  string              // server log file
	port int
}

// runAsPostgresUser arranges for the server programs to run as the
// "postgres" OS user, since they refuse to run as root.
func (s *server) runAsPostgresUser() error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("initdb and postgres refuse to run as root and there is no "+
			"\"postgres\" OS user to run them as (%v); run the tests as another user "+
			"or create that user (Debian's postgresql package does)", err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return fmt.Errorf("user postgres: uid %q: %v", u.Uid, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return fmt.Errorf("user postgres: gid %q: %v", u.Gid, err)
	}
	s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	return nil
}

// tempBase returns the directory in which to create the server directory.
// When the server runs as another user that user must be able to reach it,
// so a TMPDIR that is not searchable by others is replaced by /tmp.
func tempBase(otherUser bool) string {
	base := os.TempDir()
	if !otherUser {
		return base
	}
	for d := base; ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return "/tmp"
		}
		if d == filepath.Dir(d) {
			return base
		}
	}
}

// chown gives the server directory, which is also the Unix socket directory,
// to the user the server runs as.
func (s *server) chown() error {
	if s.cred == nil {
		return nil
	}
	return filepath.WalkDir(s.dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, int(s.cred.Uid), int(s.cred.Gid))
	})
}

// command returns a command running the named PostgreSQL program as the
// server's user, in the server directory, without the caller's PG*
// environment variables (PGDATA, PGPORT, PGOPTIONS... would change what the
// programs do).
func (s *server) command(ctx context.Context, prog string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(s.bin, prog), args...)
	cmd.Dir = s.dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	// pg_ctl start leaves the server running; should it ever keep our
	// output pipe open, do not wait for it forever.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run runs a PostgreSQL program and returns an error quoting its output.
func (s *server) run(ctx context.Context, prog string, args ...string) error {
	cmd := s.command(ctx, prog, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// initdb creates the data directory, preferring the C.UTF-8 locale and
// falling back to --no-locale where that locale does not exist.
func (s *server) initdb(ctx context.Context) error {
	common := []string{"-D", s.data, "-A", "trust", "-U", superuser, "--encoding=UTF8", "--no-sync"}
	err := s.run(ctx, "initdb", append(common, "--locale=C.UTF-8")...)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	if rmErr := os.RemoveAll(s.data); rmErr != nil {
		return fmt.Errorf("%v\n(removing %s to retry: %v)", err, s.data, rmErr)
	}
	if err2 := s.run(ctx, "initdb", append(common, "--no-locale")...); err2 != nil {
		return fmt.Errorf("%v\nretrying with --no-locale: %v", err, err2)
	}
	return nil
}

// start starts the server on a free port, trying another port if the chosen
// one was taken in the meantime, and registers its shutdown.
func (s *server) start(ctx context.Context) error {
	var err error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		s.port, err = freePort()
		if err != nil {
			return err
		}
		opts := strings.Join([]string{
			"-p", strconv.Itoa(s.port),
			"-c", "listen_addresses=127.0.0.1",
			"-c", "unix_socket_directories=" + shellQuote(s.dir),
			"-c", "fsync=off",
			"-c", "full_page_writes=off",
			"-c", "synchronous_commit=off",
		}, " ")
		err = s.run(ctx, "pg_ctl", "start", "-D", s.data, "-l", s.log,
			"-w", "-t", strconv.Itoa(int(startTimeout/time.Second)), "-o", opts)
		if err == nil {
			s.tb.Cleanup(s.stop)
			return nil
		}
		s.kill() // in case pg_ctl gave up waiting on a server that still runs
		if ctx.Err() != nil || !s.portInUse() {
			break
		}
	}
	return err
}

// portInUse reports whether the last start failed because its port was
// taken.
func (s *server) portInUse() bool {
	b, _ := os.ReadFile(s.log)
	return bytes.Contains(b, []byte("Address already in use"))
}

// stop stops the server; connections still open are cut.
func (s *server) stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.run(ctx, "pg_ctl", "stop", "-D", s.data, "-m", "immediate", "-w"); err != nil {
		s.tb.Errorf("pgtest: stopping server in %s: %v%s", s.data, err, s.logTail())
	}
}

// kill stops a server that may or may not be running, ignoring errors.
func (s *server) kill() {
	if _, err := os.Stat(filepath.Join(s.data, "postmaster.pid")); err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = s.run(ctx, "pg_ctl", "stop", "-D", s.data, "-m", "immediate", "-w")
}

// createDatabase waits until the server accepts connections, creates the
// database and returns its DSN.
func (s *server) createDatabase(ctx context.Context, name string) (string, error) {
	admin, err := sql.Open("pgx", s.dsn("postgres"))
	if err != nil {
		return "", err
	}
	defer admin.Close()
	for {
		err = admin.PingContext(ctx)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("server on port %d does not accept connections: %v", s.port, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE "`+name+`"`); err != nil {
		return "", fmt.Errorf("creating database %s: %v", name, err)
	}
	return s.dsn(name), nil
}

func (s *server) dsn(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, s.port, db)
}

// logTail returns the end of the server log, formatted to be appended to an
// error message.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.log)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "\n(no server log)"
		}
		return fmt.Sprintf("\n(server log: %v)", err)
	}
	const max = 4000
	if len(b) > max {
		b = b[len(b)-max:]
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return fmt.Sprintf("\nend of server log %s:\n%s", s.log, bytes.TrimSpace(b))
}

// binDir finds the directory holding initdb, pg_ctl and postgres.
func binDir() (string, error) {
	var tried []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dir := strings.TrimSpace(string(out))
		if hasServer(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	} else {
		tried = append(tried, "pg_config: "+err.Error())
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { // newest first
		return versionLess(filepath.Base(filepath.Dir(dirs[j])), filepath.Base(filepath.Dir(dirs[i])))
	})
	for _, dir := range dirs {
		if hasServer(dir) {
			return dir, nil
		}
	}
	tried = append(tried, "/usr/lib/postgresql/*/bin")
	return "", fmt.Errorf("looked in %s", strings.Join(tried, ", "))
}

func hasServer(dir string) bool {
	for _, prog := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, prog))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionLess compares versions such as "9.6" and "15" numerically.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errx := strconv.Atoi(as[i])
		y, erry := strconv.Atoi(bs[i])
		if errx != nil || erry != nil {
			if as[i] != bs[i] {
				return as[i] < bs[i]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// freePort returns a TCP port of 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// dbName turns a test name into a database name: lower-case letters, digits
// and underscores, at most 63 bytes (PostgreSQL's limit).
func dbName(testName string) string {
	var b strings.Builder
	underscore := false
	for _, r := range strings.ToLower(testName) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			underscore = false
		} else if !underscore && b.Len() > 0 {
			b.WriteByte('_')
			underscore = true
		}
	}
	name := strings.TrimRight(b.String(), "_")
	if len(name) > 63 {
		name = strings.TrimRight(name[:63], "_")
	}
	if name == "" || name == "postgres" || strings.HasPrefix(name, "template") {
		name = "test_" + name
		name = strings.TrimRight(name[:min(len(name), 63)], "_")
	}
	return name
}

// shellQuote quotes s for the shell through which pg_ctl starts the server.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
