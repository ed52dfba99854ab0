// Package publish is the nightly publication of 信用盘锦: one run exports what is public on a date,
// records what changed, writes the downloads, builds the site and its search index into a new release
// directory under the data directory, and then makes it current with one atomic rename of a symbolic link.
// Run performs the steps Steps lists, in that order.
//
// The data directory (Layout):
//
//	<data>/current                  symbolic link to releases/<id> (relative); replaced by rename(2)
//	<data>/state.db                 the run history (package scheduler): runs, outcomes, alerts
//	<data>/.lock                    held (flock) by the publication in progress
//	<data>/content.pages            the record pages of the last export with the digest of the rows each
//	                                was made from: the next export takes a page whose rows did not
//	                                change from there instead of rendering it (generator/reuse.go)
//	<data>/records.rowstore         the list rows the last build printed (package render)
//	<data>/log/                     the publication log (package archive): what every switch of the served
//	                                release added and removed, by page SHA-256; outlives pruning
//	<data>/releases/<id>/           a release (Release):
//	  site/                         the built site, with precompressed .gz variants beside large text files
//	  index/                        the Bleve index of exactly what the site publishes (package search)
//	  content/                      the export tree the site was built from; a rollback reads its pages
//	  content.sums                  the SHA-256 of every file of content/ (tree.Sums): the next export
//	                                links the files it would write unchanged instead of writing them
//	  records.rows                  the list rows of the record pages (package render): the next build
//	                                takes an unchanged record's row and links its page without reading it
//	  quality/                      the data-quality report for the departments
//	  changes/history.jsonl.gz      what every release added and removed (HistoryFile, package changes)
//	  site.sums                     the SHA-256 of every file of site/ but .gz siblings and log/ (sha256sum
//	                                format): what the log records, and what the next night reuses
//	  log/                          this release's switch as appended to the log: state, set, index,
//	                                checkpoint (archive.Pending), which the publish step commits
//	  release.json                  the manifest: id, as-of date, build time, counts, step times
//	<data>/releases/.tmp-<id>/      a release being staged; its tmp/ holds the build's scratch files
//
// A release directory is complete before current points at it and is never changed afterwards; readers
// (xinyong serve) resolve current once per switch and keep using that directory.
package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"xinyong/changes"
)

// Names inside the data directory and inside a release. Code outside tests reaches them through Layout
// and Release.
const (
	CurrentLink = "current"
	ReleasesDir = "releases"
	StateFile   = "state.db"
	LockFile    = ".lock"
	SiteDir     = "site"
	IndexDir    = "index"
	ContentDir  = "content"
	// ContentSumsFile holds the SHA-256 of every file of ContentDir, written by the export (tree.Sums),
	// so that the next night's export hard-links an unchanged page from this release without reading it.
	ContentSumsFile = "content.sums"
	// ContentPagesFile holds the bytes of the export's record pages with the digest of the program, rules
	// and database rows each was made from (generator.Exporter.Pages): the next night's export takes a
	// page whose digest is the same from there instead of cleaning and rendering it. Not public. One copy
	// for the data directory, replaced whole by each export (162 MB at 100,000 entries, so that seven, one
	// per release kept, would cost 1.1 GB, 11 GB at a million), outside every release: what it holds is
	// keyed by the rows a page is made from, so whichever release is current it never gives a stale page.
	ContentPagesFile = "content.pages"
	// RecordRowsFile holds the list rows of the site's record pages with the SHA-256 of the export page
	// each was made from (render's rows file), written by the build: the next night's build links an
	// unchanged record's page and takes its row without reading it. Outside site/: it is not public.
	RecordRowsFile = "records.rows"
	// RowStoreFile holds the HTML of every list row the last build printed, by record, export page and
	// variants (render's row store), so that the next build prints again only the rows of records that
	// changed. One copy for the data directory, replaced whole by each build (about 54 MB at 100,000 entries:
	// seven copies, one per release kept, would cost 0.4 GB, 4 GB at a million), and outside every release:
	// what it holds is keyed by content, so whichever release is current it never serves a stale row.
	RowStoreFile = "records.rowstore"
	QualityDir   = "quality"
	// LogDir is the publication log in the data directory (package archive), and in a release the switch
	// it appended; SiteLogDir is where the site publishes the log (/log/).
	LogDir     = "log"
	SiteLogDir = "log"
	// SiteSumsFile lists the SHA-256 of every file of SiteDir but the .gz siblings and log/, sorted by
	// path, in sha256sum's format: what the log records the release serves.
	SiteSumsFile = "site.sums"
	// RenderedSumsFile lists the SHA-256 of the pages the record renderer wrote but the record pages (the
	// lists and terms), as the build summed them from memory (site.Options.PageSums): the log step's.
	RenderedSumsFile = "rendered.sums"
	ManifestFile     = "release.json"
	// ScratchDir, inside a release's staging directory (releases/.tmp-<id>/), holds the build's scratch
	// files (Hugo's working directory and cache, the child build's TMPDIR): a killed run leaves them
	// there, where the next run removes them with the staging directory, never in the system's temp
	// directory. It is removed after the build.
	ScratchDir = "tmp"
	// stagePrefix starts the name of a release being staged, under releases/.
	stagePrefix = ".tmp-"
	// searchDocsFile, in a staging directory, holds the search documents between the export and the index.
	searchDocsFile = "search-docs.jsonl"
	// openDataScratch, in a staging directory, holds the downloads until the build has made site/.
	openDataScratch = "opendata"
	// HistoryFile is where a release keeps the change history (package changes). Each release has its own
	// copy, the history as of that release; the data directory's history is the current release's copy,
	// so that switching current (a publication or a rollback) switches the history with the site.
	HistoryFile = "changes/history.jsonl.gz"
	// changesScratch, in a staging directory, holds the delta files until the build has made site/.
	changesScratch = "changes/data"
)

