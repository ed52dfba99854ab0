package generator

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"xinyong"
)

// The reader below is the inverse of Document, and only of Document. It reads the fixed form the writer
// emits (one key per line; nested mappings two spaces deeper; list items as "  - "; every string one
// double-quoted line; bools; ints) and rejects everything else with the line that is not in that form.
// It is not a YAML parser: a general one would accept, and quietly read differently from Hugo, forms the
// export never writes. Being exact is also what makes it fast: a page is read in one pass over its lines,
// with no tokens, no nodes and no reflection. FuzzReadPage checks that whatever it accepts, goccy/go-yaml
// (the library Hugo reads front matter with) reads the same.

// FrontMatterError is a page that is not in the form Document writes. Line counts from 1, the opening
// "---" being line 1. Callers add the file's path.
type FrontMatterError struct {
	Line int
	Msg  string
}

func (e *FrontMatterError) Error() string {
	return fmt.Sprintf("front matter line %d: %s", e.Line, e.Msg)
}

// ReadPage reads a page written by Document: its front matter, as the Fields that were written, and its
// body (Document's body argument with a final newline; nil when there is none). Strings come back exactly,
// but for invalid UTF-8, which Document wrote as U+FFFD. Anything not in Document's form is a
// *FrontMatterError.
func ReadPage(page []byte) (Fields, []byte, error) {
	p, err := newFMReader(page)
	if err != nil {
		return nil, nil, err
	}
	fm, err := p.mapping(0, false, nil)
	if err != nil {
		return nil, nil, err
	}
	body, err := p.body()
	if err != nil {
		return nil, nil, err
	}
	return fm, body, nil
}

// ReadKeys reads only the named top-level keys of a page written by Document and stops at the closing
// "---": the body is never looked at, and the values of other keys are skipped without being decoded.
// This is valid because of the writer's fixed form: a string is one line, so a line that starts at the
// first column is a top-level key, and every line of a nested value starts with a space. A page read this
// way is checked less than by ReadPage (the skipped values are not), but the keys it returns are read the
// same way. Keys are returned in the page's order; a key the page does not have is left out.
func ReadKeys(page []byte, keys ...string) (Fields, error) {
	p, err := newFMReader(page)
	if err != nil {
		return nil, err
	}
	if keys == nil {
		keys = []string{} // nil would read every key
	}
	return p.mapping(0, false, keys)
}

// fmReader reads the lines of one page's front matter.
type fmReader struct {
	page []byte
	pos  int // start of the next line
	line int // number of the next line
	end  int // start of the closing "---" line
}

func newFMReader(page []byte) (fmReader, error) {
	rest, ok := bytes.CutPrefix(page, []byte("---\n"))
	if !ok {
		return fmReader{}, &FrontMatterError{Line: 1, Msg: `no front matter: the page does not start with a "---" line`}
	}
	end := 4
	if !bytes.HasPrefix(rest, []byte("---\n")) {
		i := bytes.Index(rest, []byte("\n---\n"))
		if i < 0 {
			last := 1 + bytes.Count(bytes.TrimSuffix(page, []byte("\n")), []byte("\n"))
			return fmReader{}, &FrontMatterError{Line: last, Msg: `front matter not closed by a "---" line`}
		}
		end = 4 + i + 1
	}
	return fmReader{page: page, pos: 4, line: 2, end: end}, nil
}

// body returns what follows the closing line: nothing, or an empty line and the body.
func (p *fmReader) body() ([]byte, error) {
	rest := p.page[p.end+4:]
	if len(rest) == 0 {
		return nil, nil
	}
	body, ok := bytes.CutPrefix(rest, []byte("\n"))
	if !ok || len(body) == 0 || body[len(body)-1] != '\n' {
		return nil, &FrontMatterError{Line: p.line + 1, Msg: "the body is not an empty line and text ending in a newline"}
	}
	return body, nil
}

