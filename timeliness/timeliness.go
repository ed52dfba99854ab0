// Package timeliness measures whether departments publish their decisions within the working days the
// rules allow (7, 国发〔2016〕33号 and the city's plan) and take entries down promptly after 信用修复 or
// revocation, counting working days by the State Council's holiday calendar (package workday).
package timeliness

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"xinyong"
	"xinyong/workday"
)

// Defaults of Options.
const (
	// DefaultDeadline is the working days a department has to publish a decision: 7, counted from the
	// day after decided_on.
	DefaultDeadline = 7
	// DefaultTakedown is the working days an entry may stay public after its status_changed_on once it is
	// repaired or revoked (config takedown_working_days).
	DefaultTakedown = 3
)

// Sources of an entry's publication date (Item.PublishedBy).
const (
	ByValidFrom = "valid_from" // the entry's own valid_from
	ByHistory   = "history"    // the as-of date of the first release that showed it, later than valid_from
)

// Options say what to measure.
type Options struct {
	Calendar *workday.Calendar // nil: workday.Default()
	AsOf     xinyong.Date      // required: the day the report is for
	// From and To limit the decisions measured by decided_on, both inclusive; zero From is no limit, zero
	// To (or one after AsOf) is AsOf. A decision after AsOf is never measured.
	From, To xinyong.Date
	Deadline int // working days to publish; 0 is DefaultDeadline
	Takedown int // working days to take down; 0 is DefaultTakedown
	// Departments name the departments by code (names in the report); entries of a department not listed
	// are measured under their code. nil: no names.
	Departments []xinyong.Department
	// History, when set, dates publications and take-downs by the releases that showed the entries.
	History *History
}

// Counts are the decisions of a department (or all) by how they stand on the as-of date.
type Counts struct {
	Due     int `json:"due"`     // on_time + late + overdue: decisions whose deadline has passed or that were published
	OnTime  int `json:"on_time"` // published on or before the deadline
	Late    int `json:"late"`    // published after the deadline
	Overdue int `json:"overdue"` // deadline passed, not yet public
	Pending int `json:"pending"` // not yet public, deadline not passed
	// OnTimeRate is on_time / due, rounded to 4 decimals; nil when nothing is due.
	OnTimeRate *float64 `json:"on_time_rate"`
}

func (c *Counts) rate() {
	c.Due = c.OnTime + c.Late + c.Overdue
	c.OnTimeRate = nil
	if c.Due > 0 {
		r := math.Round(float64(c.OnTime)/float64(c.Due)*10000) / 10000
		c.OnTimeRate = &r
	}
}

// Month counts one department's decisions of one month (YYYY-MM of decided_on).
type Month struct {
	Month string `json:"month"`
	Counts
}

// Department is the timeliness of one department.
type Department struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Counts
	// TakedownsChecked and TakedownsLate count the repaired and revoked entries whose take-down the
	// history could check, and those that stayed public too long; both 0 without a history.
	TakedownsChecked int     `json:"takedowns_checked"`
	TakedownsLate    int     `json:"takedowns_late"`
	Months           []Month `json:"months"`
}

// Item is a decision published late, or not yet published past its deadline.
type Item struct {
	ID             string `json:"id"`
	List           string `json:"list"`
	Department     string `json:"department"`
	DepartmentName string `json:"department_name"`
	DecidedOn      string `json:"decided_on"`
	Deadline       string `json:"deadline"`
	// PublishedOn is when it became public; "" for an overdue entry.
	PublishedOn string `json:"published_on"`
	PublishedBy string `json:"published_by,omitempty"` // ByValidFrom or ByHistory; "" for an overdue entry
	// WorkingDaysLate counts the working days after the deadline up to the publication (late) or the
	// as-of date (overdue); a publication on a rest day after the deadline counts 1.
	WorkingDaysLate int `json:"working_days_late"`
}

// Takedown is a repaired or revoked entry that stayed public after its take-down deadline.
type Takedown struct {
	ID              string `json:"id"`
	List            string `json:"list"`
	Department      string `json:"department"`
	DepartmentName  string `json:"department_name"`
	Status          string `json:"status"`
	StatusChangedOn string `json:"status_changed_on"`
	Deadline        string `json:"deadline"`
	LastPublicOn    string `json:"last_public_on"` // the as-of date of the last release that showed it
	Release         string `json:"release"`        // that release
	WorkingDaysLate int    `json:"working_days_late"`
}

