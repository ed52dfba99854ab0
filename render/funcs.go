package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// The functions the record layouts may call, beside html/template's builtins (and, or, not, eq, ne, lt, le,
// gt, ge, index, len, print, printf, ...). Each behaves as Hugo's function of the same name does for the
// arguments the layouts pass, so that a layout written for Hugo runs here unchanged; a call outside that
// (an unknown operator, a type Hugo would convert) is an error rather than a guess.
func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"T":                 r.tr.translate,
		"i18n":              r.tr.translate,
		"partial":           r.partial,
		"partialCached":     r.partialCached,
		"partialCachedEach": r.partialCachedEach,
		"partialRows":       r.partialRows,
		"site":              func() *Site { return r.site },
		"chrome":            r.chromeOf,
		"dict":              dict,
		"slice":             func(v ...any) []any { return v },
		"cond":              cond,
		"default":           defaultFunc,
		"substr":            substr,
		"where":             where,
		"time":              func() timeNS { return timeNS{loc: r.loc} },
		"lang":              func() langNS { return langNS{} },
		"sub":               func(a, b int) int { return a - b },
		"isset":             func(m map[string]any, key string) bool { _, ok := m[key]; return ok },
	}
}

// langNS is Hugo's lang namespace, for lang.FormatNumberCustom.
type langNS struct{}

// FormatNumberCustom is Hugo's lang.FormatNumberCustom with its default options ("-", ".", ","), for the
// whole numbers the layouts print (precision 0): 12345 is "12,345".
func (langNS) FormatNumberCustom(precision int, n any) (string, error) {
	if precision != 0 {
		return "", errors.New("lang.FormatNumberCustom: only precision 0 is supported")
	}
	var v int64
	switch x := n.(type) {
	case int:
		v = int64(x)
	case int64:
		v = x
	default:
		return "", fmt.Errorf("lang.FormatNumberCustom: %T is not a whole number", n)
	}
	neg := v < 0
	if neg {
		v = -v
	}
	s := fmt.Sprint(v)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String(), nil
}

// dict is Hugo's dict: a map from alternating keys and values.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// truth is the truth of a value as templates see it (if, with, and, or).
func truth(v any) bool {
	t, _ := template.IsTrue(v)
	return t
}

// cond is Hugo's cond: yes when control is true, else no.
func cond(control, yes, no any) any {
	if truth(control) {
		return yes
	}
	return no
}

// defaultFunc is Hugo's default: given unless it is missing or not "set" (an empty string, collection or
// map, a zero number, a nil pointer); a bool is always set.
func defaultFunc(def any, given ...any) (any, error) {
	if len(given) == 0 {
		return def, nil
	}
	if len(given) > 1 {
		return nil, errors.New("default: too many arguments")
	}
	g := reflect.ValueOf(given[0])
	if !g.IsValid() {
		return def, nil
	}
	var set bool
	switch g.Kind() {
	case reflect.Bool:
		set = true
	case reflect.String, reflect.Slice, reflect.Array, reflect.Map:
		set = g.Len() != 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		set = g.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		set = g.Uint() != 0
	case reflect.Float32, reflect.Float64:
		set = g.Float() != 0
	case reflect.Struct:
		if t, ok := given[0].(time.Time); ok {
			set = !t.IsZero()
		} else {
			set = true
		}
	default:
		set = !g.IsNil()
	}
	if set {
		return given[0], nil
	}
	return def, nil
}

// substr is Hugo's substr for a string: length characters (runes) from start; a negative start counts from
// the end, and without a length it runs to the end.
func substr(s string, nums ...int) (string, error) {
	if len(nums) > 2 {
		return "", errors.New("substr: too many arguments")
	}
	if !utf8.ValidString(s) {
		return "", errors.New("substr: invalid UTF-8")
	}
	rs := []rune(s)
	start, length := 0, len(rs)
	if len(nums) > 0 {
		start = nums[0]
	}
	if len(nums) > 1 {
		length = nums[1]
	}
	if start < 0 {
		start += len(rs)
	}
	start = min(max(start, 0), len(rs))
	end := len(rs)
	if length < 0 {
		end += length
	} else {
		end = min(start+length, len(rs))
	}
	if end <= start {
		return "", nil
	}
	return string(rs[start:end]), nil
}

