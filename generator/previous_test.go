package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/internal/tree"
)

// reasonSource changes the reason of one entry, as a department correcting its record would.
type reasonSource struct {
	generator.Source
	id, reason string
}

func (r reasonSource) Entries(ctx context.Context, fn func(*xinyong.Entry, *xinyong.Subject) error) error {
	return r.Source.Entries(ctx, func(e *xinyong.Entry, s *xinyong.Subject) error {
		if e.ID == r.id {
			c := *e
			c.Reason = r.reason
			e = &c
		}
		return fn(e, s)
	})
}

// exportInto exports src into dir/content with its sums dir/content.sums, linking from prev when not nil.
func exportInto(t *testing.T, src generator.Source, dir string, prev *generator.Previous) *generator.Result {
	t.Helper()
	x := &generator.Exporter{Source: src, AsOf: fixture.AsOf, Previous: prev, Sums: filepath.Join(dir, "content.sums")}
	res, err := x.Export(context.Background(), filepath.Join(dir, "content"), filepath.Join(dir, "quality"))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return res
}

func previousOf(dir string) *generator.Previous {
	return &generator.Previous{Content: filepath.Join(dir, "content"), Sums: filepath.Join(dir, "content.sums")}
}

// TestExport_LinksUnchangedFromPrevious: an export given the previous release's tree and content sums
// links every file whose bytes did not change (same inode), writes the one that did with its new bytes,
// and gives exactly the tree an export without a previous one gives. The sums file is deterministic.
func TestExport_LinksUnchangedFromPrevious(t *testing.T) {
	db := fixture.MustFixture(t, false)
	root := t.TempDir()
	night := func(name string) string { return filepath.Join(root, name) }

	first := exportInto(t, db, night("1"), nil)
	if first.Unchanged != 0 {
		t.Fatalf("first export linked %d files from nowhere", first.Unchanged)
	}
	second := exportInto(t, db, night("2"), previousOf(night("1")))
	if second.Unchanged != second.Files || second.Files != first.Files {
		t.Errorf("same data: %d of %d files linked, want all %d", second.Unchanged, second.Files, first.Files)
	}
	compareTrees(t, filepath.Join(night("2"), "content"), filepath.Join(night("1"), "content"))
	for rel := range readTree(t, filepath.Join(night("1"), "content")) {
		a, b := filepath.Join(night("1"), "content", rel), filepath.Join(night("2"), "content", rel)
		if inode(t, a) != inode(t, b) {
			t.Errorf("%s: unchanged but written again", rel)
		}
	}
	s1, _ := os.ReadFile(filepath.Join(night("1"), "content.sums"))
	s2, _ := os.ReadFile(filepath.Join(night("2"), "content.sums"))
	if len(s1) == 0 || !bytes.Equal(s1, s2) {
		t.Errorf("content sums differ for the same data (%d and %d bytes)", len(s1), len(s2))
	}

	// E01's reason is corrected: its page (and what quotes the reason) is new, the rest keeps its inode.
	changed := reasonSource{Source: db, id: "E01", reason: "更正后的列入事由。"}
	third := exportInto(t, changed, night("3"), previousOf(night("2")))
	fresh := exportInto(t, changed, night("fresh"), nil)
	compareTrees(t, filepath.Join(night("3"), "content"), filepath.Join(night("fresh"), "content"))
	if third.DataVersion != fresh.DataVersion || third.DataVersion == second.DataVersion {
		t.Errorf("data version %s, fresh export %s, night before %s", third.DataVersion, fresh.DataVersion, second.DataVersion)
	}
	page, err := os.ReadFile(filepath.Join(night("3"), "content", "red", "E01.md"))
	if err != nil || !bytes.Contains(page, []byte("更正后的列入事由。")) {
		t.Fatalf("red/E01.md does not have the new reason (%v):\n%s", err, page)
	}
	newFiles := 0
	for rel, data := range readTree(t, filepath.Join(night("3"), "content")) {
		old, err := os.ReadFile(filepath.Join(night("2"), "content", rel))
		same := inode(t, filepath.Join(night("2"), "content", rel)) == inode(t, filepath.Join(night("3"), "content", rel))
		switch {
		case err == nil && bytes.Equal(old, data) && !same:
			t.Errorf("%s: unchanged but written again", rel)
		case (err != nil || !bytes.Equal(old, data)) && same:
			t.Errorf("%s: changed but linked", rel) // cannot be: linked files share their bytes
		case !same:
			newFiles++
		}
	}
	if rel := "red/E01.md"; inode(t, filepath.Join(night("2"), "content", rel)) == inode(t, filepath.Join(night("3"), "content", rel)) {
		t.Errorf("%s: changed but linked", rel)
	}
	if newFiles == 0 || newFiles > 3 || third.Unchanged != third.Files-newFiles {
		t.Errorf("%d files written, %d of %d linked; want the entry and the pages quoting it only", newFiles, third.Unchanged, third.Files)
	}
}

