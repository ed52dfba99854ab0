package render_test

import (
	"bytes"
	"context"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gohugoio/hugo/common/paths"

	"xinyong/generator"
	"xinyong/render"
	"xinyong/site"
	"xinyong/themes"
)

// TestRenderTree_ListNames: a list name's page shows its description above its entries and /list_names/
// groups the names under 守信红榜, 失信黑名单 and 其他名单; a description with HTML and template delimiters
// stays text; and Hugo, rendering the same tree with its own layouts, writes the same bytes.
func TestRenderTree_ListNames(t *testing.T) {
	b := fixtureSite(t)
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(b.content)); err != nil {
		t.Fatal(err)
	}
	const hostile = `<script>alert(1)</script>{{ .Site }}{{< param "x" >}}`
	var fm generator.Fields
	fm.Add("title", "失信被执行人")
	fm.Add("list", "black")
	fm.Add("procedure", "court")
	fm.Add("entry_departments", []string{"盘锦市中级人民法院"})
	fm.Add("what", "说明"+hostile)
	fm.Add("decided_by", hostile)
	var basis generator.Fields
	basis.Add("title", "《依据》"+hostile)
	basis.Add("url", `https://www.gov.cn/a"onmouseover="x`)
	fm.Add("basis", []generator.Fields{basis})
	fm.Add("measures", []string{"措施" + hostile})
	fm.Add("removal", []string{"移出" + hostile})
	page := filepath.Join(content, "list_names", "失信被执行人", "_index.md")
	if err := os.WriteFile(page, generator.Document(fm, ""), 0o644); err != nil {
		t.Fatal(err)
	}

	r, err := render.New(themes.Xinyong(), render.Options{Chrome: b.chrome})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := r.RenderTree(context.Background(), content, out, 0); err != nil {
		t.Fatal(err)
	}
	read := func(dir, rel string) string {
		t.Helper()
		got, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(got)
	}

	term := read(out, "list_names/失信被执行人/index.html")
	if strings.Contains(term, "<script>alert") || strings.Contains(term, `"onmouseover`) {
		t.Error("the description reached the page as HTML")
	}
	for _, want := range []string{
		`<h2 id="h-list-about">名单说明</h2>`, "说明&lt;script&gt;alert(1)&lt;/script&gt;{{ .Site }}{{&lt; param",
		`<h2 id="h-list-measures">惩戒措施</h2>`, `<h2 id="h-list-removal">如何移出</h2>`, "<li>移出&lt;script&gt;",
		`<a href="https://www.gov.cn/a%22onmouseover=%22x" rel="external">《依据》&lt;script&gt;`,
	} {
		if !strings.Contains(term, want) {
			t.Errorf("term page lacks %q", want)
		}
	}
	// The explanation comes before the entries; a court list does not point to credit repair.
	if about, table := strings.Index(term, "h-list-about"), strings.Index(term, `class="data-table`); about < 0 || table < about {
		t.Error("the explanation is not above the entries")
	}
	removal := term[strings.Index(term, "h-list-removal"):]
	if removal = removal[:strings.Index(removal, "</section>")]; strings.Contains(removal, `href="/repair/"`) {
		t.Error("a court list links the credit repair guide")
	}

	admin := read(out, "list_names/严重违法失信企业名单/index.html")
	if admin = admin[strings.Index(admin, "h-list-removal"):]; !strings.Contains(admin[:strings.Index(admin, "</section>")], `href="/repair/"`) {
		t.Error("an administrative list does not link the credit repair guide")
	}

	index := read(out, "list_names/index.html")
	at := func(s string) int {
		i := strings.Index(index, s)
		if i < 0 {
			t.Errorf("/list_names/ lacks %q", s)
		}
		return i
	}
	red, black, other := at(`<h2 id="h-list-red">守信红榜</h2>`), at(`<h2 id="h-list-black">失信黑名单</h2>`),
		at(`<h2 id="h-list-other">其他名单</h2>`)
	if n := at(">守信激励对象</a>"); n < red || n > black {
		t.Error("守信激励对象 is not under 守信红榜")
	}
	if n := at(">新设的失信名单</a>"); n < black || n > other {
		t.Error("新设的失信名单 is not under 失信黑名单")
	}
	if n := at("被篡改"); n < other {
		t.Error("the name without a page of its own is not under 其他名单")
	}
	at("<td data-label=\"说明\">说明&lt;script&gt;")
	at("<td data-label=\"说明\">说明尚未提供</td>")

	// Hugo alone, on the same tree: the same bytes.
	hugoTheme := filepath.Join(t.TempDir(), "theme")
	if err := os.CopyFS(hugoTheme, themes.Xinyong()); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(hugoTheme, "records")); err != nil {
		t.Fatal(err)
	}
	hugo := filepath.Join(t.TempDir(), "hugo")
	if _, err := site.Build(context.Background(), site.Options{Content: content, Out: hugo, ThemeDir: hugoTheme}); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"list_names/失信被执行人/index.html", "list_names/index.html", "list_names/新设的失信名单/index.html"} {
		if got, want := read(out, rel), read(hugo, rel); got != want {
			g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
			for i := range min(len(g), len(w)) {
				if g[i] != w[i] {
					t.Errorf("%s line %d:\n got %q\nwant %q", rel, i+1, g[i], w[i])
					break
				}
			}
			if !bytes.Equal([]byte(got), []byte(want)) && len(g) != len(w) {
				t.Errorf("%s: %d lines, Hugo %d", rel, len(g), len(w))
			}
		}
	}
}

