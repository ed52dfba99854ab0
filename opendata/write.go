package opendata

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"xinyong"
	"xinyong/generator"
)

// bom is the UTF-8 byte-order mark at the start of each CSV file: without it, Excel reads a CSV file in the
// system's code page (GBK on a Chinese Windows) and shows the Chinese text garbled.
const bom = "\uFEFF"

// reader reads the page section/id.md of a data set: its record, and whether it is skipped (a withdrawal
// notice). It checks that the page is what its place in the tree says.
type reader[T any] func(section, id string, page []byte) (r *T, skip bool, err error)

func readEntry(section, id string, page []byte) (*entryPage, bool, error) {
	e, err := generator.ReadEntryPage(page)
	switch {
	case err != nil:
		return nil, false, err
	case e.Withdrawn:
		return nil, true, nil
	case e.ID != id || e.List != section:
		return nil, false, fmt.Errorf("front matter says id %q, list %q", e.ID, e.List)
	}
	return e, false, nil
}

func readCase(section, id string, page []byte) (*casePage, bool, error) {
	c, err := generator.ReadCasePage(page)
	switch {
	case err != nil:
		return nil, false, err
	case c.Withdrawn:
		return nil, true, nil
	case c.ID != id:
		return nil, false, fmt.Errorf("front matter says id %q", c.ID)
	}
	return c, false, nil
}

// writeDataset writes <ds>.csv and <ds>.jsonl from the section ds of the tree.
func writeDataset(ctx context.Context, contentDir, outDir, ds, base string) ([]File, error) {
	if ds == DatasetCases {
		return writeSet(ctx, contentDir, outDir, ds, caseColumns(base), readCase)
	}
	return writeSet(ctx, contentDir, outDir, ds, entryColumns(base), readEntry)
}

