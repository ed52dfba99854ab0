package generator

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// PlainMarkdown returns plain text as Markdown that renders as exactly that text: every ASCII punctuation
// character is backslash-escaped (CommonMark allows it for all of them), so nothing in it can become a
// heading, list, link, emphasis, raw HTML, entity or Hugo shortcode. Paragraphs stay paragraphs and single
// line breaks become hard breaks. s should already be clean (see xinyong.CleanText).
func PlainMarkdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for pi, para := range splitParagraphs(s) {
		if pi > 0 {
			b.WriteString("\n\n")
		}
		for li, line := range para {
			if li > 0 {
				b.WriteString("\\\n") // hard line break
			}
			for _, r := range line {
				if r < 0x80 && isASCIIPunct(byte(r)) {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

func splitParagraphs(s string) [][]string {
	var paras [][]string
	var cur []string
	for _, line := range strings.Split(s, "\n") {
		// Leading spaces would make an indented code block.
		line = strings.TrimSpace(line)
		if line == "" {
			if cur != nil {
				paras = append(paras, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if cur != nil {
		paras = append(paras, cur)
	}
	return paras
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// mdParser parses like Hugo's default goldmark set-up (GFM: tables, strikethrough, linkify, task lists),
// so that what it finds is what Hugo would render.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote)).Parser()

// dangerousScheme matches URL schemes a browser would run or that leak local content. Browsers ignore ASCII
// tab and newline inside a scheme, so the pattern allows them between letters.
var dangerousScheme = regexp.MustCompile(`(?i)(j[\t\n ]*a[\t\n ]*v[\t\n ]*a[\t\n ]*s[\t\n ]*c[\t\n ]*r[\t\n ]*i[\t\n ]*p[\t\n ]*t|v[\t\n ]*b[\t\n ]*s[\t\n ]*c[\t\n ]*r[\t\n ]*i[\t\n ]*p[\t\n ]*t|livescript|data|file)([\t\n ]*):`)

// SafeMarkdown returns a department's Markdown with its formatting kept but nothing that could run or
// inject: raw HTML (block and inline) is escaped so it shows as text, links and images to script, data or
// file URLs lose their scheme, and "{{" cannot open a Hugo shortcode. Hugo's own renderer (raw HTML off)
// is the second line of defence, not the only one. s should already be clean (see xinyong.CleanText).
func SafeMarkdown(s string) string {
	src := []byte(s)
	// Shortcodes: Hugo looks for "{{<" and "{{%" everywhere in content, code included, before Markdown.
	// A zero-width joiner between the braces shows the same text but is no delimiter.
	src = splitBraces(src)
	for range 4 {
		spans, dangerousLinks := inspect(src)
		if len(spans) == 0 && !dangerousLinks {
			return string(src)
		}
		src = escapeSpans(src, spans)
		if dangerousLinks {
			src = dangerousScheme.ReplaceAll(src, []byte("$1$2\uFF1A")) // full-width colon: no longer a scheme
			// Entity-encoded schemes (&#106;avascript:) are decoded by Markdown; escaping "&" keeps them text.
			src = bytes.ReplaceAll(src, []byte("&"), []byte(`\&`))
		}
	}
	// Still not clean after several passes: fall back to showing every angle bracket and ampersand as text.
	src = bytes.ReplaceAll(src, []byte("<"), []byte(`\<`))
	return string(bytes.ReplaceAll(src, []byte("&"), []byte(`\&`)))
}

// splitBraces puts a word joiner between every two adjacent "{", so no "{{" is left ("{{{" included).
func splitBraces(src []byte) []byte {
	if !bytes.Contains(src, []byte("{{")) {
		return src
	}
	out := make([]byte, 0, len(src)+16)
	for i, c := range src {
		out = append(out, c)
		if c == '{' && i+1 < len(src) && src[i+1] == '{' {
			out = append(out, "\u2060"...)
		}
	}
	return out
}

type span struct{ start, stop int }

// inspect parses src and returns the byte ranges of raw HTML, and whether any link, image or autolink has
// a dangerous destination.
func inspect(src []byte) (spans []span, dangerous bool) {
	doc := mdParser.Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.RawHTML:
			for i := 0; i < x.Segments.Len(); i++ {
				seg := x.Segments.At(i)
				spans = append(spans, span{seg.Start, seg.Stop})
			}
		case *ast.HTMLBlock:
			lines := x.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				spans = append(spans, span{seg.Start, seg.Stop})
			}
			if x.HasClosure() {
				spans = append(spans, span{x.ClosureLine.Start, x.ClosureLine.Stop})
			}
		case *ast.Link:
			dangerous = dangerous || DangerousURL(x.Destination)
		case *ast.Image:
			dangerous = dangerous || DangerousURL(x.Destination)
		case *ast.AutoLink:
			dangerous = dangerous || DangerousURL(x.URL(src))
		}
		return ast.WalkContinue, nil
	})
	return spans, dangerous
}

// escapeSpans puts a backslash before every "<" inside the spans, which turns raw HTML into literal text.
func escapeSpans(src []byte, spans []span) []byte {
	if len(spans) == 0 {
		return src
	}
	mark := make([]bool, len(src))
	for _, sp := range spans {
		for i := sp.start; i < sp.stop && i < len(src); i++ {
			if src[i] == '<' {
				mark[i] = true
			}
		}
	}
	out := make([]byte, 0, len(src)+16)
	for i, c := range src {
		if mark[i] {
			out = append(out, '\\')
		}
		out = append(out, c)
	}
	return out
}

// DangerousURL reports whether a link destination uses a scheme that must never reach a page: javascript,
// vbscript, livescript, data or file, ignoring case, surrounding space and the control characters browsers
// strip from URLs.
func DangerousURL(u []byte) bool {
	var b []byte
	for _, c := range u {
		if c <= ' ' || c == 0x7f {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
		if len(b) > 12 {
			break
		}
	}
	for _, p := range []string{"javascript:", "vbscript:", "livescript:", "data:", "file:"} {
		if bytes.HasPrefix(b, []byte(p)) {
			return true
		}
	}
	return false
}

// maskStars finds the '*' of a masked ID number (110105********002X, 110105*****1002) in Markdown.
var maskStars = regexp.MustCompile(`[0-9X]\*{5,8}[0-9X]`)

// EscapeMasks escapes the '*' of masked ID numbers in a Markdown text, so that they show as written
// instead of pairing with other asterisks as emphasis (**211103********1188** would otherwise lose them).
func EscapeMasks(s string) string {
	return maskStars.ReplaceAllStringFunc(s, func(m string) string {
		return m[:1] + strings.Repeat(`\*`, len(m)-2) + m[len(m)-1:]
	})
}
