// Package publish is the nightly publication; it publishes the site: one run exports the public records, builds the site and its search
// index into a new release directory under the data directory, and then makes it current with one atomic
// rename of a symbolic link.
//
// The data directory:
//
//	<data>/current                  symbolic link to releases/<id> (relative); replaced by rename(2)
//	<data>/releases/<id>/site/      the built site, with precompressed .gz variants beside large text files
//	<data>/releases/<id>/index/     the Bleve index of exactly what the site publishes (package search)
//	<data>/releases/<id>/content/   the export tree the site was built from; a rollback reads its pages
//	<data>/releases/<id>/release.json  the manifest: id, as-of date, build time, counts, step times
//
// A release directory is complete before current points at it and is never changed afterwards; readers
// (xinyong serve) resolve current once per switch and keep using that directory.
package publish

import (
	"fmt"
	"os"
	"path/filepath"
)

// Names inside the data directory and inside a release.
const (
	CurrentLink  = "current"
	ReleasesDir  = "releases"
	SiteDir      = "site"
	IndexDir     = "index"
	ContentDir   = "content"
	ManifestFile = "release.json"
	// ScratchDir, inside a release's staging directory (releases/.tmp-<id>/), holds the build's scratch
	// files (Hugo's working directory and cache, the child build's TMPDIR): a killed run leaves them
	// there, where the next run removes them with the staging directory, never in the system's temp
	// directory. It is removed after the build.
	ScratchDir = "tmp"
)

// Current returns the directory of the current release and its id. It returns an error wrapping
// os.ErrNotExist when nothing has been published yet.
func Current(data string) (dir, id string, err error) {
	target, err := os.Readlink(filepath.Join(data, CurrentLink))
	if err != nil {
		return "", "", fmt.Errorf("no current release in %s: %w", data, err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(data, target)
	}
	return target, filepath.Base(target), nil
}
