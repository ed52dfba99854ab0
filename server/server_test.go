package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"xinyong"
	"xinyong/internal/fixture"
	"xinyong/internal/precompress"
	"xinyong/publish"
	"xinyong/search"
)

// do runs one request through the handler; hdr are header names and values.
func do(t *testing.T, h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func get(t *testing.T, h http.Handler, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return do(t, h, http.MethodGet, target, hdr...)
}

// searchURLOf is /search/?q=<q> with q escaped.
func searchURLOf(q string) string { return "/search/?q=" + url.QueryEscape(q) }

func apiURLOf(q string) string { return "/api/search?q=" + url.QueryEscape(q) }

// checkSecurityHeaders checks the headers every response carries.
func checkSecurityHeaders(t *testing.T, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	h := w.Header()
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
		h.Get("Referrer-Policy") == "" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") ||
		!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("%s: security headers missing: %v", what, h)
	}
}

func TestStaticFiles(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	home := get(t, h, "/")
	if home.Code != 200 || home.Header().Get("Content-Type") != "text/html; charset=utf-8" ||
		home.Header().Get("Cache-Control") != cacheShort || !strings.Contains(home.Body.String(), "site-header") {
		t.Fatalf("/: %d %v", home.Code, home.Header())
	}
	checkSecurityHeaders(t, "/", home)

	// The stylesheet and the script are fingerprinted: cached for a year (the text size's stylesheet is not:
	// TestTextSize).
	assets := regexp.MustCompile(`(?:href|src)="(/(?:css|js)/[^"]+\.[0-9a-f]{32,}\.[a-z]+)"`).FindAllStringSubmatch(home.Body.String(), -1)
	if len(assets) != 2 {
		t.Fatalf("assets in /: %v", assets)
	}
	for _, a := range assets {
		w := get(t, h, a[1])
		want := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}[filepath.Ext(a[1])]
		if w.Code != 200 || w.Header().Get("Content-Type") != want || w.Header().Get("Cache-Control") != cacheImmutable {
			t.Errorf("%s: %d %v", a[1], w.Code, w.Header())
		}
	}

	for target, ctype := range map[string]string{
		"/red/":             "text/html; charset=utf-8",
		"/cases/index.xml":  "application/xml; charset=utf-8",
		"/sitemap.xml":      "application/xml; charset=utf-8",
		"/robots.txt":       "text/plain; charset=utf-8",
		"/search/":          "text/html; charset=utf-8",
		"/subjects/S002/":   "text/html; charset=utf-8",
		"/about/index.html": "text/html; charset=utf-8",
		"/contact/":         "text/html; charset=utf-8",
		"/sitemap/":         "text/html; charset=utf-8",
		// The theme's icons (its static files): /favicon.ico was a 404.
		"/favicon.ico":          "image/x-icon",
		"/apple-touch-icon.png": "image/png",
	} {
		w := get(t, h, target)
		if w.Code != 200 || w.Header().Get("Content-Type") != ctype {
			t.Errorf("%s: %d %q, want 200 %q", target, w.Code, w.Header().Get("Content-Type"), ctype)
		}
		if w.Header().Get("Cache-Control") != cacheShort && target != "/search/" {
			t.Errorf("%s: Cache-Control %q", target, w.Header().Get("Cache-Control"))
		}
	}

	// A directory without its slash is redirected, with the query.
	w := get(t, h, "/red?x=1")
	if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "/red/?x=1" {
		t.Errorf("/red: %d %q", w.Code, w.Header().Get("Location"))
	}
	// A file with a slash is not a directory.
	if w := get(t, h, "/robots.txt/"); w.Code != 404 {
		t.Errorf("/robots.txt/: %d", w.Code)
	}
}

