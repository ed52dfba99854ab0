package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"xinyong"
)

// Kinds of Doc.
const (
	KindSubject = "subject" // a 主体 with at least one public list entry
	KindCase    = "case"    // a published typical case
)

// Limits of what is indexed.
const (
	maxSummary = 200 // runes of Doc.Summary kept for the result list
	maxURL     = 300 // bytes of Doc.URL
)

// Doc is one searchable thing: a subject or a case. Build cleans every text field (control characters,
// direction overrides, length) and masks ID numbers in it; the caller passes the values as published.
type Doc struct {
	Kind string // KindSubject or KindCase
	ID   string // subject id or credit code, or case id; unique per Kind, xinyong.ValidID
	URL  string // site path: /subjects/<code or id>/, /cases/<id>/

	Name string // subject name or case title
	Code string // credit code; may be empty; ignored for a natural person

	// Person marks a natural person (自然人): searchable by name only. No code is indexed or stored for a
	// person, and an ID number is never indexed for anybody: a code that is or looks like one is dropped,
	// ID numbers in text are masked.
	Person bool

	Lists       []string     // xinyong.ListRed, xinyong.ListBlack
	ListNames   []string     // 名单名称
	Departments []string     // department names
	Districts   []string     // district names, or GB/T 2260 codes of xinyong.DistrictCodes (stored as names)
	Date        xinyong.Date // newest listing date of a subject, published_on of a case
	Summary     string       // shown under the name in results: list names or reason, case summary

	// Entries are the public list entries of a subject (none for a case): each is found by its id and by
	// its 认定文号. A case is found by its own id (ID).
	Entries []Entry
}

// Entry is a public list entry of a subject, as far as search needs it: what the public pastes to find it.
type Entry struct {
	ID         string `json:"id"`                    // entry id (E0000003); its page is /<list>/<id>/
	List       string `json:"list"`                  // xinyong.ListRed or xinyong.ListBlack
	DecisionNo string `json:"decision_no,omitempty"` // 认定文号, as published
}

// URL returns the site path of the entry's page.
func (e Entry) URL() string { return "/" + e.List + "/" + e.ID + "/" }

// Hit is one search result: the Doc as cleaned and stored in the index, with the name split into matched
// and unmatched segments. The fields are plain text: render them with html/template.
type Hit struct {
	Kind        string   `json:"kind"`
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	Name        string   `json:"name"`
	Code        string   `json:"code,omitempty"`
	Person      bool     `json:"person,omitempty"`
	Lists       []string `json:"lists,omitempty"`
	ListNames   []string `json:"list_names,omitempty"`
	Departments []string `json:"departments,omitempty"`
	Districts   []string `json:"districts,omitempty"`
	Date        string   `json:"date,omitempty"` // YYYY-MM-DD
	Summary     string   `json:"summary,omitempty"`

	// Segments is Name cut into runs of matched and unmatched text, in order; their texts join to Name.
	Segments []Segment `json:"segments,omitempty"`
	// CodeMatched reports whether the query matched Code (in full or as a prefix).
	CodeMatched bool `json:"code_matched,omitempty"`
	// Entries are the subject's public entries as stored in the index; Search leaves them out of its hits
	// and sets Matched instead.
	Entries []Entry `json:"entries,omitempty"`
	// Matched is the entry the query named, by its id or its 认定文号; nil when the query matched the name,
	// the code, or a case's id.
	Matched *MatchedEntry `json:"matched_entry,omitempty"`
	// RefMatched reports whether the query was the id or a 认定文号 of this document (for a case, its id).
	RefMatched bool    `json:"ref_matched,omitempty"`
	Score      float64 `json:"score,omitempty"`
}

// MatchedEntry is the entry a query named: its id, list, 认定文号 and the site path of its page.
type MatchedEntry struct {
	Entry
	URL string `json:"url"`
}

// Segment is a run of a name, matched by the query or not.
type Segment struct {
	Text    string `json:"text"`
	Matched bool   `json:"matched,omitempty"`
}

