package opendata_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"xinyong"
	"xinyong/opendata"
	"xinyong/site"
)

// TestPage_Builds does what the release pipeline does (Write into a scratch directory, Page into the
// content tree, the Hugo build) and checks the /data/ page: every file with its size, rows and SHA-256, the
// theme's labels, and no page data outside escaped text.
func TestPage_Builds(t *testing.T) {
	content := exportFixture(t)
	scratch := t.TempDir()
	idx := mustWrite(t, content, scratch)
	if err := os.WriteFile(filepath.Join(content, opendata.PageFile), opendata.Page(idx), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if _, err := site.Build(context.Background(), site.Options{Content: content, Out: out}); err != nil {
		t.Fatalf("build: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(out, "data", "index.html"))
	if err != nil {
		t.Fatalf("no /data/ page: %v", err)
	}
	page := string(b)
	want := []string{
		"<h1>" + xinyong.MsgOpenDataTitle + "</h1>",
		`<time datetime="2026-06-15">2026年6月15日</time>`,
		`<time datetime="2026-06-15T09:02:03&#43;08:00">2026年6月15日 09:02</time>`,
		`<a href="/data/index.json">index.json</a>`,
		`<a href="/data/SHA256SUMS">SHA256SUMS</a>`,
		"UTF-8", "国办发〔2025〕22号", "sha256sum -c",
	}
	for _, f := range idx.Files {
		want = append(want, `<a href="/data/`+f.Name+`" download>`+f.Name+`</a>`, `<code class="code">`+f.SHA256+`</code>`,
			`<data value="`+strconv.FormatInt(f.Size, 10)+`">`)
	}
	for _, w := range want {
		if !strings.Contains(page, w) {
			t.Errorf("the /data/ page lacks %q", w)
		}
	}
	for _, bad := range []string{"openData", "%!", "<no value>", "ZgotmplZ"} {
		if strings.Contains(page, bad) {
			t.Errorf("the /data/ page contains %q", bad)
		}
	}
}
