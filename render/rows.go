package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unique"

	"xinyong/internal/tree"
)

// The rows file: the list rows of every record page a build wrote, with the SHA-256 of the export page each
// was rendered from and the page's size, so that the next build takes the row of an unchanged record, and
// links its page, without reading or parsing the record (Options.Rows, Reuse.Rows). It is kept in the
// release, outside the site (the site is public), and written in the lists' order, so that the same build
// writes the same bytes.
//
//	"xinyong rows 1\n"                       the format
//	key                                      string: Options.RowsKey, the language and the time zone
//	per record:
//	  kind                                   'e' an entry (red, black), 's' a subject
//	  section, name                          strings: the page is <section>/<name>/index.html
//	  SHA-256 of <section>/<name>.md         32 bytes
//	  the page's size                        uvarint
//	  SHA-256 of the page                    32 bytes: the publication log's sum of the page
//	  an entry: Title ID List ListName Severity Department ValidFrom PublicUntil, its three terms (strings),
//	  its date (varint); a subject: Key Title CreditCode Kind DistrictName (strings), RedCount BlackCount
//	  (uvarint), its date (varint)
//	SHA-256 of everything above              32 bytes
//
// A string is its length (uvarint) and its bytes. A file that does not end with the SHA-256 of its
// contents, breaks the format anywhere, or was written under another key is refused whole: every record
// is then read and rendered (or reused by comparing the export pages, Reuse.Content), which is always right.
const rowsMagic = "xinyong rows 2\n"

// errRows marks a rows file that cannot be used.
var errRows = errors.New("record rows unusable")

// source is what a row's page was made from: the SHA-256 of its export page and the page's size; and the
// SHA-256 of the page itself, which the publication log records (PageSums).
type source struct {
	sum  [sha256.Size]byte
	size int64
	page [sha256.Size]byte
}

// prevRecord is a record of the previous build's rows file: its source and its row.
type prevRecord struct {
	src     source
	entry   *Row        // an entry's row, or nil
	subject *SubjectRow // a subject's row, or nil
	linked  bool        // its page was prelinked (Prelink)
}

// rowsKey is what a rows file is written under: rows are reused only by a build with the same records
// fingerprint (layouts, translations, chrome and program: Options.RowsKey), language and time zone.
func (r *Renderer) rowsKey() string {
	return r.rowsKeyBase + "\x00" + r.lang + "\x00" + r.loc.String()
}

// collectsAllRows is whether RenderTree takes the row of every record page (red, black and subjects), as
// the rows file needs.
func (r *Renderer) collectsAllRows() bool {
	return r.lists["subjects"] != nil && (r.taxonomies || (r.lists["red"] != nil && r.lists["black"] != nil))
}

// rowsWriter writes a rows file through a sealed writer (tree.SealedWriter: the body, then its SHA-256,
// under a temporary name until complete), a record at a time: each record is put together in rec and
// written with one call.
type rowsWriter struct {
	w   *tree.SealedWriter
	rec []byte
}

func (w *rowsWriter) byte(c byte)    { w.rec = append(w.rec, c) }
func (w *rowsWriter) bytes(b []byte) { w.rec = append(w.rec, b...) }
func (w *rowsWriter) uint(n uint64)  { w.rec = binary.AppendUvarint(w.rec, n) }
func (w *rowsWriter) int(n int64)    { w.rec = binary.AppendVarint(w.rec, n) }
func (w *rowsWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.rec = append(w.rec, s...)
}

// flush writes the record put together so far.
func (w *rowsWriter) flush() {
	w.w.Write(w.rec)
	w.rec = w.rec[:0]
}

