package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/changes"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/internal/pgtest"
	"xinyong/publish"
	"xinyong/timeliness"
)

// timelinessRows adds, to a database holding the fixture, decisions published late, past their deadline
// and not public, and one across the spring festival, in SQL both dialects accept.
func timelinessRows(t *testing.T, w *exchange.DB) {
	t.Helper()
	ctx := context.Background()
	var subject, dept string
	if err := w.SQL().QueryRowContext(ctx, "SELECT id FROM xy_subjects ORDER BY id LIMIT 1").Scan(&subject); err != nil {
		t.Fatal(err)
	}
	if err := w.SQL().QueryRowContext(ctx, "SELECT code FROM xy_departments ORDER BY code LIMIT 1").Scan(&dept); err != nil {
		t.Fatal(err)
	}
	for _, r := range [][3]string{
		{"TL-late", "2025-12-31", "2026-01-20"},    // deadline 2026-01-12
		{"TL-ontime", "2026-02-10", "2026-02-26"},  // deadline 2026-02-26, across the spring festival
		{"TL-overdue", "2026-05-29", "2026-07-01"}, // deadline 2026-06-09, not public on 2026-06-15
	} {
		_, err := w.SQL().ExecContext(ctx, `INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason,
			department, decided_on, valid_from, public, status, updated_at)
			VALUES ('`+r[0]+`', 'black', '严重违法失信企业名单', '`+subject+`', '事由', '`+dept+`', '`+r[1]+`', '`+r[2]+`', 1,
			'active', '2026-06-01T00:00:00Z')`)
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestTimeliness_SQLiteAndPostgres: the same data in SQLite and PostgreSQL gives the same report.
func TestTimeliness_SQLiteAndPostgres(t *testing.T) {
	ctx := context.Background()
	lite := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		if err := fixture.Load(ctx, w, false); err != nil {
			return err
		}
		timelinessRows(t, w)
		return nil
	})
	dsn := pgtest.Start(t)
	w, err := exchange.OpenWritable(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.CreateSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fixture.Load(ctx, w, false); err != nil {
		t.Fatal(err)
	}
	timelinessRows(t, w)
	w.Close()

	data := filepath.Join(t.TempDir(), "data")
	args := []string{"timeliness", "--data", data, "--as-of", "2026-06-15", "--json"}
	code, liteOut, stderr := runCmd(t, nil, append(args, "--db", lite)...)
	if code != 0 {
		t.Fatalf("sqlite: exit %d: %s", code, stderr)
	}
	code, pgOut, stderr := runCmd(t, nil, append(args, "--db", dsn)...)
	if code != 0 {
		t.Fatalf("postgres: exit %d: %s", code, stderr)
	}
	if liteOut != pgOut {
		t.Errorf("the reports differ:\nsqlite   %s\npostgres %s", liteOut, pgOut)
	}
	var r timeliness.Report
	if err := json.Unmarshal([]byte(liteOut), &r); err != nil {
		t.Fatal(err)
	}
	ids := func(items []timeliness.Item) (s []string) {
		for _, it := range items {
			if strings.HasPrefix(it.ID, "TL-") {
				s = append(s, it.ID+" "+it.Deadline)
			}
		}
		return s
	}
	if got := ids(r.Late); len(got) != 1 || got[0] != "TL-late 2026-01-12" {
		t.Errorf("late = %v, want TL-late with deadline 2026-01-12", got)
	}
	if got := ids(r.Overdue); len(got) != 1 || got[0] != "TL-overdue 2026-06-09" {
		t.Errorf("overdue = %v, want TL-overdue with deadline 2026-06-09", got)
	}
}

// TestTimeliness_Demo: the demo database has late and overdue decisions; the report names no subject and
// holds no ID number, in the text and in the JSON.
func TestTimeliness_Demo(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.db")
	w, err := exchange.Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, w, demo.Options{Entries: 600, Seed: 1, AsOf: fixture.AsOf}); err != nil {
		t.Fatal(err)
	}
	var names []string
	rows, err := w.SQL().QueryContext(ctx, "SELECT name FROM xy_subjects")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	w.Close()

	code, text, stderr := runCmd(t, nil, "timeliness", "--db", path, "--data", t.TempDir(), "--as-of", "2026-06-15")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"公示及时性报告（截至 2026-06-15", "逾期公示（", "逾期未公示（", "按时率", "未核查撤下是否及时"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	code, js, stderr := runCmd(t, nil, "timeliness", "--db", path, "--data", t.TempDir(), "--as-of", "2026-06-15", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r timeliness.Report
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	if r.Totals.Due == 0 || len(r.Late) == 0 || len(r.Overdue) == 0 {
		t.Errorf("demo report: due %d, late %d, overdue %d; want some of each", r.Totals.Due, len(r.Late), len(r.Overdue))
	}
	if share := float64(r.Totals.Late) / float64(r.Totals.Due); share < 0.03 || share > 0.15 {
		t.Errorf("late share %.3f, want about 5–10%%", share)
	}
	for _, out := range []string{text, js} {
		if n := fixture.ReadableIDNumbers(out); len(n) > 0 {
			t.Errorf("the report holds ID numbers %v", n)
		}
		for _, name := range names {
			if len([]rune(name)) >= 2 && strings.Contains(out, name) {
				t.Errorf("the report names subject %q", name)
				break
			}
		}
	}
}

func TestTimeliness_Usage(t *testing.T) {
	db := fixtureDB(t)
	for _, args := range [][]string{
		{"timeliness"}, // no --db
		{"timeliness", "--db", db, "--from", "2026-02-30"},
		{"timeliness", "--db", db, "--to", "yesterday"},
		{"timeliness", "--db", db, "--as-of", "2026/06/15"},
		{"timeliness", "--db", db, "--takedown-days", "0"},
		{"timeliness", "--db", db, "extra"},
	} {
		code, _, stderr := runCmd(t, nil, args...)
		if code != 2 || !hasHan(stderr) {
			t.Errorf("xinyong %s: exit %d, stderr %q; want 2 and a Chinese sentence", strings.Join(args, " "), code, stderr)
		}
	}
	code, out, _ := runCmd(t, nil, "timeliness", "--help")
	if code != 0 || !strings.Contains(out, "例：xinyong timeliness") || !strings.Contains(out, "--takedown-days") {
		t.Errorf("help: exit %d\n%s", code, out)
	}
}

// TestTimeliness_Config: takedown_working_days in the configuration file sets the take-down limit.
func TestTimeliness_Config(t *testing.T) {
	db := fixtureDB(t)
	cfg := filepath.Join(t.TempDir(), "xinyong.toml")
	if err := os.WriteFile(cfg, []byte("takedown_working_days = 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCmd(t, nil, "timeliness", "--config", cfg, "--db", db, "--as-of", "2026-06-15", "--json",
		"--data", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"takedown_working_days": 5`) {
		t.Errorf("takedown_working_days not 5:\n%s", out)
	}
}

// writeHistory makes data a data directory whose current release R3 has a release history with the given
// head marks (release id → as-of date) and lines, as changes.Record writes it.
func writeHistory(t *testing.T, data string, marks [][2]string, lines []string) {
	t.Helper()
	rel := publish.Layout{Root: data}.Release(marks[len(marks)-1][0])
	if err := os.MkdirAll(filepath.Dir(rel.History()), 0o755); err != nil {
		t.Fatal(err)
	}
	var releases []changes.Mark
	for _, m := range marks {
		releases = append(releases, changes.Mark{Release: m[0], AsOf: m[1]})
	}
	head, _ := json.Marshal(changes.HistoryHead{Format: changes.FormatHistory, Version: changes.Version,
		Release: marks[len(marks)-1][0], Since: marks[0][0], Releases: releases})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(append(head, '\n'))
	for _, l := range lines {
		zw.Write([]byte(l + "\n"))
	}
	zw.Close()
	if err := os.WriteFile(rel.History(), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(publish.ReleasesDir, marks[len(marks)-1][0]), filepath.Join(data, publish.CurrentLink)); err != nil {
		t.Fatal(err)
	}
}

// TestTimeliness_History: with --data, a publication is dated by the first release that showed the entry,
// and a repaired entry still shown after its take-down deadline is reported.
func TestTimeliness_History(t *testing.T) {
	db := fixtureDB(t,
		// Decided 2026-04-29, valid_from 2026-05-06 (on time by valid_from: deadline 2026-05-12), but first
		// shown by the release of 2026-05-20.
		`INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, department, decided_on, valid_from,
			public, status, updated_at) SELECT 'TL-hist', 'black', '严重违法失信企业名单', MIN(id), '事由', 'scjg',
			'2026-04-29', '2026-05-06', 1, 'active', '2026-06-01T00:00:00Z' FROM xy_subjects`,
		// Repaired 2026-05-06 (deadline 3 working days later: Saturday 2026-05-09 works), last shown 2026-05-20.
		`INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, department, severity, decided_on,
			valid_from, public, status, status_changed_on, updated_at) SELECT 'TL-repaired', 'black',
			'严重违法失信企业名单', MIN(id), '事由', 'scjg', 'general', '2025-01-02', '2025-01-03', 1, 'repaired',
			'2026-05-06', '2026-06-01T00:00:00Z' FROM xy_subjects`)
	data := filepath.Join(t.TempDir(), "data")
	writeHistory(t, data, [][2]string{{"R1", "2026-05-01"}, {"R2", "2026-05-20"}, {"R3", "2026-06-15"}}, []string{
		`{"entry":"black/TL-hist","first_seen":"R2","last_seen":"R3","last_change":"R2","change":"added"}`,
		`{"entry":"black/TL-repaired","first_seen":"R1","last_seen":"R2","last_change":"R3","change":"removed"}`,
	})
	code, out, stderr := runCmd(t, nil, "timeliness", "--db", db, "--data", data, "--as-of", "2026-06-15", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r timeliness.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.History != "R3" {
		t.Errorf("history = %q, want R3", r.History)
	}
	var late *timeliness.Item
	for i := range r.Late {
		if r.Late[i].ID == "TL-hist" {
			late = &r.Late[i]
		}
	}
	if late == nil || late.PublishedOn != "2026-05-20" || late.PublishedBy != timeliness.ByHistory || late.Deadline != "2026-05-12" {
		t.Errorf("TL-hist: %+v; want late, published 2026-05-20 by the history, deadline 2026-05-12", late)
	}
	want := timeliness.Takedown{ID: "TL-repaired", List: "black", Department: "scjg", DepartmentName: "盘锦市市场监督管理局",
		Status: "repaired", StatusChangedOn: "2026-05-06", Deadline: "2026-05-09", LastPublicOn: "2026-05-20", Release: "R2",
		WorkingDaysLate: 8}
	if len(r.TakedownsLate) != 1 || r.TakedownsLate[0] != want {
		t.Errorf("takedowns late = %+v, want [%+v]", r.TakedownsLate, want)
	}
	code, text, _ := runCmd(t, nil, "timeliness", "--db", db, "--data", data, "--as-of", "2026-06-15")
	if code != 0 || !strings.Contains(text, "逾期撤下（1 条") || !strings.Contains(text, "black/TL-repaired") ||
		!strings.Contains(text, "据发布记录") {
		t.Errorf("text: exit %d\n%s", code, text)
	}
}

// TestTimeliness_UncoveredYear: an as-of date in a year without a notice is warned about, in the text and,
// with --json, on stderr.
func TestTimeliness_UncoveredYear(t *testing.T) {
	db := fixtureDB(t)
	code, text, _ := runCmd(t, nil, "timeliness", "--db", db, "--data", t.TempDir(), "--as-of", "2027-03-01")
	if code != 0 || !strings.Contains(text, "警告：工作日历未收录 2027 年") {
		t.Errorf("text: exit %d\n%s", code, text)
	}
	code, js, stderr := runCmd(t, nil, "timeliness", "--db", db, "--data", t.TempDir(), "--as-of", "2027-03-01", "--json")
	if code != 0 || !strings.Contains(js, `"uncovered": [`+"\n      2027") || !strings.Contains(stderr, "2027") {
		t.Errorf("json: exit %d\n%s\nstderr %s", code, js, stderr)
	}
}
