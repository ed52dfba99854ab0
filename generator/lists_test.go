package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
)

// TestListDescriptions_DemoNamesDescribed: the embedded descriptions cover every list name of the demo
// database (28; its rows of other lists are never published), each as the kind of list the demo puts it in, and each says all five things: what it is,
// who decides, its basis, its measures and how an entry ends.
func TestListDescriptions_DemoNamesDescribed(t *testing.T) {
	descs := generator.DefaultListDescriptions()
	db := fixture.MustDemo(t, 600)
	rows, err := db.SQL().Query(`SELECT DISTINCT list, list_name FROM xy_list_entries WHERE list IN ('red', 'black')`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := 0
	for rows.Next() {
		var list, name string
		if err := rows.Scan(&list, &name); err != nil {
			t.Fatal(err)
		}
		names++
		d, ok := descs[name]
		switch {
		case !ok:
			t.Errorf("%s: no default description", name)
		case d.List != list:
			t.Errorf("%s: described as %s, the demo's list is %s", name, d.List, list)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if names != 28 {
		t.Errorf("the demo has %d list names, want 28", names)
	}
	for name, d := range descs {
		if d.What == "" || d.DecidedBy == "" || len(d.Basis) == 0 || len(d.Measures) == 0 || len(d.Removal) == 0 {
			t.Errorf("%s: incomplete description %+v", name, d)
		}
		for _, b := range d.Basis {
			if b.URL != "" && !strings.HasPrefix(b.URL, "https://www.gov.cn/") {
				t.Errorf("%s: basis link %s is not on an official site this file is known to use", name, b.URL)
			}
		}
	}
}

// listPage reads the front matter of list_names/<name>/_index.md as Hugo parses it, or nil when missing.
func listPage(t *testing.T, files map[string][]byte, name string) map[string]any {
	t.Helper()
	doc, ok := files["list_names/"+name+"/_index.md"]
	if !ok {
		return nil
	}
	fm, _ := splitDoc(t, doc)
	return fm
}

// TestExport_ListNamePages: the export writes a page for each list name with public entries: the
// description for a described name, what is known for another, none for a name Hugo would not find; and the
// entries link their list name's page.
func TestExport_ListNamePages(t *testing.T) {
	out, _, _ := MustExport(t, fixture.MustFixture(t, true))
	files := readTree(t, out)

	court := listPage(t, files, "失信被执行人")
	if court == nil {
		t.Fatal("list_names/失信被执行人/_index.md missing")
	}
	want := generator.DefaultListDescriptions()["失信被执行人"]
	if court["title"] != "失信被执行人" || court["list"] != xinyong.ListBlack || court["procedure"] != xinyong.ProcedureCourt ||
		court["what"] != want.What || court["decided_by"] != want.DecidedBy {
		t.Errorf("失信被执行人: %v", court)
	}
	if m, _ := court["measures"].([]any); len(m) != len(want.Measures) {
		t.Errorf("失信被执行人: measures %v, want %d", court["measures"], len(want.Measures))
	}
	if r, _ := court["removal"].([]any); len(r) != len(want.Removal) || !strings.Contains(r[0].(string), "人民法院删除") {
		t.Errorf("失信被执行人: removal %v", court["removal"])
	}

	red := listPage(t, files, "守信激励对象")
	if red == nil || red["list"] != xinyong.ListRed || red["procedure"] != xinyong.ProcedureHonour {
		t.Errorf("守信激励对象: %v", red)
	} else if b, _ := red["basis"].([]any); len(b) != 2 || b[0].(map[string]any)["url"] == nil || b[1].(map[string]any)["url"] != nil {
		t.Errorf("守信激励对象: basis %v, want the State Council's opinion linked and the city's plan not", red["basis"])
	}

	// Not described: the kind, the department of its entries, and no description.
	plain := listPage(t, files, "新设的失信名单")
	if plain == nil {
		t.Fatal("list_names/新设的失信名单/_index.md missing")
	}
	if plain["list"] != xinyong.ListBlack || plain["what"] != nil || plain["measures"] != nil ||
		!slices.Equal(plain["entry_departments"].([]any), []any{"盘锦市市场监督管理局"}) {
		t.Errorf("新设的失信名单: %v", plain)
	}
	if plain["departments"] != nil {
		t.Error("新设的失信名单: a departments key files the page under that taxonomy")
	}

	// The hostile name keeps its entries' term page (Hugo's), without a file of ours.
	for name := range files {
		if strings.HasPrefix(name, "list_names/") && strings.Contains(name, "被篡改") {
			t.Errorf("%s written for a name Hugo does not find at that path", name)
		}
	}

	fm, _ := splitDoc(t, files["black/E14.md"])
	if fm["list_name_url"] != "/list_names/%E5%A4%B1%E4%BF%A1%E8%A2%AB%E6%89%A7%E8%A1%8C%E4%BA%BA/" {
		t.Errorf("E14: list_name_url %v", fm["list_name_url"])
	}
}

// TestExport_ListDescriptionsFile: a file named by list_descriptions replaces one name's description and
// adds another's, keeps the other defaults, and its text, hostile or not, is written as text.
func TestExport_ListDescriptionsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lists.toml")
	hostile := `<script>alert(1)</script>{{< param "x" >}}{{ .Site }}`
	file := `
[[lists]]
name = "失信被执行人"
list = "black"
what = '''本市的说明。
---
title: x'''
decided_by = "` + strings.ReplaceAll(hostile, `"`, `\"`) + `"
basis = [{ title = "《本市规定》" }]
measures = ["措施一", "` + strings.ReplaceAll(hostile, `"`, `\"`) + `"]
removal = ["移出一"]

[[lists]]
name = "新设的失信名单"
list = "black"
what = "新名单的说明。"
measures = ["新措施"]
`
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	lists, err := generator.LoadListDescriptions(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	x := &generator.Exporter{Source: fixture.MustFixture(t, true), AsOf: fixture.AsOf, Lists: lists}
	if _, err := x.Export(context.Background(), filepath.Join(dir, "content"), filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, filepath.Join(dir, "content"))

	court := listPage(t, files, "失信被执行人")
	if court["what"] != "本市的说明。 --- title: x" || court["decided_by"] != hostile {
		t.Errorf("失信被执行人: what %q decided_by %q", court["what"], court["decided_by"])
	}
	if court["title"] != "失信被执行人" {
		t.Errorf("失信被执行人: title %v: the description's text changed the front matter", court["title"])
	}
	if m := court["measures"].([]any); len(m) != 2 || m[1] != hostile {
		t.Errorf("失信被执行人: measures %v", m)
	}
	if plain := listPage(t, files, "新设的失信名单"); plain["what"] != "新名单的说明。" {
		t.Errorf("新设的失信名单: %v", plain)
	}
	if other := listPage(t, files, "严重违法失信企业名单"); other["what"] != generator.DefaultListDescriptions()["严重违法失信企业名单"].What {
		t.Errorf("严重违法失信企业名单 lost its default: %v", other)
	}
}

// TestParseListDescriptions_Refuses: a mistyped file is refused, not published.
func TestParseListDescriptions_Refuses(t *testing.T) {
	for _, tc := range []struct{ name, file string }{
		{"unknown key", "[[lists]]\nname = \"a\"\nlist = \"black\"\nmeasure = [\"x\"]\n"},
		{"no name", "[[lists]]\nlist = \"black\"\n"},
		{"bad list", "[[lists]]\nname = \"a\"\nlist = \"grey\"\n"},
		{"twice", "[[lists]]\nname = \"a\"\nlist = \"red\"\n[[lists]]\nname = \"a\"\nlist = \"red\"\n"},
		{"script url", "[[lists]]\nname = \"a\"\nlist = \"red\"\nbasis = [{ title = \"t\", url = \"javascript:alert(1)\" }]\n"},
		{"relative url", "[[lists]]\nname = \"a\"\nlist = \"red\"\nbasis = [{ title = \"t\", url = \"/x\" }]\n"},
	} {
		if _, err := generator.ParseListDescriptions([]byte(tc.file)); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
}

func TestListNameURL(t *testing.T) {
	for name, want := range map[string]string{
		"失信被执行人":      "/list_names/%E5%A4%B1%E4%BF%A1%E8%A2%AB%E6%89%A7%E8%A1%8C%E4%BA%BA/",
		"纳税信用A级纳税人":   "/list_names/%E7%BA%B3%E7%A8%8E%E4%BF%A1%E7%94%A8A%E7%BA%A7%E7%BA%B3%E7%A8%8E%E4%BA%BA/",
		"失信被执行人（自然人）": "/list_names/%E5%A4%B1%E4%BF%A1%E8%A2%AB%E6%89%A7%E8%A1%8C%E4%BA%BA%E8%87%AA%E7%84%B6%E4%BA%BA/",
		"A B":         "/list_names/A-B/",
		"a = b":       "",
		"../x":        "",
		"x/y":         "",
		"x#y":         "",
		"":            "",
	} {
		if got := generator.ListNameURL(name); got != want {
			t.Errorf("ListNameURL(%q) = %q, want %q", name, got, want)
		}
	}
}
