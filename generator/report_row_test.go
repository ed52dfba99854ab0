package generator

import (
	"bytes"
	"testing"

	"xinyong"
)

// TestAppendRow_SameAsTemplate: appendRow writes exactly what the template "row" of report.html writes, for
// hostile values (markup, quotes, NUL, invalid UTF-8, U+FFFD-range runes, line breaks) and every kind.
func TestAppendRow_SameAsTemplate(t *testing.T) {
	values := []string{"", "xy_list_entries", "E0001", "部门 \"lyj\" 不存在", `<script>alert('x')</script>`, "a&b+c",
		"\x00nul", "bad \xe4< utf8 \xff", "\ufdd0\ufffe\uffff", "line\nbreak\r\n\ttab", "&#34;already&amp;", "全角＜＞＆"}
	kinds := []string{Rejected, WarnCleaned, WarnTruncated, WarnIDMasked, xinyong.HiddenHonour, "no such kind <b>"}
	row := reportTmpl.Lookup("row")
	var n int
	for i, v := range values {
		for j, k := range kinds {
			it := Item{Table: v, ID: values[(i+1)%len(values)], Department: values[(i+2)%len(values)], Kind: k,
				Level: values[(i+j)%len(values)], Detail: values[:(i+j)%4]}
			if j%2 == 1 {
				it.Level = Level(k)
			}
			var want bytes.Buffer
			if err := row.Execute(&want, it); err != nil {
				t.Fatal(err)
			}
			if got := appendRow(nil, &it); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("%+v:\n got %q\nwant %q", it, got, want.Bytes())
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no rows compared")
	}
}
