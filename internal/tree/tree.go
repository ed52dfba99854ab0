// Package tree writes directory trees that replace the previous version atomically, and has the small file
// utilities the stages share (hashing, linking, syncing).
package tree

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
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

	prev     string // a previous tree to link unchanged files from (UsePrevious)
	prevSums *Sums  // the sums of prev's files
	// dirFDs holds a descriptor of each directory of the previous tree and of the staging directory that
	// a file was linked into, by kind and slash path: linking and checking a file relative to them spares
	// the kernel walking the whole path twice for each of the 100,000 unchanged files of a busy night.
	dirMu  sync.Mutex
	dirFDs map[dirKey]int

	Written   int   // files in the new tree
	Unchanged int   // of which linked from the old tree
	Bytes     int64 // the size of its files, linked or written (after Commit or Abort)
	unchanged atomic.Int64
	bytes     atomic.Int64
}

type dirKey struct {
	prev bool // a directory of the previous tree, not of the staging directory
	dir  string
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
	if err := t.Reserve(rel); err != nil {
		return err
	}
	t.jobs <- treeJob{rel, data}
	return nil
}

// Reserve announces a file of the new tree that the caller will write with Put, from any goroutine:
// from now on Exists reports it and Written counts it. A caller that renders files on its own goroutines
// reserves each path in its fixed order and puts the bytes when they are ready.
func (t *Tree) Reserve(rel string) error {
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
	return nil
}

// Put writes the file rel, reserved before, with data, on the calling goroutine; sum, when not nil, is
// the SHA-256 of data, with which a file of the previous tree (UsePrevious) is found unchanged without
// being read. The error is also returned by Commit.
func (t *Tree) Put(rel string, data []byte, sum *[sha256.Size]byte) error {
	err := t.writeFile(rel, data, sum)
	t.mu.Lock()
	if err != nil && t.err == nil {
		t.err = err
	}
	if t.pending[rel]--; t.pending[rel] == 0 {
		delete(t.pending, rel)
	}
	t.mu.Unlock()
	return err
}

// UsePrevious names a previous tree that is not the target, with the sums of its files (ReadSums): a file
// put with the SHA-256 that sums gives for its path is hard-linked from dir instead of written, so that it
// keeps its inode and costs no new blocks, and the previous file is not read. Files of dir must never be
// written after sums was (a published release's are not). Call it before the first Put.
func (t *Tree) UsePrevious(dir string, sums *Sums) {
	t.prev, t.prevSums = dir, sums
}

// Err returns the first error in writing a file so far.
func (t *Tree) Err() error { return t.firstErr() }

func (t *Tree) firstErr() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}

func (t *Tree) writer() {
	defer t.wg.Done()
	for j := range t.jobs {
		t.Put(j.rel, j.data, nil)
	}
}

func (t *Tree) writeFile(rel string, data []byte, sum *[sha256.Size]byte) (err error) {
	defer func() {
		if err == nil {
			t.bytes.Add(int64(len(data)))
		}
	}()
	dst := t.Path(rel)
	if t.prevSums != nil && sum != nil {
		if prev, ok := t.prevSums.Lookup(rel); ok && prev == *sum {
			if t.linkPrevious(rel, len(data)) {
				t.unchanged.Add(1)
				return nil
			}
		}
	} else if t.old {
		old := filepath.Join(t.final, filepath.FromSlash(rel))
		if same(old, data) {
			if err := os.Link(old, dst); err == nil {
				t.unchanged.Add(1)
				return nil
			}
			// Linking can fail across file systems or on link-count limits; writing is always right.
		}
	}
	if err := WriteFile(dst, data); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}

// linkPrevious hard-links rel from the previous tree into the staging directory, relative to descriptors
// of the two directories (linkSizedAt), and reports whether it did; on false nothing is at rel.
func (t *Tree) linkPrevious(rel string, size int) bool {
	dir, name := path.Split(rel)
	from, ok := t.dirFD(true, dir)
	if !ok {
		return linkSized(filepath.Join(t.prev, filepath.FromSlash(rel)), t.Path(rel), size)
	}
	to, ok := t.dirFD(false, dir)
	if !ok {
		return linkSized(filepath.Join(t.prev, filepath.FromSlash(rel)), t.Path(rel), size)
	}
	return linkSizedAt(from, to, name, size)
}

// dirFD returns a descriptor of the directory dir ("" or "a/b/") of the previous tree or of the staging
// directory, opened once; false if it cannot be opened (the caller then uses whole paths).
func (t *Tree) dirFD(prev bool, dir string) (int, bool) {
	k := dirKey{prev, dir}
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	if fd, ok := t.dirFDs[k]; ok {
		return fd, fd >= 0
	}
	root := t.stage
	if prev {
		root = t.prev
	}
	fd, err := unix.Open(filepath.Join(root, filepath.FromSlash(dir)), unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fd = -1
	}
	if t.dirFDs == nil {
		t.dirFDs = map[dirKey]int{}
	}
	t.dirFDs[k] = fd
	return fd, fd >= 0
}

// closeDirs closes the descriptors of dirFD, once no writer uses them.
func (t *Tree) closeDirs() {
	t.dirMu.Lock()
	defer t.dirMu.Unlock()
	for _, fd := range t.dirFDs {
		if fd >= 0 {
			unix.Close(fd)
		}
	}
	t.dirFDs = nil
}

// linkSizedAt is linkSized of the file name from the directory open as from to the directory open as to.
func linkSizedAt(from, to int, name string, size int) bool {
	err := unix.Linkat(from, name, to, name, 0)
	for err == unix.EINTR {
		err = unix.Linkat(from, name, to, name, 0)
	}
	if err != nil {
		return false // another file system, a link-count limit, or gone: writing is always right
	}
	var st unix.Stat_t
	if err := unix.Fstatat(to, name, &st, unix.AT_SYMLINK_NOFOLLOW); err == nil && st.Mode&unix.S_IFMT == unix.S_IFREG && st.Size == int64(size) {
		return true
	}
	unix.Unlinkat(to, name, 0)
	return false
}

// linkSized hard-links old to dst and reports whether dst is now a regular file of size bytes. The sums
// said old holds the bytes; the size is checked as well, at the cost of one stat and no read, so that a
// file truncated or replaced since is written, never published. On false, dst does not exist.
func linkSized(old, dst string, size int) bool {
	if err := os.Link(old, dst); err != nil {
		return false // another file system, a link-count limit, or gone: writing is always right
	}
	var st unix.Stat_t
	if err := unix.Lstat(dst, &st); err == nil && st.Mode&unix.S_IFMT == unix.S_IFREG && st.Size == int64(size) {
		return true
	}
	os.Remove(dst)
	return false
}

// ReplaceFile writes data to name under a temporary name (name.tmp) first, then renames it into place, so
// that a file found at name is whole: for the indexes a later run reads back (the rows files).
func ReplaceFile(name string, data []byte) error {
	tmp := name + ".tmp"
	if err := WriteFile(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, name); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// WriteFile is os.WriteFile(name, data, 0o644) in three system calls (open, write, close): os.WriteFile
// also registers every file with the runtime's poller, which a regular file refuses. For writers of many
// small files (the export, the record renderer and its .gz).
func WriteFile(name string, data []byte) error {
	fd, err := unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	for err == unix.EINTR {
		fd, err = unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	}
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		n, err := unix.Write(fd, data)
		if err == unix.EINTR {
			continue
		}
		if err == nil && n == 0 {
			err = io.ErrShortWrite
		}
		if err != nil {
			unix.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
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
		t.Bytes = t.bytes.Load()
		t.closeDirs()
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
