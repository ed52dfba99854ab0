package site

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Messages are written into the templates before Hugo reads them.
//
// A page of the site prints dozens of fixed labels and sentences (列入事由, 认定部门, 本信息公示至……). In
// Hugo every action is a function call through reflection plus a call of html/template's escaper: about six
// allocations for printing a variable, 24 for {{ T "key" }} and 37 for {{ T "key" (dict "Date" $d) }}, while
// template text costs nothing. So the build rewrites the theme's calls of T with a constant key whose
// message (in the site's language) is simple: a single form ("other", or a bare string) whose only actions
// are parameters {{ .Name }}.
//
//   - {{ T "key" }} in element text or a harmless quoted attribute value becomes the message's text, escaped
//     as html/template escapes a string there;
//   - {{ T "key" (dict "Date" $d "Name" .name) }} there becomes the message's text around {{ $d }} and
//     {{ .name }}: the parameters are printed (and escaped) by html/template where the message has them;
//   - anywhere else, (T "key") becomes the string literal "…", and (T "key" (dict …)) becomes
//     (printf "…%v…" …): the same string, without the lookup.
//
// The theme keeps standard Hugo i18n calls, the text keeps living in i18n/zh-cn.toml, and the output is byte
// for byte the same (TestInlineLabels_SameOutput builds the fixture site both ways and compares every file).
// A parameter written as {{ $d }} is printed as html/template prints any value, so a template.HTML value
// would come out as HTML where T would have escaped it: a call with a parameter that may be HTML (the result
// of partial, safeHTML, markdownify, .Content, ...) becomes a printed printf instead, which escapes it as T
// does. The theme's own templates pass strings, numbers and dates.
//
// HTML escaping of the text is right where the escaped text means the same as html/template's escaping of
// the string: element text, <title>, and quoted attribute values. An action inside <script> or <style>,
// inside an unquoted attribute, or inside an attribute that holds a URL, script or style (href, src, on*,
// style, ...) becomes a printed string expression instead, which html/template escapes for its context.

// message is a simple message: its text split around its parameters, len(text) == len(params)+1.
type message struct {
	text   []string
	params []string
}

// placeholder matches a parameter in a message: {{ .Name }}.
var placeholder = regexp.MustCompile(`\{\{ ?\.([A-Za-z_][A-Za-z0-9_]*) ?\}\}`)

var (
	// rawTextStart and rawTextEnd find <script> and <style> elements, whose content is not HTML.
	rawTextStart = regexp.MustCompile(`(?i)<(script|style)\b`)
	rawTextEnd   = regexp.MustCompile(`(?i)</(script|style)\s*>`)
	// attrOpen matches the end of a text that opens a double- or single-quoted attribute value and is still
	// inside it: name="value so far.
	attrOpen = regexp.MustCompile(`([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"]*|'[^']*)$`)
	// unquotedAttr matches a text that ends right after name= (an unquoted value would start here).
	unquotedAttr = regexp.MustCompile(`=\s*$`)
)

// urlOrCodeAttrs are attributes whose value html/template escapes as a URL, script or style.
var urlOrCodeAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "cite": true, "data": true,
	"poster": true, "background": true, "srcset": true, "style": true, "content": true,
}

// inlineLabels rewrites the templates under themeDir/layouts with the simple messages of
// themeDir/i18n/<lang>.toml. A theme without that file is left as it is.
func inlineLabels(themeDir, lang string) error {
	msgs, err := readMessages(filepath.Join(themeDir, "i18n", lang+".toml"))
	if err != nil || len(msgs) == 0 {
		return err
	}
	layouts := filepath.Join(themeDir, "layouts")
	return filepath.WalkDir(layouts, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out := inlineTemplate(string(src), msgs)
		if out == string(src) {
			return nil
		}
		return os.WriteFile(path, []byte(out), 0o644)
	})
}

// readMessages reads a Hugo translation file and returns its simple messages.
func readMessages(path string) (map[string]message, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	msgs := make(map[string]message, len(raw))
	for key, v := range raw {
		text, ok := v.(string)
		if m, isMap := v.(map[string]any); isMap && len(m) == 1 {
			text, ok = m["other"].(string)
		}
		if !ok {
			continue
		}
		if m, ok := parseMessage(text); ok {
			msgs[key] = m
		}
	}
	return msgs, nil
}

