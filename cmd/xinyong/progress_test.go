package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"xinyong/publish"
)

// TestSteps_Labelled: every step of a publication has a name for the records and a Chinese label for the
// operator, and no two share either.
func TestSteps_Labelled(t *testing.T) {
	names, labels := map[string]bool{}, map[string]bool{}
	for _, s := range publish.Steps() {
		if s.Name == "" || s.Label == "" || names[s.Name] || labels[s.Label] {
			t.Errorf("step %q, label %q: empty or repeated", s.Name, s.Label)
		}
		names[s.Name], labels[s.Label] = true, true
	}
	if len(names) < 8 {
		t.Errorf("%d steps, want at least 8", len(names))
	}
}

// TestRunCmd_ProgressNamesEveryStep: `xinyong run` on a terminal prints a start and a done line with the
// Chinese name of every step; two publications, since the second also links the unchanged files.
func TestRunCmd_ProgressNamesEveryStep(t *testing.T) {
	p := newPublished(t)
	seen := map[string]bool{}
	for _, baseURL := range []string{"https://a.example/", "https://b.example/"} {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
			now:      func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) },
			terminal: func(io.Writer) bool { return true }}
		err := e.run(context.Background(), []string{"run", "--db", p.db, "--data", p.data, "--base-url", baseURL})
		if err != nil {
			t.Fatalf("run: %v\n%s", err, errb.String())
		}
		for _, line := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
			if strings.HasPrefix(line, "……") || strings.HasPrefix(line, "完成") {
				t.Errorf("progress line without a step name: %q", line)
			}
			seen[line] = true
		}
	}
	for _, s := range publish.Steps() {
		name := s.Label
		start, done := false, false
		for line := range seen {
			start = start || line == name+"……"
			done = done || strings.HasPrefix(line, name+"完成（")
		}
		if !start || !done {
			t.Errorf("step %s (%s): start line %v, done line %v; stderr lines:\n%v", s.Name, name, start, done, seen)
		}
	}
}
