package publish

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"xinyong"
	"xinyong/changes"
	"xinyong/generator"
	"xinyong/internal/tree"
	"xinyong/opendata"
	"xinyong/render"
	"xinyong/search"
	"xinyong/site"
)

// Step is one named part of a publication. Run performs Steps in order, each after the one before has
// succeeded; a failure is a *StepError naming the step.
type Step struct {
	Name  string // in release.json, the log and the run history: StepExport, ...
	Label string // what a terminal shows the operator while the step runs (Chinese)
	run   func(ctx context.Context, r *run) error
	// beside, when set, names an earlier step: this one starts as soon as that one has succeeded and runs
	// beside the steps between, which neither read nor write what it does; Run waits for it where Steps
	// lists it.
	beside string
}

// StepTime is how long a step took, in release.json.
type StepTime struct {
	Name     string        `json:"name"` // Step.Name
	Duration time.Duration `json:"duration_ns"`
}

// The names of the steps, in order.
const (
	StepExport   = "export"
	StepCompare  = "compare"
	StepChanges  = "changes"
	StepOpenData = "opendata"
	StepBuild    = "build"
	StepIndex    = "index"
	StepLink     = "link"
	StepCompress = "compress"
	StepLog      = "log"
	StepPublish  = "publish"
)

// Steps returns the steps of a publication, in the order Run performs them.
func Steps() []Step {
	return []Step{
		{StepExport, xinyong.MsgStepExport, exportStep, ""},
		{StepCompare, xinyong.MsgStepCompare, compareStep, ""},
		{StepChanges, xinyong.MsgStepChanges, changesStep, ""},
		// The open data read the export's record pages and the current release's downloads and write their
		// own directory and content/data.md; the changes read the list sections' pages and the sums and
		// write content/changes/ and the history: neither reads what the other writes, and each runs on
		// one core, so the open data run beside the changes, from the compare step on.
		{StepOpenData, xinyong.MsgStepOpenData, openDataStep, StepCompare},
		// The build starts after the compare step too, beside the changes and the open data, and does
		// what needs neither (its child process starting, linking the unchanged record pages) until both
		// have written their pages into the tree (site.Options.Ready, contentWhole).
		{StepBuild, xinyong.MsgStepBuild, buildStep, StepCompare},
		// The index reads only the export's search documents and writes only index/ (which the build's
		// space check leaves out of the staged size): it runs on one core from the compare step on, beside
		// the changes and the open data and the build, which leaves part of the second core idle (at a
		// million entries on the disk, 0.6 of a core: its writes wait for the disk); the link step waits
		// for it. Started with the export instead, reading the documents as they were written, it took the
		// export's second core: a million-entry export took 145 s, against 75–93 s before
		// (docs/benchmarks.md).
		{StepIndex, xinyong.MsgStepIndex, indexStep, StepCompare},
		{StepLink, xinyong.MsgStepLink, linkStep, ""},
		{StepCompress, xinyong.MsgStepCompress, compressStep, ""},
		// The log sums the site's files but the .gz the compress step adds, and reads what the link step's
		// walk found: it runs beside the compress step, from the link step on.
		{StepLog, xinyong.MsgStepLog, logStep, StepLink},
		{StepPublish, xinyong.MsgStepPublish, publishStep, ""},
	}
}

