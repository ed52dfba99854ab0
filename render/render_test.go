package render_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/render"
	"xinyong/site"
	"xinyong/themes"
)

// built is an export tree and the sites built from it.
type built struct {
	content string // the export tree
	hugo    string // Hugo's site, every page rendered by Hugo (the theme without its record layouts)
	site    string // the site as site.Build makes it: the record pages rendered by this package
	chrome  *render.Chrome
}

// MustBuild exports the database that source makes and builds the site from it with Hugo, once per test
// binary and key.
func MustBuild(t testing.TB, key string, source func(t testing.TB) *exchange.DB) built {
	t.Helper()
	builds.Lock()
	defer builds.Unlock()
	if b, ok := builds.m[key]; ok {
		return b
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "xinyong-render-test-")
	if err != nil {
		t.Fatal(err)
	}
	builds.dirs = append(builds.dirs, dir)
	b := built{content: filepath.Join(dir, "content"), hugo: filepath.Join(dir, "hugo"), site: filepath.Join(dir, "site")}
	x := &generator.Exporter{Source: source(t), AsOf: fixture.AsOf}
	if _, err := x.Export(ctx, b.content, filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
	// Hugo alone: the embedded theme without records/, so that Hugo renders the record pages with its own
	// layouts, the pages the record layouts must equal.
	hugoTheme := filepath.Join(dir, "theme")
	if err := os.CopyFS(hugoTheme, themes.Xinyong()); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(hugoTheme, "records")); err != nil {
		t.Fatal(err)
	}
	if res, err := site.Build(ctx, site.Options{Content: b.content, Out: b.hugo, ThemeDir: hugoTheme}); err != nil {
		t.Fatalf("build with Hugo alone: %v", err)
	} else if res.Chrome != nil || res.Records.Pages != 0 {
		t.Fatalf("a theme without records/ got the record renderer: %+v", res.Records)
	}
	res, err := site.Build(ctx, site.Options{Content: b.content, Out: b.site})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if b.chrome, err = render.ReadChrome(res.Chrome); err != nil {
		t.Fatal(err)
	}
	builds.m[key] = b
	return b
}

var builds = struct {
	sync.Mutex
	m    map[string]built
	dirs []string
}{m: map[string]built{}}

func TestMain(m *testing.M) {
	if kind := os.Getenv("XINYONG_RENDER_CHILD"); kind != "" {
		child(kind)
	}
	code := m.Run()
	for _, d := range builds.dirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

func fixtureSite(t testing.TB) built {
	return MustBuild(t, "fixture", func(t testing.TB) *exchange.DB { return fixture.MustFixture(t, true) })
}

func demoSite(t testing.TB) built {
	return MustBuild(t, "demo", func(t testing.TB) *exchange.DB { return fixture.MustDemo(t, 600) })
}

// renderTree renders the record pages of b with the embedded theme into a new directory.
func renderTree(t *testing.T, b built) (string, render.Stats) {
	t.Helper()
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: b.chrome})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	st, err := r.RenderTree(context.Background(), b.content, out, 0)
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

// TestRenderTree_SameAsHugo renders every entry and subject page and every page of the lists of red, black
// and subjects of the hostile fixture and of a demo export, and requires the bytes Hugo writes for the same
// page: the proof that the record layouts, the functions they call, the rows' order and the chrome are
// Hugo's.
func TestRenderTree_SameAsHugo(t *testing.T) {
	for _, tc := range []struct {
		name string
		site func(testing.TB) built
	}{{"fixture", fixtureSite}, {"demo", demoSite}} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.site(t)
			out, st := renderTree(t, b)
			want := 0
			for _, section := range render.Sections() {
				entries, err := os.ReadDir(filepath.Join(b.hugo, section))
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					if !e.IsDir() || e.Name() == "page" {
						continue // the list page and its paginator pages
					}
					want++
					rel := filepath.Join(section, e.Name(), "index.html")
					compare(t, rel, filepath.Join(b.hugo, rel), filepath.Join(out, rel))
					compare(t, "site.Build "+rel, filepath.Join(b.hugo, rel), filepath.Join(b.site, rel))
				}
			}
			// The lists: the first page, /<section>/page/<n>/ and the alias page/1/; for a taxonomy, its page
			// and every page of its terms.
			for _, section := range render.ListSections(themes.Xinyong()) {
				records := slices.Contains(render.Sections(), section)
				err := filepath.WalkDir(filepath.Join(b.hugo, section), func(path string, d fs.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					rel, _ := filepath.Rel(b.hugo, path)
					parts := strings.Split(filepath.ToSlash(rel), "/")
					if records && len(parts) > 2 && parts[1] != "page" {
						return nil // a record page, compared above
					}
					want++
					compare(t, rel, path, filepath.Join(out, rel))
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%d pages, %d lists, %d bytes", st.Pages, st.Lists, st.Bytes)
			if st.Pages+st.Lists != want || want == 0 {
				t.Errorf("rendered %d pages, Hugo %d", st.Pages, want)
			}
		})
	}
}

