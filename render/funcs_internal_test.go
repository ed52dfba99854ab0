package render

import (
	"testing"
	"testing/fstest"
	"time"
)

func TestSubstr(t *testing.T) {
	for _, tc := range []struct {
		s    string
		nums []int
		want string
	}{
		{"2026-05-01T09:30:00+08:00", []int{0, 10}, "2026-05-01"},
		{"盘锦市信用", []int{1, 2}, "锦市"},
		{"盘锦市信用", []int{-2}, "信用"},
		{"abc", []int{0, 10}, "abc"},
		{"abc", []int{5}, ""},
		{"abc", []int{1, -1}, "b"},
	} {
		got, err := substr(tc.s, tc.nums...)
		if err != nil || got != tc.want {
			t.Errorf("substr(%q, %v) = %q, %v, want %q", tc.s, tc.nums, got, err, tc.want)
		}
	}
}

func TestDefault(t *testing.T) {
	for _, tc := range []struct {
		given []any
		want  any
	}{
		{nil, "d"},
		{[]any{nil}, "d"},
		{[]any{""}, "d"},
		{[]any{"x"}, "x"},
		{[]any{0}, "d"},
		{[]any{3}, 3},
		{[]any{false}, false},
		{[]any{[]string{}}, "d"},
		{[]any{map[string]any{}}, "d"},
	} {
		got, err := defaultFunc("d", tc.given...)
		if err != nil || !equal(got, tc.want) {
			t.Errorf("default %v = %v, %v, want %v", tc.given, got, err, tc.want)
		}
	}
}

func TestWhere(t *testing.T) {
	list := []any{
		map[string]any{"procedure": "admin", "id": "1"},
		map[string]any{"procedure": "court", "id": "2"},
		map[string]any{"id": "3"},
		map[string]any{"procedure": map[string]any{"x": 1}, "id": "4"},
	}
	got, err := where(list, "procedure", "admin")
	if err != nil || len(got) != 1 || got[0].(map[string]any)["id"] != "1" {
		t.Errorf("where = %v, %v", got, err)
	}
	if got, err := where(nil, "procedure", "admin"); err != nil || got != nil {
		t.Errorf("where nil = %v, %v", got, err)
	}
	if _, err := where(list, "procedure", "!=", "admin"); err == nil {
		t.Error("where with an operator: no error")
	}
}

func TestTimeFormat(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	ns := timeNS{loc: loc}
	for _, tc := range []struct {
		layout, v, want string
	}{
		{"2006-01-02 15:04", "2026-05-01T09:30:00+08:00", "2026-05-01 09:30"},
		{"2006年1月2日", "2026-06-05", "2026年6月5日"},
		{time.RFC3339, "2026-06-05", "2026-06-05T00:00:00+08:00"},
	} {
		got, err := ns.Format(tc.layout, tc.v)
		if err != nil || got != tc.want {
			t.Errorf("time.Format %q %q = %q, %v, want %q", tc.layout, tc.v, got, err, tc.want)
		}
	}
	if _, err := ns.Format("2006", "not a date"); err == nil {
		t.Error("time.Format of a non-date: no error")
	}
}

func TestTranslate(t *testing.T) {
	fsys := fstest.MapFS{"i18n/zh-cn.toml": {Data: []byte(`
plain = "纯文本"
[simple]
other = "信用 & <盘锦>"
[items]
other = "共{{ .Count }}条"
[withArgs]
other = "本信息公示至{{ .Date }}（{{ .Count }}）"
`)}}
	tr, err := readTranslations(fsys, "zh-cn")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key  string
		args []any
		want string
	}{
		{"plain", nil, "纯文本"},
		{"simple", nil, "信用 & <盘锦>"}, // unescaped: html/template escapes where it is printed
		{"withArgs", []any{map[string]any{"Date": "2026年6月15日", "Count": 3}}, "本信息公示至2026年6月15日（3）"},
		{"withArgs", []any{map[string]any{"Date": "<b>"}}, "本信息公示至<b>（<no value>）"}, // as go-i18n
		{"missing", nil, ""},
		{"items", []any{2}, "共2条"}, // an int is .Count
	} {
		got, err := tr.translate(tc.key, tc.args...)
		if err != nil || got != tc.want {
			t.Errorf("T %q %v = %q, %v, want %q", tc.key, tc.args, got, err, tc.want)
		}
	}
	if tr, err := readTranslations(fstest.MapFS{}, "zh-cn"); err != nil || len(tr.text) != 0 {
		t.Errorf("no i18n file: %v, %v", tr, err)
	}
}