// Stats describes a built index.
type Stats struct {
	Docs     int           `json:"docs"`
	Subjects int           `json:"subjects"`
	Cases    int           `json:"cases"`
	Masked   int           `json:"masked"`          // docs in which an ID number was masked or a code dropped for looking like one
	Bytes    int64         `json:"bytes,omitempty"` // size of the index directory; not in the index's own xinyong-search.json (writeMeta)
	Elapsed  time.Duration `json:"-"`
	// Probes are a few queries the index answered, each with its first hit: the first subjects with a
	// credit code no other document has, searched by code, and the first documents with a name no other
	// has, searched by name. Check runs them again before the index is published or served.
	Probes []Probe `json:"-"`

	// Set by Update: how the index was made from the previous one. Incremental is false after a full
	// build; Fallback then says why the previous index was not reused ("" when there was none).
	Incremental bool   `json:"incremental,omitempty"`
	Added       int    `json:"added,omitempty"`   // documents new since the previous index
	Changed     int    `json:"changed,omitempty"` // documents whose stored text changed
	Deleted     int    `json:"deleted,omitempty"` // documents of the previous index gone
	Fallback    string `json:"-"`
	// Stale counts the documents deleted or replaced in the segments since the last full build; Update
	// builds afresh when it would exceed a quarter of the documents (see maxStale).
	Stale int `json:"stale,omitempty"`
	// Decoded counts the documents decoded and prepared: all of them in a full build; in an update those
	// whose line in the documents file is not one the previous index was made from, and the few the
	// probes read.
	Decoded int `json:"decoded,omitempty"`
}

// Builder settings: segments of builderBatch documents, merged into one segment at the end.
const (
	builderBatch    = 5000
	builderMergeMax = 20
)

// metaFile names the file Build writes last into the index directory; Open refuses a directory without it
// (an unfinished build) or with another format.
const (
	metaFile = "xinyong-search.json"
	// 2: documents with their dates (an index of format 1 stored none); 3: names indexed simplified, and
	// the ref field (ids and 认定文号).
	formatVersion = 3
)

type meta struct {
	Format int   `json:"format"`
	Stats  Stats `json:"stats"`
}

// Build writes a fresh index of docs into dir, which must not exist or be empty. Documents are indexed in
// the order given, offline, into one merged segment (bleve.NewBuilder); the same docs in the same order
// give the same search results. A doc that cannot be indexed (unknown kind or list, id not URL-safe or
// duplicate, empty name, URL not a site path or containing an ID number) fails the build: the export
// should never produce one. On failure, dir is left empty or absent.
func Build(ctx context.Context, dir string, docs iter.Seq2[Doc, error]) (Stats, error) {
	return build(ctx, dir, source{docs: docs})
}

// BuildFile is Build of the documents file at path (DocsWriter's: one document a line). Its index also
// lists the sum of each document's line, so that UpdateFile, the next night, neither decodes nor prepares
// the documents whose line did not change.
func BuildFile(ctx context.Context, dir, path string) (Stats, error) {
	return build(ctx, dir, source{path: path})
}

// source is where the documents come from: an iterator of Docs, or the documents file at path, read line
// by line.
type source struct {
	docs iter.Seq2[Doc, error]
	path string
}

func build(ctx context.Context, dir string, src source) (st Stats, err error) {
	start := time.Now()
	existed, err := checkEmptyDir(dir)
	if err != nil {
		return st, err
	}
	done := false
	defer func() {
		if !done { // an error, or a panic of the docs iterator
			clearDir(dir, existed)
		}
	}()

	var b bleve.Builder
	list := &docList{fingerprint: fingerprint()}
	st, err = indexAll(ctx, src, list, func() (bleve.Builder, error) {
		var err error
		b, err = newBuilder(dir)
		return b, err
	})
	if err != nil {
		return st, err // the builder's files are all in dir, which is cleared
	}
	if err := closeBuilder(dir, b); err != nil {
		return st, err
	}
	if err := finish(ctx, dir, &st, list, start); err != nil {
		return st, err
	}
	done = true
	return st, nil
}

