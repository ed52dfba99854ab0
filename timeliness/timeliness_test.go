package timeliness_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"xinyong"
	"xinyong/timeliness"
	"xinyong/workday"
)

func mustDate(t *testing.T, s string) xinyong.Date {
	t.Helper()
	if s == "" {
		return xinyong.Date{}
	}
	d, err := xinyong.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// entry returns a valid active public entry of department dept.
func entry(t *testing.T, id, dept, decided, from string) *xinyong.Entry {
	t.Helper()
	return &xinyong.Entry{ID: id, List: xinyong.ListBlack, ListName: "严重违法失信企业名单", SubjectID: "S1",
		Reason: "事由", Department: dept, DecidedOn: mustDate(t, decided), ValidFrom: mustDate(t, from),
		Public: true, Status: xinyong.StatusActive, UpdatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

var depts = []xinyong.Department{{Code: "a", Name: "甲局"}, {Code: "b", Name: "乙局"}, {Code: "c", Name: "丙局"}}

func TestBuilder_Report(t *testing.T) {
	asOf := mustDate(t, "2026-06-15")
	b := timeliness.New(timeliness.Options{Calendar: workday.Default(), AsOf: asOf, Departments: depts})
	// Decided before New Year, deadline in January: 1-1…1-3 off, Sunday 1-4 works, so 2026-01-12.
	b.Add(entry(t, "E1", "a", "2025-12-31", "2026-01-12")) // on time, on the deadline
	b.Add(entry(t, "E2", "a", "2025-12-31", "2026-01-13")) // late by 1
	// Spring festival: decided 2-10, deadline 2-26 (Saturday 2-14 works, 2-15…2-23 off).
	b.Add(entry(t, "E3", "b", "2026-02-10", "2026-02-26")) // on time
	b.Add(entry(t, "E4", "b", "2026-02-10", "2026-02-28")) // late: Saturday 2-28 is a working day, 2 late
	// Deadline 2026-06-12 (decided 6-3), not public on 6-15: overdue by 1 working day (Monday 6-15).
	b.Add(entry(t, "E5", "c", "2026-06-03", "2026-06-20"))
	// Deadline after the as-of date, not public yet: pending.
	b.Add(entry(t, "E6", "c", "2026-06-12", "2026-06-20"))
	// Not public (public <> 1) and unreadable rows: skipped.
	np := entry(t, "E7", "c", "2026-01-05", "2026-03-01")
	np.Public = false
	b.Add(np)
	b.Add(entry(t, "bad id!", "c", "2026-01-05", "2026-03-01"))
	b.Add(entry(t, "E8", "nope", "2026-01-05", "2026-03-01")) // unknown department
	// Revoked before it was ever public: not counted.
	rv := entry(t, "E9", "c", "2026-05-01", "2026-07-01")
	rv.Status, rv.StatusChangedOn = xinyong.StatusRevoked, mustDate(t, "2026-05-20")
	b.Add(rv)
	// Decided after the as-of date: not counted.
	b.Add(entry(t, "E10", "c", "2026-06-16", "2026-06-16"))
	r := b.Report()

	if r.Totals.Due != 5 || r.Totals.OnTime != 2 || r.Totals.Late != 2 || r.Totals.Overdue != 1 || r.Totals.Pending != 1 {
		t.Errorf("totals = %+v, want due 5, on time 2, late 2, overdue 1, pending 1", r.Totals)
	}
	if r.Totals.OnTimeRate == nil || *r.Totals.OnTimeRate != 0.4 {
		t.Errorf("on-time rate = %v, want 0.4", r.Totals.OnTimeRate)
	}
	if r.Skipped != 3 {
		t.Errorf("skipped = %d, want 3", r.Skipped)
	}
	want := []timeliness.Item{
		{ID: "E2", List: "black", Department: "a", DepartmentName: "甲局", DecidedOn: "2025-12-31", Deadline: "2026-01-12",
			PublishedOn: "2026-01-13", PublishedBy: timeliness.ByValidFrom, WorkingDaysLate: 1},
		{ID: "E4", List: "black", Department: "b", DepartmentName: "乙局", DecidedOn: "2026-02-10", Deadline: "2026-02-26",
			PublishedOn: "2026-02-28", PublishedBy: timeliness.ByValidFrom, WorkingDaysLate: 2},
	}
	if len(r.Late) != len(want) {
		t.Fatalf("late = %+v, want %+v", r.Late, want)
	}
	for i := range want {
		if r.Late[i] != want[i] {
			t.Errorf("late[%d] = %+v, want %+v", i, r.Late[i], want[i])
		}
	}
	wantOver := timeliness.Item{ID: "E5", List: "black", Department: "c", DepartmentName: "丙局", DecidedOn: "2026-06-03",
		Deadline: "2026-06-12", WorkingDaysLate: 1}
	if len(r.Overdue) != 1 || r.Overdue[0] != wantOver {
		t.Errorf("overdue = %+v, want [%+v]", r.Overdue, wantOver)
	}
	if len(r.Departments) != 3 || r.Departments[0].Code != "a" || r.Departments[0].Due != 2 || r.Departments[0].OnTime != 1 {
		t.Errorf("departments = %+v", r.Departments)
	}
	if m := r.Departments[0].Months; len(m) != 1 || m[0].Month != "2025-12" || m[0].Due != 2 {
		t.Errorf("months of a = %+v, want 2025-12 with 2 due", m)
	}
	if len(r.Calendar.Uncovered) != 0 {
		t.Errorf("uncovered = %v, want none", r.Calendar.Uncovered)
	}
	if r.History != "" || len(r.TakedownsLate) != 0 {
		t.Errorf("without a history: history %q, takedowns %v", r.History, r.TakedownsLate)
	}
}

// A decision in a year the calendar does not cover is counted Monday to Friday and warned about, in the
// JSON and in the text.
func TestBuilder_UncoveredYear(t *testing.T) {
	asOf := mustDate(t, "2027-02-01")
	b := timeliness.New(timeliness.Options{AsOf: asOf, Departments: depts})
	b.Add(entry(t, "E1", "a", "2026-12-30", "2027-01-05"))
	r := b.Report()
	if len(r.Calendar.Uncovered) != 1 || r.Calendar.Uncovered[0] != 2027 {
		t.Errorf("uncovered = %v, want [2027]", r.Calendar.Uncovered)
	}
	var buf bytes.Buffer
	if err := timeliness.WriteText(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "警告：工作日历未收录 2027 年") {
		t.Errorf("text has no warning:\n%s", buf.String())
	}
}

func TestBuilder_History(t *testing.T) {
	asOf := mustDate(t, "2026-06-15")
	h := &timeliness.History{Release: "R3", Since: "R1"}
	// E1: valid_from says 2026-03-02 but the first release to show it was of 2026-03-20.
	h.Add(timeliness.Seen{Key: "black/E1", FirstRelease: "R2", FirstAsOf: mustDate(t, "2026-03-20"),
		LastRelease: "R3", LastAsOf: mustDate(t, "2026-06-15")})
	// E2: public since before the history started: its first release says nothing.
	h.Add(timeliness.Seen{Key: "black/E2", FirstRelease: "R1", FirstAsOf: mustDate(t, "2026-03-10"),
		LastRelease: "R3", LastAsOf: mustDate(t, "2026-06-15")})
	// E3: repaired 2026-05-06; deadline 3 working days later, Saturday 5-9 works: 2026-05-09. Last shown
	// 2026-05-12: late by 2 working days (5-11, 5-12).
	h.Add(timeliness.Seen{Key: "black/E3", FirstRelease: "R1", FirstAsOf: mustDate(t, "2026-01-10"),
		LastRelease: "R2", LastAsOf: mustDate(t, "2026-05-12")})
	// E4: revoked 2026-05-06, last shown 2026-05-08: on time.
	h.Add(timeliness.Seen{Key: "black/E4", FirstRelease: "R1", FirstAsOf: mustDate(t, "2026-01-10"),
		LastRelease: "R2", LastAsOf: mustDate(t, "2026-05-08")})
	b := timeliness.New(timeliness.Options{AsOf: asOf, Departments: depts, History: h})
	b.Add(entry(t, "E1", "a", "2026-02-27", "2026-03-02"))
	b.Add(entry(t, "E2", "a", "2026-02-27", "2026-03-02"))
	e3 := entry(t, "E3", "b", "2025-12-01", "2025-12-02")
	e3.Status, e3.StatusChangedOn = xinyong.StatusRepaired, mustDate(t, "2026-05-06")
	b.Add(e3)
	e4 := entry(t, "E4", "b", "2025-12-01", "2025-12-02")
	e4.Status, e4.StatusChangedOn = xinyong.StatusRevoked, mustDate(t, "2026-05-06")
	b.Add(e4)
	r := b.Report()
	if r.History != "R3" {
		t.Errorf("history = %q, want R3", r.History)
	}
	if len(r.Late) != 1 || r.Late[0].ID != "E1" || r.Late[0].PublishedOn != "2026-03-20" ||
		r.Late[0].PublishedBy != timeliness.ByHistory || r.Late[0].Deadline != "2026-03-09" || r.Late[0].WorkingDaysLate != 9 {
		t.Errorf("late = %+v, want E1 published 2026-03-20 by the history, deadline 2026-03-09 (Saturday 2-28 works), 9 days late", r.Late)
	}
	want := timeliness.Takedown{ID: "E3", List: "black", Department: "b", DepartmentName: "乙局", Status: "repaired",
		StatusChangedOn: "2026-05-06", Deadline: "2026-05-09", LastPublicOn: "2026-05-12", Release: "R2", WorkingDaysLate: 2}
	if len(r.TakedownsLate) != 1 || r.TakedownsLate[0] != want {
		t.Errorf("takedowns late = %+v, want [%+v]", r.TakedownsLate, want)
	}
	if r.TakedownsChecked != 2 || r.Departments[1].TakedownsChecked != 2 || r.Departments[1].TakedownsLate != 1 {
		t.Errorf("takedowns checked %d, department b %+v", r.TakedownsChecked, r.Departments[1])
	}
}

// The JSON keys that docs/timeliness.md documents, and that no subject's name or number is in it.
func TestReport_JSON(t *testing.T) {
	b := timeliness.New(timeliness.Options{AsOf: mustDate(t, "2026-06-15"), Departments: depts})
	b.Add(entry(t, "E1", "a", "2026-06-01", "2026-06-12"))
	js, err := json.Marshal(b.Report())
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"as_of":"2026-06-15"`, `"deadline_working_days":7`, `"takedown_working_days":3`,
		`"calendar":{"years":[`, `"uncovered":[]`, `"late":[{"id":"E1"`, `"working_days_late":2`, `"overdue":[]`,
		`"takedowns_late":[]`, `"on_time_rate":0`, `"months":[{"month":"2026-06"`} {
		if !bytes.Contains(js, []byte(k)) {
			t.Errorf("JSON lacks %s:\n%s", k, js)
		}
	}
}