// CalendarInfo says which years the working-day calendar covers and which of the years the report
// counts in it does not: deadlines there are counted Monday to Friday and may be wrong.
type CalendarInfo struct {
	Years     []int `json:"years"`
	Uncovered []int `json:"uncovered"`
}

// Report is the timeliness report. docs/timeliness.md documents its JSON field by field.
type Report struct {
	AsOf          string       `json:"as_of"`
	From          string       `json:"from"`
	To            string       `json:"to"`
	DeadlineDays  int          `json:"deadline_working_days"`
	TakedownDays  int          `json:"takedown_working_days"`
	Calendar      CalendarInfo `json:"calendar"`
	History       string       `json:"history"` // the release whose history dated the publications; "" without one
	Totals        Counts       `json:"totals"`
	Departments   []Department `json:"departments"`
	Late          []Item       `json:"late"`
	Overdue       []Item       `json:"overdue"`
	TakedownsLate []Takedown   `json:"takedowns_late"`
	// TakedownsChecked counts the take-downs checked against the history (0 without one).
	TakedownsChecked int `json:"takedowns_checked"`
	// Skipped counts rows that cannot be interpreted (see the data-quality report) or are never to be
	// public (public <> 1): not measured.
	Skipped int `json:"skipped"`
}

// Builder collects entries into a Report; Add every entry, then call Report.
type Builder struct {
	opt    Options
	cal    *workday.Calendar
	to     xinyong.Date
	names  map[string]string
	known  map[string]bool // nil: every department is known
	depts  map[string]*deptAcc
	rep    *Report
	minDay xinyong.Date
	maxDay xinyong.Date
}

type deptAcc struct {
	d      Department
	months map[string]*Counts
}

// New returns a Builder for opt.
func New(opt Options) *Builder {
	if opt.Calendar == nil {
		opt.Calendar = workday.Default()
	}
	if opt.Deadline <= 0 {
		opt.Deadline = DefaultDeadline
	}
	if opt.Takedown <= 0 {
		opt.Takedown = DefaultTakedown
	}
	to := opt.To
	if to.IsZero() || to.After(opt.AsOf) {
		to = opt.AsOf
	}
	b := &Builder{opt: opt, cal: opt.Calendar, to: to, names: map[string]string{}, depts: map[string]*deptAcc{},
		rep: &Report{AsOf: opt.AsOf.String(), From: opt.From.String(), To: to.String(),
			DeadlineDays: opt.Deadline, TakedownDays: opt.Takedown, Late: []Item{}, Overdue: []Item{},
			TakedownsLate: []Takedown{}, Departments: []Department{}},
		minDay: opt.AsOf, maxDay: opt.AsOf}
	if opt.Departments != nil {
		b.known = map[string]bool{}
	}
	for _, d := range opt.Departments {
		if !xinyong.ValidID(d.Code) {
			continue // the export rejects it, and so every entry that names it
		}
		name, _ := xinyong.MaskIDNumbersIn(xinyong.CleanLine(d.Name))
		b.names[d.Code], b.known[d.Code] = name, true
		b.dept(d.Code) // every department appears, also one with nothing due
	}
	if opt.History != nil {
		b.rep.History = opt.History.Release
	}
	return b
}

func (b *Builder) dept(code string) *deptAcc {
	a := b.depts[code]
	if a == nil {
		a = &deptAcc{d: Department{Code: code, Name: b.names[code]}, months: map[string]*Counts{}}
		b.depts[code] = a
	}
	return a
}

func (b *Builder) span(d xinyong.Date) {
	if d.Before(b.minDay) {
		b.minDay = d
	}
	if d.After(b.maxDay) {
		b.maxDay = d
	}
}

