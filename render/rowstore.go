package render

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/s2"
	"golang.org/x/sys/unix"

	"xinyong/internal/tree"
)

// The row store: the HTML each list row was printed as, kept from one build to the next, so that a night
// prints again only the rows of records that changed. A list table prints its rows with partialRows NAME
// ROWS [KEY VALUE]...: per row, the partial records/_partials/NAME executed with a dict of the row (under
// "row") and the pairs, which are also its variants. Its output depends only on the partial and the build's values
// (templates, translations, site values: Options.RowsKey, with the language and time zone), the row — every
// field of which is taken from the record's export page — and the pairs; so it is kept under (NAME and the
// pairs, the record's <section>/<name>, the SHA-256 of its export page), and a build under the same key
// whose record has the same export page takes it from the store instead of executing the partial. A row
// of a record that changed, is new or has another variant is executed as any partial; a record gone is
// simply not looked up, and not written again.
//
// One entry appears in four lists: its section's, and its department's, district's and list name's term
// pages. The embedded theme prints it alike on the three term pages (a term's own column is hidden by the
// stylesheet, not left out), so a row printed for one term page is taken from this build's slot for the
// other two; only its section's list prints it another way. A store kept across builds saves the rest
// (about 15-25 µs a row in html/template's escapers, called through reflection).
//
// The file (Options.RowStore, read from Reuse.RowStore), written after the lists:
//
//	"xinyong row store 1\n"               the format
//	key                                    string: rowsKey (Options.RowsKey, language, time zone)
//	shapes: count, then each               a partial's name and variants (appendPartialKey) and its s2
//	                                       dictionary (strings; an empty dictionary is none)
//	per record, in the lists' order:
//	  section, name                        strings
//	  SHA-256 of <section>/<name>.md       32 bytes
//	  count, then per printed row          its shape (uvarint, an index into shapes) and its HTML (string,
//	                                       an s2 block encoded with the shape's dictionary)
//	SHA-256 of everything above            32 bytes
//
// The HTML is compressed because it is mostly the same labels and markup row after row: each shape's
// dictionary is the partial's output for a few made-up rows (only labels and markup), so that a block holds
// little more than the row's values. A file that does not end with the SHA-256 of its contents, breaks the
// format, or was written under another key, is not used at all (Stats.RowStoreUnused); a block that does
// not decode is a miss. Either way the row is executed, which is always right.
const rowStoreMagic = "xinyong row store 1\n"

// shape is a partial's name with its variants, as partialRows keys them, and the dictionary its blocks are
// encoded with.
type shape struct {
	key  string
	raw  []byte   // the dictionary as written (s2.Dict.Bytes); nil for none
	dict *s2.Dict // nil: plain s2 blocks
}

func (s *shape) encode(dst, html []byte) []byte {
	if s.dict == nil {
		return s2.Encode(dst, html)
	}
	return s.dict.Encode(dst, html)
}

func (s *shape) decode(dst, block []byte) ([]byte, error) {
	if s.dict == nil {
		return s2.Decode(dst, block)
	}
	return s.dict.Decode(dst, block)
}

// printed is one row as printed: its shape and its HTML, encoded.
type printed struct {
	shape *shape
	block []byte
	prev  bool // taken from the previous build's store, not executed by this one
}

// storedRecord is a record of the previous build's store.
type storedRecord struct {
	sum  [sha256.Size]byte
	rows []printed
}

// rowSlot is a record's place in this build's store: the rows the previous build printed of its export page,
// and those this build printed.
type rowSlot struct {
	mu   sync.Mutex
	prev []printed
	got  []printed
}

// rowStore is the build's row store.
type rowStore struct {
	out      string
	mu       sync.Mutex
	shapes   map[string]*shape // by key: the previous store's, then those this build made
	prev     map[string]*storedRecord
	entries  []rowSlot    // by Row.slot - 1
	subjects []rowSlot    // by SubjectRow.slot - 1
	reused   atomic.Int64 // rows taken from the previous build's store
	shared   atomic.Int64 // rows taken from what this build executed
	executed atomic.Int64
	arena    blockArena // the blocks: the previous store's file and this build's, outside the Go heap
}

