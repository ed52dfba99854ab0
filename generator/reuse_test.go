package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/search"
)

// rowSource changes rows as the departments would between two nights.
type rowSource struct {
	generator.Source
	entry   func(*xinyong.Entry) *xinyong.Entry // nil result: the row is gone
	subject func(*xinyong.Subject)
	dept    func(*xinyong.Department)
	kase    func(*xinyong.Case)
}

func (r rowSource) Cases(ctx context.Context, fn func(*xinyong.Case, *xinyong.Subject) error) error {
	return r.Source.Cases(ctx, func(c *xinyong.Case, s *xinyong.Subject) error {
		if r.kase != nil {
			k := *c
			r.kase(&k)
			c = &k
		}
		if r.subject != nil && s != nil {
			k := *s
			r.subject(&k)
			s = &k
		}
		return fn(c, s)
	})
}

func (r rowSource) Departments(ctx context.Context) ([]xinyong.Department, error) {
	ds, err := r.Source.Departments(ctx)
	if r.dept != nil {
		for i := range ds {
			r.dept(&ds[i])
		}
	}
	return ds, err
}

func (r rowSource) Entries(ctx context.Context, fn func(*xinyong.Entry, *xinyong.Subject) error) error {
	return r.Source.Entries(ctx, func(e *xinyong.Entry, s *xinyong.Subject) error {
		if r.entry != nil {
			c := *e
			if e = r.entry(&c); e == nil {
				return nil
			}
		}
		if r.subject != nil && s != nil {
			c := *s
			r.subject(&c)
			s = &c
		}
		return fn(e, s)
	})
}

// reuseRun is one export with a pages file, and what it wrote.
type reuseRun struct {
	dir  string
	res  *generator.Result
	docs []byte
}

func (r reuseRun) previous() *generator.Previous {
	return &generator.Previous{Content: filepath.Join(r.dir, "content"), Sums: filepath.Join(r.dir, "content.sums"),
		Pages: filepath.Join(r.dir, "content.pages")}
}

func exportReusing(t *testing.T, src generator.Source, dir string, asOf xinyong.Date, rules xinyong.Rules, prev *generator.Previous) reuseRun {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var docs bytes.Buffer
	w := search.NewDocsWriter(&docs)
	x := &generator.Exporter{Source: src, AsOf: asOf, Rules: rules, Docs: w.Write, Previous: prev,
		Sums: filepath.Join(dir, "content.sums"), Pages: filepath.Join(dir, "content.pages")}
	res, err := x.Export(context.Background(), filepath.Join(dir, "content"), filepath.Join(dir, "quality"))
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return reuseRun{dir: dir, res: res, docs: docs.Bytes()}
}

// sameExport checks that a night that reused pages wrote exactly what an export without any previous one
// writes: the tree, the content sums, the report, the search documents and the data version.
func sameExport(t *testing.T, got, fresh reuseRun) {
	t.Helper()
	compareTrees(t, filepath.Join(got.dir, "content"), filepath.Join(fresh.dir, "content"))
	compareTrees(t, filepath.Join(got.dir, "quality"), filepath.Join(fresh.dir, "quality"))
	for _, f := range []string{"content.sums", "content.pages"} {
		a, errA := os.ReadFile(filepath.Join(got.dir, f))
		b, errB := os.ReadFile(filepath.Join(fresh.dir, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from a fresh export's (%v, %v)", f, errA, errB)
		}
	}
	if !bytes.Equal(got.docs, fresh.docs) {
		t.Errorf("search documents differ from a fresh export's")
	}
	if got.res.DataVersion != fresh.res.DataVersion {
		t.Errorf("data version %s, fresh export %s", got.res.DataVersion, fresh.res.DataVersion)
	}
}

// recordPages counts the entry, subject and case pages of an export.
func recordPages(r *generator.Result) int { return r.Red + r.Black + r.Subjects + r.Cases }

// TestExport_ReusesPages: a night with the same rows takes every record page from the previous export's
// pages file (but those whose reason cleaning reported something, which are always cleaned again), and
// writes exactly what a fresh export writes; a night in which rows changed renders exactly the pages made
// from them, and the rest is reused.
func TestExport_ReusesPages(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  generator.Source
	}{
		{"demo", fixture.MustDemo(t, 400)},
		{"hostile fixture", fixture.MustFixture(t, false)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			asOf := fixture.AsOf
			first := exportReusing(t, tt.src, filepath.Join(root, "1"), asOf, xinyong.Rules{}, nil)
			if first.res.Reused != 0 {
				t.Fatalf("first export reused %d pages from nowhere", first.res.Reused)
			}
			second := exportReusing(t, tt.src, filepath.Join(root, "2"), asOf, xinyong.Rules{}, first.previous())
			sameExport(t, second, first)
			n := recordPages(second.res)
			if tt.name == "demo" && second.res.Reused != n {
				t.Errorf("same rows: %d of %d record pages reused", second.res.Reused, n)
			}
			if second.res.Reused == 0 || second.res.Reused > n {
				t.Errorf("same rows: %d of %d record pages reused", second.res.Reused, n)
			}
			// The pages file of a night with nothing changed is the previous one, linked.
			if inode(t, filepath.Join(root, "1", "content.pages")) != inode(t, filepath.Join(root, "2", "content.pages")) {
				t.Errorf("the same pages written again")
			}
		})
	}
}

