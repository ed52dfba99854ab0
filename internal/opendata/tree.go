package opendata

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// pageIDs returns the ids of the pages of a section directory of the export tree (<id>.md, not _index.md),
// in byte order, so that the files come out in the same order whatever the file system's. A missing
// directory has no pages. Only the names are held, never the records.
func pageIDs(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	ids := names[:0]
	for _, name := range names {
		if id, ok := strings.CutSuffix(name, ".md"); ok && name != "_index.md" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

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
