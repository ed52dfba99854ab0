package site_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"xinyong/site"
	"xinyong/themes"
)

// TestBuild_KeepsCases: a night's build links last night's page of every case whose export page did not
// change (and its .gz), Hugo lists it without rendering it, and the site is the one a fresh build makes,
// file for file and in its counts and sitemaps: a corrected case rendered again, a new one rendered, a
// withdrawn one a notice, a removed one gone. A change that the case pages show — the theme's case layout,
// the base URL, the cases section's title — or a chrome other than last night's (the records fingerprint)
// keeps none.
func TestBuild_KeepsCases(t *testing.T) {
	fixtureSite(t) // makes the fixture export
	dir := t.TempDir()
	prevContent := filepath.Join(dir, "prev")
	if err := os.CopyFS(prevContent, os.DirFS(filepath.Join(filepath.Dir(fixtureSite(t)), "content"))); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	prevSite := filepath.Join(dir, "prev-site")
	prev, err := site.Build(ctx, site.Options{Content: prevContent, Out: prevSite})
	if err != nil {
		t.Fatal(err)
	}
	if prev.CasesKey == "" || prev.RecordsFingerprint == "" {
		t.Fatalf("cases key %q, records fingerprint %q", prev.CasesKey, prev.RecordsFingerprint)
	}
	names := casePages(t, prevContent)
	if len(names) < 5 {
		t.Fatalf("the fixture has %d cases, want 5 or more", len(names))
	}
	changed, withdrawn, removed, kept := names[0], names[1], names[2], names[3]
	page := func(site, name string) string { return filepath.Join(site, "cases", name, "index.html") }
	// The .gz a publication's compress step writes beside a case page.
	if err := os.WriteFile(page(prevSite, kept)+".gz", []byte("gz of "+kept), 0o644); err != nil {
		t.Fatal(err)
	}

	// The night: one case corrected, one withdrawn, one removed, one new.
	content := filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS(prevContent)); err != nil {
		t.Fatal(err)
	}
	md := func(name string) string { return filepath.Join(content, "cases", name+".md") }
	b, err := os.ReadFile(md(changed))
	if err != nil {
		t.Fatal(err)
	}
	title := regexp.MustCompile(`(?m)^title: "`)
	mustWrite(t, md(changed), title.ReplaceAllString(string(b), `title: "更正`))
	mustWrite(t, md(withdrawn), "---\ntitle: \"案例 "+withdrawn+" 已撤回\"\nid: \""+withdrawn+"\"\nwithdrawn: true\nwithdrawn_on: \"2026-06-15\"\nnoindex: true\n---\n")
	if err := os.Remove(md(removed)); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(md(kept))
	if err != nil {
		t.Fatal(err)
	}
	mustWrite(t, md("C99"), strings.Replace(string(b), `id: "`+kept+`"`, `id: "C99"`, 1))
	unchanged := len(names) - 3

	reuse := site.Reuse{Content: prevContent, Site: prevSite, Fingerprint: prev.RecordsFingerprint, CasesKey: prev.CasesKey}
	night := func(t *testing.T, opt site.Options, reuse site.Reuse, wantKept int) (string, *site.Result) {
		t.Helper()
		opt.Content = content
		fresh := filepath.Join(t.TempDir(), "fresh")
		fopt := opt
		fopt.Out = fresh
		want, err := site.Build(ctx, fopt)
		if err != nil {
			t.Fatal(err)
		}
		opt.Out = filepath.Join(t.TempDir(), "night")
		opt.Reuse = &reuse
		got, err := site.Build(ctx, opt)
		if err != nil {
			t.Fatal(err)
		}
		if got.CasesReused != wantKept {
			t.Errorf("%d case pages reused, want %d", got.CasesReused, wantKept)
		}
		if got.CasesKey != want.CasesKey {
			t.Errorf("cases key %s, a fresh build's %s", got.CasesKey, want.CasesKey)
		}
		for _, name := range names {
			a, _ := os.Stat(page(prevSite, name))
			b, err := os.Stat(page(opt.Out, name))
			linked := err == nil && os.SameFile(a, b)
			if want := wantKept > 0 && !slices.Contains([]string{changed, withdrawn, removed}, name); linked != want {
				t.Errorf("%s linked: %t, want %t", name, linked, want)
			}
		}
		gz := page(opt.Out, kept) + ".gz"
		a, _ := os.Stat(page(prevSite, kept) + ".gz")
		if b, err := os.Stat(gz); (err == nil && os.SameFile(a, b)) != (wantKept > 0) {
			t.Errorf("%s linked: %t, want %t", gz, err == nil, wantKept > 0)
		}
		os.Remove(gz) // a fresh build has none: the publication compresses its pages afterwards
		sameSites(t, fresh, opt.Out)
		if got.Files != want.Files || got.Pages != want.Pages || got.SitemapURLs != want.SitemapURLs {
			t.Errorf("%d files, %d pages, %d URLs; fresh: %d, %d, %d", got.Files, got.Pages, got.SitemapURLs, want.Files, want.Pages, want.SitemapURLs)
		}
		return opt.Out, got
	}
	t.Run("same", func(t *testing.T) { night(t, site.Options{}, reuse, unchanged) })
	t.Run("another case layout", func(t *testing.T) {
		theme := t.TempDir()
		if err := os.CopyFS(theme, themes.Xinyong()); err != nil {
			t.Fatal(err)
		}
		layout := filepath.Join(theme, "layouts", "cases", "page.html")
		b, err := os.ReadFile(layout)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, layout, strings.Replace(string(b), `<article class="record">`, `<article class="record case">`, 1))
		night(t, site.Options{ThemeDir: theme}, reuse, 0)
	})
	t.Run("another base URL", func(t *testing.T) {
		night(t, site.Options{BaseURL: "https://example.org/"}, reuse, 0)
	})
	t.Run("another chrome", func(t *testing.T) {
		// What only Hugo's output shows (the footer, the assets) is checked with the records fingerprint: the
		// pages linked before Hugo are removed, and Hugo renders them.
		other := reuse
		other.Fingerprint = strings.Repeat("0", len(reuse.Fingerprint))
		night(t, site.Options{}, other, 0)
	})
	t.Run("another identity", func(t *testing.T) {
		// A key of the [site] table changed: the case pages that would have been kept show the new footer,
		// and so do the record pages (another records fingerprint: none of last night's is linked).
		out, got := night(t, site.Options{Identity: site.Identity{SiteCode: "2111000099"}}, reuse, 0)
		if got.RecordsFingerprint == prev.RecordsFingerprint {
			t.Error("the records fingerprint did not change with the identity")
		}
		if got.CasesKey == prev.CasesKey {
			t.Error("the cases key did not change with the identity")
		}
		entries, _ := filepath.Glob(filepath.Join(out, "red", "*", "index.html"))
		if len(entries) == 0 {
			t.Fatal("no entry page")
		}
		for _, p := range []string{page(out, kept), entries[0]} {
			if text, _, _ := footer(t, p); !strings.Contains(text, "网站标识码：2111000099") {
				t.Errorf("%s: the footer does not show the new 网站标识码", p)
			}
		}
	})
	t.Run("another section title", func(t *testing.T) {
		index := filepath.Join(content, "cases", "_index.md")
		b, err := os.ReadFile(index)
		if err != nil {
			t.Fatal(err)
		}
		defer mustWrite(t, index, string(b))
		mustWrite(t, index, title.ReplaceAllString(string(b), `title: "全部`))
		night(t, site.Options{}, reuse, 0)
	})
}

// casePages returns the names of the case pages of an export tree (cases/<name>.md), sorted.
func casePages(t *testing.T, content string) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(content, "cases", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range pages {
		if name := strings.TrimSuffix(filepath.Base(p), ".md"); name != "_index" {
			names = append(names, name)
		}
	}
	return names
}

func mustWrite(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
