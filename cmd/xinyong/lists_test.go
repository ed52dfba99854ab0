package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExport_ListDescriptionsConfig: list_descriptions in the configuration file names a file whose
// description of a list name replaces the default one in the export; a broken file is a usage error before
// anything is written.
func TestExport_ListDescriptionsConfig(t *testing.T) {
	db := fixtureDB(t)
	dir := t.TempDir()
	lists := filepath.Join(dir, "lists.toml")
	if err := os.WriteFile(lists, []byte("[[lists]]\nname = \"失信被执行人\"\nlist = \"black\"\nwhat = \"本市配置的说明。\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "xinyong.toml")
	if err := os.WriteFile(cfg, []byte("list_descriptions = \""+lists+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	content := filepath.Join(dir, "content")
	code, _, stderr := runCmd(t, nil, "export", "--config", cfg, "--db", db, "--out", content, "--report",
		filepath.Join(dir, "quality"), "--as-of", "2026-06-15")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(content, "list_names", "失信被执行人", "_index.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "\nwhat: \"本市配置的说明。\"\n") {
		t.Errorf("the configured description is not the page's:\n%s", page)
	}

	if err := os.WriteFile(lists, []byte("[[lists]]\nname = \"失信被执行人\"\nlist = \"grey\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "content2")
	code, _, stderr = runCmd(t, nil, "export", "--config", cfg, "--db", db, "--out", out, "--as-of", "2026-06-15")
	if code != 2 || !strings.Contains(stderr, "list_descriptions") {
		t.Errorf("a broken descriptions file: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("written despite the broken file: %v", err)
	}
}
