package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
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
		text := strings.Join(append([]string{d.ID, d.Name, d.Code, d.Summary}, d.ListNames...), " ")
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
