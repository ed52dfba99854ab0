package changes_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"xinyong"
	"xinyong/changes"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/site"
)

// TestPage_YAML parses the pages' front matter with the YAML library Hugo uses and checks the values.
func TestPage_YAML(t *testing.T) {
	idx := &changes.Index{Release: "R2", Versions: []changes.VersionInfo{
		{Release: "R2", Previous: "R1", AsOf: "2026-06-16", BuiltAt: time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC),
			Counts: changes.Counts{Added: 1, Removed: 1}, File: "R2.json", Size: 2048, SHA256: strings.Repeat("a", 64)},
	}}
	f := &changes.DeltaFile{DeltaHead: changes.DeltaHead{Release: "R2", AsOf: "2026-06-16", Counts: idx.Versions[0].Counts},
		Added:   []changes.FileItem{{List: "black", ID: "E1", ListName: "失信\"被执行人\"\n---\n{{ x }}", URL: "https://x/black/E1/"}},
		Removed: []changes.Ref{{List: "red", ID: "E2"}}}
	// The entry's page in the export tree being published: what the pages show of it. Hostile values must
	// stay values.
	content := t.TempDir()
	var entry generator.Fields
	entry.Add("title", "王某\"某\"\n---\n{{ x }}")
	entry.Add("id", "E1")
	entry.Add("list", "black")
	entry.Add("list_name", "失信\"被执行人\"\n---\n{{ x }}")
	var dept generator.Fields
	dept.Add("code", "fy")
	dept.Add("name", "盘锦市中级人民法院")
	entry.Add("department", dept)
	if err := os.MkdirAll(filepath.Join(content, "black"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(content, "black", "E1.md"), generator.Document(entry, ""), 0o644); err != nil {
		t.Fatal(err)
	}
	var section struct {
		Title    string
		Versions []struct {
			Release, URL   string
			BuiltAt        string `yaml:"built_at"`
			Added, Removed int
			SizeText       string `yaml:"size_text"`
		}
		Latest []struct {
			AddedGroups []struct {
				List     string
				ListName string `yaml:"list_name"`
				Count    int
				Items    []struct{ ID, URL, Name, Department string }
			} `yaml:"added_groups"`
			RemovedLists []struct {
				List  string
				Count int
			} `yaml:"removed_lists"`
			RemovedItems []map[string]string `yaml:"removed_items"`
		}
	}
	parse(t, changes.Page(content, idx, []*changes.DeltaFile{f}), &section)
	if section.Title != xinyong.MsgChangesTitle || len(section.Versions) != 1 || len(section.Latest) != 1 {
		t.Fatalf("section page: %+v", section)
	}
	v := section.Versions[0]
	if v.URL != "/changes/R2/" || v.BuiltAt != "2026-06-16T02:00:00+08:00" || v.Added != 1 || v.Removed != 1 || v.SizeText != "2.0 KB" {
		t.Errorf("version %+v", v)
	}
	g := section.Latest[0].AddedGroups
	if len(g) != 1 || g[0].List != "black" || g[0].ListName != entry.String("list_name") || g[0].Count != 1 || len(g[0].Items) != 1 {
		t.Fatalf("added groups %+v", g)
	}
	if it := g[0].Items[0]; it.ID != "E1" || it.URL != "/black/E1/" || it.Name != entry.String("title") || it.Department != "盘锦市中级人民法院" {
		t.Errorf("added item %+v", it)
	}
	if l := section.Latest[0].RemovedLists; len(l) != 1 || l[0].List != "red" || l[0].Count != 1 {
		t.Errorf("removed lists %+v", l)
	}
	if r := section.Latest[0].RemovedItems[0]; len(r) != 2 || r["list"] != "red" || r["id"] != "E2" {
		t.Errorf("removed item %v", r)
	}

	var rel struct {
		Title, Description string
		Weight             int
		PreviousURL        string `yaml:"previous_url"`
	}
	parse(t, changes.ReleasePage(content, idx.Versions[0], f, 1, true), &rel)
	if rel.Title != fmt.Sprintf(xinyong.MsgChangesReleaseTitle, "2026年6月16日", "R2") || rel.Weight != 1 ||
		rel.PreviousURL != "/changes/R1/" || rel.Description != fmt.Sprintf(xinyong.MsgChangesCounts, 1, 0, 1) {
		t.Errorf("release page %+v", rel)
	}
}

