package opendata_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/opendata"
)

var testMeta = opendata.Meta{Release: "20260615T010203Z", BuiltAt: time.Date(2026, 6, 15, 1, 2, 3, 0, time.UTC),
	BaseURL: "https://credit.example.cn/"}

// exportFixture exports the hostile fixture and returns the content tree.
func exportFixture(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf}
	if _, err := x.Export(context.Background(), out, filepath.Join(dir, "quality")); err != nil {
		t.Fatalf("export: %v", err)
	}
	return out
}

func mustWrite(t testing.TB, content, out string) *opendata.Index {
	t.Helper()
	idx, err := opendata.Write(context.Background(), content, out, testMeta)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return idx
}

// publicIDs returns the ids of the pages of a section that are not withdrawal notices.
func publicIDs(t *testing.T, content, section string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(content, section, "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range paths {
		if filepath.Base(p) == "_index.md" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("\nwithdrawn: true\n")) {
			continue
		}
		ids = append(ids, strings.TrimSuffix(filepath.Base(p), ".md"))
	}
	return ids
}

// readCSV checks the byte-order mark and parses a CSV file: the header and the rows.
func readCSV(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := bytes.CutPrefix(b, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatalf("%s does not start with the UTF-8 byte-order mark", path)
	}
	records, err := csv.NewReader(bytes.NewReader(rest)).ReadAll() // also checks every row has as many fields
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(records) == 0 {
		t.Fatalf("%s: no header", path)
	}
	return records[0], records[1:]
}

// readJSONL parses a JSON Lines file, checking each object has the keys of the first, in the same order.
func readJSONL(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var objs []map[string]any
	var firstKeys []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for n := 1; sc.Scan(); n++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		keys := jsonKeys(t, sc.Bytes())
		if firstKeys == nil {
			firstKeys = keys
		} else if !slices.Equal(keys, firstKeys) {
			t.Fatalf("%s:%d: keys %v, want %v", path, n, keys, firstKeys)
		}
		objs = append(objs, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return objs
}

// jsonKeys returns the keys of a JSON object in the order they are written.
func jsonKeys(t *testing.T, line []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.Token() // {
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestWrite_EveryPublicRecordOnce(t *testing.T) {
	content := exportFixture(t)
	out := t.TempDir()
	idx := mustWrite(t, content, out)

	want := map[string][]string{}
	for _, ds := range []string{"red", "black", "cases"} {
		want[ds] = publicIDs(t, content, ds)
		if len(want[ds]) == 0 {
			t.Fatalf("the fixture has no public %s pages", ds)
		}
	}
	if got := (opendata.Counts{Red: len(want["red"]), Black: len(want["black"]), Cases: len(want["cases"])}); idx.Counts != got {
		t.Errorf("counts %+v, want %+v", idx.Counts, got)
	}
	for _, ds := range []string{"red", "black", "cases"} {
		header, rows := readCSV(t, filepath.Join(out, ds+".csv"))
		if len(header) < 10 || header[0] == "" {
			t.Errorf("%s.csv: header %q", ds, header)
		}
		var csvIDs []string
		for _, r := range rows {
			csvIDs = append(csvIDs, r[0])
		}
		objs := readJSONL(t, filepath.Join(out, ds+".jsonl"))
		var jsonIDs []string
		for _, o := range objs {
			jsonIDs = append(jsonIDs, o["id"].(string))
			if len(o) != len(header) {
				t.Errorf("%s.jsonl: %d keys, the CSV has %d columns", ds, len(o), len(header))
			}
		}
		wantIDs := slices.Sorted(slices.Values(want[ds]))
		if !slices.Equal(csvIDs, wantIDs) {
			t.Errorf("%s.csv ids %v, want each public page once, in order: %v", ds, csvIDs, wantIDs)
		}
		if !slices.Equal(jsonIDs, wantIDs) {
			t.Errorf("%s.jsonl ids %v, want %v", ds, jsonIDs, wantIDs)
		}
		for _, f := range idx.Files {
			if f.Dataset == ds && f.Rows != len(wantIDs) {
				t.Errorf("%s: rows %d, want %d", f.Name, f.Rows, len(wantIDs))
			}
		}
	}
}

func TestWrite_Values(t *testing.T) {
	content := exportFixture(t)
	out := t.TempDir()
	mustWrite(t, content, out)

	// A person: the masked ID number, the kind's name in the CSV and its code in JSON, the URLs.
	header, rows := readCSV(t, filepath.Join(out, "black.csv"))
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("black.csv has no column %q: %q", name, header)
		}
		return i
	}
	var person []string
	for _, r := range rows {
		if r[col(xinyong.MsgOpenDataColIDNumber)] != "" {
			person = r
		}
	}
	if person == nil {
		t.Fatal("black.csv: no row with an ID number")
	}
	if got, want := person[col(xinyong.MsgOpenDataColIDNumber)], xinyong.MaskIDNumber(fixture.IDZhang); got != want {
		t.Errorf("ID number %q, want %q", got, want)
	}
	if got := person[col(xinyong.MsgOpenDataColSubjectKind)]; got != xinyong.MsgOpenDataKindPerson {
		t.Errorf("subject kind %q", got)
	}
	id := person[0]
	if got, want := person[col(xinyong.MsgOpenDataColURL)], "https://credit.example.cn/black/"+id+"/"; got != want {
		t.Errorf("url %q, want %q", got, want)
	}
	for _, o := range readJSONL(t, filepath.Join(out, "black.jsonl")) {
		if o["id"] != id {
			continue
		}
		if o["subject_kind"] != xinyong.KindPerson || o["list"] != "black" || o["credit_code"] != nil {
			t.Errorf("black.jsonl %s: %v", id, o)
		}
		if _, ok := o["measures"].([]any); !ok {
			t.Errorf("black.jsonl %s: measures %#v is not an array", id, o["measures"])
		}
	}
	// Cases never carry an ID number column.
	header, _ = readCSV(t, filepath.Join(out, "cases.csv"))
	if slices.Contains(header, xinyong.MsgOpenDataColIDNumber) {
		t.Errorf("cases.csv has an ID number column: %q", header)
	}
}

