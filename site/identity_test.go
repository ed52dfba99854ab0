package site_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"xinyong/site"
)

// footer returns the text and the links (href → text) of the page's site footer, and the number of
// elements in it with neither text nor children (an empty label's span).
func footer(t *testing.T, file string) (text string, links map[string]string, empty int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var foot *html.Node
	walk(doc, func(n *html.Node) {
		if c, _ := attr(n, "class"); n.Type == html.ElementNode && n.Data == "footer" && c == "site-footer" {
			foot = n
		}
	})
	if foot == nil {
		t.Fatalf("%s: no site footer", file)
	}
	links = map[string]string{}
	var b strings.Builder
	walk(foot, func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.FirstChild == nil:
			empty++
		case n.Type == html.ElementNode && n.Data == "a":
			href, _ := attr(n, "href")
			links[href] = textOf(n)
		}
	})
	return b.String(), links, empty
}

// identityLabels are the labels of the configured identity; a site that configures none shows none.
var identityLabels = []string{"网站标识码", "主办单位", "承办单位", "ICP备", "公网安备", "地址：", "联系电话：", "办公时间：", "电子邮箱："}

// TestBuild_Identity: every field of the portal's identity (the [site] table) is in the footer of every
// kind of page — Hugo's (home, case, hand-written) and the record renderer's (entry, list) — when it is
// configured, with the filing numbers linked (by default to the MIIT's and the public-security filing
// systems); none of them, and no empty label, when it is not; and only the configured ones when some are.
// Configuration text is escaped and kept on one line.
func TestBuild_Identity(t *testing.T) {
	content := filepath.Join(filepath.Dir(fixtureSite(t)), "content")
	kinds := []string{"index.html", "about/index.html", "contact/index.html", "sitemap/index.html"}
	for _, pattern := range []string{"red/*/index.html", "black/*/index.html", "cases/*/index.html", "departments/*/index.html", "subjects/*/index.html"} {
		m, err := filepath.Glob(filepath.Join(fixtureSite(t), filepath.FromSlash(pattern)))
		if err != nil || len(m) == 0 {
			t.Fatalf("no page %s in the fixture site (%v)", pattern, err)
		}
		rel, _ := filepath.Rel(fixtureSite(t), m[0])
		kinds = append(kinds, rel)
	}
	build := func(t *testing.T, id site.Identity) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "site")
		if _, err := site.Build(context.Background(), site.Options{Content: content, Out: out, Identity: id}); err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("none", func(t *testing.T) {
		for _, p := range kinds {
			text, links, empty := footer(t, filepath.Join(fixtureSite(t), p))
			for _, label := range identityLabels {
				if strings.Contains(text, label) {
					t.Errorf("%s: footer shows %q with nothing configured:\n%s", p, label, text)
				}
			}
			if empty > 0 {
				t.Errorf("%s: %d empty elements in the footer", p, empty)
			}
			if !strings.Contains(text, "主办：") {
				t.Errorf("%s: the theme's 主办 line is gone:\n%s", p, text)
			}
			for _, want := range []string{"/contact/", "/sitemap/"} {
				if _, ok := links[want]; !ok {
					t.Errorf("%s: the footer does not link %s", p, want)
				}
			}
		}
	})

	t.Run("all", func(t *testing.T) {
		id := site.Identity{
			SiteCode:       "2111000099",
			ICP:            "辽ICP备99999999号-1",
			PoliceRecord:   "辽公网安备21110299999999号",
			Sponsor:        "盘锦市<script>alert(1)</script>信用办",
			Organizer:      "盘锦市信用\n中心",
			ContactAddress: "盘锦市兴隆台区测试路9号",
			ContactPhone:   "0427-0999999",
			ContactHours:   "工作日 8:30—17:00",
			ContactEmail:   "credit@example.invalid",
		}
		out := build(t, id)
		for _, p := range kinds {
			file := filepath.Join(out, p)
			text, links, empty := footer(t, file)
			for _, want := range []string{"网站标识码：2111000099", "主办单位：盘锦市<script>alert(1)</script>信用办",
				"承办单位：盘锦市信用 中心", "地址：盘锦市兴隆台区测试路9号", "联系电话：0427-0999999",
				"办公时间：工作日 8:30—17:00", "电子邮箱：credit@example.invalid"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: footer lacks %q:\n%s", p, want, text)
				}
			}
			if got := links[site.DefaultICPURL]; got != id.ICP {
				t.Errorf("%s: ICP link %q, want %q to %s", p, got, id.ICP, site.DefaultICPURL)
			}
			if got := links["https://beian.mps.gov.cn/#/query/webSearch?code=21110299999999"]; got != id.PoliceRecord {
				t.Errorf("%s: 公安机关备案号 link %q (links %v)", p, got, links)
			}
			if empty > 0 {
				t.Errorf("%s: %d empty elements in the footer", p, empty)
			}
			if strings.Contains(text, "主办：") {
				t.Errorf("%s: the theme's 主办 line beside the configured units", p)
			}
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(raw), "<script>alert(1)") {
				t.Errorf("%s: configuration text reached the page as HTML", p)
			}
		}
		// 联系我们 shows the site's contact.
		raw, err := os.ReadFile(filepath.Join(out, "contact", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<dt>主办单位</dt><dd>盘锦市&lt;script&gt;alert(1)&lt;/script&gt;信用办</dd>", "<dt>电子邮箱</dt><dd>credit@example.invalid</dd>"} {
			if !strings.Contains(string(raw), want) {
				t.Errorf("/contact/ lacks %s", want)
			}
		}
	})

	t.Run("some", func(t *testing.T) {
		out := build(t, site.Identity{SiteCode: "2111000099", ICP: "辽ICP备99999999号-1", ICPURL: "https://beian.miit.gov.cn/#/Integrated/index"})
		for _, p := range kinds {
			text, links, empty := footer(t, filepath.Join(out, p))
			if !strings.Contains(text, "网站标识码：2111000099") || links["https://beian.miit.gov.cn/#/Integrated/index"] != "辽ICP备99999999号-1" {
				t.Errorf("%s: footer lacks the configured fields:\n%s", p, text)
			}
			for _, label := range []string{"主办单位", "承办单位", "公网安备", "地址：", "联系电话：", "办公时间：", "电子邮箱："} {
				if strings.Contains(text, label) {
					t.Errorf("%s: footer shows %q, which is not configured", p, label)
				}
			}
			if empty > 0 {
				t.Errorf("%s: %d empty elements in the footer", p, empty)
			}
		}
	})

	t.Run("bad link", func(t *testing.T) {
		_, err := site.Build(context.Background(), site.Options{Content: content, Out: filepath.Join(t.TempDir(), "site"),
			Identity: site.Identity{ICP: "x", ICPURL: "javascript:alert(1)"}})
		if err == nil {
			t.Error("a javascript: link built")
		}
	})
}