// Add measures one entry. Entries that cannot be interpreted (xinyong.Entry.Problems with the known
// departments) and entries never to be public are counted as skipped.
func (b *Builder) Add(e *xinyong.Entry) {
	known := func(code string) bool { return b.known == nil || b.known[code] }
	if len(e.Problems(known)) > 0 || !e.Public {
		b.rep.Skipped++
		return
	}
	b.takedown(e)
	if e.DecidedOn.After(b.to) || (!b.opt.From.IsZero() && e.DecidedOn.Before(b.opt.From)) {
		return
	}
	deadline := b.cal.AddWorkdays(e.DecidedOn, b.opt.Deadline)
	b.span(e.DecidedOn)
	b.span(deadline)
	published, by := e.ValidFrom, ByValidFrom
	if h, ok := b.opt.History.first(e.List + "/" + e.ID); ok && h.After(published) {
		published, by = h, ByHistory
	}
	acc := b.dept(e.Department)
	month := e.DecidedOn.String()[:7]
	mc := acc.months[month]
	if mc == nil {
		mc = &Counts{}
		acc.months[month] = mc
	}
	it := Item{ID: e.ID, List: e.List, Department: e.Department, DepartmentName: b.names[e.Department],
		DecidedOn: e.DecidedOn.String(), Deadline: deadline.String()}
	switch {
	case !published.After(b.opt.AsOf) && !published.After(deadline):
		acc.d.OnTime++
		mc.OnTime++
	case !published.After(b.opt.AsOf):
		b.span(published)
		it.PublishedOn, it.PublishedBy = published.String(), by
		it.WorkingDaysLate = max(1, b.cal.Between(deadline, published))
		acc.d.Late++
		mc.Late++
		b.rep.Late = append(b.rep.Late, it)
	case e.Status != xinyong.StatusActive:
		// Withdrawn before it was ever public: nothing to publish any more.
	case deadline.Before(b.opt.AsOf):
		it.WorkingDaysLate = max(1, b.cal.Between(deadline, b.opt.AsOf))
		acc.d.Overdue++
		mc.Overdue++
		b.rep.Overdue = append(b.rep.Overdue, it)
	default:
		acc.d.Pending++
		mc.Pending++
	}
}

// takedown checks, from the history, how long a repaired or revoked entry stayed public after its
// status_changed_on.
func (b *Builder) takedown(e *xinyong.Entry) {
	if b.opt.History == nil || (e.Status != xinyong.StatusRepaired && e.Status != xinyong.StatusRevoked) ||
		e.StatusChangedOn.IsZero() || e.StatusChangedOn.After(b.opt.AsOf) {
		return
	}
	last, release, ok := b.opt.History.last(e.List + "/" + e.ID)
	if !ok {
		return // never shown by a release the history knows
	}
	deadline := b.cal.AddWorkdays(e.StatusChangedOn, b.opt.Takedown)
	b.span(e.StatusChangedOn)
	b.span(deadline)
	acc := b.dept(e.Department)
	acc.d.TakedownsChecked++
	b.rep.TakedownsChecked++
	if !last.After(deadline) {
		return
	}
	acc.d.TakedownsLate++
	b.rep.TakedownsLate = append(b.rep.TakedownsLate, Takedown{ID: e.ID, List: e.List, Department: e.Department,
		DepartmentName: b.names[e.Department], Status: e.Status, StatusChangedOn: e.StatusChangedOn.String(),
		Deadline: deadline.String(), LastPublicOn: last.String(), Release: release,
		WorkingDaysLate: max(1, b.cal.Between(deadline, last))})
}

// Report returns the report of the entries added, sorted: departments by code, months in order, late and
// overdue entries by department, deadline and id.
func (b *Builder) Report() *Report {
	r := b.rep
	r.Calendar = CalendarInfo{Years: b.cal.Years(), Uncovered: b.cal.Missing(b.minDay, b.maxDay)}
	if r.Calendar.Uncovered == nil {
		r.Calendar.Uncovered = []int{}
	}
	r.Departments = r.Departments[:0]
	r.Totals = Counts{}
	for _, code := range slices.Sorted(maps.Keys(b.depts)) {
		a := b.depts[code]
		d := a.d
		d.rate()
		d.Months = []Month{}
		for _, m := range slices.Sorted(maps.Keys(a.months)) {
			c := *a.months[m]
			c.rate()
			d.Months = append(d.Months, Month{Month: m, Counts: c})
		}
		r.Totals.OnTime += d.OnTime
		r.Totals.Late += d.Late
		r.Totals.Overdue += d.Overdue
		r.Totals.Pending += d.Pending
		r.Departments = append(r.Departments, d)
	}
	r.Totals.rate()
	byItem := func(a, b Item) int {
		return cmp.Or(cmp.Compare(a.Department, b.Department), cmp.Compare(a.Deadline, b.Deadline),
			cmp.Compare(a.List, b.List), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(r.Late, byItem)
	slices.SortFunc(r.Overdue, byItem)
	slices.SortFunc(r.TakedownsLate, func(a, b Takedown) int {
		return cmp.Or(cmp.Compare(a.Department, b.Department), cmp.Compare(a.Deadline, b.Deadline),
			cmp.Compare(a.List, b.List), cmp.Compare(a.ID, b.ID))
	})
	return r
}
