package publish

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"

	"xinyong"
	"xinyong/changes"
	"xinyong/generator"
	"xinyong/internal/tree"
	"xinyong/opendata"
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

	BaseURL string // "" for xinyong.BaseURL's default: DemoBaseURL for demo data, else DefaultBaseURL
	Theme   string // a theme directory instead of the embedded theme; "" for the embedded one

	Logger *slog.Logger
	// Progress, when set, receives one line per step as it starts and ends (a terminal).
	Progress func(step Step, done bool)
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
	// Index builds the search index into dir; nil is search.Build. Tests pass one that breaks the index.
	Index func(ctx context.Context, dir string, docs iter.Seq2[search.Doc, error]) (search.Stats, error)
}

// Step is one timed part of a publication.
type Step struct {
	Name     string        `json:"name"` // StepExport, ...
	Duration time.Duration `json:"duration_ns"`
}

// The steps of a publication, in order.
const (
	StepExport   = "export"
	StepOpenData = "opendata"
	StepChanges  = "changes"
	StepBuild    = "build"
	StepIndex    = "index"
	StepCompress = "compress"
	StepLink     = "link"
	StepPublish  = "publish"
)

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
	Steps      []Step      `json:"steps"`
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

// Run publishes once: export, build, index and compress into a new release directory, then make it current
// with one rename. A failure at any step (or a cancelled context) removes the unfinished release and leaves
// the current one untouched. An as-of date after today (by opt.Now, in Asia/Shanghai) is refused with
// ErrFuture before anything is written.
func Run(ctx context.Context, opt Options) (res *Result, err error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	base := opt.Logger
	if base == nil {
		base = slog.New(slog.DiscardHandler)
	}
	log := base.With("component", "run")
	if opt.AsOf.IsZero() {
		return nil, errors.New("run: no as-of date")
	}
	if today := xinyong.DateOf(now()); opt.AsOf.After(today) {
		return nil, fmt.Errorf("%w: "+xinyong.MsgRunFuture, ErrFuture, opt.AsOf, today, opt.AsOf)
	}
	// Inputs are checked before anything is written or read: a wrong theme fails now, not after the export.
	if err := site.CheckTheme(opt.Theme); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if err := site.CheckBaseURL(opt.BaseURL); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	build := opt.Build
	if build == nil {
		build = site.Build
	}
	index := opt.Index
	if index == nil {
		index = search.Build
	}
	releases := filepath.Join(opt.Data, ReleasesDir)
	if err := os.MkdirAll(releases, 0o755); err != nil {
		return nil, err
	}
	unlock, err := lock(opt.Data)
	if err != nil {
		return nil, err
	}
	defer unlock()
	removeUnfinished(releases, log)

	start := now()
	id := newID(releases, start)
	stage := filepath.Join(releases, ".tmp-"+id)
	if err := os.Mkdir(stage, 0o755); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(stage)
		}
	}()
	m := Manifest{ID: id, AsOf: opt.AsOf.String()}
	step := func(name string, fn func() error) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		s := Step{Name: name}
		if opt.Progress != nil {
			opt.Progress(s, false)
		}
		t := now()
		if err := fn(); err != nil {
			return &StepError{Step: name, Err: err}
		}
		s.Duration = now().Sub(t)
		m.Steps = append(m.Steps, s)
		log.Info("step", "step", name, "duration", s.Duration.Round(time.Millisecond))
		if opt.Progress != nil {
			opt.Progress(s, true)
		}
		return nil
	}

	docsPath := filepath.Join(stage, "search-docs.jsonl")
	if err := step(StepExport, func() error {
		return export(ctx, opt, stage, docsPath, &m, base)
	}); err != nil {
		return nil, err
	}
	prevDir, _, _ := Current(opt.Data)
	var prev *Manifest
	if prevDir != "" {
		prev, _ = ReadManifest(prevDir) // a release without a manifest is treated as no release
	}
	fp, err := site.Fingerprint(opt.Theme)
	if err != nil {
		return nil, err
	}
	// Known only now: a demo is published under the reserved address unless one was configured.
	opt.BaseURL = xinyong.BaseURL(opt.BaseURL, m.Demo)
	m.Input = inputID(m.DataVersion, fp, opt.BaseURL)
	if prev != nil && prev.Input == m.Input && !opt.Force {
		os.RemoveAll(stage)
		log.Info("unchanged: nothing published", "release", prev.ID, "as_of", m.AsOf)
		return &Result{Manifest: *prev, Dir: prevDir, Unchanged: true, Duration: now().Sub(start)}, nil
	}
	if err := guard(prev, &m, opt); err != nil {
		return nil, err
	}
	var prevRel, prevID string
	if prev != nil {
		prevRel, prevID = prevDir, prev.ID
	}
	if err := step(StepChanges, func() error {
		_, _, err := changes.Stage(ctx, prevRel, stage, changes.Meta{Release: id, Previous: prevID,
			AsOf: m.AsOf, BuiltAt: start, BaseURL: opt.BaseURL})
		return err
	}); err != nil {
		return nil, err
	}
	dataDir := filepath.Join(stage, "opendata")
	if err := step(StepOpenData, func() error {
		idx, err := opendata.Write(ctx, filepath.Join(stage, ContentDir), dataDir, opendata.Meta{Release: id,
			DataVersion: m.DataVersion, AsOf: m.AsOf, BuiltAt: start, BaseURL: opt.BaseURL})
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(stage, ContentDir, opendata.PageFile), opendata.Page(idx), 0o644)
	}); err != nil {
		return nil, err
	}
	if prev != nil {
		if err := checkSpace(stage, prevDir, prev); err != nil {
			return nil, err
		}
	}
	if err := step(StepBuild, func() error {
		r, err := build(ctx, site.Options{Content: filepath.Join(stage, ContentDir), Out: filepath.Join(stage, SiteDir),
			ThemeDir: opt.Theme, BaseURL: opt.BaseURL, WorkDir: filepath.Join(stage, ScratchDir),
			Logger: base.With("component", "build"), Now: now})
		if err != nil {
			return err
		}
		// Hugo's working directory is gone with the build; the scratch directory must not become part of the release.
		if err := os.RemoveAll(filepath.Join(stage, ScratchDir)); err != nil {
			return err
		}
		m.Pages, m.Files = r.Pages, r.Files
		// The downloads go beside the /data/ page, after the build so that Hugo never reads them.
		if err := moveFiles(dataDir, filepath.Join(stage, SiteDir, "data")); err != nil {
			return err
		}
		return moveFiles(changes.ScratchDir(stage), filepath.Join(stage, SiteDir, changes.SiteDataDir))
	}); err != nil {
		return nil, err
	}
	if err := step(StepIndex, func() error {
		st, err := index(ctx, filepath.Join(stage, IndexDir), readDocs(docsPath))
		if err != nil {
			return err
		}
		m.IndexDocs, m.IndexBytes = st.Docs, st.Bytes
		if m.IndexCheck, err = NewIndexCheck(stage, st.Probes); err != nil {
			return err
		}
		return os.Remove(docsPath)
	}); err != nil {
		return nil, err
	}
	if err := step(StepCompress, func() error {
		return Compress(ctx, filepath.Join(stage, SiteDir))
	}); err != nil {
		return nil, err
	}
	linked := 0
	if prev != nil {
		if err := step(StepLink, func() error {
			n, err := linkUnchanged(ctx, prevDir, stage)
			linked = n
			return err
		}); err != nil {
			return nil, err
		}
	}
	dir := filepath.Join(releases, id)
	if err := step(StepPublish, func() error {
		// The index as it will be served: the files summed after the index step, opened, answering the
		// probes. The server checks the same again when it switches to the release.
		idx, err := OpenIndex(ctx, stage, m.IndexCheck)
		if err != nil {
			return err
		}
		if err := idx.Close(); err != nil {
			return err
		}
		m.BuiltAt = now().UTC().Truncate(time.Second)
		size, err := diskUsage(stage)
		if err != nil {
			return err
		}
		m.Bytes = size
		if err := writeManifest(stage, &m); err != nil {
			return err
		}
		if err := tree.SyncFS(stage); err != nil { // the release's files are on disk before it is visible
			return err
		}
		if err := os.Rename(stage, dir); err != nil {
			return err
		}
		return switchCurrent(opt.Data, id)
	}); err != nil {
		return nil, err
	}
	res = &Result{Manifest: m, Dir: dir, Linked: linked, Duration: now().Sub(start)}
	res.Pruned = prune(releases, id, opt.Keep, log)
	log.Info("published", "release", id, "as_of", m.AsOf, "red", m.Red, "black", m.Black, "subjects", m.Subjects,
		"cases", m.Cases, "pages", m.Pages, "index_docs", m.IndexDocs, "duration", res.Duration.Round(time.Millisecond))
	return res, nil
}