// where is Hugo's where with its default operator, "=": the items of a list of mappings whose key has the
// value match.
func where(list any, key string, args ...any) ([]any, error) {
	if len(args) != 1 {
		return nil, errors.New("where: only where LIST KEY VALUE is supported")
	}
	match := args[0]
	var out []any
	l := reflect.ValueOf(list)
	if !l.IsValid() {
		return nil, nil
	}
	if l.Kind() != reflect.Slice && l.Kind() != reflect.Array {
		return nil, fmt.Errorf("where: %T is not a list", list)
	}
	for i := range l.Len() {
		item := l.Index(i).Interface()
		m, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("where: item %T is not a mapping", item)
		}
		if v, ok := m[strings.ToLower(key)]; ok && equal(v, match) {
			out = append(out, item)
		}
	}
	return out, nil
}

// equal reports whether two values of the same comparable type are equal (never panicking on a mapping).
func equal(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.IsValid() && vb.IsValid() && va.Type() == vb.Type() && va.Comparable() && a == b
}

// timeNS is Hugo's time namespace (time.Format, time.AsTime), in the site's time zone.
type timeNS struct{ loc *time.Location }

// AsTime is Hugo's time.AsTime: a time.Time, or a string in RFC 3339 or YYYY-MM-DD (in the site's time
// zone when it has none).
func (ns timeNS) AsTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case string:
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.DateOnly} {
			if x, err := time.ParseInLocation(layout, t, ns.loc); err == nil {
				return x, nil
			}
		}
		return time.Time{}, fmt.Errorf("time: %q is not a date", t)
	}
	return time.Time{}, fmt.Errorf("time: %T is not a date", v)
}

// Format is Hugo's time.Format with a Go layout.
func (ns timeNS) Format(layout string, v any) (string, error) {
	t, err := ns.AsTime(v)
	if err != nil {
		return "", err
	}
	return t.Format(layout), nil
}

// maxCachedPartials bounds the results partialCached keeps: past it, a partial of a new variant is executed
// every time it is called (the same output, uncached), so that a layout that gives partialCached a variant
// taken from the data does not hold a fragment per record.
const maxCachedPartials = 1 << 16

// partials holds the record layouts' partials (records/_partials/) for partial and partialCached, and the
// results of partialCached for the build.
type partials struct {
	t     *template.Template // baseof and the partials, a clone of what every layout is parsed with
	mu    sync.RWMutex
	cache map[string]template.HTML // by appendPartialKey
	bufs  sync.Pool                // *bytes.Buffer
}

// partialName is the template name of a partial as Hugo resolves it: "entry-notice.html",
// "partials/entry-notice.html" and "_partials/entry-notice.html" are records/_partials/entry-notice.html;
// a name without an extension gets ".html".
func partialName(name string) string {
	name = strings.TrimPrefix(name, "/")
	if n, ok := strings.CutPrefix(name, "_partials/"); ok {
		name = n
	} else if n, ok := strings.CutPrefix(name, "partials/"); ok {
		name = n
	}
	if !strings.Contains(name[strings.LastIndexByte(name, '/')+1:], ".") {
		name += ".html"
	}
	return "_partials/" + name
}