// TestWrite_WhatRowsSayAboutPeople: the downloads say what the pages say (docs/CONTRACT.md, wave 2): a
// case row names its subject only while it has a public page and never a person, and each entry row says
// how it ends, with a repair date only on administrative black lists.
func TestWrite_WhatRowsSayAboutPeople(t *testing.T) {
	content := exportFixture(t)
	out := t.TempDir()
	mustWrite(t, content, out)

	want := map[string]string{ // case id → subject_name
		"C01": "盘锦鑫源化工有限公司", // an organisation with a page
		"C08": "",           // a person with a page
		"C11": "",           // a business whose only entry ended
		"C12": "",           // a person whose only entry ended
	}
	for _, o := range readJSONL(t, filepath.Join(out, "cases.jsonl")) {
		id, _ := o["id"].(string)
		w, ok := want[id]
		if !ok {
			continue
		}
		delete(want, id)
		got, _ := o["subject_name"].(string)
		url, _ := o["subject_url"].(string)
		if got != w || (w == "") != (url == "") || (w == "" && o["credit_code"] != nil) {
			t.Errorf("cases.jsonl %s: subject_name %q, subject_url %q, credit_code %v; want name %q", id, got, url, o["credit_code"], w)
		}
	}
	if len(want) > 0 {
		t.Errorf("cases.jsonl lacks %v", want)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "cases.csv"))
	for _, name := range []string{"大洼区腾坤小吃部", "常涛博"} {
		if bytes.Contains(csv, []byte(name)) {
			t.Errorf("cases.csv names %s", name)
		}
	}

	for _, c := range []struct{ file, id, procedure, repairFrom string }{
		{"black.jsonl", "E02", xinyong.ProcedureAdmin, "2025-01-02"},
		{"black.jsonl", "E14", xinyong.ProcedureCourt, ""},
		{"red.jsonl", "E01", xinyong.ProcedureHonour, ""},
	} {
		found := false
		for _, o := range readJSONL(t, filepath.Join(out, c.file)) {
			if o["id"] != c.id {
				continue
			}
			found = true
			repair, _ := o["repair_from"].(string)
			if o["procedure"] != c.procedure || repair != c.repairFrom {
				t.Errorf("%s %s: procedure %v, repair_from %q; want %s, %q", c.file, c.id, o["procedure"], repair, c.procedure, c.repairFrom)
			}
		}
		if !found {
			t.Errorf("%s lacks %s", c.file, c.id)
		}
	}
	header, rows := readCSV(t, filepath.Join(out, "black.csv"))
	i := slices.Index(header, xinyong.MsgOpenDataColProcedure)
	if i < 0 {
		t.Fatalf("black.csv has no column %q", xinyong.MsgOpenDataColProcedure)
	}
	for _, r := range rows {
		if r[0] == "E14" && r[i] != xinyong.MsgOpenDataProcedureCourt {
			t.Errorf("black.csv E14: %q, want %q", r[i], xinyong.MsgOpenDataProcedureCourt)
		}
	}
}