// writeRows writes the rows file name (under a temporary name until complete) from the sorted rows.
func (r *Renderer) writeRows(name string, entries []Row, subjects []SubjectRow) error {
	sw, err := tree.CreateSealed(name, 1<<16)
	if err != nil {
		return err
	}
	w := &rowsWriter{w: sw}
	w.rec = append(w.rec, rowsMagic...)
	w.str(r.rowsKey())
	w.flush()
	for i := range entries {
		e := &entries[i]
		w.byte('e')
		w.str(e.section)
		w.str(e.name)
		w.bytes(e.src.sum[:])
		w.uint(uint64(e.src.size))
		w.bytes(e.src.page[:])
		for _, s := range []string{e.Title, e.ID, e.List, e.ListName, e.Severity, e.Department, e.ValidFrom, e.PublicUntil,
			e.terms[0], e.terms[1], e.terms[2]} {
			w.str(s)
		}
		w.int(e.date)
		w.flush()
	}
	for i := range subjects {
		s := &subjects[i]
		w.byte('s')
		w.str("subjects")
		w.str(s.name)
		w.bytes(s.src.sum[:])
		w.uint(uint64(s.src.size))
		w.bytes(s.src.page[:])
		for _, v := range []string{s.Key, s.Title, s.CreditCode, s.Kind, s.DistrictName} {
			w.str(v)
		}
		w.uint(uint64(s.RedCount))
		w.uint(uint64(s.BlackCount))
		w.int(s.date)
		w.flush()
	}
	return sw.Close() // errors of any write are sticky: Close reports them and removes the file
}

// rowsReader decodes a rows file, remembering the first error.
type rowsReader struct {
	b   []byte
	err error
}

func (d *rowsReader) fail(why string) {
	if d.err == nil {
		d.err = errors.New(why)
	}
}

func (d *rowsReader) uint() uint64 {
	n, w := binary.Uvarint(d.b)
	if w <= 0 {
		d.fail("bad number")
		d.b = nil
		return 0
	}
	d.b = d.b[w:]
	return n
}

func (d *rowsReader) int() int64 {
	n, w := binary.Varint(d.b)
	if w <= 0 {
		d.fail("bad number")
		d.b = nil
		return 0
	}
	d.b = d.b[w:]
	return n
}

func (d *rowsReader) bytes(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail("cut short")
		d.b = nil
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *rowsReader) str() string { return string(d.bytes(d.uint())) }

// in is a string many rows share, interned as newRow interns it.
func (d *rowsReader) in() string { return unique.Make(d.str()).Value() }

// readRows reads and checks the rows file name, written under key, into its records by <section>/<name>.
func readRows(name, key string) (map[string]*prevRecord, error) {
	recs, k, err := readRowsAnyKey(name)
	if err != nil {
		return nil, err
	}
	if k != key {
		return nil, fmt.Errorf("%w: %s: %s", errRows, name, "written by another build (its key differs)")
	}
	return recs, nil
}

// readRowsAnyKey reads and checks the rows file name into its records by <section>/<name>, and returns the
// key it was written under, for the caller to compare (Prelink reads it before the key is known).
func readRowsAnyKey(name string) (map[string]*prevRecord, string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, "", err
	}
	bad := func(why string) error { return fmt.Errorf("%w: %s: %s", errRows, name, why) }
	if len(data) < len(rowsMagic)+sha256.Size || string(data[:len(rowsMagic)]) != rowsMagic {
		return nil, "", bad("not a rows file")
	}
	body, trailer := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], trailer) {
		return nil, "", bad("checksum mismatch (truncated or damaged)")
	}
	d := &rowsReader{b: body[len(rowsMagic):]}
	key := d.str()
	recs := map[string]*prevRecord{}
	for d.err == nil && len(d.b) > 0 {
		kind := d.bytes(1)
		section, pname := d.str(), d.str()
		p := &prevRecord{}
		copy(p.src.sum[:], d.bytes(sha256.Size))
		p.src.size = int64(d.uint())
		copy(p.src.page[:], d.bytes(sha256.Size))
		if d.err != nil {
			break
		}
		path := strings.ToLower("/" + section + "/" + pname + ".md")
		switch {
		case kind[0] == 'e' && (section == "red" || section == "black"):
			e := &Row{section: unique.Make(section).Value(), name: pname, path: path, src: p.src}
			e.Title, e.ID, e.List, e.ListName, e.Severity, e.Department, e.ValidFrom, e.PublicUntil =
				d.str(), d.str(), d.in(), d.in(), d.in(), d.in(), d.in(), d.in()
			for i := range e.terms {
				e.terms[i] = d.in()
			}
			e.date = d.int()
			p.entry = e
		case kind[0] == 's' && section == "subjects":
			s := &SubjectRow{name: pname, path: path, src: p.src}
			s.Key, s.Title, s.CreditCode, s.Kind, s.DistrictName = d.str(), d.str(), d.str(), d.in(), d.in()
			s.RedCount, s.BlackCount = int(d.uint()), int(d.uint())
			s.date = d.int()
			p.subject = s
		default:
			d.fail("bad record")
		}
		if pname == "" || strings.ContainsAny(pname, "/\\") || pname == "." || pname == ".." {
			d.fail("bad name")
		}
		k := section + "/" + pname
		if recs[k] != nil {
			d.fail("a record twice: " + k)
		}
		recs[k] = p
	}
	if d.err != nil {
		return nil, "", bad(d.err.Error())
	}
	return recs, key, nil
}