// compare reports the first line where the rendered page differs from Hugo's.
func compare(t *testing.T, name, hugoPath, gotPath string) {
	t.Helper()
	want, err := os.ReadFile(hugoPath)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(gotPath)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Errorf("%s line %d:\n got %q\nwant %q", name, i+1, g, w)
			return
		}
	}
	t.Errorf("%s differs", name)
}

// themeDir copies the embedded theme into a directory, with files replaced or added.
func themeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "theme")
	if err := os.CopyFS(dir, themes.Xinyong()); err != nil {
		t.Fatal(err)
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestNew_ThemeDir: a theme directory's record layouts are the ones used, as its other layouts are Hugo's.
// An entry layout of its own changes the entry pages and nothing else, and the changed pages are no longer
// Hugo's bytes: the comparison of TestRenderTree_SameAsHugo sees a layout that differs.
func TestNew_ThemeDir(t *testing.T) {
	b := fixtureSite(t)
	const marker = "<p>theme-dir entry layout</p>"
	entry, err := fs.ReadFile(themes.Xinyong(), "records/entry.html")
	if err != nil {
		t.Fatal(err)
	}
	dir := themeDir(t, map[string]string{
		"records/entry.html": strings.Replace(string(entry), `<article class="record">`, marker+`<article class="record">`, 1),
	})
	r, err := render.New(os.DirFS(dir), render.Options{Chrome: b.chrome})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := r.RenderTree(context.Background(), b.content, out, 0); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		page string
		want bool
	}{
		{"red/E01/index.html", true},
		{"black/E14/index.html", true},
		{"subjects/S005/index.html", false},
	} {
		got, err := os.ReadFile(filepath.Join(out, tc.page))
		if err != nil {
			t.Fatal(err)
		}
		if has := bytes.Contains(got, []byte(marker)); has != tc.want {
			t.Errorf("%s has the theme directory's marker: %t, want %t", tc.page, has, tc.want)
		}
		// What TestRenderTree_SameAsHugo compares: a page of the changed layout is no longer Hugo's.
		hugo, err := os.ReadFile(filepath.Join(b.hugo, tc.page))
		if err != nil {
			t.Fatal(err)
		}
		if same := bytes.Equal(got, hugo); same == tc.want {
			t.Errorf("%s is Hugo's: %t, want %t", tc.page, same, !tc.want)
		}
	}
}