// parseMessage splits a message around its parameters; ok is false when it has any other action.
func parseMessage(s string) (m message, ok bool) {
	last := 0
	for _, loc := range placeholder.FindAllStringSubmatchIndex(s, -1) {
		m.text = append(m.text, s[last:loc[0]])
		m.params = append(m.params, s[loc[2]:loc[3]])
		last = loc[1]
	}
	m.text = append(m.text, s[last:])
	for _, t := range m.text {
		if strings.Contains(t, "{{") || strings.Contains(t, "}}") {
			return message{}, false
		}
	}
	return m, true
}

// space is what a trim marker trims.
const space = " \t\r\n"

// tCall is a call of T found in a template: T "key" with an optional (dict "Name" operand ...).
type tCall struct {
	key  string
	args map[string]string // parameter name → operand, as template source
}

// inlineTemplate rewrites the calls of T with simple messages in one template.
func inlineTemplate(src string, msgs map[string]message) string {
	return rewrite(src, msgs, false)
}

// inlineOperand rewrites the calls of T in an operand of a call, which is inside an action.
func inlineOperand(operand string, msgs map[string]message) string {
	return rewrite(operand, msgs, true)
}

// rewrite rewrites the calls of T in src; operand says src is an operand inside an action.
func rewrite(src string, msgs map[string]message, operand bool) string {
	var b strings.Builder
	last := 0 // src[last:] is not yet written
	for i := 0; i < len(src); {
		j := strings.Index(src[i:], `T "`)
		if j < 0 {
			break
		}
		start := i + j // the T
		i = start + 1
		call, end, ok := parseTCall(src, start)
		if !ok {
			continue
		}
		msg, known := msgs[call.key]
		if !known || !msg.hasParams(call.args) {
			continue
		}
		before := src[last:start]
		inAction, inComment := position(src, start)
		if !operand && (inComment || !inAction) {
			continue // a comment, or text that only looks like a call
		}
		// The whole action {{ T … }} (with optional trim markers), or an operand inside an action.
		if open, trimLeft, ok := actionOpen(src, start); ok {
			if close, trimRight, ok := actionClose(src, end); ok {
				pre := src[last:open]
				if trimLeft {
					pre = strings.TrimRight(pre, space)
				}
				after := close
				if trimRight {
					for after < len(src) && strings.IndexByte(space, src[after]) >= 0 {
						after++
					}
				}
				b.WriteString(pre)
				// As text, the message joins the text around it, which the trim marker of an action next to
				// it ({{- or -}}) would trim: a message that starts or ends with white space there stays an
				// action.
				h := msg.html(call.args, msgs)
				trimmed := strings.HasPrefix(h, " ") && strings.HasSuffix(strings.TrimRight(src[:open], space), "-}}") ||
					strings.HasSuffix(h, " ") && strings.HasPrefix(strings.TrimLeft(src[after:], space), "{{-")
				if htmlContext(src[:open]) && !mayBeHTML(call.args) && !trimmed && h == strings.Trim(h, "\t\r\n") {
					b.WriteString(h)
				} else {
					b.WriteString("{{ " + msg.expr(call.args, msgs) + " }}")
				}
				last, i = after, after
				continue
			}
		}
		// An operand: (T …), or the value of := and =.
		if k := start - 1; k >= 0 && src[k] == '(' && end < len(src) && src[end] == ')' &&
			!strings.HasSuffix(strings.TrimRight(src[:k], " "), "|") { // not a later stage of a pipeline
			b.WriteString(src[last:k])
			if len(call.args) > 0 {
				b.WriteString("(" + msg.expr(call.args, msgs) + ")")
			} else {
				b.WriteString(msg.expr(call.args, msgs))
			}
			last, i = end+1, end+1
			continue
		}
		if strings.HasSuffix(before, "= ") && (strings.HasPrefix(src[end:], " }}") ||
			strings.HasPrefix(src[end:], " -}}") || strings.HasPrefix(src[end:], " |")) {
			b.WriteString(before)
			e := msg.expr(call.args, msgs)
			if len(call.args) > 0 {
				e = "(" + e + ")"
			}
			b.WriteString(e)
			last, i = end, end
		}
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return b.String()
}

// position reports whether src[pos] is inside an action, and whether that action is a comment. It looks for
// the nearest {{ and }} before pos, which is enough for template source whose strings hold no braces (a
// rewrite it is unsure of is still checked by the tests).
func position(src string, pos int) (inAction, inComment bool) {
	open, close := strings.LastIndex(src[:pos], "{{"), strings.LastIndex(src[:pos], "}}")
	if open < 0 || open < close {
		return false, false
	}
	return true, strings.HasPrefix(strings.TrimLeft(src[open+2:pos], "- "), "/*")
}

// actionOpen reports whether the T at start is the first thing in an action: "{{ T" or "{{- T". open is
// where the action starts.
func actionOpen(src string, start int) (open int, trim, ok bool) {
	switch {
	case strings.HasSuffix(src[:start], "{{- "):
		return start - 4, true, true
	case strings.HasSuffix(src[:start], "{{ "):
		return start - 3, false, true
	}
	return 0, false, false
}

// actionClose reports whether the call that ends at end is the last thing in its action: " }}" or " -}}".
// close is where the action ends.
func actionClose(src string, end int) (close int, trim, ok bool) {
	switch {
	case strings.HasPrefix(src[end:], " -}}"):
		return end + 4, true, true
	case strings.HasPrefix(src[end:], " }}"):
		return end + 3, false, true
	}
	return 0, false, false
}

// parseTCall parses T "key" or T "key" (dict "Name" operand ...) at src[start:]; end is just after it.
func parseTCall(src string, start int) (call tCall, end int, ok bool) {
	i := start + 2 // the opening quote of the key
	key, n := scanString(src[i:])
	if n == 0 {
		return tCall{}, 0, false
	}
	call.key, i = key, i+n
	if !strings.HasPrefix(src[i:], ` (dict `) {
		return call, i, true
	}
	i += len(` (dict `)
	call.args = map[string]string{}
	for {
		name, n := scanString(src[i:])
		if n == 0 || !strings.HasPrefix(src[i+n:], " ") {
			return tCall{}, 0, false
		}
		i += n + 1
		operand := scanOperand(src[i:])
		if operand == "" {
			return tCall{}, 0, false
		}
		if _, dup := call.args[name]; dup {
			return tCall{}, 0, false
		}
		call.args[name] = operand
		i += len(operand)
		switch {
		case strings.HasPrefix(src[i:], ")"):
			return call, i + 1, true
		case strings.HasPrefix(src[i:], " "):
			i++
		default:
			return tCall{}, 0, false
		}
	}
}

// scanString returns the value of the double-quoted Go string at the start of s and its length in s.
func scanString(s string) (string, int) {
	if !strings.HasPrefix(s, `"`) {
		return "", 0
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '\n':
			return "", 0
		case '"':
			v, err := strconv.Unquote(s[:i+1])
			if err != nil {
				return "", 0
			}
			return v, i + 1
		}
	}
	return "", 0
}

