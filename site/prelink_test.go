package site_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/internal/fixture"
	"xinyong/internal/tree"
	"xinyong/site"
	"xinyong/themes"
)

// sameSites requires that two sites have the same files with the same bytes.
func sameSites(t *testing.T, want, got string) {
	t.Helper()
	files := func(dir string) map[string][]byte {
		m := map[string][]byte{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			m[rel] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	w, g := files(want), files(got)
	for rel, b := range w {
		if gb, ok := g[rel]; !ok {
			t.Errorf("%s missing", rel)
		} else if !bytes.Equal(b, gb) {
			t.Errorf("%s differs", rel)
		}
	}
	for rel := range g {
		if _, ok := w[rel]; !ok {
			t.Errorf("%s should not be there", rel)
		}
	}
}

// TestBuild_Prelinked: a night's build links last night's pages of unchanged records while Hugo builds
// (render.Prelink) and makes the same site, file for file and in its counts and sitemaps, as a fresh
// build; with a changed theme (another records fingerprint) not one of those pages stays, and last night's
// site is left as it was.
func TestBuild_Prelinked(t *testing.T) {
	fixtureSite(t) // makes the fixture export
	dir := t.TempDir()
	prevContent := filepath.Join(dir, "prev")
	if err := os.CopyFS(prevContent, os.DirFS(filepath.Join(filepath.Dir(fixtureSite(t)), "content"))); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	prevSums, prevRows, prevStore := filepath.Join(dir, "prev.sums"), filepath.Join(dir, "prev.rows"), filepath.Join(dir, "prev.store")
	mustSumTree(t, prevContent, prevSums)
	prevSite := filepath.Join(dir, "prev-site")
	prev, err := site.Build(ctx, site.Options{Content: prevContent, Out: prevSite, Sums: prevSums, Rows: prevRows, RowStore: prevStore})
	if err != nil {
		t.Fatal(err)
	}

	// The night: one entry corrected, one gone.
	content := filepath.Join(dir, "content")
	_, keptPage := fixture.NightTree(t, prevContent, content)
	kept := filepath.Join("red", strings.TrimSuffix(filepath.Base(keptPage), ".md"), "index.html")
	sums := filepath.Join(dir, "content.sums")
	mustSumTree(t, content, sums)
	reuse := &site.Reuse{Content: prevContent, Site: prevSite, Fingerprint: prev.RecordsFingerprint, Rows: prevRows, RowStore: prevStore}

	night := func(t *testing.T, themeDir string) {
		fresh := filepath.Join(t.TempDir(), "fresh")
		want, err := site.Build(ctx, site.Options{Content: content, Out: fresh, ThemeDir: themeDir, Sums: sums})
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "night")
		got, err := site.Build(ctx, site.Options{Content: content, Out: out, ThemeDir: themeDir, Sums: sums, Reuse: reuse,
			Rows: filepath.Join(t.TempDir(), "rows"), RowStore: filepath.Join(t.TempDir(), "store")})
		if err != nil {
			t.Fatal(err)
		}
		sameSites(t, fresh, out)
		if got.Files != want.Files || got.Pages != want.Pages || got.SitemapURLs != want.SitemapURLs {
			t.Errorf("%d files, %d pages, %d URLs; fresh: %d, %d, %d", got.Files, got.Pages, got.SitemapURLs, want.Files, want.Pages, want.SitemapURLs)
		}
		a, _ := os.Stat(filepath.Join(prevSite, kept))
		b, _ := os.Stat(filepath.Join(out, kept))
		linked := os.SameFile(a, b)
		if themeDir == "" && (got.Records.Prelinked != got.Records.Pages-1 || !linked) {
			t.Errorf("prelinked %d of %d record pages (%s linked: %t), want all but 1", got.Records.Prelinked, got.Records.Pages, kept, linked)
		}
		if themeDir != "" && (got.Records.Prelinked != 0 || got.Records.Reused != 0 || linked) {
			t.Errorf("with another theme: prelinked %d, reused %d, %s linked: %t", got.Records.Prelinked, got.Records.Reused, kept, linked)
		}
	}
	before, err := os.ReadFile(filepath.Join(prevSite, kept))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("same theme", func(t *testing.T) { night(t, "") })
	t.Run("another theme", func(t *testing.T) {
		theme := t.TempDir()
		if err := os.CopyFS(theme, themes.Xinyong()); err != nil {
			t.Fatal(err)
		}
		baseof := filepath.Join(theme, "records", "baseof.html")
		b, err := os.ReadFile(baseof)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(baseof, append(b, "<!-- changed -->\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		night(t, theme)
	})
	if after, _ := os.ReadFile(filepath.Join(prevSite, kept)); !bytes.Equal(after, before) {
		t.Error("last night's page was changed")
	}
}

// mustSumTree writes the content sums of the export tree content, as the export does.
func mustSumTree(t *testing.T, content, name string) {
	t.Helper()
	if err := tree.SumTree(content, name); err != nil {
		t.Fatal(err)
	}
}
