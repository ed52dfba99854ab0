package site_test

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBuild_FeedsPage: /feeds/ lists every feed the site has — /red/index.xml, /black/index.xml,
// /cases/index.xml and one per department page — each link to a feed that exists and parses as RSS 2.0, and
// every department's feed is listed.
func TestBuild_FeedsPage(t *testing.T) {
	dir := fixtureSite(t)
	page, err := os.ReadFile(filepath.Join(dir, "feeds", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="(/[^"]*index\.xml)" type="application/rss\+xml"`).FindAllStringSubmatch(string(page), -1) {
		links[m[1]] = true
	}
	want := []string{"/red/index.xml", "/black/index.xml", "/cases/index.xml"}
	depts, _ := filepath.Glob(filepath.Join(dir, "departments", "*", "index.html"))
	for _, d := range depts {
		want = append(want, "/departments/"+filepath.Base(filepath.Dir(d))+"/index.xml")
	}
	if len(depts) < 3 {
		t.Fatalf("%d department pages", len(depts))
	}
	for _, w := range want {
		if !links[w] {
			t.Errorf("/feeds/ does not list %s", w)
		}
	}
	for l := range links {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(l, "/"))))
		if err != nil {
			t.Errorf("/feeds/ lists %s: %v", l, err)
			continue
		}
		var rss struct {
			Version string `xml:"version,attr"`
			Title   string `xml:"channel>title"`
		}
		if err := xml.Unmarshal(b, &rss); err != nil || rss.Version != "2.0" || rss.Title == "" {
			t.Errorf("%s: not an RSS 2.0 feed (%v)", l, err)
		}
	}
}