// run is one publication in progress: what its steps share.
type run struct {
	opt    Options
	data   Layout
	stage  Release // releases/.tmp-<id>: everything is written here until the publish step renames it
	id     string
	start  time.Time
	now    func() time.Time
	log    *slog.Logger // the run's component logger
	base   *slog.Logger // the logger the stages get their own component loggers from
	build  func(ctx context.Context, opt site.Options) (*site.Result, error)
	index  func(ctx context.Context, dir string, docs iter.Seq2[search.Doc, error]) (search.Stats, error)
	mu     sync.Mutex // guards m.Steps, which steps running beside each other append to
	m      Manifest
	prev   *Manifest // the current release's manifest; nil when there is none (or it has none)
	cur    Release   // the current release; Dir "" when there is none
	linked int       // files hard-linked from the current release
	// records is what the build reported of the record pages it wrote (site.Result.Records), for the
	// link step's walk.
	records render.Stats
	walk    *walked // what the link step's walk of the stage found, for the compress and publish steps
	// logBytes is the size of what the log step wrote (site.sums, log/, site/log/), which the publish
	// step adds to the walk's: the log step runs beside the compress step, which adds to it too.
	logBytes int64
	// contentBytes is the size of the export tree's files (generator.Result.Bytes), which the build step's
	// check of the free space counts without walking the tree.
	contentBytes int64
	// unchanged is set by the compare step when the publication would publish what is current: Run stops
	// there and publishes nothing.
	unchanged bool
	// changed and opened are closed when the changes and the open-data steps have written their pages
	// into the export tree, for the build running beside them (contentWhole).
	changed, opened chan struct{}
}