// TestNew_Errors: a theme without record layouts is left to Hugo (ErrNoRecordLayouts); a record layout
// that does not parse, or that html/template cannot escape, fails New, before any page is written.
func TestNew_Errors(t *testing.T) {
	b := fixtureSite(t)
	noRecords := t.TempDir()
	if err := os.MkdirAll(filepath.Join(noRecords, "layouts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := render.New(os.DirFS(noRecords), render.Options{Chrome: b.chrome}); !errors.Is(err, render.ErrNoRecordLayouts) {
		t.Errorf("theme without records/: got %v, want ErrNoRecordLayouts", err)
	}
	for name, layout := range map[string]string{
		"parse":  `{{ define "main" }}{{ .Nope }`,
		"escape": `{{ define "main" }}<a href="{{ .Title }}{{ end }}`,
		"func":   `{{ define "main" }}{{ jsonify . }}{{ end }}`,
	} {
		dir := themeDir(t, map[string]string{"records/subject.html": layout})
		_, err := render.New(os.DirFS(dir), render.Options{Chrome: b.chrome})
		if err == nil {
			t.Errorf("%s: a broken layout was accepted", name)
		}
		t.Logf("%s: %v", name, err)
	}
}

// TestRenderTree_Hostile: the fixture's hostile strings (front matter breaks, shortcodes, template actions,
// script, iframe, event handlers, bidi controls) reach the pages as text only. Byte equality with Hugo
// (TestRenderTree_SameAsHugo) already says the escaping is Hugo's; this says what that escaping achieves,
// independently of Hugo.
func TestRenderTree_Hostile(t *testing.T) {
	b := fixtureSite(t)
	out, _ := renderTree(t, b)
	n := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		doc, err := html.Parse(f)
		if err != nil {
			return err
		}
		checkNoMarkup(t, p, doc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Fatalf("only %d pages", n)
	}
	page, err := os.ReadFile(filepath.Join(out, "subjects", "S005", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;",               // the name, in the heading
		`{{&lt; param &#34;title&#34; &gt;}}`,                             // a shortcode, as text
		`{{ template &#34;_internal/opengraph.html&#34; . }}`,             // a template action, as text
		"&lt;img src=x onerror=alert(1)&gt;",                              // the legal representative
		`&lt;iframe src=&#34;javascript:alert(1)&#34;&gt;&lt;/iframe&gt;`, // in the title
	} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("subjects/S005 does not show %s", want)
		}
	}
}

// checkNoMarkup fails on any element or attribute a hostile string could have made.
func checkNoMarkup(t *testing.T, name string, doc *html.Node) {
	t.Helper()
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "iframe", "frame", "object", "embed", "base", "img":
				t.Errorf("%s: <%s> element", name, n.Data)
			case "form":
				if attr(n, "action") != "/search/" {
					t.Errorf("%s: foreign form", name)
				}
			case "script":
				src, typ := attr(n, "src"), attr(n, "type")
				switch {
				case src != "" && strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "//"):
				case src == "" && typ == "application/ld+json":
					if n.FirstChild != nil && strings.Contains(strings.ToLower(n.FirstChild.Data), "</script") {
						t.Errorf("%s: JSON-LD closes its script element", name)
					}
				default:
					t.Errorf("%s: foreign <script src=%q type=%q>", name, src, typ)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
				}
				if (a.Key == "href" || a.Key == "src") && generator.DangerousURL([]byte(a.Val)) {
					t.Errorf("%s: <%s %s=%q>", name, n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestSiteBuild_Chrome: the page that renders the chrome leaves no file in the site and no warning in the
// log, and a theme without record layouts gets no chrome (its record pages stay Hugo's).
func TestSiteBuild_Chrome(t *testing.T) {
	b := fixtureSite(t)
	if _, err := os.Stat(filepath.Join(b.site, "records-chrome")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the chrome page is in the site (%v)", err)
	}
	for _, tc := range []struct {
		name      string
		noRecords bool
	}{{"embedded theme", false}, {"theme without records", true}} {
		t.Run(tc.name, func(t *testing.T) {
			theme := ""
			if tc.noRecords {
				theme = themeDir(t, nil)
				if err := os.RemoveAll(filepath.Join(theme, "records")); err != nil {
					t.Fatal(err)
				}
			}
			var log bytes.Buffer
			res, err := site.Build(context.Background(), site.Options{Content: b.content, Out: filepath.Join(t.TempDir(), "out"),
				ThemeDir: theme, Logger: slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelWarn}))})
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Chrome != nil; got == tc.noRecords {
				t.Errorf("chrome: %t, want %t", got, !tc.noRecords)
			}
			if log.Len() > 0 {
				t.Errorf("warnings: %s", log.String())
			}
		})
	}
}

