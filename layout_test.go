package xinyong_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLayout_READMETableNamesEveryPackage: the README's layout table is where a newcomer learns what each
// folder is for; a package missing from it, or a row naming a folder that is gone, fails.
func TestLayout_READMETableNamesEveryPackage(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "## Layout")
	if !ok {
		t.Fatal("README.md has no Layout section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	rows := map[string]bool{}
	for _, line := range strings.Split(table, "\n") {
		first, _, _ := strings.Cut(strings.TrimPrefix(line, "| "), " |")
		for _, cell := range strings.Split(first, ", ") {
			if p := strings.Trim(cell, "`"); strings.HasSuffix(p, "/") {
				rows[strings.TrimSuffix(p, "/")] = true
			}
		}
	}
	packages := map[string]bool{}
	filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") && filepath.Dir(path) != "." {
			packages[filepath.ToSlash(filepath.Dir(path))] = true
		}
		return nil
	})
	named := func(p string) bool { // the folder, its parent, or what it embeds (content/pages/)
		for r := range rows {
			if r == p || r == filepath.Dir(p) || strings.HasPrefix(r, p+"/") {
				return true
			}
		}
		return false
	}
	for p := range packages {
		if !named(p) {
			t.Errorf("package %s/ has no row in README.md's layout table", p)
		}
	}
	for r := range rows {
		if fi, err := os.Stat(r); err != nil || !fi.IsDir() {
			t.Errorf("README.md's layout table names %s/, which is not a directory", r)
		}
	}
	if len(packages) < 10 {
		t.Errorf("found %d packages: %v", len(packages), packages)
	}
}
