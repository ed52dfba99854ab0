package site_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/site"
)

// TestInlineLabels_SameOutput builds the fixture site with the labels written into the templates (as every
// build does) and with Hugo printing them, and requires the same bytes in every file: the rewrite changes
// how fast pages are made, never what they say.
func TestInlineLabels_SameOutput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: fixture.MustFixture(t, true), AsOf: fixture.AsOf}
	if _, err := x.Export(ctx, content, filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC) }
	inlined, kept := filepath.Join(dir, "inlined"), filepath.Join(dir, "kept")
	if _, err := site.Build(ctx, site.Options{Content: content, Out: inlined, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := site.BuildKeepingLabels(ctx, site.Options{Content: content, Out: kept, Now: now}); err != nil {
		t.Fatal(err)
	}
	files := 0
	err := filepath.WalkDir(kept, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(kept, path)
		want, _ := os.ReadFile(path)
		got, err := os.ReadFile(filepath.Join(inlined, rel))
		if err != nil {
			t.Errorf("%s: only in the build that keeps the labels", rel)
			return nil
		}
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s differs at byte %d:\ninlined: %q\nkept:    %q", rel, i, excerpt(got, i), excerpt(want, i))
		}
		files++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 50 {
		t.Fatalf("compared only %d files", files)
	}
}

func excerpt(b []byte, i int) string {
	from, to := max(0, i-60), min(len(b), i+60)
	return string(b[from:to])
}
