package site

import (
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Fixed labels are written into the templates before Hugo reads them.
//
// A page of the site prints dozens of fixed labels (字段名, 表头, 按钮): 列入事由, 认定部门, ... In Hugo every
// printed action is a function call through reflection plus a call of html/template's escaper, about seven
// allocations each, and a list entry page has about sixty labels: a tenth of the whole build's allocations
// went into printing the same strings again on every page. So the build rewrites each action of the exact
// form {{ T "key" }} (no trim markers, a constant key, no arguments) into the message's text, HTML-escaped,
// when the message of the site's language is plain text (no {{ }} parameters, no plural forms). The theme
// keeps the standard Hugo i18n call, the text keeps living in i18n/zh-cn.toml, and the output is byte for byte
// the same (TestInlineLabelsSameOutput builds the fixture site both ways and compares every file).
//
// HTML escaping is right for the contexts where the escaped text means the same as html/template's escaping
// of the string: element text, <title>, and quoted attribute values. An action inside <script> or <style>,
// inside an unquoted attribute, or inside an attribute that holds a URL, script or style (href, src, on*,
// style, ...) is left to Hugo.

// labelAction matches {{ T "key" }} exactly.
var labelAction = regexp.MustCompile(`\{\{ T "([A-Za-z0-9_]+)" \}\}`)

// rawTextStart and rawTextEnd find <script> and <style> elements, whose content is not HTML.
var (
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

// inlineLabels rewrites the templates under themeDir/layouts with the plain-text messages of
// themeDir/i18n/<lang>.toml. A theme without that file is left as it is.
func inlineLabels(themeDir, lang string) error {
	msgs, err := plainMessages(filepath.Join(themeDir, "i18n", lang+".toml"))
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

// plainMessages reads a Hugo translation file and returns its messages that are plain text: no template
// actions and a single form ("other", or a bare string).
func plainMessages(path string) (map[string]string, error) {
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
	msgs := make(map[string]string, len(raw))
	for key, v := range raw {
		text, ok := v.(string)
		if m, isMap := v.(map[string]any); isMap && len(m) == 1 {
			text, ok = m["other"].(string)
		}
		if ok && !strings.Contains(text, "{{") {
			msgs[key] = text
		}
	}
	return msgs, nil
}

// inlineTemplate replaces the label actions of one template that are in HTML text or a quoted, non-URL
// attribute value.
func inlineTemplate(src string, msgs map[string]string) string {
	var b strings.Builder
	last := 0
	for _, m := range labelAction.FindAllStringSubmatchIndex(src, -1) {
		text, ok := msgs[src[m[2]:m[3]]]
		if !ok || !htmlContext(src[:m[0]]) {
			continue
		}
		b.WriteString(src[last:m[0]])
		b.WriteString(html.EscapeString(text))
		last = m[1]
	}
	if last == 0 {
		return src
	}
	b.WriteString(src[last:])
	return b.String()
}

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
