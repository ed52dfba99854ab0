package generator_test

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"xinyong/generator"
	"xinyong/internal/fixture"
)

// hostile are strings that a careless writer or reader would get wrong.
var hostile = []string{
	"盘锦", "---", "\n---\n", "a: b", "- c", "#d", `"`, `\`, `\"`, `a"b\c`, "a\nb\tc", "\r\n", "\x00\x01\x1f\x7f",
	"\u2028\u2029", "\u202e\ufeff", "\U0001F600", "\U000F0000", "{{< x >}}", "&a *b", "!!binary AA==", "? k", "%YAML 1.2",
	"null", "~", "true", "0x10", "2026-01-01", "  leading", "trailing  ", "' single", "：全角",
}

// entryFields is a typical entry page's front matter, with the keys and value types the export writes.
func entryFields() generator.Fields {
	var subj generator.Fields
	subj.Add("key", "91211100MA0XXXXX1X")
	subj.Add("id", "S000123")
	subj.Add("kind", "business")
	subj.Add("name", "盘锦鑫源化工有限公司")
	subj.Add("credit_code", "91211100MA0XXXXX1X")
	subj.Add("credit_code_valid", true)
	subj.Add("legal_rep", "张三")
	subj.Add("district", "211102")
	subj.Add("district_name", "双台子区")
	var dept generator.Fields
	dept.Add("code", "scjgj")
	dept.Add("name", "盘锦市市场监督管理局")
	dept.Add("credit_code", "11211100MB1234567X")
	dept.Add("phone", "0427-2800000")
	var fm generator.Fields
	fm.Add("title", "盘锦鑫源化工有限公司")
	fm.Add("description", "严重违法失信名单：未按规定期限公示年度报告，经责令限期改正仍未改正。")
	fm.Add("date", "2026-03-15")
	fm.Add("lastmod", "2026-03-16T09:30:00+08:00")
	fm.Add("id", "E0001234")
	fm.Add("list", "black")
	fm.Add("list_name", "严重违法失信名单")
	fm.Add("procedure", "admin")
	fm.Add("subject", subj)
	fm.Add("reason", "未按规定期限公示年度报告，经责令限期改正仍未改正。\n第二段：\"引号\" 与 \\ 反斜杠。")
	fm.Add("basis", "《企业信息公示暂行条例》第十七条")
	fm.Add("decision_no", "盘市监严列〔2026〕142号")
	fm.Add("measures", []string{"限制参加政府采购", "限制取得政府资金支持", "在招投标中予以限制"})
	fm.Add("department", dept)
	fm.Add("severity", "serious")
	fm.Add("decided_on", "2026-03-10")
	fm.Add("valid_from", "2026-03-15")
	fm.Add("valid_to", "2029-03-14")
	fm.Add("legal_max_end", "2029-03-15")
	fm.Add("public_until", "2029-03-14")
	fm.Add("repair_from", "2027-03-16")
	fm.Add("updated_at", "2026-03-16T09:30:00+08:00")
	fm.Add("departments", []string{"scjgj"})
	fm.Add("districts", []string{"211102"})
	fm.Add("list_names", []string{"严重违法失信名单"})
	return fm
}

func TestReadPage_RoundTrip(t *testing.T) {
	item := func(kv ...any) generator.Fields {
		var f generator.Fields
		for i := 0; i < len(kv); i += 2 {
			f = append(f, generator.Field{Key: kv[i].(string), Value: kv[i+1]})
		}
		return f
	}
	tests := []struct {
		name string
		fm   generator.Fields
		body string
	}{
		{"empty", nil, ""},
		{"empty with body", nil, "正文"},
		{"entry page", entryFields(), generator.PlainMarkdown("未按规定期限公示年度报告。")},
		{"scalars", item("s", "x", "empty", "", "t", true, "f", false, "zero", 0, "neg", -42,
			"max", math.MaxInt, "min", math.MinInt), "body\n"},
		{"hostile strings", item("list", hostile, "m", item("a", strings.Join(hostile, ""))), "---\ntitle: x\n---\n"},
		{"invalid UTF-8", item("s", "\xff\xfea\xc3", "l", []string{"\xed\xa0\x80"}), ""},
		{"lists of mappings", item(
			"entries", []generator.Fields{
				item("id", "E1", "num", 1),
				item("sub", item("deep", item("x", "1")), "after", []string{"a", "b"}),
				item("list", []string{"x"}, "maps", []generator.Fields{item("a", "1"), item("b", true, "c", "2")}),
			},
			"after", "top"), ""},
		{"nested lists", item("m", item("l", []string{"a"}, "lm", []generator.Fields{item("k", "v")}, "num", item("x", 1))), ""},
		{"body of newlines", item("a", "b"), "\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := generator.Document(tt.fm, tt.body)
			got, body, err := generator.ReadPage(doc)
			if err != nil {
				t.Fatalf("ReadPage: %v\n%s", err, doc)
			}
			if want := validFields(tt.fm); !got.Equal(want) {
				t.Errorf("ReadPage = %#v\nwant %#v", got, want)
			}
			wantBody := tt.body
			if wantBody != "" && !strings.HasSuffix(wantBody, "\n") {
				wantBody += "\n"
			}
			if string(body) != wantBody {
				t.Errorf("body = %q, want %q", body, wantBody)
			}
			if again := generator.Document(got, string(body)); !bytes.Equal(again, generator.Document(validFields(tt.fm), tt.body)) {
				t.Errorf("Document(ReadPage(doc)) differs:\n%s", again)
			}
			checkYAML(t, doc, got)
		})
	}
}

// validFields returns fm with its strings as QuoteYAML writes them back: each invalid byte a U+FFFD.
func validFields(fm generator.Fields) generator.Fields {
	if fm == nil {
		return nil
	}
	out := make(generator.Fields, len(fm))
	for i, f := range fm {
		out[i] = generator.Field{Key: f.Key, Value: validValue(f.Value)}
	}
	return out
}

func validValue(v any) any {
	switch x := v.(type) {
	case string:
		return perByteValid(x)
	case []string:
		l := make([]string, len(x))
		for i, s := range x {
			l[i] = perByteValid(s)
		}
		return l
	case generator.Fields:
		return validFields(x)
	case []generator.Fields:
		l := make([]generator.Fields, len(x))
		for i, m := range x {
			l[i] = validFields(m)
		}
		return l
	}
	return v
}

// checkYAML checks that goccy/go-yaml, the YAML library Hugo reads front matter with, reads doc's front
// matter as fm.
func checkYAML(t testing.TB, doc []byte, fm generator.Fields) {
	t.Helper()
	rest := doc[4:]
	end := 0
	if !bytes.HasPrefix(rest, []byte("---\n")) {
		end = bytes.Index(rest, []byte("\n---\n")) + 1
	}
	var got map[string]any
	if err := yaml.Unmarshal(rest[:end], &got); err != nil {
		t.Fatalf("goccy/go-yaml: %v\n%s", err, doc)
	}
	want := plain(fm).(map[string]any)
	if len(fm) == 0 && got == nil {
		return
	}
	if !reflect.DeepEqual(plainYAML(got), want) {
		t.Fatalf("goccy/go-yaml reads %#v\nReadPage %#v\n%s", got, want, doc)
	}
}

// plain returns a front matter value as generic Go values, ints as int64.
func plain(v any) any {
	switch x := v.(type) {
	case generator.Fields:
		m := make(map[string]any, len(x))
		for _, f := range x {
			m[f.Key] = plain(f.Value)
		}
		return m
	case []generator.Fields:
		l := make([]any, len(x))
		for i, f := range x {
			l[i] = plain(f)
		}
		return l
	case []string:
		l := make([]any, len(x))
		for i, s := range x {
			l[i] = s
		}
		return l
	case int:
		return int64(x)
	}
	return v
}

// plainYAML returns what goccy/go-yaml decoded with its ints as int64.
func plainYAML(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = plainYAML(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = plainYAML(e)
		}
		return l
	case uint64:
		if x > math.MaxInt64 {
			return x
		}
		return int64(x)
	case int:
		return int64(x)
	}
	return v
}

func TestReadPage_Errors(t *testing.T) {
	tests := []struct {
		name, page string
		line       int
	}{
		{"no front matter", "title: x\n", 1},
		{"not closed", "---\ntitle: \"x\"\n", 2},
		{"CRLF", "---\r\ntitle: \"x\"\r\n---\r\n", 1},
		{"plain string", "---\ntitle: x\n---\n", 2},
		{"single quotes", "---\ntitle: 'x'\n---\n", 2},
		{"no space", "---\ntitle:\"x\"\n---\n", 2},
		{"two spaces", "---\ntitle:  \"x\"\n---\n", 2},
		{"trailing text", "---\ntitle: \"x\" # c\n---\n", 2},
		{"comment", "---\n# c\n---\n", 2},
		{"flow list", "---\nl: [\"a\"]\n---\n", 2},
		{"float", "---\nn: 1.5\n---\n", 2},
		{"leading zero", "---\nn: 007\n---\n", 2},
		{"plus sign", "---\nn: +1\n---\n", 2},
		{"yes", "---\nb: yes\n---\n", 2},
		{"null", "---\nb: null\n---\n", 2},
		{"no value", "---\na:\nb: \"x\"\n---\n", 3},
		{"no value at end", "---\na:\n---\n", 3},
		{"repeated key", "---\na: \"x\"\na: \"y\"\n---\n", 3},
		{"bad key", "---\na b: \"x\"\n---\n", 2},
		{"quoted key", "---\n\"a\": \"x\"\n---\n", 2},
		{"digit key", "---\n1: \"x\"\n---\n", 2},
		{"null key", "---\nnull: \"x\"\n---\n", 2}, // goccy/go-yaml reads it as the key ""
		{"bool key", "---\nOn: \"x\"\n---\n", 2},
		{"indented key", "---\n a: \"x\"\n---\n", 2},
		{"tab indent", "---\nm:\n\tx: \"y\"\n---\n", 3},
		{"over-indented", "---\nm:\n    x: \"y\"\n---\n", 3},
		{"under-indented item", "---\nl:\n- \"a\"\n---\n", 3},
		{"mixed list", "---\nl:\n  - \"a\"\n  - b: \"c\"\n---\n", 4},
		{"mixed list of mappings", "---\nl:\n  - b: \"c\"\n  - \"a\"\n---\n", 4},
		{"item key misaligned", "---\nl:\n  - a: \"1\"\n     b: \"2\"\n---\n", 4},
		{"list then key", "---\nl:\n  - \"a\"\n  x: \"b\"\n---\n", 4},
		{"raw tab", "---\ns: \"a\tb\"\n---\n", 2},
		{"raw U+2028", "---\ns: \"a\u2028b\"\n---\n", 2},
		{"raw BOM", "---\ns: \"\ufeff\"\n---\n", 2},
		{"invalid UTF-8", "---\ns: \"\xff\"\n---\n", 2},
		{"escape \\r", "---\ns: \"\\r\"\n---\n", 2},
		{"escape \\x", "---\ns: \"\\x41\"\n---\n", 2},
		{"escape \\/", "---\ns: \"\\/\"\n---\n", 2},
		{"surrogate", "---\ns: \"\\uD800\"\n---\n", 2},
		{"beyond Unicode", "---\ns: \"\\U00110000\"\n---\n", 2},
		{"short escape", "---\ns: \"\\u12\"\n---\n", 2},
		{"unclosed string", "---\ns: \"abc\n---\n", 2},
		{"backslash at end", "---\ns: \"abc\\\n---\n", 2},
		{"body without blank line", "---\na: \"b\"\n---\nbody\n", 4},
		{"body without newline", "---\na: \"b\"\n---\n\nbody", 4},
		{"blank line only", "---\na: \"b\"\n---\n\n", 4},
		{"blank line in front matter", "---\na: \"b\"\n\n---\n", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := generator.ReadPage([]byte(tt.page))
			var fe *generator.FrontMatterError
			if !errors.As(err, &fe) {
				t.Fatalf("ReadPage(%q) = %v, want a *FrontMatterError", tt.page, err)
			}
			if fe.Line != tt.line {
				t.Errorf("ReadPage(%q): %v; want line %d", tt.page, err, tt.line)
			}
		})
	}
}

func TestReadKeys(t *testing.T) {
	doc := generator.Document(entryFields(), "正文 withdrawn: true\n---\n")
	got, err := generator.ReadKeys(doc, "public_until", "withdrawn", "list_name", "subject")
	if err != nil {
		t.Fatal(err)
	}
	full, _, _ := generator.ReadPage(doc)
	want := generator.Fields{
		{Key: "list_name", Value: "严重违法失信名单"},
		{Key: "subject", Value: full.Mapping("subject")},
		{Key: "public_until", Value: "2029-03-14"},
	}
	if !got.Equal(want) {
		t.Errorf("ReadKeys = %#v, want %#v", got, want)
	}
	if d, err := got.Date("public_until"); err != nil || d.String() != "2029-03-14" {
		t.Errorf("Date(public_until) = %v, %v", d, err)
	}
	if got.Bool("withdrawn") {
		t.Error("withdrawn read from the body")
	}
	// A nested key of the same name is not the top-level key.
	nested := generator.Document(generator.Fields{{Key: "m", Value: generator.Fields{{Key: "withdrawn", Value: true}}}}, "")
	if fm, err := generator.ReadKeys(nested, "withdrawn"); err != nil || fm.Bool("withdrawn") {
		t.Errorf("ReadKeys(nested withdrawn) = %v, %v", fm, err)
	}
	if _, err := generator.ReadKeys([]byte("---\nid: x\n---\n"), "id"); err == nil {
		t.Error("ReadKeys read a plain string")
	}
	if _, err := generator.ReadKeys([]byte("no front matter"), "id"); err == nil {
		t.Error("ReadKeys: no error for a page without front matter")
	}
}

func TestFields_Accessors(t *testing.T) {
	fm, _, err := generator.ReadPage(generator.Document(entryFields(), ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := fm.String("list_name"); got != "严重违法失信名单" {
		t.Errorf("String = %q", got)
	}
	if got := fm.Mapping("subject").Bool("credit_code_valid"); !got {
		t.Error("Mapping(subject).Bool(credit_code_valid) = false")
	}
	if got := fm.Strings("measures"); len(got) != 3 || got[2] != "在招投标中予以限制" {
		t.Errorf("Strings = %q", got)
	}
	if got := fm.String("subject"); got != "" {
		t.Errorf("String of a mapping = %q", got)
	}
	if _, err := fm.Date("reason"); err == nil {
		t.Error("Date of a reason: no error")
	}
	if d, err := fm.Date("missing"); err != nil || !d.IsZero() {
		t.Errorf("Date(missing) = %v, %v", d, err)
	}
	if got := (generator.Fields{{Key: "n", Value: 7}}).Int("n"); got != 7 {
		t.Errorf("Int = %d", got)
	}
	if got := (generator.Fields{{Key: "l", Value: []generator.Fields{{{Key: "a", Value: "b"}}}}}).Mappings("l"); len(got) != 1 || got[0].String("a") != "b" {
		t.Errorf("Mappings = %v", got)
	}
}

// TestReadPage_Export reads every page of the hostile fixture's export: each is read, goccy/go-yaml reads
// the same values, and writing what was read gives back the page byte for byte.
func TestReadPage_Export(t *testing.T) {
	out, _, _ := MustExport(t, fixture.MustFixture(t, true))
	pages := 0
	for rel, page := range readTree(t, out) {
		if !strings.HasSuffix(rel, ".md") {
			continue
		}
		pages++
		fm, body, err := generator.ReadPage(page)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		checkYAML(t, page, fm)
		if again := generator.Document(fm, string(body)); !bytes.Equal(again, page) {
			t.Errorf("%s: Document(ReadPage(page)) differs:\n%s\nwant\n%s", rel, again, page)
		}
		switch {
		case strings.HasPrefix(rel, "red/") || strings.HasPrefix(rel, "black/"):
			if rel == "red/_index.md" || rel == "black/_index.md" {
				break
			}
			e, err := generator.ReadEntryPage(page)
			if err != nil || e.ID == "" || e.ID != fm.String("id") || e.Subject.Name != fm.Mapping("subject").String("name") ||
				e.Department.Code != fm.Mapping("department").String("code") || len(e.Measures) != len(fm.Strings("measures")) {
				t.Errorf("%s: ReadEntryPage = %+v, %v", rel, e, err)
			}
		case strings.HasPrefix(rel, "cases/") && rel != "cases/_index.md":
			c, err := generator.ReadCasePage(page)
			if err != nil || c.ID == "" || c.Withdrawn != fm.Bool("withdrawn") || c.Subject.Key != fm.Mapping("subject").String("key") {
				t.Errorf("%s: ReadCasePage = %+v, %v", rel, c, err)
			}
		case rel == "_index.md":
			h, err := generator.ReadHomePage(page)
			if err != nil || h.AsOf != fixture.AsOf.String() || len(h.DataVersion) != 16 {
				t.Errorf("%s: ReadHomePage = %+v, %v", rel, h, err)
			}
		}
	}
	if pages < 20 {
		t.Fatalf("only %d pages", pages)
	}
}

func TestReadEntryPage_WrongType(t *testing.T) {
	fm := generator.Fields{{Key: "id", Value: "E1"}, {Key: "measures", Value: "not a list"}}
	if _, err := generator.ReadEntryPage(generator.Document(fm, "")); err == nil || !strings.Contains(err.Error(), "measures") {
		t.Errorf("ReadEntryPage with a string for measures: %v", err)
	}
}

// FuzzReadPage_RoundTrip: for front matter of every shape the export writes, built from arbitrary strings
// and ints, ReadPage gives back what Document wrote, and goccy/go-yaml reads the same values.
func FuzzReadPage_RoundTrip(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, s, -1, "body")
	}
	f.Add("\xff\xfe", "\xed\xa0\x80", math.MaxInt, "")
	f.Fuzz(func(t *testing.T, a, b string, n int, body string) {
		var inner generator.Fields
		inner.Add("x", b)
		inner.Add("num", n)
		inner.Add("l", []string{a, b})
		var fm generator.Fields
		fm.Add("title", a)
		fm.Add("flag", n%2 == 0)
		fm.Add("count", n)
		fm.Add("list", []string{b, a, ""})
		fm.Add("m", inner)
		fm.Add("items", []generator.Fields{inner, {{Key: "a", Value: a}}, {{Key: "deep", Value: inner}, {Key: "b", Value: b}}})
		doc := generator.Document(fm, body)
		got, gotBody, err := generator.ReadPage(doc)
		if err != nil {
			t.Fatalf("ReadPage: %v\n%s", err, doc)
		}
		if want := validFields(fm); !got.Equal(want) {
			t.Fatalf("ReadPage = %#v\nwant %#v", got, want)
		}
		if body != "" && !strings.HasSuffix(body, "\n") {
			body += "\n"
		}
		if string(gotBody) != body {
			t.Fatalf("body = %q, want %q", gotBody, body)
		}
		checkYAML(t, doc, got)
	})
}

// FuzzReadPage: whatever page ReadPage accepts, goccy/go-yaml reads the same values from it (so Hugo sees
// what the later stages see), writing it again gives a page read the same way, and ReadKeys reads the
// keys it is asked for as ReadPage does.
func FuzzReadPage(f *testing.F) {
	f.Add([]byte(generator.Document(entryFields(), "正文")))
	f.Add([]byte("---\nl:\n  - a: \"1\"\n    m:\n      x: \"\\u2028\"\n  - b: true\n---\n"))
	f.Add([]byte("---\nn: -5\ns: \"\\U0001F600\\\\\\\"\"\nl:\n  - \"x\"\n---\n\nbody\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nid: \"C1\"\nm:\n  withdrawn: false\nwithdrawn: true\n---\n"))
	f.Fuzz(func(t *testing.T, page []byte) {
		fm, body, err := generator.ReadPage(page)
		if err != nil {
			return
		}
		checkYAML(t, page, fm)
		again, body2, err := generator.ReadPage(generator.Document(fm, string(body)))
		if err != nil || !again.Equal(fm) || !bytes.Equal(body, body2) {
			t.Fatalf("written again: %#v, %v", again, err)
		}
		// ReadKeys reads the keys it is asked for as ReadPage does.
		keys := []string{"withdrawn", "list_name", "l", "m"}
		var want generator.Fields
		for _, f := range fm {
			if slices.Contains(keys, f.Key) {
				want = append(want, f)
			}
		}
		if some, err := generator.ReadKeys(page, keys...); err != nil || !some.Equal(want) {
			t.Fatalf("ReadKeys = %#v, %v; ReadPage has %#v", some, err, want)
		}
	})
}

// BenchmarkReadPage reads a typical entry page's front matter with ReadPage, ReadKeys (two keys) and
// goccy/go-yaml (into a map and into a struct, as the downloads did before ReadPage).
//
//	go test ./generator -run XXX -bench ReadPage -benchmem
func BenchmarkReadPage(b *testing.B) {
	doc := generator.Document(entryFields(), generator.PlainMarkdown("未按规定期限公示年度报告，经责令限期改正仍未改正。"))
	fmEnd := bytes.Index(doc[4:], []byte("\n---\n")) + 5
	yamlText := doc[4:fmEnd]
	b.Run("ReadPage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := generator.ReadPage(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReadEntryPage", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := generator.ReadEntryPage(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ReadKeys", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := generator.ReadKeys(doc, "withdrawn", "public_until"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goccy-map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var m map[string]any
			if err := yaml.Unmarshal(yamlText, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goccy-struct", func(b *testing.B) {
		type subject struct {
			Key, ID, Kind, Name string
		}
		var v struct {
			ID       string   `yaml:"id"`
			List     string   `yaml:"list"`
			ListName string   `yaml:"list_name"`
			Reason   string   `yaml:"reason"`
			Measures []string `yaml:"measures"`
			Subject  subject  `yaml:"subject"`
		}
		b.ReportAllocs()
		for b.Loop() {
			if err := yaml.Unmarshal(yamlText, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
