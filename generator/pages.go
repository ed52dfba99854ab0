package generator

import (
	"errors"
	"os"
	"slices"
	"strings"
)

// PageIDs returns the ids of the pages of a section directory of an export tree (<id>.md, not _index.md)
// in byte order, so that readers of the tree (open data, the change record) process it in the same order
// whatever the file system's. A missing directory has no pages. Only the names are held.
func PageIDs(dir string) ([]string, error) {
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
		if id, ok := strings.CutSuffix(name, ".md"); ok && name != "_index.md" && id != "" {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Clip(ids), nil
}
