package search

import (
	"bufio"
	"encoding/json"
	"io"
	"iter"
	"os"
)

// A documents file holds search documents as JSON Lines, one Doc per line: the export writes it while it
// writes the pages (so the index holds exactly what the site publishes), and the index step reads it.

// DocsWriter writes a documents file.
type DocsWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
}

// NewDocsWriter returns a writer of a documents file to w; Flush before closing w.
func NewDocsWriter(w io.Writer) *DocsWriter {
	bw := bufio.NewWriterSize(w, 1<<16)
	return &DocsWriter{w: bw, enc: json.NewEncoder(bw)}
}

// Write writes one document.
func (d *DocsWriter) Write(doc Doc) error { return d.enc.Encode(doc) }

// Flush writes what is buffered.
func (d *DocsWriter) Flush() error { return d.w.Flush() }

// ReadDocsFile streams the documents of the documents file at path, for Build. It may be iterated again:
// each iteration reads the file from its start.
func ReadDocsFile(path string) iter.Seq2[Doc, error] {
	return func(yield func(Doc, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(Doc{}, err)
			return
		}
		defer f.Close()
		for d, err := range ReadDocs(f) {
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

// ReadDocs streams the documents a documents file's reader r gives, once: a reader of a file still being
// written (the index beside the export) blocks at its end rather than return io.EOF until the file is
// whole.
func ReadDocs(r io.Reader) iter.Seq2[Doc, error] {
	return func(yield func(Doc, error) bool) {
		dec := json.NewDecoder(bufio.NewReaderSize(r, 1<<16))
		for {
			var d Doc
			err := dec.Decode(&d)
			if err == io.EOF {
				return
			}
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}
