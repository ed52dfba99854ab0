package search_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"xinyong"
	"xinyong/search"
)

// TestDocsFile_RoundTrip: what DocsWriter writes, ReadDocsFile reads back, in order; a missing file is an
// error, not an empty index.
func TestDocsFile_RoundTrip(t *testing.T) {
	want := []search.Doc{
		{Kind: search.KindSubject, ID: "91211103MA0XY12324", URL: "/subjects/91211103MA0XY12324/", Name: "盘锦鑫源化工有限公司"},
		{Kind: search.KindCase, ID: "C01", URL: "/cases/C01/", Name: "</script>\n\"引号\""},
	}
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	writeDocsFile(t, path, want)
	var got []search.Doc
	for d, err := range search.ReadDocsFile(path) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, d)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v, want %+v", got, want)
	}
	var missing error
	for _, err := range search.ReadDocsFile(filepath.Join(t.TempDir(), "none")) {
		missing = err
	}
	if missing == nil {
		t.Error("a missing documents file read without an error")
	}
}

// TestBuildFile_KeepsDates: a document's date goes through the documents file into the index, where it is
// stored (Hit.Date) and breaks ties newer first. The documents file once wrote every date as {} (Date has
// no JSON form of its own), and an index built from the file stored none.
func TestBuildFile_KeepsDates(t *testing.T) {
	docs := []search.Doc{
		{Kind: search.KindCase, ID: "C01", URL: "/cases/C01/", Name: "盘锦市诚信经营典型案例", Date: xinyong.NewDate(2025, 3, 1)},
		{Kind: search.KindCase, ID: "C02", URL: "/cases/C02/", Name: "盘锦市诚信经营典型案例", Date: xinyong.NewDate(2026, 5, 20)},
		{Kind: search.KindCase, ID: "C03", URL: "/cases/C03/", Name: "盘锦市诚信经营典型案例"},
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "docs.jsonl")
	writeDocsFile(t, path, docs)
	var back []search.Doc
	for d, err := range search.ReadDocsFile(path) {
		if err != nil {
			t.Fatal(err)
		}
		back = append(back, d)
	}
	if !reflect.DeepEqual(back, docs) {
		t.Fatalf("read back %+v, want %+v", back, docs)
	}
	index := filepath.Join(dir, "index")
	if _, err := search.BuildFile(context.Background(), index, path); err != nil {
		t.Fatal(err)
	}
	x, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	res, err := x.Search(context.Background(), search.Request{Q: "诚信经营"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.ID+" "+h.Date)
	}
	want := []string{"C02 2026-05-20", "C01 2025-03-01", "C03 "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("hits %q, want %q (equal relevance: newer first, each with its date)", got, want)
	}
}

// TestDocsFile_BadDate: a line whose date is not YYYY-MM-DD is an error naming the document.
func TestDocsFile_BadDate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(path, []byte(`{"Kind":"case","ID":"C09","URL":"/cases/C09/","Name":"x","Date":"2026-13-40"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var got error
	for _, err := range search.ReadDocsFile(path) {
		got = err
	}
	if got == nil || !strings.Contains(got.Error(), "C09") {
		t.Errorf("a bad date read as %v, want an error naming C09", got)
	}
}

// writeDocsFile writes docs as a documents file at path with DocsWriter.
func writeDocsFile(t *testing.T, path string, docs []search.Doc) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := search.NewDocsWriter(f)
	for _, d := range docs {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
