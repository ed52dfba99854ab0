package search_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

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
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := search.NewDocsWriter(f)
	for _, d := range want {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
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