// export writes the content tree and the data-quality report into the release and the search documents
// into docsPath.
func export(ctx context.Context, opt Options, stage, docsPath string, m *Manifest, log *slog.Logger) error {
	f, err := os.Create(docsPath)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	enc := json.NewEncoder(w)
	x := &generator.Exporter{Source: opt.Source, AsOf: opt.AsOf, Rules: opt.Rules, Logger: log.With("component", "export"),
		Now: opt.Now, Docs: func(d search.Doc) error { return enc.Encode(d) }}
	r, err := x.Export(ctx, filepath.Join(stage, ContentDir), filepath.Join(stage, "quality"))
	if err != nil {
		return err
	}
	m.DataVersion, m.Demo, m.Red, m.Black, m.Subjects, m.Cases, m.Notices =
		r.DataVersion, r.Demo, r.Red, r.Black, r.Subjects, r.Cases, r.Notices
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// readDocs streams the search documents the export wrote.
func readDocs(path string) iter.Seq2[search.Doc, error] {
	return func(yield func(search.Doc, error) bool) {
		f, err := os.Open(path)
		if err != nil {
			yield(search.Doc{}, err)
			return
		}
		defer f.Close()
		dec := json.NewDecoder(bufio.NewReaderSize(f, 1<<16))
		for {
			var d search.Doc
			err := dec.Decode(&d)
			if err == io.EOF {
				return
			}
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
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
func switchCurrent(data, id string) error {
	tmp := filepath.Join(data, ".current-"+id)
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join(ReleasesDir, id), tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(data, CurrentLink)); err != nil {
		os.Remove(tmp)
		return err
	}
	return tree.SyncDir(data)
}

// removeUnfinished deletes what publications that crashed or were killed left behind: their staging
// directories, releases half pruned, and a new current link that was never renamed into place. It runs
// under the lock.
func removeUnfinished(releases string, log *slog.Logger) {
	links, _ := filepath.Glob(filepath.Join(filepath.Dir(releases), ".current-*"))
	for _, l := range links {
		os.Remove(l)
	}
	stale, _ := filepath.Glob(filepath.Join(releases, ".tmp-*"))
	for _, dir := range stale {
		log.Warn("removing an unfinished release", "dir", dir)
		os.RemoveAll(dir)
	}
}

// lock takes the data directory's lock (flock on data/.lock), so that two publications never run at once,
// in one process or several. It fails at once with ErrBusy if another holds it.
func lock(data string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(data, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
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
