package opendata

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"xinyong/generator"
	"xinyong/internal/tree"
)

// RowsFile is the name of the rows index a publication keeps beside its release's content sums (not on the
// site): where each record's row lies in the downloads, with the SHA-256 of the page it was made from.
const RowsFile = "opendata.rows"

// Reuse lets WriteReusing copy the rows of records whose pages did not change from the previous release's
// downloads instead of reading and converting their pages again. A row is copied only when the previous
// rows index was written by the same program for the same base URL (rowsKey), the record's page has the
// SHA-256 the index recorded for it, and the previous download files are exactly those the index describes
// (size and SHA-256, checked before any row is copied). Anything missing, damaged or different only means
// that the pages are read, which is always right.
type Reuse struct {
	// Sums is the content sums of the export tree being written from (tree.Sums, written by its export);
	// "" for none: nothing is then reused or recorded.
	Sums string
	// Rows is where the rows index of the new downloads is written, for the next night; "" for none.
	Rows string
	// PrevDir holds the previous release's downloads and PrevRows is its rows index; "" for none.
	PrevDir, PrevRows string
}

// rowsMagic starts a rows index; the number goes up when the format or the rows' making changes in a way
// the program ID would not show.
const rowsMagic = "xinyong opendata rows 1\n"

// rowsKey is what, besides a record's page, decides its rows: the program and the base URL of the URL
// columns.
func rowsKey(base string) (key [sha256.Size]byte, ok bool) {
	prog := generator.ProgramID()
	if prog == "" {
		return key, false
	}
	return sha256.Sum256([]byte(rowsMagic + prog + "\x00" + base)), true
}

// rowsIndex is a rows index: the key and, for each data set, where each row lies in its two files.
type rowsIndex struct {
	key  [sha256.Size]byte
	sets []*setRows
}

// setRows describes the two files of one data set and their rows, in file order (the order of the ids).
type setRows struct {
	name              string
	csvSum, jsonSum   [sha256.Size]byte
	csvSize, jsonSize int64
	rows              []rowRef
}

// rowRef is one record's row: its id, its page's SHA-256, and its bytes in the two files.
type rowRef struct {
	id               string
	sum              [sha256.Size]byte
	csvOff, csvLen   int64
	jsonOff, jsonLen int64
}

func (x *rowsIndex) set(name string) *setRows {
	for _, s := range x.sets {
		if s.name == name {
			return s
		}
	}
	return nil
}

// marshal writes the index: magic, key, per set its name, file sums and sizes and rows (id, page sum, and
// the length of the row in each file; a row starts where the one before ends), then the SHA-256 of it all.
func (x *rowsIndex) marshal() []byte {
	b := append([]byte(rowsMagic), x.key[:]...)
	b = binary.AppendUvarint(b, uint64(len(x.sets)))
	for _, s := range x.sets {
		b = appendString(b, s.name)
		b = append(b, s.csvSum[:]...)
		b = append(b, s.jsonSum[:]...)
		b = binary.AppendUvarint(b, uint64(s.csvSize))
		b = binary.AppendUvarint(b, uint64(s.jsonSize))
		b = binary.AppendUvarint(b, uint64(len(s.rows)))
		for _, r := range s.rows {
			b = appendString(b, r.id)
			b = append(b, r.sum[:]...)
			b = binary.AppendUvarint(b, uint64(r.csvOff))
			b = binary.AppendUvarint(b, uint64(r.csvLen))
			b = binary.AppendUvarint(b, uint64(r.jsonOff))
			b = binary.AppendUvarint(b, uint64(r.jsonLen))
		}
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

var errRows = errors.New("rows index unusable")

// readRows reads and checks a rows index.
func readRows(name string) (*rowsIndex, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if len(data) < len(rowsMagic)+2*sha256.Size || string(data[:len(rowsMagic)]) != rowsMagic {
		return nil, fmt.Errorf("%w: %s: not a rows index", errRows, name)
	}
	body, trailer := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], trailer) {
		return nil, fmt.Errorf("%w: %s: checksum mismatch", errRows, name)
	}
	d := &decoder{b: body[len(rowsMagic):]}
	x := &rowsIndex{}
	d.bytes(x.key[:])
	n := d.uvarint()
	for i := uint64(0); i < n && d.err == nil; i++ {
		s := &setRows{name: d.string()}
		d.bytes(s.csvSum[:])
		d.bytes(s.jsonSum[:])
		s.csvSize, s.jsonSize = int64(d.uvarint()), int64(d.uvarint())
		rows := d.uvarint()
		if rows > uint64(len(d.b)) {
			d.fail()
		}
		for j := uint64(0); j < rows && d.err == nil; j++ {
			r := rowRef{id: d.string()}
			d.bytes(r.sum[:])
			r.csvOff, r.csvLen, r.jsonOff, r.jsonLen = int64(d.uvarint()), int64(d.uvarint()), int64(d.uvarint()), int64(d.uvarint())
			if r.csvOff+r.csvLen > s.csvSize || r.jsonOff+r.jsonLen > s.jsonSize || r.csvOff < 0 || r.jsonOff < 0 ||
				r.csvLen < 0 || r.jsonLen < 0 || (len(s.rows) > 0 && s.rows[len(s.rows)-1].id >= r.id) {
				d.fail()
			}
			s.rows = append(s.rows, r)
		}
		x.sets = append(x.sets, s)
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %s: malformed", errRows, name)
	}
	return x, nil
}

