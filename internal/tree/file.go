package tree

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

// FileSHA256 returns the SHA-256 of the file at path in lower-case hex, as sha256sum prints it.
func FileSHA256(path string) (string, error) {
	sum, err := FileSum(path)
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(sum[:]), nil
}

// FileSum returns the SHA-256 of the file at path.
func FileSum(path string) (sum [sha256.Size]byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	h.Sum(sum[:0])
	return sum, nil
}

// LinkOrCopy hard-links src to dst, or copies it where links fail (another file system): for files that
// never change once written, such as a release's.
func LinkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// SameFile reports whether a and b are one file (hard links to one inode): then they hold the same bytes
// without reading them. A path that cannot be stat'ed is not the same file as anything.
func SameFile(a, b string) bool {
	ai, err := os.Stat(a)
	if err != nil {
		return false
	}
	bi, err := os.Stat(b)
	return err == nil && os.SameFile(ai, bi)
}

// cmpBufs are SameContent's two 64 KiB buffers, reused: a publication's link step compares the few
// thousand files written anew each night, and two fresh buffers each cost more CPU (allocation, zeroing) than the
// comparison of a small page.
var cmpBufs = sync.Pool{New: func() any { b := make([]byte, 128<<10); return &b }}

// SameContent reports whether the files a and b hold the same bytes.
func SameContent(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	bp := cmpBufs.Get().(*[]byte)
	defer cmpBufs.Put(bp)
	bufA, bufB := (*bp)[:64<<10], (*bp)[64<<10:]
	for {
		na, errA := io.ReadFull(fa, bufA)
		nb, errB := io.ReadFull(fb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			return errB == io.EOF || errB == io.ErrUnexpectedEOF, nil
		}
		if errA != nil {
			return false, errA
		}
		if errB != nil {
			return false, errB
		}
	}
}