// peek returns the next line of the front matter without its newline: its leading spaces, whether they are
// followed by "- " (a list item, whose text starts two columns further), and its text. ok is false at the
// closing line.
func (p *fmReader) peek() (spaces int, dash bool, text []byte, ok bool) {
	if p.pos >= p.end {
		return 0, false, nil, false
	}
	line := p.page[p.pos : p.pos+bytes.IndexByte(p.page[p.pos:], '\n')]
	for spaces < len(line) && line[spaces] == ' ' {
		spaces++
	}
	text = line[spaces:]
	if len(text) >= 2 && text[0] == '-' && text[1] == ' ' {
		return spaces, true, text[2:], true
	}
	return spaces, false, text, true
}

// next moves to the following line.
func (p *fmReader) next() {
	p.pos += bytes.IndexByte(p.page[p.pos:], '\n') + 1
	p.line++
}

func (p *fmReader) errorf(format string, args ...any) error {
	return &FrontMatterError{Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// mapping reads the keys of a mapping whose keys start at column col. In a list of mappings (item), the
// first key's line is "- " two columns to the left. want, at the top level, names the only keys to read;
// the others are skipped (ReadKeys).
func (p *fmReader) mapping(col int, item bool, want []string) (Fields, error) {
	var fm Fields
	if want != nil {
		fm = make(Fields, 0, len(want))
	}
	for {
		spaces, dash, text, ok := p.peek()
		if !ok {
			break
		}
		if item && len(fm) == 0 {
			if !dash || spaces != col-2 {
				return nil, p.errorf("a list item must start with %q", strings.Repeat(" ", col-2)+"- ")
			}
		} else if spaces < col {
			return fm, nil // the end of a nested mapping
		} else if dash || spaces > col {
			return nil, p.errorf("indented %d spaces, want %d: not a key of the mapping", spaces, col)
		}
		key, rest, ok := bytes.Cut(text, []byte(":"))
		if !ok || !validKey(key) {
			return nil, p.errorf("%q is not a key: want a name of letters, digits and _ (not a word YAML reads as null or a bool) followed by \":\"", clip(text))
		}
		for _, f := range fm {
			if f.Key == string(key) {
				return nil, p.errorf("key %q repeated", key)
			}
		}
		if want != nil && !slices.Contains(want, string(key)) {
			p.skip(rest)
			continue
		}
		v, err := p.value(col, rest)
		if err != nil {
			return nil, err
		}
		fm = append(fm, Field{Key: string(key), Value: v})
	}
	if col > 0 && len(fm) == 0 {
		return nil, p.errorf("empty mapping")
	}
	return fm, nil
}

// skip moves past a value ReadKeys does not want: its line, and the lines of a nested value, which all
// start with a space.
func (p *fmReader) skip(rest []byte) {
	p.next()
	if len(rest) > 0 {
		return
	}
	for {
		spaces, _, _, ok := p.peek()
		if !ok || spaces == 0 {
			return
		}
		p.next()
	}
}

// value reads the value of the key on the current line, rest being what follows its ":", and the lines
// nested under it. col is the key's column.
func (p *fmReader) value(col int, rest []byte) (any, error) {
	if len(rest) > 0 {
		v, err := p.scalar(rest)
		p.next()
		return v, err
	}
	p.next()
	spaces, dash, text, ok := p.peek()
	switch {
	case !ok || spaces <= col:
		return nil, p.errorf("the key on the line above has no value")
	case spaces != col+2:
		return nil, p.errorf("indented %d spaces, want %d", spaces, col+2)
	case !dash:
		return p.mapping(col+2, false, nil)
	case len(text) > 0 && text[0] == '"':
		return p.strings(col + 2)
	default:
		var list []Fields
		for {
			spaces, dash, _, ok := p.peek()
			if !ok || spaces != col+2 || !dash {
				return list, nil
			}
			m, err := p.mapping(col+4, true, nil)
			if err != nil {
				return nil, err
			}
			list = append(list, m)
		}
	}
}

// strings reads a list of strings whose items are at column col.
func (p *fmReader) strings(col int) ([]string, error) {
	var list []string
	for {
		spaces, dash, text, ok := p.peek()
		if !ok || spaces != col || !dash {
			return list, nil
		}
		s, n, err := unquoteYAML(text)
		if err != nil {
			return nil, p.errorf("%s", err)
		}
		if n != len(text) {
			return nil, p.errorf("%q after the string", clip(text[n:]))
		}
		list = append(list, s)
		p.next()
	}
}

// scalar reads the value after a key's ":": a space, then a string, true, false or an int as
// strconv.Itoa writes it.
func (p *fmReader) scalar(rest []byte) (any, error) {
	v, ok := bytes.CutPrefix(rest, []byte(" "))
	if !ok || len(v) == 0 {
		return nil, p.errorf("want one space and a value after the key's \":\"")
	}
	switch {
	case v[0] == '"':
		s, n, err := unquoteYAML(v)
		if err != nil {
			return nil, p.errorf("%s", err)
		}
		if n != len(v) {
			return nil, p.errorf("%q after the string", clip(v[n:]))
		}
		return s, nil
	case string(v) == "true":
		return true, nil
	case string(v) == "false":
		return false, nil
	}
	if n, err := strconv.Atoi(string(v)); err == nil && strconv.Itoa(n) == string(v) {
		return n, nil
	}
	return nil, p.errorf("%q is not a quoted string, true, false or an integer", clip(v))
}

// validKey reports whether a key is one Document could have written and YAML reads as the same plain
// string: a letter or "_", then letters, digits and "_", and not a word YAML reads as null or a bool.
func validKey(k []byte) bool {
	if len(k) == 0 || k[0] >= '0' && k[0] <= '9' || yamlWords[strings.ToLower(string(k))] {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// yamlWords are the plain scalars that YAML 1.1 or 1.2 reads as null or a bool, in lower case.
var yamlWords = map[string]bool{"null": true, "true": true, "false": true, "yes": true, "no": true,
	"on": true, "off": true, "y": true, "n": true}

// clip shortens a piece of a page for an error message.
func clip(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// unquoteYAML reads the double-quoted string QuoteYAML writes at the start of b and returns it and the
// bytes it took. Only what QuoteYAML writes is accepted: printable characters as they are, and the escapes
// \" \\ \n \t \uXXXX \UXXXXXXXX.
func unquoteYAML(b []byte) (string, int, error) {
	if len(b) == 0 || b[0] != '"' {
		return "", 0, fmt.Errorf("want a string in double quotes")
	}
	// The common case: no escapes, so the string is the bytes between the quotes.
	i := 1
	for i < len(b) {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 || c == 0x7f {
			break
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if !rawRune(r, size) {
			return "", 0, fmt.Errorf("%U in a string: QuoteYAML escapes it", r)
		}
		i += size
	}
	if i < len(b) && b[i] == '"' {
		return string(b[1:i]), i + 1, nil
	}
	var s strings.Builder
	s.Grow(len(b))
	s.Write(b[1:i])
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			return s.String(), i + 1, nil
		case c == '\\':
			if i+1 >= len(b) {
				return "", 0, fmt.Errorf("string ends in a backslash")
			}
			switch b[i+1] {
			case '"', '\\':
				s.WriteByte(b[i+1])
				i += 2
			case 'n':
				s.WriteByte('\n')
				i += 2
			case 't':
				s.WriteByte('\t')
				i += 2
			case 'u', 'U':
				n := 4
				if b[i+1] == 'U' {
					n = 8
				}
				if i+2+n > len(b) {
					return "", 0, fmt.Errorf("short \\%c escape", b[i+1])
				}
				v, err := strconv.ParseUint(string(b[i+2:i+2+n]), 16, 32)
				if err != nil || v > unicode.MaxRune || v >= 0xd800 && v < 0xe000 {
					return "", 0, fmt.Errorf("bad escape %q", b[i:i+2+n])
				}
				s.WriteRune(rune(v))
				i += 2 + n
			default:
				return "", 0, fmt.Errorf("escape \\%c: QuoteYAML writes only \\\" \\\\ \\n \\t \\u and \\U", b[i+1])
			}
		case c < 0x20 || c == 0x7f:
			return "", 0, fmt.Errorf("control character %#x in a string: QuoteYAML escapes it", c)
		case c < utf8.RuneSelf:
			s.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if !rawRune(r, size) {
				return "", 0, fmt.Errorf("%U in a string: QuoteYAML escapes it", r)
			}
			s.Write(b[i : i+size])
			i += size
		}
	}
	return "", 0, fmt.Errorf("string not closed")
}

// rawRune reports whether QuoteYAML writes the non-ASCII rune r (size bytes) as it is.
func rawRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r >= 0x4e00 && r <= 0x9fff:
		return true
	default:
		return unicode.IsPrint(r) && r != 0xfeff
	}
}

// Get returns the value of a key and whether the mapping has it.
func (f Fields) Get(key string) (any, bool) {
	for _, x := range f {
		if x.Key == key {
			return x.Value, true
		}
	}
	return nil, false
}

// String returns the string value of a key; "" when it is missing or not a string.
func (f Fields) String(key string) string {
	v, _ := f.Get(key)
	s, _ := v.(string)
	return s
}

// Bool returns the bool value of a key; false when it is missing or not a bool.
func (f Fields) Bool(key string) bool {
	v, _ := f.Get(key)
	b, _ := v.(bool)
	return b
}

// Int returns the int value of a key; 0 when it is missing or not an int.
func (f Fields) Int(key string) int {
	v, _ := f.Get(key)
	n, _ := v.(int)
	return n
}

// Strings returns the list of strings of a key; nil when it is missing or not a list of strings.
func (f Fields) Strings(key string) []string {
	v, _ := f.Get(key)
	l, _ := v.([]string)
	return l
}

// Mapping returns the nested mapping of a key; nil when it is missing or not a mapping.
func (f Fields) Mapping(key string) Fields {
	v, _ := f.Get(key)
	m, _ := v.(Fields)
	return m
}

// Mappings returns the list of mappings of a key; nil when it is missing or not a list of mappings.
func (f Fields) Mappings(key string) []Fields {
	v, _ := f.Get(key)
	l, _ := v.([]Fields)
	return l
}

// Date returns the date (YYYY-MM-DD) of a key; the zero Date when the key is missing, and an error when
// its value is not a date string.
func (f Fields) Date(key string) (xinyong.Date, error) {
	v, ok := f.Get(key)
	if !ok {
		return xinyong.Date{}, nil
	}
	s, ok := v.(string)
	if !ok {
		return xinyong.Date{}, fmt.Errorf("%s: %v is not a date", key, v)
	}
	d, err := xinyong.ParseDate(s)
	if err != nil {
		return xinyong.Date{}, fmt.Errorf("%s: %q is not a date", key, s)
	}
	return d, nil
}

// Equal reports whether two mappings hold the same keys in the same order with the same values.
func (f Fields) Equal(g Fields) bool {
	return slices.EqualFunc(f, g, func(a, b Field) bool { return a.Key == b.Key && equalValue(a.Value, b.Value) })
}

func equalValue(a, b any) bool {
	switch x := a.(type) {
	case []string:
		y, ok := b.([]string)
		return ok && slices.Equal(x, y)
	case Fields:
		y, ok := b.(Fields)
		return ok && x.Equal(y)
	case []Fields:
		y, ok := b.([]Fields)
		return ok && slices.EqualFunc(x, y, Fields.Equal)
	case string, bool, int:
		return a == b
	}
	return false
}