// TestRenderTree_Errors: a page that is not in the export's form fails the run with its path, and a
// cancelled context stops it.
func TestRenderTree_Errors(t *testing.T) {
	b := fixtureSite(t)
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: b.chrome})
	if err != nil {
		t.Fatal(err)
	}
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(b.content)); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(content, "black", "E14.md")
	if err := os.WriteFile(bad, []byte("---\ntitle: unquoted\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = r.RenderTree(context.Background(), content, t.TempDir(), 0)
	var fmErr *generator.FrontMatterError
	if !errors.As(err, &fmErr) || !strings.Contains(err.Error(), bad) {
		t.Errorf("malformed page: got %v, want a FrontMatterError naming %s", err, bad)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.RenderTree(ctx, b.content, t.TempDir(), 0); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

// TestSiteBuild_SameSiteAsHugo: site.Build with the record renderer (Hugo links the record pages, this
// package writes them) publishes the same files, byte for byte, as Hugo rendering every page itself.
func TestSiteBuild_SameSiteAsHugo(t *testing.T) {
	for _, tc := range []struct {
		name string
		site func(testing.TB) built
	}{{"fixture", fixtureSite}, {"demo", demoSite}} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.site(t)
			files := 0
			err := filepath.WalkDir(b.hugo, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(b.hugo, path)
				files++
				compare(t, rel, path, filepath.Join(b.site, rel))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// Besides Hugo's files, the renderer writes the lists' feeds (feeds.go), which Hugo alone has no
			// layout for: /red/index.xml, /black/index.xml and one per department.
			n, feeds := 0, 0
			filepath.WalkDir(b.site, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(b.site, path)
					if m, _ := filepath.Match("departments/*/index.xml", rel); m || rel == "red/index.xml" || rel == "black/index.xml" {
						feeds++
					} else {
						n++
					}
				}
				return err
			})
			if n != files || files < 30 || feeds < 3 {
				t.Errorf("site.Build wrote %d files and %d feeds, Hugo alone %d files", n, feeds, files)
			}
		})
	}
}

// TestSiteBuild_ThemeDirEntryLayout: `build --theme DIR` (and run, and serve's schedule) with a theme
// directory whose records/entry.html differs publishes entry pages from that layout, and leaves the
// subject pages as they were.
func TestSiteBuild_ThemeDirEntryLayout(t *testing.T) {
	b := fixtureSite(t)
	const marker = "<p>theme-dir entry layout</p>"
	entry, err := fs.ReadFile(themes.Xinyong(), "records/entry.html")
	if err != nil {
		t.Fatal(err)
	}
	dir := themeDir(t, map[string]string{
		"records/entry.html": strings.Replace(string(entry), `<article class="record">`, marker+`<article class="record">`, 1),
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := site.Build(context.Background(), site.Options{Content: b.content, Out: out, ThemeDir: dir}); err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string]bool{"red/E01/index.html": true, "black/E14/index.html": true,
		"subjects/S005/index.html": false, "index.html": false} {
		got, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Fatal(err)
		}
		if has := bytes.Contains(got, []byte(marker)); has != want {
			t.Errorf("/%s from the theme directory's entry layout: %t, want %t", page, has, want)
		}
	}
}

// TestSiteBuild_ThemeDirListLayout: a theme directory's records/list.html is the one the published /red/
// and /black/ list pages are rendered with, and only those: not the subjects' list, the taxonomy and term
// pages, the entry pages or Hugo's pages.
func TestSiteBuild_ThemeDirListLayout(t *testing.T) {
	b := fixtureSite(t)
	const marker = "<p>theme-dir list layout</p>"
	list, err := fs.ReadFile(themes.Xinyong(), "records/list.html")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(list, []byte(`<div class="wrap">`)) {
		t.Fatal("records/list.html has no wrap to mark")
	}
	dir := themeDir(t, map[string]string{
		"records/list.html": strings.Replace(string(list), `<div class="wrap">`, marker+`<div class="wrap">`, 1),
	})
	out := filepath.Join(t.TempDir(), "out")
	if _, err := site.Build(context.Background(), site.Options{Content: b.content, Out: out, ThemeDir: dir}); err != nil {
		t.Fatal(err)
	}
	for page, want := range map[string]bool{"red/index.html": true, "black/index.html": true,
		"subjects/index.html": false, "departments/index.html": false, "red/E01/index.html": false,
		"index.html": false} {
		got, err := os.ReadFile(filepath.Join(out, page))
		if err != nil {
			t.Fatal(err)
		}
		if has := bytes.Contains(got, []byte(marker)); has != want {
			t.Errorf("/%s from the theme directory's list layout: %t, want %t", page, has, want)
		}
	}
	// And every other page of the site is the embedded theme's.
	same := 0
	for _, page := range []string{"subjects/index.html", "departments/index.html", "red/E01/index.html"} {
		got, _ := os.ReadFile(filepath.Join(out, page))
		hugo, _ := os.ReadFile(filepath.Join(b.hugo, page))
		if bytes.Equal(got, hugo) {
			same++
		}
	}
	if same != 3 {
		t.Errorf("%d of 3 other pages are Hugo's", same)
	}
}

