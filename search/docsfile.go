package search

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"os"

	"xinyong"
)

// A documents file holds search documents as JSON Lines, one Doc per line: the export writes it while it
// writes the pages (so the index holds exactly what the site publishes), and the index step reads it.

// docLine is a Doc as a documents file's line holds it: the date as YYYY-MM-DD ("" for none), since
// xinyong.Date has no JSON form of its own (its value is unexported: encoding/json would write {} and read
// back the zero date, and the index would store no date at all).
type docLine struct {
	docFields
	Date string `json:",omitempty"`
}

// docFields is Doc without its methods, so that docLine's encoding does not call Doc's.
type docFields Doc

// MarshalJSON is Doc on a documents file's line (docLine).
func (d Doc) MarshalJSON() ([]byte, error) {
	return json.Marshal(docLine{docFields: docFields(d), Date: d.Date.String()})
}

// UnmarshalJSON reads a documents file's line (docLine).
func (d *Doc) UnmarshalJSON(b []byte) error {
	var l docLine
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	*d = Doc(l.docFields)
	d.Date = xinyong.Date{}
	if l.Date != "" {
		date, err := xinyong.ParseDate(l.Date)
		if err != nil {
			return fmt.Errorf("document %s: %w", l.ID, err)
		}
		d.Date = date
	}
	return nil
}

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
