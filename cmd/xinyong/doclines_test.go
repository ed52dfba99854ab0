package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"xinyong"
)

// documentedFlags returns, for each command, the flags that the command lines of README.md and docs/*.md
// use: `xinyong COMMAND ...` in back quotes (tables, text) and lines of code blocks running xinyong.
func documentedFlags(t *testing.T) map[string]map[string]bool {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	files = append(files, filepath.Join("..", "..", "README.md"))
	quoted := regexp.MustCompile("`((?:[^` ]*/)?xinyong [^`]+)`")
	invocation := regexp.MustCompile(`(?:^|[\s/])xinyong ([a-z-]+)((?: [^#>|]*)?)`)
	flagRE := regexp.MustCompile(`(?:^|[\s\[])(--?[a-z][a-z-]*)`)
	docs := map[string]map[string]bool{}
	add := func(line string) {
		for _, m := range invocation.FindAllStringSubmatch(line, -1) {
			if _, ok := command(m[1]); !ok {
				continue // prose: "xinyong reads four relations"
			}
			if docs[m[1]] == nil {
				docs[m[1]] = map[string]bool{}
			}
			for _, f := range flagRE.FindAllStringSubmatch(m[2], -1) {
				docs[m[1]][f[1]] = true
			}
		}
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		block := false
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "```") {
				block = !block
				continue
			}
			if block {
				add(line)
				continue
			}
			for _, m := range quoted.FindAllStringSubmatch(line, -1) {
				add(m[1])
			}
		}
	}
	if !docs["serve"]["--max-conns-per-ip"] || !docs["status"]["-n"] || !docs["build"]["--template-metrics"] {
		t.Fatalf("the flags of the documented command lines were not all found: %v", docs)
	}
	if len(docs) < 8 {
		t.Fatalf("found command lines of %d commands in the docs: %v", len(docs), docs)
	}
	return docs
}

