package publish

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/tree"
	"xinyong/search"
	"xinyong/site"
)

// Options says what one publication reads and where it publishes.
type Options struct {
	Source generator.Source
	AsOf   xinyong.Date
	Data   string // the data directory
	// Rules are the publication rules configuration can change (generator.Exporter.Rules).
	Rules xinyong.Rules
	// Lists are the list descriptions (generator.Exporter.Lists); nil is the defaults.
	Lists generator.ListDescriptions

	BaseURL string // "" for xinyong.BaseURL's default: DemoBaseURL for demo data, else DefaultBaseURL
	Theme   string // a theme directory instead of the embedded theme; "" for the embedded one
	// Identity is the portal's identity shown in every page's footer (site.Options.Identity); part of the
	// input, so that a change publishes again even when the data did not change.
	Identity site.Identity

	Logger *slog.Logger
	// Progress, when set, is called as each step starts and as it ends, with the time it took (a terminal
	// prints a line each time).
	Progress func(step Step, done bool, took time.Duration)
	Now      func() time.Time

	// Keep is how many releases to keep (the current one always stays); 0 means DefaultKeep.
	Keep int
	// MaxShrink is the largest share of either list that one publication may remove (the guard); 0 means
	// DefaultMaxShrink. Force publishes anyway, after a person has looked.
	MaxShrink float64
	Force     bool

	// Build builds the site; nil is site.Build in this process. A long-lived process passes a function
	// that runs the build in a child process (Hugo keeps memory per build).
	Build func(ctx context.Context, opt site.Options) (*site.Result, error)
	// Log signs and stamps the publication log.
	Log LogOptions
	// Index builds the search index into dir; nil is search.Build. Tests pass one that breaks the index.
	Index func(ctx context.Context, dir string, docs iter.Seq2[search.Doc, error]) (search.Stats, error)
}

// Defaults of Options.
const (
	DefaultKeep      = 7
	DefaultMaxShrink = 0.20
)

// Manifest is release.json: what a release holds.
type Manifest struct {
	ID          string    `json:"id"`
	AsOf        string    `json:"as_of"`
	BuiltAt     time.Time `json:"built_at"`
	DataVersion string    `json:"data_version"`
	// Demo says that the release was made from a database marked as demo data: every page says so.
	Demo bool `json:"demo"`
	// Input identifies what the release was made from: the export (its data version), the theme, the site
	// configuration, the base URL and the program. A publication with the same input publishes nothing.
	Input      string `json:"input"`
	Red        int    `json:"red"`
	Black      int    `json:"black"`
	Subjects   int    `json:"subjects"`
	Cases      int    `json:"cases"`
	Notices    int    `json:"notices"`
	Pages      int    `json:"pages"`
	Files      int    `json:"files"`
	IndexDocs  int    `json:"index_docs"`
	IndexBytes int64  `json:"index_bytes"`
	// Bytes is the size of the release's files, hard links to the previous release counted: what the
	// next publication will need on disk (it is refused before the build without it).
	Bytes int64 `json:"bytes,omitempty"`
	// IndexCheck is checked before the release is made current, by the publication and by the server
	// when it switches to the release: nil in a release published by an older xinyong.
	IndexCheck *IndexCheck `json:"index_check,omitempty"`
	// RecordsFingerprint identifies the layouts, translations and chrome the record pages were rendered
	// with (site.Result.RecordsFingerprint): the next publication reuses the pages of unchanged records
	// when its own is the same.
	RecordsFingerprint string `json:"records_fingerprint,omitempty"`
	// RecordsReused counts the record pages hard-linked from the previous release instead of rendered.
	RecordsReused int `json:"records_reused,omitempty"`
	// CasesKey identifies what the case pages depend on besides their export pages (site.Result.CasesKey):
	// the next publication keeps the case pages and notices whose export page did not change when its own
	// key, and its records fingerprint, are the same. CasesReused counts those this release kept.
	CasesKey    string `json:"cases_key,omitempty"`
	CasesReused int    `json:"cases_reused,omitempty"`
	// Log is the release's switch in the publication log (docs/archive.md); nil for a release made
	// before the log.
	Log   *LogInfo   `json:"log,omitempty"`
	Steps []StepTime `json:"steps"`
}

