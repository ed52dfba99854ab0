package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"io/fs"
	"os"
	"strconv"
	"time"

	"xinyong"
	"xinyong/internal/tree"
)

// The record pages of an export (entries, subjects and cases) are most of its work: cleaning their fields,
// rendering their front matter, hashing them. On a night when 1% of the records changed, 99% of that work
// gives the bytes it gave the night before. The export therefore keeps, beside the tree, the bytes of
// every record page with the digest of everything the page is made from (Exporter.Pages): the next
// export takes a page whose digest is the same from there instead of cleaning and rendering it.
//
// A page's digest is the SHA-256 of the program (ProgramID), the publication rules, and the database rows
// the page is made from, field by field: an entry page of its entry row, its subject row and its
// department row; a subject page of its subject row and the digests of the entry pages it lists, in
// order; a case page of its case row, its subject's row and whether that subject has a page, and its
// department's row. Nothing else goes into either page: the as-of date decides which rows are public, and that is
// decided again every night from the rows (an entry that expired or was repaired is not exported, whatever
// the pages file holds), but a page that is exported does not show it (docs/export.md, "version"). So a
// page whose digest is the same has the same bytes, and one whose row, subject, department, rules or
// program changed has another digest and is rendered. The bytes still go through the pipeline as if
// rendered: hashed into the data version and the content sums, and linked from the previous tree when its
// sums match, written otherwise.
//
// The file is written in export order, under a temporary name renamed into place when complete:
//
//	"xinyong pages 1\n"                      the format, 16 bytes
//	per page: digest (32 bytes), the page's SHA-256 (32 bytes), the path's length (uvarint), the path,
//	          the page's length (uvarint), the page
//	SHA-256 of everything above (32 bytes)
//
// It is read with mmap, checked whole (a file that is missing, cut, damaged or of another format is not
// used: every page is rendered) and indexed by path. It holds the record pages' bytes again (160 MB at
// 100,000 entries); a night whose pages file has the previous one's bytes links it instead.

const pagesMagic = "xinyong pages 2\n"

// errPages marks a pages file that cannot be used.
var errPages = errors.New("pages file unusable")

// pagesFile is a previous export's pages file, mapped into memory.
type pagesFile struct {
	data []byte // the mapping, trailer included
	body []byte // data without the trailer
	// slots is an open-addressing table of the records by path: a record's offset plus one in the low 32
	// bits (0: empty), the high 32 bits of its path's hash above, so that a probe that meets another path
	// is told apart without decoding that record.
	slots []uint64
	seed  maphash.Seed
}

// openPages maps and checks the pages file name.
func openPages(name string) (*pagesFile, error) {
	bad := func(why string) error { return fmt.Errorf("%w: %s: %s", errPages, name, why) }
	data, _, err := tree.MapFile(name)
	if err != nil {
		return nil, err
	}
	if len(data) < len(pagesMagic)+sha256.Size {
		tree.Unmap(data)
		return nil, bad("not a pages file")
	}
	if len(data) >= 1<<32-1 {
		tree.Unmap(data)
		return nil, bad("too large") // offsets are 32 bits
	}
	p := &pagesFile{data: data, body: data[:len(data)-sha256.Size], seed: maphash.MakeSeed()}
	if err := p.index(); err != nil {
		p.close()
		return nil, bad(err.Error())
	}
	return p, nil
}

// index checks the file and builds the table of its pages by path.
func (p *pagesFile) index() error {
	if string(p.body[:len(pagesMagic)]) != pagesMagic {
		return errors.New("not a pages file")
	}
	// The checksum is computed beside the indexing, which reads the same bytes: nothing is used before both
	// are done, and a mismatch refuses the file whatever the indexing found.
	sumOK := make(chan bool, 1)
	go func() {
		sum := sha256.Sum256(p.body)
		sumOK <- bytes.Equal(sum[:], p.data[len(p.body):])
	}()
	err := p.indexRecords()
	if !<-sumOK {
		return errors.New("checksum mismatch (truncated or damaged)")
	}
	return err
}

// indexRecords builds the table of the pages by path.
func (p *pagesFile) indexRecords() error {
	var recs []uint32
	for off := len(pagesMagic); off < len(p.body); {
		_, _, next, ok := p.record(off)
		if !ok {
			return fmt.Errorf("record at %d: malformed", off)
		}
		recs = append(recs, uint32(off))
		off = next
	}
	size := 16
	for size < 2*len(recs) {
		size *= 2
	}
	p.slots = make([]uint64, size)
	for _, off := range recs {
		path := p.pathAt(int(off))
		i, h, found := p.find(path)
		if found {
			return fmt.Errorf("a path twice: %s", path)
		}
		p.slots[i] = h&^0xffffffff | uint64(off+1)
	}
	return nil
}

