package tree_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"xinyong/internal/tree"
)

func TestTree_ExistsAndCommit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tree")
	tr, err := tree.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	for i := range n {
		if err := tr.Write(fmt.Sprintf("d%d/f%d.md", i%7, i), []byte(fmt.Sprint(i))); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		if !tr.Exists(fmt.Sprintf("d%d/f%d.md", i%7, i)) {
			t.Fatalf("Exists(f%d) = false after Write", i)
		}
		if tr.Exists(fmt.Sprintf("d%d/f%d.md", (i+1)%7, i)) {
			t.Fatalf("Exists reports a file never written (f%d in the wrong directory)", i)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("target exists before Commit (err %v)", err)
	}
	if err := tr.Commit(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "d6/f1000.md"))
	if err != nil || string(b) != "1000" {
		t.Fatalf("d3/f1000.md = %q, %v", b, err)
	}
	if tr.Written != n || tr.Unchanged != 0 {
		t.Errorf("Written %d Unchanged %d, want %d 0", tr.Written, tr.Unchanged, n)
	}

	for _, bad := range []string{"../x", "/abs", "a/../../x", "a\\b", ""} {
		tr2, _ := tree.New(dir)
		if err := tr2.Write(bad, nil); err == nil {
			t.Errorf("Write(%q) accepted a path outside the tree", bad)
		}
		tr2.Abort()
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".tree.tmp-*")); len(leftovers) > 0 {
		t.Errorf("Abort left %v", leftovers)
	}
}

func TestNew_target(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(t *testing.T, dir string)
		wantError bool
	}{
		{"fresh", func(t *testing.T, dir string) {}, false},
		{"existing directory", func(t *testing.T, dir string) {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"regular file", func(t *testing.T, dir string) {
			if err := os.WriteFile(dir, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"symbolic-link loop", func(t *testing.T, dir string) {
			if err := os.Symlink(filepath.Base(dir), dir); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "tree")
			tt.setup(t, dir)
			tr, err := tree.New(dir)
			if err == nil {
				t.Cleanup(tr.Abort)
			}
			if got := err != nil; got != tt.wantError {
				t.Errorf("New: error %v, want error %v", err, tt.wantError)
			}
		})
	}
}

// TestTree_rerun checks that a second export of the same content links every file from the first.
func TestTree_rerun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tree")
	for run, wantUnchanged := range []int{0, 2} {
		tr, err := tree.New(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range []string{"a.md", "d/b.md"} {
			if err := tr.Write(rel, []byte(rel)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Commit(); err != nil {
			t.Fatal(err)
		}
		if tr.Unchanged != wantUnchanged {
			t.Errorf("run %d: Unchanged = %d, want %d", run, tr.Unchanged, wantUnchanged)
		}
	}
}

func TestSize_CountsEveryRegularFile(t *testing.T) {
	dir := t.TempDir()
	var want int64
	for i := range 300 {
		sub := filepath.Join(dir, fmt.Sprintf("d%d", i%7), fmt.Sprintf("e%d", i%13))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		b := bytes.Repeat([]byte("x"), i)
		if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%d", i)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		want += int64(i)
	}
	// A hard link counts again; a symbolic link does not.
	if err := os.Link(filepath.Join(dir, "d1", "e1", "f1"), filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	want++
	if err := os.Symlink(filepath.Join(dir, "d2"), filepath.Join(dir, "sym")); err != nil {
		t.Fatal(err)
	}
	got, err := tree.Size(dir)
	if err != nil || got != want {
		t.Fatalf("Size = %d, %v; want %d", got, err, want)
	}
	if _, err := tree.Size(filepath.Join(dir, "missing")); err == nil {
		t.Error("Size of a missing directory: no error")
	}
}
