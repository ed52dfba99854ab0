package publish_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/search"
)

// TestRun_NoIDNumberAnywhere publishes the hostile fixture, whose rows hold ID numbers in every disguise
// (fixture.DisguisedIDs: full width, separators, line breaks, groups of four; in names, legal
// representatives, districts, reasons, bases, measures, decision numbers, ids, department codes, case
// titles, summaries and bodies), through the whole pipeline with the real Hugo build, and reads back
// everything the run produced as a reader would (fixture.ReadableIDNumbers: NFKC, separators removed,
// GB 11643 check): every file of the data directory (content, site HTML and feeds, the gzip variants
// decompressed, the downloads, the report, release.json), every term and stored document of the search
// index, every search document the export hands to the index, and the run's log at debug level. None may
// hold an ID number.
func TestRun_NoIDNumberAnywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the site")
	}
	ctx := context.Background()
	data := t.TempDir()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	db := fixture.MustFixture(t, true)
	res := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Logger: log})

	check := func(what string, b []byte) {
		t.Helper()
		if ids := fixture.ReadableIDNumbers(string(b)); len(ids) > 0 {
			t.Errorf("%s holds the ID numbers %v", what, ids)
		}
	}
	files := 0
	index := filepath.Join(res.Dir, publish.IndexDir)
	err := filepath.WalkDir(data, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(data, path)
		check("the path "+rel, []byte(rel))
		if d.IsDir() && path == index {
			return fs.SkipDir // binary segments: read through search.Index.Audit below
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return err
			}
			if b, err = io.ReadAll(zr); err != nil {
				return err
			}
		}
		files++
		check(rel, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"content/black/E42.md", "site/black/E42/index.html", "site/cases/C13/index.html",
		"site/data/red.csv", "site/data/black.jsonl", "site/data/cases.csv", "quality/report.json"} {
		if _, err := os.Stat(filepath.Join(res.Dir, filepath.FromSlash(want))); err != nil {
			t.Errorf("%s: %v; the scan must cover it", want, err)
		}
	}
	// A masked number shows as written, even inside Markdown emphasis.
	if b, _ := os.ReadFile(filepath.Join(res.Dir, "site/cases/C13/index.html")); !bytes.Contains(b, []byte("<strong>211103********1188</strong>")) {
		t.Errorf("cases/C13: the masked number in bold is not shown as written")
	}
	if files < 100 {
		t.Errorf("scanned %d files, want the whole release", files)
	}

	idx, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	values := 0
	if err := idx.Audit(ctx, func(field, value string) error {
		values++
		check("index field "+field, []byte(value))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if values == 0 || !strings.Contains(logs.String(), `"msg":"published"`) {
		t.Fatalf("audited %d index values; log %s", values, logs.String())
	}
	check("the log", logs.Bytes())

	// The search documents as the export writes them, before the index cleans them again.
	docs := 0
	x := &generator.Exporter{Source: db, AsOf: fixture.AsOf, Docs: func(d search.Doc) error {
		docs++
		check("search doc "+d.URL, []byte(strings.Join(append(append(append([]string{d.ID, d.URL, d.Name, d.Code,
			d.Summary}, d.ListNames...), d.Departments...), d.Districts...), "\n")))
		return nil
	}}
	dir := t.TempDir()
	if _, err := x.Export(ctx, filepath.Join(dir, "content"), filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
	if docs == 0 {
		t.Error("the export wrote no search documents")
	}
	t.Logf("scanned %d files, %d index values, %d search documents, %d bytes of log", files, values, docs, logs.Len())
}
