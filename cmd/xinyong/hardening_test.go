package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"xinyong/publish"
	"xinyong/scheduler"
	"xinyong/server"
)

// alertHook is a webhook on 127.0.0.1 that keeps the alerts posted to it, and their raw bodies.
type alertHook struct {
	mu     sync.Mutex
	alerts []scheduler.Alert
	bodies []string
	url    string
}

func newAlertHook(t *testing.T) *alertHook {
	t.Helper()
	h := &alertHook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var a scheduler.Alert
		json.Unmarshal(b, &a)
		h.mu.Lock()
		h.alerts, h.bodies = append(h.alerts, a), append(h.bodies, string(b))
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

func (h *alertHook) get() ([]scheduler.Alert, string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]scheduler.Alert(nil), h.alerts...), strings.Join(h.bodies, "\n")
}

// runCtx is runCmd with a context and the binary a publication runs to build the site (exe; "" for the
// test binary, which runs xinyong's main in a child: see TestMain).
func runCtx(t *testing.T, ctx context.Context, environ map[string]string, exe string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb,
		getenv: func(k string) string { return environ[k] },
		now:    func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }}
	if exe != "" {
		e.exe = func() (string, error) { return exe, nil }
	}
	err := e.run(ctx, args)
	return exitCode(err, &errb), out.String(), errb.String()
}