// decoder reads the fields of a rows index; the first error sticks.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() { d.err, d.b = errRows, nil }

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > 1<<40 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(dst []byte) {
	if len(d.b) < len(dst) {
		d.fail()
		return
	}
	d.b = d.b[copy(dst, d.b):]
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// writeRows writes the index to name, under a temporary name first, so that an index that exists is whole.
func writeRows(name string, x *rowsIndex) error {
	return tree.ReplaceFile(name, x.marshal())
}

// incremental is what one WriteReusing reuses and records.
type incremental struct {
	sums    *tree.Sums // this tree's content sums; nil: nothing is reused or recorded
	prev    *rowsIndex // the previous index when its key matches; nil: nothing is reused
	prevDir string
	next    *rowsIndex // the index being recorded; nil: none
	reused  int        // rows copied from the previous files
}

// prevSet maps the previous files of data set ds when they are exactly those the previous index describes,
// and returns their rows; nil when they cannot be reused. unmap releases the files.
func (inc *incremental) prevSet(ds string) (p *prevFiles) {
	if inc == nil || inc.prev == nil {
		return nil
	}
	s := inc.prev.set(ds)
	if s == nil {
		return nil
	}
	p = &prevFiles{rows: s.rows}
	ok := false
	defer func() {
		if !ok {
			p.unmap()
			p = nil
		}
	}()
	var err error
	if p.csv, err = mapFile(filepath.Join(inc.prevDir, ds+"."+FormatCSV), s.csvSize, &s.csvSum); err != nil {
		return nil
	}
	if p.json, err = mapFile(filepath.Join(inc.prevDir, ds+"."+FormatJSONL), s.jsonSize, &s.jsonSum); err != nil {
		return nil
	}
	ok = true
	return p
}

// prevFiles are the previous release's two files of a data set, mapped, and their rows.
type prevFiles struct {
	csv, json []byte
	rows      []rowRef
	next      int // the first row not yet passed (rows come in id order)
}

// find returns the previous row of id when its page had the SHA-256 sum.
func (p *prevFiles) find(id string, sum *[sha256.Size]byte) *rowRef {
	if p == nil {
		return nil
	}
	for p.next < len(p.rows) && p.rows[p.next].id < id {
		p.next++
	}
	if p.next < len(p.rows) && p.rows[p.next].id == id && p.rows[p.next].sum == *sum {
		return &p.rows[p.next]
	}
	return nil
}

func (p *prevFiles) unmap() {
	if p == nil {
		return
	}
	for _, b := range [][]byte{p.csv, p.json} {
		tree.Unmap(b)
	}
	p.csv, p.json = nil, nil
}

// mapFile maps the file at name read-only when it has size bytes with the SHA-256 sum.
func mapFile(name string, size int64, sum *[sha256.Size]byte) ([]byte, error) {
	b, fi, err := tree.MapFile(name)
	if err != nil {
		return nil, err
	}
	if fi.Size() != size || sha256.Sum256(b) != *sum {
		tree.Unmap(b)
		return nil, errRows
	}
	return b, nil
}
