package generator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"xinyong"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/internal/pgtest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// MustExport exports src as of the fixture date into a new directory and returns the tree and report dirs.
func MustExport(t testing.TB, src generator.Source) (out, report string, res *generator.Result) {
	t.Helper()
	dir := t.TempDir()
	out, report = filepath.Join(dir, "content"), filepath.Join(dir, "quality")
	x := &generator.Exporter{Source: src, AsOf: fixture.AsOf}
	res, err := x.Export(context.Background(), out, report)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return out, report, res
}

// readTree returns every file below dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compareTrees reports every file that differs between two trees.
func compareTrees(t *testing.T, gotDir, wantDir string) {
	t.Helper()
	got, want := readTree(t, gotDir), readTree(t, wantDir)
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("%s: missing", name)
		case !bytes.Equal(g, w):
			t.Errorf("%s differs:\n got: %.600s\nwant: %.600s", name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: not expected", name)
		}
	}
}

// golden compares dir with testdata/<name>, or rewrites testdata/<name> with -update.
func golden(t *testing.T, dir, name string) {
	t.Helper()
	want := filepath.Join("testdata", name)
	if *update {
		if err := os.RemoveAll(want); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(want, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		return
	}
	compareTrees(t, dir, want)
}

func TestExport_Golden(t *testing.T) {
	out, report, res := MustExport(t, fixture.MustFixture(t, true))
	golden(t, out, "fixture/content")
	golden(t, report, "fixture/quality")

	// Which rows are published is the heart of the contract: check it apart from the golden bytes.
	files := readTree(t, out)
	published := map[string]bool{
		"red/E01.md": true, "black/E02.md": true, "black/E04.md": true, "red/E06.md": true, "red/E09.md": true,
		"black/E14.md": true, "black/E15.md": true, "red/E16.md": true, "black/E17.md": true, "red/E18.md": true,
		"red/E19a.md": true, "red/E22.md": true, "red/E31.md": true, "black/E32.md": true, "black/E33.md": true,
		"black/E34.md": true, "red/X01.md": true, "black/E36.md": true, "black/E38.md": true, "black/E41.md": true,
		"cases/C01.md": true, "cases/C02.md": true, "cases/C03.md": true, "cases/C08.md": true, "cases/C09.md": true,
		"cases/C10.md": true, "cases/C11.md": true, "cases/C12.md": true, "cases/C13.md": true,
		"black/E42.md": true, "red/E43.md": true, "subjects/S015.md": true, "subjects/S016.md": true,
		"subjects/" + fixture.CodeXinyuan + ".md": true, "subjects/S002.md": true,
		"subjects/" + fixture.CodeBadCheck + ".md": true, "subjects/S004.md": true, "subjects/S005.md": true,
		"subjects/" + fixture.CodeShunda + ".md": true, "subjects/" + fixture.CodeHaiyun + ".md": true,
		"subjects/S010.md": true, "subjects/S100.md": true, "subjects/" + fixture.CodeHengtai + ".md": true,
		"_index.md": true, "red/_index.md": true, "black/_index.md": true, "subjects/_index.md": true, "cases/_index.md": true,
	}
	for name := range files {
		if !published[name] && !derived(name) {
			t.Errorf("%s published, want not", name)
		}
	}
	for _, name := range []string{"departments/scjg/_index.md", "districts/211103/_index.md", "measures/_index.md",
		"stats/_index.md", "quality/_index.md", "timeliness/_index.md"} {
		if _, ok := files[name]; !ok {
			t.Errorf("%s missing", name)
		}
	}
	if _, ok := files["departments/evil/_index.md"]; !ok {
		t.Errorf("departments/evil/_index.md missing: a hostile name is text, not a reason to drop the page")
	}
	for name := range published {
		if _, ok := files[name]; !ok {
			t.Errorf("%s not published, want it", name)
		}
	}
	if res.Red != 10 || res.Black != 12 || res.Cases != 7 || res.Notices != 2 || res.Subjects != 12 {
		t.Errorf("counts red %d black %d cases %d notices %d subjects %d, want 10 12 7 2 12",
			res.Red, res.Black, res.Cases, res.Notices, res.Subjects)
	}

	// Nothing withdrawn, hidden or personal may leak anywhere in the tree or the report.
	all := readTree(t, out)
	for name, b := range readTree(t, report) {
		all["report/"+name] = b
	}
	for name, b := range all {
		for _, bad := range []string{fixture.IDZhang, "110105194912310021", "已撤回的案例标题不得出现", "从未发布即撤回的案例",
			"尚未到发布日期的案例", "已信用修复。", "异议成立，已撤销。", "\x00", "\u202e",
			"大洼区腾坤小吃部", "常涛博", "主体同时在严重失信名单中，荣誉不予公示。"} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

// reportItems reads report.json's items.
func reportItems(t *testing.T, report string) []generator.Item {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(report, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Items []generator.Item `json:"items"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r.Items
}

// TestExport_Rules checks the rules of what a page may say about people (docs/CONTRACT.md, wave 2) on the
// fixture's rows made for them, apart from the golden bytes.
func TestExport_Rules(t *testing.T) {
	out, report, _ := MustExport(t, fixture.MustFixture(t, false))
	files := readTree(t, out)
	fm := func(name string) map[string]any {
		t.Helper()
		b, ok := files[name]
		if !ok {
			t.Fatalf("%s not published", name)
		}
		m, _ := splitDoc(t, b)
		return m
	}
	items := map[string][]generator.Item{} // by id
	for _, it := range reportItems(t, report) {
		if it.Table == "xy_list_entries" || it.Table == "xy_cases" {
			items[it.ID] = append(items[it.ID], it)
		}
	}
	has := func(id, kind, dept string, detail ...string) bool {
		for _, it := range items[id] {
			if it.Kind == kind && it.Department == dept && slices.Equal(it.Detail[:min(len(detail), len(it.Detail))], detail) {
				return true
			}
		}
		return false
	}

	// A case names its subject only while the subject has a public page, and never a person.
	for _, c := range []struct {
		file string
		key  string // "" for no subject at all
	}{
		{"cases/C01.md", fixture.CodeXinyuan}, // an organisation with a page
		{"cases/C08.md", ""},                  // a person with a page
		{"cases/C11.md", ""},                  // a business whose only entry ended
		{"cases/C12.md", ""},                  // a person whose only entry ended
	} {
		s, _ := fm(c.file)["subject"].(map[string]any)
		if got, _ := s["key"].(string); got != c.key || (c.key == "" && s != nil) {
			t.Errorf("%s: subject %v, want key %q", c.file, s, c.key)
		}
	}
	if fm("cases/C12.md")["noindex"] != true || fm("cases/C08.md")["noindex"] != true {
		t.Errorf("a case about a person is indexable")
	}

	// Each kind of list ends its own way.
	for _, c := range []struct {
		file, procedure, repairFrom, legalMax, until string
	}{
		{"black/E02.md", "admin", "2025-01-02", "2027-01-01", "2027-01-01"},
		{"black/E14.md", "court", "", "", ""},           // serious, but a court list: no repair, no legal maximum
		{"black/E41.md", "court", "", "", "2028-03-01"}, // the court's period
		{"black/E36.md", "admin", "", "", ""},           // no severity, no valid_to: no known end
		{"black/E38.md", "admin", "2026-05-02", "2027-02-01", "2027-02-01"},
		{"red/E01.md", "honour", "", "", "2027-01-01"},
	} {
		m := fm(c.file)
		str := func(k string) string { v, _ := m[k].(string); return v } // the export leaves empty fields out
		got := []string{str("procedure"), str("repair_from"), str("legal_max_end"), str("public_until")}
		want := []string{c.procedure, c.repairFrom, c.legalMax, c.until}
		if !slices.Equal(got, want) {
			t.Errorf("%s: procedure, repair_from, legal_max_end, public_until = %q, want %q", c.file, got, want)
		}
	}

	// An honour of a subject with a public serious black-list entry is withheld and reported to both.
	if _, ok := files["red/E37.md"]; ok {
		t.Errorf("red/E37.md published although its subject has the public serious black/E02")
	}
	if !has("E37", xinyong.HiddenHonour, "sw", "black/E02", "scjg") || !has("E02", generator.WarnHonourConflict, "scjg", "red/E37", "sw") {
		t.Errorf("honour conflict not reported for both departments: E37 %v, E02 %v", items["E37"], items["E02"])
	}
	// Black-list entries without an end, and a list of no known procedure, are reported.
	for _, id := range []string{"E33", "E36"} {
		if !has(id, generator.WarnNoEnd, map[string]string{"E33": "fy", "E36": "scjg"}[id]) {
			t.Errorf("%s has no end but is not reported: %v", id, items[id])
		}
	}
	if !has("E38", generator.WarnUnknownList, "scjg", "新设的失信名单") {
		t.Errorf("E38's unknown list is not reported: %v", items["E38"])
	}
	for id, its := range items {
		for _, it := range its {
			if it.Kind == generator.WarnNoEnd && id != "E33" && id != "E36" {
				t.Errorf("%s reported without an end: %+v", id, it)
			}
		}
	}

	// Configuration: other court lists, and honours published anyway.
	x := &generator.Exporter{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf,
		Rules: xinyong.Rules{CourtLists: []string{"严重违法失信企业名单"}, PublishConflictingHonours: true}}
	dir := t.TempDir()
	if _, err := x.Export(context.Background(), filepath.Join(dir, "c"), filepath.Join(dir, "q")); err != nil {
		t.Fatal(err)
	}
	files = readTree(t, filepath.Join(dir, "c"))
	if _, ok := files["red/E37.md"]; !ok {
		t.Errorf("red/E37.md withheld although publish_conflicting_honours is set")
	}
	if m := fm("black/E02.md"); m["procedure"] != "court" || m["repair_from"] != nil {
		t.Errorf("black/E02.md with its list configured as a court list: procedure %v, repair_from %v", m["procedure"], m["repair_from"])
	}
	if m := fm("black/E14.md"); m["procedure"] != "admin" || m["repair_from"] == nil {
		t.Errorf("black/E14.md with 失信被执行人 not a court list: procedure %v, repair_from %v", m["procedure"], m["repair_from"])
	}
}

// derived reports whether a file holds aggregates rather than a record.
func derived(name string) bool {
	for _, dir := range []string{"departments/", "districts/", "list_names/", "measures/", "stats/", "quality/", "timeliness/"} {
		if strings.HasPrefix(name, dir) {
			return true
		}
	}
	return false
}

func TestExport_HostileTextStaysText(t *testing.T) {
	out, _, _ := MustExport(t, fixture.MustFixture(t, true))
	for name, doc := range readTree(t, out) {
		fm, body := splitDoc(t, doc)
		if strings.Contains(body, "{{") {
			t.Errorf("%s: body keeps a shortcode delimiter", name)
		}
		assertSafeHTML(t, render(t, body), name)
		// Every key the generator writes is one it chose; the database cannot add one.
		for k := range fm {
			if k == "draft" || k == "url" || k == "slug" || k == "aliases" || k == "outputs" || k == "build" || k == "cascade" {
				t.Errorf("%s: front matter key %q", name, k)
			}
		}
	}
	fm, _ := splitDoc(t, readTree(t, out)["subjects/S005.md"])
	title, _ := fm["title"].(string)
	for _, want := range []string{"--- title: 被篡改 ---", fixture.Script, "{{< param"} {
		if !strings.Contains(title, want) {
			t.Errorf("hostile name %q lost %q; it must stay visible as text", title, want)
		}
	}
	fm, _ = splitDoc(t, readTree(t, out)["black/E32.md"])
	if reason := fm["reason"].(string); !strings.Contains(reason, xinyong.MaskIDNumber(fixture.IDZhang)) {
		t.Errorf("reason %q does not show the masked ID number", reason)
	}
	fm, _ = splitDoc(t, readTree(t, out)["subjects/S002.md"])
	if fm["id_number"] != "110105********002X" || fm["noindex"] != true {
		t.Errorf("person page id_number %v noindex %v, want masked and noindex", fm["id_number"], fm["noindex"])
	}
}

func TestExport_SQLiteAndPostgresIdentical(t *testing.T) {
	ctx := context.Background()
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
	w.Close()
	pg, err := exchange.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	pgOut, pgReport, pgRes := MustExport(t, pg)
	liteOut, liteReport, liteRes := MustExport(t, fixture.MustFixture(t, false))
	if pgRes.Red+pgRes.Black < 10 {
		t.Fatalf("PostgreSQL export published only %d entries", pgRes.Red+pgRes.Black)
	}
	compareTrees(t, pgOut, liteOut)
	compareTrees(t, pgReport, liteReport)
	if pgRes.DataVersion != liteRes.DataVersion {
		t.Errorf("data version %s (PostgreSQL) != %s (SQLite)", pgRes.DataVersion, liteRes.DataVersion)
	}
}

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func TestExport_RerunKeepsUnchangedFiles(t *testing.T) {
	db := fixture.MustFixture(t, false)
	out, report, first := MustExport(t, db)
	before := readTree(t, out)
	ino := inode(t, filepath.Join(out, "red/E01.md"))

	x := &generator.Exporter{Source: db, AsOf: fixture.AsOf}
	second, err := x.Export(context.Background(), out, report)
	if err != nil {
		t.Fatal(err)
	}
	if second.Unchanged != second.Files || second.Files != first.Files {
		t.Errorf("rerun: %d of %d files unchanged (first run %d files), want all", second.Unchanged, second.Files, first.Files)
	}
	if got := inode(t, filepath.Join(out, "red/E01.md")); got != ino {
		t.Errorf("unchanged file rewritten: inode %d, was %d", got, ino)
	}
	if second.DataVersion != first.DataVersion {
		t.Errorf("data version changed on rerun: %s, was %s", second.DataVersion, first.DataVersion)
	}
	compareTreesMap(t, readTree(t, out), before)

	// A day later E04 passes its legal maximum: only the files that depend on it change.
	x.AsOf = fixture.AsOf.AddDays(1)
	third, err := x.Export(context.Background(), out, report)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "black/E04.md")); !os.IsNotExist(err) {
		t.Errorf("black/E04.md still there after its legal maximum (err %v)", err)
	}
	if got := inode(t, filepath.Join(out, "red/E01.md")); got != ino {
		t.Errorf("unchanged file rewritten the next day")
	}
	// E04 leaving changes its subject, its list, department and district pages, the statistics, the
	// measures (a count), the quality summary and the home page; and the timeliness page, since a day
	// later one more of the fixture's decisions is past its deadline (X is overdue): nothing else.
	if changed := third.Files - third.Unchanged; changed > 10 {
		t.Errorf("next day rewrote %d of %d files; only the pages that count E04 should change", changed, third.Files)
	}
}

func compareTreesMap(t *testing.T, got, want map[string][]byte) {
	t.Helper()
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s changed", name)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
}

// failingSource fails after some entries, like a connection dropped mid-read.
type failingSource struct {
	generator.Source
	after int
}

var errDropped = errors.New("connection reset by peer")

func (f failingSource) Entries(ctx context.Context, fn func(*xinyong.Entry, *xinyong.Subject) error) error {
	n := 0
	return f.Source.Entries(ctx, func(e *xinyong.Entry, s *xinyong.Subject) error {
		if n++; n > f.after {
			return errDropped
		}
		return fn(e, s)
	})
}

func TestExport_FailureLeavesPreviousTree(t *testing.T) {
	db := fixture.MustFixture(t, false)
	out, report, _ := MustExport(t, db)
	before, beforeReport := readTree(t, out), readTree(t, report)

	x := &generator.Exporter{Source: failingSource{db, 5}, AsOf: fixture.AsOf.AddDays(30)}
	_, err := x.Export(context.Background(), out, report)
	if !errors.Is(err, errDropped) {
		t.Fatalf("export error %v, want %v", err, errDropped)
	}
	compareTreesMap(t, readTree(t, out), before)
	compareTreesMap(t, readTree(t, report), beforeReport)
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("staging directories left behind: %v", leftovers)
	}
}

func TestExport_Canceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := &generator.Exporter{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf}
	dir := t.TempDir()
	if _, err := x.Export(ctx, filepath.Join(dir, "out"), filepath.Join(dir, "q")); err == nil {
		t.Fatal("export with a canceled context succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("canceled export created the tree (err %v)", err)
	}
}

// TestExport_DisguisedIDNumbers: the fixture's ID numbers in disguise (full width, separators, line
// breaks, groups of four; in names, legal representatives, districts, reasons, bases, measures, decision
// numbers, ids, department codes, case titles, summaries and bodies) are published nowhere, in the tree
// or the report, and a district that is not a district code is dropped and reported.
func TestExport_DisguisedIDNumbers(t *testing.T) {
	out, report, _ := MustExport(t, fixture.MustFixture(t, true))
	all := readTree(t, out)
	for name, b := range readTree(t, report) {
		all["report/"+name] = b
	}
	for name, b := range all {
		if ids := fixture.ReadableIDNumbers(string(b)); len(ids) > 0 {
			t.Errorf("%s holds the ID numbers %v", name, ids)
		}
	}
	for _, name := range []string{"black/E42.md", "red/E43.md", "cases/C13.md", "subjects/S016.md", "subjects/S015.md"} {
		if _, ok := all[name]; !ok {
			t.Errorf("%s not published, want it (masked)", name)
		}
	}
	for name := range all {
		if strings.HasPrefix(name, "red/E-") {
			t.Errorf("%s published: its id holds an ID number", name)
		}
	}
	fm, _ := splitDoc(t, all["black/E42.md"])
	if want := "211122********5002"; !strings.Contains(fm["reason"].(string), want) {
		t.Errorf("E42 reason %q, want the number masked as %s", fm["reason"], want)
	}
	s := fm["subject"].(map[string]any)
	if s["district"] != nil || s["district_name"] != nil || fm["districts"] != nil {
		t.Errorf("E42's subject has district %v %v %v, want none: the column holds an ID number",
			s["district"], s["district_name"], fm["districts"])
	}
	if fm, _ := splitDoc(t, all["subjects/S015.md"]); fm["district"] != nil || fm["id_number"] != "211103********1188" {
		t.Errorf("S015: district %v, id_number %v; want no district and 211103********1188", fm["district"], fm["id_number"])
	}
	var bad []string
	for _, it := range reportItems(t, report) {
		if it.Kind == generator.WarnBadDistrict {
			bad = append(bad, it.ID+": "+strings.Join(it.Detail, " "))
		}
	}
	want := []string{"S015: 兴隆台区", "S016: " + xinyong.MsgDistrictIDNumber}
	if !slices.Equal(bad, want) {
		t.Errorf("bad_district items %q, want %q", bad, want)
	}
}