// PageSums reads a rows file (Options.Rows) and returns the SHA-256 of each record page the build wrote or
// linked, by its path inside the site (<section>/<name>/index.html); a page whose sum the build did not
// know is left out. The publication log takes the record pages' sums from here instead of reading them.
func PageSums(name string) (map[string][sha256.Size]byte, error) {
	recs, _, err := readRowsAnyKey(name)
	if err != nil {
		return nil, err
	}
	out := make(map[string][sha256.Size]byte, len(recs))
	for k, p := range recs {
		if p.src.page != ([sha256.Size]byte{}) {
			out[k+"/index.html"] = p.src.page
		}
	}
	return out, nil
}

// previousRows loads, when the previous build's rows file and this export's content sums are given and the
// renderer takes every record's row, both; else nil, and why not when they were given. With prelinked
// pages (Options.Prelinked) it takes what Prelink read when those pages may stay, and removes them when
// not (an error then is the build's: a page that could be stale must not stay).
//
// linking reports that the prelinking goes on: its pages may stay, and it links the rest of the unchanged
// records' pages while RenderTree renders the others (one thread making the directories and links in a
// section's directory, rather than three contending for its lock); RenderTree waits for it to end.
func (r *Renderer) previousRows(content, out string) (prev map[string]*prevRecord, sums *tree.Sums, why string, linking bool, err error) {
	if pl := r.prelinked; pl != nil {
		select { // the rows read, or the prelinking over without them (then not usable)
		case <-pl.ready:
		case <-pl.done:
		}
		if pl.usable(r, content, out) {
			return pl.prev, pl.sumsData, "", true, nil
		}
		pl.Stop()
		if err := pl.undo(); err != nil {
			return nil, nil, "", false, err
		}
	}
	if r.reuse == nil || r.reuse.Rows == "" || r.sums == "" || !r.collectsAllRows() {
		return nil, nil, "", false, nil
	}
	sums, err = tree.ReadSums(r.sums)
	if err != nil {
		return nil, nil, err.Error(), false, nil
	}
	prev, err = readRows(r.reuse.Rows, r.rowsKey())
	if err != nil {
		return nil, nil, err.Error(), false, nil
	}
	return prev, sums, "", false, nil
}

// reuseRecord links the previous build's page of <section>/<name> into out when the previous rows file
// has it under the SHA-256 this export's sums give its export page (the same bytes, so the same page and
// row), and returns that record. A page Prelink linked is only reported to Written.
func (r *Renderer) reuseRecord(prev map[string]*prevRecord, sums *tree.Sums, out, section, name string) (*prevRecord, bool) {
	p := unchanged(prev, sums, section, name)
	if p == nil {
		return nil, false
	}
	dir := filepath.Join(out, section, name)
	if !p.linked && !linkPrevious(r.reuse.Site, dir, section, name) {
		return nil, false // the previous page is missing: rendered
	}
	if r.written != nil {
		r.written(filepath.Join(dir, "index.html"), nil, false)
	}
	return p, true
}