// record decodes the page at off: its path, its bytes and the offset of the next record.
func (p *pagesFile) record(off int) (path, page []byte, next int, ok bool) {
	b := p.body
	if len(b)-off < 2*sha256.Size+1 {
		return nil, nil, 0, false
	}
	at := off + 2*sha256.Size
	n, w := binary.Uvarint(b[at:])
	if w <= 0 || n == 0 || n > uint64(len(b)-at-w) {
		return nil, nil, 0, false
	}
	at += w
	path = b[at : at+int(n)]
	if !fs.ValidPath(string(path)) {
		return nil, nil, 0, false
	}
	at += int(n)
	m, w := binary.Uvarint(b[at:])
	if w <= 0 || m > uint64(len(b)-at-w) {
		return nil, nil, 0, false
	}
	at += w
	return path, b[at : at+int(m) : at+int(m)], at + int(m), true
}

// pathAt is the path of the record at off, which index has checked (record).
func (p *pagesFile) pathAt(off int) []byte {
	at := off + 2*sha256.Size
	n, w := binary.Uvarint(p.body[at:])
	at += w
	return p.body[at : at+int(n)]
}

// find returns the slot of the record of path, or the empty slot where it would go, with path's hash.
func (p *pagesFile) find(path []byte) (slot int, hash uint64, found bool) {
	mask := len(p.slots) - 1
	hash = maphash.Bytes(p.seed, path)
	for i := int(hash) & mask; ; i = (i + 1) & mask {
		v := p.slots[i]
		if v == 0 {
			return i, hash, false
		}
		if v>>32 == hash>>32 && bytes.Equal(p.pathAt(int(uint32(v)-1)), path) {
			return i, hash, true
		}
	}
}

// lookup returns the page at rel, with its SHA-256, if its digest is digest. The bytes are the mapping's:
// valid until close.
func (p *pagesFile) lookup(rel string, digest *[sha256.Size]byte) (page []byte, sum *[sha256.Size]byte, ok bool) {
	if p == nil {
		return nil, nil, false
	}
	i, _, found := p.find([]byte(rel))
	if !found {
		return nil, nil, false
	}
	off := int(uint32(p.slots[i]) - 1)
	if !bytes.Equal(p.body[off:off+sha256.Size], digest[:]) {
		return nil, nil, false
	}
	_, page, _, _ = p.record(off)
	return page, (*[sha256.Size]byte)(p.body[off+sha256.Size : off+2*sha256.Size]), true
}

// trailer is the file's checksum, which identifies its contents.
func (p *pagesFile) trailer() []byte { return p.data[len(p.body):] }

func (p *pagesFile) close() {
	if p != nil && p.data != nil {
		tree.Unmap(p.data)
		p.data = nil
	}
}

// pagesWriter writes a pages file: under a temporary name until close, which renames it into place.
type pagesWriter struct {
	name string
	w    *tree.SealedWriter
}

func createPages(name string) (*pagesWriter, error) {
	w, err := tree.CreateSealed(name, 1<<20)
	if err != nil {
		return nil, err
	}
	w.WriteString(pagesMagic)
	return &pagesWriter{name: name, w: w}, nil
}

// add records the page rel, whose SHA-256 is sum, with the digest of its inputs.
func (pw *pagesWriter) add(digest *[sha256.Size]byte, rel string, page []byte, sum *[sha256.Size]byte) {
	var buf [2*sha256.Size + 2*binary.MaxVarintLen64]byte
	copy(buf[:], digest[:])
	copy(buf[sha256.Size:], sum[:])
	n := 2*sha256.Size + binary.PutUvarint(buf[2*sha256.Size:], uint64(len(rel)))
	pw.w.Write(buf[:n])
	pw.w.WriteString(rel)
	n = binary.PutUvarint(buf[:], uint64(len(page)))
	pw.w.Write(buf[:n])
	pw.w.Write(page)
}

// close ends the file with its checksum and renames it into place. When prev (the file the export took
// pages from, if any) has the same bytes, the new file is a hard link to it instead: a night on which
// nothing changed costs no second copy.
func (pw *pagesWriter) close(prev string, prevFile *pagesFile) error {
	n := pw.w.Len()
	sum, err := pw.w.Seal()
	if err != nil {
		return err
	}
	if prevFile != nil && int64(len(prevFile.data)) == n+sha256.Size && bytes.Equal(prevFile.trailer(), sum) {
		if err := os.Link(prev, pw.name); err == nil {
			pw.w.Abort()
			return nil
		}
		// Another file system, or the same path: the copy just written is as good.
	}
	return pw.w.Commit()
}

// abort removes the unfinished file; a no-op after close.
func (pw *pagesWriter) abort() {
	if pw != nil {
		pw.w.Abort()
	}
}

