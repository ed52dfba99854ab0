package render

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"github.com/pelletier/go-toml/v2"
)

// translations are the messages of one language from a theme's i18n file, read as Hugo reads them
// (go-i18n): a message is a string, or a table whose "other" form is used (the site's language, Chinese,
// has no plural forms). A message with actions is a text/template executed with T's argument, as go-i18n
// does, so {{ .Date }} prints the argument's value unescaped; html/template escapes T's result where the
// layout prints it.
type translations struct {
	text  map[string]string
	tmpls map[string]*template.Template // the messages with actions, parsed once
}

// readTranslations reads i18n/<lang>.toml of the theme. A theme without the file has no messages: T then
// returns "" for every key, as Hugo does without a translation.
func readTranslations(theme fs.FS, lang string) (*translations, error) {
	tr := &translations{text: map[string]string{}, tmpls: map[string]*template.Template{}}
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
			tr.tmpls[key] = t
		}
	}
	return tr, nil
}

// translate is Hugo's T: the message for key, executed with args[0] when it has actions; "" for a key
// without a message.
func (tr *translations) translate(key any, args ...any) (string, error) {
	k, ok := key.(string)
	if !ok {
		k = fmt.Sprint(key)
	}
	t, ok := tr.tmpls[k]
	if !ok {
		return tr.text[k], nil
	}
	var data any
	if len(args) > 0 {
		data = args[0]
		if n, ok := data.(int); ok {
			data = count(n) // as Hugo: T "key" 3 is a message with {{ .Count }}
		}
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("T %q: %w", k, err)
	}
	return b.String(), nil
}

// count is T's argument when it is an int, as in Hugo (and go-i18n v1): the message reads it as .Count.
type count int

// Count returns the count.
func (c count) Count() int { return int(c) }
