package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/publish"
	"xinyong/scheduler"
)

// published is a SQLite exchange database holding the fixture and a data directory that `xinyong run`
// publishes it into, on the day of runCmd's clock (fixture.AsOf).
type published struct {
	t        *testing.T
	db, data string
}

func newPublished(t *testing.T) *published {
	t.Helper()
	return &published{t: t, db: fixtureDB(t), data: filepath.Join(t.TempDir(), "data")}
}

// run publishes with `xinyong run` (and args) and returns the id of the new release.
func (p *published) run(args ...string) string {
	p.t.Helper()
	code, _, stderr := runCmd(p.t, nil, append([]string{"run", "--db", p.db, "--data", p.data}, args...)...)
	if code != 0 {
		p.t.Fatalf("run %v: exit %d\n%s", args, code, stderr)
	}
	return p.current()
}

func (p *published) current() string {
	p.t.Helper()
	_, id, err := publish.Current(p.data)
	if err != nil {
		p.t.Fatal(err)
	}
	return id
}

// TestRunCmd_RefusesFutureAsOf: `xinyong run --as-of` a day after today (Asia/Shanghai, by the injected
// clock) exits 1, with or without --force, naming the date and the way to preview it; it leaves no release
// and no staging directory, and the run history records it as refused. Today publishes.
func TestRunCmd_RefusesFutureAsOf(t *testing.T) {
	p := newPublished(t)
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"--as-of", "2026-06-16"}, 1},
		{[]string{"--as-of", "2026-06-16", "--force"}, 1},
		{[]string{"--as-of", "2027-01-01", "--force"}, 1},
		{[]string{"--as-of", "2026-06-15"}, 0},
	}
	for _, tt := range tests {
		code, _, stderr := runCmd(t, nil, append([]string{"run", "--db", p.db, "--data", p.data}, tt.args...)...)
		if code != tt.code {
			t.Errorf("run %v: exit %d, want %d\n%s", tt.args, code, tt.code, stderr)
		}
		if code == 0 {
			continue
		}
		if !strings.Contains(stderr, tt.args[1]) || !strings.Contains(stderr, "xinyong export") {
			t.Errorf("run %v: stderr %q does not name the date and the way to preview it", tt.args, stderr)
		}
		entries, _ := os.ReadDir(filepath.Join(p.data, publish.ReleasesDir))
		if len(entries) != 0 {
			t.Errorf("run %v: releases/ holds %d entries, want none", tt.args, len(entries))
		}
	}
	st, err := scheduler.OpenState(filepath.Join(p.data, publish.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Latest(10)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, r := range runs {
		outcomes = append(outcomes, r.Outcome+" "+r.AsOf)
	}
	want := "published 2026-06-15,refused 2027-01-01,refused 2026-06-16,refused 2026-06-16"
	if got := strings.Join(outcomes, ","); got != want {
		t.Errorf("run history %q, want %q", got, want)
	}
}