// TestRenderTree_ListNamesWithPunctuation: a list name with spaces or punctuation gets its page where
// Hugo and the renderer both find it (generator.ListNamePath): its description shows, with its entries, and
// the bytes are Hugo's. A name where they would disagree gets none.
func TestRenderTree_ListNamesWithPunctuation(t *testing.T) {
	b := fixtureSite(t)
	content := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(content, os.DirFS(b.content)); err != nil {
		t.Fatal(err)
	}
	if _, ok := generator.ListNamePath("名单 = 乙"); ok {
		t.Error(`"名单 = 乙" gets a page: its directory "名单-=-乙" sanitizes to another term than the name`)
	}
	names := map[string]string{"black/E14.md": "失信被执行人（自然人）", "black/E32.md": "A B名单",
		"black/E15.md": "名单:甲=乙", "black/E17.md": "名单·《甲》"}
	for file, name := range names {
		path := filepath.Join(content, file)
		doc, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		const key = "list_names:\n  - \""
		s := string(doc)
		i := strings.Index(s, key)
		if i < 0 {
			t.Fatalf("%s: no list_names", file)
		}
		i += len(key)
		j := i + strings.Index(s[i:], "\"")
		if err := os.WriteFile(path, []byte(s[:i]+name+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		dir, ok := generator.ListNamePath(name)
		if !ok {
			t.Fatalf("%q gets no page", name)
		}
		var fm generator.Fields
		fm.Add("title", name)
		fm.Add("list", "black")
		fm.Add("what", "说明："+name)
		if err := os.MkdirAll(filepath.Join(content, "list_names", dir), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(content, "list_names", dir, "_index.md"), generator.Document(fm, ""), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: b.chrome})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := r.RenderTree(context.Background(), content, out, 0); err != nil {
		t.Fatal(err)
	}
	hugoTheme := filepath.Join(t.TempDir(), "theme")
	if err := os.CopyFS(hugoTheme, themes.Xinyong()); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(hugoTheme, "records")); err != nil {
		t.Fatal(err)
	}
	hugo := filepath.Join(t.TempDir(), "hugo")
	if _, err := site.Build(context.Background(), site.Options{Content: content, Out: hugo, ThemeDir: hugoTheme}); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		rel := filepath.Join("list_names", paths.Sanitize(name), "index.html")
		got, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(hugo, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the renderer's page is not Hugo's", rel)
		}
		if !strings.Contains(string(want), "说明："+html.EscapeString(name)) || !strings.Contains(string(want), "共 1 条") {
			t.Errorf("%s: Hugo's page lacks the description or the entry", rel)
		}
	}
	got, _ := os.ReadFile(filepath.Join(out, "list_names", "index.html"))
	want, _ := os.ReadFile(filepath.Join(hugo, "list_names", "index.html"))
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range min(len(g), len(w)) {
			if g[i] != w[i] {
				t.Errorf("list_names/index.html line %d:\n got %q\nwant %q", i+1, g[i], w[i])
				break
			}
		}
	}
}
