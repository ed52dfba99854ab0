package opendata_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/opendata"
)

// exportDemo exports a small demo database and returns the content tree.
func exportDemo(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: fixture.MustDemo(t, 120), AsOf: fixture.AsOf}
	if _, err := x.Export(context.Background(), out, filepath.Join(dir, "quality")); err != nil {
		t.Fatalf("export: %v", err)
	}
	return out
}

// TestWrite_Demo: index.json says whether the files are demo data, and the URL columns of a demo are under
// the demo's reserved address unless a base URL was given.
func TestWrite_Demo(t *testing.T) {
	tests := []struct {
		name    string
		content func(t testing.TB) string
		baseURL string
		demo    bool
		wantURL string
	}{
		{"real data", exportFixture, "", false, xinyong.DefaultBaseURL},
		{"demo", exportDemo, "", true, xinyong.DemoBaseURL},
		{"demo, base URL given", exportDemo, "https://demo.example.org/", true, "https://demo.example.org/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			meta := testMeta
			meta.BaseURL = tt.baseURL
			idx, err := opendata.Write(context.Background(), tt.content(t), out, meta)
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(out, opendata.IndexFile))
			if err != nil {
				t.Fatal(err)
			}
			var raw map[string]any
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			if raw["demo"] != tt.demo || idx.Demo != tt.demo {
				t.Errorf("index.json demo = %v (Index.Demo %v), want %v", raw["demo"], idx.Demo, tt.demo)
			}
			f, err := os.Open(filepath.Join(out, "red.jsonl"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows := 0
			for sc := bufio.NewScanner(f); sc.Scan(); rows++ {
				var r struct {
					URL        string `json:"url"`
					SubjectURL string `json:"subject_url"`
				}
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(r.URL, tt.wantURL) || (r.SubjectURL != "" && !strings.HasPrefix(r.SubjectURL, tt.wantURL)) {
					t.Errorf("row URLs %q, %q; want them under %s", r.URL, r.SubjectURL, tt.wantURL)
				}
			}
			if rows == 0 {
				t.Error("no red-list rows")
			}
		})
	}
}
