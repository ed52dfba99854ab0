package generator

import (
	"fmt"
	"os"
	"path/filepath"
)

// DemoTree reports whether the export tree in dir was made from demo data: its home page (_index.md) has
// demo: true in its front matter (ReadHomePage). A tree without a home page is an error: it is not an
// export tree.
func DemoTree(dir string) (bool, error) {
	path := filepath.Join(dir, "_index.md")
	page, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("read the home page of the export tree: %w", err)
	}
	h, err := ReadHomePage(page)
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return h.Demo, nil
}