// contentWhole waits until the changes and the open-data steps have succeeded, which have then written
// the /changes/ and /data/ pages into the export tree; the context ends when either fails.
func (r *run) contentWhole(ctx context.Context) error {
	for _, c := range []chan struct{}{r.changed, r.opened} {
		select {
		case <-c:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// errStop ends a publication after a step without an error: nothing is to be published.
var errStop = errors.New("stop")

// Run publishes once: it performs Steps in order — export, build, index and compress into a new release
// directory, then make it current with one rename — and prunes old releases. A failure at any step (or a
// cancelled context) removes the unfinished release and leaves the current one untouched. An as-of date
// after today (by opt.Now, in Asia/Shanghai) is refused with ErrFuture before anything is written; so are
// a theme directory and a base URL that cannot be used.
func Run(ctx context.Context, opt Options) (res *Result, err error) {
	r := &run{opt: opt, data: Layout{Root: opt.Data}, now: opt.Now, base: opt.Logger, build: opt.Build, index: opt.Index}
	if r.now == nil {
		r.now = time.Now
	}
	if r.base == nil {
		r.base = slog.New(slog.DiscardHandler)
	}
	if r.build == nil {
		r.build = site.Build
	}
	if r.index == nil {
		r.index = search.Build
	}
	r.log = r.base.With("component", "run")
	if opt.AsOf.IsZero() {
		return nil, errors.New("run: no as-of date")
	}
	if today := xinyong.DateOf(r.now()); opt.AsOf.After(today) {
		return nil, fmt.Errorf("%w: "+xinyong.MsgRunFuture, ErrFuture, opt.AsOf, today, opt.AsOf)
	}
	// Inputs are checked before anything is written or read: a wrong theme fails now, not after the export.
	if err := site.CheckTheme(opt.Theme); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if err := site.CheckBaseURL(opt.BaseURL); err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	if err := os.MkdirAll(r.data.Releases(), 0o755); err != nil {
		return nil, err
	}
	unlock, err := lock(r.data)
	if err != nil {
		return nil, err
	}
	defer unlock()
	removeUnfinished(r.data, r.log)

	r.start = r.now()
	r.id = newID(r.data.Releases(), r.start)
	r.stage = r.data.stage(r.id)
	if err := os.Mkdir(r.stage.Dir, 0o755); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil || r.unchanged {
			os.RemoveAll(r.stage.Dir)
		}
	}()
	r.m = Manifest{ID: r.id, AsOf: opt.AsOf.String()}
	// The current release, which the export, the build and the index build on and the compare step
	// compares with: read once, before any step.
	if cur, err := r.data.Current(); err == nil {
		r.cur = cur
		r.prev, _ = ReadManifest(cur.Dir) // a release without a manifest is treated as no release
	}
	r.changed, r.opened = make(chan struct{}), make(chan struct{})
	if err := r.steps(ctx); err != nil {
		return nil, err
	}
	if r.unchanged {
		r.log.Info("unchanged: nothing published", "release", r.prev.ID, "as_of", r.m.AsOf)
		return &Result{Manifest: *r.prev, Dir: r.cur.Dir, Unchanged: true, Duration: r.now().Sub(r.start)}, nil
	}
	res = &Result{Manifest: r.m, Dir: r.data.Release(r.id).Dir, Linked: r.linked, Duration: r.now().Sub(r.start)}
	res.Pruned = prune(r.data, r.id, opt.Keep, r.log)
	m := r.m
	r.log.Info("published", "release", r.id, "as_of", m.AsOf, "red", m.Red, "black", m.Black, "subjects", m.Subjects,
		"cases", m.Cases, "pages", m.Pages, "index_docs", m.IndexDocs, "duration", res.Duration.Round(time.Millisecond))
	return res, nil
}

// steps performs Steps in order, each after the one before has succeeded, but a step that runs beside
// others (Step.beside), which starts after the step it names and is waited for where Steps lists it. A step
// that fails cancels the others; the first failure is returned (a step running beside is waited for before
// Run returns, so that nothing writes into the staging directory once it is removed).
func (r *run) steps(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	var (
		wg      sync.WaitGroup
		bgErr   error // the first failure of a step running beside
		bgMu    sync.Mutex
		started = map[string]chan error{}
	)
	defer func() {
		cancel()
		wg.Wait()
	}()
	steps := Steps()
	// start starts, each in a goroutine, the steps that run beside s from its success on.
	start := func(s Step) {
		for _, b := range steps {
			if b.beside != s.Name {
				continue
			}
			ch := make(chan error, 1)
			started[b.Name] = ch
			wg.Go(func() {
				err := r.do(ctx, b)
				if err != nil {
					bgMu.Lock()
					if bgErr == nil {
						bgErr = err
					}
					bgMu.Unlock()
					cancel()
				}
				ch <- err
			})
		}
	}
	for _, s := range steps {
		if ch, ok := started[s.Name]; ok {
			if err := <-ch; err != nil {
				// The first failure, which cancelled the others: this one may only have been cancelled.
				bgMu.Lock()
				defer bgMu.Unlock()
				return cmp.Or(bgErr, err)
			}
			continue
		}
		if s.beside != "" {
			continue // not started: the step it runs beside stopped the publication
		}
		err := r.do(ctx, s)
		if err != nil && !errors.Is(err, errStop) {
			bgMu.Lock()
			defer bgMu.Unlock()
			if bgErr != nil {
				return bgErr // this step was cancelled because one beside it failed
			}
			return err
		}
		if err != nil {
			return nil // errStop: nothing to publish
		}
		start(s)
	}
	return nil
}

// do performs one step: it reports the step's start and end to opt.Progress, logs its time, and records it
// in the manifest, in the order of Steps (the publish step writes the manifest, so its own time is only
// logged). Steps running beside each other may call it at the same time.
func (r *run) do(ctx context.Context, s Step) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.opt.Progress != nil {
		r.opt.Progress(s, false, 0)
	}
	t := r.now()
	err := s.run(ctx, r)
	if err != nil && !errors.Is(err, errStop) {
		return &StepError{Step: s.Name, Err: err}
	}
	took := r.now().Sub(t)
	r.mu.Lock()
	r.m.Steps = append(r.m.Steps, StepTime{Name: s.Name, Duration: took})
	slices.SortStableFunc(r.m.Steps, func(a, b StepTime) int { return stepOrder(a.Name) - stepOrder(b.Name) })
	r.mu.Unlock()
	r.log.Info("step", "step", s.Name, "duration", took.Round(time.Millisecond))
	if r.opt.Progress != nil {
		r.opt.Progress(s, true, took)
	}
	return err
}

// stepOrder is the place of the named step in Steps.
func stepOrder(name string) int {
	return slices.IndexFunc(Steps(), func(s Step) bool { return s.Name == name })
}

// exportStep writes the content tree and the data-quality report into the release, and the search
// documents beside them for the index step.
func exportStep(ctx context.Context, r *run) error {
	var prev *generator.Previous
	if cur := r.cur; cur.Dir != "" {
		// The files of records that did not change are linked from the current release, not written, and
		// the pages of records whose rows did not change are taken from the data directory's pages file
		// (the last export's, keyed by the rows), not rendered.
		prev = &generator.Previous{Content: cur.Content(), Sums: cur.ContentSums(), Pages: r.data.ContentPages()}
	}
	// The pages file is replaced (written beside, renamed over) once the export has read what it needs.
	res, err := export(ctx, r.opt, r.stage, prev, r.data.ContentPages(), &r.m, r.base)
	if err == nil {
		r.contentBytes = res.Bytes
	}
	return err
}

// compareStep compares the publication with the current release: it stops the run when it would publish
// exactly what is current (the same data, theme, configuration, base URL and program), and refuses it
// (ErrGuard) when the database looks broken rather than changed.
func compareStep(ctx context.Context, r *run) error {
	fp, err := site.Fingerprint(r.opt.Theme)
	if err != nil {
		return err
	}
	// Known only now: a demo is published under the reserved address unless one was configured.
	r.opt.BaseURL = xinyong.BaseURL(r.opt.BaseURL, r.m.Demo)
	id, err := json.Marshal(r.opt.Identity)
	if err != nil {
		return err
	}
	r.m.Input = inputID(r.m.DataVersion, fp, r.opt.BaseURL, string(id))
	if r.prev != nil && r.prev.Input == r.m.Input && !r.opt.Force {
		r.unchanged = true
		return errStop
	}
	return guard(r.prev, &r.m, r.opt)
}

// changesStep records what the publication adds, changes and removes: the delta files, the history and the
// /changes/ pages (package changes).
func changesStep(ctx context.Context, r *run) error {
	dirs := changes.Dirs{Content: r.stage.Content(), Data: r.stage.changesScratch(), History: r.stage.History()}
	var prevID string
	if r.prev != nil {
		dirs.PrevContent, dirs.PrevData, dirs.PrevHistory = r.cur.Content(), r.cur.ChangesData(), r.cur.History()
		dirs.PrevSums, dirs.Sums = r.cur.ContentSums(), r.stage.ContentSums()
		prevID = r.prev.ID
	}
	_, _, err := changes.Stage(ctx, dirs, changes.Meta{Release: r.id, Previous: prevID,
		AsOf: r.m.AsOf, BuiltAt: r.start, BaseURL: r.opt.BaseURL})
	if err == nil {
		close(r.changed)
	}
	return err
}

// openDataStep writes the /data/ downloads and the page that lists them (package opendata).
func openDataStep(ctx context.Context, r *run) error {
	// The rows of records whose pages did not change are copied from the current release's downloads.
	reuse := opendata.Reuse{Sums: r.stage.ContentSums(), Rows: filepath.Join(r.stage.Dir, opendata.RowsFile)}
	if r.cur.Dir != "" {
		reuse.PrevDir, reuse.PrevRows = r.cur.OpenData(), filepath.Join(r.cur.Dir, opendata.RowsFile)
	}
	idx, err := opendata.WriteReusing(ctx, r.stage.Content(), r.stage.openData(), opendata.Meta{Release: r.id,
		DataVersion: r.m.DataVersion, AsOf: r.m.AsOf, BuiltAt: r.start, BaseURL: r.opt.BaseURL}, reuse)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(r.stage.Content(), opendata.PageFile), opendata.Page(idx), 0o644); err != nil {
		return err
	}
	close(r.opened)
	return nil
}