// TestWrite_DemoCasesNameOnlySubjectsWithPages: on the 2,000-entry demo, every subject a case row names is
// an organisation or business with public entries in the same downloads (so with a page), and its name
// links to that page; no case row names a person.
func TestWrite_DemoCasesNameOnlySubjectsWithPages(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: fixture.MustDemo(t, 2000), AsOf: fixture.AsOf}
	if _, err := x.Export(context.Background(), content, filepath.Join(dir, "quality")); err != nil {
		t.Fatalf("export: %v", err)
	}
	out := filepath.Join(dir, "data")
	mustWrite(t, content, out)

	pages := map[string]string{} // subject name → subject_url, from the entry rows
	for _, f := range []string{"red.jsonl", "black.jsonl"} {
		for _, o := range readJSONL(t, filepath.Join(out, f)) {
			if o["subject_kind"] != xinyong.KindPerson {
				pages[o["subject_name"].(string)], _ = o["subject_url"].(string)
			}
		}
	}
	named, anonymous := 0, 0
	for _, o := range readJSONL(t, filepath.Join(out, "cases.jsonl")) {
		name, _ := o["subject_name"].(string)
		if name == "" {
			anonymous++
			continue
		}
		named++
		url, ok := pages[name]
		if !ok || o["subject_kind"] == xinyong.KindPerson || o["subject_url"] != url {
			t.Errorf("cases.jsonl %v names %q (%v, %v): not a subject with a public page", o["id"], name, o["subject_kind"], o["subject_url"])
		}
	}
	if named == 0 || anonymous == 0 {
		t.Errorf("the demo's cases: %d name their subject, %d do not; want both kinds", named, anonymous)
	}
}

// idShape finds anything in the output with the shape of an 18- or 15-character resident ID number.
var idShape = regexp.MustCompile(`[0-9]{17}[0-9Xx]|[0-9]{15}`)

// checkNoIDNumbers fails if any file in dir holds an unmasked resident ID number.
func checkNoIDNumbers(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range idShape.FindAllString(string(b), -1) {
			if xinyong.IsIDNumber(m) || xinyong.LooksLikeIDNumber(m) {
				t.Errorf("%s holds the ID number %s", e.Name(), xinyong.MaskIDNumber(m))
			}
		}
		if bytes.Contains(b, []byte(fixture.IDZhang)) {
			t.Errorf("%s holds the fixture's ID number", e.Name())
		}
	}
}

func TestWrite_NoUnmaskedIDNumber(t *testing.T) {
	out := t.TempDir()
	mustWrite(t, exportFixture(t), out)
	checkNoIDNumbers(t, out)
}

