package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// Tree writes a directory tree that replaces an existing one atomically. Files go into a staging directory
// beside the target; Commit flushes them to disk and swaps the staging directory with the target in one
// rename, so readers see the old tree or the new one and never a mixture. A file whose content equals the
// old tree's is hard-linked rather than written, so unchanged files keep their inode and modification time.
type Tree struct {
	final     string // the target directory
	stage     string // staging directory, a sibling of final
	dirs      map[string]bool
	Written   int // files in the new tree
	Unchanged int // of which linked from the old tree
}

// NewTree starts a new tree that will replace dir.
func NewTree(dir string) (*Tree, error) {
	final, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	if fi, err := os.Stat(final); err == nil && !fi.IsDir() {
		return nil, fmt.Errorf("tree %s: exists and is not a directory", dir)
	}
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	return &Tree{final: final, stage: stage, dirs: map[string]bool{".": true}}, nil
}

// Exists reports whether rel has been written to the new tree.
func (t *Tree) Exists(rel string) bool {
	_, err := os.Lstat(filepath.Join(t.stage, rel))
	return err == nil
}

// Path returns the path of rel in the staging directory, for writers that stream a file themselves.
func (t *Tree) Path(rel string) string {
	return filepath.Join(t.stage, filepath.FromSlash(rel))
}

// Write writes one file of the new tree. rel is a slash-separated path below the tree.
func (t *Tree) Write(rel string, data []byte) error {
	if !fs.ValidPath(rel) || strings.Contains(rel, "\\") {
		return fmt.Errorf("write %q: not a relative path inside the tree", rel)
	}
	dst := filepath.Join(t.stage, filepath.FromSlash(rel))
	if dir := filepath.Dir(rel); !t.dirs[dir] {
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
		t.dirs[dir] = true
	}
	t.Written++
	old := filepath.Join(t.final, filepath.FromSlash(rel))
	if same(old, data) {
		if err := os.Link(old, dst); err == nil {
			t.Unchanged++
			return nil
		}
		// Linking can fail across file systems or on link-count limits; writing is always right.
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// same reports whether the regular file at path holds exactly data.
func same(path string, data []byte) bool {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false
	}
	old, err := os.ReadFile(path)
	return err == nil && bytes.Equal(old, data)
}

// Commit makes the new tree the target. The previous tree, if any, is removed afterwards.
func (t *Tree) Commit() error {
	if t.stage == "" {
		return errors.New("tree: already committed or aborted")
	}
	if err := syncFS(t.stage); err != nil {
		return fmt.Errorf("commit %s: %w", t.final, err)
	}
	_, statErr := os.Lstat(t.final)
	switch {
	case os.IsNotExist(statErr):
		if err := os.Rename(t.stage, t.final); err != nil {
			return fmt.Errorf("commit %s: %w", t.final, err)
		}
		t.stage = ""
	case statErr != nil:
		return fmt.Errorf("commit %s: %w", t.final, statErr)
	default:
		// Swap the two directories in one step; the old tree is then at the staging path.
		err := unix.Renameat2(unix.AT_FDCWD, t.stage, unix.AT_FDCWD, t.final, unix.RENAME_EXCHANGE)
		if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) {
			// A file system without RENAME_EXCHANGE: two renames, leaving a moment without a target.
			err = t.swapByRenames()
		}
		if err != nil {
			return fmt.Errorf("commit %s: swap: %w", t.final, err)
		}
	}
	if err := syncDir(filepath.Dir(t.final)); err != nil {
		return fmt.Errorf("commit %s: %w", t.final, err)
	}
	if t.stage != "" {
		old := t.stage
		t.stage = ""
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("commit %s: remove previous tree: %w", t.final, err)
		}
	}
	t.stage = ""
	return nil
}

func (t *Tree) swapByRenames() error {
	old := t.stage + ".old"
	if err := os.Rename(t.final, old); err != nil {
		return err
	}
	if err := os.Rename(t.stage, t.final); err != nil {
		os.Rename(old, t.final)
		return err
	}
	t.stage = old
	return nil
}

// Abort removes the staging directory; the target is untouched. It is a no-op after Commit.
func (t *Tree) Abort() {
	if t.stage != "" {
		os.RemoveAll(t.stage)
		t.stage = ""
	}
}

// syncFS flushes the file system holding dir: one call instead of an fsync per file.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
