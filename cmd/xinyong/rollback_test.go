package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/scheduler"
	"xinyong/server"
)

// repair marks a list entry repaired (信用修复) in the exchange database, as the platform would.
func (p *published) repair(id string) {
	p.t.Helper()
	w, err := exchange.OpenWritable(context.Background(), p.db)
	if err != nil {
		p.t.Fatal(err)
	}
	defer w.Close()
	res, err := w.SQL().Exec(`UPDATE xy_list_entries SET status = 'repaired', status_changed_on = ? WHERE id = ?`,
		fixture.AsOf.String(), id)
	if err != nil {
		p.t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		p.t.Fatalf("repair %s: %d rows changed", id, n)
	}
}

// rollbacks returns the rollbacks in the run history, newest first.
func (p *published) rollbacks() []scheduler.Run {
	p.t.Helper()
	st, err := scheduler.OpenState(filepath.Join(p.data, publish.StateFile))
	if err != nil {
		p.t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Latest(100)
	if err != nil {
		p.t.Fatal(err)
	}
	var out []scheduler.Run
	for _, r := range runs {
		if r.Trigger == scheduler.ByRollback {
			out = append(out, r)
		}
	}
	return out
}

// TestRollback_EndToEnd: publish A, repair one public black-list entry in the database, publish B; a
// rollback to A is refused naming that entry and leaves B current. Publish C with the same entries under
// another base URL; a rollback to B switches, and so does a rollback forward to C. Every rollback is in the
// run history and on /status/ and /api/status.
func TestRollback_EndToEnd(t *testing.T) {
	p := newPublished(t)
	a := p.run()
	if _, err := os.Stat(filepath.Join(p.data, publish.ReleasesDir, a, publish.ContentDir, "black", "E02.md")); err != nil {
		t.Fatalf("release A does not publish black/E02: %v", err)
	}
	p.repair("E02")
	b := p.run()

	code, stdout, stderr := runCmd(t, nil, "rollback", "--data", p.data, a)
	if code != 1 || stdout != "black/E02\n" || !strings.Contains(stderr, "black/E02") ||
		!strings.Contains(stderr, "xinyong run") || !strings.Contains(stderr, "--theme") {
		t.Errorf("rollback to A: exit %d, stdout %q, stderr %q; want 1 naming black/E02 and the way forward", code, stdout, stderr)
	}
	if cur := p.current(); cur != b {
		t.Fatalf("current is %s after a refused rollback, want B %s", cur, b)
	}

	c := p.run("--base-url", "https://mirror.example.org/")
	if code, stdout, stderr := runCmd(t, nil, "rollback", "--data", p.data, b); code != 0 || !strings.Contains(stdout, b) {
		t.Errorf("rollback to B: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if cur := p.current(); cur != b {
		t.Errorf("current is %s after the rollback, want B %s", cur, b)
	}
	if code, stdout, stderr := runCmd(t, nil, "rollback", "--data", p.data, c); code != 0 || !strings.Contains(stdout, c) {
		t.Errorf("rollback forward to C: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if cur := p.current(); cur != c {
		t.Errorf("current is %s after the rollback forward, want C %s", cur, c)
	}

	// The run history holds the three rollbacks, newest first.
	want := []struct{ outcome, release, errPart string }{
		{scheduler.RolledBack, c, ""},
		{scheduler.RolledBack, b, ""},
		{scheduler.RollbackRefused, "", "black/E02"},
	}
	got := p.rollbacks()
	if len(got) != len(want) {
		t.Fatalf("run history: %d rollbacks %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		r := got[i]
		if r.Outcome != w.outcome || r.Release != w.release || !strings.Contains(r.Error, w.errPart) || r.End.IsZero() {
			t.Errorf("rollback %d in the history: %+v, want outcome %s, release %q, error with %q", i, r, w.outcome, w.release, w.errPart)
		}
	}

	// And the server shows them.
	s, err := server.New(p.data, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %s", path, resp.Status)
		}
		return string(body)
	}
	var api struct {
		Release string          `json:"release"`
		Runs    []scheduler.Run `json:"runs"`
	}
	if err := json.Unmarshal([]byte(get("/api/status")), &api); err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, r := range api.Runs {
		if r.Trigger == scheduler.ByRollback {
			outcomes = append(outcomes, r.Outcome+" "+r.Release)
		}
	}
	wantOutcomes := []string{scheduler.RolledBack + " " + c, scheduler.RolledBack + " " + b, scheduler.RollbackRefused + " "}
	if api.Release != c || strings.Join(outcomes, ",") != strings.Join(wantOutcomes, ",") {
		t.Errorf("/api/status: release %s, rollbacks %q; want %s, %q", api.Release, outcomes, c, wantOutcomes)
	}
	page := get("/status/")
	for _, s := range []string{"回退", "已回退", "已拒绝回退", b, c} {
		if !strings.Contains(page, s) {
			t.Errorf("/status/ lacks %q", s)
		}
	}
	if strings.Contains(page, p.db) {
		t.Error("/status/ shows the database's DSN")
	}
}

// TestRollback_CommandLines runs every documented command line of `xinyong releases` and `xinyong rollback`
// against three real releases: A, B after the 信用修复 of black/E02, and C with B's entries under another
// base URL. The rows run in order, each from the current release the one before left.
func TestRollback_CommandLines(t *testing.T) {
	p := newPublished(t)
	a := p.run()
	p.repair("E02")
	b := p.run()
	c := p.run("--base-url", "https://mirror.example.org/")
	empty := t.TempDir()
	env := map[string]string{"XINYONG_DATA": p.data}

	tests := []struct {
		args    []string
		env     map[string]string
		code    int
		stdout  string // a part of stdout
		current string // afterwards
	}{
		{[]string{"releases"}, env, 0, "* " + c, c},
		{[]string{"releases", "--data", p.data}, nil, 0, "  " + a, c},
		{[]string{"releases", "--data", empty}, nil, 0, "尚无发布版本", c},
		{[]string{"rollback"}, env, 0, b, b},                      // the release before C: same entries
		{[]string{"rollback", c}, env, 0, c, c},                   // forward to the newest
		{[]string{"rollback", "--data", p.data, b}, nil, 0, b, b}, // back again
		{[]string{"rollback"}, env, 1, "black/E02", b},            // the release before B is A: refused
		{[]string{"rollback", a}, env, 1, "black/E02", b},         // refused
		{[]string{"rollback", "--data", p.data, a}, nil, 1, "black/E02", b},
		{[]string{"rollback", "--data", p.data, "20200101T000000Z"}, nil, 1, "", b}, // no such release
		{[]string{"rollback", "--data", empty}, nil, 1, "", b},                      // nothing published
		{[]string{"rollback", "--data", empty, a}, nil, 1, "", b},
		{[]string{"rollback", a, b}, env, 2, "", b},                   // one id at most
		{[]string{"rollback", "--data", p.data, a, c}, nil, 2, "", b}, // one id at most
		{[]string{"rollback", c, "--data", p.data}, nil, 2, "", b},    // flags after the id
		{[]string{"rollback", "--nope"}, env, 2, "", b},
		{[]string{"releases", a}, env, 2, "", b},
	}
	recorded := 0
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, tt.env, tt.args...)
		if code != tt.code || !strings.Contains(stdout, tt.stdout) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want %d and %q", tt.args, code, stdout, stderr, tt.code, tt.stdout)
		}
		if code != 0 && stderr == "" {
			t.Errorf("%v: exit %d without a message", tt.args, code)
		}
		if cur := p.current(); cur != tt.current {
			t.Errorf("%v: current is %s, want %s", tt.args, cur, tt.current)
		}
		if tt.args[0] == "rollback" && code != 2 && !strings.Contains(strings.Join(tt.args, " "), empty) {
			recorded++
		}
	}
	// Every rollback that reached the data directory is in its run history; none in an empty directory.
	if got := p.rollbacks(); len(got) != recorded {
		t.Errorf("run history: %d rollbacks, want %d", len(got), recorded)
	}
	if _, err := os.Stat(filepath.Join(empty, publish.StateFile)); !os.IsNotExist(err) {
		t.Errorf("a rollback in a directory without releases created its state database: %v", err)
	}
}