// finish completes an index written into dir: it confirms the probes, writes the list of its documents,
// and writes the meta file last.
func finish(ctx context.Context, dir string, st *Stats, list *docList, start time.Time) (err error) {
	if st.Probes, err = confirmProbes(ctx, dir, st.Probes); err != nil {
		return err
	}
	if err := list.write(filepath.Join(dir, listFile)); err != nil {
		return err
	}
	if st.Bytes, err = dirSize(dir); err != nil {
		return err
	}
	st.Elapsed = time.Since(start)
	return writeMeta(dir, *st)
}

// newBuilder starts an offline build into dir. Its temporary segments are kept inside dir, so that the
// final rename stays on one file system and a failed build leaves nothing elsewhere.
func newBuilder(dir string) (bleve.Builder, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	b, err := bleve.NewBuilder(dir, newMapping(), map[string]any{
		"batchSize":       builderBatch,
		"mergeMax":        builderMergeMax,
		"buildPathPrefix": dir,
	})
	if err != nil {
		return nil, fmt.Errorf("search: create index %s: %w", dir, err)
	}
	return b, nil
}

// closeBuilder merges the built segments into the final index, or, when no document came (b is nil: the
// Bleve builder cannot close empty), writes an empty index.
func closeBuilder(dir string, b bleve.Builder) error {
	if b != nil {
		if err := b.Close(); err != nil {
			return fmt.Errorf("search: merge index %s: %w", dir, err)
		}
		return nil
	}
	idx, err := bleve.New(dir, newMapping())
	if err != nil {
		return fmt.Errorf("search: create empty index %s: %w", dir, err)
	}
	return idx.Close()
}

// confirmProbes runs the chosen probes on the index just built in dir. A credit code must give its subject
// first (an index that does not is broken: an error); a name probe whose name does not come first (the
// ranking of names is a heuristic) is dropped rather than recorded.
func confirmProbes(ctx context.Context, dir string, probes []Probe) ([]Probe, error) {
	if len(probes) == 0 {
		return nil, nil
	}
	idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("search: open %s: %w", dir, err)
	}
	x := &Index{idx: idx}
	defer x.Close()
	var kept []Probe
	for _, p := range probes {
		err := x.probe(ctx, p)
		switch {
		case err == nil:
			kept = append(kept, p)
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case p.By == ProbeByCode:
			return nil, fmt.Errorf("%w: %q: %w", ErrProbe, p.Q, err)
		}
	}
	return kept, nil
}

// indexAll feeds every document of src to a builder, which it creates with start when the first document
// comes. Documents are read and prepared in a second goroutine, while the builder analyses and writes the
// previous ones.
func indexAll(ctx context.Context, src source, list *docList, start func() (bleve.Builder, error)) (Stats, error) {
	var b bleve.Builder
	return eachDoc(ctx, src, nil, list, func(id string, p preparedDoc) error {
		if b == nil {
			var err error
			if b, err = start(); err != nil {
				return err
			}
		}
		if err := b.Index(id, p.fields); err != nil {
			return fmt.Errorf("search: index %s: %w", id, err)
		}
		return nil
	})
}

