package site_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"xinyong"
	"xinyong/site"
)

// textOf returns the text below n.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// elements returns the elements below n for which match is true.
func elements(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	walk(n, func(c *html.Node) {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	})
	return out
}

func hasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		v, _ := attr(n, "class")
		return slices.Contains(strings.Fields(v), class)
	}
}

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

// isRedirect reports whether a page is one of Hugo's alias pages (/red/page/1/ → /red/): no page to read,
// only a meta refresh.
func isRedirect(doc *html.Node) bool {
	return len(elements(doc, func(n *html.Node) bool {
		v, _ := attr(n, "http-equiv")
		return n.Data == "meta" && v == "refresh"
	})) > 0
}

// checkDemoPages checks every page of a built site: with demo, each carries the demo notice, a title that
// says so, a footer that names no authority and canonical URLs under base, and so do the sitemap and the
// feed; without, none of it.
func checkDemoPages(t *testing.T, dir string, demo bool, base string) {
	t.Helper()
	all := pages(t, dir)
	for _, p := range []string{"/index.html", "/404.html", "/search/index.html", "/status/index.html", "/about/index.html",
		"/red/index.html", "/black/index.html", "/cases/index.html"} {
		if all[p] == nil {
			t.Errorf("no page %s", p)
		}
	}
	checked := 0
	for name, doc := range all {
		if isRedirect(doc) {
			if !strings.HasSuffix(name, "/page/1/index.html") {
				t.Errorf("%s: a redirect page", name)
			}
			continue
		}
		checked++
		notices := elements(doc, hasClass("demo-notice"))
		var titles []*html.Node // the page's, not those of the charts' SVG
		for _, head := range elements(doc, tag("head")) {
			titles = append(titles, elements(head, tag("title"))...)
		}
		footers := elements(doc, hasClass("site-footer"))
		if len(titles) != 1 || len(footers) != 1 {
			t.Errorf("%s: %d titles, %d footers", name, len(titles), len(footers))
			continue
		}
		title, footer := textOf(titles[0]), textOf(footers[0])
		if demo {
			if len(notices) != 1 || !strings.Contains(textOf(notices[0]), "演示数据") ||
				!strings.Contains(textOf(notices[0]), "不是真实的信用信息") {
				t.Errorf("%s: %d demo notices, want one that says 演示数据", name, len(notices))
			} else if h := elements(doc, hasClass("site-header")); len(h) != 1 || notices[0].Parent != h[0] || !isFirstElement(notices[0]) {
				t.Errorf("%s: the demo notice is not the first thing in the header", name)
			}
			if !strings.HasPrefix(title, "【演示】") {
				t.Errorf("%s: title %q does not say 演示", name, title)
			}
			// The demo's identity (site.DemoIdentity) is shown, so that the footer can be seen; its 主办单位 is
			// a 示例 unit marked 演示数据, and no other 主办 may appear.
			if !strings.Contains(footer, "网站标识码：0000000000") || !strings.Contains(footer, "主办单位："+site.DemoIdentity.Sponsor) {
				t.Errorf("%s: the demo footer lacks the demo's identity: %q", name, footer)
			}
			for _, bad := range []string{"盘锦市发展和改革委员会", "主办"} {
				if strings.Contains(strings.ReplaceAll(footer, "主办单位："+site.DemoIdentity.Sponsor, ""), bad) {
					t.Errorf("%s: the demo footer names %q", name, bad)
				}
			}
			if mains := elements(doc, func(n *html.Node) bool { return n.Data == "main" }); strings.HasSuffix(name, "about/index.html") &&
				(len(mains) != 1 || strings.Contains(textOf(mains[0]), "主办") || strings.Contains(textOf(mains[0]), "发展和改革委员会")) {
				t.Errorf("%s: the about page of a demo names a host", name)
			}
			if !strings.Contains(footer, "演示站点，不代表任何政府部门") {
				t.Errorf("%s: the demo footer does not say it is a demo: %q", name, footer)
			}
		} else {
			if len(notices) != 0 || strings.Contains(title, "演示") || strings.Contains(footer, "演示") {
				t.Errorf("%s: a demo notice on a site from real data", name)
			}
			if !strings.Contains(footer, "主办：盘锦市发展和改革委员会（市信用办）") {
				t.Errorf("%s: the footer does not name the host: %q", name, footer)
			}
		}
		for _, link := range elements(doc, func(n *html.Node) bool { v, _ := attr(n, "rel"); return n.Data == "link" && v == "canonical" }) {
			if href, _ := attr(link, "href"); !strings.HasPrefix(href, base) {
				t.Errorf("%s: canonical URL %q, want one under %s", name, href, base)
			}
		}
		for _, ld := range elements(doc, func(n *html.Node) bool { v, _ := attr(n, "type"); return v == "application/ld+json" }) {
			// The departments stay the authors of their (fictitious) entries; the site is not published by one.
			if gov := strings.Contains(textOf(ld), `"publisher":{"@type":"GovernmentOrganization"`); gov && demo {
				t.Errorf("%s: structured data names a government publisher", name)
			}
		}
	}
	if checked < 30 {
		t.Errorf("only %d pages checked", checked)
	}
	feed, err := os.ReadFile(filepath.Join(dir, "cases", "index.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Contains(string(feed), "<title>【演示】"); got != demo {
		t.Errorf("the cases feed's title says 演示: %v, want %v", got, demo)
	}
	for _, f := range []string{"sitemap.xml", "robots.txt", "cases/index.xml"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), base) {
			t.Errorf("%s does not name %s:\n%s", f, base, b)
		}
	}
}

// isFirstElement reports whether n is the first element among its siblings.
func isFirstElement(n *html.Node) bool {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return false
		}
	}
	return true
}

// TestBuild_Demo: a site built from demo data says so on every page and lives under the reserved
// address; a site built from real data has none of it.
func TestBuild_Demo(t *testing.T) {
	tests := []struct {
		name string
		dir  func(t *testing.T) string
		demo bool
		base string
	}{
		{"demo", demoSite, true, xinyong.DemoBaseURL},
		{"fixture", fixtureSite, false, xinyong.DefaultBaseURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDemoPages(t, tt.dir(t), tt.demo, tt.base) })
	}
}

// TestBuild_DemoConfiguredBaseURL: a base URL configured on purpose wins over the demo's reserved one; the
// pages still say that they are a demo.
func TestBuild_DemoConfiguredBaseURL(t *testing.T) {
	content := filepath.Join(filepath.Dir(demoSite(t)), "content")
	out := filepath.Join(t.TempDir(), "public")
	const base = "https://demo.example.org/"
	if _, err := site.Build(context.Background(), site.Options{Content: content, Out: out, BaseURL: base}); err != nil {
		t.Fatal(err)
	}
	checkDemoPages(t, out, true, base)
}