// TestDocumentedCommandLines runs the command lines README.md, docs/*.md and docs/CONTRACT.md document,
// with test values for their placeholders, and checks the exit status each must give; each documented
// flag of each command is used by at least one line. serve and schedule would run for ever: their lines
// are run with --help, or with a usage error. releases and rollback are TestRollback_CommandLines'.
func TestDocumentedCommandLines(t *testing.T) {
	dir := t.TempDir()
	db := fixtureDB(t)
	data := filepath.Join(dir, "data")
	preview := filepath.Join(dir, "preview-content")
	cfg := filepath.Join(dir, "xinyong.toml")
	if err := os.WriteFile(cfg, []byte("db = \""+db+"\"\ndata = \""+data+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	p := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		doc  string // where the line is documented
		args []string
		code int
	}{
		{"README.md", []string{"demo", "--db", p("demo.db")}, 0},
		{"README.md", []string{"demo", "--db", p("demo2.db"), "--entries", "30", "--seed", "3", "--as-of", "2026-06-15"}, 0},
		{"benchmarks.md", []string{"demo", "--entries", "1000000"}, 2}, // no --db
		{"README.md", []string{"export", "--db", db, "--out", p("content"), "--report", p("report"), "--as-of", "2026-06-15"}, 0},
		{"README.md", []string{"export", "--db", p("demo.db"), "--out", p("demo-content"), "--demo"}, 0},
		{"README.md", []string{"export", "--db", db, "--out", p("x"), "--demo"}, 1}, // not marked as demo data
		{"publish.md", []string{"export", "--db", db, "--as-of", "2026-07-01", "--out", preview}, 0},
		{"publish.md", []string{"build", "--content", preview, "--out", p("preview-site")}, 0},
		{"README.md", []string{"build", "--content", preview, "--out", p("site"), "--base-url", "https://xinyong.example.org/",
			"--template-metrics", "--theme", filepath.Join("..", "..", "themes", "xinyong")}, 0},
		{"README.md", []string{"build", "--content", preview, "--out", p("site"), "--theme", missing}, 1},
		{"benchmarks.md", []string{"build", "--json", "--content", preview, "--out", p("rows-site"), "--rows", p("rows-site.rows")}, 0},
		// Without the publication's line on its input (here none) a build started with --wait-ready stops.
		{"benchmarks.md", []string{"build", "--wait-ready", "--content", preview, "--out", p("waiting-site")}, 1},
		{"CONTRACT.md", []string{"run", "--db", db, "--data", data, "--as-of", "2026-06-15"}, 0},
		{"publish.md", []string{"run", "--db", db, "--data", data, "--base-url", "https://xinyong.example.org/", "--force"}, 0},
		{"CONTRACT.md", []string{"run", "--db", db, "--data", data, "--as-of", "2026-06-16"}, 1}, // after today
		{"publish.md", []string{"run", "--db", db, "--data", data, "--theme", missing}, 1},
		{"README.md", []string{"run", "--db", db, "--data", data, "--demo"}, 1}, // not marked as demo data
		{"deploy.md", []string{"run", "--config", cfg}, 0},
		{"CONTRACT.md", []string{"run"}, 2}, // no --db
		{"README.md", []string{"serve", "--addr", "127.0.0.1:8080", "--data", data, "--schedule", "--db", db, "--demo", "--help"}, 0},
		{"serve.md", []string{"serve", "--data", data, "--max-conns", "0"}, 2},
		{"serve.md", []string{"serve", "--data", data, "--max-conns-per-ip", "-2"}, 2},
		{"CONTRACT.md", []string{"serve", "--data", data, "--schedule"}, 2}, // no --db
		{"deploy.md", []string{"serve", "--config", cfg, "--addr", "127.0.0.1:8080", "--schedule", "--client-ip-header", "X-Real-IP", "--help"}, 0},
		{"README.md", []string{"schedule", "--db", db, "--data", data, "--help"}, 0},
		{"CONTRACT.md", []string{"schedule"}, 2}, // no --db
		{"config.md", []string{"schedule", "--db", db, "--data", data, "--schedule-spec", "every night"}, 2},
		{"README.md", []string{"status", "--data", data}, 0},
		{"publish.md", []string{"status", "--data", data, "--json", "-n", "5"}, 0},
		{"publish.md", []string{"status", "--data", data, "-n", "0"}, 2},
		{"doctor.md", []string{"doctor", "--db", db, "--data", data, "--config", cfg, "--format", "json", "--sample", "10"}, 0},
		{"doctor.md", []string{"doctor", "--db", "postgres://xinyong@127.0.0.1:1/credit", "--data", data}, 1},
		{"doctor.md", []string{"doctor", "--db", db, "--format", "xml"}, 2},
		{"timeliness.md", []string{"timeliness", "--db", db, "--as-of", "2026-06-15"}, 0},
		{"timeliness.md", []string{"timeliness", "--db", db, "--data", data, "--from", "2026-01-01", "--to", "2026-06-30", "--json"}, 0},
		{"timeliness.md", []string{"timeliness", "--config", cfg, "--takedown-days", "5"}, 0},
		{"timeliness.md", []string{"timeliness", "--db", db, "--takedown-days", "0"}, 2},
		{"CONTRACT.md", []string{"timeliness"}, 2}, // no --db
		// The home page of the current release, as served: the log recorded it.
		{"archive.md", []string{"verify", "--data", data, filepath.Join(data, "current", "site", "index.html")}, 0},
		{"archive.md", []string{"verify", "--data", data, "--json", filepath.Join(data, "current", "site", "index.html"), cfg}, 1}, // cfg never published
		{"archive.md", []string{"verify", "--url", "https://credit.example.invalid/", "--vkey", "@" + missing, cfg}, 2},
		{"README.md", []string{"verify", "--data", data, "--url", "https://credit.example.invalid/", cfg}, 2},
		{"README.md", []string{"verify", "--data", data, "--tsa-roots", missing, cfg}, 2},
		{"CONTRACT.md", []string{"verify"}, 2}, // no file
		{"archive.md", []string{"log-key", "--out", p("log.key")}, 0},
		{"README.md", []string{"log-key", "--origin", "credit.panjin.gov.cn/log", "--out", p("log.key"), "--force"}, 0},
		{"archive.md", []string{"log-key", "--data", data, "--out", filepath.Join(data, "log", "log.key")}, 2},
		{"README.md", []string{"check-code", "91350100M000100Y43"}, 0},
		{"README.md", []string{"check-code", "91350100M000100Y44"}, 1},
		{"CONTRACT.md", []string{"check-code"}, 2},
		{"README.md", []string{"--version"}, 0},
		{"README.md", []string{"version"}, 0},
		{"README.md", []string{"--help"}, 0},
		{"CONTRACT.md", []string{}, 2},
	}
	used := map[string]map[string]bool{}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, nil, tt.args...)
		if code != tt.code {
			t.Errorf("%s: xinyong %s: exit %d, want %d\nstdout %s\nstderr %s", tt.doc, strings.Join(tt.args, " "), code, tt.code, stdout, stderr)
		}
		if len(tt.args) == 0 {
			continue
		}
		if tt.args[len(tt.args)-1] == "--help" && (!hasHan(stdout) || !strings.Contains(stdout, "例：xinyong ")) {
			t.Errorf("%s: xinyong %s: the help is not Chinese with an example:\n%s", tt.doc, strings.Join(tt.args, " "), stdout)
		}
		if used[tt.args[0]] == nil {
			used[tt.args[0]] = map[string]bool{}
		}
		for _, a := range tt.args[1:] {
			if strings.HasPrefix(a, "-") {
				used[tt.args[0]][a] = true
			}
		}
	}
	for cmd, flags := range documentedFlags(t) {
		if cmd == "releases" || cmd == "rollback" {
			continue // TestRollback_CommandLines
		}
		if used[cmd] == nil {
			t.Errorf("xinyong %s is documented but no line of this test runs it", cmd)
		}
		for f := range flags {
			if !used[cmd][f] {
				t.Errorf("xinyong %s %s is documented but no line of this test uses it", cmd, f)
			}
		}
	}
	for _, c := range xinyong.Commands {
		if _, ok := used[c.Name]; !ok && c.Name != "releases" && c.Name != "rollback" {
			t.Errorf("xinyong %s: no line of this test runs it", c.Name)
		}
	}
}