// TestWrite_SecondDefence feeds a tree whose front matter breaks the export's promises (an unmasked ID
// number in the ID-number field, in a credit code and in a reason) and checks that none gets out.
func TestWrite_SecondDefence(t *testing.T) {
	id := xinyong.MakeIDNumber("211102", xinyong.NewDate(1980, 2, 29), 17)
	old := "211102800229123" // a 15-digit number of before 1999
	content := t.TempDir()
	writeFile(t, content, "_index.md", "---\nas_of: \"2026-06-15\"\ndata_version: \"0123456789abcdef\"\n---\n")
	var entry generator.Fields
	entry.Add("id", "E1")
	entry.Add("list", "black")
	entry.Add("list_name", "=HYPERLINK(\"http://evil.example/\",\"点击\")")
	entry.Add("subject", generator.Fields{{Key: "key", Value: "S1"}, {Key: "kind", Value: "person"},
		{Key: "name", Value: "@李四"}, {Key: "credit_code", Value: id}, {Key: "id_number", Value: id}})
	entry.Add("reason", "身份证号 "+id+"，旧号 "+old+"。")
	entry.Add("measures", []string{"-限制高消费", "+1", "\t制表符"})
	writeFile(t, content, "black/E1.md", string(generator.Document(entry, "正文")))
	out := t.TempDir()
	idx := mustWrite(t, content, out)
	if idx.Counts.Black != 1 || idx.Counts.Red != 0 || idx.Counts.Cases != 0 {
		t.Fatalf("counts %+v", idx.Counts)
	}
	checkNoIDNumbers(t, out)
	header, rows := readCSV(t, filepath.Join(out, "black.csv"))
	row := rows[0]
	cell := func(name string) string { return row[slices.Index(header, name)] }
	if got, want := cell(xinyong.MsgOpenDataColIDNumber), xinyong.MaskIDNumber(id); got != want {
		t.Errorf("ID number %q, want %q", got, want)
	}
	if got := cell(xinyong.MsgOpenDataColListName); !strings.HasPrefix(got, "'=HYPERLINK(") {
		t.Errorf("list name %q is not defused", got)
	}
	if got := cell(xinyong.MsgOpenDataColSubjectName); got != "'@李四" {
		t.Errorf("subject name %q is not defused", got)
	}
	if got := cell(xinyong.MsgOpenDataColMeasures); got != "'-限制高消费；+1；\t制表符" {
		t.Errorf("measures %q", got)
	}
	objs := readJSONL(t, filepath.Join(out, "black.jsonl"))
	if got := objs[0]["list_name"]; got != "=HYPERLINK(\"http://evil.example/\",\"点击\")" {
		t.Errorf("JSON keeps values exactly; list_name %q", got)
	}
}

func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestWrite_CSVInjection checks that no CSV cell of the fixture's downloads starts like a formula, and
// that the fixture's hostile values (which do) were defused rather than dropped.
func TestWrite_CSVInjection(t *testing.T) {
	out := t.TempDir()
	mustWrite(t, exportFixture(t), out)
	defused := 0
	for _, ds := range []string{"red", "black", "cases"} {
		_, rows := readCSV(t, filepath.Join(out, ds+".csv"))
		for _, r := range rows {
			for _, c := range r {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("%s.csv: cell %q starts like a formula", ds, c)
				}
				if strings.HasPrefix(c, "'") {
					defused++
				}
			}
		}
	}
	if defused == 0 {
		t.Error("no cell was defused: the fixture's hostile values (\"--- title: ...\") should be")
	}
}

func TestWrite_Index(t *testing.T) {
	content := exportFixture(t)
	out := t.TempDir()
	idx := mustWrite(t, content, out)

	b, err := os.ReadFile(filepath.Join(out, opendata.IndexFile))
	if err != nil {
		t.Fatal(err)
	}
	var got opendata.Index
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Release != testMeta.Release || !got.BuiltAt.Equal(testMeta.BuiltAt) || got.AsOf != fixture.AsOf.String() ||
		len(got.DataVersion) != 16 || got.Demo {
		t.Errorf("index.json: release %q, built_at %v, as_of %q, data_version %q, demo %v", got.Release, got.BuiltAt,
			got.AsOf, got.DataVersion, got.Demo)
	}
	if keys := jsonKeys(t, b); !slices.Equal(keys, []string{"release", "data_version", "as_of", "built_at", "demo", "counts", "files"}) {
		t.Errorf("index.json keys %v", keys)
	}
	var names []string
	var sums strings.Builder
	for _, f := range got.Files {
		names = append(names, f.Name)
		data, err := os.ReadFile(filepath.Join(out, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if f.Size != int64(len(data)) || f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: index says %d bytes, %s; the file has %d bytes, %x", f.Name, f.Size, f.SHA256, len(data), sum)
		}
		sums.WriteString(f.SHA256 + "  " + f.Name + "\n")
	}
	want := []string{"red.csv", "red.jsonl", "black.csv", "black.jsonl", "cases.csv", "cases.jsonl"}
	if !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
	if !slices.EqualFunc(got.Files, idx.Files, func(a, b opendata.File) bool { return a == b }) {
		t.Errorf("Write returned %+v, index.json says %+v", idx.Files, got.Files)
	}
	if b, _ := os.ReadFile(filepath.Join(out, opendata.SumsFile)); string(b) != sums.String() {
		t.Errorf("SHA256SUMS:\n%s\nwant:\n%s", b, sums.String())
	}
}

func TestWrite_Deterministic(t *testing.T) {
	content := exportFixture(t)
	a, b := t.TempDir(), t.TempDir()
	mustWrite(t, content, a)
	mustWrite(t, content, b)
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 8 {
		t.Errorf("%d files, want 8", len(entries))
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs (%v)", e.Name(), err)
		}
	}
}

