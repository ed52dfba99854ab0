package generator

import (
	"bufio"
	"bytes"
	"cmp"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"slices"

	"xinyong"
	"xinyong/internal/tree"
	"xinyong/timeliness"
)

// Report kinds beyond the xinyong.Hidden* reasons.
const (
	Rejected        = "rejected"     // the row cannot be interpreted; not published
	WarnBadCode     = "bad_code"     // credit code fails its check; published anyway
	WarnIDAsCode    = "id_as_code"   // credit_code holds a resident ID number; not published as a code
	WarnCleaned     = "cleaned"      // control or direction characters removed from a field
	WarnTruncated   = "truncated"    // a field cut to the published maximum length
	WarnIDMasked    = "id_masked"    // an ID number inside a text field was masked
	WarnRedSeverity = "red_severity" // a severity on a red-list entry, ignored
	// WarnNoEnd is a black-list entry with neither severity nor valid_to: nothing says when it ends.
	WarnNoEnd = "no_end"
	// WarnUnknownList is a black-list name configured neither as a court nor as an administrative list;
	// reported once per list name and department, and treated as administrative.
	WarnUnknownList = "unknown_list"
	// WarnHonourConflict is a public serious black-list entry whose subject's honour (a red-list entry) was
	// withheld because of it; the red entry is reported as xinyong.HiddenHonour.
	WarnHonourConflict = "honour_conflict"
	// WarnBadDistrict is a subject whose district is not a known GB/T 2260 code of Panjin
	// (xinyong.DistrictName); the subject is published without a district. The detail quotes the value,
	// unless it holds an ID number.
	WarnBadDistrict = "bad_district"
)

// Levels of report items.
const (
	LevelRejected = "rejected" // not published: the row cannot be interpreted
	LevelHidden   = "hidden"   // not published: not public on the date
	LevelWarning  = "warning"  // published, but something is worth a look
)

// Level returns the level of a report kind.
func Level(kind string) string {
	switch kind {
	case Rejected:
		return LevelRejected
	case WarnBadCode, WarnIDAsCode, WarnCleaned, WarnTruncated, WarnIDMasked, WarnRedSeverity, WarnNoEnd,
		WarnUnknownList, WarnHonourConflict, WarnBadDistrict:
		return LevelWarning
	}
	return LevelHidden
}

// Item is one line of the data-quality report. It names rows by table and id only; every string is
// checked for ID numbers, which are masked.
type Item struct {
	Table      string   `json:"table"`
	ID         string   `json:"id"`
	Department string   `json:"department,omitempty"`
	Kind       string   `json:"kind"`
	Level      string   `json:"level"`
	Detail     []string `json:"detail,omitempty"`
}

// ReportSummary counts report items.
type ReportSummary struct {
	AsOf         string                    `json:"as_of"`
	Rejected     int                       `json:"rejected"`
	Hidden       int                       `json:"hidden"`
	Warnings     int                       `json:"warnings"`
	ByKind       map[string]int            `json:"by_kind"`
	ByDepartment map[string]map[string]int `json:"by_department"`
}

// Report is the data-quality report of one export: report.json for machines and report.html for the
// departments. Items stream to a scratch file so memory does not grow with their number.
type Report struct {
	tree    *tree.Tree
	scratch *os.File
	w       *bufio.Writer
	sum     ReportSummary

	DeptNames map[string]string // department names by code, for the readable page

	// Timeliness is the publication-on-time section (package timeliness), nil for none: per department the
	// counts and on-time rate, and the ids of its late and overdue entries.
	Timeliness *timeliness.Report
}

const scratchName = ".items.jsonl"

// NewReport starts a report that will replace the one in dir.
func NewReport(dir string, asOf xinyong.Date) (*Report, error) {
	t, err := tree.New(dir)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	f, err := os.Create(t.Path(scratchName))
	if err != nil {
		t.Abort()
		return nil, fmt.Errorf("report: %w", err)
	}
	return &Report{tree: t, scratch: f, w: bufio.NewWriter(f), sum: ReportSummary{
		AsOf: asOf.String(), ByKind: map[string]int{}, ByDepartment: map[string]map[string]int{},
	}}, nil
}

