package opendata

import (
	"bytes"
	"errors"
	"os"

	"github.com/goccy/go-yaml"
)

var (
	fmOpen  = []byte("---\n")
	fmClose = []byte("\n---\n")
	fmEnd   = []byte("\n---")
)

// errNoFrontMatter is returned for a file that does not start with a YAML front matter block.
var errNoFrontMatter = errors.New("no YAML front matter")

// frontMatter returns the YAML between the "---" lines at the start of a page.
func frontMatter(page []byte) ([]byte, error) {
	rest, ok := bytes.CutPrefix(page, fmOpen)
	if !ok {
		return nil, errNoFrontMatter
	}
	if i := bytes.Index(rest, fmClose); i >= 0 {
		return rest[:i+1], nil
	}
	if bytes.HasSuffix(rest, fmEnd) {
		return rest[:len(rest)-len(fmEnd)+1], nil
	}
	if bytes.HasPrefix(rest, fmOpen[:3]) { // an empty block: "---\n---"
		return nil, nil
	}
	return nil, errNoFrontMatter
}

// readFrontMatter parses the front matter of the page at path into v, with the YAML library Hugo uses.
func readFrontMatter(path string, v any) error {
	page, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return parseFrontMatter(page, v)
}

func parseFrontMatter(page []byte, v any) error {
	fm, err := frontMatter(page)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(fm, v)
}
