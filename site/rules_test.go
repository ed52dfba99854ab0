package site_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"golang.org/x/net/html"

	"xinyong"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
)

// TestBuild_WhatPagesSayAboutPeople scans the built site, page by page, for what docs/CONTRACT.md (wave 2)
// forbids: a case naming a subject that has no public subject page (or a person, beyond the case's own
// text), a court-list entry pointing to 信用中国 repair, a red-list entry mentioning 信用修复, a black entry
// without an end that the report does not name or whose page says "until removed", and the honour of a
// subject with a public serious black-list entry. On the hostile fixture and on the 2,000-entry demo.
func TestBuild_WhatPagesSayAboutPeople(t *testing.T) {
	for _, c := range []struct {
		key string
		db  func(t *testing.T) *exchange.DB
	}{
		{"fixture", func(t *testing.T) *exchange.DB { return fixture.MustFixture(t, true) }},
		{"demo", func(t *testing.T) *exchange.DB { return fixture.MustDemo(t, 2000) }},
	} {
		t.Run(c.key, func(t *testing.T) {
			out := MustBuild(t, c.key, c.db)
			checkWhatPagesSay(t, out, c.db(t))
		})
	}
}

func checkWhatPagesSay(t *testing.T, out string, db *exchange.DB) {
	content := filepath.Join(filepath.Dir(out), "content")
	report := reportKinds(t, filepath.Join(filepath.Dir(out), "quality", "report.json"))

	// Subjects with a public page, by name; persons apart.
	named := map[string]bool{} // names a case may add: organisations and businesses with a page
	subjects, _ := filepath.Glob(filepath.Join(content, "subjects", "*.md"))
	for _, p := range subjects {
		if filepath.Base(p) == "_index.md" {
			continue
		}
		fm := frontMatter(t, p)
		if name, _ := fm["name"].(string); fm["kind"] != xinyong.KindPerson {
			named[name] = true
		}
		// No honour of a subject with a public serious black-list entry.
		entries, _ := fm["entries"].([]any)
		var serious, red []string
		for _, e := range entries {
			e := e.(map[string]any)
			switch {
			case e["list"] == xinyong.ListBlack && e["severity"] == xinyong.SeveritySerious:
				serious = append(serious, e["id"].(string))
			case e["list"] == xinyong.ListRed:
				red = append(red, e["id"].(string))
			}
		}
		if len(serious) > 0 && len(red) > 0 {
			t.Errorf("%s: red %v published beside the serious black %v", filepath.Base(p), red, serious)
		}
	}

	// Cases: each names its subject only as the rule allows.
	rows, err := db.SQL().Query(`SELECT c.id, c.title || c.summary || c.body, s.name, s.kind
		FROM xy_cases c JOIN xy_subjects s ON s.id = c.subject_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	feed, _ := os.ReadFile(filepath.Join(out, "cases", "index.xml"))
	sitemap := readSitemaps(t, out)
	checked := 0
	for rows.Next() {
		var id, text, name, kind string
		if err := rows.Scan(&id, &text, &name, &kind); err != nil {
			t.Fatal(err)
		}
		if name == "" || strings.Contains(text, name) {
			continue // the department's own text names it
		}
		page, err := os.ReadFile(filepath.Join(out, "cases", id, "index.html"))
		if err != nil {
			continue // not public
		}
		checked++
		mayName := named[name] && kind != xinyong.KindPerson
		if !mayName && bytes.Contains(page, []byte(name)) {
			t.Errorf("cases/%s names %q, a subject without a public page or a person", id, name)
		}
		if !mayName && bytes.Contains(feed, []byte(name)) {
			t.Errorf("cases/index.xml names %q (case %s)", name, id)
		}
		if !mayName && strings.Contains(sitemap, name) {
			t.Errorf("the sitemap names %q (case %s)", name, id)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Errorf("no public case with a subject was checked")
	}

	// Entries: each says only what applies to its kind of list.
	var rules xinyong.Rules
	for _, list := range []string{xinyong.ListRed, xinyong.ListBlack} {
		files, _ := filepath.Glob(filepath.Join(content, list, "*.md"))
		for _, p := range files {
			id := strings.TrimSuffix(filepath.Base(p), ".md")
			if id == "_index" {
				continue
			}
			fm := frontMatter(t, p)
			proc, _ := rules.Procedure(&xinyong.Entry{List: list, ListName: fm["list_name"].(string)})
			if fm["procedure"] != proc {
				t.Errorf("%s/%s: procedure %v, want %s", list, id, fm["procedure"], proc)
			}
			text := mainText(t, filepath.Join(out, list, id, "index.html"))
			switch proc {
			case xinyong.ProcedureHonour:
				if strings.Contains(text, "信用修复") {
					t.Errorf("red/%s mentions 信用修复", id)
				}
			case xinyong.ProcedureCourt:
				if strings.Contains(text, "信用中国") || strings.Contains(text, "可申请信用修复") {
					t.Errorf("black/%s (court list) points to 信用修复 through 信用中国", id)
				}
			}
			if strings.Contains(text, "移出为止") {
				t.Errorf("%s/%s says it is published until removed", list, id)
			}
			_, sev := fm["severity"]
			_, to := fm["valid_to"]
			if list == xinyong.ListBlack && !sev && !to {
				if !report[id][generator.WarnNoEnd] {
					t.Errorf("black/%s has no end but is not in the data-quality report", id)
				}
				if !strings.Contains(text, "未设定") && !strings.Contains(text, "未载明") {
					t.Errorf("black/%s has no end but its page does not say the period is not set", id)
				}
			}
		}
	}
}

// frontMatter reads the YAML front matter of an exported file, as Hugo does.
func frontMatter(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := bytes.CutPrefix(b, []byte("---\n"))
	end := bytes.Index(rest, []byte("\n---\n"))
	if !ok || end < 0 {
		t.Fatalf("%s: no front matter", path)
	}
	fm := map[string]any{}
	if err := yaml.Unmarshal(rest[:end+1], &fm); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fm
}

// reportKinds returns the kinds of the report's items about list entries, by entry id.
func reportKinds(t *testing.T, path string) map[string]map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Items []generator.Item `json:"items"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]map[string]bool{}
	for _, it := range r.Items {
		if it.Table != "xy_list_entries" {
			continue
		}
		if kinds[it.ID] == nil {
			kinds[it.ID] = map[string]bool{}
		}
		kinds[it.ID][it.Kind] = true
	}
	return kinds
}

// mainText returns the text of a page's <main>, without the header, navigation and footer that every page
// shares (the navigation links to /repair/ under the name 信用修复 on every page).
func mainText(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := html.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var text func(n *html.Node, in bool)
	text = func(n *html.Node, in bool) {
		in = in || (n.Type == html.ElementNode && n.Data == "main")
		if in && n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			text(c, in)
		}
	}
	text(doc, false)
	if b.Len() == 0 {
		t.Fatalf("%s: no <main>", path)
	}
	return b.String()
}

// readSitemaps returns the text of every sitemap file of the site.
func readSitemaps(t *testing.T, out string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(out, "sitemap*.xml"))
	slices.Sort(files)
	var b strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}
