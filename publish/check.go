package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"

	"xinyong/internal/tree"
	"xinyong/search"
)

// IndexCheck is what release.json records to check a release's search index before the release is
// published or served: a corrupt segment must never be switched to, where it would make searches fail or
// panic for as long as the release is served.
type IndexCheck struct {
	// Files are the SHA-256 (hex) of every file of index/, by slash-separated path inside it.
	Files map[string]string `json:"files"`
	// Probes are queries the index answered when it was built, each with its first hit (search.Stats).
	Probes []search.Probe `json:"probes"`
}

// ErrIndexCheck is wrapped by the error of OpenIndex when the index is not the one the manifest describes
// or does not answer its probes.
var ErrIndexCheck = errors.New("the search index fails its check")

// NewIndexCheck sums the files of the index of the release directory dir and records probes beside them.
func NewIndexCheck(dir string, probes []search.Probe) (*IndexCheck, error) {
	files, err := sumFiles(filepath.Join(dir, IndexDir))
	if err != nil {
		return nil, fmt.Errorf("index checksums: %w", err)
	}
	return &IndexCheck{Files: files, Probes: probes}, nil
}

// OpenIndex opens the search index of the release directory dir after checking it against check: the
// same files with the same SHA-256, then every probe answered with its first hit. It fails, wrapping
// ErrIndexCheck, when they differ; the index is then closed. A nil check (a release published by an older
// xinyong) checks nothing.
func OpenIndex(ctx context.Context, dir string, check *IndexCheck) (*search.Index, error) {
	idxDir := filepath.Join(dir, IndexDir)
	if check != nil {
		if err := check.verifyFiles(idxDir); err != nil {
			return nil, err
		}
	}
	idx, err := search.Open(idxDir)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := idx.Check(ctx, check.Probes); err != nil {
			idx.Close()
			return nil, fmt.Errorf("%w: %w", ErrIndexCheck, err)
		}
	}
	return idx, nil
}

// verifyFiles compares the files of the index directory with the recorded sums.
func (c *IndexCheck) verifyFiles(idxDir string) error {
	got, err := sumFiles(idxDir)
	if err != nil {
		return fmt.Errorf("index checksums: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(c.Files)) {
		switch sum, ok := got[name]; {
		case !ok:
			return fmt.Errorf("%w: %s is missing", ErrIndexCheck, name)
		case sum != c.Files[name]:
			return fmt.Errorf("%w: %s has SHA-256 %s, the manifest says %s", ErrIndexCheck, name, sum, c.Files[name])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := c.Files[name]; !ok {
			return fmt.Errorf("%w: %s is not in the manifest", ErrIndexCheck, name)
		}
	}
	return nil
}

// sumFiles returns the SHA-256 of every regular file under dir by slash-separated relative path. Anything
// else than a file or a directory (a link, a device) is an error: an index holds only files.
func sumFiles(dir string) (map[string]string, error) {
	sums := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", rel)
		}
		sum, err := tree.FileSHA256(path)
		if err != nil {
			return err
		}
		sums[filepath.ToSlash(rel)] = sum
		return nil
	})
	return sums, err
}
