package site

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writePage(t *testing.T, dir, urlPath, head string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(urlPath), "index.html")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("<!DOCTYPE html>\n<html><head>\n"+head+"\n</head><body>x</body></html>\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

type urlset struct {
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
}

func TestWriteSitemaps(t *testing.T) {
	dir := t.TempDir()
	for i := range 10 {
		writePage(t, dir, fmt.Sprintf("red/E%02d/", i), `<meta property="article:modified_time" content="2026-05-01T09:30:00+08:00">`)
	}
	writePage(t, dir, "", "")
	writePage(t, dir, "red/page/2/", "")
	writePage(t, dir, "subjects/S002/", `<meta name="robots" content="noindex">`)
	writePage(t, dir, "list_names/纳税信用A级纳税人/", "")

	n, err := writeSitemapsLimited(dir, "https://credit.panjin.gov.cn/", 4, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if n != 12 {
		t.Errorf("%d URLs, want 12 (10 entries, home, list name; no pager, no noindex page)", n)
	}
	index, _ := os.ReadFile(filepath.Join(dir, "sitemap.xml"))
	for i := 1; i <= 3; i++ {
		if !strings.Contains(string(index), fmt.Sprintf("<loc>https://credit.panjin.gov.cn/sitemap-%d.xml</loc>", i)) {
			t.Errorf("index lacks sitemap-%d.xml:\n%s", i, index)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "sitemap-4.xml")); !os.IsNotExist(err) {
		t.Errorf("12 URLs at 4 per file made more than 3 files")
	}
	var all []string
	for i := 1; i <= 3; i++ {
		b, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("sitemap-%d.xml", i)))
		var s urlset
		if err := xml.Unmarshal(b, &s); err != nil {
			t.Fatalf("sitemap-%d.xml: %v", i, err)
		}
		if len(s.URLs) > 4 {
			t.Errorf("sitemap-%d.xml has %d URLs, limit 4", i, len(s.URLs))
		}
		for _, u := range s.URLs {
			all = append(all, u.Loc+" "+u.LastMod)
		}
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{
		"https://credit.panjin.gov.cn/ ",
		"https://credit.panjin.gov.cn/red/E03/ 2026-05-01T09:30:00+08:00",
		"https://credit.panjin.gov.cn/list_names/%E7%BA%B3%E7%A8%8E%E4%BF%A1%E7%94%A8A%E7%BA%A7%E7%BA%B3%E7%A8%8E%E4%BA%BA/ ",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("sitemaps lack %q:\n%s", want, text)
		}
	}
	for _, bad := range []string{"S002", "/page/2/"} {
		if strings.Contains(text, bad) {
			t.Errorf("sitemaps list %q", bad)
		}
	}

	// The byte limit splits too.
	if _, err := writeSitemapsLimited(dir, "https://credit.panjin.gov.cn/", 1000, 600); err != nil {
		t.Fatal(err)
	}
	for i := 1; ; i++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("sitemap-%d.xml", i)))
		if err != nil {
			if i < 3 {
				t.Errorf("byte limit made only %d files", i-1)
			}
			break
		}
		if len(b) > 600 {
			t.Errorf("sitemap-%d.xml is %d bytes, limit 600", i, len(b))
		}
	}
	robots, _ := os.ReadFile(filepath.Join(dir, "robots.txt"))
	if !strings.Contains(string(robots), "Sitemap: https://credit.panjin.gov.cn/sitemap.xml") {
		t.Errorf("robots.txt: %s", robots)
	}
}

// TestSitemapEntries: sitemapEntries finds what sitemapEntry's FindAllSubmatch finds, in the same order,
// in sitemaps as writeSitemaps writes them and in damaged or odd ones.
func TestSitemapEntries(t *testing.T) {
	inputs := []string{
		"",
		"<?xml version=\"1.0\"?>\n<urlset>\n  <url><loc>https://x/a/</loc><lastmod>2026-06-15T10:00:00+08:00</lastmod></url>\n  <url><loc>https://x/b/</loc></url>\n</urlset>\n",
		"<url><loc>a</loc><lastmod>b</lastmod></url><url><loc>c</loc></url>",
		"<url><loc>a</loc><lastmod>b</lastmod>",
		"<url><loc>a</loc><lastmod>b</url><url><loc>c</loc></url>",
		"<url><loc>a<b</loc></url><url><loc>d</loc></url>",
		"<url><url><loc>x</loc></url>",
		"<url><loc></loc><lastmod></lastmod></url>",
		"<url><loc>a</loc><lastmod>b</lastmod></ur><url><loc>&amp;</loc></url>",
		"<url><loc>a</loc></url",
		"<url><loc><url><loc>b</loc></url>",
	}
	// Pieces of entries shuffled together, for odd inputs the list above does not think of.
	pieces := []string{"<url>", "<loc>", "a", "</loc>", "<lastmod>", "2026", "</lastmod>", "</url>", "<", "\n"}
	seed := uint32(1)
	for range 2000 {
		var b strings.Builder
		for range 12 {
			seed = seed*1664525 + 1013904223
			b.WriteString(pieces[int(seed>>24)%len(pieces)])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		var want, got []string
		for _, m := range sitemapEntry.FindAllSubmatch([]byte(in), -1) {
			want = append(want, string(m[1])+"|"+string(m[2]))
		}
		sitemapEntries([]byte(in), func(loc, lastmod []byte) { got = append(got, string(loc)+"|"+string(lastmod)) })
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}
