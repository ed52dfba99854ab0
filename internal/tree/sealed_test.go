package tree_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"xinyong/internal/tree"
)

// TestSealedWriter: a closed file is what was written followed by its SHA-256, and only then at its name;
// an aborted one leaves nothing, and a file already at the name stays.
func TestSealedWriter(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	w, err := tree.CreateSealed(name, 16)
	if err != nil {
		t.Fatal(err)
	}
	w.WriteString("信用盘锦 ")
	w.Write([]byte("rows and pages, longer than the buffer"))
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the file is at its name before Close: %v", err)
	}
	want := "信用盘锦 rows and pages, longer than the buffer"
	if w.Len() != int64(len(want)) {
		t.Errorf("Len %d, want %d", w.Len(), len(want))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(want))
	if got, _ := os.ReadFile(name); string(got) != want+string(sum[:]) {
		t.Errorf("sealed file %q", got)
	}

	a, err := tree.CreateSealed(name, 16)
	if err != nil {
		t.Fatal(err)
	}
	a.WriteString("never published")
	a.Abort()
	if got, _ := os.ReadFile(name); string(got) != want+string(sum[:]) {
		t.Errorf("an aborted writer changed the file: %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files left, want 1", len(entries))
	}
}
