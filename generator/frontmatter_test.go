package generator_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/goccy/go-yaml"

	"xinyong/generator"
)

// splitDoc splits a document as Hugo does: front matter between the first two "---" lines.
func splitDoc(t testing.TB, doc []byte) (fm map[string]any, body string) {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte("---\n")) {
		t.Fatalf("document does not start with ---: %q", firstLine(doc))
	}
	rest := doc[4:]
	end := bytes.Index(rest, []byte("\n---\n"))
	if end < 0 {
		t.Fatalf("no closing --- in %q", firstLine(doc))
	}
	fm = map[string]any{}
	// Hugo parses front matter with goccy/go-yaml (parser/metadecoders); so do we.
	if err := yaml.Unmarshal(rest[:end+1], &fm); err != nil {
		t.Fatalf("front matter does not parse: %v\n%s", err, rest[:end+1])
	}
	return fm, strings.TrimPrefix(string(rest[end+5:]), "\n")
}

func firstLine(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}

func TestDocument_RoundTrip(t *testing.T) {
	var nested generator.Fields
	nested.Add("name", "张三")
	nested.Add("n", 3)
	var fm generator.Fields
	fm.Add("title", "---\ntitle: x\n---")
	fm.Add("empty", "")
	fm.Add("flag", true)
	fm.Add("count", 42)
	fm.Add("list", []string{"a: b", "- c", "#d"})
	fm.Add("subject", nested)
	fm.Add("entries", []generator.Fields{nested, nested})
	doc := generator.Document(fm, "正文")
	got, body := splitDoc(t, doc)
	if got["title"] != "---\ntitle: x\n---" {
		t.Errorf("title = %q", got["title"])
	}
	if _, ok := got["empty"]; ok {
		t.Errorf("empty string written as a key")
	}
	if got["flag"] != true {
		t.Errorf("flag = %v, want true", got["flag"])
	}
	if n, ok := got["count"].(uint64); !ok || n != 42 {
		t.Errorf("count = %#v, want 42", got["count"])
	}
	if l, ok := got["list"].([]any); !ok || len(l) != 3 || l[0] != "a: b" || l[2] != "#d" {
		t.Errorf("list = %#v", got["list"])
	}
	if m, ok := got["subject"].(map[string]any); !ok || m["name"] != "张三" {
		t.Errorf("subject = %#v", got["subject"])
	}
	if l, ok := got["entries"].([]any); !ok || len(l) != 2 || l[1].(map[string]any)["name"] != "张三" {
		t.Errorf("entries = %#v", got["entries"])
	}
	if body != "正文\n" {
		t.Errorf("body = %q", body)
	}
}

func TestQuoteYAML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"盘锦", `"盘锦"`},
		{`a"b\c`, `"a\"b\\c"`},
		{"a\nb\tc", `"a\nb\tc"`},
		{"\x00\x7f\u2028\u202e\ufeff", `"\u0000\u007F\u2028\u202E\uFEFF"`},
		{"\xff", `"\uFFFD"`},
		{"\U0001F600", "\"\U0001F600\""},
		{"\U000F0000", `"\U000F0000"`},
	}
	for _, tt := range tests {
		if got := generator.QuoteYAML(tt.in); got != tt.want {
			t.Errorf("QuoteYAML(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzDocument checks that no string, however hostile, breaks the front matter: the document always splits
// where Hugo would split it, parses, and gives back exactly the string written (invalid UTF-8 excepted,
// which becomes U+FFFD).
func FuzzDocument(f *testing.F) {
	for _, s := range []string{"", "---", "\n---\n", "+++\ntitle = 1\n+++", "{{< x >}}", "a: b", "- [x]",
		"\x00", "\u2028", "\"'\\", "&anchor *alias", "!!binary AA==", "? key", "%YAML 1.2", "... ", "#",
		"\xff\xfe", "null", "~", "true", "0x10", "2026-01-01", "\t", "\r\n---\r\n", "|\n  block"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		var fm generator.Fields
		fm.Add("title", a)
		fm.Add("list", []string{b, a})
		var nested generator.Fields
		nested.Add("x", b)
		fm.Add("m", nested)
		doc := generator.Document(fm, "body")
		got, body := splitDoc(t, doc)
		if body != "body\n" {
			t.Fatalf("body = %q", body)
		}
		want := perByteValid(a)
		if a == "" {
			if _, ok := got["title"]; ok {
				t.Fatalf("empty title written")
			}
		} else if got["title"] != want {
			t.Fatalf("title = %q, want %q", got["title"], want)
		}
		if l, ok := got["list"].([]any); !ok || len(l) != 2 || l[0] != perByteValid(b) {
			t.Fatalf("list = %#v", got["list"])
		}
		for _, line := range strings.Split(string(doc), "\n") {
			for _, r := range line {
				if r != ' ' && (unicode.IsControl(r) || !unicode.IsPrint(r)) && r != utf8.RuneError {
					t.Fatalf("unescaped %U in front matter line %q", r, line)
				}
			}
		}
	})
}

// perByteValid replaces each invalid byte with U+FFFD, as QuoteYAML does.
func perByteValid(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r) // ranging over a string yields U+FFFD for each invalid byte
	}
	return b.String()
}

func TestDescription(t *testing.T) {
	const n = generator.DescriptionRunes
	long := strings.Repeat("失信", 70) // 140 characters
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"  盘锦\n\t鑫源  化工 ", "盘锦 鑫源 化工"},
		{strings.Repeat("字", n), strings.Repeat("字", n)},
		{long, long[:len("失")*n] + "…"},
	} {
		got := generator.Description(c.in)
		if got != c.want {
			t.Errorf("Description(%q) = %q, want %q", c.in, got, c.want)
		}
		if utf8.RuneCountInString(got) > n+1 {
			t.Errorf("Description(%q) is %d characters long", c.in, utf8.RuneCountInString(got))
		}
	}
}

// TestVersionedDocument: the version line written into the document is Version of the fields without it,
// and the document is Document of the fields with it.
func TestVersionedDocument(t *testing.T) {
	for _, tt := range []struct {
		fm   generator.Fields
		body string
	}{
		{generator.Fields{{Key: "title", Value: "x"}}, ""},
		{generator.Fields{{Key: "title", Value: "---\n"}, {Key: "subject", Value: generator.Fields{{Key: "name", Value: "a"}}}}, "body\n---\n"},
		{generator.Fields{{Key: "list", Value: []string{"a", "b"}}, {Key: "n", Value: 3}}, "正文"},
	} {
		v := generator.Version(tt.fm, tt.body)
		with := append(append(generator.Fields{}, tt.fm...), generator.Field{Key: generator.VersionKey, Value: v})
		if got, want := string(generator.VersionedDocument(tt.fm, tt.body)), string(generator.Document(with, tt.body)); got != want {
			t.Errorf("VersionedDocument:\n%s\nwant\n%s", got, want)
		}
		if len(v) != generator.VersionRunes {
			t.Errorf("version %q", v)
		}
	}
}
