package render

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/pelletier/go-toml/v2"
)

// translations are the messages of one language from a theme's i18n file, read as Hugo reads them
// (go-i18n): a message is a string, or a table whose "other" form is used (the site's language, Chinese,
// has no plural forms). A message with actions is a text/template executed with T's argument, as go-i18n
// does, so {{ .Date }} prints the argument's value unescaped; html/template escapes T's result where the
// layout prints it.
type translations struct {
	text  map[string]string
	tmpls map[string]*message // the messages with actions, parsed once
}

// message is a message with actions: its template, and, when the template is only text and {{ .Name }}
// actions, those parts, so that T can print it without executing the template (substitute).
type message struct {
	tmpl  *template.Template
	parts []messagePart // nil when the template has other actions
}

// messagePart is a run of text, or (field != "") the argument's value of that name.
type messagePart struct {
	text, field string
}

// readTranslations reads i18n/<lang>.toml of the theme. A theme without the file has no messages: T then
// returns "" for every key, as Hugo does without a translation.
func readTranslations(theme fs.FS, lang string) (*translations, error) {
	tr := &translations{text: map[string]string{}, tmpls: map[string]*message{}}
	data, err := fs.ReadFile(theme, "i18n/"+lang+".toml")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return tr, nil
		}
		return nil, err
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("i18n/%s.toml: %w", lang, err)
	}
	for key, v := range raw {
		switch m := v.(type) {
		case string:
			tr.text[key] = m
		case map[string]any:
			if s, ok := m["other"].(string); ok {
				tr.text[key] = s
			}
		}
		if s := tr.text[key]; strings.Contains(s, "{{") {
			t, err := template.New(key).Parse(s)
			if err != nil {
				return nil, fmt.Errorf("i18n/%s.toml: message %q: %w", lang, key, err)
			}
			tr.tmpls[key] = &message{tmpl: t, parts: substitutions(t)}
		}
	}
	return tr, nil
}

// substitutions returns the parts of a message template that is only text and {{ .Name }} actions (a
// single field of the dot, no pipeline, no variables); nil for any other template.
func substitutions(t *template.Template) []messagePart {
	if t.Tree == nil || t.Root == nil || len(t.Templates()) != 1 {
		return nil
	}
	var parts []messagePart
	for _, n := range t.Root.Nodes {
		switch n := n.(type) {
		case *parse.TextNode:
			parts = append(parts, messagePart{text: string(n.Text)})
		case *parse.ActionNode:
			if n.Pipe == nil || len(n.Pipe.Decl) != 0 || n.Pipe.IsAssign || len(n.Pipe.Cmds) != 1 ||
				len(n.Pipe.Cmds[0].Args) != 1 {
				return nil
			}
			f, ok := n.Pipe.Cmds[0].Args[0].(*parse.FieldNode)
			if !ok || len(f.Ident) != 1 {
				return nil
			}
			parts = append(parts, messagePart{field: f.Ident[0]})
		default:
			return nil
		}
	}
	return parts
}

// substitute prints a message of parts with the values of args, as executing its template would, when
// every value it names is a string or an int (printed by text/template as fmt.Print does); ok is false
// for anything else, which the template then prints.
func (m *message) substitute(args map[string]any) (string, bool) {
	if m.parts == nil || args == nil {
		return "", false
	}
	var b strings.Builder
	for _, p := range m.parts {
		if p.field == "" {
			b.WriteString(p.text)
			continue
		}
		switch v := args[p.field].(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		default:
			return "", false // missing (<no value>), nil, or another type: as the template prints it
		}
	}
	return b.String(), true
}

// translate is Hugo's T: the message for key, executed with args[0] when it has actions; "" for a key
// without a message.
func (tr *translations) translate(key string, args ...any) (string, error) {
	m, ok := tr.tmpls[key]
	if !ok {
		return tr.text[key], nil
	}
	var data any
	if len(args) > 0 {
		data = args[0]
		switch d := data.(type) {
		case int:
			data = count(d) // as Hugo: T "key" 3 is a message with {{ .Count }}
		case map[string]any:
			if s, ok := m.substitute(d); ok {
				return s, nil
			}
		}
	}
	var b strings.Builder
	if err := m.tmpl.Execute(&b, data); err != nil {
		return "", fmt.Errorf("T %q: %w", key, err)
	}
	return b.String(), nil
}

// count is T's argument when it is an int, as in Hugo (and go-i18n v1): the message reads it as .Count.
type count int

// Count returns the count.
func (c count) Count() int { return int(c) }
