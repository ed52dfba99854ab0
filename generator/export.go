// Package generator turns the exchange database into the site: it exports what is public on a date as a
// deterministic Hugo content tree with a data-quality report.
package generator

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"xinyong"
	"xinyong/internal/tree"
	"xinyong/search"
	"xinyong/timeliness"
	"xinyong/workday"
)

// Source is the exchange database as the export reads it. Entries must arrive grouped by subject_id and
// both streams in a fixed order (exchange.DB sorts by byte order), so that the export is deterministic.
// IsDemo reports whether the database is marked as demo data (docs/CONTRACT.md §1); when it cannot tell it
// returns an error, never false, so that demo data is never published as real.
type Source interface {
	IsDemo(ctx context.Context) (bool, error)
	Departments(ctx context.Context) ([]xinyong.Department, error)
	Entries(ctx context.Context, fn func(e *xinyong.Entry, s *xinyong.Subject) error) error
	Cases(ctx context.Context, fn func(c *xinyong.Case, s *xinyong.Subject) error) error
}

// Snapshotter is a Source that can read one consistent state (exchange.DB): Snapshot returns a context
// whose reads all see the database as of one moment, and end, called when the export is done. Without
// it, a write committed between the reads of departments, entries and cases would give the export a
// state that never existed.
type Snapshotter interface {
	Snapshot(ctx context.Context) (snap context.Context, end func() error, err error)
}

// Exporter writes the public records of a date as a Hugo content tree.
type Exporter struct {
	Source Source
	AsOf   xinyong.Date
	// Rules are the publication rules configuration can change: which lists courts manage, whether the
	// honours of the seriously dishonest are published. The zero Rules are the defaults.
	Rules xinyong.Rules
	// Lists are the descriptions of the list names the list pages show (lists.go); nil is
	// DefaultListDescriptions().
	Lists  ListDescriptions
	Logger *slog.Logger
	Now    func() time.Time // for durations only; nothing written depends on it

	// Calendar counts the working days of the 7-day publication rule for the /timeliness/ page and the
	// report's timeliness section (package timeliness); nil is workday.Default().
	Calendar *workday.Calendar

	// Docs, when set, receives one search document for each subject page and each public case, in export
	// order, as the tree is written: what the search index must hold to match the site exactly. An error
	// stops the export.
	Docs func(search.Doc) error

	// Previous, when set, is the export tree of the previous release with its content sums: a file whose
	// new bytes have the SHA-256 the sums give for its path is hard-linked from that tree instead of
	// written, so an unchanged record keeps its inode and the old file is never read. Missing or damaged
	// sums only mean that every file is written.
	Previous *Previous
	// Sums, when set, is where the export writes the content sums of the new tree (tree.Sums), for the
	// next export's Previous: outside the tree, so that the site never serves it.
	Sums string
	// Pages, when set, is where the export writes the bytes of its record pages with the digests of what
	// each is made from (reuse.go), for the next export's Previous: a page whose digest is the same is
	// then taken from there instead of being cleaned and rendered again. Outside the tree.
	Pages string
}

// Previous is a previous export: its tree and the content sums written with it (Exporter.Sums), and its
// pages file (Exporter.Pages; "" for none).
type Previous struct {
	Content string
	Sums    string
	Pages   string
}

// Result counts what an export published and reported.
type Result struct {
	AsOf        xinyong.Date
	Red         int // public red-list entries
	Black       int // public black-list entries
	Subjects    int // subject pages
	Cases       int // public cases
	Notices     int // withdrawal notices
	Report      ReportSummary
	Files       int   // files in the tree
	Bytes       int64 // their size
	Unchanged   int   // files kept from the previous tree because their content did not change
	Reused      int   // record pages taken from the previous export's pages file, not rendered
	DataVersion string
	DataUpdated time.Time // latest updated_at among the published rows
	Duration    time.Duration

	// Demo says that the database is marked as demo data: the home page has demo: true, so every page
	// of the site says so.
	Demo bool
}