// digester computes the digests of record pages (see the top of this file). Its fields are written
// length-prefixed, so that no two sequences of fields give the same input.
type digester struct {
	key [sha256.Size]byte // the program and the rules
	buf []byte
}

// pagesFormat names the form of the pages and of their digests: a change to either that the program's
// identity would not already change (it always does) still changes every digest.
const pagesFormat = "xinyong page digest 2"

func newDigester(program string, rules xinyong.Rules) *digester {
	d := &digester{}
	d.begin(nil)
	d.str(pagesFormat)
	d.str(program)
	d.list(rules.CourtLists)
	d.list(rules.AdminLists)
	d.bool(rules.PublishConflictingHonours)
	d.key = d.sum()
	return d
}

// begin starts a digest, with the key unless it is nil.
func (d *digester) begin(key *[sha256.Size]byte) {
	d.buf = d.buf[:0]
	if key != nil {
		d.buf = append(d.buf, key[:]...)
	}
}

func (d *digester) str(s string) {
	d.buf = binary.AppendUvarint(d.buf, uint64(len(s)))
	d.buf = append(d.buf, s...)
}

func (d *digester) bool(b bool) {
	if b {
		d.buf = append(d.buf, 1)
	} else {
		d.buf = append(d.buf, 0)
	}
}

// list writes a list that may be nil (the default) or empty, which are different rules.
func (d *digester) list(l []string) {
	d.bool(l == nil)
	d.buf = binary.AppendUvarint(d.buf, uint64(len(l)))
	for _, s := range l {
		d.str(s)
	}
}

func (d *digester) date(v xinyong.Date) { d.str(v.String()) }

// problems writes what the database driver could not decode in a row (a rule reports it on the page).
func (d *digester) problems(ps []xinyong.Problem) {
	d.buf = binary.AppendUvarint(d.buf, uint64(len(ps)))
	for _, p := range ps {
		d.str(p.String())
	}
}

func (d *digester) time(t time.Time) {
	d.bool(t.IsZero())
	d.buf = binary.AppendVarint(d.buf, t.Unix())
	d.buf = binary.AppendUvarint(d.buf, uint64(t.Nanosecond()))
	_, offset := t.Zone()
	d.buf = binary.AppendVarint(d.buf, int64(offset))
}

func (d *digester) sum() [sha256.Size]byte { return sha256.Sum256(d.buf) }

// department is the digest of a department row as the database gave it.
func (d *digester) department(dep *xinyong.Department) [sha256.Size]byte {
	d.begin(nil)
	d.str("department")
	d.str(dep.Code)
	d.str(dep.Name)
	d.str(dep.CreditCode)
	d.str(dep.Phone)
	d.str(dep.Address)
	d.str(dep.Hours)
	return d.sum()
}

// subject is the digest of a subject row as the database gave it.
func (d *digester) subject(s *xinyong.Subject) [sha256.Size]byte {
	d.begin(nil)
	d.str("subject")
	d.str(s.ID)
	d.str(s.Kind)
	d.str(s.Name)
	d.str(s.CreditCode)
	d.str(s.IDNumber)
	d.str(s.LegalRep)
	d.str(s.District)
	return d.sum()
}

// entry is the digest of an entry page: the program and rules, the entry row, and the digests of its
// subject's and its department's rows.
func (d *digester) entry(en *xinyong.Entry, subject, department *[sha256.Size]byte) [sha256.Size]byte {
	d.begin(&d.key)
	d.str("entry")
	d.buf = append(d.buf, subject[:]...)
	d.buf = append(d.buf, department[:]...)
	d.str(en.ID)
	d.str(en.List)
	d.str(en.ListName)
	d.str(en.SubjectID)
	d.str(en.Reason)
	d.str(en.Basis)
	d.str(en.DecisionNo)
	d.str(en.Measures)
	d.str(en.Department)
	d.str(en.Severity)
	d.date(en.DecidedOn)
	d.date(en.ValidFrom)
	d.date(en.ValidTo)
	d.bool(en.Public)
	d.str(en.Status)
	d.date(en.StatusChangedOn)
	d.time(en.UpdatedAt)
	d.problems(en.DecodeProblems)
	return d.sum()
}

// casePage is the digest of a case's page: the program and rules, the case row, its subject's row (if
// any) and whether that subject has a page in this export (the case names it only then), and its
// department's row.
func (d *digester) casePage(c *xinyong.Case, subject *xinyong.Subject, subjectPage bool, department *[sha256.Size]byte) [sha256.Size]byte {
	var subj [sha256.Size]byte
	if subject != nil {
		subj = d.subject(subject)
	}
	d.begin(&d.key)
	d.str("case")
	d.bool(subject != nil)
	d.buf = append(d.buf, subj[:]...)
	d.bool(subjectPage)
	d.buf = append(d.buf, department[:]...)
	d.str(c.ID)
	d.str(c.Kind)
	d.str(c.Title)
	d.str(c.Summary)
	d.str(c.Body)
	d.str(c.SubjectID)
	d.str(c.Department)
	d.date(c.PublishedOn)
	d.str(c.Status)
	d.date(c.StatusChangedOn)
	d.time(c.UpdatedAt)
	d.problems(c.DecodeProblems)
	return d.sum()
}

