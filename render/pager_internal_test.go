package render

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"testing"

	"xinyong/themes"
)

// pagerBefore is records/_partials/pager.html as it was before Pager.Items (every link printed by the
// template itself): the reference the cached parts must print the same as.
const pagerBefore = `{{- $pag := . -}}
{{- $total := $pag.TotalPages -}}
{{- if gt $total 1 -}}
{{- $cur := $pag.PageNumber -}}
{{- $from := $pag.From -}}
{{- $to := $pag.To -}}
<nav class="pager" aria-label="{{ T "pagerLabel" }}">
  <ul>
    {{- with $pag.Prev }}
    <li><a href="{{ . }}" rel="prev">‹ {{ T "pagerPrev" }}</a></li>
    {{- end }}
    {{- if gt $from 1 }}
    <li><a href="{{ $pag.URLOf 1 }}" aria-label="{{ T "pagerPage" (dict "Number" 1) }}">1</a></li>
    {{- if gt $from 2 }}<li><span class="gap" aria-hidden="true">…</span></li>{{ end }}
    {{- end }}
    {{- range $n := $pag.Window }}
    {{- if eq $n $cur }}
    <li><span class="current" aria-current="page"><span class="visually-hidden">{{ T "pagerPage" (dict "Number" $n) }}</span><span aria-hidden="true">{{ $n }}</span></span></li>
    {{- else }}
    <li><a href="{{ $pag.URLOf $n }}" aria-label="{{ T "pagerPage" (dict "Number" $n) }}">{{ $n }}</a></li>
    {{- end }}
    {{- end }}
    {{- if lt $to $total }}
    {{- if lt $to (sub $total 1) }}<li><span class="gap" aria-hidden="true">…</span></li>{{ end }}
    <li><a href="{{ $pag.URLOf $total }}" aria-label="{{ T "pagerPage" (dict "Number" $total) }}">{{ $total }}</a></li>
    {{- end }}
    {{- with $pag.Next }}
    <li><a href="{{ . }}" rel="next">{{ T "pagerNext" }} ›</a></li>
    {{- end }}
  </ul>
  <p class="status">{{ T "pagerStatus" (dict "Number" $cur "Total" $total) }}</p>
</nav>
{{- end -}}`

// listRenderer is a renderer of the embedded theme with a chrome for every list (listChrome).
func listRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	r, err := New(themes.Xinyong(), Options{Chrome: listChrome()})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// listChrome is a chrome with every header a list needs.
func listChrome() *Chrome {
	c := &Chrome{Headers: map[string]template.HTML{"red": "<header>h</header>", "black": "", "subjects": ""},
		Assets: "<link rel=stylesheet href=/a.css>", Footer: "<footer>f</footer>"}
	c.Site.Home = "https://example.org/"
	c.Site.Params = map[string]any{}
	c.Site.HomeParams = map[string]any{}
	c.Lists = &ListChrome{Headers: map[string]template.HTML{}, DataStatus: "<p>ds</p>", Browse: "<p>br</p>"}
	for _, k := range []string{"red", "black", "subjects", "departments", "districts", "list_names",
		"departments/term", "districts/term", "list_names/term"} {
		c.Lists.Headers[k] = "<header>x</header>"
	}
	return c
}

// newPager is page n of pages of the list at base, as listPool.paged makes it.
func newPager(base string, n, pages int) *Pager {
	p := &Pager{PageNumber: n, TotalPages: pages, TotalNumberOfElements: pages * pagerSize,
		From: max(1, n-2), To: min(pages, n+2), base: base}
	if n > 1 {
		p.Prev = p.URLOf(n - 1)
	}
	if n < pages {
		p.Next = p.URLOf(n + 1)
	}
	return p
}

