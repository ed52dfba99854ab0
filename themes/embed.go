// Package themes embeds the Hugo theme of 信用盘锦, so that the binary needs no files beside it.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:xinyong
var embedded embed.FS

// Xinyong returns the files of the xinyong theme (layouts, assets, i18n).
func Xinyong() fs.FS {
	sub, err := fs.Sub(embedded, "xinyong")
	if err != nil {
		panic(err) // the directory is embedded at compile time
	}
	return sub
}