// Result describes a publication.
type Result struct {
	Manifest
	Dir       string // the release directory
	Unchanged bool   // nothing changed since the current release: nothing was published
	Linked    int    // files hard-linked from the previous release
	Pruned    []string
	Duration  time.Duration
}

// ErrBusy is returned when another publication holds the data directory's lock.
var ErrBusy = errors.New(xinyong.MsgRunBusy)

// ErrFuture marks a publication refused because its as-of date is after today in Asia/Shanghai: it would
// publish entries before their day. Force does not lift it; a preview of a later date is an export and a
// build into another directory.
var ErrFuture = errors.New("as-of date in the future")

// export writes the content tree and the data-quality report into the release being staged, with the
// tree's content sums, and the search documents beside them. prev, when not nil, is the current release's
// tree and sums: files that did not change are linked from it. pages is the pages file the export
// replaces (generator.Exporter.Pages; "" for none).
func export(ctx context.Context, opt Options, stage Release, prev *generator.Previous, pages string, m *Manifest, log *slog.Logger) (*generator.Result, error) {
	f, err := os.Create(stage.searchDocs())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w := search.NewDocsWriter(f)
	x := &generator.Exporter{Source: opt.Source, AsOf: opt.AsOf, Rules: opt.Rules, Lists: opt.Lists,
		Logger: log.With("component", "export"),
		Now:    opt.Now, Docs: w.Write, Previous: prev, Sums: stage.ContentSums(), Pages: pages}
	r, err := x.Export(ctx, stage.Content(), stage.Quality())
	if err != nil {
		return nil, err
	}
	m.DataVersion, m.Demo, m.Red, m.Black, m.Subjects, m.Cases, m.Notices =
		r.DataVersion, r.Demo, r.Red, r.Black, r.Subjects, r.Cases, r.Notices
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return r, f.Close()
}

// newID names a release by its start time (UTC, sortable), with a suffix (-002, -003, ...) if that name
// is taken.
func newID(releases string, t time.Time) string {
	base := t.UTC().Format("20060102T150405Z")
	id := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(filepath.Join(releases, id)); os.IsNotExist(err) {
			return id
		}
		id = fmt.Sprintf("%s-%03d", base, n) // zero-padded, so that ids sort as text
	}
}

func writeManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, ManifestFile), append(data, '\n'), 0o644)
}

// ReadManifest reads the release.json of a release directory.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}

// switchCurrent points data/current at releases/id: a new link under a temporary name, renamed over the
// old one (rename(2) replaces it atomically), and the directory synced so that the switch survives a crash.
func switchCurrent(data Layout, id string) error {
	tmp := filepath.Join(data.Root, ".current-"+id)
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join(ReleasesDir, id), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, data.CurrentLink()); err != nil {
		os.Remove(tmp)
		return err
	}
	return tree.SyncDir(data.Root)
}

// removeUnfinished deletes what publications that crashed or were killed left behind: their staging
// directories, releases half pruned, and a new current link that was never renamed into place. It runs
// under the lock.
func removeUnfinished(data Layout, log *slog.Logger) {
	links, _ := filepath.Glob(filepath.Join(data.Root, ".current-*"))
	for _, l := range links {
		os.Remove(l)
	}
	stale, _ := filepath.Glob(filepath.Join(data.Releases(), stagePrefix+"*"))
	for _, dir := range stale {
		log.Warn("removing an unfinished release", "dir", dir)
		os.RemoveAll(dir)
	}
}

// lock takes the data directory's lock (flock on data/.lock), so that two publications never run at once,
// in one process or several. It fails at once with ErrBusy if another holds it.
func lock(data Layout) (unlock func(), err error) {
	f, err := os.OpenFile(data.Lock(), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, ErrBusy
		}
		return nil, err
	}
	return func() { unix.Flock(int(f.Fd()), unix.LOCK_UN); f.Close() }, nil
}

// Source is what a publication reads: the exchange database (exchange.DB).
type Source = generator.Source

// moveFiles moves the files of from into the directory to (created if needed) and removes from.
func moveFiles(from, to string) error {
	if err := os.MkdirAll(to, 0o755); err != nil {
		return err
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.Rename(filepath.Join(from, e.Name()), filepath.Join(to, e.Name())); err != nil {
			return err
		}
	}
	return os.Remove(from)
}