func TestNotFound(t *testing.T) {
	s, data, _ := newServer(t, Options{})
	h := s.Handler()
	site := filepath.Join(data, publish.ReleasesDir, "r1", publish.SiteDir)
	notFound, err := os.ReadFile(filepath.Join(site, "404.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Files that must never be served: dotfiles, and links that leave the site.
	os.WriteFile(filepath.Join(site, ".secret"), []byte("secret"), 0o644)
	os.Mkdir(filepath.Join(site, ".git"), 0o755)
	os.WriteFile(filepath.Join(site, ".git", "config"), []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(data, "outside.txt"), []byte("secret"), 0o644)
	os.Symlink("../../../outside.txt", filepath.Join(site, "escape.txt"))
	os.Symlink(filepath.Join(data, "outside.txt"), filepath.Join(site, "absolute.txt"))
	os.Symlink("../index", filepath.Join(site, "indexdir"))

	for _, target := range []string{
		"/no/such/page/", "/subjects/91211103MA0XY1232X/", "/red/E99/", "/nope.css",
		"/.secret", "/.git/config", "/red/.secret", "/escape.txt", "/absolute.txt", "/indexdir/",
		"/indexdir/xinyong-search.json",
		"/../release.json", "/red/../../release.json", "/%2e%2e/release.json", "/red/..%2f..%2frelease.json",
		"/red/%2e%2e/%2e%2e/release.json", "/..\\release.json", "//etc/passwd", "/red//", "/./index.html",
		"/index.html%00.css",
	} {
		w := get(t, h, target)
		if w.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", target, w.Code)
			continue
		}
		if !bytes.Equal(w.Body.Bytes(), notFound) || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: not the site's 404 page", target)
		}
		if strings.Contains(w.Body.String(), "secret") {
			t.Errorf("%s: served a file outside the site", target)
		}
		checkSecurityHeaders(t, target, w)
	}
	// The 404 page explains what a missing subject means.
	if !strings.Contains(string(notFound), "该主体当前没有依法公示的信用信息") {
		t.Error("the 404 page lacks the explanation for subjects")
	}
}

func TestGzipVariant(t *testing.T) {
	s, data, _ := newServer(t, Options{})
	h := s.Handler()
	site := filepath.Join(data, publish.ReleasesDir, "r1", publish.SiteDir)
	plain, err := os.ReadFile(filepath.Join(site, "red", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(plain)
	zw.Close()
	if err := os.WriteFile(filepath.Join(site, "red", "index.html.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	w := get(t, h, "/red/", "Accept-Encoding", "br, gzip;q=0.8")
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" ||
		w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("gzip: %d %v", w.Code, w.Header())
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, plain) {
		t.Error("the gzip variant does not decompress to the page")
	}
	gzTag := w.Header().Get("ETag")

	for _, ae := range []string{"", "identity", "gzip;q=0", "br"} {
		w := get(t, h, "/red/", "Accept-Encoding", ae)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), plain) ||
			w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: %d %v", ae, w.Code, w.Header())
		}
		if w.Header().Get("ETag") == gzTag {
			t.Errorf("Accept-Encoding %q: the plain and gzip variants share the ETag %s", ae, gzTag)
		}
	}
}