// eachDoc reads and prepares the documents of src in a second goroutine (prepareAll) and calls fn with
// each, in order, under its id ("<kind>/<id>", which must be unique); it counts the documents in the Stats
// it returns, adds them to list and chooses the probes among them. A document whose line sum known holds
// is that entry of the previous index's list: it comes unprepared (fields nil, reused set), unless the
// probes need its name and code.
func eachDoc(ctx context.Context, src source, known map[docSum]*docEntry, list *docList, fn func(id string, p preparedDoc) error) (Stats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan preparedDoc, 256)
	go prepareAll(ctx, src, known, ch)
	defer func() {
		cancel()
		for range ch { // wait for the producer to stop
		}
	}()

	var st Stats
	seen := make(map[string]bool)
	probes := newProber()
	lineSums := list.fingerprint != ""
	for p := range ch {
		if p.panic != nil {
			panic(p.panic) // in the caller's goroutine, where it can be recovered
		}
		if p.err != nil {
			return st, p.err
		}
		if seen[p.key] {
			kind, id, _ := strings.Cut(p.key, "/")
			return st, fmt.Errorf("search: document %d: duplicate %s %q", st.Docs+1, kind, id)
		}
		seen[p.key] = true
		if err := fn(p.key, p); err != nil {
			return st, err
		}
		e := docEntry{stored: p.sum, info: p.info, id: p.key}
		if lineSums {
			e.raw = p.raw
		}
		list.entries = append(list.entries, e)
		st.Docs++
		if p.info.flags&infoSubject != 0 {
			st.Subjects++
		} else {
			st.Cases++
		}
		if p.info.flags&infoMasked != 0 {
			st.Masked++
		}
		if p.fields != nil {
			st.Decoded++
		}
		var h *Hit
		if p.fields != nil {
			h = &p.hit
		}
		if err := probes.add(p.info, h); err != nil {
			return st, fmt.Errorf("search: document %d (%s): %w", st.Docs, p.key, err)
		}
	}
	st.Probes = probes.probes()
	return st, ctx.Err()
}

// preparedDoc is a Doc ready for the builder, or the error that ends the build.
type preparedDoc struct {
	key    string // kind/id
	hit    Hit    // as stored, for the probes; set with fields
	fields map[string]any
	info   docInfo
	raw    docSum // of the documents file's line; zero for a Doc of an iterator
	sum    docSum // of the stored document, from which every indexed field is derived
	// reused: the line is the one a document of the previous index was read from (known); fields is nil
	// unless the probes needed the document.
	reused bool
	err    error
	panic  any // a panic of the docs iterator, raised again by indexAll
}

// prepareAll reads the documents of src, prepares each and sends it on ch, which it closes at the end, on
// the first error (sent last) or when ctx is done. A line whose sum known holds is not decoded, but when
// the probes will look at it: they take the first candidatesKept documents that may be a probe by code,
// and by name, in order, so prepareAll counts them as the prober does.
func prepareAll(ctx context.Context, src source, known map[docSum]*docEntry, ch chan<- preparedDoc) {
	defer close(ch)
	defer func() {
		if r := recover(); r != nil {
			ch <- preparedDoc{panic: r}
		}
	}()
	send := func(p preparedDoc) bool {
		select {
		case ch <- p:
		case <-ctx.Done():
			return false
		}
		return p.err == nil
	}
	if src.path == "" {
		n := 0
		for d, err := range src.docs {
			n++
			if ctx.Err() != nil {
				return
			}
			p := preparedDoc{err: err}
			if err == nil {
				p = prepareDoc(d, n)
			}
			if !send(p) {
				return
			}
		}
		return
	}

	f, err := os.Open(src.path)
	if err != nil {
		send(preparedDoc{err: fmt.Errorf("search: %w", err)})
		return
	}
	defer f.Close()
	lr := newLineReader(f)
	var byCode, byName int // candidates of the prober so far
	for n := 1; ; n++ {
		line, err := lr.next()
		if err == io.EOF {
			return
		}
		if ctx.Err() != nil {
			return
		}
		var p preparedDoc
		switch {
		case err != nil:
			p.err = fmt.Errorf("search: %w", err)
		default:
			raw := sumOf(line)
			e := known[raw]
			if e == nil || e.info.flags&infoCodeCand != 0 && byCode < candidatesKept ||
				e.info.flags&infoNameCand != 0 && byName < candidatesKept {
				var d Doc
				if err := json.Unmarshal(line, &d); err != nil {
					p.err = lineError(lr.n, err)
					break
				}
				p = prepareDoc(d, n)
			}
			if e != nil {
				if p.err == nil && p.fields != nil && (p.key != e.id || p.sum != e.stored) {
					p.err = lineError(lr.n, fmt.Errorf("%s prepared otherwise than the previous index says", p.key))
				}
				p.key, p.sum, p.info, p.reused = e.id, e.stored, e.info, true
			}
			p.raw = raw
		}
		if p.info.flags&infoCodeCand != 0 {
			byCode++
		}
		if p.info.flags&infoNameCand != 0 {
			byName++
		}
		if !send(p) {
			return
		}
	}
}

