// Package tree writes directory trees that replace the previous version atomically, and has the small file
// utilities the stages share (hashing, linking, syncing).
package tree

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Tree writes a directory tree that replaces an existing one atomically. Files go into a staging directory
// beside the target; Commit flushes them to disk and swaps the staging directory with the target in one
// rename, so readers see the old tree or the new one and never a mixture. A file whose content equals the
// old tree's is hard-linked rather than written, so unchanged files keep their inode and modification time.
//
// Creating a file costs a system call that waits on the file system, so a few goroutines write in
// parallel; Write only queues. Memory stays bounded: the queue is short and the tree itself, not a set in
// memory, answers Exists.
type Tree struct {
	final string // the target directory
	stage string // staging directory, a sibling of final
	old   bool   // whether final exists, so unchanged files can be linked from it
	dirs  map[string]bool

	jobs    chan treeJob
	wg      sync.WaitGroup
	mu      sync.Mutex
	pending map[string]int // queued but not yet written, by path
	err     error          // the first write error
	written bloom          // every path written, approximately: most Exists calls need no system call

	Written   int // files in the new tree
	Unchanged int // of which linked from the old tree
	unchanged atomic.Int64
}

type treeJob struct {
	rel  string
	data []byte
}

const treeWriters = 4

// New starts a new tree that will replace dir.
func New(dir string) (*Tree, error) {
	final, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	// Whether a previous tree exists decides whether unchanged files are linked from it; a target that
	// cannot be examined (a symbolic-link loop, no search permission) is an error, not "absent".
	fi, err := os.Stat(final)
	switch {
	case err == nil && !fi.IsDir():
		return nil, fmt.Errorf("tree %s: exists and is not a directory", dir)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	old := err == nil
	stage, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".tmp-")
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	if err := os.Chmod(stage, 0o755); err != nil {
		os.Remove(stage)
		return nil, fmt.Errorf("tree %s: %w", dir, err)
	}
	t := &Tree{final: final, stage: stage, old: old, dirs: map[string]bool{".": true},
		jobs: make(chan treeJob, 64), pending: map[string]int{}}
	for range treeWriters {
		t.wg.Add(1)
		go t.writer()
	}
	return t, nil
}

// Exists reports whether rel has been written to the new tree (or is queued to be).
func (t *Tree) Exists(rel string) bool {
	if !t.written.mayContain(rel) {
		return false
	}
	t.mu.Lock()
	queued := t.pending[rel] > 0
	t.mu.Unlock()
	if queued {
		return true
	}
	_, err := os.Lstat(t.Path(rel))
	return err == nil
}

// Path returns the path of rel in the staging directory, for writers that stream a file themselves.
func (t *Tree) Path(rel string) string {
	return filepath.Join(t.stage, filepath.FromSlash(rel))
}

// Write queues one file of the new tree. rel is a slash-separated path below the tree. An error in
// writing is returned by a later Write or by Commit.
func (t *Tree) Write(rel string, data []byte) error {
	if !fs.ValidPath(rel) || strings.Contains(rel, "\\") {
		return fmt.Errorf("write %q: not a relative path inside the tree", rel)
	}
	if err := t.firstErr(); err != nil {
		return err
	}
	if dir := path.Dir(rel); !t.dirs[dir] {
		if err := os.MkdirAll(t.Path(dir), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", rel, err)
		}
		t.dirs[dir] = true
	}
	t.Written++
	t.written.add(rel)
	t.mu.Lock()
	t.pending[rel]++
	t.mu.Unlock()
	t.jobs <- treeJob{rel, data}
	return nil
}

func (t *Tree) firstErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

func (t *Tree) writer() {
	defer t.wg.Done()
	for j := range t.jobs {
		err := t.writeFile(j.rel, j.data)
		t.mu.Lock()
		if err != nil && t.err == nil {
			t.err = err
		}
		if t.pending[j.rel]--; t.pending[j.rel] == 0 {
			delete(t.pending, j.rel)
		}
		t.mu.Unlock()
	}
}

func (t *Tree) writeFile(rel string, data []byte) error {
	dst := t.Path(rel)
	old := filepath.Join(t.final, filepath.FromSlash(rel))
	if t.old && same(old, data) {
		if err := os.Link(old, dst); err == nil {
			t.unchanged.Add(1)
			return nil
		}
		// Linking can fail across file systems or on link-count limits; writing is always right.
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// wait stops the writers and returns the first write error.
func (t *Tree) wait() error {
	if t.jobs != nil {
		close(t.jobs)
		t.wg.Wait()
		t.jobs = nil
		t.Unchanged = int(t.unchanged.Load())
	}
	return t.firstErr()
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
	if err := t.wait(); err != nil {
		return fmt.Errorf("commit %s: %w", t.final, err)
	}
	if err := SyncFS(t.stage); err != nil {
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
	if err := SyncDir(filepath.Dir(t.final)); err != nil {
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
	t.wait()
	if t.stage != "" {
		os.RemoveAll(t.stage)
		t.stage = ""
	}
}

// SyncFS flushes the file system holding dir: one call instead of an fsync per file.
func SyncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Syncfs(int(f.Fd()))
}

// SyncDir flushes a directory's entries (a rename or a new link in it) to disk.
func SyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// bloom is a fixed-size Bloom filter of strings. A file-system lookup in a directory that other goroutines
// are filling waits for their creates; the filter answers "certainly not written" for nearly every path
// without one, and its size does not grow with the tree (4 MiB: under 0.3% false positives at 2 million
// paths, each of which costs only the exact lookup).
type bloom struct{ bits []uint64 }

const bloomBits = 1 << 25

func (b *bloom) positions(s string) [4]uint32 {
	h := fnv.New64a()
	h.Write([]byte(s))
	x := h.Sum64()
	lo, hi := uint32(x), uint32(x>>32)
	var p [4]uint32
	for i := range p {
		p[i] = (lo + uint32(i)*hi) % bloomBits
	}
	return p
}

func (b *bloom) add(s string) {
	if b.bits == nil {
		b.bits = make([]uint64, bloomBits/64)
	}
	for _, p := range b.positions(s) {
		b.bits[p/64] |= 1 << (p % 64)
	}
}

func (b *bloom) mayContain(s string) bool {
	if b.bits == nil {
		return false
	}
	for _, p := range b.positions(s) {
		if b.bits[p/64]&(1<<(p%64)) == 0 {
			return false
		}
	}
	return true
}