// TestGzipOnTheFly: a page the release did not precompress (a record's page) is compressed per request, with
// the gzip variant's own stable ETag; a file under precompress.MinSize is sent as it is.
func TestGzipOnTheFly(t *testing.T) {
	s, data, _ := newServer(t, Options{})
	h := s.Handler()
	site := filepath.Join(data, publish.ReleasesDir, "r1", publish.SiteDir)
	page := filepath.Join(site, "red", "index.html")
	plain, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(page + ".gz"); !os.IsNotExist(err) {
		t.Fatalf("the fixture has a .gz beside the page (%v): nothing to compress on the fly", err)
	}
	if len(plain) < precompress.MinSize {
		t.Fatalf("the page is too small (%d bytes) for this test", len(plain))
	}
	w := get(t, h, "/red/", "Accept-Encoding", "gzip")
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("Vary") != "Accept-Encoding" {
		t.Fatalf("gzip on the fly: %d %v", w.Code, w.Header())
	}
	zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, plain) {
		t.Error("the gzip variant does not decompress to the page")
	}
	// The same bytes the release's compress step would have written, and the same tag on every request.
	want, err := precompress.NewWriter().Compress(plain)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w.Body.Bytes(), want) {
		t.Error("on-the-fly compression differs from precompress.Writer's")
	}
	tag := w.Header().Get("ETag")
	if w2 := get(t, h, "/red/", "Accept-Encoding", "gzip"); w2.Header().Get("ETag") != tag || !bytes.Equal(w2.Body.Bytes(), w.Body.Bytes()) {
		t.Errorf("a second request: ETag %s, want %s, or other bytes", w2.Header().Get("ETag"), tag)
	}
	if w := get(t, h, "/red/", "If-None-Match", tag, "Accept-Encoding", "gzip"); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the gzip tag: %d", w.Code)
	}
	if w := get(t, h, "/red/"); w.Header().Get("ETag") == tag || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("identity shares the gzip tag %s or is compressed: %v", tag, w.Header())
	}
	// Small files are not worth a gzip header.
	small := filepath.Join(site, "small.txt")
	if err := os.WriteFile(small, []byte("小文件"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w := get(t, h, "/small.txt", "Accept-Encoding", "gzip"); w.Code != 200 || w.Header().Get("Content-Encoding") != "" {
		t.Errorf("a small file: %d %v", w.Code, w.Header())
	}
}

func TestConditionalRequests(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	w := get(t, h, "/about/")
	tag, mod := w.Header().Get("ETag"), w.Header().Get("Last-Modified")
	if w.Code != 200 || tag == "" || mod == "" {
		t.Fatalf("/about/: %d ETag %q Last-Modified %q", w.Code, tag, mod)
	}
	if w := get(t, h, "/about/", "If-None-Match", tag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d", w.Code)
	}
	if w := get(t, h, "/about/", "If-None-Match", `"other"`); w.Code != 200 {
		t.Errorf("If-None-Match with another tag: %d", w.Code)
	}
	if w := get(t, h, "/about/", "If-Modified-Since", mod); w.Code != http.StatusNotModified {
		t.Errorf("If-Modified-Since: %d", w.Code)
	}
}

func TestMethodsAndLimits(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	head := do(t, h, http.MethodHead, "/about/")
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD /about/: %d, %d bytes, %v", head.Code, head.Body.Len(), head.Header())
	}
	if w := do(t, h, http.MethodHead, searchURLOf("鑫源")); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD /search/: %d, %d bytes", w.Code, w.Body.Len())
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, "PATCH", http.MethodOptions} {
		w := do(t, h, m, "/search/?q=x")
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" ||
			!strings.Contains(w.Body.String(), xinyong.MsgServeMethod) {
			t.Errorf("%s: %d %v", m, w.Code, w.Header())
		}
		checkSecurityHeaders(t, m, w)
	}
	w := get(t, h, "/search/?q="+strings.Repeat("x", 5000))
	if w.Code != http.StatusRequestURITooLong {
		t.Errorf("long URI: %d", w.Code)
	}
}