// TestExport_Bytes: an export counts the size of its tree's files, written or linked, as a walk of the
// tree would (the publication's check of the free space takes it instead of walking the tree).
func TestExport_Bytes(t *testing.T) {
	db := fixture.MustFixture(t, false)
	root := t.TempDir()
	first := exportInto(t, db, filepath.Join(root, "1"), nil)
	changed := reasonSource{Source: db, id: "E01", reason: "更正后的列入事由，长了一些。"}
	second := exportInto(t, changed, filepath.Join(root, "2"), previousOf(filepath.Join(root, "1")))
	for i, res := range []*generator.Result{first, second} {
		size, err := tree.Size(filepath.Join(root, strconv.Itoa(i+1), "content"))
		if err != nil {
			t.Fatal(err)
		}
		if res.Bytes != size || size == 0 {
			t.Errorf("export %d: Bytes %d, the tree holds %d", i+1, res.Bytes, size)
		}
	}
	if second.Unchanged == 0 || second.Bytes == first.Bytes {
		t.Errorf("second export: %d files linked, %d bytes against %d: want links and another size", second.Unchanged, second.Bytes, first.Bytes)
	}
}

// TestExport_BadSumsWriteEverything: missing, damaged or cut content sums are not trusted: the export
// writes every file, with the right bytes, and never links one.
func TestExport_BadSumsWriteEverything(t *testing.T) {
	db := fixture.MustFixture(t, false)
	root := t.TempDir()
	prev := filepath.Join(root, "prev")
	exportInto(t, db, prev, nil)
	sums, err := os.ReadFile(filepath.Join(prev, "content.sums"))
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(sums)
	flipped[len(flipped)/2] ^= 1
	for _, tt := range []struct {
		name string
		data []byte // nil: no sums file
	}{
		{"missing", nil},
		{"empty", []byte{}},
		{"one bit flipped", flipped},
		{"cut short", sums[:len(sums)-40]},
		{"checksum cut", sums[:len(sums)-1]},
		{"not a sums file", []byte("xinyong sums 2\n" + string(sums[15:]))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(root, tt.name)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			p := &generator.Previous{Content: filepath.Join(prev, "content"), Sums: filepath.Join(dir, "prev.sums")}
			if tt.data != nil {
				if err := os.WriteFile(p.Sums, tt.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			res := exportInto(t, db, dir, p)
			if res.Unchanged != 0 {
				t.Errorf("%d files linked on the strength of %s sums", res.Unchanged, tt.name)
			}
			compareTrees(t, filepath.Join(dir, "content"), filepath.Join(prev, "content"))
		})
	}
}

// TestExport_SumsOfAnotherTree: sums that are intact but describe files other than the previous tree's
// (a previous file replaced since by one of another size) never make the export publish the wrong file.
func TestExport_SumsOfAnotherTree(t *testing.T) {
	db := fixture.MustFixture(t, false)
	root := t.TempDir()
	prev := filepath.Join(root, "prev")
	exportInto(t, db, prev, nil)
	victim := filepath.Join(prev, "content", "red", "E01.md")
	if err := os.Remove(victim); err != nil { // a new inode: the new release's links must not follow it
		t.Fatal(err)
	}
	if err := os.WriteFile(victim, []byte("---\ntitle: \"not this\"\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "next")
	res := exportInto(t, db, dir, previousOf(prev))
	fresh := filepath.Join(root, "fresh")
	exportInto(t, db, fresh, nil)
	compareTrees(t, filepath.Join(dir, "content"), filepath.Join(fresh, "content"))
	if res.Unchanged != res.Files-1 {
		t.Errorf("%d of %d files linked, want all but red/E01.md", res.Unchanged, res.Files)
	}
}

// TestExport_StatsPublishedByMonth: the statistics count, by month, the entries whose publication began
// then, ended since or not (more than the entries public today, in a fixture with expired, repaired and
// revoked rows), mark the month of the as-of date as not over, and list the departments by their counts,
// most first, not by code.
func TestExport_StatsPublishedByMonth(t *testing.T) {
	dir := t.TempDir()
	res := exportInto(t, fixture.MustFixture(t, false), dir, nil)
	b, err := os.ReadFile(filepath.Join(dir, "content", "stats", "_index.md"))
	if err != nil {
		t.Fatal(err)
	}
	fm, _, err := generator.ReadPage(b)
	if err != nil {
		t.Fatal(err)
	}
	months, total, partial := fm.Mappings("by_month"), 0, ""
	for i, m := range months {
		total += m.Int("red") + m.Int("black")
		if p := m.String("partial_until"); p != "" {
			if i != len(months)-1 || p != fixture.AsOf.String() || m.String("month") != fixture.AsOf.String()[:7] {
				t.Errorf("month %s marked partial until %q", m.String("month"), p)
			}
			partial = p
		}
	}
	if total <= res.Red+res.Black {
		t.Errorf("months count %d entries, no more than the %d public today: ended entries not counted", total, res.Red+res.Black)
	}
	if partial == "" && len(months) > 0 && months[len(months)-1].String("month") == fixture.AsOf.String()[:7] {
		t.Errorf("the as-of month is not marked partial")
	}
	depts := fm.Mappings("by_department")
	for i := 1; i < len(depts); i++ {
		a := depts[i-1].Int("red_count") + depts[i-1].Int("black_count")
		b := depts[i].Int("red_count") + depts[i].Int("black_count")
		if a < b {
			t.Errorf("departments not by count: %s (%d) before %s (%d)", depts[i-1].String("title"), a, depts[i].String("title"), b)
		}
	}
}