// TestExport_ReuseNeverStale: every input of a record page — its entry row, its subject's row, its
// department's row, the rules, the as-of date — changes what is reused exactly as a fresh export would
// change the tree; a repaired entry is gone and its subject's page no longer lists it.
func TestExport_ReuseNeverStale(t *testing.T) {
	db := fixture.MustDemo(t, 400)
	root := t.TempDir()
	asOf := fixture.AsOf
	base := exportReusing(t, db, filepath.Join(root, "base"), asOf, xinyong.Rules{}, nil)
	all := recordPages(base.res)

	// Pick a published black-list entry and its subject from the tree.
	var entryID, subjectID, dept string
	ids, err := generator.PageIDs(filepath.Join(base.dir, "content", "black"))
	if err != nil || len(ids) == 0 {
		t.Fatalf("no black-list pages (%v)", err)
	}
	entryID = ids[len(ids)/2]
	page, err := os.ReadFile(filepath.Join(base.dir, "content", "black", entryID+".md"))
	if err != nil {
		t.Fatal(err)
	}
	ep, err := generator.ReadEntryPage(page)
	if err != nil {
		t.Fatal(err)
	}
	subjectID, dept = ep.Subject.ID, ep.Department.Code
	// And a case that names its subject.
	var caseID, caseSubject string
	cases, err := generator.PageIDs(filepath.Join(base.dir, "content", "cases"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range cases {
		page, err := os.ReadFile(filepath.Join(base.dir, "content", "cases", id+".md"))
		if err != nil {
			t.Fatal(err)
		}
		if cp, err := generator.ReadCasePage(page); err == nil && cp.Subject.ID != "" {
			caseID, caseSubject = id, cp.Subject.ID
			break
		}
	}
	if caseID == "" {
		t.Fatal("no case names its subject")
	}

	for _, tt := range []struct {
		name  string
		src   generator.Source
		asOf  xinyong.Date
		rules xinyong.Rules
		// reused says how many record pages may be reused at most, given all.
		most func(all int) int
		// least, when set, says how many must be reused at least.
		least func(all int) int
		check func(t *testing.T, r reuseRun)
	}{
		{name: "reason corrected", src: rowSource{Source: db, entry: func(e *xinyong.Entry) *xinyong.Entry {
			if e.ID == entryID {
				e.Reason += "（更正）"
			}
			return e
		}}, most: func(n int) int { return n - 2 }, least: func(n int) int { return n - 2 }, check: func(t *testing.T, r reuseRun) {
			page, err := os.ReadFile(filepath.Join(r.dir, "content", "black", entryID+".md"))
			if err != nil || !bytes.Contains(page, []byte("（更正）")) {
				t.Errorf("black/%s.md lacks the corrected reason (%v)", entryID, err)
			}
		}},
		{name: "updated_at only", src: rowSource{Source: db, entry: func(e *xinyong.Entry) *xinyong.Entry {
			if e.ID == entryID {
				e.UpdatedAt = e.UpdatedAt.Add(1e9)
			}
			return e
		}}, most: func(n int) int { return n - 2 }, least: func(n int) int { return n - 2 }},
		{name: "repaired", src: rowSource{Source: db, entry: func(e *xinyong.Entry) *xinyong.Entry {
			if e.ID == entryID {
				e.Status = xinyong.StatusRepaired
				e.StatusChangedOn = asOf
			}
			return e
		}}, most: func(n int) int { return n - 1 }, check: func(t *testing.T, r reuseRun) {
			if _, err := os.Stat(filepath.Join(r.dir, "content", "black", entryID+".md")); err == nil {
				t.Errorf("repaired black/%s.md still exported", entryID)
			}
			err := filepath.WalkDir(filepath.Join(r.dir, "content", "subjects"), func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(path)
				if err == nil && bytes.Contains(b, []byte(`id: "`+entryID+`"`)) {
					t.Errorf("%s still lists the repaired entry", path)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}},
		{name: "row deleted", src: rowSource{Source: db, entry: func(e *xinyong.Entry) *xinyong.Entry {
			if e.ID == entryID {
				return nil
			}
			return e
		}}, most: func(n int) int { return n - 1 }},
		{name: "subject renamed", src: rowSource{Source: db, subject: func(s *xinyong.Subject) {
			if s.ID == subjectID {
				s.Name += "（更名）"
			}
		}}, most: func(n int) int { return n - 2 }},
		{name: "subject's legal representative", src: rowSource{Source: db, subject: func(s *xinyong.Subject) {
			if s.ID == subjectID {
				s.LegalRep = "张三"
			}
		}}, most: func(n int) int { return n - 2 }},
		{name: "department's phone", src: rowSource{Source: db, dept: func(d *xinyong.Department) {
			if d.Code == dept {
				d.Phone = "0427-0000000"
			}
		}}, most: func(n int) int { return n - 2 }},
		{name: "case body corrected", src: rowSource{Source: db, kase: func(c *xinyong.Case) {
			if c.ID == caseID {
				c.Body += "\n\n更正。"
			}
		}}, most: func(n int) int { return n - 1 }, least: func(n int) int { return n - 1 }, check: func(t *testing.T, r reuseRun) {
			page, err := os.ReadFile(filepath.Join(r.dir, "content", "cases", caseID+".md"))
			if err != nil || !bytes.Contains(page, []byte("更正。")) {
				t.Errorf("cases/%s.md lacks the corrected body (%v)", caseID, err)
			}
		}},
		// The subject of a case loses its page: the case no longer names it.
		{name: "case's subject withdrawn", src: rowSource{Source: db, entry: func(e *xinyong.Entry) *xinyong.Entry {
			if e.SubjectID == caseSubject {
				return nil
			}
			return e
		}}, most: func(n int) int { return n - 2 }, check: func(t *testing.T, r reuseRun) {
			page, err := os.ReadFile(filepath.Join(r.dir, "content", "cases", caseID+".md"))
			if err != nil {
				t.Fatal(err)
			}
			if cp, err := generator.ReadCasePage(page); err != nil || cp.Subject.ID != "" {
				t.Errorf("cases/%s.md still names subject %q (%v)", caseID, cp.Subject.ID, err)
			}
		}},
		{name: "rules: honours of the seriously dishonest published", src: db,
			rules: xinyong.Rules{PublishConflictingHonours: true}, most: func(int) int { return 0 }},
		{name: "rules: court lists", src: db, rules: xinyong.Rules{CourtLists: []string{"失信被执行人"}},
			most: func(int) int { return 0 }},
		{name: "rules: no admin lists", src: db, rules: xinyong.Rules{AdminLists: []string{}},
			most: func(int) int { return 0 }},
		{name: "as-of date a year later", src: db, asOf: xinyong.NewDate(2027, 6, 15), most: func(n int) int { return n }},
		// A page does not show the as-of date: the next day's export reuses the pages of the rows still
		// public, and drops those that no longer are, as a fresh export does.
		{name: "as-of date the next day", src: db, asOf: xinyong.NewDate(2026, 6, 16), most: func(n int) int { return n },
			least: func(n int) int { return n * 9 / 10 }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			asOf := tt.asOf
			if asOf.IsZero() {
				asOf = fixture.AsOf
			}
			dir := filepath.Join(root, strings.ReplaceAll(tt.name, " ", "-"))
			night := exportReusing(t, tt.src, dir, asOf, tt.rules, base.previous())
			fresh := exportReusing(t, tt.src, dir+"-fresh", asOf, tt.rules, nil)
			sameExport(t, night, fresh)
			if most := tt.most(all); night.res.Reused > most {
				t.Errorf("%d of %d record pages reused, want at most %d", night.res.Reused, all, most)
			}
			if tt.least != nil && night.res.Reused < tt.least(all) {
				t.Errorf("%d of %d record pages reused, want at least %d", night.res.Reused, all, tt.least(all))
			}
			if tt.check != nil {
				tt.check(t, night)
			}
		})
	}
}

// TestExport_BadPagesRenderEverything: a pages file that is missing, damaged, cut or of another format is
// not used: every page is rendered, and the export is a fresh export's.
func TestExport_BadPagesRenderEverything(t *testing.T) {
	db := fixture.MustDemo(t, 200)
	root := t.TempDir()
	first := exportReusing(t, db, filepath.Join(root, "first"), fixture.AsOf, xinyong.Rules{}, nil)
	pages, err := os.ReadFile(filepath.Join(first.dir, "content.pages"))
	if err != nil {
		t.Fatal(err)
	}
	flipped := bytes.Clone(pages)
	flipped[len(flipped)/2] ^= 1
	for _, tt := range []struct {
		name string
		data []byte // nil: no pages file
	}{
		{"missing", nil},
		{"empty", []byte{}},
		{"one bit flipped", flipped},
		{"cut short", pages[:len(pages)-100]},
		{"checksum cut", pages[:len(pages)-1]},
		{"another format", append([]byte("xinyong pages 9\n"), pages[16:]...)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(root, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			prev := first.previous()
			prev.Pages = filepath.Join(dir, "prev.pages")
			if tt.data != nil {
				if err := os.WriteFile(prev.Pages, tt.data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			night := exportReusing(t, db, filepath.Join(dir, "night"), fixture.AsOf, xinyong.Rules{}, prev)
			if night.res.Reused != 0 {
				t.Errorf("%d pages reused from a %s pages file", night.res.Reused, tt.name)
			}
			sameExport(t, night, first)
		})
	}
}
