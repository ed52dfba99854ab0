package tree

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"slices"
	"strings"
)

// PathSum is a file, by its slash-separated path inside a tree, and its SHA-256.
type PathSum struct {
	Path string
	Sum  [sha256.Size]byte
}

// WriteSHA256Sums writes sums in the format of sha256sum (`<hex>  <path>`, one a line), sorted by path,
// under a temporary name until complete: `sha256sum -c` checks them from inside the tree. sums is sorted
// in place.
func WriteSHA256Sums(name string, sums []PathSum) error {
	slices.SortFunc(sums, func(a, b PathSum) int { return strings.Compare(a.Path, b.Path) })
	tmp := name + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var line [2*sha256.Size + 2]byte
	line[2*sha256.Size], line[2*sha256.Size+1] = ' ', ' '
	for _, s := range sums {
		hex.Encode(line[:], s.Sum[:])
		w.Write(line[:])
		w.WriteString(s.Path)
		w.WriteByte('\n')
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// ReadSHA256Sums reads a file in the format of sha256sum (lower-case hex, two spaces, a path; text mode
// only) into the sums by path. A line in any other form is an error naming the file.
func ReadSHA256Sums(name string) (map[string][sha256.Size]byte, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	m := make(map[string][sha256.Size]byte, bytes.Count(b, []byte{'\n'}))
	for line := range bytes.Lines(b) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		var s [sha256.Size]byte
		if len(line) < 2*sha256.Size+3 || line[64] != ' ' || line[65] != ' ' {
			return nil, fmt.Errorf("%s: malformed line %q", name, truncate(line, 80))
		}
		if _, err := hex.Decode(s[:], line[:64]); err != nil {
			return nil, fmt.Errorf("%s: malformed line %q", name, truncate(line, 80))
		}
		m[string(line[66:])] = s
	}
	return m, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
