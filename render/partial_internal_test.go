package render

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"xinyong/themes"
)

// partialTheme is a theme whose entry layout prints a partial with partialCached keyed by the page's
// section, and whose partial prints the page's title: on purpose against the rule (a cached partial is
// given only what its variants decide), so that the tests can see whose output a page gets.
func partialTheme(t *testing.T) *Renderer {
	t.Helper()
	fsys := fstest.MapFS{
		"i18n/zh-cn.toml":     {Data: []byte("label = \"标签\"\n")},
		"records/baseof.html": {Data: []byte(`{{ block "main" . }}{{ end }}`)},
		"records/_partials/title.html": {Data: []byte(
			`<b>{{ .Title }}</b>{{ T "label" }}`)},
		"records/_partials/parts.html": {Data: []byte(
			`{{ define "_partials/inline/kind.html" }}<i>{{ . }}</i>{{ end }}`)},
		"records/entry.html": {Data: []byte(
			`{{ define "main" }}[{{ partialCached "title.html" . .Section }}|{{ partial "title.html" . }}]{{ end }}`)},
		"records/subject.html": {Data: []byte(
			`{{ define "main" }}{{ partialCached "inline/kind.html" .Title .Title }}{{ end }}`)},
	}
	c := &Chrome{Headers: map[string]template.HTML{"red": "", "black": "", "subjects": ""}}
	c.Site.Home = "https://example.org/"
	r, err := New(fsys, Options{Chrome: c})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func render1(t *testing.T, r *Renderer, section, title string) string {
	t.Helper()
	var b bytes.Buffer
	p := &Page{Kind: "page", Section: section, Title: title, RelPermalink: "/" + section + "/x/", IsPage: true,
		Params: map[string]any{}}
	if err := r.Render(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestPartialCached: partialCached renders a partial once per name and variants and gives every later page
// with the same variants that output (Hugo's semantics), while partial renders it each time; pages of
// another variant get their own output, and two different variants never share one, however their values
// print. What a cached partial prints is escaped by html/template as any partial's output.
func TestPartialCached(t *testing.T) {
	r := partialTheme(t)
	if got, want := render1(t, r, "red", "A"), "[<b>A</b>标签|<b>A</b>标签]"; got != want {
		t.Errorf("first red page: %q, want %q", got, want)
	}
	// Reused: the second red page gets the first's output from partialCached, its own from partial.
	if got, want := render1(t, r, "red", "B"), "[<b>A</b>标签|<b>B</b>标签]"; got != want {
		t.Errorf("second red page: %q, want %q (the cached partial reused)", got, want)
	}
	// Another variant: its own output, then reused within that variant.
	if got, want := render1(t, r, "black", "<script>C</script>"), "[<b>&lt;script&gt;C&lt;/script&gt;</b>标签|<b>&lt;script&gt;C&lt;/script&gt;</b>标签]"; got != want {
		t.Errorf("first black page: %q, want %q", got, want)
	}
	if got, want := render1(t, r, "black", "D"), "[<b>&lt;script&gt;C&lt;/script&gt;</b>标签|<b>D</b>标签]"; got != want {
		t.Errorf("second black page: %q, want %q", got, want)
	}
	if got, want := render1(t, r, "red", "E"), "[<b>A</b>标签|<b>E</b>标签]"; got != want {
		t.Errorf("third red page: %q, want %q", got, want)
	}
	// A partial defined inline in a partials file, keyed by a value it prints: one output per value.
	for _, title := range []string{"x", "<y>", "x"} {
		if got, want := render1(t, r, "subjects", title), "<i>"+template.HTMLEscapeString(title)+"</i>"; got != want {
			t.Errorf("subject %q: %q, want %q", title, got, want)
		}
	}

	// Variants that print alike are still different variants.
	for _, vs := range [][2][]any{
		{{"a b", "c"}, {"a", "b c"}},
		{{"true"}, {true}},
		{{"1"}, {1}},
		{{""}, {}},
		{{"a"}, {"a", ""}},
		{{[]string{"a", "b"}}, {[]string{"a b"}}},
		{{[]string{"a"}, "b"}, {[]string{"a", "b"}}},
		{{nil}, {""}},
	} {
		a, b := appendPartialKey(nil, "p.html", vs[0]), appendPartialKey(nil, "p.html", vs[1])
		if bytes.Equal(a, b) {
			t.Errorf("variants %#v and %#v share the key %q", vs[0], vs[1], a)
		}
	}
	if a, b := appendPartialKey(nil, "p.html", []any{"x"}), appendPartialKey(nil, "q.html", []any{"x"}); bytes.Equal(a, b) {
		t.Errorf("two partials share the key %q", a)
	}
	r.partials.mu.RLock()
	n := len(r.partials.cache)
	r.partials.mu.RUnlock()
	if n != 4 { // title.html red and black; inline/kind.html "x" and "<y>"
		t.Errorf("%d cached results, want 4", n)
	}
}

// TestPartialCached_Bounded: past maxCachedPartials results, a new variant is rendered every time it is
// called, with the same output, and nothing more is kept.
func TestPartialCached_Bounded(t *testing.T) {
	r := partialTheme(t)
	r.partials.mu.Lock()
	for i := range maxCachedPartials {
		r.partials.cache["filler"+strconv.Itoa(i)] = ""
	}
	full := len(r.partials.cache)
	r.partials.mu.Unlock()
	if got, want := render1(t, r, "subjects", "<n>"), "<i>&lt;n&gt;</i>"; got != want {
		t.Errorf("past the bound: %q, want %q", got, want)
	}
	if len(r.partials.cache) != full {
		t.Errorf("past the bound the cache grew from %d to %d", full, len(r.partials.cache))
	}
}

func TestPartialName(t *testing.T) {
	for in, want := range map[string]string{
		"entry/kind.html": "_partials/entry/kind.html", "_partials/x.html": "_partials/x.html",
		"partials/x.html": "_partials/x.html", "x": "_partials/x.html", "a.b/c": "_partials/a.b/c.html",
	} {
		if got := partialName(in); got != want {
			t.Errorf("partialName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTranslate_Substitute: for every message of the theme's i18n file, T's substitution prints what
// executing the message's template prints, for strings, ints, hostile text, missing and other values.
func TestTranslate_Substitute(t *testing.T) {
	tr, err := readTranslations(themes.Xinyong(), "zh-cn")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for key, m := range tr.tmpls {
		if m.parts == nil {
			continue
		}
		n++
		for _, v := range []any{"2026年6月15日", "<script>&{{ .X }}", 3, -12, "", nil, 2.5, []string{"a"}, true} {
			args := map[string]any{}
			for _, p := range m.parts {
				if p.field != "" {
					args[p.field] = v
				}
			}
			for _, a := range []map[string]any{args, {}} {
				var want strings.Builder
				if err := m.tmpl.Execute(&want, a); err != nil {
					t.Fatal(err)
				}
				got, err := tr.translate(key, a)
				if err != nil || got != want.String() {
					t.Errorf("T %q %v = %q, %v; the template prints %q", key, a, got, err, want.String())
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d messages are substitutions", n)
	}
}
