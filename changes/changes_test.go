package changes_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"xinyong"
	"xinyong/changes"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/internal/tree"
)

// release is a release directory as publish lays it out, with the export tree of asOf in content/.
func release(t testing.TB, data, id string, asOf xinyong.Date) string {
	t.Helper()
	dir := filepath.Join(data, "releases", id)
	x := &generator.Exporter{Source: fixture.MustFixture(t, false), AsOf: asOf, Sums: filepath.Join(dir, "content.sums")}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := x.Export(context.Background(), filepath.Join(dir, "content"), filepath.Join(dir, "quality")); err != nil {
		t.Fatalf("export: %v", err)
	}
	return dir
}

// stage does what the pipeline does: Stage before the build, then the delta files into site/data/changes.
func stage(t testing.TB, prev, dir string, meta changes.Meta) (*changes.Delta, *changes.Index) {
	t.Helper()
	d, idx, err := changes.Stage(context.Background(), dirs(prev, dir), meta)
	if err != nil {
		t.Fatalf("Stage %s: %v", meta.Release, err)
	}
	moveFiles(t, scratchDir(dir), filepath.Join(dir, "site", changes.SiteDataDir))
	return d, idx
}

// historyFile is where the tests keep a release's history, as publish does.
const historyFile = "changes/history.jsonl.gz"

// historyPath is the history of a release directory laid out as publish lays it out.
func historyPath(release string) string { return filepath.Join(release, historyFile) }

// scratchDir is where the tests stage a release's delta files.
func scratchDir(release string) string { return filepath.Join(release, "changes", "data") }

// dirs are the paths Stage gets for a release staged in dir after prev ("" for none), as publish lays
// them out.
func dirs(prev, dir string) changes.Dirs {
	d := changes.Dirs{Content: filepath.Join(dir, "content"), Data: scratchDir(dir), History: historyPath(dir)}
	if prev != "" {
		d.PrevContent = filepath.Join(prev, "content")
		d.PrevData = filepath.Join(prev, "site", changes.SiteDataDir)
		d.PrevHistory = historyPath(prev)
		// The content sums the exports wrote, as publish passes them: Stage compares by them.
		d.PrevSums, d.Sums = filepath.Join(prev, "content.sums"), filepath.Join(dir, "content.sums")
	}
	return d
}

func moveFiles(t testing.TB, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(from); err != nil {
		t.Fatal(err)
	}
}

func meta(id, prev string, asOf xinyong.Date) changes.Meta {
	built, _ := time.Parse("20060102T150405Z", id[:16])
	return changes.Meta{Release: id, Previous: prev, AsOf: asOf.String(), BuiltAt: built,
		BaseURL: "https://credit.example.cn/"}
}

// page is an entry's page as read independently of the package: front matter parsed with the YAML library
// Hugo uses, and the body.
type page struct {
	fm   map[string]any
	body string
}

// publicPages reads the public pages of the tracked sections of a tree (withdrawal notices left out), by key.
func publicPages(t testing.TB, content string) map[string]page {
	t.Helper()
	out := map[string]page{}
	for _, list := range []string{"red", "black", "cases"} {
		files, _ := filepath.Glob(filepath.Join(content, list, "*.md"))
		for _, f := range files {
			if filepath.Base(f) == "_index.md" {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			parts := strings.SplitN(string(data), "\n---\n", 2)
			var fm map[string]any
			if err := yaml.Unmarshal([]byte(strings.TrimPrefix(parts[0], "---\n")), &fm); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if fm["withdrawn"] == true {
				continue
			}
			p := page{fm: fm}
			if len(parts) == 2 {
				p.body = parts[1]
			}
			out[list+"/"+strings.TrimSuffix(filepath.Base(f), ".md")] = p
		}
	}
	return out
}

// sameEntry compares two pages as the contract means it: the front matter but a case subject's page flag,
// and the body.
func sameEntry(a, b page) bool {
	strip := func(p page) string {
		fm := maps.Clone(p.fm)
		if _, isEntry := fm["list"]; !isEntry {
			delete(fm, "subject") // a case names its subject only while the subject has a page
		}
		data, _ := json.Marshal(fm)
		return string(data) + p.body
	}
	return strip(a) == strip(b)
}

func keys[T interface{ Key() string }](list []T) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.Key()
	}
	return out
}