// appendPartialKey appends the cache key of a partial (the name as the layout gives it) and its variants:
// distinct for distinct names or variants, as each variant is written with its type and length ("a" "b c"
// and "a b" "c" differ; so do "true" and true).
func appendPartialKey(b []byte, name string, variants []any) []byte {
	b = append(b, name...)
	for _, v := range variants {
		b = append(b, 0)
		switch x := v.(type) {
		case bool:
			b = append(b, 'b')
			b = strconv.AppendBool(b, x)
		case string:
			b = append(b, 's')
			b = strconv.AppendInt(b, int64(len(x)), 10)
			b = append(b, ':')
			b = append(b, x...)
		case int:
			b = append(b, 'i')
			b = strconv.AppendInt(b, int64(x), 10)
		case PagerItem:
			b = append(b, 'p')
			b = strconv.AppendInt(b, int64(x.Number), 10)
			b = append(b, ':')
			b = strconv.AppendBool(b, x.Current)
			b = append(b, ':')
			b = strconv.AppendBool(b, x.Gap)
			b = append(b, ':')
			b = append(b, x.URL...)
		case []string:
			b = append(b, 'l')
			b = strconv.AppendInt(b, int64(len(x)), 10)
			for _, s := range x {
				b = append(b, ':')
				b = strconv.AppendInt(b, int64(len(s)), 10)
				b = append(b, ':')
				b = append(b, s...)
			}
		default:
			s := fmt.Sprintf("%T:%#v", v, v)
			b = append(b, 'x')
			b = strconv.AppendInt(b, int64(len(s)), 10)
			b = append(b, ':')
			b = append(b, s...)
		}
	}
	return b
}

// partial is Hugo's partial: the output of records/_partials/NAME executed with ctx as its dot, as
// template.HTML (html/template has escaped what the partial prints).
func (r *Renderer) partial(name string, ctx any) (template.HTML, error) {
	buf, _ := r.partials.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer r.partials.bufs.Put(buf)
	buf.Reset()
	if err := r.partials.t.ExecuteTemplate(buf, partialName(name), ctx); err != nil {
		return "", fmt.Errorf("partial %q: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

// partialCached is Hugo's partialCached: partial NAME CTX, executed once per renderer for each NAME and
// VARIANTS and then reused, whatever CTX the later calls give. So a partial called with partialCached must
// print only what its variants decide (and the build's values: translations, site, chrome): never a
// record's data that is not one of the variants.
func (r *Renderer) partialCached(name string, ctx any, variants ...any) (template.HTML, error) {
	var a [128]byte
	key := appendPartialKey(a[:0], name, variants)
	p := r.partials
	p.mu.RLock()
	h, ok := p.cache[string(key)]
	p.mu.RUnlock()
	if ok {
		return h, nil
	}
	h, err := r.partial(name, ctx)
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	if len(p.cache) < maxCachedPartials {
		p.cache[string(key)] = h
	}
	p.mu.Unlock()
	return h, nil
}

// partialCachedEach is partialCachedEach NAME LIST: for each item of LIST (a slice), partialCached NAME ITEM
// ITEM — the item is the part's context and its one variant — the outputs one after the other. One template
// action for a run of cached parts, where a range over LIST would cost two or more per item (the pager's
// numbered links: render.PagerItem). So the rule of partialCached holds for each item: the part prints only
// what its item holds, and the build's values.
func (r *Renderer) partialCachedEach(name string, list any) (template.HTML, error) {
	var b strings.Builder
	add := func(item any) error {
		h, err := r.partialCached(name, item, item)
		b.WriteString(string(h))
		return err
	}
	if items, ok := list.([]PagerItem); ok {
		for _, it := range items {
			if err := add(it); err != nil {
				return "", err
			}
		}
		return template.HTML(b.String()), nil
	}
	l := reflect.ValueOf(list)
	if !l.IsValid() {
		return "", nil
	}
	if l.Kind() != reflect.Slice && l.Kind() != reflect.Array {
		return "", fmt.Errorf("partialCachedEach: %T is not a list", list)
	}
	for i := range l.Len() {
		if err := add(l.Index(i).Interface()); err != nil {
			return "", err
		}
	}
	return template.HTML(b.String()), nil
}