// writeSet writes the two files of one data set, one page at a time in the order of the ids.
func writeSet[T any](ctx context.Context, contentDir, outDir, ds string, cols []column[T], read reader[T]) ([]File, error) {
	dir := filepath.Join(contentDir, ds)
	ids, err := generator.PageIDs(dir)
	if err != nil {
		return nil, err
	}
	csvOut, err := create(outDir, ds+"."+FormatCSV, FormatCSV, MediaTypeCSV)
	if err != nil {
		return nil, err
	}
	defer csvOut.abort()
	jsonOut, err := create(outDir, ds+"."+FormatJSONL, FormatJSONL, MediaTypeJSONL)
	if err != nil {
		return nil, err
	}
	defer jsonOut.abort()
	w := newRowWriter(cols, csvOut.w, jsonOut.w)
	if err := w.header(); err != nil {
		return nil, err
	}
	rows := 0
	var failed error
	err = pages(ctx, dir, ds, ids, read, func(id string, r *T, err error) bool {
		if err == nil && r != nil {
			if err = w.row(r); err == nil {
				rows++
			}
		}
		if err != nil {
			failed = fmt.Errorf("%s/%s.md: %w", ds, id, err)
		}
		return err == nil
	})
	if err == nil {
		err = failed
	}
	if err != nil {
		return nil, err
	}
	if err := w.flush(); err != nil {
		return nil, err
	}
	files := make([]File, 2)
	for i, o := range []*output{csvOut, jsonOut} {
		if files[i], err = o.close(ds, rows); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// rowWriter writes the records of one data set to its CSV and JSON Lines files.
type rowWriter[T any] struct {
	cols   []column[T]
	csvOut *bufio.Writer
	csv    *csv.Writer
	jsonl  *bufio.Writer
	cells  []string // the CSV row
	line   []byte   // the JSON line
}

func newRowWriter[T any](cols []column[T], csvOut, jsonOut *bufio.Writer) *rowWriter[T] {
	w := csv.NewWriter(csvOut)
	w.UseCRLF = true // RFC 4180
	return &rowWriter[T]{cols: cols, csvOut: csvOut, csv: w, jsonl: jsonOut, cells: make([]string, len(cols))}
}

// header writes the byte-order mark and the header row of the CSV file. (csv.NewWriter writes straight
// into the *bufio.Writer it is given, so the mark comes first.)
func (w *rowWriter[T]) header() error {
	if _, err := w.csvOut.WriteString(bom); err != nil {
		return err
	}
	for i, c := range w.cols {
		w.cells[i] = c.header
	}
	return w.csv.Write(w.cells)
}

// row writes one record: every value made public (publicValue), as one CSV row and one JSON line.
func (w *rowWriter[T]) row(r *T) error {
	b := append(w.line[:0], '{')
	for i, c := range w.cols {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c.key)
		b = append(b, ':')
		if c.list != nil {
			items := c.list(r)
			b = append(b, '[')
			cell := make([]string, len(items))
			for j, it := range items {
				if j > 0 {
					b = append(b, ',')
				}
				cell[j] = publicValue(it, false)
				b = appendJSONString(b, cell[j])
			}
			b = append(b, ']')
			w.cells[i] = csvSafe(strings.Join(cell, xinyong.MsgOpenDataMeasureSep))
			continue
		}
		v := publicValue(c.value(r), c.idNum)
		if v == "" {
			b = append(b, "null"...)
		} else {
			b = appendJSONString(b, v)
		}
		if c.label != nil {
			v = c.label(v)
		}
		w.cells[i] = csvSafe(v)
	}
	b = append(b, '}', '\n')
	w.line = b
	if _, err := w.jsonl.Write(b); err != nil {
		return err
	}
	return w.csv.Write(w.cells)
}

func (w *rowWriter[T]) flush() error {
	w.csv.Flush()
	return w.csv.Error()
}

// publicValue is the second defence of personal data: whatever the export wrote, no resident ID number
// leaves unmasked. A value that is an ID number (idNum) is masked whole, so it never shows more than the first
// 6 and last 4 characters; any other value has every ID number in it masked.
func publicValue(v string, idNum bool) string {
	if idNum && v != "" {
		return xinyong.MaskIDNumber(v)
	}
	v, _ = xinyong.MaskIDNumbersIn(v)
	return v
}

// csvSafe defuses a CSV cell that a spreadsheet would read as a formula (CSV injection, OWASP): a cell that
// starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, which Excel and LibreOffice
// hide and which makes the cell text. The value is otherwise unchanged; the JSON Lines files keep values
// exactly.
func csvSafe(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + v
	}
	return v
}

// appendJSONString appends s as a JSON string. Like encoding/json it escapes <, > and & (so a line is safe
// to embed in HTML), U+2028 and U+2029 (line terminators in JavaScript), and writes invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// output is one file being written: buffered, and hashed and counted on its way to the disk.
type output struct {
	name, format, mediaType string
	f                       *os.File
	w                       *bufio.Writer
	sink                    *sink
}

// sink passes the bytes to the file and to the hash, counting them.
type sink struct {
	f *os.File
	h hash.Hash
	n int64
}

func (s *sink) Write(p []byte) (int, error) {
	n, err := s.f.Write(p)
	s.h.Write(p[:n])
	s.n += int64(n)
	return n, err
}

func create(dir, name, format, mediaType string) (*output, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	s := &sink{f: f, h: sha256.New()}
	return &output{name: name, format: format, mediaType: mediaType, f: f, w: bufio.NewWriterSize(s, 1<<16), sink: s}, nil
}

// close flushes and closes the file and describes it.
func (o *output) close(ds string, rows int) (File, error) {
	if err := o.w.Flush(); err != nil {
		return File{}, err
	}
	err := o.f.Close()
	o.f = nil
	if err != nil {
		return File{}, err
	}
	return File{Name: o.name, Dataset: ds, Format: o.format, MediaType: o.mediaType, Rows: rows,
		Size: o.sink.n, SHA256: hex.EncodeToString(o.sink.h.Sum(nil))}, nil
}

// abort closes the file if close was not reached.
func (o *output) abort() {
	if o.f != nil {
		o.f.Close()
	}
}
