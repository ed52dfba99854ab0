package tree

import (
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// MapFile maps the regular file name read-only and returns its bytes and its FileInfo, for the readers of
// the files a night reuses (the export's pages file, the open data's previous downloads, the row store),
// which are read once and may be large: mapped, they cost page cache rather than heap. An empty file gives
// an empty slice, nothing mapped; anything but a regular file, and a file too large to map, is an error.
// The bytes must be given back with Unmap and never used after; the file is never written through them.
func MapFile(name string) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fi, &os.PathError{Op: "mmap", Path: name, Err: fmt.Errorf("not a regular file (%v)", fi.Mode().Type())}
	}
	size := fi.Size()
	if size == 0 {
		return []byte{}, fi, nil
	}
	if size != int64(int(size)) {
		return nil, fi, &os.PathError{Op: "mmap", Path: name, Err: fmt.Errorf("%d bytes: too large", size)}
	}
	b, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, fi, &os.PathError{Op: "mmap", Path: name, Err: err}
	}
	return b, fi, nil
}

// Unmap gives back bytes MapFile mapped; an empty or nil slice is nothing.
func Unmap(b []byte) {
	if cap(b) > 0 {
		unix.Munmap(b[:cap(b)])
	}
}