// Add records an item.
func (r *Report) Add(it Item) {
	it.ID = reportText(it.ID)
	it.Table = reportText(it.Table)
	it.Department = reportText(it.Department)
	for i, d := range it.Detail {
		it.Detail[i] = reportText(d)
	}
	it.Level = Level(it.Kind)
	switch it.Level {
	case LevelRejected:
		r.sum.Rejected++
	case LevelHidden:
		r.sum.Hidden++
	default:
		r.sum.Warnings++
	}
	r.sum.ByKind[it.Kind]++
	// An item of no department (a subject's: its credit code, its district) is counted under "", which the
	// readable page names as such, so that the table's columns add up to the totals.
	m := r.sum.ByDepartment[it.Department]
	if m == nil {
		m = map[string]int{}
		r.sum.ByDepartment[it.Department] = m
	}
	m[it.Level]++
	b, _ := json.Marshal(it) // an Item of strings always marshals
	r.w.Write(b)
	r.w.WriteByte('\n')
}

// reportText keeps report values printable, short and free of ID numbers.
func reportText(s string) string {
	s, _, _ = xinyong.CleanLineMax(s, 200)
	s, _ = xinyong.MaskIDNumbersIn(s)
	return s
}

// Summary returns the counts so far.
func (r *Report) Summary() ReportSummary { return r.sum }

// Commit writes report.json and report.html and makes them current.
func (r *Report) Commit() error {
	if err := r.prepare(); err != nil {
		return err
	}
	return r.tree.Commit()
}