// prepareDoc prepares d, the nth document.
func prepareDoc(d Doc, n int) preparedDoc {
	var p preparedDoc
	var masked bool
	var err error
	p.hit, p.fields, masked, err = prepare(d)
	if err != nil {
		p.err = fmt.Errorf("search: document %d (%s %q): %w", n, safeID(d.Kind), safeID(d.ID), err)
		return p
	}
	p.key = p.hit.Kind + "/" + p.hit.ID
	p.sum = sumOf([]byte(p.fields[fDoc].(string)))
	p.info = infoOf(p.hit, masked)
	return p
}

// safeID returns id for an error message, masked if it looks like an ID number.
func safeID(id string) string {
	s, _ := xinyong.MaskIDNumbersIn(xinyong.CleanLine(id))
	if utf8.RuneCountInString(s) > 64 {
		s = string([]rune(s)[:64]) + "…"
	}
	return s
}

// prepare cleans a Doc into the Hit stored for it and the fields indexed. masked reports whether an ID
// number was masked or dropped.
func prepare(d Doc) (h Hit, fields map[string]any, masked bool, err error) {
	if d.Kind != KindSubject && d.Kind != KindCase {
		return h, nil, false, fmt.Errorf("unknown kind %q", safeID(d.Kind))
	}
	if !xinyong.ValidID(d.ID) {
		return h, nil, false, errors.New("id is not URL-safe or looks like an ID number")
	}
	if _, found := xinyong.MaskIDNumbersIn(d.URL); found || !validURL(d.URL) {
		return h, nil, false, errors.New("URL is not a site path or contains an ID number")
	}
	h = Hit{Kind: d.Kind, ID: d.ID, URL: d.URL, Person: d.Person, Date: d.Date.String()}
	m := &masker{}
	h.Name = m.line(d.Name, xinyong.MaxLine)
	if h.Name == "" {
		return h, nil, false, errors.New("empty name")
	}
	h.Code, masked = publicCode(d.Code, d.Person)
	for _, l := range d.Lists {
		if l != xinyong.ListRed && l != xinyong.ListBlack {
			return h, nil, false, fmt.Errorf("unknown list %q", safeID(l))
		}
	}
	h.Lists = uniq(d.Lists)
	h.ListNames = m.lines(d.ListNames)
	h.Departments = m.lines(d.Departments)
	h.Districts = m.lines(mapSlice(d.Districts, districtName))
	h.Summary = m.line(d.Summary, maxSummary)
	if d.Kind == KindSubject {
		if h.Entries, err = m.entries(d.Entries); err != nil {
			return h, nil, false, err
		}
	}
	masked = masked || m.found

	stored, err := json.Marshal(h)
	if err != nil {
		return h, nil, false, err
	}
	// Indexed simplified (see simplify), converted once for the three fields.
	name := simplify(h.Name)
	fields = map[string]any{
		fName:       name,
		fName1:      name,
		fExact:      normalizeFolded(name),
		fRef:        h.refs(),
		fKind:       h.Kind,
		fList:       h.Lists,
		fListName:   h.ListNames,
		fDepartment: h.Departments,
		fDistrict:   h.Districts,
		fDoc:        string(stored),
	}
	if h.Code != "" {
		fields[fCode] = h.Code
		fields[fCodePrefix] = h.Code
	}
	if h.Date != "" {
		fields[fDate] = h.Date
	}
	return h, fields, masked, nil
}