// Layout is a data directory: where publications write and the server, the scheduler, doctor and the
// operator's commands read. It is the one place that knows the names inside it.
type Layout struct {
	Root string
}

// CurrentLink is the symbolic link to the current release.
func (l Layout) CurrentLink() string { return filepath.Join(l.Root, CurrentLink) }

// Releases is the directory that holds the releases.
func (l Layout) Releases() string { return filepath.Join(l.Root, ReleasesDir) }

// Release is the release id.
func (l Layout) Release(id string) Release { return Release{Dir: filepath.Join(l.Releases(), id)} }

// State is the run history, a SQLite database (package scheduler).
func (l Layout) State() string { return filepath.Join(l.Root, StateFile) }

// ContentPages is the export's pages file (ContentPagesFile).
func (l Layout) ContentPages() string { return filepath.Join(l.Root, ContentPagesFile) }

// RowStore is the build's row store (RowStoreFile).
func (l Layout) RowStore() string { return filepath.Join(l.Root, RowStoreFile) }

// Log is the publication log's directory (package archive).
func (l Layout) Log() string { return filepath.Join(l.Root, LogDir) }

// Lock is the file a publication holds its lock on.
func (l Layout) Lock() string { return filepath.Join(l.Root, LockFile) }

// stage is the staging directory of release id.
func (l Layout) stage(id string) Release {
	return Release{Dir: filepath.Join(l.Releases(), stagePrefix+id)}
}

// Current returns the current release. It returns an error wrapping os.ErrNotExist when nothing has been
// published yet.
func (l Layout) Current() (Release, error) {
	target, err := os.Readlink(l.CurrentLink())
	if err != nil {
		return Release{}, fmt.Errorf("no current release in %s: %w", l.Root, err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(l.Root, target)
	}
	return Release{Dir: target}, nil
}

// Current returns the directory of the current release of the data directory data and its id
// (Layout.Current).
func Current(data string) (dir, id string, err error) {
	r, err := Layout{Root: data}.Current()
	if err != nil {
		return "", "", err
	}
	return r.Dir, r.ID(), nil
}

// Release is one release directory (or one being staged).
type Release struct {
	Dir string
}

// ID is the release's id: its directory's name, without the staging prefix.
func (r Release) ID() string { return strings.TrimPrefix(filepath.Base(r.Dir), stagePrefix) }

// Site is the built site.
func (r Release) Site() string { return filepath.Join(r.Dir, SiteDir) }

// Index is the search index.
func (r Release) Index() string { return filepath.Join(r.Dir, IndexDir) }

// Content is the export tree.
func (r Release) Content() string { return filepath.Join(r.Dir, ContentDir) }

// ContentSums is the content sums of the export tree (ContentSumsFile).
func (r Release) ContentSums() string { return filepath.Join(r.Dir, ContentSumsFile) }

// RecordRows is the build's record rows (RecordRowsFile).
func (r Release) RecordRows() string { return filepath.Join(r.Dir, RecordRowsFile) }

// Quality is the data-quality report.
func (r Release) Quality() string { return filepath.Join(r.Dir, QualityDir) }

// SiteSums lists the SHA-256 of the site's files (SiteSumsFile).
func (r Release) SiteSums() string { return filepath.Join(r.Dir, SiteSumsFile) }

// RenderedSums lists the SHA-256 of the list and term pages the build wrote (RenderedSumsFile).
func (r Release) RenderedSums() string { return filepath.Join(r.Dir, RenderedSumsFile) }

// Log is the release's switch as appended to the publication log (archive.Pending).
func (r Release) Log() string { return filepath.Join(r.Dir, LogDir) }

// Manifest is release.json.
func (r Release) Manifest() string { return filepath.Join(r.Dir, ManifestFile) }

// History is the change history the release carries (package changes).
func (r Release) History() string { return filepath.Join(r.Dir, HistoryFile) }

// ChangesData is where the site serves the delta files of the change record (/data/changes/).
func (r Release) ChangesData() string { return filepath.Join(r.Site(), changes.SiteDataDir) }

// OpenData is where the site serves the downloads (/data/).
func (r Release) OpenData() string { return filepath.Join(r.Site(), "data") }

// changesScratch is where a release being staged keeps its delta files until the build has made Site.
func (r Release) changesScratch() string { return filepath.Join(r.Dir, changesScratch) }

// Scratch is where the build of a release being staged keeps its scratch files.
func (r Release) Scratch() string { return filepath.Join(r.Dir, ScratchDir) }

// searchDocs is where the export of a release being staged writes the search documents.
func (r Release) searchDocs() string { return filepath.Join(r.Dir, searchDocsFile) }

// openData is where a release being staged keeps its downloads until the build has made Site.
func (r Release) openData() string { return filepath.Join(r.Dir, openDataScratch) }