// scanOperand returns the template operand at the start of s: a quoted string, a parenthesised pipeline, or
// a word such as $x.y, .Field or 42. It returns "" for anything else.
func scanOperand(s string) string {
	switch {
	case s == "":
		return ""
	case s[0] == '"':
		_, n := scanString(s)
		return s[:n]
	case s[0] == '(':
		depth := 0
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '"':
				_, n := scanString(s[i:])
				if n == 0 {
					return ""
				}
				i += n - 1
			case '`', '\n', '{', '}':
				return ""
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return s[:i+1]
				}
			}
		}
		return ""
	}
	i := 0
	for i < len(s) && (s[i] == '$' || s[i] == '.' || s[i] == '_' || s[i] >= '0' && s[i] <= '9' ||
		s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z') {
		i++
	}
	return s[:i]
}

// htmlMakers are the functions and methods whose results may be template.HTML.
var htmlMakers = regexp.MustCompile(`\b(partial|partialCached|safeHTML|safeHTMLAttr|markdownify|emojify|highlight|transform\.[A-Za-z]+|htmlUnescape)\b|\.(Content|Summary|TableOfContents|RenderString|Fragments)\b`)

// mayBeHTML reports whether an operand of args may evaluate to template.HTML.
func mayBeHTML(args map[string]string) bool {
	for _, op := range args {
		if htmlMakers.MatchString(op) {
			return true
		}
	}
	return false
}