// TestDiff_Fixture exports the hostile fixture on two dates 400 days apart (entries expire, cases are
// published and withdrawn) and checks the delta against an independent reading of the two trees.
func TestDiff_Fixture(t *testing.T) {
	data := t.TempDir()
	r1 := release(t, data, "20260615T020000Z", fixture.AsOf)
	r2 := release(t, data, "20270720T020000Z", fixture.AsOf.AddDays(400))
	d, err := changes.Diff(context.Background(), filepath.Join(r1, "content"), filepath.Join(r2, "content"))
	if err != nil {
		t.Fatal(err)
	}
	old, cur := publicPages(t, filepath.Join(r1, "content")), publicPages(t, filepath.Join(r2, "content"))
	var added, removed, changed []string
	unchanged := 0
	for k := range cur {
		if _, ok := old[k]; !ok {
			added = append(added, k)
		}
	}
	for k, p := range old {
		q, ok := cur[k]
		switch {
		case !ok:
			removed = append(removed, k)
		case !sameEntry(p, q):
			changed = append(changed, k)
		default:
			unchanged++
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	slices.Sort(changed)
	if len(removed) == 0 || len(added) == 0 {
		t.Fatalf("the fixture should both add and remove entries over 400 days: added %v, removed %v", added, removed)
	}
	check := func(name string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("added", keys(d.Added), added)
	check("removed", keys(d.Removed), removed)
	check("changed", keys(d.Changed), changed)
	if d.Unchanged != unchanged || d.Public() != len(cur) {
		t.Errorf("unchanged %d, public %d; want %d, %d", d.Unchanged, d.Public(), unchanged, len(cur))
	}
	// With the content sums, unchanged entry pages are not read, and the delta is the same.
	ps, err := tree.ReadSums(filepath.Join(r1, "content.sums"))
	if err != nil {
		t.Fatal(err)
	}
	ns, err := tree.ReadSums(filepath.Join(r2, "content.sums"))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := changes.DiffSums(context.Background(), filepath.Join(r1, "content"), filepath.Join(r2, "content"), ps, ns)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds, d) {
		t.Errorf("DiffSums = %+v\nDiff = %+v", ds, d)
	}
	// C02's page differs only in whether it names its subject, which has a page only on one of the days:
	// not a change of the case.
	if !slices.Contains(keys(d.Added), "cases/C04") || slices.Contains(keys(d.Changed), "cases/C02") {
		t.Errorf("cases: added %v, changed %v", keys(d.Added), keys(d.Changed))
	}
	// A case that becomes a withdrawal notice is not added; list names come from the pages.
	for _, it := range d.Added {
		if it.Key() == "cases/C05" {
			t.Error("a withdrawal notice counted as added")
		}
		if want, _ := cur[it.Key()].fm["list_name"].(string); it.ListName != want {
			t.Errorf("%s: list name %q, want %q", it.Key(), it.ListName, want)
		}
	}

	// The first release: everything public is added.
	first, err := changes.Diff(context.Background(), "", filepath.Join(r1, "content"))
	if err != nil {
		t.Fatal(err)
	}
	if !first.Initial || len(first.Added) != len(old) || len(first.Removed)+len(first.Changed)+first.Unchanged != 0 {
		t.Errorf("initial delta: %+v", first.Counts())
	}
}

// removedNames collects every name, code and text of the removed entries' pages in the first tree.
func removedNames(t testing.TB, content string, removed []changes.Ref) []string {
	t.Helper()
	pages := publicPages(t, content)
	var names []string
	for _, r := range removed {
		p := pages[r.Key()]
		if s, ok := p.fm["subject"].(map[string]any); ok {
			for _, k := range []string{"name", "credit_code", "legal_rep", "id_number"} {
				if v, _ := s[k].(string); v != "" {
					names = append(names, v)
				}
			}
		}
		for _, k := range []string{"title", "reason", "decision_no", "abstract"} {
			if v, _ := p.fm[k].(string); v != "" {
				names = append(names, v)
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("no names among the removed entries")
	}
	return names
}

// goneNames are removedNames less those still published in the export tree next: a removed entry's subject
// that has another entry public there is named on that entry's page (and so, rightly, wherever that entry
// is listed). What is left must appear nowhere.
func goneNames(t testing.TB, prev, next string, removed []changes.Ref) []string {
	t.Helper()
	var published [][]byte
	for _, dir := range []string{"red", "black", "cases", "subjects"} {
		files, _ := filepath.Glob(filepath.Join(next, dir, "*.md"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte("\nwithdrawn: true\n")) {
				published = append(published, b)
			}
		}
	}
	var out []string
	for _, name := range removedNames(t, prev, removed) {
		if !slices.ContainsFunc(published, func(b []byte) bool { return bytes.Contains(b, []byte(name)) }) {
			out = append(out, name)
		}
	}
	if len(out) == 0 {
		t.Fatal("every name of the removed entries is still published")
	}
	return out
}

// TestStage_Privacy runs two releases and searches everything written for the names of removed entries.
func TestStage_Privacy(t *testing.T) {
	data := t.TempDir()
	r1 := release(t, data, "20260615T020000Z", fixture.AsOf)
	stage(t, "", r1, meta("20260615T020000Z", "", fixture.AsOf))
	r2 := release(t, data, "20270720T020000Z", fixture.AsOf.AddDays(400))
	d, _ := stage(t, r1, r2, meta("20270720T020000Z", "20260615T020000Z", fixture.AsOf.AddDays(400)))
	// The delta files and the history name nothing at all; the pages name the entries public in this release
	// (TestPages_Build), so only what is no longer published anywhere must be missing from them.
	names := removedNames(t, filepath.Join(r1, "content"), d.Removed)
	gone := goneNames(t, filepath.Join(r1, "content"), filepath.Join(r2, "content"), d.Removed)

	outputs := map[string][]byte{}
	for _, dir := range []string{filepath.Join(r2, "site", changes.SiteDataDir), filepath.Join(r2, "content", changes.PageDir)} {
		files, _ := os.ReadDir(dir)
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			outputs[filepath.Join(dir, f.Name())] = b
		}
	}
	outputs["history"] = gunzip(t, historyPath(r2))
	if len(outputs) < 6 {
		t.Fatalf("too few outputs: %v", slices.Collect(maps.Keys(outputs)))
	}
	for path, b := range outputs {
		names := names
		if strings.Contains(path, filepath.Join("content", changes.PageDir)) {
			names = gone
		}
		for _, name := range names {
			if bytes.Contains(b, []byte(name)) || bytes.Contains(b, []byte(generator.QuoteYAML(name))) {
				t.Errorf("%s names a removed entry: %q", path, name)
			}
		}
	}

	// Removed entries carry their list and id, nothing else; added ones nothing but list, id, list name, URL.
	var raw struct {
		Added, Changed, Removed []map[string]any
	}
	if err := json.Unmarshal(outputs[filepath.Join(r2, "site", changes.SiteDataDir, "20270720T020000Z.json")], &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Removed) != len(d.Removed) || len(raw.Added) != len(d.Added) {
		t.Fatalf("delta file: %d removed, %d added; want %d, %d", len(raw.Removed), len(raw.Added), len(d.Removed), len(d.Added))
	}
	for _, r := range raw.Removed {
		if got := slices.Sorted(maps.Keys(r)); !slices.Equal(got, []string{"id", "list"}) {
			t.Errorf("removed item with keys %v", got)
		}
	}
	for _, r := range slices.Concat(raw.Added, raw.Changed) {
		for k := range r {
			if !slices.Contains([]string{"id", "list", "list_name", "url"}, k) {
				t.Errorf("added or changed item with key %q", k)
			}
		}
		if u, _ := r["url"].(string); !strings.HasPrefix(u, "https://credit.example.cn/"+r["list"].(string)+"/") {
			t.Errorf("url %q", u)
		}
	}
}

func gunzip(t testing.TB, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copyTree copies a content tree (the files of its tracked sections and its home page).
func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func lookup(t testing.TB, release, key string) changes.Entry {
	t.Helper()
	e, ok, err := changes.Lookup(historyPath(release), key)
	if err != nil || !ok {
		t.Fatalf("%s in the history of %s: %v, %v", key, filepath.Base(release), ok, err)
	}
	return e
}

// TestHistory_ThreeReleases checks first_seen, last_seen and last_change over three releases and after a
// rollback, and that every index's checksums match its files.
func TestHistory_ThreeReleases(t *testing.T) {
	const R1, R2, R3, R4 = "20260615T020000Z", "20270720T020000Z", "20270721T020000Z", "20270722T020000Z"
	data := t.TempDir()
	r1 := release(t, data, R1, fixture.AsOf)
	stage(t, "", r1, meta(R1, "", fixture.AsOf))
	r2 := release(t, data, R2, fixture.AsOf.AddDays(400))
	stage(t, r1, r2, meta(R2, R1, fixture.AsOf.AddDays(400)))

	// R3: R2's tree with red/E08 edited, black/E14 gone and red/E01 back from R1.
	r3 := filepath.Join(data, "releases", R3)
	copyTree(t, filepath.Join(r2, "content"), filepath.Join(r3, "content"))
	os.RemoveAll(filepath.Join(r3, "content", changes.PageDir))
	e08 := filepath.Join(r3, "content", "red", "E08.md")
	b, err := os.ReadFile(e08)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e08, append(b, "补充说明。\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(r3, "content", "black", "E14.md")); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(filepath.Join(r1, "content", "red", "E01.md"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(r3, "content", "red", "E01.md"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	d3, idx3 := stage(t, r2, r3, meta(R3, R2, fixture.AsOf.AddDays(401)))
	if got := keys(d3.Changed); !slices.Equal(got, []string{"red/E08"}) {
		t.Errorf("R3 changed %v", got)
	}
	if got := keys(d3.Added); !slices.Equal(got, []string{"red/E01"}) {
		t.Errorf("R3 added %v", got)
	}
	if got := keys(d3.Removed); !slices.Equal(got, []string{"black/E14"}) {
		t.Errorf("R3 removed %v", got)
	}

	type want struct{ first, last, change, kind string }
	expect := func(rel, key string, w want) {
		t.Helper()
		e := lookup(t, rel, key)
		got := want{e.FirstSeen.Release, e.LastSeen.Release, e.LastChange.Release, e.Change}
		if got != w {
			t.Errorf("%s in %s: %+v, want %+v", key, filepath.Base(rel), got, w)
		}
	}
	expect(r1, "red/E01", want{R1, R1, R1, changes.ChangeAdded})
	expect(r2, "red/E01", want{R1, R1, R2, changes.ChangeRemoved})
	expect(r3, "red/E01", want{R1, R3, R3, changes.ChangeAdded})
	expect(r2, "red/E08", want{R2, R2, R2, changes.ChangeAdded})
	expect(r3, "red/E08", want{R2, R3, R3, changes.ChangeChanged})
	expect(r3, "red/E09", want{R1, R3, R1, changes.ChangeAdded})
	expect(r2, "black/E14", want{R1, R2, R1, changes.ChangeAdded})
	expect(r3, "black/E14", want{R1, R2, R3, changes.ChangeRemoved})
	expect(r3, "black/E02", want{R1, R1, R2, changes.ChangeRemoved})
	if e := lookup(t, r3, "red/E08"); e.LastChange.AsOf != fixture.AsOf.AddDays(401).String() || e.FirstSeen.BuiltAt.IsZero() {
		t.Errorf("marks carry no dates: %+v", e)
	}

	// Every entry public in R3 was last seen in R3, and only those.
	public := publicPages(t, filepath.Join(r3, "content"))
	head, err := changes.ReadHistory(historyPath(r3), func(e changes.Entry) error {
		if _, ok := public[e.Key]; ok != (e.LastSeen.Release == R3) {
			t.Errorf("%s: last seen %s, public %v", e.Key, e.LastSeen.Release, ok)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if head.Release != R3 || head.Since != R1 || len(head.Releases) != 3 {
		t.Errorf("head %+v", head)
	}

	// The index of R3 lists R3, R2 and R1, newest first, and every checksum matches.
	if got := []string{idx3.Versions[0].Release, idx3.Versions[1].Release, idx3.Versions[2].Release}; len(idx3.Versions) != 3 ||
		!slices.Equal(got, []string{R3, R2, R1}) {
		t.Fatalf("index versions %v", idx3.Versions)
	}
	checkSums(t, filepath.Join(r3, "site", changes.SiteDataDir))

	// Rollback: current goes back to R1, and the next release R4 builds on R1's history, not R2's or R3's.
	r4 := filepath.Join(data, "releases", R4)
	copyTree(t, filepath.Join(r3, "content"), filepath.Join(r4, "content"))
	os.RemoveAll(filepath.Join(r4, "content", changes.PageDir))
	_, idx4 := stage(t, r1, r4, meta(R4, R1, fixture.AsOf.AddDays(402)))
	expect(r4, "red/E08", want{R4, R4, R4, changes.ChangeAdded})
	expect(r4, "red/E01", want{R1, R4, R1, changes.ChangeAdded})
	expect(r4, "black/E02", want{R1, R1, R4, changes.ChangeRemoved})
	if len(idx4.Versions) != 2 || idx4.Versions[1].Release != R1 {
		t.Errorf("after the rollback the index lists %v", idx4.Versions)
	}
	checkSums(t, filepath.Join(r4, "site", changes.SiteDataDir))
}

// checkSums checks index.json and SHA256SUMS against the files of a release's /data/changes/.
func checkSums(t testing.TB, dir string) {
	t.Helper()
	idx, err := changes.ReadIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sums strings.Builder
	for _, v := range idx.Versions {
		b, err := os.ReadFile(filepath.Join(dir, v.File))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		if hex.EncodeToString(sum[:]) != v.SHA256 || int64(len(b)) != v.Size {
			t.Errorf("%s: size %d, sha256 %x; index says %d, %s", v.File, len(b), sum, v.Size, v.SHA256)
		}
		f, err := changes.ReadDelta(filepath.Join(dir, v.File), -1)
		if err != nil {
			t.Fatal(err)
		}
		if f.Release != v.Release || f.Counts != v.Counts || len(f.Added) != v.Counts.Added || len(f.Removed) != v.Counts.Removed {
			t.Errorf("%s: head %+v, index %+v", v.File, f.DeltaHead, v)
		}
		sums.WriteString(v.SHA256 + "  " + v.File + "\n")
	}
	b, err := os.ReadFile(filepath.Join(dir, changes.SumsFile))
	if err != nil || string(b) != sums.String() {
		t.Errorf("SHA256SUMS = %q, want %q (%v)", b, sums.String(), err)
	}
}

// TestReadDelta_PerList: the pages' limit applies to each list, so that a night with many additions to the
// black list still shows the red list's; the counts by list and list name cover every item.
func TestReadDelta_PerList(t *testing.T) {
	d := &changes.Delta{}
	for i := range 5 {
		d.Added = append(d.Added, changes.Item{Ref: changes.Ref{List: "black", ID: fmt.Sprintf("E%d", i)}, ListName: "失信被执行人"})
	}
	d.Added = append(d.Added, changes.Item{Ref: changes.Ref{List: "red", ID: "E9"}, ListName: "守信激励对象"})
	for i := range 3 {
		d.Removed = append(d.Removed, changes.Ref{List: "black", ID: fmt.Sprintf("R%d", i)})
	}
	out := t.TempDir()
	idx, err := changes.WriteFiles(context.Background(), "", out, meta("20260615T020000Z", "", fixture.AsOf), d)
	if err != nil {
		t.Fatal(err)
	}
	f, err := changes.ReadDelta(filepath.Join(out, idx.Versions[0].File), 2)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, x := range f.Added {
		ids = append(ids, x.List+"/"+x.ID)
	}
	if !slices.Equal(ids, []string{"black/E0", "black/E1", "red/E9"}) || len(f.Removed) != 2 || f.Counts.Added != 6 {
		t.Errorf("kept %v and %d removed (counts %+v)", ids, len(f.Removed), f.Counts)
	}
	want := []changes.GroupCount{{List: "black", ListName: "失信被执行人", Count: 5}, {List: "red", ListName: "守信激励对象", Count: 1}}
	if !slices.Equal(f.AddedBy, want) || !slices.Equal(f.RemovedBy, []changes.GroupCount{{List: "black", Count: 3}}) {
		t.Errorf("counts by list %+v, %+v", f.AddedBy, f.RemovedBy)
	}
}