// parseHTML parses a page.
func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// find returns the elements for which match is true, in document order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func TestSearchPage(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	w := get(t, h, searchURLOf("鑫源"))
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" || w.Header().Get("Cache-Control") != cacheNone {
		t.Fatalf("search: %d %v", w.Code, w.Header())
	}
	checkSecurityHeaders(t, "search", w)
	doc := parseHTML(t, w.Body.Bytes())

	// The page's chrome: header, navigation, footer, stylesheet, noindex, and a title with the query.
	for _, class := range []string{"site-header", "site-nav", "site-footer", "breadcrumb", "search-results"} {
		if len(find(doc, func(n *html.Node) bool { return hasClass(n, class) })) == 0 {
			t.Errorf("no .%s in the results page", class)
		}
	}
	if len(find(doc, func(n *html.Node) bool {
		return n.Data == "meta" && attr(n, "name") == "robots" && attr(n, "content") == "noindex"
	})) != 1 {
		t.Error("the results page is not noindex")
	}
	if titles := find(doc, func(n *html.Node) bool { return n.Data == "title" }); len(titles) != 1 ||
		text(titles[0]) != "“鑫源”的查询结果 · 信用信息查询 · 信用盘锦" {
		t.Errorf("title: %v", text(titles[0]))
	}
	// The form shows the query back; the hit links to the subject, its matched part marked.
	inputs := find(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "id") == "q" })
	if len(inputs) != 1 || attr(inputs[0], "value") != "鑫源" {
		t.Errorf("the form does not show the query back")
	}
	hits := find(doc, func(n *html.Node) bool { return hasClass(n, "search-hit") })
	if len(hits) != 1 {
		t.Fatalf("%d hits, want 1", len(hits))
	}
	links := find(hits[0], func(n *html.Node) bool {
		return n.Data == "a" && attr(n, "href") == "/subjects/"+fixture.CodeXinyuan+"/"
	})
	if len(links) != 1 || text(links[0]) != "盘锦鑫源化工有限公司" {
		t.Fatalf("no link to the subject in %q", text(hits[0]))
	}
	marks := find(links[0], func(n *html.Node) bool { return n.Data == "mark" })
	if len(marks) != 1 || text(marks[0]) != "鑫源" {
		t.Errorf("matched segment not marked")
	}
	body := text(hits[0])
	for _, want := range []string{fixture.CodeXinyuan, "守信红榜", "失信黑名单", "国家税务总局盘锦市税务局", "兴隆台区", "2026-06-15", "纳税信用A级纳税人"} {
		if !strings.Contains(body, want) {
			t.Errorf("the hit lacks %q: %q", want, body)
		}
	}
	// The department is a filter link, and following it filters.
	filter := find(hits[0], func(n *html.Node) bool { return n.Data == "a" && strings.Contains(attr(n, "href"), "department=") })
	if len(filter) == 0 {
		t.Fatal("no filter link")
	}
	w = get(t, h, attr(filter[0], "href"))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "filter-chip") || !strings.Contains(w.Body.String(), "/subjects/"+fixture.CodeXinyuan+"/") {
		t.Errorf("filter link %s: %d", attr(filter[0], "href"), w.Code)
	}

	// A person is found by name, with no code.
	w = get(t, h, searchURLOf("张三"))
	if !strings.Contains(w.Body.String(), `href="/subjects/S002/"`) || !strings.Contains(w.Body.String(), "自然人") {
		t.Errorf("person search: %d", w.Code)
	}
}

func TestSearchPageWithoutQuery(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	w := get(t, s.Handler(), "/search/")
	doc := parseHTML(t, w.Body.Bytes())
	if w.Code != 200 || len(find(doc, func(n *html.Node) bool { return n.Data == "input" && attr(n, "id") == "q" })) != 1 ||
		len(find(doc, func(n *html.Node) bool { return hasClass(n, "search-results") })) != 0 {
		t.Errorf("/search/: %d", w.Code)
	}
	if titles := find(doc, func(n *html.Node) bool { return n.Data == "title" }); text(titles[0]) != "信用信息查询 · 信用盘锦" {
		t.Errorf("title %q", text(titles[0]))
	}
}

