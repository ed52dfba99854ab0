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
