package tree_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"xinyong/internal/tree"
)

func TestSums_RoundTrip(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) []byte {
		w, err := tree.CreateSums(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 1000 {
			sum := sha256.Sum256([]byte(fmt.Sprint(i)))
			w.Add(fmt.Sprintf("d%d/f%d.md", i%7, i), &sum)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := write("a.sums"), write("b.sums")
	if !bytes.Equal(a, b) {
		t.Error("the same files gave different sums files")
	}
	if _, err := os.Stat(filepath.Join(dir, "a.sums.tmp")); !os.IsNotExist(err) {
		t.Errorf("temporary file left (%v)", err)
	}
	s, err := tree.ReadSums(filepath.Join(dir, "a.sums"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 1000 {
		t.Errorf("Len = %d, want 1000", s.Len())
	}
	for i := range 1000 {
		got, ok := s.Lookup(fmt.Sprintf("d%d/f%d.md", i%7, i))
		if want := sha256.Sum256([]byte(fmt.Sprint(i))); !ok || got != want {
			t.Fatalf("Lookup(f%d) = %x, %v", i, got, ok)
		}
		if _, ok := s.Lookup(fmt.Sprintf("d%d/f%d.md", (i+1)%7, i)); ok {
			t.Fatalf("Lookup found a path never added (f%d)", i)
		}
	}
	// Every single-byte change is refused whole.
	for i := 0; i < len(a); i++ {
		bad := bytes.Clone(a)
		bad[i] ^= 0x20
		name := filepath.Join(dir, "bad.sums")
		os.WriteFile(name, bad, 0o644)
		if _, err := tree.ReadSums(name); !errors.Is(err, tree.ErrSums) {
			t.Fatalf("byte %d changed: err %v, want ErrSums", i, err)
		}
		if i > 200 {
			i += 97 // a sample of the rest
		}
	}
}

// TestPut_LinksFromPrevious: a file put with the SHA-256 the previous tree's sums give is linked from it;
// another is written; a previous file whose size no longer matches is not linked; files at the top and in
// a second directory are linked too (each directory is opened once and files linked relative to it), and a
// file whose previous directory has gone is written.
func TestPut_LinksFromPrevious(t *testing.T) {
	root := t.TempDir()
	prev := filepath.Join(root, "prev")
	os.MkdirAll(filepath.Join(prev, "d"), 0o755)
	os.MkdirAll(filepath.Join(prev, "e/f"), 0o755)
	os.MkdirAll(filepath.Join(prev, "gone"), 0o755)
	w, _ := tree.CreateSums(filepath.Join(root, "prev.sums"))
	files := map[string]string{"d/same": "same bytes", "d/other": "new bytes", "d/shrunk": "was longer",
		"top": "top bytes", "e/f/same": "deep bytes", "gone/x": "x bytes"}
	linked := map[string]bool{"d/same": true, "top": true, "e/f/same": true}
	for name, data := range map[string]string{"d/same": "same bytes", "d/other": "old bytes", "d/shrunk": "was longer",
		"top": "top bytes", "e/f/same": "deep bytes", "gone/x": "x bytes"} {
		os.WriteFile(filepath.Join(prev, name), []byte(data), 0o644)
		sum := sha256.Sum256([]byte(data))
		w.Add(name, &sum)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(prev, "d/shrunk"), []byte("short"), 0o644) // changed after its sum was taken
	os.RemoveAll(filepath.Join(prev, "gone"))
	sums, err := tree.ReadSums(filepath.Join(root, "prev.sums"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(root, "new")
	tr, err := tree.New(out)
	if err != nil {
		t.Fatal(err)
	}
	tr.UsePrevious(prev, sums)
	for name, data := range files {
		if err := tr.Reserve(name); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(data))
		if err := tr.Put(name, []byte(data), &sum); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Commit(); err != nil {
		t.Fatal(err)
	}
	if tr.Unchanged != 3 || tr.Written != 6 {
		t.Errorf("Unchanged %d Written %d, want 3 6", tr.Unchanged, tr.Written)
	}
	for name, want := range files {
		got, _ := os.ReadFile(filepath.Join(out, name))
		if string(got) != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
		a, _ := os.Stat(filepath.Join(prev, name))
		b, _ := os.Stat(filepath.Join(out, name))
		if got := a != nil && os.SameFile(a, b); got != linked[name] {
			t.Errorf("%s: linked %v", name, got)
		}
	}
}

// TestSums_PathTwiceAndPrefixes: a sums file naming a path twice is refused; paths that are prefixes of one
// another, or differ in one byte, are told apart.
func TestSums_PathTwiceAndPrefixes(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, paths ...string) string {
		w, err := tree.CreateSums(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			sum := sha256.Sum256([]byte(p))
			w.Add(p, &sum)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, name)
	}
	if _, err := tree.ReadSums(write("twice.sums", "a/b.md", "c.md", "a/b.md")); !errors.Is(err, tree.ErrSums) {
		t.Errorf("a path twice: err %v, want ErrSums", err)
	}
	paths := []string{"a", "a/b", "a/b.md", "a/b.mdx", "a/c.md", "b/b.md"}
	s, err := tree.ReadSums(write("prefixes.sums", paths...))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if got, ok := s.Lookup(p); !ok || got != sha256.Sum256([]byte(p)) {
			t.Errorf("Lookup(%q) = %x, %v", p, got, ok)
		}
	}
	for _, p := range []string{"", "a/", "a/b.m", "a/b.mdxx", "b/b.mD"} {
		if _, ok := s.Lookup(p); ok {
			t.Errorf("Lookup(%q) found a path never added", p)
		}
	}
}

// TestSumTree: the sums of a tree on disk list every regular file, by slash path, with its SHA-256.
func TestSumTree(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"_index.md": "home", "entries/E1.md": "one", "entries/sub/E2.md": "two"}
	for rel, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(t.TempDir(), "content.sums")
	if err := tree.SumTree(dir, name); err != nil {
		t.Fatal(err)
	}
	s, err := tree.ReadSums(name)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != len(files) {
		t.Errorf("%d files summed, want %d", s.Len(), len(files))
	}
	for rel, data := range files {
		if sum, ok := s.Lookup(rel); !ok || sum != sha256.Sum256([]byte(data)) {
			t.Errorf("%s: sum %x (found %v), want the SHA-256 of %q", rel, sum, ok, data)
		}
	}
	if _, ok := s.Lookup("entries"); ok {
		t.Error("a directory was summed")
	}
}