// buildStep builds the site with Hugo (package site), once the disk is known to have room for it, and
// moves the downloads and the delta files into it.
func buildStep(ctx context.Context, r *run) error {
	if r.prev != nil {
		if err := checkSpace(r.stage.Dir, r.cur.Dir, r.prev, r.contentBytes); err != nil {
			return err
		}
	}
	opt := site.Options{Content: r.stage.Content(), Out: r.stage.Site(), ThemeDir: r.opt.Theme,
		BaseURL: r.opt.BaseURL, WorkDir: r.stage.Scratch(), Logger: r.base.With("component", "build"), Now: r.now,
		Precompress: true, Sums: r.stage.ContentSums(), Rows: r.stage.RecordRows(), RowStore: r.data.RowStore(),
		PageSums: r.stage.RenderedSums(),
		Ready:    r.contentWhole, Identity: r.opt.Identity}
	if r.prev != nil && r.prev.RecordsFingerprint != "" {
		// The current release's pages of records that did not change are hard-linked, not rendered again,
		// and their list rows taken from its rows file, without reading them; the rows' HTML the last build
		// printed is taken from the row store, which this build then replaces.
		opt.Reuse = &site.Reuse{Content: r.cur.Content(), Site: r.cur.Site(), Fingerprint: r.prev.RecordsFingerprint,
			Rows: r.cur.RecordRows(), RowStore: r.data.RowStore(), CasesKey: r.prev.CasesKey}
	}
	res, err := r.build(ctx, opt)
	if err != nil {
		return err
	}
	// Hugo's working directory is gone with the build; the scratch directory must not become part of the release.
	if err := os.RemoveAll(r.stage.Scratch()); err != nil {
		return err
	}
	r.m.Pages, r.m.Files = res.Pages, res.Files
	r.m.RecordsFingerprint, r.m.RecordsReused = res.RecordsFingerprint, res.Records.Reused
	r.m.CasesKey, r.m.CasesReused = res.CasesKey, res.CasesReused
	r.records = res.Records
	// The downloads go beside the /data/ page, after the build so that Hugo never reads them (and after
	// the open data, should a build have ended without waiting for it).
	if err := r.contentWhole(ctx); err != nil {
		return err
	}
	if err := moveFiles(r.stage.openData(), r.stage.OpenData()); err != nil {
		return err
	}
	return moveFiles(r.stage.changesScratch(), r.stage.ChangesData())
}

