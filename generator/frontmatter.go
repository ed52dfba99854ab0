package generator

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"xinyong"
)

// Front matter is written by hand, not by a YAML library, so that its form is fixed by this file: every
// string is one double-quoted line with everything but printable characters escaped, so no value can end
// the front matter ("---"), start a new key, or change type, whatever the database holds. The same fixed
// form is what ReadPage and ReadKeys (frontread.go), its exact inverse, read back for every later stage.

// Field is one key of a front matter block. Value is a string, bool, int, []string, []Fields or Fields.
type Field struct {
	Key   string
	Value any
}

// Fields is an ordered front matter mapping.
type Fields []Field

// Add appends a key; empty strings, nil slices and zero-length lists are left out so that a page template
// can test a key for presence.
func (f *Fields) Add(key string, v any) {
	switch x := v.(type) {
	case string:
		if x == "" {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	case []Fields:
		if len(x) == 0 {
			return
		}
	case Fields:
		if len(x) == 0 {
			return
		}
	}
	*f = append(*f, Field{key, v})
}

// Document returns a Markdown document: YAML front matter between "---" lines, then body.
func Document(fm Fields, body string) []byte {
	doc, _ := appendDocument(make([]byte, 0, documentCap(body)), fm, body)
	return doc
}

// documentCap is a capacity for a document with body that seldom needs to grow: most front matter is
// under 2 KB.
func documentCap(body string) int { return 2048 + len(body) + len(body)/8 }

// appendDocument appends Document(fm, body) to b, and returns where its closing "---" line starts.
func appendDocument(b []byte, fm Fields, body string) (out []byte, closing int) {
	b = append(b, "---\n"...)
	b = appendMapping(b, fm, "")
	closing = len(b)
	b = append(b, "---\n"...)
	if body != "" {
		b = append(b, '\n')
		b = append(b, body...)
		if !strings.HasSuffix(body, "\n") {
			b = append(b, '\n')
		}
	}
	return b, closing
}

func appendMapping(b []byte, fm Fields, indent string) []byte {
	for _, f := range fm {
		b = append(b, indent...)
		b = append(b, f.Key...) // keys are identifiers chosen by this package, never data
		b = append(b, ':')
		b = appendValue(b, f.Value, indent)
	}
	return b
}

func appendValue(b []byte, v any, indent string) []byte {
	switch x := v.(type) {
	case string:
		b = append(b, ' ')
		b = appendQuoteYAML(b, x)
		b = append(b, '\n')
	case bool:
		b = append(b, ' ')
		b = strconv.AppendBool(b, x)
		b = append(b, '\n')
	case int:
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(x), 10)
		b = append(b, '\n')
	case []string:
		b = append(b, '\n')
		for _, s := range x {
			b = append(b, indent...)
			b = append(b, "  - "...)
			b = appendQuoteYAML(b, s)
			b = append(b, '\n')
		}
	case Fields:
		b = append(b, '\n')
		b = appendMapping(b, x, indent+"  ")
	case []Fields:
		b = append(b, '\n')
		inner := indent + "    "
		for _, m := range x {
			for i, f := range m {
				if i == 0 {
					b = append(b, indent...)
					b = append(b, "  - "...)
				} else {
					b = append(b, inner...)
				}
				b = append(b, f.Key...)
				b = append(b, ':')
				b = appendValue(b, f.Value, inner)
			}
		}
	default:
		panic("generator: unsupported front matter value")
	}
	return b
}

// QuoteYAML returns s as a YAML double-quoted scalar on one line. Everything that is not a printable,
// non-special character is escaped, so the result is plain ASCII punctuation plus printable text.
func QuoteYAML(s string) string {
	return string(appendQuoteYAML(make([]byte, 0, len(s)+2), s))
}

// appendQuoteYAML appends QuoteYAML(s) to b.
func appendQuoteYAML(b []byte, s string) []byte {
	b = append(b, '"')
	for i, w := 0, 0; i < len(s); i += w {
		if c := s[i]; c < utf8.RuneSelf {
			w = 1
			switch {
			case c == '"':
				b = append(b, `\"`...)
			case c == '\\':
				b = append(b, `\\`...)
			case c == '\n':
				b = append(b, `\n`...)
			case c == '\t':
				b = append(b, `\t`...)
			case c >= 0x20 && c != 0x7f:
				b = append(b, c)
			default:
				b = append(b, `\u`...)
				b = appendHex4(b, uint32(c))
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\uFFFD`...)
		case r >= 0x4e00 && r <= 0x9fff:
			b = append(b, s[i:i+size]...) // CJK unified ideographs, most of our text: all printable
		case unicode.IsPrint(r) && r != 0xfeff:
			b = utf8.AppendRune(b, r)
		case r <= 0xffff:
			b = append(b, `\u`...)
			b = appendHex4(b, uint32(r))
		default:
			b = append(b, `\U`...)
			b = appendHex4(b, uint32(r)>>16)
			b = appendHex4(b, uint32(r)&0xffff)
		}
	}
	return append(b, '"')
}

func appendHex4(b []byte, v uint32) []byte {
	const digits = "0123456789ABCDEF"
	return append(b, digits[v>>12&0xf], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf])
}

// DescriptionRunes is the length limit of a page description in characters (runes), before the ellipsis.
const DescriptionRunes = 120

// Description makes a page's description from plain text: runs of white space become one space, and text
// over DescriptionRunes characters is cut with an ellipsis. The site prints it as the meta description and
// in OpenGraph and JSON-LD; html/template escapes it there.
func Description(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= DescriptionRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == DescriptionRunes {
			return s[:i] + xinyong.MsgEllipsis
		}
		n++
	}
	return s
}