// blockArena holds the store's blocks outside the Go heap, in memory mapped for them (and the previous
// store's file, mapped), so that the garbage collector neither scans them nor counts them in its heap goal:
// the build runs with GOGC=400 (cmd/xinyong), where each live megabyte costs about five of RSS. Nothing
// may use a block after free: RenderTree frees the store when the lists are written and it is saved.
type blockArena struct {
	mu     sync.Mutex
	cur    []byte
	chunks [][]byte
}

const arenaChunk = 8 << 20

// copy returns a copy of b in the arena.
func (a *blockArena) copy(b []byte) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	if cap(a.cur)-len(a.cur) < len(b) {
		m, err := unix.Mmap(-1, 0, max(arenaChunk, len(b)), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
		if err != nil {
			return bytes.Clone(b) // on the heap, then
		}
		a.chunks = append(a.chunks, m)
		a.cur = m[:0]
	}
	i := len(a.cur)
	a.cur = append(a.cur, b...)
	return a.cur[i:len(a.cur):len(a.cur)]
}

// mapFile maps the file name read-only into the arena; nil for an empty file.
func (a *blockArena) mapFile(name string) ([]byte, error) {
	m, _, err := tree.MapFile(name)
	if err != nil || len(m) == 0 {
		return nil, err
	}
	a.mu.Lock()
	a.chunks = append(a.chunks, m)
	a.mu.Unlock()
	return m, nil
}

// free unmaps everything.
func (a *blockArena) free() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, m := range a.chunks {
		unix.Munmap(m)
	}
	a.chunks, a.cur = nil, nil
}

// free releases the store's memory; nil is no store.
func (s *rowStore) free() {
	if s != nil {
		s.entries, s.subjects, s.shapes = nil, nil, nil
		s.arena.free()
	}
}

// newRowStore makes the build's store when it writes one (Options.RowStore and Options.Rows: the rows'
// sums are taken only then), loading the previous one (Reuse.RowStore); it returns why that one is not used.
func (r *Renderer) newRowStore() (*rowStore, string) {
	if r.storeOut == "" || r.rowsOut == "" {
		return nil, ""
	}
	s := &rowStore{out: r.storeOut, shapes: map[string]*shape{}}
	if r.reuse == nil || r.reuse.RowStore == "" {
		return s, ""
	}
	shapes, prev, err := readRowStore(&s.arena, r.reuse.RowStore, r.rowsKey())
	if err != nil {
		s.arena.free()
		return s, err.Error()
	}
	s.shapes, s.prev = shapes, prev
	return s, ""
}

// place gives each sorted row its slot in the store, with what the previous store printed of the same
// record's export page.
func (s *rowStore) place(entries []Row, subjects []SubjectRow) {
	s.entries = make([]rowSlot, len(entries))
	s.subjects = make([]rowSlot, len(subjects))
	prevOf := func(section, name string, src source) []printed {
		if p := s.prev[section+"/"+name]; p != nil && p.sum == src.sum {
			return p.rows
		}
		return nil
	}
	for i := range entries {
		e := &entries[i]
		if e.src.sum == ([sha256.Size]byte{}) {
			continue // not known: never kept
		}
		e.slot = int32(i + 1)
		s.entries[i].prev = prevOf(e.section, e.name, e.src)
	}
	for i := range subjects {
		x := &subjects[i]
		if x.src.sum == ([sha256.Size]byte{}) {
			continue
		}
		x.slot = int32(i + 1)
		s.subjects[i].prev = prevOf("subjects", x.name, x.src)
	}
	s.prev = nil // what a record may reuse is in its slot now
}

// slot is the store's slot of a row, or nil.
func (s *rowStore) slot(n int32, slots []rowSlot) *rowSlot {
	if s == nil || n <= 0 || int(n) > len(slots) {
		return nil
	}
	return &slots[n-1]
}