// refs returns the reference keys of h (refKey): its id, and its entries' ids and 认定文号, each once.
// A subject's id that is its credit code is left out: the code field finds it.
func (h *Hit) refs() []string {
	var keys []string
	add := func(s string) {
		if k := refKey(s); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	if h.ID != h.Code {
		add(h.ID)
	}
	for _, e := range h.Entries {
		add(e.ID)
		add(e.DecisionNo)
	}
	return keys
}

// validURL reports whether u is a clean site path.
func validURL(u string) bool {
	return strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") && len(u) <= maxURL &&
		xinyong.CleanLine(u) == u && !strings.ContainsAny(u, " \"'<>\\")
}

// publicCode returns the code as indexed and shown: normalised, and empty for a person or when the code is
// not well formed (xinyong.CodeCheck.WellFormed: it may be a mistyped ID number). dropped reports whether a
// code was dropped for being or looking like an ID number.
func publicCode(code string, person bool) (c string, dropped bool) {
	c = xinyong.NormalizeCode(code)
	if c == "" {
		return "", false
	}
	idLike := xinyong.IsIDNumber(c) || xinyong.LooksLikeIDNumber(c)
	if person || idLike || !xinyong.CheckCreditCode(c).WellFormed() {
		return "", idLike
	}
	return c, false
}

// masker cleans text and masks ID numbers in it, remembering whether it found one.
type masker struct{ found bool }

func (m *masker) line(s string, max int) string {
	s, _, _ = xinyong.CleanLineMax(s, max)
	s, found := xinyong.MaskIDNumbersIn(s)
	m.found = m.found || found
	return s
}

func (m *masker) lines(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = m.line(s, xinyong.MaxLine); s != "" {
			out = append(out, s)
		}
	}
	return uniq(out)
}

// entries cleans a subject's entries: an id must be an id (xinyong.ValidID), the list a list; the 认定文号
// is cleaned and masked like any text. An entry given twice is kept once.
func (m *masker) entries(es []Entry) ([]Entry, error) {
	var out []Entry
	for _, e := range es {
		if !xinyong.ValidID(e.ID) {
			return nil, fmt.Errorf("entry id %q is not URL-safe or looks like an ID number", safeID(e.ID))
		}
		if e.List != xinyong.ListRed && e.List != xinyong.ListBlack {
			return nil, fmt.Errorf("entry %s: unknown list %q", e.ID, safeID(e.List))
		}
		e.DecisionNo = m.line(e.DecisionNo, xinyong.MaxLine)
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out, nil
}

// uniq returns ss without repeats, in first-seen order; nil when empty.
func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func mapSlice(ss []string, f func(string) string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = f(s)
	}
	return out
}

// districtName returns the name of a GB/T 2260 code of xinyong.DistrictCodes, or s.
func districtName(s string) string {
	if n, ok := xinyong.DistrictName(strings.TrimSpace(s)); ok {
		return n
	}
	return s
}

// checkEmptyDir returns an error unless dir is absent or an empty directory; existed reports which.
func checkEmptyDir(dir string) (existed bool, err error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("search: index directory: %w", err)
	case len(entries) > 0:
		return true, fmt.Errorf("search: index directory %s is not empty", dir)
	}
	return true, nil
}

// clearDir undoes a failed build: it removes dir, or only its contents when it existed before.
func clearDir(dir string, existed bool) {
	if !existed {
		_ = os.RemoveAll(dir)
		return
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

// writeMeta writes the index's xinyong-search.json. The index's size is left out: it is not known until the
// file is written, and the store files' sizes differ by a few bytes between two builds of the same documents
// (the documents' order in a segment is Bleve's map order, and the dates' doc values compress with it), so
// that the file would too.
func writeMeta(dir string, st Stats) error {
	st.Bytes = 0
	b, err := json.MarshalIndent(meta{Format: formatVersion, Stats: st}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, metaFile), append(b, '\n'), 0o644)
}

func readMeta(dir string) (meta, error) {
	var m meta
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return m, fmt.Errorf("search: %s is not a finished index: %w", dir, err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("search: %s: %w", metaFile, err)
	}
	if m.Format != formatVersion {
		return m, fmt.Errorf("search: index %s has format %d, this program reads %d: rebuild it", dir, m.Format, formatVersion)
	}
	return m, nil
}
