package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinyong/exchange"
	"xinyong/internal/fixture"
)

// runCmd runs the command line with a fixed clock and environment and returns its exit status and output.
func runCmd(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return environ[k] },
		now:    func() time.Time { return time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC) }}
	err := e.run(context.Background(), args)
	return exitCode(err, &errb), out.String(), errb.String()
}

func TestCheckCode(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		contains []string
	}{
		{[]string{"91350100M000100Y43"}, 0, []string{"校验通过"}},
		{[]string{"91350100M000100Y43", "91350100M000100Y44"}, 1, []string{"校验通过", "第18位校验码不符：应为 3，实为 4"}},
		{[]string{"91350100M000100Y4Z"}, 1, []string{"不在统一社会信用代码字符集内"}},
		{[]string{"11010519491231002X"}, 1, []string{"居民身份证号码", "110105********002X"}},
		{[]string{"９１３５０１００ｍ０００１００ｙ４３"}, 0, []string{"91350100M000100Y43 校验通过"}},
		{nil, 2, nil},
	}
	for _, tt := range tests {
		code, out, errOut := runCmd(t, nil, append([]string{"check-code"}, tt.args...)...)
		if code != tt.code {
			t.Errorf("check-code %v: exit %d, want %d (stderr %q)", tt.args, code, tt.code, errOut)
		}
		if lines := strings.Count(out, "\n"); lines != len(tt.args) {
			t.Errorf("check-code %v: %d lines, want one per code:\n%s", tt.args, lines, out)
		}
		for _, c := range tt.contains {
			if !strings.Contains(out, c) {
				t.Errorf("check-code %v: output %q lacks %q", tt.args, out, c)
			}
		}
		if strings.Contains(out+errOut, "11010519491231002X") {
			t.Errorf("check-code printed an ID number unmasked")
		}
	}
}

func TestRun_UsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := [][]string{
		{},
		{"frobnicate"},
		{"export"},
		{"export", "--db", "x.db"},
		{"export", "--db", "x.db", "--out", dir, "--as-of", "2026-13-01"},
		{"export", "--db", "mysql://x", "--out", dir},
		{"export", "--nope"},
		{"export", "--db", "x.db", "--out", dir, "extra"},
		{"export", "--db", "x.db", "--out", dir, "--log-format", "xml"},
		{"demo"},
		{"demo", "--db", filepath.Join(dir, "d.db"), "--entries", "0"},
		{"demo", "--db", "postgres://localhost/x"},
		{"rollback", "--data", dir, "A", "B"},
		{"rollback", "A", "--data", dir},
		{"releases", "--data", dir, "A"},
	}
	for _, args := range tests {
		if code, _, stderr := runCmd(t, nil, args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
	if code, _, _ := runCmd(t, nil, "export", "-h"); code != 0 {
		t.Errorf("export -h: exit %d, want 0", code)
	}
	// One release id is an argument, not a usage error: no such release is a failure.
	if code, _, stderr := runCmd(t, nil, "rollback", "--data", dir, "A"); code != 1 {
		t.Errorf("rollback --data DIR A without releases: exit %d, want 1 (stderr %q)", code, stderr)
	}
}

func TestExport_Command(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "exchange.db")
	w, err := exchange.Create(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := fixture.Load(ctx, w, false); err != nil {
		t.Fatal(err)
	}
	w.Close()

	// The database comes from the config file, the as-of date from the flag.
	cfg := filepath.Join(dir, "xinyong.toml")
	os.WriteFile(cfg, []byte("db = \"sqlite:"+dbPath+"\"\nlog_format = \"json\"\n"), 0o644)
	out := filepath.Join(dir, "out")
	code, stdout, stderr := runCmd(t, nil, "export", "--config", cfg, "--out", out, "--as-of", "2026-06-15")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "红榜 8 条，黑名单 11 条") {
		t.Errorf("summary %q does not give the counts", stdout)
	}
	if !strings.HasPrefix(stderr, "{") || !strings.Contains(stderr, `"msg":"export"`) {
		t.Errorf("log is not JSON with an export line: %q", stderr)
	}
	for _, f := range []string{"out/red/E01.md", "out/_index.md", "out-quality/report.json", "out-quality/report.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}

	// The environment overrides the file: a missing database is a failure (1), not a usage error.
	code, _, stderr = runCmd(t, map[string]string{"XINYONG_DB": filepath.Join(dir, "missing.db")},
		"export", "--config", cfg, "--out", filepath.Join(dir, "out2"))
	if code != 1 || !strings.Contains(stderr, "missing.db") {
		t.Errorf("export from a missing database: exit %d, stderr %q; want 1 naming the file", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("export created the missing database")
	}

	// The publication rules come from the config file: other court lists, honours published anyway.
	rules := filepath.Join(dir, "rules.toml")
	os.WriteFile(rules, []byte("db = \"sqlite:"+dbPath+"\"\ncourt_lists = [\"严重违法失信企业名单\"]\npublish_conflicting_honours = true\n"), 0o644)
	code, stdout, stderr = runCmd(t, nil, "export", "--config", rules, "--out", filepath.Join(dir, "rules"), "--as-of", "2026-06-15")
	if code != 0 || !strings.Contains(stdout, "红榜 9 条") {
		t.Fatalf("export with rules: exit %d, stdout %q, want the withheld honour published\n%s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "rules", "black", "E02.md")); !strings.Contains(string(b), "procedure: \"court\"") {
		t.Errorf("black/E02.md: its list configured as a court list, but:\n%s", b)
	}

	// A config file with an unknown key is refused.
	os.WriteFile(cfg, []byte("databse = \"x\"\n"), 0o644)
	if code, _, stderr := runCmd(t, nil, "export", "--config", cfg, "--out", out); code != 2 || !strings.Contains(stderr, "databse") {
		t.Errorf("unknown config key: exit %d, stderr %q; want 2 naming the key", code, stderr)
	}
}

func TestExport_Demo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	code, stdout, stderr := runCmd(t, nil, "export", "--demo", "--db", db, "--out", filepath.Join(dir, "out"))
	if code != 0 {
		t.Fatalf("export --demo: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "红榜") {
		t.Errorf("no summary: %q", stdout)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "out", "black"))
	if len(entries) < 100 {
		t.Errorf("demo export has %d black-list files, want hundreds", len(entries))
	}
	// A second run reuses the database instead of failing on it.
	if code, _, stderr := runCmd(t, nil, "export", "--demo", "--db", db, "--out", filepath.Join(dir, "out")); code != 0 {
		t.Fatalf("second export --demo: exit %d\n%s", code, stderr)
	}
	// demo refuses to overwrite.
	if code, _, stderr := runCmd(t, nil, "demo", "--db", db); code != 1 || !strings.Contains(stderr, "exists") {
		t.Errorf("demo over an existing file: exit %d, stderr %q", code, stderr)
	}
}
