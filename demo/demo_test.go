package demo_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"xinyong"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/pgtest"
)

// makeDemo creates a demo database in a temporary directory.
func makeDemo(t testing.TB, opt demo.Options) (*exchange.DB, demo.Stats) {
	t.Helper()
	ctx := context.Background()
	db, err := exchange.Create(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := demo.Generate(ctx, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return db, st
}

func count(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// demoEntry is a list entry as stored, with the dates as text.
type demoEntry struct {
	id, list, listName, subjectID, reason, dept           string
	severity, decided, from, to, status, changed, updated sql.NullString
	public                                                int
	subjectExists, deptExists                             bool
}

func readEntries(t *testing.T, xdb *exchange.DB) []demoEntry {
	t.Helper()
	updated := "CAST(e.updated_at AS TEXT)"
	if xdb.Dialect() == exchange.Postgres {
		updated = `to_char(e.updated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`
	}
	rows, err := xdb.SQL().Query(`SELECT e.id, e.list, e.list_name, e.subject_id, e.reason, e.department, e.severity,
		CAST(e.decided_on AS TEXT), CAST(e.valid_from AS TEXT), CAST(e.valid_to AS TEXT), e.status,
		CAST(e.status_changed_on AS TEXT), ` + updated + `, e.public,
		s.id IS NOT NULL, d.code IS NOT NULL
		FROM xy_list_entries e LEFT JOIN xy_subjects s ON s.id = e.subject_id
		LEFT JOIN xy_departments d ON d.code = e.department ORDER BY e.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []demoEntry
	for rows.Next() {
		var e demoEntry
		if err := rows.Scan(&e.id, &e.list, &e.listName, &e.subjectID, &e.reason, &e.dept, &e.severity, &e.decided,
			&e.from, &e.to, &e.status, &e.changed, &e.updated, &e.public, &e.subjectExists, &e.deptExists); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// entry decodes a row as the reader does, reporting undecodable dates as problems.
func (d demoEntry) entry() xinyong.Entry {
	e := xinyong.Entry{ID: d.id, List: d.list, ListName: d.listName, SubjectID: d.subjectID, Reason: d.reason,
		Department: d.dept, Severity: d.severity.String, Public: d.public == 1, Status: d.status.String}
	date := func(field string, s sql.NullString) xinyong.Date {
		if !s.Valid {
			return xinyong.Date{}
		}
		v, err := xinyong.ParseDate(s.String)
		if err != nil {
			e.DecodeProblems = append(e.DecodeProblems, xinyong.Problem{Field: field, Msg: err.Error()})
		}
		return v
	}
	e.DecidedOn = date("decided_on", d.decided)
	e.ValidFrom = date("valid_from", d.from)
	e.ValidTo = date("valid_to", d.to)
	e.StatusChangedOn = date("status_changed_on", d.changed)
	if d.updated.Valid {
		u, err := time.Parse(time.RFC3339Nano, d.updated.String)
		if err != nil {
			e.DecodeProblems = append(e.DecodeProblems, xinyong.Problem{Field: "updated_at", Msg: err.Error()})
		}
		e.UpdatedAt = u
	}
	return e
}

// standing is how the entry stands on day: public, a Hidden* reason, and the fields at fault.
func (d demoEntry) standing(day xinyong.Date) (string, []string) {
	e := d.entry()
	var fields []string
	for _, p := range e.Problems(func(string) bool { return d.deptExists }) {
		fields = append(fields, p.Field)
	}
	if !d.subjectExists {
		fields = append(fields, "subject_id")
	}
	if len(fields) > 0 {
		return xinyong.HiddenUnreadable, fields
	}
	if s := (xinyong.Rules{}).PublicOn(&e, day); s != "" {
		return s, nil
	}
	return demo.Public, nil
}

func TestDemo(t *testing.T) {
	const n = 2000
	db, st := makeDemo(t, demo.Options{Entries: n, Seed: 1})
	sq := db.SQL()
	asOf := demo.DefaultAsOf
	t.Logf("stats:\n%s", st)

	// Counts.
	for table, want := range map[string]int{
		"xy_departments": st.Departments, "xy_subjects": st.Subjects, "xy_list_entries": st.Entries,
		"xy_cases": st.Cases,
	} {
		if got := count(t, sq, "SELECT COUNT(*) FROM "+table); got != want {
			t.Errorf("%s: %d rows, stats say %d", table, got, want)
		}
	}
	if st.Entries != n {
		t.Errorf("%d entries, want %d", st.Entries, n)
	}
	if st.Subjects != n*4/5 {
		t.Errorf("%d subjects, want %d", st.Subjects, n*4/5)
	}
	if st.Cases < 12 || st.Cases != n/50 {
		t.Errorf("%d cases, want %d", st.Cases, n/50)
	}
	if st.Departments < 18 {
		t.Errorf("%d departments", st.Departments)
	}

	// Shares.
	share := func(what string, got, total int, lo, hi float64) {
		t.Helper()
		if f := float64(got) / float64(total); f < lo || f > hi {
			t.Errorf("%s: %d of %d (%.1f%%), want %.0f–%.0f%%", what, got, total, 100*f, 100*lo, 100*hi)
		}
	}
	share("org subjects", st.SubjectKinds[xinyong.KindOrg], st.Subjects, 0.64, 0.76)
	share("business subjects", st.SubjectKinds[xinyong.KindBusiness], st.Subjects, 0.11, 0.19)
	share("person subjects", st.SubjectKinds[xinyong.KindPerson], st.Subjects, 0.11, 0.19)
	share("red entries", st.Lists[xinyong.ListRed], n, 0.40, 0.50)
	share("black entries", st.Lists[xinyong.ListBlack], n, 0.50, 0.60)
	share("public", st.Standing[demo.Public], n, 0.62, 0.80)
	share("expired", st.Standing[xinyong.HiddenExpired], n, 0.07, 0.13)
	share("removed", st.Standing[xinyong.HiddenRemoved], n, 0.025, 0.06)
	share("repaired", st.Standing[xinyong.HiddenRepaired], n, 0.015, 0.045)
	share("revoked", st.Standing[xinyong.HiddenRevoked], n, 0.01, 0.035)
	share("not public", st.Standing[xinyong.HiddenNotPublic], n, 0.015, 0.045)
	share("not yet", st.Standing[xinyong.HiddenNotYet], n, 0.015, 0.045)
	share("legal maximum", st.Standing[xinyong.HiddenLegalMax], n, 0.01, 0.05) // administrative lists only
	share("malformed", st.Standing[xinyong.HiddenUnreadable], n, 0.009, 0.012)
	share("withdrawn cases", st.CaseStanding[xinyong.HiddenWithdrawn], st.Cases, 0.05, 0.3)

	// Every category is in the database, as plain SQL sees it.
	asOfText := asOf.String()
	for _, c := range []struct {
		what  string
		query string
		args  []any
	}{
		{"red", "SELECT COUNT(*) FROM xy_list_entries WHERE list = 'red'", nil},
		{"black", "SELECT COUNT(*) FROM xy_list_entries WHERE list = 'black'", nil},
		{"unknown list", "SELECT COUNT(*) FROM xy_list_entries WHERE list = 'grey'", nil},
		{"unknown status", "SELECT COUNT(*) FROM xy_list_entries WHERE status = 'pending'", nil},
		{"removed", "SELECT COUNT(*) FROM xy_list_entries WHERE status = 'removed' AND status_changed_on IS NOT NULL", nil},
		{"repaired", "SELECT COUNT(*) FROM xy_list_entries WHERE status = 'repaired' AND status_changed_on IS NOT NULL", nil},
		{"revoked", "SELECT COUNT(*) FROM xy_list_entries WHERE status = 'revoked' AND status_changed_on IS NOT NULL", nil},
		{"not public", "SELECT COUNT(*) FROM xy_list_entries WHERE public = 0", nil},
		{"future", "SELECT COUNT(*) FROM xy_list_entries WHERE CAST(valid_from AS TEXT) > ?", []any{asOfText}},
		{"expired", "SELECT COUNT(*) FROM xy_list_entries WHERE CAST(valid_to AS TEXT) < ?", []any{asOfText}},
		{"valid_to NULL", "SELECT COUNT(*) FROM xy_list_entries WHERE valid_to IS NULL", nil},
		{"minor", "SELECT COUNT(*) FROM xy_list_entries WHERE severity = 'minor'", nil},
		{"general", "SELECT COUNT(*) FROM xy_list_entries WHERE severity = 'general'", nil},
		{"serious", "SELECT COUNT(*) FROM xy_list_entries WHERE severity = 'serious'", nil},
		{"black without severity", "SELECT COUNT(*) FROM xy_list_entries WHERE list = 'black' AND severity IS NULL", nil},
		{"unknown severity", "SELECT COUNT(*) FROM xy_list_entries WHERE severity = 'critical'", nil},
		{"empty reason", "SELECT COUNT(*) FROM xy_list_entries WHERE reason = ''", nil},
		{"dangling subject", "SELECT COUNT(*) FROM xy_list_entries WHERE subject_id NOT IN (SELECT id FROM xy_subjects)", nil},
		{"dangling department", "SELECT COUNT(*) FROM xy_list_entries WHERE department NOT IN (SELECT code FROM xy_departments)", nil},
		{"valid_to before valid_from", "SELECT COUNT(*) FROM xy_list_entries WHERE CAST(valid_to AS TEXT) < CAST(valid_from AS TEXT)", nil},
		{"YYYY-02-30", "SELECT COUNT(*) FROM xy_list_entries WHERE CAST(valid_from AS TEXT) LIKE '%-02-30'", nil},
		{"YYYY/MM/DD", "SELECT COUNT(*) FROM xy_list_entries WHERE CAST(decided_on AS TEXT) LIKE '%/%/%'", nil},
		{"id with '/'", "SELECT COUNT(*) FROM xy_list_entries WHERE id LIKE '%/%'", nil},
		{"id with space", "SELECT COUNT(*) FROM xy_list_entries WHERE id LIKE '% %'", nil},
		{"id 'index'", "SELECT COUNT(*) FROM xy_list_entries WHERE id = 'index'", nil},
		{"失信被执行人", "SELECT COUNT(*) FROM xy_list_entries WHERE list_name = '失信被执行人' AND department = 'fy'", nil},
		{"纳税信用A级纳税人", "SELECT COUNT(*) FROM xy_list_entries WHERE list_name = '纳税信用A级纳税人' AND department = 'sw'", nil},
		{"basis NULL", "SELECT COUNT(*) FROM xy_list_entries WHERE basis IS NULL", nil},
		{"several entries of a subject", "SELECT COUNT(*) FROM (SELECT subject_id FROM xy_list_entries GROUP BY subject_id HAVING COUNT(*) > 1)", nil},
		{"red and black of a subject", "SELECT COUNT(*) FROM (SELECT subject_id FROM xy_list_entries GROUP BY subject_id HAVING COUNT(DISTINCT list) > 1)", nil},
		{"district differs from code", "SELECT COUNT(*) FROM xy_subjects WHERE credit_code IS NOT NULL AND substr(credit_code, 3, 6) <> district", nil},
		{"old region 211121", "SELECT COUNT(*) FROM xy_subjects WHERE substr(credit_code, 3, 6) = '211121'", nil},
		{"reward case", "SELECT COUNT(*) FROM xy_cases WHERE kind = 'reward'", nil},
		{"punishment case", "SELECT COUNT(*) FROM xy_cases WHERE kind = 'punishment'", nil},
		{"withdrawn case", "SELECT COUNT(*) FROM xy_cases WHERE status = 'withdrawn' AND status_changed_on IS NOT NULL", nil},
		{"future case", "SELECT COUNT(*) FROM xy_cases WHERE CAST(published_on AS TEXT) > ?", []any{asOfText}},
		{"case without subject", "SELECT COUNT(*) FROM xy_cases WHERE subject_id IS NULL", nil},
		{"case with subject", "SELECT COUNT(*) FROM xy_cases WHERE subject_id IN (SELECT id FROM xy_subjects)", nil},
		{"case with a table", "SELECT COUNT(*) FROM xy_cases WHERE body LIKE '%| --- | --- |%'", nil},
	} {
		if got := count(t, sq, c.query, c.args...); got == 0 {
			t.Errorf("no %s", c.what)
		}
	}
	if got := count(t, sq, "SELECT COUNT(*) FROM xy_cases WHERE CAST(published_on AS TEXT) > ?", asOfText); got < 2 {
		t.Errorf("%d future cases, want at least 2", got)
	}

	// The stats agree with the publication rule applied to the rows, and each deliberate anomaly is at fault
	// where it says.
	entries := readEntries(t, db)
	checkStanding(t, entries, st, asOf, false)

	// Credit codes and ID numbers.
	rows, err := sq.Query("SELECT id, kind, name, credit_code, id_number, legal_rep, district FROM xy_subjects ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	bad := 0
	names := map[string]int{}
	var persons, orgs int
	for rows.Next() {
		var id, kind, name, district string
		var code, idNo, rep sql.NullString
		if err := rows.Scan(&id, &kind, &name, &code, &idNo, &rep, &district); err != nil {
			t.Fatal(err)
		}
		names[name]++
		deliberate := slices.Contains(demo.BadCodeSubjects, id) || id == demo.IDNumberSubject
		if !slices.Contains([]string{"211102", "211103", "211104", "211122", "211100"}, district) {
			t.Errorf("%s: district %q", id, district)
		}
		switch kind {
		case xinyong.KindPerson:
			persons++
			if code.Valid && id != demo.IDNumberSubject {
				t.Errorf("person %s has credit code %q", id, code.String)
			}
			if !xinyong.IsIDNumber(idNo.String) || !strings.HasPrefix(idNo.String, "21") {
				t.Errorf("person %s: id_number %q", id, idNo.String)
			}
			if rep.Valid {
				t.Errorf("person %s has a legal representative", id)
			}
		case xinyong.KindOrg, xinyong.KindBusiness:
			orgs++
			if !code.Valid || !strings.HasPrefix(code.String[2:], "2111") {
				t.Errorf("%s %s: credit code %q", kind, id, code.String)
			}
			if idNo.Valid {
				t.Errorf("%s %s has an ID number", kind, id)
			}
			if !rep.Valid {
				t.Errorf("%s %s has no legal representative", kind, id)
			}
			if kind == xinyong.KindBusiness && !strings.HasPrefix(code.String, "92") {
				t.Errorf("business %s: credit code %q", id, code.String)
			}
		default:
			t.Errorf("%s: kind %q", id, kind)
		}
		if !code.Valid {
			continue
		}
		chk := xinyong.CheckCreditCode(code.String)
		if chk.Valid() == deliberate {
			t.Errorf("%s %s: credit code %q valid %v: %v", kind, id, code.String, chk.Valid(), chk.Err())
		}
		if !chk.Valid() {
			bad++
		}
		if id == demo.IDNumberSubject && (!chk.IDNumber || kind != xinyong.KindPerson || code.String != idNo.String) {
			t.Errorf("%s: credit_code %q is not the ID number %q", id, code.String, idNo.String)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if want := len(demo.BadCodeSubjects) + 1; bad != want || st.BadCodes != want {
		t.Errorf("%d bad credit codes, stats %d, want %d", bad, st.BadCodes, want)
	}
	if dup := st.Subjects - len(names); dup > st.Subjects/50 {
		t.Errorf("%d of %d subject names are duplicates", dup, st.Subjects)
	}
	// The deliberately bad subjects are published: each has an entry public on AsOf.
	for _, id := range append(slices.Clone(demo.BadCodeSubjects), demo.IDNumberSubject) {
		public := false
		for _, e := range entries {
			if e.subjectID == id {
				if s, _ := e.standing(asOf); s == demo.Public {
					public = true
				}
			}
		}
		if !public {
			t.Errorf("subject %s has no public entry", id)
		}
	}
	// Near-duplicate names: a popular brand word with several industries.
	if got := count(t, sq, "SELECT COUNT(DISTINCT name) FROM xy_subjects WHERE kind = 'org' AND name LIKE '盘锦鑫源%'"); got < 2 {
		t.Errorf("%d names 盘锦鑫源…, want near-duplicates", got)
	}

	// Case bodies are Markdown.
	crow, err := sq.Query("SELECT id, title, summary, body, CAST(published_on AS TEXT), status, CAST(status_changed_on AS TEXT) FROM xy_cases ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer crow.Close()
	for crow.Next() {
		var id, title, summary, body, published, status string
		var changed sql.NullString
		if err := crow.Scan(&id, &title, &summary, &body, &published, &status, &changed); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"## ", "\n- ", "**", "](https://www.creditchina.gov.cn/)"} {
			if !strings.Contains(body, want) {
				t.Errorf("case %s: body lacks %q:\n%s", id, want, body)
			}
		}
		if title == "" || summary == "" || strings.Contains(title+summary+body, "{") {
			t.Errorf("case %s: title %q summary %q", id, title, summary)
		}
		if (status == xinyong.CaseWithdrawn) != changed.Valid {
			t.Errorf("case %s: status %s, status_changed_on %v", id, status, changed)
		}
	}
	if err := crow.Err(); err != nil {
		t.Fatal(err)
	}
}

// checkStanding checks the rows against the stats and the rules of dates, and the deliberate anomalies.
func checkStanding(t *testing.T, entries []demoEntry, st demo.Stats, asOf xinyong.Date, postgres bool) {
	t.Helper()
	standing := map[string]int{}
	byID := map[string]demoEntry{}
	for _, e := range entries {
		s, _ := e.standing(asOf)
		standing[s]++
		byID[e.id] = e
		if s == xinyong.HiddenUnreadable {
			continue
		}
		en := e.entry()
		if en.DecidedOn.After(en.ValidFrom) {
			t.Errorf("%s: decided_on %s after valid_from %s", e.id, en.DecidedOn, en.ValidFrom)
		}
		if d := en.ValidFrom.Time().Sub(en.DecidedOn.Time()); d > 15*24*time.Hour && en.ValidFrom.Before(asOf) {
			t.Errorf("%s: published %v after the decision", e.id, d)
		}
		if en.Status != xinyong.StatusActive && (en.StatusChangedOn.IsZero() || en.StatusChangedOn.After(asOf) || en.StatusChangedOn.Before(en.ValidFrom)) {
			t.Errorf("%s: status %s changed on %s, valid from %s", e.id, en.Status, en.StatusChangedOn, en.ValidFrom)
		}
		if from := (xinyong.Rules{}).RepairFrom(&en); en.Status == xinyong.StatusRepaired && en.StatusChangedOn.Before(from) {
			t.Errorf("%s: repaired on %s before %s", e.id, en.StatusChangedOn, from)
		}
		proc, known := (xinyong.Rules{}).Procedure(&en)
		if !known {
			t.Errorf("%s: list %q is not among the default court or administrative lists", e.id, en.ListName)
		}
		if proc != xinyong.ProcedureAdmin && en.Status == xinyong.StatusRepaired {
			t.Errorf("%s: %s entry (%s) repaired: only administrative lists are", e.id, proc, en.ListName)
		}
		if _, err := time.Parse(time.RFC3339, e.updated.String); err != nil || !strings.HasSuffix(e.updated.String, "+08:00") {
			t.Errorf("%s: updated_at %q", e.id, e.updated.String)
		}
	}
	for s, n := range st.Standing {
		if standing[s] != n {
			t.Errorf("standing %q: stats say %d, the rows %d", s, n, standing[s])
		}
	}
	for s, n := range standing {
		if st.Standing[s] != n {
			t.Errorf("standing %q: rows give %d, stats %d", s, n, st.Standing[s])
		}
	}
	for _, a := range demo.AnomalousEntries {
		e, ok := byID[a.ID]
		if !ok {
			t.Errorf("anomaly %q is missing", a.ID)
			continue
		}
		s, fields := e.standing(asOf)
		if postgres && (a.Field == "decided_on" || a.Field == "valid_from") {
			if s == xinyong.HiddenUnreadable {
				t.Errorf("anomaly %q (%s) is malformed in PostgreSQL: %v", a.ID, a.What, fields)
			}
			continue
		}
		if s != xinyong.HiddenUnreadable || !slices.Equal(fields, []string{a.Field}) {
			t.Errorf("anomaly %q (%s): standing %q, fields at fault %v, want only %s", a.ID, a.What, s, fields, a.Field)
		}
	}
}

// dump returns every row of every table, in id order.
func dump(t *testing.T, db *exchange.DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"xy_departments", "xy_subjects", "xy_list_entries", "xy_cases"} {
		key := "id"
		if table == "xy_departments" {
			key = "code"
		}
		rows, err := db.SQL().Query("SELECT * FROM " + table + " ORDER BY " + key)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		v := make([]any, len(cols))
		p := make([]any, len(cols))
		for i := range v {
			p[i] = &v[i]
		}
		for rows.Next() {
			if err := rows.Scan(p...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s %q\n", table, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

func TestDemoReproducible(t *testing.T) {
	opt := demo.Options{Entries: 2000, Seed: 1}
	db1, st1 := makeDemo(t, opt)
	db2, st2 := makeDemo(t, opt)
	d1, d2 := dump(t, db1), dump(t, db2)
	if d1 != d2 {
		t.Error("the same options gave different databases")
	}
	if st1.String() != st2.String() {
		t.Errorf("the same options gave different stats:\n%s\n%s", st1, st2)
	}
	opt.Seed = 2
	db3, _ := makeDemo(t, opt)
	if d3 := dump(t, db3); d3 == d1 {
		t.Error("seeds 1 and 2 gave the same database")
	}
	opt = demo.Options{Entries: 2000, Seed: 1, AsOf: xinyong.NewDate(2025, 1, 31)}
	db4, _ := makeDemo(t, opt)
	if d4 := dump(t, db4); d4 == d1 {
		t.Error("another AsOf gave the same database")
	}
}

func TestDemoSmall(t *testing.T) {
	for _, n := range []int{1, 7, 99, 100} {
		db, st := makeDemo(t, demo.Options{Entries: n, Seed: uint64(n)})
		if got := count(t, db.SQL(), "SELECT COUNT(*) FROM xy_list_entries"); got != n || st.Entries != n {
			t.Errorf("%d entries: %d rows, stats %d", n, got, st.Entries)
		}
		anomalies := count(t, db.SQL(), "SELECT COUNT(*) FROM xy_list_entries WHERE id = 'X-list-grey'")
		if want := n >= demo.AnomalyMinEntries; (anomalies == 1) != want {
			t.Errorf("%d entries: %d anomalies", n, anomalies)
		}
	}
}

func TestDemoErrors(t *testing.T) {
	ctx := context.Background()
	db, _ := makeDemo(t, demo.Options{Entries: 200, Seed: 1})
	// A second run fails at the first row, which exists, and leaves the database as it was.
	if _, err := demo.Generate(ctx, db, demo.Options{Entries: 200, Seed: 2}); err == nil {
		t.Error("a demo into a filled database succeeded")
	}
	if got := count(t, db.SQL(), "SELECT COUNT(*) FROM xy_list_entries"); got != 200 {
		t.Errorf("%d entries after the failed run", got)
	}
	if _, err := demo.Generate(ctx, db, demo.Options{Entries: -1}); err == nil {
		t.Error("-1 entries accepted")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	db2, err := exchange.Create(ctx, filepath.Join(t.TempDir(), "cancelled.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if _, err := demo.Generate(cancelled, db2, demo.Options{Entries: 100_000}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled demo: %v", err)
	}
}

// TestDemoPostgres makes a demo database in PostgreSQL, which cannot hold a date that is not a date.
func TestDemoPostgres(t *testing.T) {
	ctx := context.Background()
	db, err := exchange.OpenWritable(ctx, pgtest.Start(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateSchema(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := demo.Generate(ctx, db, demo.Options{Entries: 1000, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int{
		"xy_departments": st.Departments, "xy_subjects": st.Subjects, "xy_list_entries": st.Entries,
		"xy_cases": st.Cases,
	} {
		if got := count(t, db.SQL(), "SELECT COUNT(*) FROM "+table); got != want {
			t.Errorf("%s: %d rows, stats say %d", table, got, want)
		}
	}
	checkStanding(t, readEntries(t, db), st, demo.DefaultAsOf, true)
	if demo, err := db.IsDemo(ctx); !demo || err != nil {
		t.Errorf("IsDemo = %v, %v; want the demo marked", demo, err)
	}
}

// TestDemo_FictitiousPhones: the demo's departments have Panjin numbers whose local part starts with 0,
// which no real number does.
func TestDemo_FictitiousPhones(t *testing.T) {
	db, _ := makeDemo(t, demo.Options{Entries: 10, Seed: 1})
	rows, err := db.SQL().Query("SELECT code, phone FROM xy_departments")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	fictitious := regexp.MustCompile(`^0427-0[0-9]{6}$`)
	n := 0
	for rows.Next() {
		var code, phone string
		if err := rows.Scan(&code, &phone); err != nil {
			t.Fatal(err)
		}
		if n++; !fictitious.MatchString(phone) {
			t.Errorf("department %s: phone %q, want 0427-0xxxxxx", code, phone)
		}
	}
	if err := rows.Err(); err != nil || n == 0 {
		t.Fatalf("%d departments, %v", n, err)
	}
}

func BenchmarkDemo(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	var elapsed time.Duration
	for i := 0; b.Loop(); i++ {
		db, err := exchange.Create(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("demo%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := demo.Generate(ctx, db, demo.Options{Entries: n, Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		db.Close()
	}
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "entries/s")
}