func parse(t *testing.T, doc []byte, v any) {
	t.Helper()
	rest, ok := bytes.CutPrefix(doc, []byte("---\n"))
	fm, _, ok2 := bytes.Cut(rest, []byte("\n---\n"))
	if !ok || !ok2 {
		t.Fatalf("no front matter:\n%s", doc)
	}
	if err := yaml.Unmarshal(fm, v); err != nil {
		t.Fatalf("YAML: %v\n%s", err, doc)
	}
}

// rss is the part of an RSS 2.0 feed the test reads.
type rss struct {
	Channel struct {
		Title string `xml:"title"`
		Items []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			PubDate     string `xml:"pubDate"`
			Description string `xml:"description"`
		} `xml:"item"`
	} `xml:"channel"`
}

// TestPages_Build does what the pipeline does over 56 publications (55 small ones, then the fixture 400
// days later) and builds the last release's site with Hugo: /changes/, a release page and the feed of the
// latest 50.
func TestPages_Build(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	r1 := release(t, data, "20260615T020000Z", fixture.AsOf)
	stage(t, "", r1, meta("20260615T020000Z", "", fixture.AsOf))
	// 54 more publications of R1's tree, one a day: only the delta files and the index matter here.
	prevData := filepath.Join(r1, "site", changes.SiteDataDir)
	prevID := "20260615T020000Z"
	d0, err := changes.Diff(ctx, filepath.Join(r1, "content"), filepath.Join(r1, "content"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 54; i++ {
		id := fmt.Sprintf("202607%02dT%02d0000Z", 1+i/24, i%24)
		out := filepath.Join(data, "scratch", id)
		if _, err := changes.WriteFiles(ctx, prevData, out, meta(id, prevID, fixture.AsOf.AddDays(i)), d0); err != nil {
			t.Fatal(err)
		}
		prevData, prevID = out, id
	}
	// The last one: the fixture 400 days later, compared with R1's tree, after the 54.
	const last = "20270720T020000Z"
	r2 := release(t, data, last, fixture.AsOf.AddDays(400))
	content := filepath.Join(r2, "content")
	d, err := changes.Diff(ctx, filepath.Join(r1, "content"), content)
	if err != nil {
		t.Fatal(err)
	}
	scratch := scratchDir(r2)
	idx, err := changes.WriteFiles(ctx, prevData, scratch, meta(last, prevID, fixture.AsOf.AddDays(400)), d)
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Versions) != 56 {
		t.Fatalf("index of %d versions, want 56", len(idx.Versions))
	}
	if err := changes.WritePages(content, scratch, idx); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(r2, "site")
	if _, err := site.Build(ctx, site.Options{Content: content, Out: out}); err != nil {
		t.Fatalf("build: %v", err)
	}

	// What the pages show of an added entry: its page's title, list name and department, in this release.
	e08, _, err := generator.ReadPage([]byte(read(t, filepath.Join(content, "red", "E08.md"))))
	if err != nil {
		t.Fatal(err)
	}
	e08Item := `<a href="/red/E08/">` + html.EscapeString(e08.String("title")) + `</a> <code class="code">E08</code> <span class="muted">` +
		html.EscapeString(e08.Mapping("department").String("name")) + `</span>`
	e08Group := `<span class="badge badge-red">守信红榜</span> ` + html.EscapeString(e08.String("list_name")) + `（`
	sectionHTML := read(t, filepath.Join(out, "changes", "index.html"))
	releaseHTML := read(t, filepath.Join(out, "changes", last, "index.html"))
	for _, w := range []string{
		"<h1>" + xinyong.MsgChangesTitle + "</h1>",
		`<a href="/changes/index.xml" type="application/rss+xml">`,
		`<a href="/changes/` + last + `/"><time datetime="2027-07-20T10:00:00&#43;08:00">2027年7月20日 10:00</time></a>`,
		`<a href="/data/changes/` + last + `.json">` + last + `.json</a>`,
		`<a href="/data/changes/index.json">index.json</a>`,
		e08Group,
		e08Item,
		`<code class="code">E02</code>`,
	} {
		if !strings.Contains(sectionHTML, w) {
			t.Errorf("/changes/ lacks %q", w)
		}
	}
	for _, w := range []string{
		"<h1>" + fmt.Sprintf(xinyong.MsgChangesReleaseTitle, "2027年7月20日", last) + "</h1>",
		fmt.Sprintf(xinyong.MsgChangesCounts, len(d.Added), len(d.Changed), len(d.Removed)),
		e08Group,
		e08Item,
		`<a href="/cases/C04/">`,
		`<a href="/changes/` + prevID + `/"><code class="code">` + prevID + `</code></a>`,
		`<code class="code">` + idx.Versions[0].SHA256 + `</code>`,
	} {
		if !strings.Contains(releaseHTML, w) {
			t.Errorf("/changes/%s/ lacks %q", last, w)
		}
	}
	// R1 is the first publication: summarised by list and department, no entry listed.
	r1HTML := read(t, filepath.Join(out, "changes", "20260615T020000Z", "index.html"))
	for _, w := range []string{"这是本站开始记录更新以来的第一次发布", "按名单统计", "按认定部门统计", `<th scope="row">盘锦市市场监督管理局</th>`} {
		if !strings.Contains(r1HTML, w) {
			t.Errorf("R1's page lacks %q", w)
		}
	}
	if strings.Contains(r1HTML, `<code class="code">E`) || strings.Contains(r1HTML, `href="/red/E`) || strings.Contains(r1HTML, `href="/black/E`) {
		t.Errorf("R1's page lists entries:\n%s", r1HTML)
	}
	// The 54 releases between added nothing; the last one's E02 left: a count per list and its id.
	if !strings.Contains(releaseHTML, `<code class="code">E02</code>`) || strings.Contains(releaseHTML, `href="/black/E02/"`) {
		t.Error("the last release's page does not list E02 as removed by id only")
	}
	names := goneNames(t, filepath.Join(r1, "content"), content, d.Removed)
	for path, page := range map[string]string{"/changes/": sectionHTML, "/changes/" + last + "/": releaseHTML, "R1": r1HTML} {
		for _, bad := range []string{"changes", "%!", "<no value>", "ZgotmplZ"} {
			if strings.Contains(strings.ReplaceAll(page, "/changes/", ""), bad) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
		for _, name := range names {
			if strings.Contains(page, name) {
				t.Errorf("%s names a removed entry: %q\n%s", path, name, page)
			}
		}
	}

	var feed rss
	b := []byte(read(t, filepath.Join(out, "changes", "index.xml")))
	if err := xml.Unmarshal(b, &feed); err != nil {
		t.Fatalf("the feed does not parse: %v", err)
	}
	items := feed.Channel.Items
	if len(items) != 50 {
		t.Fatalf("the feed has %d items, want 50", len(items))
	}
	first := items[0]
	if first.Link != "https://credit.panjin.gov.cn/changes/"+last+"/" || first.PubDate != "Tue, 20 Jul 2027 10:00:00 +0800" ||
		first.Description != fmt.Sprintf(xinyong.MsgChangesCounts, len(d.Added), len(d.Changed), len(d.Removed)) {
		t.Errorf("first item %+v", first)
	}
	for _, name := range names {
		if bytes.Contains(b, []byte(name)) {
			t.Errorf("the feed names a removed entry: %q", name)
		}
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
