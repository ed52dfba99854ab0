package opendata

import (
	"fmt"
	"time"

	"xinyong"
	"xinyong/generator"
)

// PageFile is where the release pipeline writes Page's document in the export tree: its URL is /data/.
const PageFile = "data.md"

// PageLayout is the theme's layout for the page (themes/xinyong/layouts/opendata.html).
const PageLayout = "opendata"

// Page returns the /data/ page as a Markdown document for the content tree: front matter only (title,
// url, layout, the publication and one item per file with its size, rows and SHA-256), which the theme's
// opendata layout renders. It is written with the export's own front matter emitter, so no value can break
// out of its YAML string.
func Page(idx *Index) []byte {
	var fm generator.Fields
	fm.Add("title", xinyong.MsgOpenDataTitle)
	fm.Add("description", xinyong.MsgOpenDataDescription)
	fm.Add("url", "/data/")
	fm.Add("layout", PageLayout)
	fm.Add("release", idx.Release)
	fm.Add("data_version", idx.DataVersion)
	fm.Add("as_of", idx.AsOf)
	if !idx.BuiltAt.IsZero() {
		fm.Add("built_at", idx.BuiltAt.In(xinyong.Shanghai).Format(time.RFC3339))
	}
	fm.Add("index_file", IndexFile)
	fm.Add("sums_file", SumsFile)
	files := make([]generator.Fields, 0, len(idx.Files))
	for _, f := range idx.Files {
		var item generator.Fields
		item.Add("name", f.Name)
		item.Add("dataset", f.Dataset)
		item.Add("format", f.Format)
		item.Add("rows", f.Rows)
		item.Add("size", int(f.Size))
		item.Add("size_text", humanSize(f.Size))
		item.Add("sha256", f.SHA256)
		files = append(files, item)
	}
	fm.Add("files", files)
	return generator.Document(fm, "")
}

// humanSize writes a size in bytes for people: 512 B, 12.3 KB, 4.5 MB (units of 1,024 bytes, as Windows
// shows file sizes).
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %s", v, [...]string{"KB", "MB", "GB", "TB"}[i])
}