func TestSearchPaging(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	w := get(t, h, searchURLOf("盘锦测试"))
	doc := parseHTML(t, w.Body.Bytes())
	if n := len(find(doc, func(n *html.Node) bool { return hasClass(n, "search-hit") })); n != search.DefaultSize {
		t.Fatalf("page 1: %d hits", n)
	}
	next := find(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" })
	if len(next) != 1 || !strings.Contains(w.Body.String(), "第 1 页，共 2 页") {
		t.Fatalf("no next link on page 1")
	}
	w = get(t, h, attr(next[0], "href"))
	doc = parseHTML(t, w.Body.Bytes())
	if n := len(find(doc, func(n *html.Node) bool { return hasClass(n, "search-hit") })); n != 10 {
		t.Errorf("page 2: %d hits", n)
	}
	if len(find(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "prev" })) != 1 ||
		len(find(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" })) != 0 {
		t.Error("page 2: want a previous link and no next link")
	}
	ol := find(doc, func(n *html.Node) bool { return n.Data == "ol" && hasClass(n, "search-hits") })
	if len(ol) != 1 || attr(ol[0], "start") != "21" {
		t.Error("page 2 does not number from 21")
	}
	// Filters: black list only finds no test companies.
	w = get(t, h, searchURLOf("盘锦测试")+"&list=black")
	if w.Code != 200 || !strings.Contains(w.Body.String(), xinyong.MsgServeNone) {
		t.Errorf("filtered: %d", w.Code)
	}
}

func TestSearchHostileAndBadQueries(t *testing.T) {
	s, _, logs := newServer(t, Options{})
	h := s.Handler()

	// Markup in the query is shown as text.
	w := get(t, h, searchURLOf(`<script>alert(1)</script>"><img src=x onerror=alert(1)>`))
	if w.Code != 200 {
		t.Errorf("hostile query: %d", w.Code)
	}
	body := w.Body.String()
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Error("the hostile query reached the page as markup")
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the hostile query is not shown back escaped")
	}

	// An ID number is refused with the notice, not shown back, not logged.
	for _, q := range []string{fixture.IDZhang, "张三 " + fixture.IDZhang, "110105 19491231 002x"} {
		w = get(t, h, searchURLOf(q))
		if w.Code != 200 || !strings.Contains(w.Body.String(), xinyong.MsgSearchIDNumber) {
			t.Errorf("ID number %q: %d, no notice", q, w.Code)
		}
		if strings.Contains(w.Body.String(), "19491231") {
			t.Errorf("ID number %q shown back", q)
		}
		w = get(t, h, apiURLOf(q))
		if w.Code != 200 || !strings.Contains(w.Body.String(), xinyong.MsgSearchIDNumber) || strings.Contains(w.Body.String(), "19491231") {
			t.Errorf("API, ID number %q: %d %s", q, w.Code, w.Body)
		}
	}
	// Requests are logged (debug), but never an ID number.
	get(t, h, "/subjects/"+fixture.IDZhang+"/")
	if !strings.Contains(logs.String(), "msg=request") {
		t.Error("no request log")
	}
	for _, id := range []string{"19491231", "1949 1231", "491231"} {
		if strings.Contains(logs.String(), id) {
			t.Errorf("the log holds an ID number: %s", logs)
		}
	}

	// Over-long query: 400 with the message.
	long := strings.Repeat("鑫", search.MaxQueryRunes+1)
	w = get(t, h, searchURLOf(long))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), fmt.Sprintf(xinyong.MsgSearchTooLong, search.MaxQueryRunes, search.MaxQueryRunes+1)) {
		t.Errorf("long query: %d", w.Code)
	}
	// Bad page, bad filter, punctuation only: 400 with the message, the form still there.
	for target, msg := range map[string]string{
		searchURLOf("鑫源") + "&page=abc":  xinyong.MsgSearchBadPage,
		searchURLOf("鑫源") + "&page=0":    xinyong.MsgSearchBadPage,
		searchURLOf("鑫源") + "&page=999":  fmt.Sprintf(xinyong.MsgSearchTooDeep, search.MaxDepth),
		searchURLOf("鑫源") + "&list=grey": fmt.Sprintf(xinyong.MsgSearchBadFilter, xinyong.MsgSearchFilterList),
		searchURLOf("！？"):                xinyong.MsgSearchNoText,
		"/search/?q=":                    xinyong.MsgSearchEmpty,
	} {
		w = get(t, h, target)
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), msg) || !strings.Contains(w.Body.String(), `id="q"`) {
			t.Errorf("%s: %d, want 400 with %q", target, w.Code, msg)
		}
	}

	// A code with a wrong check character: the notice, and the subject is still found.
	bad := fixture.CodeXinyuan[:17] + map[bool]string{true: "5", false: "4"}[fixture.CodeXinyuan[17] == '4']
	w = get(t, h, searchURLOf(bad))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "校验码不符") ||
		!strings.Contains(w.Body.String(), "/subjects/"+fixture.CodeXinyuan+"/") {
		t.Errorf("bad check character: %d", w.Code)
	}
	// A code in full: the code is marked.
	w = get(t, h, searchURLOf(fixture.CodeXinyuan))
	if !strings.Contains(w.Body.String(), "<mark>"+fixture.CodeXinyuan+"</mark>") {
		t.Error("the matched code is not marked")
	}
}