// statusPages returns /status/ and /api/status of the real server handler for data.
func statusPages(t *testing.T, data string) (page, api string) {
	t.Helper()
	s, err := server.New(data, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	get := func(path string) string {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		return string(b)
	}
	return get("/status/"), get("/api/status")
}

// stateBytes is everything the state database holds on disk (its file, WAL and shared memory).
func stateBytes(t *testing.T, data string) string {
	t.Helper()
	var all []byte
	files, _ := filepath.Glob(filepath.Join(data, publish.StateFile+"*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatal("no state database")
	}
	return string(all)
}

// TestRun_SecretsStaySecret: `xinyong run` against a database that does not answer, named by a URL with
// ?password= and by a keyword/value DSN, fails (exit 1, alert); neither password appears in the logs, the
// error, the alert, state.db, /status/ or /api/status. The public pages give the cause (数据库无法连接)
// and never the host, port, user, database or a file path; xinyong status gives the full, redacted error.
func TestRun_SecretsStaySecret(t *testing.T) {
	p := newPublished(t)
	p.run()
	hook := newAlertHook(t)
	dsns := []struct{ dsn, secret string }{
		{"postgres://u@127.0.0.1:1/x?password=SECRET1&connect_timeout=5", "SECRET1"},
		{"host=127.0.0.1 port=1 user=u password=SECRET2 dbname=x connect_timeout=5", "SECRET2"},
	}
	var logs strings.Builder
	for _, format := range []string{"text", "json"} {
		for _, d := range dsns {
			// One from the flag, one from the environment, as an operator would.
			code, stdout, stderr := runCmd(t, map[string]string{"XINYONG_ALERT_WEBHOOK": hook.url},
				"run", "--db", d.dsn, "--data", p.data, "--log-format", format)
			if code != 1 {
				t.Errorf("run %s: exit %d, want 1\n%s", d.dsn, code, stderr)
			}
			logs.WriteString(stdout + stderr)
			code, stdout, stderr = runCmd(t, map[string]string{"XINYONG_ALERT_WEBHOOK": hook.url, "XINYONG_DB": d.dsn},
				"run", "--data", p.data, "--log-format", format)
			if code != 1 {
				t.Errorf("run (XINYONG_DB) %s: exit %d, want 1\n%s", d.dsn, code, stderr)
			}
			logs.WriteString(stdout + stderr)
		}
	}
	alerts, bodies := hook.get()
	if len(alerts) != 8 {
		t.Errorf("%d alerts, want 8", len(alerts))
	}
	for _, a := range alerts {
		if a.Event != scheduler.EventFailed || a.Run.Cause != scheduler.CauseDatabase {
			t.Errorf("alert %s, cause %q; want %s, %s", a.Event, a.Run.Cause, scheduler.EventFailed, scheduler.CauseDatabase)
		}
	}
	if !strings.Contains(logs.String(), "ALERT") {
		t.Errorf("no ALERT line in the logs:\n%s", logs.String())
	}
	page, api := statusPages(t, p.data)
	_, status, _ := runCmd(t, nil, "status", "--data", p.data)
	_, statusJSON, _ := runCmd(t, nil, "status", "--data", p.data, "--json", "-n", "50")
	places := map[string]string{"logs": logs.String(), "alerts": bodies, "state.db": stateBytes(t, p.data),
		"/status/": page, "/api/status": api, "xinyong status": status, "xinyong status --json": statusJSON}
	for where, text := range places {
		for _, d := range dsns {
			if strings.Contains(text, d.secret) {
				t.Errorf("%s shows the password %s", where, d.secret)
			}
		}
	}
	// The public pages: the cause, nothing of the connection or the machine.
	for where, text := range map[string]string{"/status/": page, "/api/status": api} {
		if !strings.Contains(text, "数据库无法连接") {
			t.Errorf("%s does not give the cause 数据库无法连接", where)
		}
		for _, private := range []string{"127.0.0.1", "port=", "user=", "u@", "dbname=", "database=", "xxxxx", p.data, filepath.Dir(p.db), "connect"} {
			if strings.Contains(text, private) {
				t.Errorf("%s shows %q", where, private)
			}
		}
	}
	// The operator's command: every run, with the full error, redacted.
	if !strings.Contains(status, "127.0.0.1") || !strings.Contains(status, "password=xxxxx") ||
		!strings.Contains(status, "数据库无法连接") || strings.Count(status, "\n#") < 8 {
		t.Errorf("xinyong status:\n%s", status)
	}
	var runs []scheduler.Run
	if err := json.Unmarshal([]byte(statusJSON), &runs); err != nil || len(runs) != 9 || runs[0].Error == "" {
		t.Errorf("xinyong status --json: %v, %d runs\n%s", err, len(runs), statusJSON)
	}
}

// TestStatusCmd: usage errors, and a data directory without a state database.
func TestStatusCmd(t *testing.T) {
	dir := t.TempDir()
	if code, stdout, _ := runCmd(t, nil, "status", "--data", dir); code != 0 || !strings.Contains(stdout, "尚无运行记录") {
		t.Errorf("status without runs: exit %d, %q", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, publish.StateFile)); !os.IsNotExist(err) {
		t.Error("status created a state database")
	}
	for _, args := range [][]string{{"status", "-n", "0"}, {"status", "extra"}, {"status", "--nope"}} {
		if code, _, _ := runCmd(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// mountTmpfs mounts a tmpfs of size at a new directory, unmounted at the end of the test. Mounting needs
// root, as CI runs.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("mounting a tmpfs needs root, and CI must run this test")
		}
		t.Skip("mounting a tmpfs needs root (CI runs as root)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// TestRun_DiskFillsDuringBuild: the data directory is on a 24 MiB tmpfs holding a release of a 100-entry
// demo. A 1,000-entry demo passes the space check (the previous release needed 4 MiB) and exports, but its
// site (about 30 MiB) fills the disk during the build, where Hugo stops and never returns. The run is
// killed at its deadline and ends with exit 1, an alert to the webhook with the cause 磁盘空间不足,
// current unchanged, the staging directory removed and the lock free.
func TestRun_DiskFillsDuringBuild(t *testing.T) {
	fs := mountTmpfs(t, "24m")
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small.db"), filepath.Join(dir, "big.db")
	for db, n := range map[string]string{small: "100", big: "1000"} {
		if code, _, stderr := runCmd(t, nil, "demo", "--db", db, "--entries", n, "--as-of", "2026-06-15"); code != 0 {
			t.Fatalf("demo: %s", stderr)
		}
	}
	data := filepath.Join(fs, "data")
	if code, _, stderr := runCmd(t, nil, "run", "--db", small, "--data", data); code != 0 {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	_, first, _ := publish.Current(data)
	hook := newAlertHook(t)
	const deadline = 30 * time.Second
	start := time.Now()
	code, _, stderr := runCmd(t, map[string]string{"XINYONG_ALERT_WEBHOOK": hook.url},
		"run", "--db", big, "--data", data, "--build-timeout", deadline.String())
	took := time.Since(start)
	t.Logf("the run on a full disk ended after %s (build_timeout %s):\n%s", took.Round(time.Millisecond), deadline, stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, stderr)
	}
	if took > deadline+20*time.Second {
		t.Errorf("the run took %s, deadline %s", took, deadline)
	}
	if _, id, _ := publish.Current(data); id != first {
		t.Errorf("current %s, want %s", id, first)
	}
	if tmp, _ := filepath.Glob(filepath.Join(data, publish.ReleasesDir, ".tmp-*")); len(tmp) != 0 {
		t.Errorf("staging left behind: %v", tmp)
	}
	alerts, _ := hook.get()
	if len(alerts) != 1 || alerts[0].Event != scheduler.EventFailed || alerts[0].Run.Cause != scheduler.CauseDisk {
		t.Errorf("alerts %+v, want one publication_failed (disk)", alerts)
	}
	// The lock is free and the space back: the next run (the small demo, unchanged) goes through at once.
	if code, stdout, stderr := runCmd(t, nil, "run", "--db", small, "--data", data); code != 0 || !strings.Contains(stdout, first) {
		t.Errorf("run after: exit %d %q\n%s", code, stdout, stderr)
	}
}

// TestRun_FullDiskAlerts: with no space at all, the run cannot even record itself in state.db: it still
// fails with exit 1 and an alert.
func TestRun_FullDiskAlerts(t *testing.T) {
	fs := mountTmpfs(t, "1m")
	data := filepath.Join(fs, "data")
	os.Mkdir(data, 0o755)
	fill, _ := os.Create(filepath.Join(fs, "fill"))
	for {
		if _, err := fill.Write(make([]byte, 64<<10)); err != nil {
			break
		}
	}
	fill.Close()
	hook := newAlertHook(t)
	code, _, stderr := runCmd(t, map[string]string{"XINYONG_ALERT_WEBHOOK": hook.url}, "run", "--db", fixtureDB(t), "--data", data)
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s", code, stderr)
	}
	alerts, _ := hook.get()
	if len(alerts) != 1 || alerts[0].Event != scheduler.EventFailed || alerts[0].Run.Cause != scheduler.CauseDisk {
		t.Errorf("alerts %+v, want one publication_failed (disk)\n%s", alerts, stderr)
	}
	if !strings.Contains(stderr, "ALERT") {
		t.Errorf("no ALERT line:\n%s", stderr)
	}
}

// hangingBuild writes a stand-in for the xinyong binary whose build never ends: it starts a grandchild
// that sleeps (its pid in pidFile) and waits for it.
func hangingBuild(t *testing.T) (exe, pidFile string) {
	t.Helper()
	dir := t.TempDir()
	exe, pidFile = filepath.Join(dir, "xinyong"), filepath.Join(dir, "pid")
	script := fmt.Sprintf("#!/bin/sh\nsleep 600 &\necho $! > %s\nwait\n", pidFile)
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return exe, pidFile
}

// gone reports whether the process in pidFile has ended (a zombie counts: it no longer runs).
func gone(t *testing.T, pidFile string) bool {
	t.Helper()
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the build never started: %v", err)
	}
	var pid int
	fmt.Sscan(string(b), &pid)
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	f := strings.Fields(string(stat))
	return len(f) > 2 && f[2] == "Z"
}

// TestRun_BuildHangs: a build that never returns is killed with its whole process group at build_timeout
// (exit 1, alert, cause timeout); and a run cancelled by SIGTERM (its context) kills it at once. Either
// way current stays, and the lock is free for the next run.
func TestRun_BuildHangs(t *testing.T) {
	p := newPublished(t)
	first := p.run()
	hook := newAlertHook(t)
	env := map[string]string{"XINYONG_ALERT_WEBHOOK": hook.url}
	// --force: the data did not change, and an unchanged publication would not build.
	tests := []struct {
		name    string
		timeout string
		cancel  time.Duration
		cause   string
	}{
		{"deadline", "2s", 0, scheduler.CauseTimeout},
		{"SIGTERM", "1h", 2 * time.Second, scheduler.CauseInterrupted},
	}
	for _, tt := range tests {
		exe, pidFile := hangingBuild(t)
		ctx, cancel := context.WithCancel(context.Background())
		if tt.cancel > 0 {
			// SIGTERM once the build runs: on a busy machine the export alone can take longer than tt.cancel.
			go func() {
				for wait := time.Now().Add(time.Minute); time.Now().Before(wait); time.Sleep(50 * time.Millisecond) {
					if _, err := os.Stat(pidFile); err == nil {
						time.Sleep(tt.cancel)
						break
					}
				}
				cancel()
			}()
		}
		start := time.Now()
		code, _, stderr := runCtx(t, ctx, env, exe, "run", "--db", p.db, "--data", p.data, "--force", "--build-timeout", tt.timeout)
		took := time.Since(start)
		cancel()
		t.Logf("%s: ended after %s", tt.name, took.Round(time.Millisecond))
		if code != 1 || took > time.Minute {
			t.Errorf("%s: exit %d after %s, want 1 soon after the deadline or the signal\n%s", tt.name, code, took, stderr)
		}
		if !gone(t, pidFile) {
			t.Errorf("%s: the build's child process still runs", tt.name)
		}
		if cur := p.current(); cur != first {
			t.Errorf("%s: current %s, want %s", tt.name, cur, first)
		}
	}
	alerts, _ := hook.get()
	if len(alerts) != 2 || alerts[0].Run.Cause != scheduler.CauseTimeout || alerts[1].Run.Cause != scheduler.CauseInterrupted {
		t.Errorf("alerts %+v, want timeout then interrupted", alerts)
	}
	// Nothing holds the lock.
	f, err := os.OpenFile(filepath.Join(p.data, ".lock"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Errorf("the lock is still held: %v", err)
	}
}