// hasParams reports whether args are exactly the message's parameters (as go-i18n prints "<no value>" for
// a missing one, and an extra one may be a mistake worth leaving to Hugo).
func (m message) hasParams(args map[string]string) bool {
	seen := 0
	for name := range args {
		if !m.uses(name) {
			return false
		}
		seen++
	}
	for _, p := range m.params {
		if _, ok := args[p]; !ok {
			return false
		}
	}
	return seen == len(args)
}

func (m message) uses(name string) bool {
	for _, p := range m.params {
		if p == name {
			return true
		}
	}
	return false
}

// html returns the message as template text in element text or a quoted attribute value.
func (m message) html(args map[string]string, msgs map[string]message) string {
	var b strings.Builder
	for i, t := range m.text {
		if i > 0 {
			arg := args[m.params[i-1]]
			if inner, msg, ok := nestedCall(arg, msgs); ok {
				b.WriteString(msg.html(inner.args, msgs)) // a message of its own: its text, in place
			} else if arg = inlineOperand(arg, msgs); isStringLiteral(arg) {
				v, _ := scanString(arg)
				b.WriteString(escapeText(v))
			} else {
				b.WriteString("{{ " + arg + " }}")
			}
		}
		b.WriteString(escapeText(t))
	}
	return b.String()
}

// nestedCall reports whether operand is a call of T with a simple message, (T "key" …), and returns it.
func nestedCall(operand string, msgs map[string]message) (tCall, message, bool) {
	if !strings.HasPrefix(operand, `(T "`) {
		return tCall{}, message{}, false
	}
	call, end, ok := parseTCall(operand, 1)
	if !ok || end != len(operand)-1 {
		return tCall{}, message{}, false
	}
	msg, known := msgs[call.key]
	if !known || !msg.hasParams(call.args) {
		return tCall{}, message{}, false
	}
	return call, msg, true
}

func isStringLiteral(s string) bool {
	_, n := scanString(s)
	return n > 0 && n == len(s)
}

// expr returns the message as a template expression: a string literal, or a printf call.
func (m message) expr(args map[string]string, msgs map[string]message) string {
	if len(m.params) == 0 {
		return strconv.Quote(m.text[0])
	}
	var format strings.Builder
	var operands []string
	for i, t := range m.text {
		if i > 0 {
			format.WriteString("%v")
			operands = append(operands, inlineOperand(args[m.params[i-1]], msgs))
		}
		format.WriteString(strings.ReplaceAll(t, "%", "%%"))
	}
	return "printf " + strconv.Quote(format.String()) + " " + strings.Join(operands, " ")
}

// textEscaper escapes a string as html/template escapes a string in element text and quoted attribute
// values (its htmlEscaper and attrEscaper agree on these).
var textEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;",
	"<", "&lt;", ">", "&gt;")

func escapeText(s string) string { return textEscaper.Replace(s) }

// htmlContext reports whether a value printed right after before is in element text or a quoted attribute
// value that is not a URL, script or style. It looks at the template text only, which is enough for the
// theme's own templates (the output is compared with Hugo's in a test); anything it is unsure of is left to
// Hugo.
func htmlContext(before string) bool {
	// Inside <script> or <style>?
	if starts := rawTextStart.FindAllStringIndex(before, -1); len(starts) > 0 {
		lastStart := starts[len(starts)-1][0]
		if !rawTextEnd.MatchString(before[lastStart:]) {
			return false
		}
	}
	// Inside a tag? Then only a quoted value of a harmless attribute.
	lt, gt := strings.LastIndexByte(before, '<'), strings.LastIndexByte(before, '>')
	if lt <= gt {
		return true // element text
	}
	tag := before[lt:]
	m := attrOpen.FindStringSubmatch(tag)
	if m == nil || unquotedAttr.MatchString(tag) {
		return false
	}
	// As html/template's attrType: data-x is judged as x, a namespaced name is left to Hugo, and a name that
	// mentions src, uri or url holds a URL.
	name := strings.TrimPrefix(strings.ToLower(m[1]), "data-")
	if strings.Contains(name, ":") || strings.Contains(name, "src") || strings.Contains(name, "uri") ||
		strings.Contains(name, "url") {
		return false
	}
	return !urlOrCodeAttrs[name] && !strings.HasPrefix(name, "on")
}
