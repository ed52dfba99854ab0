// Package precompress writes the .gz variant beside a site's text files, once, so that the server sends
// compressed bytes without compressing per request (docs/publish.md, the compress step). The record
// renderer compresses each page as it writes it, from the bytes in memory; the publication's compress step
// compresses whatever has no .gz yet. Both use Writer, so a file compresses to the same bytes whoever
// writes its .gz.
package precompress

import (
	"bytes"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/gzip"

	"xinyong/internal/tree"
)

// MinSize is the size below which a file is served as it is: a gzip header and a round trip cost more than
// they save.
const MinSize = 1024

// Level is the gzip level of every .gz. Measured on 4,000 entry pages of a demo site (10 KB each, 2 vCPU,
// docs/benchmarks.md): klauspost/compress level 1 compresses them to 43.7% in 0.27 s, level 3 to 41.2% in
// 0.43 s, Go's compress/gzip level 9 to 38.7% in 1.75 s; the half-kilobyte a reader saves per page at a
// higher level is not worth four times the CPU of the whole publication's compression, which at 100,000
// entries is more than a gigabyte of HTML a night.
const Level = 1

// Version names the compressor and its level: a .gz written by another version may have other bytes.
const Version = "klauspost/compress v1.20.5 gzip level 1"

// compressible are the extensions of the text files that get a .gz variant.
var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".xml": true, ".json": true, ".svg": true, ".txt": true,
}

// Wants reports whether a file of this name and size gets a .gz variant.
func Wants(name string, size int64) bool {
	return size >= MinSize && compressible[strings.ToLower(filepath.Ext(name))]
}

// Writer compresses files one at a time; it is not safe for concurrent use (one per goroutine). The gzip
// header carries no name and no time, so the same bytes always compress to the same bytes.
type Writer struct {
	zw  *gzip.Writer
	buf bytes.Buffer
}

// NewWriter returns a Writer.
func NewWriter() *Writer {
	zw, _ := gzip.NewWriterLevel(nil, Level)
	return &Writer{zw: zw}
}

// Compress returns the gzip of data; the bytes are valid until the next call.
func (w *Writer) Compress(data []byte) ([]byte, error) {
	w.buf.Reset()
	w.zw.Reset(&w.buf)
	if _, err := w.zw.Write(data); err != nil {
		return nil, err
	}
	if err := w.zw.Close(); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}

// WriteFile writes path+".gz", the gzip of data (path's bytes).
func (w *Writer) WriteFile(path string, data []byte) error {
	z, err := w.Compress(data)
	if err != nil {
		return err
	}
	return tree.WriteFile(path+".gz", z)
}