// subjectPage is the digest of a subject page: the program and rules, the subject row, and the digests of
// the entry pages it lists, in the order they were written.
func (d *digester) subjectPage(subject *[sha256.Size]byte, entries [][sha256.Size]byte) [sha256.Size]byte {
	d.begin(&d.key)
	d.str("subject page")
	d.buf = append(d.buf, subject[:]...)
	d.buf = strconv.AppendInt(d.buf, int64(len(entries)), 10)
	d.buf = append(d.buf, ':')
	for i := range entries {
		d.buf = append(d.buf, entries[i][:]...)
	}
	return d.sum()
}

// reuse is the pages files of one export: the previous export's, to take pages from, and the new one.
// A nil *reuse (no pages file wanted) takes nothing and records nothing.
type reuse struct {
	dig      *digester
	prev     *pagesFile // nil: none usable
	prevName string
	out      *pagesWriter
	depts    map[string][sha256.Size]byte // digests of the department rows by code
	hits     int
}

// openReuse opens the previous export's pages file and starts the new one, when Pages is set and the
// program can be identified (ProgramID). A previous file that is missing or cannot be used only means
// that every page is rendered.
func (x *Exporter) openReuse(log interface {
	Info(string, ...any)
	Warn(string, ...any)
}) (*reuse, error) {
	if x.Pages == "" {
		return nil, nil
	}
	program := ProgramID()
	if program == "" {
		log.Warn("the program cannot be identified: no pages file is written, every page is rendered")
		return nil, nil
	}
	r := &reuse{dig: newDigester(program, x.Rules), depts: map[string][sha256.Size]byte{}}
	if p := x.Previous; p != nil && p.Pages != "" {
		prev, err := openPages(p.Pages)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			log.Info("the previous export has no pages file: every page is rendered", "error", err)
		case err != nil:
			log.Warn("the previous export's pages file cannot be used: every page is rendered", "error", err)
		default:
			r.prev, r.prevName = prev, p.Pages
		}
	}
	out, err := createPages(x.Pages)
	if err != nil {
		r.close()
		return nil, fmt.Errorf("export: %w", err)
	}
	r.out = out
	return r, nil
}

// writer is the new pages file, nil for none.
func (r *reuse) writer() *pagesWriter {
	if r == nil {
		return nil
	}
	return r.out
}

// finish completes the new pages file, once every page has been through the pipeline.
func (r *reuse) finish() error {
	if r == nil || r.out == nil {
		return nil
	}
	return r.out.close(r.prevName, r.prev)
}

func (e *export) reused() int {
	if e.reuse == nil {
		return 0
	}
	return e.reuse.hits
}

// close unmaps the previous file and removes the new one if it was not completed.
func (r *reuse) close() {
	if r != nil {
		r.out.abort()
		r.prev.close()
	}
}

func (r *reuse) department(d *xinyong.Department) {
	if r != nil {
		r.depts[d.Code] = r.dig.department(d)
	}
}

func (r *reuse) subject(s *xinyong.Subject) (digest [sha256.Size]byte) {
	if r != nil {
		digest = r.dig.subject(s)
	}
	return digest
}

func (r *reuse) entry(en *xinyong.Entry, subject *[sha256.Size]byte) (digest [sha256.Size]byte) {
	if r != nil {
		dept := r.depts[en.Department]
		digest = r.dig.entry(en, subject, &dept)
	}
	return digest
}

func (r *reuse) subjectPage(subject *[sha256.Size]byte, entries [][sha256.Size]byte) (digest [sha256.Size]byte) {
	if r != nil {
		digest = r.dig.subjectPage(subject, entries)
	}
	return digest
}

func (r *reuse) casePage(c *xinyong.Case, s *xinyong.Subject, subjectPage bool) (digest [sha256.Size]byte) {
	if r != nil {
		dept := r.depts[c.Department]
		digest = r.dig.casePage(c, s, subjectPage, &dept)
	}
	return digest
}

// lookup returns the previous export's page at rel, with its SHA-256, when it was made from inputs with
// digest.
func (r *reuse) lookup(rel string, digest *[sha256.Size]byte) ([]byte, *[sha256.Size]byte, bool) {
	if r == nil {
		return nil, nil, false
	}
	page, sum, ok := r.prev.lookup(rel, digest)
	if ok {
		r.hits++
	}
	return page, sum, ok
}
