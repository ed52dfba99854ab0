package tree

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"hash"
	"os"
)

// SealedWriter writes a file that a later run reads back only whole (the sums file, the export's pages
// file, the row store): under name.tmp until Close, which ends it with the SHA-256 of everything written
// before and renames it into place. Errors are sticky: a failed Write makes Close fail and remove the file.
type SealedWriter struct {
	name string
	f    *os.File
	w    *bufio.Writer
	h    hash.Hash
	n    int64
	err  error
}

// CreateSealed starts the sealed file name, buffering size bytes.
func CreateSealed(name string, size int) (*SealedWriter, error) {
	f, err := os.Create(name + ".tmp")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	return &SealedWriter{name: name, f: f, w: bufio.NewWriterSize(hashedFile{f, h}, size), h: h}, nil
}

// hashedFile is what the buffer of a SealedWriter writes to: the file and the checksum, a buffer at a time
// (hashing each Write or WriteString of the caller cost a call, and a copy of each string, per field).
type hashedFile struct {
	f *os.File
	h hash.Hash
}

func (w hashedFile) Write(b []byte) (int, error) {
	w.h.Write(b)
	return w.f.Write(b)
}

// Write adds b to the file and its checksum; it reports the first error of any write.
func (s *SealedWriter) Write(b []byte) (int, error) {
	if s.err == nil {
		_, s.err = s.w.Write(b)
		s.n += int64(len(b))
	}
	if s.err != nil {
		return 0, s.err
	}
	return len(b), nil
}

// WriteString is Write of a string.
func (s *SealedWriter) WriteString(str string) (int, error) {
	if s.err == nil {
		_, s.err = s.w.WriteString(str)
		s.n += int64(len(str))
	}
	if s.err != nil {
		return 0, s.err
	}
	return len(str), nil
}

// Len is the number of bytes written, the checksum not counted.
func (s *SealedWriter) Len() int64 { return s.n }

// Seal ends the file with its checksum, which it returns, and closes it, still under its temporary name:
// Commit puts it into place, Abort removes it. On an error the file is removed.
func (s *SealedWriter) Seal() ([]byte, error) {
	if s.f == nil {
		return nil, errors.New(s.name + ": closed")
	}
	if s.err == nil {
		s.err = s.w.Flush() // everything written is in the checksum now
	}
	sum := s.h.Sum(nil)
	if s.err == nil {
		_, s.err = s.f.Write(sum)
	}
	if err := s.f.Close(); s.err == nil {
		s.err = err
	}
	s.f = nil
	if s.err != nil {
		os.Remove(s.name + ".tmp")
		return nil, s.err
	}
	return sum, nil
}

// Commit renames the sealed file into place.
func (s *SealedWriter) Commit() error {
	if err := os.Rename(s.name+".tmp", s.name); err != nil {
		os.Remove(s.name + ".tmp")
		return err
	}
	return nil
}

// Close seals the file and renames it into place.
func (s *SealedWriter) Close() error {
	if _, err := s.Seal(); err != nil {
		return err
	}
	return s.Commit()
}

// Abort removes the unfinished or sealed file; it never touches the file at name.
func (s *SealedWriter) Abort() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	os.Remove(s.name + ".tmp")
}
