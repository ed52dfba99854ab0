package generator

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// DemoTree reports whether the export tree in dir was made from demo data: its home page (_index.md) has
// demo: true in its front matter. Export writes every top-level key at the start of its own line and
// nothing else there, so the line is the key. A tree without a home page is an error: it is not an
// export tree.
func DemoTree(dir string) (bool, error) {
	f, err := os.Open(filepath.Join(dir, "_index.md"))
	if err != nil {
		return false, fmt.Errorf("read the home page of the export tree: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 0; sc.Scan(); n++ {
		switch line := sc.Text(); {
		case n == 0 && line != "---":
			return false, fmt.Errorf("%s: no front matter", f.Name())
		case n > 0 && line == "---":
			return false, nil
		case line == "demo: true":
			return true, nil
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("read %s: %w", f.Name(), err)
	}
	return false, fmt.Errorf("%s: front matter not closed", f.Name())
}
