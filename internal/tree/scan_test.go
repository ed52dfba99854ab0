package tree_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"xinyong/internal/tree"
)

// TestScan: every directory is visited once, with exactly its regular files, their sizes and link counts,
// and a descriptor that stats relative to it; a directory larger than one getdents buffer comes whole;
// symbolic links are neither files nor followed.
func TestScan(t *testing.T) {
	root := t.TempDir()
	want := map[string]tree.File{} // by slash path
	write := func(rel string, size int) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
		want[rel] = tree.File{Name: filepath.Base(p), Size: int64(size), Nlink: 1}
	}
	// 3,000 long names: some 600 KB of entries, many getdents calls.
	for i := range 3000 {
		write(fmt.Sprintf("big/%0200d", i), i%17)
	}
	for i := range 50 {
		write(fmt.Sprintf("d%d/e%d/f%d.html", i%5, i%3, i), i)
	}
	write("top.txt", 3)
	if err := os.Link(filepath.Join(root, "top.txt"), filepath.Join(root, "d1", "linked.txt")); err != nil {
		t.Fatal(err)
	}
	want["d1/linked.txt"] = tree.File{Name: "linked.txt", Size: 3, Nlink: 2}
	f := want["top.txt"]
	f.Nlink = 2
	want["top.txt"] = f
	if err := os.Symlink(filepath.Join(root, "d2"), filepath.Join(root, "d3", "sym")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("top.txt", filepath.Join(root, "symfile")); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "empty", "deeper"), 0o755)

	var mu sync.Mutex
	got := map[string]tree.File{}
	dirs := map[string]int{}
	err := tree.Scan(root, func(dir string, fd int, files []tree.File) error {
		rel, _ := filepath.Rel(root, dir)
		mu.Lock()
		defer mu.Unlock()
		dirs[filepath.ToSlash(rel)]++
		for _, f := range files {
			var st unix.Stat_t
			if err := unix.Fstatat(fd, f.Name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil || st.Size != f.Size {
				t.Errorf("%s/%s: fstatat on the descriptor: %v, size %d, want %d", rel, f.Name, err, st.Size, f.Size)
			}
			got[filepath.ToSlash(filepath.Join(rel, f.Name))] = f
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for rel, w := range want {
		if got[rel] != w {
			t.Errorf("%s: %+v, want %+v", rel, got[rel], w)
		}
	}
	for _, d := range []string{".", "big", "d0", "d0/e0", "d4/e2", "d3", "empty", "empty/deeper"} {
		if dirs[d] != 1 {
			t.Errorf("directory %s visited %d times, want once", d, dirs[d])
		}
	}
	if dirs["d3/sym"] != 0 {
		t.Error("a symbolic link to a directory was followed")
	}
	if err := tree.Scan(filepath.Join(root, "missing"), func(string, int, []tree.File) error { return nil }); err == nil {
		t.Error("Scan of a missing directory: no error")
	}
	stop := fmt.Errorf("stop")
	if err := tree.Scan(root, func(string, int, []tree.File) error { return stop }); err != stop {
		t.Errorf("Scan returned %v, want fn's error", err)
	}
}