// TestPager_SameAsBefore: the embedded pager, which prints Pager.Items with cached parts, prints every page
// of lists of 1 to 12 pages exactly as the template that printed each link itself did, for two lists in
// the same build (so the cached links of one are never another's), one with a hostile term in its URL; and
// a link printed from the cache is the one printed for that list.
func TestPager_SameAsBefore(t *testing.T) {
	r := listRenderer(t)
	before, err := template.New("before").Funcs(r.funcs()).Parse(pagerBefore)
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"/red/", `/list_names/a"<b>'&%20+/`} {
		for pages := 1; pages <= 12; pages++ {
			for n := 1; n <= pages; n++ {
				var got, want bytes.Buffer
				if err := r.partials.t.ExecuteTemplate(&got, "_partials/pager.html", newPager(base, n, pages)); err != nil {
					t.Fatal(err)
				}
				if err := before.Execute(&want, newPager(base, n, pages)); err != nil {
					t.Fatal(err)
				}
				if got.String() != want.String() {
					t.Fatalf("%s page %d of %d:\n%s\nwant\n%s", base, n, pages, got.String(), want.String())
				}
			}
		}
	}
	cached := 0
	for k := range r.partials.cache {
		if strings.HasPrefix(k, "pager/item.html\x00") {
			cached++
		}
	}
	if cached == 0 {
		t.Error("no pager part cached")
	}
}

// TestPager_Items: what a pager lists, for a page in the middle, at the start and at the end of a list.
func TestPager_Items(t *testing.T) {
	str := func(items []PagerItem) string {
		var b []byte
		for _, it := range items {
			switch {
			case it.Gap:
				b = append(b, "… "...)
			case it.Current:
				b = append(b, "["+strconv.Itoa(it.Number)+"] "...)
			default:
				b = append(b, strconv.Itoa(it.Number)+":"+it.URL+" "...)
			}
		}
		return string(b)
	}
	for _, tc := range []struct {
		n, pages int
		want     string
	}{
		{1, 1, ""},
		{1, 2, "[1] 2:/r/page/2/ "},
		{7, 20, "1:/r/ … 5:/r/page/5/ 6:/r/page/6/ [7] 8:/r/page/8/ 9:/r/page/9/ … 20:/r/page/20/ "},
		{3, 6, "1:/r/ 2:/r/page/2/ [3] 4:/r/page/4/ 5:/r/page/5/ 6:/r/page/6/ "},
		{4, 6, "1:/r/ 2:/r/page/2/ 3:/r/page/3/ [4] 5:/r/page/5/ 6:/r/page/6/ "},
		{20, 20, "1:/r/ … 18:/r/page/18/ 19:/r/page/19/ [20] "},
	} {
		if got := str(newPager("/r/", tc.n, tc.pages).Items()); got != tc.want {
			t.Errorf("page %d of %d: %q, want %q", tc.n, tc.pages, got, tc.want)
		}
	}
}

// TestPartialCachedEach: partialCachedEach prints each item of a list with the cached part, keyed by the
// item (two items that differ in any field get their own output), whatever the list's type; a value that
// is not a list is an error.
func TestPartialCachedEach(t *testing.T) {
	r := listRenderer(t)
	items := []PagerItem{{Number: 1, URL: "/a/"}, {Gap: true}, {Number: 3, Current: true}, {Number: 3, URL: "/a/page/3/"},
		{Number: 4, URL: "/a/page/3/"}, {Number: 4, URL: "/b/page/4/"}}
	var want strings.Builder
	for _, it := range items {
		h, err := r.partial("pager/item.html", it)
		if err != nil {
			t.Fatal(err)
		}
		want.WriteString(string(h))
	}
	var anyItems []any
	for _, it := range items {
		anyItems = append(anyItems, it)
	}
	for _, list := range []any{items, anyItems, items} {
		got, err := r.partialCachedEach("pager/item.html", list)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want.String() {
			t.Errorf("%T: %q, want %q", list, got, want.String())
		}
	}
	for _, part := range []string{`class="current"`, `<a href="/a/page/3/" aria-label="第 3 页">3</a>`,
		`<a href="/a/page/3/" aria-label="第 4 页">4</a>`, `<a href="/b/page/4/"`} {
		if !strings.Contains(want.String(), part) {
			t.Errorf("no %s in %q", part, want.String())
		}
	}
	if _, err := r.partialCachedEach("pager/item.html", 3); err == nil {
		t.Error("partialCachedEach of an int: no error")
	}
}
