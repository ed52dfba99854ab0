package tree_test

import (
	"os"
	"path/filepath"
	"testing"

	"xinyong/internal/tree"
)

// TestMapFile: a file's bytes as mapped, an empty file as an empty slice, and errors for a missing file
// and a directory.
func TestMapFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	want := []byte("盘锦 mapped bytes\n")
	if err := os.WriteFile(name, want, 0o644); err != nil {
		t.Fatal(err)
	}
	b, fi, err := tree.MapFile(name)
	if err != nil || string(b) != string(want) || fi.Size() != int64(len(want)) {
		t.Fatalf("MapFile: %q, %v, %v", b, fi, err)
	}
	tree.Unmap(b)

	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, _, err := tree.MapFile(empty); err != nil || b == nil || len(b) != 0 {
		t.Errorf("an empty file: %q (nil %v), %v", b, b == nil, err)
	}
	if _, _, err := tree.MapFile(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("a missing file: %v", err)
	}
	if _, _, err := tree.MapFile(dir); err == nil {
		t.Error("a directory was mapped")
	}
	tree.Unmap(nil)
}