// prepare writes report.json and report.html into the staging directory, once every item has been added;
// Commit then only swaps the directory in. The export runs it beside the end of its pipeline.
func (r *Report) prepare() error {
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := r.writeJSON(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if err := r.writeHTML(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	r.scratch.Close()
	if err := os.Remove(r.tree.Path(scratchName)); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// commitPrepared swaps in the directory prepare filled.
func (r *Report) commitPrepared() error { return r.tree.Commit() }

// Abort discards the report; the previous one stays.
func (r *Report) Abort() {
	r.scratch.Close()
	r.tree.Abort()
}

// items calls fn for each recorded item, in the order they were added.
func (r *Report) items(fn func(line []byte) error) error {
	if _, err := r.scratch.Seek(0, io.SeekStart); err != nil {
		return err
	}
	sc := bufio.NewScanner(r.scratch)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

func (r *Report) writeJSON() error {
	f, err := os.Create(r.tree.Path("report.json"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	sum, _ := json.MarshalIndent(r.sum, "  ", "  ")
	fmt.Fprintf(w, "{\n  \"summary\": %s,\n  \"items\": [", sum)
	first := true
	err = r.items(func(line []byte) error {
		if !first {
			w.WriteByte(',')
		}
		first = false
		w.WriteString("\n    ")
		_, err := w.Write(line)
		return err
	})
	if err != nil {
		return err
	}
	w.WriteString("\n  ]")
	if r.Timeliness != nil {
		tl, err := json.MarshalIndent(r.Timeliness, "  ", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintf(w, ",\n  \"timeliness\": %s", tl)
	}
	w.WriteString("\n}\n")
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

//go:embed report.html
var reportHTML string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"label": reportLabel,
}).Parse(reportHTML))

// appendRow appends the report.html row of an item: what the template "row" of report.html writes, with
// html/template's escaping, written directly because a night's report has tens of thousands of rows and
// the template spent most of the report's time on them (TestAppendRow_SameAsTemplate holds the two equal).
func appendRow(b []byte, it *Item) []byte {
	b = append(b, "<tr><td>"...)
	b = appendHTMLText(b, it.Table)
	b = append(b, "</td><td><code>"...)
	b = appendHTMLText(b, it.ID)
	b = append(b, "</code></td><td>"...)
	b = appendHTMLText(b, it.Department)
	b = append(b, `</td><td class="`...)
	b = appendHTMLText(b, it.Level)
	b = append(b, `">`...)
	b = appendHTMLText(b, reportLabel(it.Kind))
	b = append(b, "</td><td>"...)
	for i, d := range it.Detail {
		if i > 0 {
			b = append(b, "；"...)
		}
		b = appendHTMLText(b, d)
	}
	return append(b, "</td></tr>\n"...)
}

// appendHTMLText appends s escaped as html/template escapes a string in a text node or a quoted attribute
// value: NUL becomes U+FFFD, and " & ' + < > character references; everything else, invalid UTF-8
// included, is copied.
func appendHTMLText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var repl string
		switch s[i] {
		case 0:
			repl = "\uFFFD"
		case '"':
			repl = "&#34;"
		case '&':
			repl = "&amp;"
		case '\'':
			repl = "&#39;"
		case '+':
			repl = "&#43;"
		case '<':
			repl = "&lt;"
		case '>':
			repl = "&gt;"
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, repl...)
		start = i + 1
	}
	return append(b, s[start:]...)
}

// reportLabel is a report kind's label for people, or the kind itself when it has none.
func reportLabel(kind string) string {
	if l, ok := xinyong.ReportLabel(kind); ok {
		return l
	}
	return kind
}

type kindCount struct {
	Kind  string
	Level string
	N     int
}

type deptCount struct {
	Code, Name                 string
	Rejected, Hidden, Warnings int
}

func (r *Report) writeHTML() error {
	f, err := os.Create(r.tree.Path("report.html"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	var kinds []kindCount
	for k, n := range r.sum.ByKind {
		kinds = append(kinds, kindCount{k, Level(k), n})
	}
	slices.SortFunc(kinds, func(a, b kindCount) int {
		return cmp.Or(cmp.Compare(levelOrder(a.Level), levelOrder(b.Level)), b.N-a.N, cmp.Compare(a.Kind, b.Kind))
	})
	var depts []deptCount
	for code, m := range r.sum.ByDepartment {
		name := r.DeptNames[code]
		if code == "" {
			name = xinyong.MsgReportNoDepartment
		}
		depts = append(depts, deptCount{Code: code, Name: name, Rejected: m[LevelRejected], Hidden: m[LevelHidden], Warnings: m[LevelWarning]})
	}
	// Departments by name (one without a known name by its code), the subjects' row last.
	slices.SortFunc(depts, func(a, b deptCount) int {
		last := func(d deptCount) int {
			if d.Code == "" {
				return 1
			}
			return 0
		}
		return cmp.Or(cmp.Compare(last(a), last(b)), cmp.Compare(cmp.Or(a.Name, a.Code), cmp.Or(b.Name, b.Code)), cmp.Compare(a.Code, b.Code))
	})
	data := map[string]any{"Summary": r.sum, "Kinds": kinds, "Departments": depts, "Timeliness": r.timelinessView()}
	var head, tail bytes.Buffer
	if err := reportTmpl.ExecuteTemplate(&head, "head", data); err != nil {
		return err
	}
	if err := reportTmpl.ExecuteTemplate(&tail, "tail", data); err != nil {
		return err
	}
	w.Write(head.Bytes())
	var row []byte
	err = r.items(func(line []byte) error {
		var it Item
		if err := json.Unmarshal(line, &it); err != nil {
			return err
		}
		row = appendRow(row[:0], &it)
		_, err := w.Write(row)
		return err
	})
	if err != nil {
		return err
	}
	w.Write(tail.Bytes())
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func levelOrder(l string) string {
	switch l {
	case LevelRejected:
		return "0"
	case LevelWarning:
		return "1"
	}
	return "2"
}

// timelinessDept is one department's row of the report page's timeliness section.
type timelinessDept struct {
	timeliness.Department
	Rate                string
	LateIDs, OverdueIDs []string
}

// timelinessView is what the report page shows of r.Timeliness; nil when there is none.
func (r *Report) timelinessView() map[string]any {
	t := r.Timeliness
	if t == nil {
		return nil
	}
	late, overdue := map[string][]string{}, map[string][]string{}
	for _, it := range t.Late {
		late[it.Department] = append(late[it.Department], it.List+"/"+it.ID)
	}
	for _, it := range t.Overdue {
		overdue[it.Department] = append(overdue[it.Department], it.List+"/"+it.ID)
	}
	var depts []timelinessDept
	for _, d := range t.Departments {
		if d.Due == 0 && d.Pending == 0 {
			continue
		}
		depts = append(depts, timelinessDept{Department: d, Rate: timeliness.Percent(d.OnTimeRate),
			LateIDs: late[d.Code], OverdueIDs: overdue[d.Code]})
	}
	v := map[string]any{"Report": t, "Departments": depts, "Rate": timeliness.Percent(t.Totals.OnTimeRate),
		"Years": timeliness.Years(t.Calendar.Years)}
	if len(t.Calendar.Uncovered) > 0 {
		v["Uncovered"] = fmt.Sprintf(xinyong.MsgTimelinessUncovered, timeliness.Years(t.Calendar.Uncovered))
	}
	return v
}
