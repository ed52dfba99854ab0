package search

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	programpkg "xinyong/internal/program"
)

// listFile names the file, beside the segments, that lists every document of the index in index order:
// Update compares the next night's documents with it to find what was added, changed and deleted, and takes
// from it what the counts and the probes need of a document that did not change, so that it neither decodes
// nor prepares that document. Per document it holds:
//
//   - the sum of its line in the documents file it was read from (zero when it came from a Doc iterator):
//     a line with the same sum under the same fingerprint is the same document, prepared the same way;
//   - the sum of its stored text (every indexed field is derived from it: equal sums, equal postings);
//   - what the counts and the probes read (subject or case, masked, the keys of its code and exact name,
//     whether it may be a probe by code or by name) and its id (kind/id).
//
// Its first line names the format and the fingerprint of the program that wrote it (see fingerprint); its
// last 32 bytes are the SHA-256 of all before them, so that a damaged list is refused, never half read.
const listFile = "xinyong-docs.list"

// listHeader starts the list file, followed by the fingerprint and a newline.
const listHeader = "xinyong-docs 1 "

// docSum is the first 16 bytes of the SHA-256 of a stored document or of a documents file's line.
type docSum [16]byte

func sumOf(b []byte) docSum {
	h := sha256.Sum256(b)
	return docSum(h[:16])
}

// docInfo is what the counts and the probes read of a prepared document (see infoOf).
type docInfo struct {
	flags      uint8
	code, name uint64 // keyOf the public code and of the exact name, when the flags say there is one
}

// Flags of docInfo.
const (
	infoSubject  = 1 << iota // KindSubject, else KindCase
	infoMasked               // an ID number was masked or a code dropped
	infoCode                 // has a public code (code is its key)
	infoName                 // has an exact name (name is its key)
	infoCodeCand             // may be a probe by code: a subject with a code
	infoNameCand             // may be a probe by name: see prober.add
)

// docEntry is one document of the list file.
type docEntry struct {
	raw, stored docSum
	info        docInfo
	id          string // kind/id
}

// docList is the list file's content: the documents of an index, in index order, and the fingerprint of
// the program that indexed them.
type docList struct {
	fingerprint string
	entries     []docEntry
}

// write writes the list to path.
func (l *docList) write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	h := sha256.New()
	w := bufio.NewWriterSize(io.MultiWriter(f, h), 1<<16)
	w.WriteString(listHeader)
	w.WriteString(l.fingerprint)
	w.WriteByte('\n')
	var buf [16 + 16 + 1 + 8 + 8 + binary.MaxVarintLen64]byte
	for i := range l.entries {
		e := &l.entries[i]
		b := append(buf[:0], e.raw[:]...)
		b = append(b, e.stored[:]...)
		b = append(b, e.info.flags)
		b = binary.LittleEndian.AppendUint64(b, e.info.code)
		b = binary.LittleEndian.AppendUint64(b, e.info.name)
		b = binary.AppendUvarint(b, uint64(len(e.id)))
		w.Write(b)
		w.WriteString(e.id)
	}
	err = w.Flush()
	if err == nil {
		_, err = f.Write(h.Sum(nil))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("search: %s: %w", listFile, err)
	}
	return nil
}

// errList is wrapped by the errors of readList for a list that is not one this program wrote whole.
var errList = errors.New("not a document list")

// readList reads the list file of the index in dir.
func readList(dir string) (*docList, error) {
	b, err := os.ReadFile(filepath.Join(dir, listFile))
	if err != nil {
		return nil, err
	}
	if len(b) < sha256.Size {
		return nil, fmt.Errorf("%s: %w: too short", listFile, errList)
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if h := sha256.Sum256(body); !bytes.Equal(h[:], sum) {
		return nil, fmt.Errorf("%s: %w: its checksum does not match", listFile, errList)
	}
	rest, ok := bytes.CutPrefix(body, []byte(listHeader))
	nl := bytes.IndexByte(rest, '\n')
	if !ok || nl < 0 {
		return nil, fmt.Errorf("%s: %w: no header", listFile, errList)
	}
	l := &docList{fingerprint: string(rest[:nl])}
	rest = rest[nl+1:]
	for len(rest) > 0 {
		const fixed = 16 + 16 + 1 + 8 + 8
		if len(rest) < fixed {
			return nil, fmt.Errorf("%s: %w: document %d cut short", listFile, errList, len(l.entries)+1)
		}
		var e docEntry
		copy(e.raw[:], rest[:16])
		copy(e.stored[:], rest[16:32])
		e.info.flags = rest[32]
		e.info.code = binary.LittleEndian.Uint64(rest[33:41])
		e.info.name = binary.LittleEndian.Uint64(rest[41:49])
		n, w := binary.Uvarint(rest[fixed:])
		if w <= 0 || n == 0 || n > uint64(len(rest)-fixed-w) {
			return nil, fmt.Errorf("%s: %w: document %d cut short", listFile, errList, len(l.entries)+1)
		}
		rest = rest[fixed+w:]
		e.id, rest = string(rest[:n]), rest[n:]
		l.entries = append(l.entries, e)
	}
	return l, nil
}

// fingerprint identifies how this program indexes a document: the format, the mapping (analyzer names
// and field settings) and the running binary (program), whose code prepares the documents and analyses their
// fields. Update reuses a previous index only when its list was written under the same fingerprint, so a
// new analyzer, or any change of the program, builds the index afresh once. It is "" when the binary
// cannot be read: the list then holds no line sums, and every document is prepared and compared by its
// stored text.
func fingerprint() string {
	fingerprintOnce.Do(func() {
		prog := program()
		if prog == "" {
			return
		}
		m, err := json.Marshal(newMapping())
		if err != nil {
			return
		}
		h := sha256.New()
		fmt.Fprintf(h, "xinyong search %d\x00%s\x00%d\x00", formatVersion, prog, len(m))
		h.Write(m)
		fingerprintValue = hex.EncodeToString(h.Sum(nil))
	})
	return fingerprintValue
}

var (
	fingerprintOnce  sync.Once
	fingerprintValue string
	// program identifies the running binary (program.ID). Tests replace it (and reset fingerprintOnce) to
	// act as another program.
	program = programpkg.ID
)

// keyOf is the 64-bit FNV-1a hash of s: the probes count codes and names by it. Two values with one key
// only make both look shared, so a collision can cost a probe, never choose a wrong one.
func keyOf(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// lineReader reads a documents file line by line (DocsWriter writes one document a line).
type lineReader struct {
	r    *bufio.Reader
	long []byte // a line longer than the buffer
	n    int    // lines read
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 1<<16)}
}

// next returns the next non-empty line without its newline, valid until the next call, or io.EOF.
func (lr *lineReader) next() ([]byte, error) {
	for {
		line, err := lr.r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			lr.long = append(lr.long[:0], line...)
			for err == bufio.ErrBufferFull {
				line, err = lr.r.ReadSlice('\n')
				lr.long = append(lr.long, line...)
			}
			line = lr.long
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		if len(line) == 0 && err == io.EOF {
			return nil, io.EOF
		}
		lr.n++
		line = bytes.TrimSuffix(line, []byte("\n"))
		if len(bytes.TrimSpace(line)) > 0 {
			return line, nil
		}
	}
}

// lineError names the line of a documents file an error is about.
func lineError(n int, err error) error {
	return fmt.Errorf("search: documents file line %s: %w", strconv.Itoa(n), err)
}
