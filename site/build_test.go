package site_test

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"xinyong"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/site"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// MustBuild exports the database that source makes and builds the site from it, once per test binary
// and key; the site outlives the test that made it.
func MustBuild(t *testing.T, key string, source func(t *testing.T) *exchange.DB) string {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	if dir, ok := builds.dirs[key]; ok {
		return dir
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "xinyong-site-test-")
	if err != nil {
		t.Fatal(err)
	}
	x := &generator.Exporter{Source: source(t), AsOf: fixture.AsOf}
	if _, err := x.Export(ctx, filepath.Join(dir, "content"), filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	if _, err := site.Build(ctx, site.Options{Content: filepath.Join(dir, "content"), Out: out}); err != nil {
		t.Fatalf("build: %v", err)
	}
	builds.dirs[key] = out
	return out
}

var builds = struct {
	sync.Mutex
	dirs map[string]string
}{dirs: map[string]string{}}

func TestMain(m *testing.M) {
	if os.Getenv("XINYONG_CHILD_BUILD") != "" {
		childBuild()
	}
	flag.Parse()
	code := m.Run()
	for _, d := range builds.dirs {
		os.RemoveAll(filepath.Dir(d))
	}
	os.Exit(code)
}

func fixtureSite(t *testing.T) string {
	return MustBuild(t, "fixture", func(t *testing.T) *exchange.DB { return fixture.MustFixture(t, true) })
}

func demoSite(t *testing.T) string {
	return MustBuild(t, "demo", func(t *testing.T) *exchange.DB { return fixture.MustDemo(t, 2000) })
}

// pages returns every HTML file of a built site by URL path.
func pages(t *testing.T, dir string) map[string]*html.Node {
	t.Helper()
	out := map[string]*html.Node{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := html.Parse(f)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out["/"+filepath.ToSlash(rel)] = doc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// TestBuild_NoInjection parses every page built from the hostile fixture: no script but the theme's own,
// no event handler, no iframe, no javascript: or data: URL may reach any page.
func TestBuild_NoInjection(t *testing.T) {
	dir := fixtureSite(t)
	all := pages(t, dir)
	if len(all) < 30 {
		t.Fatalf("only %d pages built", len(all))
	}
	for name, doc := range all {
		walk(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			switch n.Data {
			case "iframe", "frame", "object", "embed", "base", "form":
				if n.Data == "form" {
					if action, _ := attr(n, "action"); action == "/search/" {
						return
					}
				}
				t.Errorf("%s: <%s> element", name, n.Data)
			case "script":
				src, hasSrc := attr(n, "src")
				typ, _ := attr(n, "type")
				if hasSrc && strings.HasPrefix(src, "/") && !strings.Contains(src, "//") {
					return // the theme's own fingerprinted script
				}
				if !hasSrc && typ == "application/ld+json" {
					if n.FirstChild != nil && strings.Contains(strings.ToLower(n.FirstChild.Data), "</script") {
						t.Errorf("%s: JSON-LD closes its script element", name)
					}
					return
				}
				t.Errorf("%s: foreign <script src=%q type=%q>", name, src, typ)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
				}
				if a.Key == "href" || a.Key == "src" || a.Key == "action" {
					if generator.DangerousURL([]byte(a.Val)) {
						t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
					}
				}
			}
		})
	}
	// The hostile name must still be visible, as text.
	b, err := os.ReadFile(filepath.Join(dir, "subjects", "S005", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;") {
		t.Errorf("subject S005 does not show its hostile name as text")
	}
}

// TestBuild_LinksResolve builds the demo site and follows every internal link and asset reference (absolute
// ones are under the demo's reserved address).
func TestBuild_LinksResolve(t *testing.T) {
	dir := demoSite(t)
	all := pages(t, dir)
	checked := map[string]bool{}
	for name, doc := range all {
		walk(doc, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			for _, key := range []string{"href", "src"} {
				v, ok := attr(n, key)
				if !ok || v == "" {
					continue
				}
				u, err := url.Parse(v)
				if err != nil {
					t.Errorf("%s: bad URL %q", name, v)
					continue
				}
				if u.Host != "" && u.Host != "credit.example.invalid" || u.Scheme == "mailto" || u.Scheme == "tel" {
					continue // external (信用中国) or a contact link
				}
				if u.Path == "" || u.Path == "/search/" || strings.HasPrefix(u.Path, "/log/") {
					// Fragment-only, the server's search, or the publication log, which the publication
					// adds to the site after the build (publish's log step, docs/archive.md).
					continue
				}
				p := u.Path
				if !strings.HasPrefix(p, "/") {
					p = path.Join(path.Dir(strings.TrimSuffix(name, "index.html")), p)
				}
				if checked[p] {
					continue
				}
				checked[p] = true
				file := filepath.Join(dir, filepath.FromSlash(p))
				if strings.HasSuffix(p, "/") {
					file = filepath.Join(file, "index.html")
				}
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s: <%s %s=%q> does not resolve", name, n.Data, key, v)
				}
			}
		})
	}
	if len(checked) < 100 {
		t.Errorf("only %d distinct internal links checked", len(checked))
	}
}

