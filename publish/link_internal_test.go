package publish

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestLinkUnchanged: a file with the previous release's bytes becomes its inode; one with other bytes of the
// same size, another size, or no previous file keeps its own; a file linked already counts, unread.
func TestLinkUnchanged(t *testing.T) {
	prev, next := t.TempDir(), t.TempDir()
	write := func(dir, rel, text string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(prev, "a.html", "same bytes")
	write(next, "a.html", "same bytes")
	write(prev, "b.html", "old bytes!")
	write(next, "b.html", "new bytes!") // same size, other bytes
	write(prev, "c.html", "short")
	write(next, "c.html", "much longer")
	write(prev, "d/e/f.html", "deep")
	write(next, "d/e/f.html", "deep")
	p := write(prev, "g.html", "linked before")
	if err := os.Link(p, filepath.Join(next, "g.html")); err != nil {
		t.Fatal(err)
	}
	write(next, "new/h.html", "only here")
	n, err := linkUnchanged(context.Background(), prev, next)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("linked %d, want 3 (a, d/e/f, g)", n)
	}
	for rel, want := range map[string]bool{"a.html": true, "b.html": false, "c.html": false, "d/e/f.html": true, "g.html": true} {
		pi, err1 := os.Stat(filepath.Join(prev, rel))
		ni, err2 := os.Stat(filepath.Join(next, rel))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if os.SameFile(pi, ni) != want {
			t.Errorf("%s: one inode %v, want %v", rel, !want, want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(next, "b.html")); err != nil || string(b) != "new bytes!" {
		t.Errorf("b.html = %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(next, "new", "h.html")); err != nil {
		t.Error(err)
	}
}
