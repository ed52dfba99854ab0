package changes

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"xinyong/generator"
)

func TestSameEntry(t *testing.T) {
	subj := func(name string, page bool) generator.Fields {
		f := generator.Fields{{Key: "key", Value: "S1"}, {Key: "name", Value: name}}
		if page {
			f = append(f, generator.Field{Key: "page", Value: true})
		}
		return f
	}
	doc := func(s generator.Fields, body string, extra ...generator.Field) []byte {
		fm := generator.Fields{{Key: "id", Value: "C1"}, {Key: "title", Value: "案例"}}
		if s != nil {
			fm = append(fm, generator.Field{Key: "subject", Value: s})
		}
		return generator.Document(append(fm, extra...), body)
	}
	tests := []struct {
		name   string
		a, b   []byte
		isCase bool
		want   bool
	}{
		{"equal bytes", doc(subj("甲", false), "x"), doc(subj("甲", false), "x"), false, true},
		{"case: subject comes and goes", doc(subj("甲", false), "x"), doc(nil, "x"), true, true},
		{"case: subject renamed", doc(subj("甲", false), "x"), doc(subj("乙", false), "x"), true, true},
		{"entry: subject renamed", doc(subj("甲", false), "x"), doc(subj("乙", false), "x"), false, false},
		{"entry: subject comes and goes", doc(subj("甲", false), "x"), doc(nil, "x"), false, false},
		{"page flag", doc(subj("甲", true), "x"), doc(subj("甲", false), "x"), false, true},
		{"page flag in a list item is the entry's",
			doc(nil, "x", generator.Field{Key: "l", Value: []generator.Fields{{{Key: "a", Value: "1"}, {Key: "page", Value: true}}}}),
			doc(nil, "x", generator.Field{Key: "l", Value: []generator.Fields{{{Key: "a", Value: "1"}}}}), false, false},
		{"page: false is the entry's",
			doc(nil, "x", generator.Field{Key: "m", Value: generator.Fields{{Key: "x", Value: "1"}, {Key: "page", Value: false}}}),
			doc(nil, "x", generator.Field{Key: "m", Value: generator.Fields{{Key: "x", Value: "1"}}}), false, false},
		{"body", doc(nil, "x"), doc(nil, "y"), true, false},
		{"updated_at alone", doc(nil, "x", generator.Field{Key: "updated_at", Value: "2026-01-01T00:00:00+08:00"}),
			doc(nil, "x", generator.Field{Key: "updated_at", Value: "2026-01-02T00:00:00+08:00"}), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := sameEntry("a.md", tt.a, "b.md", tt.b, tt.isCase)
			if err != nil || got != tt.want {
				t.Errorf("sameEntry = %v, %v; want %v\n%s\n%s", got, err, tt.want, tt.a, tt.b)
			}
		})
	}
	if _, err := sameEntry("a.md", []byte("---\nid: \"C1\"\n---\n"), "b.md", []byte("---\nid: C1\n---\n"), true); err == nil {
		t.Error("a page not in the export's form: no error")
	}
}

func TestPageFacts(t *testing.T) {
	tests := []struct {
		page      []byte
		withdrawn bool
		listName  string
	}{
		{generator.Document(generator.Fields{{Key: "id", Value: "C1"}, {Key: "withdrawn", Value: true}}, ""), true, ""},
		{generator.Document(generator.Fields{{Key: "list_name", Value: "失信\"名单\""}}, "withdrawn: true\n"), false, "失信\"名单\""},
		{generator.Document(generator.Fields{{Key: "m", Value: generator.Fields{{Key: "withdrawn", Value: true}}}}, ""), false, ""},
	}
	for _, tt := range tests {
		w, name, err := pageFacts(tt.page)
		if err != nil || w != tt.withdrawn || name != tt.listName {
			t.Errorf("pageFacts(%q) = %v, %q, %v; want %v, %q", tt.page, w, name, err, tt.withdrawn, tt.listName)
		}
	}
	if _, _, err := pageFacts([]byte("no front matter")); err == nil {
		t.Error("pageFacts: no error for a page without front matter")
	}
}

// TestDiff_LinkedFiles: a page the export linked from the night before (one file in both trees) is
// unchanged, read once; a linked withdrawal notice is not public in either; a page written anew with other
// bytes is compared as before.
func TestDiff_LinkedFiles(t *testing.T) {
	prev, next := t.TempDir(), t.TempDir()
	page := func(id, reason string, withdrawn bool) []byte {
		fm := generator.Fields{{Key: "id", Value: id}, {Key: "title", Value: "某公司"}, {Key: "reason", Value: reason}}
		if withdrawn {
			fm = append(fm, generator.Field{Key: "withdrawn", Value: true})
		}
		return generator.Document(fm, "")
	}
	write := func(dir, id string, b []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, "black"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "black", id+".md"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(id string) {
		t.Helper()
		if err := os.Link(filepath.Join(prev, "black", id+".md"), filepath.Join(next, "black", id+".md")); err != nil {
			t.Fatal(err)
		}
	}
	write(prev, "E1", page("E1", "甲", false))
	write(prev, "E2", page("E2", "乙", false))
	write(prev, "E3", page("E3", "丙", true))
	write(next, "E2", page("E2", "乙（更正）", false))
	link("E1")
	link("E3")
	d, err := Diff(context.Background(), prev, next)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Counts(), (Counts{Changed: 1, Unchanged: 1}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if len(d.Changed) != 1 || d.Changed[0].ID != "E2" {
		t.Errorf("changed %+v, want E2", d.Changed)
	}
	if d.Public() != 2 {
		t.Errorf("public %d, want 2 (E1, E2)", d.Public())
	}
}
