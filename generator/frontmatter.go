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
	var b strings.Builder
	b.WriteString("---\n")
	writeMapping(&b, fm, "")
	b.WriteString("---\n")
	if body != "" {
		b.WriteString("\n")
		b.WriteString(body)
		if !strings.HasSuffix(body, "\n") {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

func writeMapping(b *strings.Builder, fm Fields, indent string) {
	for _, f := range fm {
		b.WriteString(indent)
		b.WriteString(f.Key) // keys are identifiers chosen by this package, never data
		b.WriteString(":")
		writeValue(b, f.Value, indent)
	}
}

func writeValue(b *strings.Builder, v any, indent string) {
	switch x := v.(type) {
	case string:
		b.WriteByte(' ')
		b.WriteString(QuoteYAML(x))
		b.WriteByte('\n')
	case bool:
		b.WriteString(" " + strconv.FormatBool(x) + "\n")
	case int:
		b.WriteString(" " + strconv.Itoa(x) + "\n")
	case []string:
		b.WriteByte('\n')
		for _, s := range x {
			b.WriteString(indent + "  - " + QuoteYAML(s) + "\n")
		}
	case Fields:
		b.WriteByte('\n')
		writeMapping(b, x, indent+"  ")
	case []Fields:
		b.WriteByte('\n')
		for _, m := range x {
			for i, f := range m {
				if i == 0 {
					b.WriteString(indent + "  - ")
				} else {
					b.WriteString(indent + "    ")
				}
				b.WriteString(f.Key + ":")
				writeValue(b, f.Value, indent+"    ")
			}
		}
	default:
		panic("generator: unsupported front matter value")
	}
}

// QuoteYAML returns s as a YAML double-quoted scalar on one line. Everything that is not a printable,
// non-special character is escaped, so the result is plain ASCII punctuation plus printable text.
func QuoteYAML(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\uFFFD`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && r >= 0x20 && r != 0x7f:
			b.WriteByte(byte(r))
		case r >= 0x4e00 && r <= 0x9fff:
			b.WriteString(s[i : i+size]) // CJK unified ideographs, most of our text: all printable
		case r >= 0x80 && unicode.IsPrint(r) && r != 0xfeff:
			b.WriteRune(r)
		case r <= 0xffff:
			b.WriteString(`\u`)
			b.WriteString(hex4(uint32(r)))
		default:
			b.WriteString(`\U`)
			b.WriteString(hex4(uint32(r) >> 16))
			b.WriteString(hex4(uint32(r) & 0xffff))
		}
	}
	b.WriteByte('"')
	return b.String()
}

func hex4(v uint32) string {
	const digits = "0123456789ABCDEF"
	return string([]byte{digits[v>>12&0xf], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf]})
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
