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
func writeDataset(ctx context.Context, contentDir, outDir, ds, base string, inc *incremental) ([]File, error) {
	if ds == DatasetCases {
		return writeSet(ctx, contentDir, outDir, ds, caseColumns(base), readCase, inc)
	}
	return writeSet(ctx, contentDir, outDir, ds, entryColumns(base), readEntry, inc)
}

// writeSet writes the two files of one data set, one record at a time in the order of the ids: a record
// whose page did not change since the previous release is copied from its files (inc), the others are read.
func writeSet[T any](ctx context.Context, contentDir, outDir, ds string, cols []column[T], read reader[T], inc *incremental) ([]File, error) {
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
	p := planSet(ds, ids, inc)
	defer p.prev.unmap()
	rows := 0
	// emit writes the record ids[i]: r when it was read, else the previous release's row.
	emit := func(i int, r *T) error {
		csvAt, jsonAt := csvOut.pos(), jsonOut.pos()
		switch {
		case r != nil:
			if err := w.row(r); err != nil {
				return err
			}
		case p.reuse[i] != nil:
			x := p.reuse[i]
			if _, err := csvOut.w.Write(p.prev.csv[x.csvOff : x.csvOff+x.csvLen]); err != nil {
				return err
			}
			if _, err := jsonOut.w.Write(p.prev.json[x.jsonOff : x.jsonOff+x.jsonLen]); err != nil {
				return err
			}
			inc.reused++
		default:
			return nil // a withdrawal notice: no row
		}
		rows++
		if p.rec != nil {
			p.rec.rows = append(p.rec.rows, rowRef{id: ids[i], sum: p.sums[i], csvOff: csvAt, csvLen: csvOut.pos() - csvAt,
				jsonOff: jsonAt, jsonLen: jsonOut.pos() - jsonAt})
		}
		return nil
	}
	next := 0 // the next record to write
	var failed error
	err = pages(ctx, dir, ds, p.read, read, func(id string, r *T, err error) bool {
		for err == nil && ids[next] != id {
			err = emit(next, nil) // not read: reused
			next++
		}
		if err == nil {
			err = emit(next, r)
			next++
		}
		if err != nil {
			failed = fmt.Errorf("%s/%s.md: %w", ds, id, err)
		}
		return err == nil
	})
	for ; err == nil && failed == nil && next < len(ids); next++ {
		failed = emit(next, nil)
	}
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
	if p.rec != nil {
		p.rec.csvSize, p.rec.jsonSize = csvOut.sink.n, jsonOut.sink.n
		copy(p.rec.csvSum[:], csvOut.sink.h.Sum(nil))
		copy(p.rec.jsonSum[:], jsonOut.sink.h.Sum(nil))
		inc.next.sets = append(inc.next.sets, p.rec)
	}
	return files, nil
}

// setPlan says, for each record of a data set, whether its row is copied from the previous release's
// files (reuse[i]) or its page is read (the ids in read, in order); with the pages' SHA-256 for the new
// rows index (rec; nil when none is recorded).
type setPlan struct {
	read  []string
	reuse []*rowRef
	sums  [][sha256.Size]byte
	prev  *prevFiles
	rec   *setRows
}

func planSet(ds string, ids []string, inc *incremental) *setPlan {
	p := &setPlan{reuse: make([]*rowRef, len(ids))}
	if inc == nil {
		p.read = ids
		return p
	}
	p.prev = inc.prevSet(ds)
	if inc.next != nil {
		p.rec = &setRows{name: ds, rows: make([]rowRef, 0, len(ids))}
	}
	p.sums = make([][sha256.Size]byte, len(ids))
	for i, id := range ids {
		sum, ok := inc.sums.Lookup(ds + "/" + id + ".md")
		if !ok {
			// The sums do not describe this tree: nothing of this data set is reused, no index recorded.
			p.prev.unmap()
			p.prev, p.rec, inc.next = nil, nil, nil
			p.reuse = make([]*rowRef, len(ids))
			p.read = ids
			return p
		}
		p.sums[i] = sum
		if p.reuse[i] = p.prev.find(id, &sum); p.reuse[i] == nil {
			p.read = append(p.read, id)
		}
	}
	return p
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

// pos is how many bytes have been written to the file, counting what is still buffered.
func (o *output) pos() int64 { return o.sink.n + int64(o.w.Buffered()) }

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
