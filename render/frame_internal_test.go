package render

import (
	"bytes"
	"io/fs"
	"os"
	"testing"

	"xinyong/themes"
)

// BenchmarkListFrame executes the list layout for page 7 of a 400-page /red/ in memory, with no rows
// ("empty": the frame, what every list page prints besides its rows: head, chrome, breadcrumb, table head,
// pager), one row and 50 rows executed (no row store): the template actions a list page costs, without the
// file system. XINYONG_BENCH_THEME names a theme directory to execute instead of the embedded theme (e.g. one
// with a part left out, to see what it costs).
//
//	go test ./render -run XXX -bench ListFrame -benchmem
func BenchmarkListFrame(b *testing.B) {
	var theme fs.FS = themes.Xinyong()
	if d := os.Getenv("XINYONG_BENCH_THEME"); d != "" {
		theme = os.DirFS(d)
	}
	r, err := New(theme, Options{Chrome: listChrome()})
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]Row, 50)
	for i := range rows {
		rows[i] = Row{Title: "某某公司", ID: "E123", List: "red", ListName: "纳税信用A级", Department: "税务局", ValidFrom: "2026-01-01"}
	}
	var buf bytes.Buffer
	for _, tc := range []struct {
		name string
		rows []Row
	}{{"empty", nil}, {"row1", rows[:1]}, {"rows", rows}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				p := &Page{Kind: "section", Section: "red", Title: "红名单", Permalink: r.base + "red/", RelPermalink: "/red/",
					IsSection: true, Params: map[string]any{"title": "红名单"}}
				pag := newPager("/red/", 7, 400)
				pag.Permalink = r.base + "red/page/7/"
				if tc.rows != nil {
					pag.Rows = tc.rows
				}
				p.Paginator = pag
				buf.Reset()
				if err := r.layouts["list"].ExecuteTemplate(&buf, "baseof.html", p); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
}