// TestSearchPasted: what people paste from a page — an entry id, a 认定文号 in another bracket style, a
// lenient code — finds its subject; the page and the API say which entry matched, and a lenient code gets
// the gentle notice, not the one that calls the input wrong.
func TestSearchPasted(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	for _, q := range []string{"盘市监罚(2026)142号", "盘市监罚［2026］142号", "E0000003"} {
		w := get(t, h, searchURLOf(q))
		doc := parseHTML(t, w.Body.Bytes())
		hits := find(doc, func(n *html.Node) bool { return hasClass(n, "search-hit") })
		if w.Code != 200 || len(hits) == 0 {
			t.Fatalf("%q: %d, %d hits", q, w.Code, len(hits))
		}
		if !strings.Contains(text(hits[0]), "盘锦鑫源化工有限公司") {
			t.Errorf("%q: first hit %q", q, text(hits[0]))
		}
		matched := find(hits[0], func(n *html.Node) bool { return hasClass(n, "hit-matched") })
		if len(matched) != 1 || !strings.Contains(text(matched[0]), "匹配的公示信息") ||
			!strings.Contains(text(matched[0]), "E0000003") || !strings.Contains(text(matched[0]), "盘市监罚〔2026〕142号") {
			t.Fatalf("%q: no matched entry in %q", q, text(hits[0]))
		}
		if links := find(matched[0], func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/black/E0000003/" }); len(links) != 1 {
			t.Errorf("%q: the matched entry does not link to its page", q)
		}

		w = get(t, h, apiURLOf(q))
		var res struct {
			Hits []struct {
				Name    string
				Matched *struct{ ID, List, URL, DecisionNo string } `json:"matched_entry"`
				Entries []any
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || len(res.Hits) == 0 {
			t.Fatalf("%q: api %s", q, w.Body)
		}
		if m := res.Hits[0].Matched; m == nil || m.ID != "E0000003" || m.URL != "/black/E0000003/" || res.Hits[0].Entries != nil {
			t.Errorf("%q: api hit %s", q, w.Body)
		}
	}

	code := lenientCode()
	for _, target := range []string{searchURLOf(code), apiURLOf(code)} {
		w := get(t, h, target)
		body := w.Body.String()
		if w.Code != 200 || !strings.Contains(body, "该代码未通过校验，但为认定部门报送的代码") ||
			strings.Contains(body, "统一社会信用代码有误") || !strings.Contains(body, "/subjects/"+code+"/") {
			t.Errorf("%s: %d, want the subject and the gentle notice: %s", target, w.Code, body)
		}
	}
	// A wrong check character of another code is still called wrong.
	bad := fixture.CodeHaiyun[:17] + "0"
	if bad == fixture.CodeHaiyun {
		bad = fixture.CodeHaiyun[:17] + "1"
	}
	if w := get(t, h, apiURLOf(bad)); !strings.Contains(w.Body.String(), "统一社会信用代码有误") {
		t.Errorf("%s: %s", bad, w.Body)
	}
}

func TestAPI(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	w := get(t, h, apiURLOf("鑫源"))
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("api: %d %v", w.Code, w.Header())
	}
	checkSecurityHeaders(t, "api", w)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for k := range raw {
		switch k {
		case "query", "notice", "total", "page", "pages", "size", "hits":
		default:
			t.Errorf("unexpected key %q", k)
		}
	}
	var res struct {
		Query       string
		Total       int
		Page, Pages int
		Hits        []map[string]json.RawMessage
	}
	json.Unmarshal(w.Body.Bytes(), &res)
	if res.Query != "鑫源" || res.Total != 1 || res.Page != 1 || res.Pages != 1 || len(res.Hits) != 1 {
		t.Fatalf("api result: %s", w.Body)
	}
	allowed := map[string]bool{}
	for _, f := range []string{"kind", "id", "url", "name", "code", "person", "lists", "list_names", "departments",
		"districts", "date", "summary", "segments", "code_matched", "matched_entry", "ref_matched", "score"} {
		allowed[f] = true
	}
	for k := range res.Hits[0] {
		if !allowed[k] {
			t.Errorf("hit key %q is not a field of search.Hit", k)
		}
	}
	if string(res.Hits[0]["url"]) != `"/subjects/`+fixture.CodeXinyuan+`/"` {
		t.Errorf("hit url %s", res.Hits[0]["url"])
	}

	// No hits: an empty list, not null.
	w = get(t, h, apiURLOf("量子引力研究所"))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"hits":[]`) {
		t.Errorf("no hits: %s", w.Body)
	}
	// size is honoured by the API (suggestions), up to search.MaxSize.
	w = get(t, h, apiURLOf("盘锦测试")+"&size=5")
	json.Unmarshal(w.Body.Bytes(), &res)
	if len(res.Hits) != 5 || res.Pages != 6 {
		t.Errorf("size=5: %d hits, %d pages", len(res.Hits), res.Pages)
	}

	for target, kind := range map[string]search.ErrorKind{
		"/api/search":                         search.ErrEmpty,
		apiURLOf(strings.Repeat("x", 101)):    search.ErrTooLong,
		apiURLOf("鑫源") + "&page=x":            search.ErrBadPage,
		apiURLOf("鑫源") + "&kind=person":       search.ErrBadFilter,
		apiURLOf("鑫源") + "&page=1000&size=50": search.ErrTooDeep,
	} {
		w := get(t, h, target)
		var e struct{ Error, Kind string }
		if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != http.StatusBadRequest ||
			e.Kind != string(kind) || e.Error == "" || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("%s: %d %s, want 400 kind %s", target, w.Code, w.Body, kind)
		}
	}
}

func TestRateLimit(t *testing.T) {
	s, _, _ := newServer(t, Options{RateLimit: 1, RateBurst: 3})
	h := s.Handler()
	for i := range 3 {
		if w := get(t, h, apiURLOf("鑫源")); w.Code != 200 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	w := get(t, h, apiURLOf("鑫源"))
	var e struct{ Error, Kind string }
	json.Unmarshal(w.Body.Bytes(), &e)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" || e.Kind != "rate_limited" ||
		e.Error != fmt.Sprintf(xinyong.MsgServeRateLimited, 1) {
		t.Errorf("over the limit: %d %v %s", w.Code, w.Header(), w.Body)
	}
	w = get(t, h, searchURLOf("鑫源"))
	if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), fmt.Sprintf(xinyong.MsgServeRateLimited, 1)) ||
		!strings.Contains(w.Body.String(), "site-header") {
		t.Errorf("search page over the limit: %d", w.Code)
	}
	// Pages are not limited, and another client has its own bucket.
	if w := get(t, h, "/about/"); w.Code != 200 {
		t.Errorf("page over the search limit: %d", w.Code)
	}
	r := httptest.NewRequest(http.MethodGet, apiURLOf("鑫源"), nil)
	r.RemoteAddr = "192.0.2.7:1234"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != 200 {
		t.Errorf("another client: %d", rec.Code)
	}
}

func TestLimiterMemoryBound(t *testing.T) {
	l := newLimiter(10, 20, 100)
	for i := range 1000 {
		a := netipFrom(i)
		if ok, _ := l.allow(a); !ok {
			t.Fatalf("a new client was refused")
		}
		if len(l.buckets) > 100 {
			t.Fatalf("%d clients remembered, max 100", len(l.buckets))
		}
	}
}

func TestPanicRecovered(t *testing.T) {
	s, _, logs := newServer(t, Options{})
	st := s.cur.Load()
	idx := st.index
	st.index = nil // Search on a nil index panics
	defer func() { st.index = idx }()
	w := get(t, s.Handler(), searchURLOf("鑫源化工"))
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), xinyong.MsgServeInternal) {
		t.Errorf("panic: %d", w.Code)
	}
	if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "panic") {
		t.Error("the panic was not logged")
	}
}

func TestNoRelease(t *testing.T) {
	_, err := New(t.TempDir(), Options{})
	if !errors.Is(err, ErrNoRelease) {
		t.Errorf("New without a release: %v", err)
	}
}

func TestLoggableQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"盘锦鑫源":                                     "盘锦鑫源",
		fixture.IDZhang:                            idNumberQuery,
		"11010519491231002x":                       idNumberQuery,
		"110105-19491231-002X":                     idNumberQuery,
		"张三" + fixture.IDZhang:                     idNumberQuery,
		strings.Repeat("鑫", 150):                   strings.Repeat("鑫", search.MaxQueryRunes) + "…",
		"a\nb":                                     "a b",
		fixture.CodeXinyuan:                        fixture.CodeXinyuan,
		fixture.IDZhang + strings.Repeat("x", 200): idNumberQuery,
	} {
		if got := loggableQuery(raw); got != want {
			t.Errorf("loggableQuery(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestLimiterRefill(t *testing.T) {
	l := newLimiter(2, 2, 10)
	now := time.Unix(1e9, 0)
	l.now = func() time.Time { return now }
	a := netipFrom(1)
	for i := range 2 {
		if ok, _ := l.allow(a); !ok {
			t.Fatalf("request %d refused within the burst", i)
		}
	}
	if ok, wait := l.allow(a); ok || wait != 500*time.Millisecond {
		t.Errorf("over the burst: ok %v, wait %v, want 500ms", ok, wait)
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.allow(a); !ok {
		t.Error("refused after the bucket refilled")
	}
	// An idle client is forgotten.
	now = now.Add(time.Hour)
	l.allow(netipFrom(2))
	if _, ok := l.buckets[a]; ok {
		t.Error("an idle client is still remembered")
	}
}

// netipFrom returns the i-th test address.
func netipFrom(i int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)})
}

// readable returns the ID numbers a reader could recover from an answer: from its text as sent, and from
// every attribute value and text node, with the query values of links decoded (a link's q=211103+19970117
// +1175 is the number).
func readable(t *testing.T, body string) []string {
	t.Helper()
	ids := fixture.ReadableIDNumbers(body)
	if u, err := url.QueryUnescape(strings.ReplaceAll(body, "%", "%25")); err == nil {
		ids = append(ids, fixture.ReadableIDNumbers(u)...)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return ids
	}
	for _, n := range find(doc, func(*html.Node) bool { return true }) {
		ids = append(ids, fixture.ReadableIDNumbers(n.Data)...)
		for _, a := range n.Attr {
			ids = append(ids, fixture.ReadableIDNumbers(a.Val)...)
			if u, err := url.Parse(a.Val); err == nil {
				for _, vs := range u.Query() {
					for _, v := range vs {
						ids = append(ids, fixture.ReadableIDNumbers(v)...)
					}
				}
			}
		}
	}
	return ids
}

// TestSearchPage_EchoesMasked: an ID number in any disguise, in the query or in any filter, is shown back
// nowhere, in the page (text, form values, the filter chips and their remove links, result links), the API
// or the log.
func TestSearchPage_EchoesMasked(t *testing.T) {
	s, _, logs := newServer(t, Options{RateLimit: -1})
	h := s.Handler()
	var targets []string
	for _, id := range append(slices.Clone(fixture.DisguisedIDs), fixture.HiddenIDs...) {
		e := url.QueryEscape(id)
		targets = append(targets,
			"/search/?q="+e+"&district=211102",
			"/search/?q="+e+"&district=211102&department=scjg&list_name=x&list=black&kind=subject",
			"/search/?q="+e+"&page=0&district=211102",
			"/search/?q=%E7%9B%98%E9%94%A6&district="+e,
			"/search/?q=%E7%9B%98%E9%94%A6&department="+e,
			"/search/?q=%E7%9B%98%E9%94%A6&list_name="+e+"&district=211102",
			"/search/?q=%E7%9B%98%E9%94%A6&list="+e+"&district=211102",
			"/search/?q=%E7%9B%98%E9%94%A6&kind="+e+"&district=211102",
			"/api/search?q="+e+"&district=211102",
			"/api/search?q=%E7%9B%98%E9%94%A6&department="+e,
			"/"+e+"/",
		)
	}
	for _, target := range targets {
		w := get(t, h, target)
		if ids := readable(t, w.Body.String()); len(ids) > 0 {
			t.Errorf("%s: %d, the answer shows the ID numbers %v", target, w.Code, ids)
		}
	}
	if ids := fixture.ReadableIDNumbers(logs.String()); len(ids) > 0 {
		t.Errorf("the log holds the ID numbers %v", ids)
	}
	// A filter chip still removes its filter, and keeps the query as shown.
	w := get(t, h, "/search/?q="+url.QueryEscape(fixture.DisguisedIDs[1])+"&district=211102")
	if !strings.Contains(w.Body.String(), xinyong.MsgSearchIDNumber) || !strings.Contains(w.Body.String(), "filter-chip") {
		t.Errorf("ID number with a filter: no notice or no chip:\n%s", w.Body)
	}
}