func TestWrite_Errors(t *testing.T) {
	ctx := context.Background()
	for _, meta := range []opendata.Meta{{}, testMeta, {AsOf: "2026-06-15", DataVersion: "0123456789abcdef"}} {
		if _, err := opendata.Write(ctx, t.TempDir(), t.TempDir(), meta); err == nil {
			t.Errorf("a directory that is not an export tree, %+v: no error", meta)
		}
	}
	content := t.TempDir()
	writeFile(t, content, "_index.md", "---\nas_of: \"2026-06-15\"\n---\n")
	writeFile(t, content, "red/E1.md", "---\nid: \"E2\"\nlist: \"red\"\n---\n")
	if _, err := opendata.Write(ctx, content, t.TempDir(), opendata.Meta{}); err == nil || !strings.Contains(err.Error(), "E1") {
		t.Errorf("a page whose id is not its name: %v", err)
	}
	writeFile(t, content, "red/E1.md", "no front matter\n")
	if _, err := opendata.Write(ctx, content, t.TempDir(), opendata.Meta{}); err == nil {
		t.Error("a page without front matter: no error")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := opendata.Write(cancelled, exportFixture(t), t.TempDir(), testMeta); err == nil {
		t.Error("a cancelled context: no error")
	}
}

func TestPage(t *testing.T) {
	out := t.TempDir()
	idx := mustWrite(t, exportFixture(t), out)
	page := opendata.Page(idx)
	rest, ok := bytes.CutPrefix(page, []byte("---\n"))
	end := bytes.Index(rest, []byte("\n---\n"))
	if !ok || end < 0 {
		t.Fatalf("no front matter:\n%s", page)
	}
	var fm struct {
		Title   string `yaml:"title"`
		URL     string `yaml:"url"`
		Layout  string `yaml:"layout"`
		Release string `yaml:"release"`
		AsOf    string `yaml:"as_of"`
		BuiltAt string `yaml:"built_at"`
		Index   string `yaml:"index_file"`
		Sums    string `yaml:"sums_file"`
		Files   []struct {
			Name     string `yaml:"name"`
			Dataset  string `yaml:"dataset"`
			Format   string `yaml:"format"`
			Rows     int    `yaml:"rows"`
			Size     int64  `yaml:"size"`
			SizeText string `yaml:"size_text"`
			SHA256   string `yaml:"sha256"`
		} `yaml:"files"`
	}
	if err := yaml.Unmarshal(rest[:end+1], &fm); err != nil {
		t.Fatalf("front matter: %v", err)
	}
	if fm.Title != xinyong.MsgOpenDataTitle || fm.URL != "/data/" || fm.Layout != opendata.PageLayout ||
		fm.Release != idx.Release || fm.AsOf != idx.AsOf || fm.BuiltAt != "2026-06-15T09:02:03+08:00" ||
		fm.Index != opendata.IndexFile || fm.Sums != opendata.SumsFile {
		t.Errorf("front matter %+v", fm)
	}
	if len(fm.Files) != len(idx.Files) {
		t.Fatalf("%d files, want %d", len(fm.Files), len(idx.Files))
	}
	for i, f := range idx.Files {
		g := fm.Files[i]
		if g.Name != f.Name || g.Dataset != f.Dataset || g.Format != f.Format || g.Rows != f.Rows ||
			g.Size != f.Size || g.SHA256 != f.SHA256 || g.SizeText == "" {
			t.Errorf("file %d: %+v, want %+v", i, g, f)
		}
	}
}