// TestRenderTree_Reuse: with a previous tree to reuse, a page whose export page has the same bytes is the
// previous page's file (hard-linked), and a page whose record changed is rendered anew.
func TestRenderTree_Reuse(t *testing.T) {
	b := fixtureSite(t)
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(b.content)); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(content, "black", "E14.md")
	page, err := os.ReadFile(changed)
	if err != nil {
		t.Fatal(err)
	}
	page = bytes.Replace(page, []byte("reason: \""), []byte("reason: \"（更正）"), 1)
	if err := os.WriteFile(changed, page, 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: b.chrome, Reuse: &render.Reuse{Content: b.content, Site: b.site}})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	st, err := r.RenderTree(context.Background(), content, out, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reused != st.Pages-1 || st.Pages < 20 {
		t.Errorf("reused %d of %d pages, want all but black/E14", st.Reused, st.Pages)
	}
	for _, rel := range []string{"black/E14/index.html", "red/E01/index.html", "subjects/S005/index.html"} {
		a, _ := os.Stat(filepath.Join(b.site, rel))
		n, err := os.Stat(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		if linked, want := os.SameFile(a, n), rel != "black/E14/index.html"; linked != want {
			t.Errorf("%s is the previous tree's file: %t, want %t", rel, linked, want)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(out, "black/E14/index.html")); !bytes.Contains(got, []byte("（更正）")) {
		t.Error("the changed record's page does not show the change")
	}
}

// TestSiteBuild_ReuseNeedsTheSameFingerprint: site.Build reuses the previous build's record pages only
// when their fingerprint (layouts, translations, chrome) is this build's; another theme directory's
// layouts render every page again.
func TestSiteBuild_ReuseNeedsTheSameFingerprint(t *testing.T) {
	b := fixtureSite(t)
	first, err := site.Build(context.Background(), site.Options{Content: b.content, Out: filepath.Join(t.TempDir(), "a")})
	if err != nil {
		t.Fatal(err)
	}
	reuse := &site.Reuse{Content: b.content, Site: b.site, Fingerprint: first.RecordsFingerprint}
	same, err := site.Build(context.Background(), site.Options{Content: b.content, Out: filepath.Join(t.TempDir(), "b"), Reuse: reuse})
	if err != nil {
		t.Fatal(err)
	}
	if same.Records.Reused != same.Records.Pages || same.Records.Pages == 0 {
		t.Errorf("same fingerprint: reused %d of %d record pages", same.Records.Reused, same.Records.Pages)
	}
	entry, err := fs.ReadFile(themes.Xinyong(), "records/entry.html")
	if err != nil {
		t.Fatal(err)
	}
	dir := themeDir(t, map[string]string{"records/entry.html": string(entry) + "\n"})
	other, err := site.Build(context.Background(), site.Options{Content: b.content, Out: filepath.Join(t.TempDir(), "c"), ThemeDir: dir, Reuse: reuse})
	if err != nil {
		t.Fatal(err)
	}
	if other.RecordsFingerprint == first.RecordsFingerprint || other.Records.Reused != 0 {
		t.Errorf("changed layout: fingerprint %s (was %s), reused %d", other.RecordsFingerprint, first.RecordsFingerprint, other.Records.Reused)
	}
}

// TestSiteBuild_PartialListLayouts: a theme directory with records/ but without some list layouts (a theme
// made before the lists moved to the renderer) still publishes Hugo's site: Hugo keeps the record pages
// (linked) and renders the lists the theme has no record layout for, and the renderer writes the others.
func TestSiteBuild_PartialListLayouts(t *testing.T) {
	b := fixtureSite(t)
	for _, tc := range []struct {
		name    string
		without []string
		lists   []string
	}{
		{"no list layouts", []string{"list", "subjects-list", "term", "taxonomy"}, nil},
		{"only the section lists", []string{"term", "taxonomy"}, []string{"black", "red", "subjects"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := themeDir(t, nil)
			for _, name := range tc.without {
				if err := os.Remove(filepath.Join(dir, "records", name+".html")); err != nil {
					t.Fatal(err)
				}
			}
			if got := render.ListSections(os.DirFS(dir)); !slices.Equal(got, tc.lists) {
				t.Fatalf("ListSections = %v, want %v", got, tc.lists)
			}
			out := filepath.Join(t.TempDir(), "out")
			if _, err := site.Build(context.Background(), site.Options{Content: b.content, Out: out, ThemeDir: dir}); err != nil {
				t.Fatal(err)
			}
			files := 0
			err := filepath.WalkDir(b.hugo, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(b.hugo, path)
				files++
				compare(t, rel, path, filepath.Join(out, rel))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if files < 30 {
				t.Errorf("Hugo alone wrote %d files", files)
			}
		})
	}
}

// TestSiteBuild_ReusedPagesInTheSitemaps: a build that links the record pages of the previous build lists
// them in its sitemaps as that build did (from its sitemaps, not reading the pages back), or, when those
// sitemaps are gone, from the pages' heads: either way the same sitemaps and counts as a fresh build.
func TestSiteBuild_ReusedPagesInTheSitemaps(t *testing.T) {
	b := fixtureSite(t)
	ctx := context.Background()
	prev := filepath.Join(t.TempDir(), "prev")
	first, err := site.Build(ctx, site.Options{Content: b.content, Out: prev})
	if err != nil {
		t.Fatal(err)
	}
	sitemaps := func(dir string) map[string]string {
		t.Helper()
		files, err := filepath.Glob(filepath.Join(dir, "sitemap*.xml"))
		if err != nil || len(files) < 2 {
			t.Fatalf("sitemaps of %s: %v %v", dir, files, err)
		}
		m := map[string]string{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m[filepath.Base(f)] = string(data)
		}
		return m
	}
	want := sitemaps(prev)
	if !strings.Contains(strings.Join(slices.Collect(maps.Values(want)), ""), "/red/") {
		t.Fatal("the fresh sitemaps list no entry page")
	}
	reuse := &site.Reuse{Content: b.content, Site: prev, Fingerprint: first.RecordsFingerprint}
	for _, tc := range []struct {
		name   string
		before func()
	}{
		{"from the previous sitemaps", func() {}},
		{"without them", func() {
			files, _ := filepath.Glob(filepath.Join(prev, "sitemap-*.xml"))
			for _, f := range files {
				os.Remove(f)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.before()
			out := filepath.Join(t.TempDir(), "out")
			res, err := site.Build(ctx, site.Options{Content: b.content, Out: out, Reuse: reuse})
			if err != nil {
				t.Fatal(err)
			}
			if res.Records.Reused == 0 || res.Records.Reused != res.Records.Pages {
				t.Fatalf("reused %d of %d record pages", res.Records.Reused, res.Records.Pages)
			}
			if got := sitemaps(out); !maps.Equal(got, want) {
				t.Errorf("sitemaps differ from a fresh build's:\n%v\nwant\n%v", got, want)
			}
			if res.Files != first.Files || res.Pages != first.Pages || res.SitemapURLs != first.SitemapURLs {
				t.Errorf("files %d, pages %d, URLs %d; a fresh build: %d, %d, %d", res.Files, res.Pages, res.SitemapURLs,
					first.Files, first.Pages, first.SitemapURLs)
			}
		})
	}
}