// indexStep builds the search index from the documents the export wrote, and the check the server runs
// before it serves the index. The index is made from the current release's when that one still matches
// its check (search.UpdateFile: its segments linked, only the documents that changed decoded and indexed),
// else afresh.
func indexStep(ctx context.Context, r *run) error {
	var (
		st  search.Stats
		err error
	)
	// The default builder reads the documents file by lines, so that the update decodes only the lines
	// that changed (search.UpdateFile); a test's builder (Options.Index) gets the documents.
	switch prev := r.reusableIndex(); {
	case prev != "":
		st, err = search.UpdateFile(ctx, r.stage.Index(), prev, r.stage.searchDocs())
	case r.opt.Index == nil:
		st, err = search.BuildFile(ctx, r.stage.Index(), r.stage.searchDocs())
	default:
		st, err = r.index(ctx, r.stage.Index(), search.ReadDocsFile(r.stage.searchDocs()))
	}
	if err != nil {
		return err
	}
	r.log.Info("index", "docs", st.Docs, "incremental", st.Incremental, "added", st.Added, "changed", st.Changed,
		"deleted", st.Deleted, "decoded", st.Decoded, "fallback", st.Fallback)
	r.m.IndexDocs, r.m.IndexBytes = st.Docs, st.Bytes
	if r.m.IndexCheck, err = NewIndexCheck(r.stage.Dir, st.Probes); err != nil {
		return err
	}
	return os.Remove(r.stage.searchDocs())
}

