package main

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinyong/publish"
	"xinyong/scheduler"
)

// TestRun_MissingDatabaseErrorOnce: a run against a database that cannot be opened prints its error once
// on stderr (the ALERT line names the run and cause, not the error again), and the run history records
// the full error.
func TestRun_MissingDatabaseErrorOnce(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(t.TempDir(), "missing", "exchange.db")
	code, _, stderr := runCmd(t, nil, "run", "--db", db, "--data", data)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	const msg = "unable to open database file"
	if got := strings.Count(stderr, msg); got != 1 {
		t.Errorf("stderr has %q %d times, want once:\n%s", msg, got, stderr)
	}
	if !strings.Contains(stderr, db) {
		t.Errorf("stderr does not name the database %s:\n%s", db, stderr)
	}
	if got := strings.Count(stderr, "ALERT"); got != 1 {
		t.Errorf("stderr has %d ALERT lines, want 1:\n%s", got, stderr)
	}
	st, err := scheduler.OpenState(filepath.Join(data, publish.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Latest(1)
	if err != nil || len(runs) != 1 {
		t.Fatalf("run history: %v %v", runs, err)
	}
	if !strings.Contains(runs[0].Error, msg) || runs[0].Cause != scheduler.CauseDatabase {
		t.Errorf("recorded error %q cause %q, want the error and cause %q", runs[0].Error, runs[0].Cause, scheduler.CauseDatabase)
	}
}

// TestRun_ChecksInputsFirst: a theme directory that does not exist, one without layouts/, and a base URL
// that is not absolute http(s) fail before the export: at once, with no staging directory and no run
// recorded, and the message names the directory or URL.
func TestRun_ChecksInputsFirst(t *testing.T) {
	db := fixtureDB(t)
	noLayouts := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--theme", "/nonexistent/dir"}, "/nonexistent/dir"},
		{[]string{"--theme", noLayouts}, noLayouts},
		{[]string{"--base-url", "credit.example.org"}, "credit.example.org"},
		{[]string{"--base-url", "ftp://credit.example.org/"}, "ftp://credit.example.org/"},
	}
	for _, tt := range tests {
		data := filepath.Join(t.TempDir(), "data")
		start := time.Now()
		code, _, stderr := runCmd(t, nil, append([]string{"run", "--db", db, "--data", data}, tt.args...)...)
		if code != 1 {
			t.Errorf("run %v: exit %d, want 1\n%s", tt.args, code, stderr)
		}
		if !strings.Contains(stderr, tt.want) || strings.Count(stderr, tt.want) != 1 {
			t.Errorf("run %v: stderr does not name %s once:\n%s", tt.args, tt.want, stderr)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("run %v: failed after %v, want at once", tt.args, d)
		}
		if _, err := os.Stat(filepath.Join(data, publish.ReleasesDir)); err == nil {
			t.Errorf("run %v: a releases directory was made: the publication started", tt.args)
		}
		if _, err := os.Stat(filepath.Join(data, publish.StateFile)); err == nil {
			t.Errorf("run %v: a run was recorded: the publication started", tt.args)
		}
	}
	unwritable := filepath.Join(t.TempDir(), "file")
	os.WriteFile(unwritable, nil, 0o644)
	code, _, stderr := runCmd(t, nil, "run", "--db", db, "--data", filepath.Join(unwritable, "data"))
	if code != 1 || !strings.Contains(stderr, "check data directory") {
		t.Errorf("run on an unusable data directory: exit %d\n%s", code, stderr)
	}
}

// TestServe_BusyPortFailsFirst: `serve --demo` on a port held by another listener fails at once, before
// it creates the demo database or publishes anything.
func TestServe_BusyPortFailsFirst(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	data, db := filepath.Join(dir, "data"), filepath.Join(dir, "demo.db")
	start := time.Now()
	code, _, stderr := runCmd(t, nil, "serve", "--demo", "--db", db, "--data", data, "--addr", ln.Addr().String())
	if code != 1 || !strings.Contains(stderr, "address already in use") || !strings.Contains(stderr, ln.Addr().String()) {
		t.Errorf("exit %d, want 1 naming the address in use:\n%s", code, stderr)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("failed after %v, want at once", d)
	}
	for _, p := range []string{filepath.Join(data, publish.ReleasesDir), db} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists: serve started work before binding its port", p)
		}
	}
}

// TestRun_RelativeDataDir: with a relative --data the build's scratch directory (inside the staging
// directory) is relative too; Hugo wants it absolute. The publication succeeds.
func TestRun_RelativeDataDir(t *testing.T) {
	db := fixtureDB(t)
	t.Chdir(t.TempDir())
	code, _, stderr := runCmd(t, nil, "run", "--db", db, "--data", "data")
	if code != 0 {
		t.Fatalf("run --data data: exit %d\n%s", code, stderr)
	}
	if left, _ := filepath.Glob(filepath.Join("data", publish.ReleasesDir, "*", publish.ScratchDir)); len(left) > 0 {
		t.Errorf("scratch directories left in the release: %v", left)
	}
}