// find is the row of shape key in list.
func find(list []printed, key []byte) (printed, bool) {
	for _, p := range list {
		if p.shape.key == string(key) {
			return p, true
		}
	}
	return printed{}, false
}

// partialRows is the layouts' partialRows NAME ROWS [KEY VALUE]...: for each row of ROWS (a page's list
// rows: []render.Row or []render.SubjectRow) the output of records/_partials/NAME executed with
// (dict "row" ROW KEY VALUE ...) as its dot, one after the other. A row the previous build printed from the
// same record's export page with the same NAME and pairs is taken from the row store instead (see above).
// The values are the rows' variants, compared by type and value as partialCached's; the partial sees
// nothing else of the page it is called from, so it cannot print what its key does not name. One call per
// table, so that a row taken from the store costs no template action.
func (r *Renderer) partialRows(name string, rows any, kv ...any) (template.HTML, error) {
	if len(kv)%2 != 0 {
		return "", errors.New("partialRows: odd number of key and value arguments")
	}
	ctx := make(map[string]any, 1+len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return "", fmt.Errorf("partialRows: key %v is not a string", kv[i])
		}
		ctx[k] = kv[i+1]
	}
	t := r.partials.t.Lookup(partialName(name))
	if t == nil {
		return "", fmt.Errorf("partialRows: no partial %q", name)
	}
	pr := &rowPrinter{r: r, t: t, name: name, ctx: ctx}
	if b, _ := r.rowBufs.Get().(*[]byte); b != nil {
		pr.out = (*b)[:0]
	}
	defer func() {
		b := pr.out[:0]
		r.rowBufs.Put(&b)
	}()
	pr.key = appendPartialKey(nil, name, kv)
	var s *rowStore = r.store
	switch l := rows.(type) {
	case []Row:
		for i := range l {
			var slots []rowSlot
			if s != nil {
				slots = s.entries
			}
			if err := printRow(pr, &l[i], s.slot(l[i].slot, slots)); err != nil {
				return "", err
			}
		}
	case []SubjectRow:
		for i := range l {
			var slots []rowSlot
			if s != nil {
				slots = s.subjects
			}
			if err := printRow(pr, &l[i], s.slot(l[i].slot, slots)); err != nil {
				return "", err
			}
		}
	default:
		return "", fmt.Errorf("partialRows: %T is not a list of rows", rows)
	}
	// The one copy of the table's rows: the buffer goes back to the pool, for the next table.
	return template.HTML(pr.out), nil
}

// rowPrinter prints the rows of one partialRows call.
type rowPrinter struct {
	r    *Renderer
	t    *template.Template // the partial
	name string
	ctx  map[string]any // the pairs, and the row being printed
	key  []byte         // name and pairs: the rows' shape
	out  []byte         // the rows printed so far (a buffer of Renderer.rowBufs)
	buf  []byte
}

// Write appends to the rows printed, for the partial's execution.
func (pr *rowPrinter) Write(b []byte) (int, error) {
	pr.out = append(pr.out, b...)
	return len(b), nil
}

// printRow appends the row's HTML: from its slot in the store when there, else executed (and kept in the
// slot). The row is made a value of the partial's dot only when executed: a row taken from the store is
// not copied.
func printRow[T Row | SubjectRow](pr *rowPrinter, row *T, slot *rowSlot) error {
	s := pr.r.store
	if slot != nil {
		slot.mu.Lock()
		p, ok := find(slot.got, pr.key)
		if !ok {
			if p, ok = find(slot.prev, pr.key); ok {
				p.prev = true
				slot.got = append(slot.got, p)
			}
		}
		slot.mu.Unlock()
		if ok {
			if pr.decode(p) {
				if p.prev {
					s.reused.Add(1)
				} else {
					s.shared.Add(1)
				}
				return nil
			}
			// A block that does not decode: executed below, and this build's output kept instead.
		}
	}
	pr.ctx["row"] = *row
	start := len(pr.out)
	if err := pr.t.Execute(pr, pr.ctx); err != nil {
		return fmt.Errorf("partialRows %q: %w", pr.name, err)
	}
	if slot == nil {
		return nil
	}
	s.executed.Add(1)
	sh := pr.r.shapeOf(string(pr.key), pr.name, *row, pr.ctx)
	pr.buf = sh.encode(pr.buf[:cap(pr.buf)], pr.out[start:])
	p := printed{shape: sh, block: s.arena.copy(pr.buf)}
	slot.mu.Lock()
	slot.got = slices.DeleteFunc(slot.got, func(q printed) bool { return q.shape.key == sh.key })
	slot.got = append(slot.got, p)
	slot.mu.Unlock()
	return nil
}