// Export writes the tree to out and the data-quality report to reportDir, each replacing the previous one
// atomically; on error neither is touched.
func (x *Exporter) Export(ctx context.Context, out, reportDir string) (*Result, error) {
	now := x.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	log := x.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if x.AsOf.IsZero() {
		return nil, errors.New("export: no as-of date")
	}
	tr, err := tree.New(out)
	if err != nil {
		return nil, err
	}
	defer tr.Abort()
	rep, err := NewReport(reportDir, x.AsOf)
	if err != nil {
		return nil, err
	}
	defer rep.Abort()
	// The report's files are written beside the end of the pipeline (export.indexes): waited for before
	// the report is committed or aborted, on every path.
	var repPrepared chan error
	defer func() {
		if repPrepared != nil {
			<-repPrepared
		}
	}()
	// The previous content sums are read beside the previous pages file (openReuse): both are read whole
	// and checked before the first row.
	var prevSums *tree.Sums
	prevSumsErr := errors.New("no previous export")
	prevSumsRead := make(chan struct{})
	if p := x.Previous; p != nil {
		go func() {
			defer close(prevSumsRead)
			prevSums, prevSumsErr = tree.ReadSums(p.Sums)
		}()
	} else {
		close(prevSumsRead)
	}
	reuse, err := x.openReuse(log)
	<-prevSumsRead
	if err != nil {
		return nil, err
	}
	defer reuse.close() // after the pipeline's close: the workers may hold pages of the previous file
	if p := x.Previous; p != nil {
		if errors.Is(prevSumsErr, fs.ErrNotExist) {
			log.Info("the previous export has no content sums: every file is written", "error", prevSumsErr)
		} else if prevSumsErr != nil {
			log.Warn("the previous export's content sums cannot be used: every file is written", "error", prevSumsErr)
		} else {
			tr.UsePrevious(p.Content, prevSums)
		}
	}
	var sums *tree.SumsWriter
	if x.Sums != "" {
		if sums, err = tree.CreateSums(x.Sums); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		defer sums.Abort()
	}
	pipe := newPipeline(tr, sums, reuse.writer(), x.Docs)
	defer pipe.close() // before the tree's Abort: the workers are done with it

	if sn, ok := x.Source.(Snapshotter); ok {
		snap, end, err := sn.Snapshot(ctx)
		if err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		defer end()
		ctx = snap
	}
	e := &export{Exporter: x, tree: tr, pipe: pipe, rep: rep, res: &Result{AsOf: x.AsOf}, tally: newTally(),
		latest: newLatest(), reuse: reuse}
	e.startReport = func() {
		repPrepared = make(chan error, 1)
		go func() { repPrepared <- rep.prepare() }()
	}
	if e.res.Demo, err = x.Source.IsDemo(ctx); err != nil {
		return nil, fmt.Errorf("export demo marker: %w", err)
	}
	if err := e.departments(ctx); err != nil {
		return nil, err
	}
	if err := e.entries(ctx); err != nil {
		return nil, err
	}
	if err := e.flushSubject(); err != nil {
		return nil, err
	}
	if err := x.Source.Cases(ctx, e.caseRow); err != nil {
		return nil, fmt.Errorf("export cases: %w", err)
	}
	if err := e.indexes(); err != nil {
		return nil, err
	}
	e.res.Report = rep.Summary()
	if t := rep.Timeliness; t != nil && len(t.Calendar.Uncovered) > 0 {
		// Deadlines in these years were counted Monday to Friday: wrong around every holiday.
		log.Warn("working-day calendar lacks the State Council's notice; add it (docs/timeliness.md)",
			"years", t.Calendar.Uncovered)
	}
	pipe.close()
	if err := pipe.err(); err != nil {
		return nil, err
	}
	if sums != nil {
		if err := tr.Err(); err != nil {
			return nil, err
		}
		if err := sums.Close(); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	// The pages file only saves work: a night without it renders every page.
	if err := reuse.finish(); err != nil {
		log.Warn("the pages file could not be written: the next export renders every page", "error", err)
	}
	if repPrepared == nil {
		e.startReport()
	}
	err = <-repPrepared
	repPrepared = nil
	if err != nil {
		return nil, err
	}
	if err := rep.commitPrepared(); err != nil {
		return nil, err
	}
	if err := tr.Commit(); err != nil {
		return nil, err
	}
	e.res.Files, e.res.Bytes, e.res.Unchanged, e.res.Reused = tr.Written, tr.Bytes, tr.Unchanged, e.reused()
	e.res.Duration = now().Sub(start)
	log.Info("export",
		"as_of", x.AsOf.String(), "red", e.res.Red, "black", e.res.Black, "subjects", e.res.Subjects,
		"cases", e.res.Cases, "notices", e.res.Notices, "rejected", e.res.Report.Rejected,
		"hidden", e.res.Report.Hidden, "warnings", e.res.Report.Warnings, "files", e.res.Files,
		"unchanged", e.res.Unchanged, "reused", e.res.Reused, "demo", e.res.Demo, "duration", e.res.Duration.Round(time.Millisecond))
	return e.res, nil
}

// export is the state of one export run.
type export struct {
	*Exporter
	tree  *tree.Tree
	pipe  *pipeline // renders and writes the files (e.write, e.render)
	rep   *Report
	res   *Result
	tally *tally
	// latest keeps each list's newest entries for the home page.
	latest *latest
	// reuse takes record pages from the previous export's pages file and records them for the next.
	reuse *reuse
	// startReport starts writing the report's files, once nothing more is added to it.
	startReport func()
	// timely measures publication on time from every row read (timeliness page, report section).
	timely *timeliness.Builder
	depts  map[string]xinyong.Department

	// The subject whose entries are streaming in.
	subjID      string
	subj        *subjectView // nil: the subject cannot be published; subjErr says why
	subjErr     []string
	subjPublic  []*xinyong.Entry // its entries public on the date, written when the subject ends
	subjItems   []Fields
	subjDigest  [sha256.Size]byte   // of its row (reuse)
	subjPages   [][sha256.Size]byte // the digests of its entry pages written, in order (reuse)
	subjStarted bool

	memo         map[memoKey]cleaned // cleaned values of the fields that repeat (memoClean)
	unknownLists map[[2]string]bool  // black-list names (and department) of no known procedure, reported once
	// subjectPages holds the ids of the subjects given a page, for the cases, which may name a subject only
	// while it has one (xinyong.CaseMayName). A page's key alone would not do: two subjects can share a
	// credit code, and only the first gets the page.
	subjectPages map[string]struct{}
}

// subjectView is a subject as published.
type subjectView struct {
	Key        string // URL key: the credit code, or the subject id
	ID         string
	Kind       string
	Name       string
	CreditCode string
	CodeValid  bool
	IDMasked   string
	LegalRep   string
	District   string
	Updated    time.Time
}

// write writes a file of the tree, part of the data version.
func (e *export) write(rel string, data []byte) error {
	return e.pipe.submit(rel, true, func() []byte { return data })
}

// render writes a file of the tree, part of the data version, whose bytes render returns on one of the
// pipeline's workers. render must use only values the export does not change afterwards.
func (e *export) render(rel string, render func() []byte) error {
	return e.pipe.submit(rel, true, render)
}

func (e *export) departments(ctx context.Context) error {
	ds, err := e.Source.Departments(ctx)
	if err != nil {
		return fmt.Errorf("export departments: %w", err)
	}
	e.depts = make(map[string]xinyong.Department, len(ds))
	for _, d := range ds {
		e.reuse.department(&d)
		if !xinyong.ValidID(d.Code) {
			// The code is a URL key (/departments/<code>/); entries that name it are reported as dangling.
			e.rep.Add(Item{Table: "xy_departments", ID: d.Code, Kind: Rejected,
				Detail: []string{"code: " + fmt.Sprintf(xinyong.MsgBadID, xinyong.CleanLine(d.Code))}})
			continue
		}
		d.Name = e.line("xy_departments", d.Code, d.Code, "name", d.Name)
		d.Phone = e.line("xy_departments", d.Code, d.Code, "phone", d.Phone)
		d.Address = e.line("xy_departments", d.Code, d.Code, "address", d.Address)
		d.Hours = e.line("xy_departments", d.Code, d.Code, "hours", d.Hours)
		d.CreditCode = xinyong.NormalizeCode(d.CreditCode)
		if xinyong.LooksLikeIDNumber(d.CreditCode) || xinyong.ContainsIDNumber(d.CreditCode) {
			// Never published: a personal ID number in the wrong column.
			e.rep.Add(Item{Table: "xy_departments", ID: d.Code, Department: d.Code, Kind: WarnIDAsCode})
			d.CreditCode = ""
		}
		e.depts[d.Code] = d
	}
	// The readable report names departments by name, not by code.
	e.rep.DeptNames = make(map[string]string, len(e.depts))
	for code, d := range e.depts {
		e.rep.DeptNames[code] = d.Name
	}
	e.timely = timeliness.New(timeliness.Options{Calendar: e.Calendar, AsOf: e.AsOf, Departments: ds})
	return nil
}

func (e *export) deptKnown(code string) bool {
	_, ok := e.depts[code]
	return ok
}

// line cleans a one-line field for publication, reporting what it had to change.
func (e *export) line(table, id, dept, field, s string) string {
	return e.report(table, id, dept, field, cleanField(s, xinyong.MaxLine, true))
}

// para cleans a multi-line field for publication, reporting what it had to change.
func (e *export) para(table, id, dept, field, s string, max int) string {
	return e.report(table, id, dept, field, cleanField(s, max, false))
}

// cleaned is a field as cleaning leaves it (cleanField): the text to publish and what to report.
type cleaned struct {
	text                 string
	changed, cut, masked bool
	lines                []string // for the measures (memoMeasures): text split as measures splits it
}

// cleanField cleans a field for publication: one line or paragraphs, at most max runes, ID numbers masked.
// The raw value is masked first, so that cutting a field at its maximum length never leaves part of a
// number for the masker to miss; masking the cleaned text again catches a number that cleaning joined.
// It is a function of its arguments only, so that equal raw values may share one result (memoClean).
func cleanField(s string, max int, line bool) cleaned {
	s, premasked := xinyong.MaskIDNumbersIn(s)
	var c cleaned
	if line {
		c.text, c.changed, c.cut = xinyong.CleanLineMax(s, max)
	} else {
		c.text, c.changed, c.cut = xinyong.CleanText(s, max)
	}
	var found bool
	c.text, found = xinyong.MaskIDNumbersIn(c.text)
	c.masked = found || premasked
	return c
}

// report reports what cleaning changed in a field of a row and returns its published text.
func (e *export) report(table, id, dept, field string, c cleaned) string {
	if c.changed {
		e.rep.Add(Item{Table: table, ID: id, Department: dept, Kind: WarnCleaned, Detail: []string{field}})
	}
	if c.cut {
		e.rep.Add(Item{Table: table, ID: id, Department: dept, Kind: WarnTruncated, Detail: []string{field}})
	}
	if c.masked {
		e.rep.Add(Item{Table: table, ID: id, Department: dept, Kind: WarnIDMasked, Detail: []string{field}})
	}
	return c.text
}

// memoKey is a raw field value with how it is cleaned.
type memoKey struct {
	raw  string
	max  int
	line bool
}

// memoSize bounds the memo of cleaned fields: it is emptied when it reaches this many values.
const memoSize = 4096

// memoClean is cleanField for the fields whose raw values repeat from row to row (list names, legal bases,
// measures): each distinct value is cleaned once per export. What is reported is still reported for every
// row (line, para).
func (e *export) memoClean(s string, max int, line bool) cleaned {
	k := memoKey{s, max, line}
	if c, ok := e.memo[k]; ok {
		return c
	}
	if e.memo == nil || len(e.memo) >= memoSize {
		e.memo = make(map[memoKey]cleaned, 256)
	}
	c := cleanField(s, max, line)
	e.memo[k] = c
	return c
}

// memoMeasures is memoClean of an entry's measures, with the list of them the page shows (measures),
// split once per distinct value. The list is shared by every entry with that value: nobody changes it.
func (e *export) memoMeasures(s string) cleaned {
	k := memoKey{s, xinyong.MaxText, false}
	if c, ok := e.memo[k]; ok && c.lines != nil {
		return c
	}
	c := e.memoClean(s, xinyong.MaxText, false)
	c.lines = e.measures(c.text)
	if c.lines == nil {
		c.lines = []string{}
	}
	e.memo[k] = c
	return c
}

// entryBatch is how many rows the reading goroutine hands over at a time.
const entryBatch = 256

// entryRow is one row of xy_list_entries as the reading goroutine hands it over: copies, so that the
// source may reuse its own.
type entryRow struct {
	en xinyong.Entry
	s  *xinyong.Subject
}

// entries reads the list entries on a goroutine of their own, which decodes the rows while this one
// exports them (e.entry), in the same order.
func (e *export) entries(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []entryRow, 4)
	var readErr error
	go func() {
		defer close(batches)
		var in, copied *xinyong.Subject
		batch := make([]entryRow, 0, entryBatch)
		send := func() error {
			select {
			case batches <- batch:
				batch = make([]entryRow, 0, entryBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		readErr = e.Source.Entries(ctx, func(en *xinyong.Entry, s *xinyong.Subject) error {
			if s != in || (s != nil && s.ID != copied.ID) {
				in, copied = s, nil
				if s != nil {
					c := *s
					copied = &c
				}
			}
			batch = append(batch, entryRow{*en, copied})
			if len(batch) == entryBatch {
				return send()
			}
			return nil
		})
		if readErr == nil && len(batch) > 0 {
			readErr = send()
		}
	}()
	// The timeliness measure reads every row, in order, and nothing else of the export: it runs on a
	// goroutine of its own, beside the deciding one, over the same batches (which nobody changes once sent).
	timely := make(chan []entryRow, 4)
	timelyDone := make(chan struct{})
	go func() {
		defer close(timelyDone)
		for b := range timely {
			for i := range b {
				e.timely.Add(&b[i].en)
			}
		}
	}()
	var err error
	for b := range batches {
		if err == nil {
			timely <- b
		}
		for i := 0; i < len(b) && err == nil; i++ {
			err = e.entry(&b[i].en, b[i].s)
		}
		if err != nil {
			cancel() // the reader stops; the loop drains what it had sent
		}
	}
	close(timely)
	<-timelyDone
	if err != nil {
		return err
	}
	if readErr != nil {
		return fmt.Errorf("export list entries: %w", readErr)
	}
	return nil
}

// startSubject evaluates the subject of a new group of entries: whether it can be published and under
// which URL key.
func (e *export) startSubject(id string, s *xinyong.Subject) {
	e.subjID, e.subj, e.subjErr, e.subjPublic, e.subjItems, e.subjPages = id, nil, nil, nil, nil, nil
	e.subjStarted = true
	if s == nil {
		e.subjErr = []string{"subject_id: " + fmt.Sprintf(xinyong.MsgNoSubject, xinyong.CleanLine(id))}
		return
	}
	for _, p := range s.Problems() {
		e.subjErr = append(e.subjErr, "subject."+p.String())
	}
	if !xinyong.ValidID(s.ID) {
		e.subjErr = append(e.subjErr, "subject.id: "+fmt.Sprintf(xinyong.MsgBadID, xinyong.CleanLine(s.ID)))
	}
	if e.subjErr != nil {
		return
	}
	e.subjDigest = e.reuse.subject(s)
	v := &subjectView{ID: s.ID, Kind: s.Kind, Key: s.ID}
	v.Name = e.line("xy_subjects", s.ID, "", "name", s.Name)
	v.LegalRep = e.line("xy_subjects", s.ID, "", "legal_rep", s.LegalRep)
	v.District = e.district(s)
	if s.Kind == xinyong.KindPerson && strings.TrimSpace(s.IDNumber) != "" {
		v.IDMasked = xinyong.MaskIDNumber(s.IDNumber)
	}
	if raw := strings.TrimSpace(s.CreditCode); raw != "" {
		chk, use := pageCode(raw)
		switch {
		case use:
			v.CreditCode, v.Key, v.CodeValid = chk.Code, chk.Code, chk.Valid()
			if !v.CodeValid {
				e.rep.Add(Item{Table: "xy_subjects", ID: s.ID, Kind: WarnBadCode, Detail: []string{chk.Code, chk.Err().Error()}})
			}
		case chk.IDNumber || xinyong.LooksLikeIDNumber(chk.Code):
			// Never published, never a URL: a personal ID number in the wrong column.
			e.rep.Add(Item{Table: "xy_subjects", ID: s.ID, Kind: WarnIDAsCode})
		default:
			v.CreditCode = e.line("xy_subjects", s.ID, "", "credit_code", raw)
			e.rep.Add(Item{Table: "xy_subjects", ID: s.ID, Kind: WarnBadCode, Detail: []string{v.CreditCode, chk.Err().Error()}})
		}
	}
	if e.tree.Exists(subjectPath(v.Key)) {
		e.subjErr = []string{"subject: " + fmt.Sprintf(xinyong.MsgDuplicateKey, v.Key)}
		return
	}
	e.subj = v
}

// district returns the subject's district when it is a known GB/T 2260 code of Panjin (xinyong.DistrictName),
// and otherwise "" (no district is published) with a report item. The value is quoted in the report only
// when it holds no ID number: a clerk may have typed one into the wrong column.
func (e *export) district(s *xinyong.Subject) string {
	d := xinyong.CleanLine(s.District)
	if _, ok := xinyong.DistrictName(d); ok || d == "" {
		return d
	}
	detail := d
	if xinyong.LooksLikeIDNumber(d) || xinyong.ContainsIDNumber(d) || xinyong.ContainsIDNumber(s.District) {
		detail = xinyong.MsgDistrictIDNumber
	}
	e.rep.Add(Item{Table: "xy_subjects", ID: s.ID, Kind: WarnBadDistrict, Detail: []string{detail}})
	return ""
}

// pageCode checks a subject's credit code (trimmed, not empty) and reports whether it is the subject's URL
// key and published as its code: well formed, and not a resident ID number in the wrong column. Otherwise
// the subject is keyed by its id.
func pageCode(raw string) (chk xinyong.CodeCheck, use bool) {
	chk = xinyong.CheckCreditCode(raw)
	idNumber := chk.IDNumber || (!chk.Valid() && xinyong.LooksLikeIDNumber(chk.Code))
	return chk, !idNumber && chk.WellFormed()
}

func subjectPath(key string) string { return "subjects/" + key + ".md" }

// entry takes one row of xy_list_entries. Entries arrive grouped by subject; a public one waits until its
// subject's last entry has arrived (writeEntries), because whether a red-list entry may be published
// depends on the subject's other entries.
func (e *export) entry(en *xinyong.Entry, s *xinyong.Subject) error {
	if en.SubjectID != e.subjID || !e.subjStarted {
		if err := e.flushSubject(); err != nil {
			return err
		}
		e.startSubject(en.SubjectID, s)
	}
	var problems []string
	for _, p := range en.Problems(e.deptKnown) {
		problems = append(problems, p.String())
	}
	if e.subj == nil && strings.TrimSpace(en.SubjectID) != "" {
		problems = append(problems, e.subjErr...)
	}
	if problems != nil {
		e.rep.Add(Item{Table: "xy_list_entries", ID: en.ID, Department: xinyong.CleanLine(en.Department),
			Kind: Rejected, Detail: problems})
		return nil
	}
	if published(en, e.AsOf) {
		e.tally.published(en.List, en.ValidFrom.String()[:7])
	}
	if why := e.Rules.PublicOn(en, e.AsOf); why != "" {
		// The department is cleaned only for the report: most rows are public and never need it.
		it := Item{Table: "xy_list_entries", ID: en.ID, Department: xinyong.CleanLine(en.Department), Kind: why}
		if why == xinyong.HiddenLegalMax {
			it.Detail = []string{en.Severity, en.ValidFrom.String(), e.Rules.LegalMaxEnd(en).String(), en.ValidTo.String()}
		}
		e.rep.Add(it)
		return nil
	}
	c := *en // the source may reuse en for the next row
	e.subjPublic = append(e.subjPublic, &c)
	return nil
}

// published reports whether the entry's publication began by asOf, whatever became of it since (ended,
// repaired, removed or revoked): marked public, with a known status and start date no later than asOf. The
// statistics count such entries by the month their publication began (tally.published); an entry never
// public, or not yet, is not counted.
func published(en *xinyong.Entry, asOf xinyong.Date) bool {
	switch en.Status {
	case xinyong.StatusActive, xinyong.StatusRemoved, xinyong.StatusRepaired, xinyong.StatusRevoked:
	default:
		return false
	}
	return en.Public && !en.ValidFrom.IsZero() && !asOf.Before(en.ValidFrom) &&
		(en.List == xinyong.ListRed || en.List == xinyong.ListBlack)
}

// writeEntries writes the pages of the current subject's public entries, withholding the honours of a
// subject with a public serious black-list entry (xinyong.Rules.WithheldBy).
func (e *export) writeEntries() error {
	for _, en := range e.subjPublic {
		dept := en.Department
		if b := e.Rules.WithheldBy(en, e.subjPublic); b != nil {
			// Reported to both departments: the red list's, which should revoke the honour, and the black
			// list's, whose entry is why.
			e.rep.Add(Item{Table: "xy_list_entries", ID: en.ID, Department: dept, Kind: xinyong.HiddenHonour,
				Detail: []string{"black/" + b.ID, b.Department}})
			e.rep.Add(Item{Table: "xy_list_entries", ID: b.ID, Department: b.Department, Kind: WarnHonourConflict,
				Detail: []string{"red/" + en.ID, dept}})
			continue
		}
		path := en.List + "/" + en.ID + ".md"
		if e.tree.Exists(path) {
			e.rep.Add(Item{Table: "xy_list_entries", ID: en.ID, Department: dept, Kind: Rejected,
				Detail: []string{"id: " + fmt.Sprintf(xinyong.MsgDuplicateKey, en.ID)}})
			continue
		}
		e.checkEntry(en)
		digest := e.reuse.entry(en, &e.subjDigest)
		page, sum, hit := e.reuse.lookup(path, &digest)
		render, summary, keep := e.entryPage(en, page, hit)
		if err := e.pipe.submitPage(path, render, &digest, keep, sum, nil); err != nil {
			return err
		}
		e.subjPages = append(e.subjPages, digest)
		e.subjItems = append(e.subjItems, summary)
		if en.List == xinyong.ListRed {
			e.res.Red++
		} else {
			e.res.Black++
		}
		e.seen(en.UpdatedAt)
		if en.UpdatedAt.After(e.subj.Updated) {
			e.subj.Updated = en.UpdatedAt
		}
	}
	return nil
}

// checkEntry reports what a published entry's department should look at.
func (e *export) checkEntry(en *xinyong.Entry) {
	const table = "xy_list_entries"
	if en.List == xinyong.ListRed && en.Severity != "" {
		e.rep.Add(Item{Table: table, ID: en.ID, Department: en.Department, Kind: WarnRedSeverity})
	}
	if e.Rules.NoEnd(en) {
		e.rep.Add(Item{Table: table, ID: en.ID, Department: en.Department, Kind: WarnNoEnd})
	}
	if _, known := e.Rules.Procedure(en); !known {
		k := [2]string{en.ListName, en.Department}
		if !e.unknownLists[k] {
			if e.unknownLists == nil {
				e.unknownLists = map[[2]string]bool{}
			}
			e.unknownLists[k] = true
			e.rep.Add(Item{Table: table, ID: en.ID, Department: en.Department, Kind: WarnUnknownList,
				Detail: []string{xinyong.CleanLine(en.ListName)}})
		}
	}
}

func (e *export) seen(t time.Time) {
	if t.After(e.res.DataUpdated) {
		e.res.DataUpdated = t
	}
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(xinyong.Shanghai).Format(time.RFC3339)
}

// entryPage cleans and reports an entry's fields, counts and lists it, and returns its summary for the
// subject page and the function that renders its page. The rendering runs on a worker: it uses only
// values that are not changed afterwards (the entry is a copy; of the subject view only Updated changes,
// which the entry's page does not show).
//
// With hit, page is the entry's page from the previous export, made from the same rows (reuse): render
// returns it, and the reason, which only the page shows, is not cleaned again. That page was kept because
// cleaning its reason reported nothing, and the same reason reports nothing again. keep says whether the
// page may be kept for the next export: cleaning its reason reported nothing.
func (e *export) entryPage(en *xinyong.Entry, page []byte, hit bool) (render func() []byte, summary Fields, keep bool) {
	const table = "xy_list_entries"
	d := e.depts[en.Department]
	id := en.ID
	listName := e.report(table, id, d.Code, "list_name", e.memoClean(en.ListName, xinyong.MaxLine, true))
	var reason string
	keep = hit
	if !hit {
		rc := cleanField(en.Reason, xinyong.MaxText, false)
		keep = !rc.changed && !rc.cut && !rc.masked
		reason = e.report(table, id, d.Code, "reason", rc)
	}
	basis := e.report(table, id, d.Code, "basis", e.memoClean(en.Basis, xinyong.MaxText, false))
	decisionNo := e.line(table, id, d.Code, "decision_no", en.DecisionNo)
	mc := e.memoMeasures(en.Measures)
	measuresText := e.report(table, id, d.Code, "measures", mc)
	measures := mc.lines
	if len(measures) == 0 {
		measures = nil // as measures returns it: the page leaves the key out either way
	}
	severity := ""
	if en.List == xinyong.ListBlack {
		severity = en.Severity
	}
	procedure, _ := e.Rules.Procedure(en)
	publicUntil := e.Rules.PublicUntil(en).String()
	validFrom := en.ValidFrom.String()
	s := e.subj
	e.tally.entry(en.List, listName, procedure, d.Code, s.District, validFrom, measuresText, measures)
	// Hugo's date of the page: its date (valid_from), else its lastmod.
	date := en.UpdatedAt.Unix()
	if t, err := time.ParseInLocation(time.DateOnly, validFrom, xinyong.Shanghai); err == nil {
		date = t.Unix()
	}
	e.latest.add(en.List, latestEntry{id: id, title: s.Name, listName: listName, validFrom: validFrom,
		date: date})

	summary = make(Fields, 0, 11)
	summary.Add("id", id)
	summary.Add("list", en.List)
	summary.Add("list_name", listName)
	summary.Add("procedure", procedure)
	summary.Add("department", d.Code)
	summary.Add("department_name", d.Name)
	summary.Add("severity", severity)
	summary.Add("decision_no", decisionNo)
	summary.Add("decided_on", en.DecidedOn.String())
	summary.Add("valid_from", validFrom)
	summary.Add("public_until", publicUntil)

	if hit {
		return func() []byte { return page }, summary, keep
	}
	rules := e.Rules
	render = func() []byte {
		var fm Fields
		fm.Add("title", s.Name)
		fm.Add("description", Description(fmt.Sprintf(xinyong.MsgLabelled, listName, reason)))
		fm.Add("date", en.ValidFrom.String())
		fm.Add("lastmod", stamp(en.UpdatedAt))
		fm.Add("id", id)
		fm.Add("list", en.List)
		fm.Add("list_name", listName)
		fm.Add("list_name_url", ListNameURL(listName)) // its page, which explains the list
		fm.Add("procedure", procedure)
		fm.Add("subject", subjectFields(s))
		fm.Add("reason", reason)
		fm.Add("basis", basis)
		fm.Add("decision_no", decisionNo)
		fm.Add("measures", measures)
		fm.Add("department", departmentFields(d))
		fm.Add("severity", severity)
		fm.Add("decided_on", en.DecidedOn.String())
		fm.Add("valid_from", en.ValidFrom.String())
		fm.Add("valid_to", en.ValidTo.String())
		fm.Add("legal_max_end", rules.LegalMaxEnd(en).String())
		fm.Add("public_until", publicUntil)
		fm.Add("repair_from", rules.RepairFrom(en).String())
		fm.Add("updated_at", stamp(en.UpdatedAt))
		// Taxonomies: the lists are browsable by department, district and list name.
		fm.Add("departments", []string{d.Code})
		if _, ok := xinyong.DistrictName(s.District); ok {
			fm.Add("districts", []string{s.District})
		}
		fm.Add("list_names", []string{listName})
		if s.Kind == xinyong.KindPerson {
			fm.Add("noindex", true)
		}
		return VersionedDocument(fm, PlainMarkdown(reason))
	}
	return render, summary, keep
}

// measures splits an entry's cleaned measures into the list the page shows: one a line, blank lines
// dropped.
func (e *export) measures(text string) []string {
	var measures []string
	for _, m := range strings.Split(text, "\n") {
		if m = strings.TrimSpace(m); m != "" {
			measures = append(measures, m)
		}
	}
	return measures
}

func subjectFields(s *subjectView) Fields {
	var f Fields
	f.Add("key", s.Key)
	f.Add("id", s.ID)
	f.Add("kind", s.Kind)
	f.Add("name", s.Name)
	f.Add("credit_code", s.CreditCode)
	if s.CreditCode != "" {
		f.Add("credit_code_valid", s.CodeValid)
	}
	f.Add("id_number", s.IDMasked)
	f.Add("legal_rep", s.LegalRep)
	f.Add("district", s.District)
	districtName, _ := xinyong.DistrictName(s.District)
	f.Add("district_name", districtName)
	return f
}

func departmentFields(d xinyong.Department) Fields {
	var f Fields
	f.Add("code", d.Code)
	f.Add("name", d.Name)
	f.Add("credit_code", d.CreditCode)
	f.Add("phone", d.Phone)
	return f
}

// flushSubject writes the pages of the subject whose entries just ended: its public entries, and its own
// page if any of them is public.
func (e *export) flushSubject() error {
	if e.subj != nil {
		if err := e.writeEntries(); err != nil {
			return err
		}
	}
	s, items, entryPages := e.subj, e.subjItems, e.subjPages
	e.subj, e.subjItems, e.subjPublic, e.subjPages, e.subjStarted = nil, nil, nil, nil, false
	if s == nil || len(items) == 0 {
		return nil
	}
	// Black-list entries first, then newest first.
	slices.SortStableFunc(items, func(a, b Fields) int {
		return cmp.Or(
			cmp.Compare(get(a, "list"), get(b, "list")), // "black" < "red": the black list first
			-cmp.Compare(get(a, "valid_from"), get(b, "valid_from")),
			cmp.Compare(get(a, "id"), get(b, "id")))
	})
	e.res.Subjects++
	if e.subjectPages == nil {
		e.subjectPages = map[string]struct{}{}
	}
	e.subjectPages[s.ID] = struct{}{}
	// Rendered on a worker, with its search document: the subject view and its items are no longer changed.
	path := subjectPath(s.Key)
	digest := e.reuse.subjectPage(&e.subjDigest, entryPages)
	render := func() []byte { return subjectPage(s, items) }
	page, sum, hit := e.reuse.lookup(path, &digest)
	if hit {
		render = func() []byte { return page }
	}
	return e.pipe.submitPage(path, render, &digest, true, sum, func() search.Doc { return subjectDoc(s, items) })
}

// subjectPage renders a subject's page from the summaries of its public entries, sorted.
func subjectPage(s *subjectView, items []Fields) []byte {
	red, black := countList(items, xinyong.ListRed), countList(items, xinyong.ListBlack)
	var fm Fields
	fm.Add("title", s.Name)
	fm.Add("description", Description(fmt.Sprintf(xinyong.MsgLabelled, s.Name,
		fmt.Sprintf(xinyong.MsgSubjectCounts, red, black))))
	fm.Add("lastmod", stamp(s.Updated))
	for _, f := range subjectFields(s) {
		fm.Add(f.Key, f.Value)
	}
	fm.Add("red_count", red)
	fm.Add("black_count", black)
	fm.Add("entries", items)
	if s.Kind == xinyong.KindPerson {
		fm.Add("noindex", true)
	}
	return VersionedDocument(fm, "")
}

// subjectDoc is the search document of a subject page: the subject and what its public entries are.
func subjectDoc(s *subjectView, items []Fields) search.Doc {
	d := search.Doc{Kind: search.KindSubject, ID: s.Key, URL: "/subjects/" + s.Key + "/", Name: s.Name,
		Code: s.CreditCode, Person: s.Kind == xinyong.KindPerson}
	if name, ok := xinyong.DistrictName(s.District); ok {
		d.Districts = []string{name}
	}
	latest := ""
	for _, it := range items {
		d.Lists = appendNew(d.Lists, get(it, "list"))
		d.ListNames = appendNew(d.ListNames, get(it, "list_name"))
		d.Departments = appendNew(d.Departments, get(it, "department_name"))
		latest = max(latest, get(it, "valid_from"))
		// What people paste to find the entry: its id and its 认定文号, as the entry's page shows them.
		d.Entries = append(d.Entries, search.Entry{ID: get(it, "id"), List: get(it, "list"),
			DecisionNo: get(it, "decision_no")})
	}
	d.Date, _ = xinyong.ParseDate(latest)
	// The list names are shown with every hit already; the summary says how many entries there are.
	d.Summary = fmt.Sprintf(xinyong.MsgSubjectCounts, countList(items, xinyong.ListRed), countList(items, xinyong.ListBlack))
	return d
}

// appendNew appends s to list unless it is empty or already there.
func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func get(f Fields, key string) string {
	for _, x := range f {
		if x.Key == key {
			if s, ok := x.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

func countList(items []Fields, list string) int {
	n := 0
	for _, it := range items {
		if get(it, "list") == list {
			n++
		}
	}
	return n
}

func (e *export) caseRow(c *xinyong.Case, s *xinyong.Subject) error {
	const table = "xy_cases"
	var problems []string
	for _, p := range c.Problems(e.deptKnown) {
		problems = append(problems, p.String())
	}
	if strings.TrimSpace(c.SubjectID) != "" && s == nil {
		problems = append(problems, "subject_id: "+fmt.Sprintf(xinyong.MsgNoSubject, xinyong.CleanLine(c.SubjectID)))
	}
	dept := xinyong.CleanLine(c.Department)
	if problems != nil {
		e.rep.Add(Item{Table: table, ID: c.ID, Department: dept, Kind: Rejected, Detail: problems})
		return nil
	}
	path := "cases/" + c.ID + ".md"
	if e.tree.Exists(path) {
		e.rep.Add(Item{Table: table, ID: c.ID, Department: dept, Kind: Rejected,
			Detail: []string{"id: " + fmt.Sprintf(xinyong.MsgDuplicateKey, c.ID)}})
		return nil
	}
	why := c.PublicOn(e.AsOf)
	if why != "" {
		e.rep.Add(Item{Table: table, ID: c.ID, Department: dept, Kind: why})
		if !c.Notice(e.AsOf) {
			return nil
		}
		// A withdrawn case keeps its URL with a notice that names nothing but the case and the date.
		var fm Fields
		fm.Add("title", fmt.Sprintf(xinyong.MsgCaseWithdrawnTitle, c.ID))
		fm.Add("id", c.ID)
		fm.Add("withdrawn", true)
		fm.Add("withdrawn_on", c.WithdrawnOn().String())
		fm.Add("noindex", true)
		e.res.Notices++
		return e.write(path, Document(fm, ""))
	}
	d := e.depts[c.Department]
	var fm Fields
	fm.Add("title", e.line(table, c.ID, d.Code, "title", c.Title))
	fm.Add("date", c.PublishedOn.String())
	fm.Add("lastmod", stamp(c.UpdatedAt))
	fm.Add("id", c.ID)
	fm.Add("kind", c.Kind)
	// Not "summary": Hugo renders that key as Markdown; this is plain text.
	abstract := e.para(table, c.ID, d.Code, "summary", c.Summary, xinyong.MaxText)
	fm.Add("description", Description(abstract))
	fm.Add("abstract", abstract)
	fm.Add("department", departmentFields(d))
	fm.Add("published_on", c.PublishedOn.String())
	fm.Add("updated_at", stamp(c.UpdatedAt))
	if s != nil && s.Kind == xinyong.KindPerson {
		fm.Add("noindex", true) // about a person, even if the department anonymised it
	}
	var page bool
	if s != nil {
		_, page = e.subjectPages[s.ID]
	}
	var sf Fields
	if xinyong.CaseMayName(s, page) {
		// Named only while the subject has a public page, under the key of that page.
		key, code := s.ID, ""
		if raw := strings.TrimSpace(s.CreditCode); raw != "" {
			if chk, use := pageCode(raw); use {
				key, code = chk.Code, chk.Code
			}
		}
		sf.Add("id", s.ID)
		sf.Add("kind", s.Kind)
		sf.Add("name", e.line("xy_subjects", s.ID, "", "name", s.Name))
		sf.Add("credit_code", code)
		sf.Add("key", key)
	}
	// The body, which only the page shows, is cleaned and made safe only when the page is not taken from
	// the previous export (reuse); such a page was kept because cleaning its body reported nothing.
	digest := e.reuse.casePage(c, s, page)
	prev, sum, hit := e.reuse.lookup(path, &digest)
	render := func() []byte { return prev }
	keep := hit
	if !hit {
		bc := cleanField(c.Body, xinyong.MaxBody, false)
		keep = !bc.changed && !bc.cut && !bc.masked
		body := SafeMarkdown(EscapeMasks(e.report(table, c.ID, d.Code, "body", bc)))
		render = func() []byte {
			// The case's own version: without the subject block, which comes and goes with the subject's entries.
			page := append(fm[:len(fm):len(fm)], Field{VersionKey, Version(fm, body)})
			page.Add("subject", sf)
			return Document(page, body)
		}
	}
	e.res.Cases++
	e.tally.casesDept[d.Code]++
	e.seen(c.UpdatedAt)
	// Made on a worker: of the row only copies, which the source cannot change under it.
	id, publishedOn := c.ID, c.PublishedOn
	return e.pipe.submitPage(path, render, &digest, keep, sum, func() search.Doc {
		return search.Doc{Kind: search.KindCase, ID: id, URL: "/cases/" + id + "/", Name: get(fm, "title"),
			Departments: []string{d.Name}, Date: publishedOn, Summary: get(fm, "description")}
	})
}

// indexes writes the section and home _index.md files, which carry the counts and the data version.
func (e *export) indexes() error {
	sections := []struct {
		dir, title string
		count      int
	}{
		{"red", xinyong.MsgSectionRed, e.res.Red},
		{"black", xinyong.MsgSectionBlack, e.res.Black},
		{"subjects", xinyong.MsgSectionSubjects, e.res.Subjects},
		{"cases", xinyong.MsgSectionCases, e.res.Cases},
	}
	for _, s := range sections {
		var fm Fields
		fm.Add("title", s.title)
		fm.Add("count", s.count)
		if err := e.write(s.dir+"/_index.md", Document(fm, "")); err != nil {
			return err
		}
	}
	if err := e.tally.pages(e); err != nil {
		return err
	}
	if err := qualityPage(e, e.rep.Summary()); err != nil {
		return err
	}
	tr := e.timely.Report()
	e.rep.Timeliness = tr
	if err := timelinessPage(e, tr); err != nil {
		return err
	}
	// The report is complete: its files are written while the pipeline drains.
	e.startReport()
	var extra []byte
	if e.res.Demo {
		// The marker changes every page (the notice), so it is part of what the data version identifies.
		extra = []byte("demo\x00")
	}
	e.res.DataVersion = hex.EncodeToString(e.pipe.dataVersion(extra))[:16]
	var fm Fields
	fm.Add("title", xinyong.MsgSiteTitle)
	if e.res.Demo {
		fm.Add("demo", true)
	}
	fm.Add("as_of", e.AsOf.String())
	fm.Add("data_version", e.res.DataVersion)
	fm.Add("data_updated", stamp(e.res.DataUpdated))
	fm.Add("red_count", e.res.Red)
	fm.Add("black_count", e.res.Black)
	fm.Add("subject_count", e.res.Subjects)
	fm.Add("case_count", e.res.Cases)
	// The newest entries of each list, in Hugo's order, for the home page: Hugo does not hold the entry
	// pages (docs/render.md).
	fm.Add("latest_red", e.latest.fields(xinyong.ListRed))
	fm.Add("latest_black", e.latest.fields(xinyong.ListBlack))
	return e.pipe.submit("_index.md", false, func() []byte { return Document(fm, "") })
}

// DefaultReportDir is where the data-quality report goes when no directory is named: beside the tree.
func DefaultReportDir(out string) string {
	return filepath.Clean(out) + "-quality"
}