// reusableIndex returns the current release's index directory when the index step may build on it: the
// default index builder is used, and the index still has the files its release recorded.
func (r *run) reusableIndex() string {
	if r.opt.Index != nil || r.prev == nil || r.cur.Dir == "" || r.prev.IndexCheck == nil {
		return ""
	}
	if err := r.prev.IndexCheck.verifyFiles(r.cur.Index()); err != nil {
		r.log.Warn("the current release's index fails its check: building afresh", "err", err)
		return ""
	}
	return r.cur.Index()
}

// linkStep replaces the files that equal the current release's with hard links to them: an unchanged page
// keeps its inode, hence its ETag, and costs no new blocks. Its walk of the stage — the one walk of a
// publication — also sizes the release and lists what the compress step compresses, with or without a
// current release.
func linkStep(ctx context.Context, r *run) error {
	var prev string
	if r.prev != nil {
		prev = r.cur.Dir
	}
	w, err := walkRelease(ctx, prev, r.stage.Dir, r.stage.Site(), r.builtRecords())
	if err != nil {
		return err
	}
	r.walk, r.linked = w, w.linked
	if w.mismatch {
		r.log.Warn("the record pages are not as the build reported: every directory was read", "pages", r.records.Pages)
	}
	r.log.Info("link", "linked", w.linked, "dirs_read", w.dirs, "records_mismatch", w.mismatch, "to_compress", len(w.gzip))
	return nil
}

// builtRecords returns what the build reported of the record pages when the link step's walk may take
// them from it rather than read them: the record renderer wrote them, and it was given the previous
// release's pages to link under this build's fingerprint, or there is no previous release. Otherwise
// (another program or theme than the previous release's) every page rendered anew is compared with the
// previous release's, for the walk to link those that did not change.
func (r *run) builtRecords() *builtRecords {
	if r.m.RecordsFingerprint == "" {
		return nil // Hugo rendered the record pages (a theme without record layouts)
	}
	if r.prev != nil && r.m.RecordsFingerprint != r.prev.RecordsFingerprint {
		return nil
	}
	return &builtRecords{sections: render.Sections(), pages: r.records.Pages, reused: r.records.Reused,
		bytes: r.records.RecordBytes}
}

// compressStep writes the .gz variants of the site's large text files; a file linked to the current
// release's gets that file's .gz, so only what changed is compressed.
func compressStep(ctx context.Context, r *run) error {
	var prev string
	if r.prev != nil {
		prev = r.cur.Site()
	}
	if r.walk == nil {
		return errors.New("compress: the link step listed no files") // Steps puts link before compress
	}
	n, size, err := compressJobs(ctx, r.walk.gzip, r.stage.Site(), prev)
	r.linked += n
	r.walk.bytes += size
	r.walk.gzip = nil
	return err
}

// publishStep checks the index as it will be served, writes the manifest, syncs the release to disk,
// renames it into place and points current at it: the one moment the site changes.
func publishStep(ctx context.Context, r *run) error {
	// The index as it will be served: the files summed after the index step, opened, answering the
	// probes. The server checks the same again when it switches to the release.
	idx, err := OpenIndex(ctx, r.stage.Dir, r.m.IndexCheck)
	if err != nil {
		return err
	}
	if err := idx.Close(); err != nil {
		return err
	}
	r.m.BuiltAt = r.now().UTC().Truncate(time.Second)
	if r.walk != nil {
		// The link step sized every file, the compress and the log steps what they added; nothing else
		// writes after them.
		r.m.Bytes = r.walk.bytes + r.logBytes
	} else if r.m.Bytes, err = diskUsage(r.stage.Dir); err != nil {
		return err
	}
	if err := writeManifest(r.stage.Dir, &r.m); err != nil {
		return err
	}
	if err := tree.SyncFS(r.stage.Dir); err != nil { // the release's files are on disk before it is visible
		return err
	}
	if err := os.Rename(r.stage.Dir, r.data.Release(r.id).Dir); err != nil {
		return err
	}
	if err := switchCurrent(r.data, r.id); err != nil {
		return err
	}
	r.commitLog()
	return nil
}