// decode appends the HTML of a stored row, decoded in place at the end of the rows printed; false for a
// block that does not decode (nothing appended).
func (pr *rowPrinter) decode(p printed) bool {
	n, err := s2.DecodedLen(p.block)
	if err != nil {
		return false
	}
	pr.out = slices.Grow(pr.out, n)
	free := pr.out[len(pr.out):cap(pr.out)]
	b, err := p.shape.decode(free, p.block)
	if err != nil || len(b) != n || (n > 0 && &b[0] != &free[0]) {
		return false
	}
	pr.out = pr.out[:len(pr.out)+n]
	return true
}

// shapeOf is the shape of key, made on its first use: its dictionary is the partial's output for made-up
// rows of the row's type (every string empty; every string "0" and number 1; every string "black") with
// the pairs of ctx, which prints the labels and the markup of the shape and no record's data.
func (r *Renderer) shapeOf(key, name string, row any, ctx map[string]any) *shape {
	s := r.store
	s.mu.Lock()
	sh := s.shapes[key]
	s.mu.Unlock()
	if sh != nil {
		return sh
	}
	fake := maps.Clone(ctx)
	t := reflect.TypeOf(row)
	var data bytes.Buffer
	for _, fill := range []string{"", "0", "black"} {
		v := reflect.New(t).Elem()
		for i := range t.NumField() {
			f := v.Field(i)
			if !t.Field(i).IsExported() {
				continue
			}
			switch f.Kind() {
			case reflect.String:
				f.SetString(fill)
			case reflect.Int:
				f.SetInt(int64(len(fill)))
			}
		}
		fake["row"] = v.Interface()
		n := data.Len()
		if err := r.partials.t.ExecuteTemplate(&data, partialName(name), fake); err != nil {
			data.Truncate(n)
		}
	}
	sh = &shape{key: key}
	if d := s2.MakeDict(data.Bytes(), nil); d != nil {
		sh.raw, sh.dict = d.Bytes(), d
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if x := s.shapes[key]; x != nil {
		return x // made by another worker meanwhile: one dictionary per shape
	}
	s.shapes[key] = sh
	return sh
}

// write writes the store (under a temporary name until complete) from the rows as sorted: each record's
// rows printed by this build, by shape.
func (s *rowStore) write(key string, entries []Row, subjects []SubjectRow) error {
	// The shapes used, in the order of their keys.
	used := map[*shape]bool{}
	for _, slots := range [][]rowSlot{s.entries, s.subjects} {
		for i := range slots {
			for _, p := range slots[i].got {
				used[p.shape] = true
			}
		}
	}
	shapes := slices.SortedFunc(func(yield func(*shape) bool) {
		for sh := range used {
			if !yield(sh) {
				return
			}
		}
	}, func(a, b *shape) int { return strings.Compare(a.key, b.key) })
	index := make(map[*shape]int, len(shapes))
	for i, sh := range shapes {
		index[sh] = i
	}

	sw, err := tree.CreateSealed(s.out, 1<<16)
	if err != nil {
		return err
	}
	w := &storeWriter{w: sw}
	w.raw([]byte(rowStoreMagic))
	w.str(key)
	w.uint(uint64(len(shapes)))
	for _, sh := range shapes {
		w.str(sh.key)
		w.str(string(sh.raw))
	}
	record := func(section, name string, sum *[sha256.Size]byte, slot *rowSlot) {
		if len(slot.got) == 0 {
			return
		}
		slices.SortFunc(slot.got, func(a, b printed) int { return cmp.Compare(a.shape.key, b.shape.key) })
		w.str(section)
		w.str(name)
		w.raw(sum[:])
		w.uint(uint64(len(slot.got)))
		for _, p := range slot.got {
			w.uint(uint64(index[p.shape]))
			w.uint(uint64(len(p.block)))
			w.raw(p.block)
		}
	}
	for i := range entries {
		record(entries[i].section, entries[i].name, &entries[i].src.sum, &s.entries[i])
	}
	for i := range subjects {
		record("subjects", subjects[i].name, &subjects[i].src.sum, &s.subjects[i])
	}
	if w.err != nil {
		sw.Abort()
		return w.err
	}
	return sw.Close()
}

// storeWriter writes the store's values, remembering the first error.
type storeWriter struct {
	w   *tree.SealedWriter
	err error
	num [10]byte
}

func (w *storeWriter) raw(b []byte) {
	if w.err == nil {
		_, w.err = w.w.Write(b)
	}
}

func (w *storeWriter) uint(n uint64) {
	i := 0
	for n >= 0x80 {
		w.num[i] = byte(n) | 0x80
		n >>= 7
		i++
	}
	w.num[i] = byte(n)
	w.raw(w.num[:i+1])
}

func (w *storeWriter) str(s string) {
	w.uint(uint64(len(s)))
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// readRowStore reads and checks the store name, written under key: its shapes by key and its records by
// <section>/<name>. The blocks are slices of the file's bytes.
func readRowStore(a *blockArena, name, key string) (map[string]*shape, map[string]*storedRecord, error) {
	data, err := a.mapFile(name)
	if err != nil {
		return nil, nil, err
	}
	bad := func(why string) error { return fmt.Errorf("row store unusable: %s: %s", name, why) }
	if len(data) < len(rowStoreMagic)+sha256.Size || string(data[:len(rowStoreMagic)]) != rowStoreMagic {
		return nil, nil, bad("not a row store")
	}
	body, trailer := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], trailer) {
		return nil, nil, bad("checksum mismatch (truncated or damaged)")
	}
	d := &rowsReader{b: body[len(rowStoreMagic):]}
	if k := d.str(); d.err == nil && k != key {
		return nil, nil, bad("written by another build (its key differs)")
	}
	n := d.uint()
	if n > uint64(len(d.b)) {
		return nil, nil, bad("bad shape count")
	}
	list := make([]*shape, 0, n)
	shapes := make(map[string]*shape, n)
	for range n {
		sh := &shape{key: d.str()}
		if raw := d.bytes(d.uint()); len(raw) > 0 {
			sh.raw = bytes.Clone(raw) // not the mapped file's: small
			if sh.dict = s2.NewDict(raw); sh.dict == nil {
				d.fail("bad dictionary")
			}
		}
		if shapes[sh.key] != nil {
			d.fail("a shape twice")
		}
		shapes[sh.key] = sh
		list = append(list, sh)
	}
	recs := map[string]*storedRecord{}
	for d.err == nil && len(d.b) > 0 {
		section, pname := d.str(), d.str()
		p := &storedRecord{}
		copy(p.sum[:], d.bytes(sha256.Size))
		count := d.uint()
		if count > uint64(len(d.b)) {
			d.fail("bad row count")
			break
		}
		p.rows = make([]printed, 0, count)
		for range count {
			i := d.uint()
			block := d.bytes(d.uint())
			if i >= uint64(len(list)) {
				d.fail("bad shape")
				break
			}
			p.rows = append(p.rows, printed{shape: list[i], block: block})
		}
		k := section + "/" + pname
		if recs[k] != nil {
			d.fail("a record twice: " + k)
		}
		recs[k] = p
	}
	if d.err != nil {
		return nil, nil, bad(d.err.Error())
	}
	return shapes, recs, nil
}
