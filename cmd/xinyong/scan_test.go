package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/exchange"
	"xinyong/internal/fixture"
)

// TestRun_NoIDNumberInStateOrLogs: `xinyong run` and `xinyong status` on the fixture with every disguised ID
// number (internal/fixture, extras) write none into what the operator's side keeps: the run history
// (state.db and its journal), the logs (text and JSON) and the commands' output. The release itself is
// scanned by publish TestRun_NoIDNumberAnywhere.
func TestRun_NoIDNumberInStateOrLogs(t *testing.T) {
	if len(fixture.ReadableIDNumbers("身份证 "+fixture.IDZhang[:6]+" "+fixture.IDZhang[6:])) != 1 {
		t.Fatal("the scanner does not find a spaced ID number")
	}
	db := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error { return fixture.Load(ctx, w, true) })
	data := t.TempDir()
	var out strings.Builder
	for _, format := range []string{"text", "json"} {
		code, stdout, stderr := runCmd(t, nil, "run", "--db", db, "--data", data, "--as-of", "2026-06-15",
			"--force", "--log-format", format, "--log-level", "debug")
		if code != 0 {
			t.Fatalf("run (%s logs): exit %d\n%s", format, code, stderr)
		}
		out.WriteString(stdout + stderr)
	}
	code, stdout, stderr := runCmd(t, nil, "status", "--data", data, "--json")
	if code != 0 {
		t.Fatalf("status: exit %d\n%s", code, stderr)
	}
	out.WriteString(stdout + stderr)
	if ids := fixture.ReadableIDNumbers(out.String()); len(ids) > 0 {
		t.Errorf("the commands' output and logs hold the ID numbers %v", ids)
	}
	state, _ := filepath.Glob(filepath.Join(data, "state.db*"))
	if len(state) == 0 {
		t.Fatal("no state.db: the runs were not recorded")
	}
	for _, f := range state {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if ids := fixture.ReadableIDNumbers(string(b)); len(ids) > 0 {
			t.Errorf("%s holds the ID numbers %v", filepath.Base(f), ids)
		}
	}
}
