// Package content embeds the hand-written pages of 信用盘锦 (about the site, how to object, how to repair
// credit), which every build adds to the exported records.
package content

import (
	"embed"
	"io/fs"
)

//go:embed all:pages
var embedded embed.FS

// Pages returns the hand-written pages as a Hugo content tree.
func Pages() fs.FS {
	sub, err := fs.Sub(embedded, "pages")
	if err != nil {
		panic(err) // the directory is embedded at compile time
	}
	return sub
}
