package generator_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"xinyong/generator"
)

// render renders Markdown as Hugo's default goldmark set-up does: GFM, raw HTML off.
func render(t testing.TB, md string) string {
	t.Helper()
	var buf bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote))
	if err := gm.Convert([]byte(md), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

var (
	tag        = regexp.MustCompile(`<[^>]*>`) // text "<" is escaped as &lt;, so every "<" starts a real tag
	unsafeTag  = regexp.MustCompile(`(?i)^<\s*/?\s*(script|iframe|frame|object|embed|style|form|svg|math|base|meta|link)\b`)
	handler    = regexp.MustCompile(`(?i)[\s/"']on[a-z]+\s*=`)
	unsafeHref = regexp.MustCompile(`(?i)(href|src|action|formaction)\s*=\s*["']?\s*(javascript|vbscript|livescript|data|file)\s*:`)
)

// assertSafeHTML fails if html has an element, attribute or URL that could run script.
func assertSafeHTML(t testing.TB, html, context string) {
	t.Helper()
	for _, m := range tag.FindAllString(html, -1) {
		for _, re := range []*regexp.Regexp{unsafeTag, handler, unsafeHref} {
			if re.MatchString(m) {
				t.Fatalf("%s: unsafe tag %q in:\n%s", context, m, html)
			}
		}
	}
}

func TestPlainMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"拒不履行。", "<p>拒不履行。</p>\n"},
		{"# 不是标题\n1. 不是列表", "<p># 不是标题<br>\n1. 不是列表</p>\n"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{"[点此](javascript:alert(1))", "<p>[点此](javascript:alert(1))</p>\n"},
		{"第一段\n\n第二段", "<p>第一段</p>\n<p>第二段</p>\n"},
		{"    缩进", "<p>缩进</p>\n"},
		{"&amp; *强调* `代码`", "<p>&amp;amp; *强调* `代码`</p>\n"},
	}
	for _, tt := range tests {
		md := generator.PlainMarkdown(tt.in)
		if got := render(t, md); got != tt.want {
			t.Errorf("PlainMarkdown(%q) renders %q, want %q", tt.in, got, tt.want)
		}
		if strings.Contains(md, "{{") {
			t.Errorf("PlainMarkdown(%q) = %q keeps a shortcode delimiter", tt.in, md)
		}
	}
}

func TestSafeMarkdown(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // substrings the rendered HTML must contain
	}{
		{"formatting kept", "## 标题\n\n**加粗** [信用中国](https://www.creditchina.gov.cn/)\n\n- 一\n- 二\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
			[]string{"<h2>标题</h2>", "<strong>加粗</strong>", `<a href="https://www.creditchina.gov.cn/">`, "<li>一</li>", "<td>1</td>"}},
		{"script block", "<script>alert(1)</script>\n", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}},
		{"inline html", "正文<img src=x onerror=alert(1)>内联", []string{"&lt;img src=x onerror=alert(1)&gt;"}},
		{"iframe", `<iframe src="javascript:alert(1)"></iframe>`, []string{"&lt;iframe"}},
		{"js link", "[点此](javascript:alert(1))", []string{"点此"}},
		{"mixed case", "[x](JaVaScRiPt:alert(2))", []string{"x"}},
		{"entity", "[y](&#106;avascript:alert(3))", []string{"y"}},
		{"autolink", "<javascript:alert(4)>", nil},
		{"data image", "![图](data:text/html;base64,PHNjcmlwdD4=)", nil},
		{"tab in scheme", "[z](java\tscript:alert(5))", nil},
		{"shortcode", `{{< param "title" >}} {{% x %}}`, []string{"param"}},
		{"shortcode in code", "```\n{{< x >}}\n```\n", []string{"<code>"}},
		{"html comment", "<!-- more --><!--more-->", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := generator.SafeMarkdown(tt.in)
			if strings.Contains(md, "{{") {
				t.Errorf("SafeMarkdown keeps a shortcode delimiter: %q", md)
			}
			html := render(t, md)
			assertSafeHTML(t, html, tt.name)
			if strings.Contains(html, "raw HTML omitted") {
				t.Errorf("raw HTML left for the renderer to drop: %s", html)
			}
			for _, w := range tt.want {
				if !strings.Contains(html, w) {
					t.Errorf("rendered %q, want it to contain %q", html, w)
				}
			}
		})
	}
}

func TestDangerousURL(t *testing.T) {
	for _, u := range []string{"javascript:alert(1)", " JAVASCRIPT:x", "java\tscript:x", "vbscript:x", "data:text/html,x", "file:///etc/passwd"} {
		if !generator.DangerousURL([]byte(u)) {
			t.Errorf("DangerousURL(%q) = false, want true", u)
		}
	}
	for _, u := range []string{"https://www.creditchina.gov.cn/", "/cases/C01/", "mailto:a@b.cn", "#top", "javascript"} {
		if generator.DangerousURL([]byte(u)) {
			t.Errorf("DangerousURL(%q) = true, want false", u)
		}
	}
}

// FuzzSafeMarkdown checks that whatever a department writes, the rendered page has no script, event
// handler or script URL, and no shortcode delimiter survives.
func FuzzSafeMarkdown(f *testing.F) {
	for _, s := range []string{"<script>x</script>", "[a](javascript:x)", "<a href=javascript:x>a</a>",
		"![i](data:x)", "{{< x >}}", "<div\nonclick=x>", "<!-- x -->", "`<script>`", "[a]: javascript:x\n\n[b][a]",
		"<svg/onload=x>", "&#60;script&#62;", "[a](<javascript:x>)", "<javascript:x>", "www.example.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		md := generator.SafeMarkdown(s)
		if strings.Contains(md, "{{") {
			t.Fatalf("shortcode delimiter survives: %q", md)
		}
		assertSafeHTML(t, render(t, md), "fuzz")
	})
}
