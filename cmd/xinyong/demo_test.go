package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"xinyong"
	"xinyong/exchange"
	"xinyong/internal/fixture"
)

// TestDemo_MarkedThroughBuild: `xinyong demo` makes a database that `xinyong export` publishes as demo
// data, and `xinyong build` builds it under the demo's reserved address unless a base URL is configured
// (flag, environment or config file), which wins.
func TestDemo_MarkedThroughBuild(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if code, _, stderr := runCmd(t, nil, "demo", "--db", db, "--entries", "60", "--as-of", "2026-06-15"); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, stderr)
	}
	content := filepath.Join(dir, "content")
	code, _, stderr := runCmd(t, nil, "export", "--db", db, "--out", content, "--as-of", "2026-06-15")
	if code != 0 {
		t.Fatalf("export: exit %d\n%s", code, stderr)
	}
	if home, _ := os.ReadFile(filepath.Join(content, "_index.md")); !strings.Contains(string(home), "\ndemo: true\n") {
		t.Errorf("the export's home page does not say demo: true:\n%s", home)
	}
	if !strings.Contains(stderr, "demo=true") {
		t.Errorf("the export's log line does not say demo=true: %s", stderr)
	}

	cfg := filepath.Join(dir, "xinyong.toml")
	os.WriteFile(cfg, []byte("base_url = \"https://config.example.org/\"\n"), 0o644)
	canonical := regexp.MustCompile(`<link rel="canonical" href="([^"]*)"`)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no base URL", nil, nil, xinyong.DemoBaseURL},
		{"--base-url", nil, []string{"--base-url", "https://flag.example.org/"}, "https://flag.example.org/"},
		{"XINYONG_BASE_URL", map[string]string{"XINYONG_BASE_URL": "https://env.example.org/"}, nil, "https://env.example.org/"},
		{"config base_url", nil, []string{"--config", cfg}, "https://config.example.org/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "site")
			args := append([]string{"build", "--content", content, "--out", out}, tt.args...)
			if code, _, stderr := runCmd(t, tt.env, args...); code != 0 {
				t.Fatalf("build: exit %d\n%s", code, stderr)
			}
			home, err := os.ReadFile(filepath.Join(out, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if c := canonical.FindSubmatch(home); c == nil || string(c[1]) != tt.want {
				t.Errorf("canonical URL %q, want %s", c, tt.want)
			}
			if !strings.Contains(string(home), `class="demo-notice"`) {
				t.Error("the home page has no demo notice")
			}
		})
	}
}

// TestEnsureDemo_RefusesUnmarked: --demo reuses an existing demo database only when it is marked as demo
// data; an unmarked one (made before demos were marked, or a real database) is refused, not published as
// real data.
func TestEnsureDemo_RefusesUnmarked(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	unmarked := filepath.Join(dir, "old-demo.db")
	w, err := exchange.Create(ctx, unmarked)
	if err != nil {
		t.Fatal(err)
	}
	if err := fixture.Load(ctx, w, false); err != nil {
		t.Fatal(err)
	}
	w.Close()
	code, _, stderr := runCmd(t, nil, "export", "--demo", "--db", unmarked, "--out", filepath.Join(dir, "out"))
	if code != 1 || !strings.Contains(stderr, "not marked as demo data") {
		t.Errorf("export --demo on an unmarked database: exit %d, stderr %q; want 1 and why", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("export --demo on an unmarked database wrote the tree (%v)", err)
	}
}
