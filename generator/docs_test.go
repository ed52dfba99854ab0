package generator_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/search"
)

// TestExport_Docs checks that the search documents are exactly the published subject and case pages, and
// that no ID number reaches them.
func TestExport_Docs(t *testing.T) {
	dir := t.TempDir()
	var docs []search.Doc
	x := &generator.Exporter{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf,
		Docs: func(d search.Doc) error { docs = append(docs, d); return nil }}
	res, err := x.Export(context.Background(), filepath.Join(dir, "content"), filepath.Join(dir, "quality"))
	if err != nil {
		t.Fatal(err)
	}
	subjects, cases := 0, 0
	digits := regexp.MustCompile(`[0-9]{6,}[0-9Xx]`)
	for _, d := range docs {
		var file string
		switch d.Kind {
		case search.KindSubject:
			subjects++
			file = filepath.Join(dir, "content", "subjects", d.ID+".md")
			if d.URL != "/subjects/"+d.ID+"/" || len(d.Lists) == 0 || d.Date.IsZero() {
				t.Errorf("subject doc %+v", d)
			}
		case search.KindCase:
			cases++
			file = filepath.Join(dir, "content", "cases", d.ID+".md")
			if d.URL != "/cases/"+d.ID+"/" || d.Date.IsZero() {
				t.Errorf("case doc %+v", d)
			}
		default:
			t.Errorf("doc of kind %q", d.Kind)
		}
		if _, err := os.Stat(file); err != nil {
			t.Errorf("doc %s %s has no page: %v", d.Kind, d.ID, err)
		}
		// Every entry a subject document names is a published entry page of the subject.
		if d.Kind == search.KindSubject && len(d.Entries) == 0 {
			t.Errorf("subject doc %s has no entries", d.ID)
		}
		refs := []string{}
		for _, e := range d.Entries {
			refs = append(refs, e.ID, e.DecisionNo)
			page, err := os.ReadFile(filepath.Join(dir, "content", e.List, e.ID+".md"))
			if err != nil {
				t.Errorf("doc %s: entry %s has no page: %v", d.ID, e.ID, err)
				continue
			}
			fm, _ := splitDoc(t, page)
			if fm["title"] != d.Name || fm["id"] != e.ID || fm["list"] != e.List {
				t.Errorf("doc %s: entry %s is not the page of %s's %s entry: %v %v", d.ID, e.ID, d.Name, e.List,
					fm["title"], fm["list"])
			}
			if no, _ := fm["decision_no"].(string); no != e.DecisionNo {
				t.Errorf("doc %s: entry %s: 认定文号 %q, the page's %q", d.ID, e.ID, e.DecisionNo, no)
			}
		}
		text := strings.Join(slices.Concat([]string{d.ID, d.Name, d.Code, d.Summary}, d.ListNames, refs), " ")
		for _, m := range digits.FindAllString(text, -1) {
			if xinyong.IsIDNumber(m) {
				t.Errorf("doc %s %s carries an ID number", d.Kind, d.ID)
			}
		}
		if d.Person && d.Code != "" && xinyong.LooksLikeIDNumber(d.Code) {
			t.Errorf("person doc %s carries %q as code", d.ID, d.Code)
		}
	}
	if subjects != res.Subjects || cases != res.Cases {
		t.Errorf("docs: %d subjects, %d cases; export: %d subject pages, %d cases", subjects, cases, res.Subjects, res.Cases)
	}
	if subjects == 0 || cases == 0 {
		t.Fatal("fixture produced no docs")
	}
}

// TestExport_DocsError: the search documents are handed over by the pipeline's ordering goroutine, one
// call at a time and in export order; an error from Docs, however late, fails the export, which then
// leaves no tree.
func TestExport_DocsError(t *testing.T) {
	src := fixture.MustFixture(t, false)
	dir := t.TempDir()
	var all []string
	x := &generator.Exporter{Source: src, AsOf: fixture.AsOf,
		Docs: func(d search.Doc) error { all = append(all, d.URL); return nil }}
	if _, err := x.Export(context.Background(), filepath.Join(dir, "all"), filepath.Join(dir, "all-quality")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("docs full")
	for _, at := range []int{0, len(all) / 2, len(all) - 1} {
		var got []string
		x := &generator.Exporter{Source: src, AsOf: fixture.AsOf, Docs: func(d search.Doc) error {
			got = append(got, d.URL)
			if len(got) == at+1 {
				return boom
			}
			return nil
		}}
		out := filepath.Join(dir, fmt.Sprint("out", at))
		if _, err := x.Export(context.Background(), out, out+"-quality"); !errors.Is(err, boom) {
			t.Errorf("error at doc %d: export returned %v", at, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("error at doc %d: a tree was left: %v", at, err)
		}
		if len(got) < at+1 || !slices.Equal(got[:at+1], all[:at+1]) {
			t.Errorf("error at doc %d: docs before it %d, not the first ones in order", at, len(got))
		}
	}
}