// TestBuild_URLs checks the contract's URLs, with credit codes in upper case.
func TestBuild_URLs(t *testing.T) {
	dir := fixtureSite(t)
	for _, p := range []string{"index.html", "red/index.html", "black/index.html", "red/E01/index.html",
		"black/E02/index.html", "subjects/" + fixture.CodeXinyuan + "/index.html", "subjects/S002/index.html",
		"cases/index.html", "cases/C01/index.html", "cases/C03/index.html", "cases/index.xml", "sitemap.xml",
		"departments/scjg/index.html", "404.html",
		// The lists' feeds (issue 14) and the page listing every feed.
		"red/index.xml", "black/index.xml", "departments/scjg/index.xml", "feeds/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []string{"black/E05/index.html", "red/E07/index.html", "cases/C04/index.html", "cases/C05/index.html",
		"subjects/index.xml", "index.xml"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s exists, want not", p)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "subjects", "S002", "index.html"))
	if !strings.Contains(string(b), "noindex") || strings.Contains(string(b), fixture.IDZhang) ||
		!strings.Contains(string(b), xinyong.MaskIDNumber(fixture.IDZhang)) {
		t.Errorf("person page: want noindex and the masked ID number only")
	}
	feed, _ := os.ReadFile(filepath.Join(dir, "cases", "index.xml"))
	var rss struct {
		Items []struct {
			Link string `xml:"link"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(feed, &rss); err != nil {
		t.Fatalf("cases feed: %v", err)
	}
	links := fmt.Sprint(rss.Items)
	if len(rss.Items) != 7 || !strings.Contains(links, "/cases/C01/") || strings.Contains(links, "/cases/C03/") ||
		strings.Contains(links, "/cases/C10/") {
		t.Errorf("cases feed items %v: want the 7 public cases, no withdrawal notice", links)
	}
	sm, _ := os.ReadFile(filepath.Join(dir, "sitemap-1.xml"))
	if strings.Contains(string(sm), "S002") {
		t.Errorf("the sitemap lists a natural person's page")
	}
}

// TestBuild_Golden pins the rendered HTML of chosen pages of the fixture site; refresh with -update and
// review the diff.
func TestBuild_Golden(t *testing.T) {
	dir := fixtureSite(t)
	for _, p := range []string{"index.html", "red/E01/index.html", "black/E17/index.html", "black/E14/index.html",
		"subjects/S002/index.html", "subjects/" + fixture.CodeXinyuan + "/index.html", "cases/C02/index.html",
		"cases/C03/index.html", "cases/C10/index.html", "404.html", "stats/index.html", "measures/index.html",
		"quality/index.html", "timeliness/index.html", "departments/scjg/index.html", "red/index.html",
		// What a page may say about people (docs/CONTRACT.md, wave 2): a court entry without a period, an
		// administrative entry without an end, cases about subjects without a public page and about a person,
		// a subject whose honour is withheld, and the repair guide.
		"black/E33/index.html", "black/E36/index.html", "black/E41/index.html", "cases/C08/index.html",
		"cases/C11/index.html", "cases/C12/index.html", "subjects/" + fixture.CodeHengtai + "/index.html",
		"repair/index.html", "feeds/index.html",
		// The lists explained (issue 14): the list index grouped red and black, a described list, a list
		// without a description.
		"list_names/index.html", "list_names/失信被执行人/index.html", "list_names/新设的失信名单/index.html",
		// The verify page (issue 15): its markers, where xinyong serve writes the forms and the answer, and
		// what it says without the server.
		"verify/index.html"} {
		got, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		golden := filepath.Join("testdata", "fixture", filepath.FromSlash(p))
		if *update {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (run go test ./site -run Golden -update)", p, err)
			continue
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s; run go test ./site -run Golden -update and review the diff", p, golden)
		}
	}
}

func writeTheme(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBuild_ThemeOverrideAndFailure: a theme named in the config replaces the embedded one, and a build
// that fails leaves the previous site exactly as it was.
func TestBuild_ThemeOverrideAndFailure(t *testing.T) {
	fixtureSite(t) // makes the fixture export
	content := filepath.Join(filepath.Dir(fixtureSite(t)), "content")
	out := filepath.Join(t.TempDir(), "public")
	ctx := context.Background()

	plain := writeTheme(t, plainTheme)
	if _, err := site.Build(ctx, site.Options{Content: content, Out: out, ThemeDir: plain}); err != nil {
		t.Fatal(err)
	}
	home, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(home), `<body><h1>信用盘锦</h1></body>`) {
		t.Fatalf("override theme not used: %.200s", home)
	}

	broken := writeTheme(t, map[string]string{"layouts/page.html": `{{ .Nope.Nope }`})
	if _, err := site.Build(ctx, site.Options{Content: content, Out: out, ThemeDir: broken}); err == nil {
		t.Fatal("a broken template built")
	}
	after, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if string(after) != string(home) {
		t.Errorf("a failed build changed the published site")
	}
	if _, err := site.Build(ctx, site.Options{Content: filepath.Join(t.TempDir(), "none"), Out: out}); err == nil ||
		!strings.Contains(err.Error(), "not an export tree") {
		t.Errorf("build from a missing tree: %v", err)
	}
}
