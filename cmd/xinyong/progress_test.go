package main

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinyong"
)

// releaseSteps returns the values of the Step* constants of publish, read from its source so that
// a step added there without a Chinese name fails this package's tests.
func releaseSteps(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "..", "publish", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Step") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						steps = append(steps, v)
					}
				}
			}
		}
	}
	if len(steps) < 8 {
		t.Fatalf("found %d step constants in publish (%v), want at least 8", len(steps), steps)
	}
	return steps
}

func TestRunStepNames_EveryStep(t *testing.T) {
	for _, s := range releaseSteps(t) {
		if xinyong.RunStepName(s) == "" {
			t.Errorf("release step %q has no Chinese name (xinyong.RunStepName)", s)
		}
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
	for _, s := range releaseSteps(t) {
		name := xinyong.RunStepName(s)
		start, done := false, false
		for line := range seen {
			start = start || line == name+"……"
			done = done || strings.HasPrefix(line, name+"完成（")
		}
		if !start || !done {
			t.Errorf("step %s (%s): start line %v, done line %v; stderr lines:\n%v", s, name, start, done, seen)
		}
	}
}
