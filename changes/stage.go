package changes

import (
	"context"
	"os"
	"path/filepath"
)

// The parts of a release directory this package reads and writes, as publish lays it out.
const (
	releaseContent = "content" // the export tree
	releaseSite    = "site"    // the built site
	scratchDir     = "changes/data"
)

// ScratchDir is where Stage writes the delta files of a release being staged; the pipeline moves its files
// into <stage>/site/data/changes (SiteDataDir) after the build, as it does with the open-data files.
func ScratchDir(stage string) string { return filepath.Join(stage, scratchDir) }

// HistoryPath is the history file of a release directory.
func HistoryPath(release string) string { return filepath.Join(release, HistoryFile) }

// Stage does everything this package does for a release, before its site is built: it compares the
// staged export tree (<stage>/content) with the previous release's (<prev>/content; prev is the current
// release's directory, "" for none), writes the delta files into ScratchDir(stage), the history into
// <stage>/HistoryFile and the /changes/ pages into <stage>/content/changes/. Nothing outside stage is
// written, so a publication that fails later leaves no trace, and the history becomes the data directory's
// only when the release becomes current.
func Stage(ctx context.Context, prev, stage string, meta Meta) (*Delta, *Index, error) {
	var prevContent, prevData, prevHistory string
	if prev != "" {
		prevContent = filepath.Join(prev, releaseContent)
		if _, err := os.Stat(filepath.Join(prevContent, "_index.md")); err != nil {
			prevContent = "" // a release without its export tree: compare with nothing
		}
		prevData = filepath.Join(prev, releaseSite, SiteDataDir)
		prevHistory = HistoryPath(prev)
	}
	content := filepath.Join(stage, releaseContent)
	d, err := Diff(ctx, prevContent, content)
	if err != nil {
		return nil, nil, err
	}
	out := ScratchDir(stage)
	idx, err := WriteFiles(ctx, prevData, out, meta, d)
	if err != nil {
		return nil, nil, err
	}
	if err := Record(ctx, prevHistory, HistoryPath(stage), meta, d); err != nil {
		return nil, nil, err
	}
	if err := WritePages(content, out, idx); err != nil {
		return nil, nil, err
	}
	return d, idx, nil
}