// TestBuild_Contact: 联系我们 lists every department with what the database has of its contact — the demo
// fills address and hours for some departments, the fixture has none — and says where to turn when the
// site configures no contact.
func TestBuild_Contact(t *testing.T) {
	read := func(dir string) string {
		b, err := os.ReadFile(filepath.Join(dir, "contact", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	fixture := read(fixtureSite(t))
	if strings.Contains(fixture, "<dt>地址</dt>") || strings.Contains(fixture, "<dt>办公时间</dt>") {
		t.Error("fixture /contact/: an address or office hours, which the fixture's departments do not have")
	}
	if !strings.Contains(fixture, "请联系作出认定的部门") {
		t.Error("fixture /contact/: no word on whom to contact when the site configures no contact")
	}
	depts, err := filepath.Glob(filepath.Join(filepath.Dir(fixtureSite(t)), "content", "departments", "*", "_index.md"))
	if err != nil || len(depts) == 0 {
		t.Fatalf("no department pages in the fixture export (%v)", err)
	}
	for _, d := range depts {
		code := filepath.Base(filepath.Dir(d))
		if !strings.Contains(fixture, `href="/departments/`+code+`/"`) {
			t.Errorf("fixture /contact/ does not list department %s", code)
		}
	}

	demo := read(demoSite(t))
	for _, want := range []string{"<dt>地址</dt><dd>盘锦市兴隆台区示例路1号（演示数据）</dd>", "<dt>办公时间</dt><dd>工作日 8:30—11:30，13:30—17:00</dd>",
		"<dt>主办单位</dt><dd>示例主办单位（演示数据）</dd>"} {
		if !strings.Contains(demo, want) {
			t.Errorf("demo /contact/ lacks %s", want)
		}
	}
	dept, err := os.ReadFile(filepath.Join(demoSite(t), "departments", "fgw", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dept), "盘锦市兴隆台区示例路1号（演示数据）") {
		t.Error("demo /departments/fgw/ lacks its address")
	}
}

// TestBuild_Icons: the theme's favicon.ico and apple-touch-icon.png are in the site, byte for byte, and
// every kind of page links them.
func TestBuild_Icons(t *testing.T) {
	dir := fixtureSite(t)
	for _, name := range []string{"favicon.ico", "apple-touch-icon.png"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "themes", "xinyong", "static", name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from the theme's", name)
		}
	}
	for _, p := range []string{"index.html", "about/index.html"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `<link rel="icon" href="/favicon.ico"`) || !strings.Contains(string(b), `<link rel="apple-touch-icon" href="/apple-touch-icon.png">`) {
			t.Errorf("%s does not link the icons", p)
		}
	}
	m, _ := filepath.Glob(filepath.Join(dir, "red", "*", "index.html"))
	if len(m) == 0 {
		t.Fatal("no entry page")
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `<link rel="icon" href="/favicon.ico"`) {
		t.Errorf("%s (the record renderer's) does not link the icon", m[0])
	}
}
