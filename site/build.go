// Package site builds the 信用盘锦 site from an export tree with Hugo, run in-process as a library, with the
// embedded theme and hand-written pages, and publishes the output atomically.
package site

import (
	"cmp"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"

	"xinyong"
	"xinyong/content"
	"xinyong/generator"
	"xinyong/internal/program"
	"xinyong/internal/tree"
	"xinyong/render"
	"xinyong/themes"
)

//go:embed hugo.toml
var siteConfig string

// lang is the site's language (defaultContentLanguage in hugo.toml): the theme's i18n file for it is
// i18n/zh-cn.toml.
const lang = "zh-cn"

// Options says what to build.
type Options struct {
	Content  string // the export tree (xinyong export --out)
	Out      string // the site; replaced atomically
	ThemeDir string // a theme directory to use instead of the embedded one; "" for the embedded theme
	BaseURL  string // "" for xinyong.BaseURL's default: DemoBaseURL for a demo export, else DefaultBaseURL
	// WorkDir is where Hugo's working directory (xinyong-build-*) and its cache are made; "" is
	// os.TempDir(). A publication passes a directory inside its staging directory, so that a killed run
	// leaves nothing outside the data directory (the next run removes the staging directory).
	WorkDir string
	Logger  *slog.Logger
	Now     func() time.Time

	// Reuse, when set, is the previous build's export tree and site and the fingerprint of its record
	// pages (Result.RecordsFingerprint): when this build's fingerprint is the same, a record page whose export
	// page has the same bytes is hard-linked from there instead of rendered (render.Options.Reuse).
	Reuse *Reuse

	// Sums is the content sums the export wrote with the tree (tree.Sums), and Rows where this build writes
	// its record rows (render.Options.Rows), outside the site: with the previous build's rows file
	// (Reuse.Rows), an unchanged record's page is linked and its list row taken without its export page
	// being read. Either may be "".
	Sums string
	Rows string
	// PageSums, when set, is where the build writes the SHA-256 of every page the record renderer wrote but
	// the record pages (their sums are in the rows file), in sha256sum's format with paths inside the
	// site, outside the site: the publication log takes the lists' and terms' sums from there instead of
	// reading the pages again.
	PageSums string
	// RowStore, with Rows, is where this build writes the HTML of the list rows it printed
	// (render.Options.RowStore), outside the site: with the previous build's (Reuse.RowStore, which may be
	// the same path), a list row of an unchanged record is taken from it, not executed again.
	RowStore string

	// Precompress, when set, has the record renderer write index.html.gz beside each page it writes
	// (render.Options.Precompress); a publication sets it and compresses the rest afterwards.
	Precompress bool

	// TemplateMetrics, when set, receives Hugo's template metrics with caching hints after the build: the
	// way to find a template that is slow or does work per page that could be done once.
	TemplateMetrics io.Writer

	// Ready, when set, is waited for before anything reads the export tree's top level or Hugo starts: a
	// publication starts its build while it still writes the /changes/ and /data/ pages into the tree.
	// Its error ends the build.
	Ready func(ctx context.Context) error

	// Identity is the portal's identity the footer and the 联系我们 page show (网站标识码, 备案号, 主办 and
	// 承办 units, contact); a demo that sets none gets DemoIdentity. It reaches Hugo as site.Params.identity.
	Identity Identity
}

// Reuse names a previous build whose record pages may be reused (Options.Reuse).
type Reuse struct {
	Content     string // its export tree
	Site        string // its site
	Fingerprint string // its Result.RecordsFingerprint
	Rows        string // its record rows (Options.Rows); "" for none
	RowStore    string // its row store (Options.RowStore); "" for none
	// CasesKey is its Result.CasesKey: when it is this build's, and its records fingerprint too, its page of
	// a case whose export page has the same bytes is hard-linked, not rendered by Hugo. "" for none.
	CasesKey string
}

// Result describes a build.
type Result struct {
	Pages       int // HTML pages written
	Files       int // all files written
	SitemapURLs int // URLs in the sitemaps
	Duration    time.Duration
	// Chrome is what Hugo rendered once for the record renderer (render.ReadChrome): the site values and
	// the shared parts of a record page, as JSON. nil when the theme has no record layouts (records/).
	// It is not part of the JSON of `xinyong build --json`, which a publication's child build sends back:
	// the parent has no use for it once the record pages are written.
	Chrome []byte `json:"-"`
	// Records counts the record pages the renderer wrote (package render); zero when Hugo rendered them,
	// for a theme without record layouts.
	Records render.Stats
	// RecordsFingerprint identifies the layouts, translations and chrome the record pages were rendered
	// with (render.Fingerprint); "" when Hugo rendered them. A later build with the same fingerprint may
	// reuse them (Options.Reuse).
	RecordsFingerprint string
	// CasesKey identifies what the case pages depend on besides their export pages (CasesKey), and
	// CasesReused counts the case pages (and withdrawal notices) linked from the reused build, not
	// rendered. A later build with the same key may reuse them (Reuse.CasesKey).
	CasesKey    string
	CasesReused int
	// Hugo and RecordsTime are the times of the Hugo build and of the record renderer, parts of Duration.
	Hugo, RecordsTime time.Duration
}

// Build builds the site. The output appears at opt.Out only when the whole build succeeded.
func Build(ctx context.Context, opt Options) (*Result, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	start := now()
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := CheckTheme(opt.ThemeDir); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := CheckBaseURL(opt.BaseURL); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := opt.Identity.Check(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	contentDir, err := filepath.Abs(opt.Content)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if fi, err := os.Stat(filepath.Join(contentDir, "_index.md")); err != nil || fi.IsDir() {
		return nil, fmt.Errorf("build: %s is not an export tree (no _index.md)", opt.Content)
	}
	demo, err := generator.DemoTree(contentDir)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	base := opt.BaseURL
	if base == "" {
		// A demo is never built under the real site's address unless someone configured it on purpose.
		base = xinyong.BaseURL("", demo)
	}

	if opt.WorkDir != "" {
		if err := os.MkdirAll(opt.WorkDir, 0o755); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	work, err := os.MkdirTemp(opt.WorkDir, "xinyong-build-")
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	defer os.RemoveAll(work)
	// Hugo wants absolute paths (its cacheDir); WorkDir or TMPDIR may be relative to a relative --data.
	if work, err = filepath.Abs(work); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	out, err := tree.New(opt.Out)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	defer out.Abort()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Prelinking needs only the export's record pages and sums: it starts before the wait for the rest of
	// the tree (Options.Ready), and goes on while Hugo builds.
	pre := prelink(opt, contentDir, out.Path("."))
	if pre != nil {
		defer pre.Stop() // before out.Abort removes the tree it links into
	}
	if opt.Ready != nil {
		if err := opt.Ready(ctx); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	cfg, err := prepare(work, contentDir, opt.ThemeDir)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	identity := opt.Identity.resolved(demo)
	idConfig, err := identity.hugoConfig()
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	cfg += idConfig
	res := &Result{}
	// The previous build's pages of the cases whose export page did not change are linked now, and Hugo
	// lists them without rendering them, when nothing else they show can have changed (CasesKey); the
	// chrome, known after Hugo, is checked then.
	if res.CasesKey, err = CasesKey(opt.ThemeDir, contentDir, base, demo, identity); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	var kept *keptCases
	if HasRecordLayouts(opt.ThemeDir) { // else no chrome, no records fingerprint: nothing to check them with
		if kept, err = keepCases(opt.Reuse, res.CasesKey, contentDir, out.Path(".")); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	hugoStart := now()
	if err := writeConfig(work, cfg+kept.config()); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := hugoBuild(work, out.Path("."), base, opt.TemplateMetrics, log); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if res.Chrome, err = takeChrome(out.Path(".")); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if kept != nil && !sameChrome(opt, res.Chrome) {
		// Another chrome (the footer, the assets): the kept pages go, and Hugo builds again with them.
		log.Info("the chrome changed: every case page is rendered", "kept", len(kept.names))
		if err := kept.undo(); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		kept = nil
		if err := writeConfig(work, cfg); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		if err := hugoBuild(work, out.Path("."), base, opt.TemplateMetrics, log); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		if res.Chrome, err = takeChrome(out.Path(".")); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
	}
	res.Hugo = now().Sub(hugoStart)
	// Hugo as a library does not copy static files (its command line does): the theme's (favicon.ico,
	// apple-touch-icon.png) are copied here.
	if err := copyStatic(openTheme(opt.ThemeDir), out.Path(".")); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if kept != nil {
		res.CasesReused = len(kept.names)
	}
	// Hugo's files are counted and its pages listed for the sitemaps now; the renderer's as it writes them
	// (the prelinked pages too, when it keeps them). The prelinking goes on meanwhile (RenderTree decides
	// whether its pages stay, and waits for it): the walk leaves out the record sections, where it links
	// and where Hugo writes nothing when the theme's record layouts write every list (the condition of
	// prelinking: Hugo then never sees a record, nor renders a list of them).
	files := newSiteFiles(out.Path("."), base)
	if pre != nil {
		files.skipSections = render.Sections()
	}
	if err := files.walk(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if kept != nil {
		// The kept pages' .gz are counted as a publication's compress step would add them: not as the
		// build's, so that the counts are those of a build that rendered the pages.
		files.files -= kept.gz
	}
	if res.Chrome != nil {
		// Hugo linked the record pages without rendering them (recordsConfig): the theme's record layouts
		// render them now, streaming, from the same export tree.
		recordsStart := now()
		if res.Records, res.RecordsFingerprint, err = renderRecords(ctx, opt, contentDir, out.Path("."), res.Chrome, files, pre); err != nil {
			return nil, fmt.Errorf("build: %w", err)
		}
		res.RecordsTime = now().Sub(recordsStart)
	}
	if res.SitemapURLs, err = files.writeSitemaps(sitemapMaxURLs, sitemapMaxBytes); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	res.Files, res.Pages = files.files, files.pages
	if err := out.Commit(); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	res.Duration = now().Sub(start)
	log.Info("build", "pages", res.Pages, "files", res.Files, "records", res.Records.Pages, "reused", res.Records.Reused, "rows_reused", res.Records.RowsReused, "lists", res.Records.Lists,
		"list_rows_reused", res.Records.RowStoreReused, "list_rows_shared", res.Records.RowStoreShared,
		"list_rows_executed", res.Records.RowStoreExecuted, "cases_reused", res.CasesReused,
		"hugo", res.Hugo.Round(time.Millisecond), "records_time", res.RecordsTime.Round(time.Millisecond),
		"duration", res.Duration.Round(time.Millisecond))
	return res, nil
}

// prelink starts linking last night's pages of unchanged records into the site while Hugo builds
// (render.Prelink), when the build reuses a previous one with its rows and the theme's record layouts
// write every list, so that Hugo never sees a record page nor writes into a record's directory. Whether the
// pages stay is decided once Hugo's chrome gives the fingerprint (RenderTree); nil when not started.
func prelink(opt Options, contentDir, publishDir string) *render.Prelinked {
	u := opt.Reuse
	if u == nil || u.Rows == "" || u.Content == "" || u.Site == "" || opt.Sums == "" || opt.Rows == "" {
		return nil
	}
	if !rendersAllLists(render.ListSections(openTheme(opt.ThemeDir))) {
		return nil
	}
	return render.Prelink(contentDir, publishDir, opt.Sums, render.Reuse{Content: u.Content, Site: u.Site, Rows: u.Rows, RowStore: u.RowStore})
}

// prepare lays out Hugo's working directory: the theme and the hand-written pages. It returns the
// configuration with the content mounts, for writeConfig.
func prepare(work, contentDir, themeDir string) (string, error) {
	theme := filepath.Join(work, "themes", "xinyong")
	if themeDir != "" {
		if fi, err := os.Stat(filepath.Join(themeDir, "layouts")); err != nil || !fi.IsDir() {
			return "", fmt.Errorf("theme %s has no layouts directory", themeDir)
		}
	}
	themeFS := openTheme(themeDir)
	if err := os.CopyFS(theme, themeFS); err != nil {
		return "", fmt.Errorf("theme: %w", err)
	}
	pages := filepath.Join(work, "pages")
	if err := os.CopyFS(pages, content.Pages()); err != nil {
		return "", fmt.Errorf("pages: %w", err)
	}
	cfg := siteConfig
	mounts := fmt.Sprintf("\n[[module.mounts]]\nsource = %s\ntarget = \"content\"\n", strconv.Quote(contentDir))
	if fi, err := fs.Stat(themeFS, "records"); err == nil && fi.IsDir() {
		if err := os.WriteFile(filepath.Join(pages, chromePage+".md"), []byte(chromePageSource), 0o644); err != nil {
			return "", fmt.Errorf("pages: %w", err)
		}
		lists := render.ListSections(themeFS)
		for _, section := range lists {
			cfg += fmt.Sprintf(listsConfig, "/"+section)
		}
		if rendersAllLists(lists) {
			// Every page that lists records is the renderer's: Hugo need not see the records at all.
			m, err := mountsWithoutRecords(work, contentDir)
			if err != nil {
				return "", fmt.Errorf("content: %w", err)
			}
			mounts = m
		} else {
			cfg += recordsConfig
		}
	}
	cfg += mounts + `
[[module.mounts]]
source = "pages"
target = "content"
`
	return cfg, nil
}

// copyStatic copies the theme's static/ files into the site, at the same paths; a theme without static/
// has none. A file Hugo wrote at the same path is an error: a page must not be silently replaced.
func copyStatic(theme fs.FS, out string) error {
	static, err := fs.Sub(theme, "static")
	if err != nil {
		return err
	}
	err = fs.WalkDir(static, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == "." {
			return err
		}
		dst := filepath.Join(out, filepath.FromSlash(path))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(static, path)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return fmt.Errorf("theme static file: %w", err)
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// writeConfig writes Hugo's configuration into its working directory.
func writeConfig(work, cfg string) error {
	return os.WriteFile(filepath.Join(work, "hugo.toml"), []byte(cfg), 0o644)
}

// chromePage is the name of the page that renders the chrome of record pages (layouts/records-chrome.json):
// written into the content only for a theme with record layouts, listed nowhere, and taken out of the site
// after the build (takeChrome).
const chromePage = "records-chrome"

const chromePageSource = `---
title: "` + chromePage + `"
layout: "` + chromePage + `"
outputs: ["json"]
build:
  list: never
---
`

// allLists are the sections and taxonomies whose pages list records (render.ListSections of the embedded
// theme). When the theme's record layouts write all of them, Hugo does not see the record pages at all
// (mountsWithoutRecords); otherwise it links them (recordsConfig), so that its lists still have them.
var allLists = []string{"black", "departments", "districts", "list_names", "red", "subjects"}

// rendersAllLists reports whether the sections whose lists the theme's record layouts write
// (render.ListSections) are every one that lists records (allLists): then Hugo never sees a record, and
// never writes into a record's directory.
func rendersAllLists(lists []string) bool { return slices.Equal(lists, allLists) }

// openTheme is the theme directory dir, or the embedded theme for "".
func openTheme(dir string) fs.FS {
	if dir == "" {
		return themes.Xinyong()
	}
	return os.DirFS(dir)
}

// mountsWithoutRecords returns the content mounts of the export tree contentDir without its record pages:
// each directory of the tree but red/, black/ and subjects/ mounted as itself, and the tree's top-level
// files and those three sections' _index.md copied into work/export-index and mounted there. Hugo then
// never lists the record directories: a files filter on one mount of the whole tree (Mount.Files) would
// leave the records out too, but Hugo would still walk and filter every file name (at 100,000 entries,
// Hugo's time went from 1.4 s with the filter to 1.0 s with these mounts).
func mountsWithoutRecords(work, contentDir string) (string, error) {
	index := filepath.Join(work, "export-index")
	var b strings.Builder
	fmt.Fprintf(&b, "\n[[module.mounts]]\nsource = %s\ntarget = \"content\"\n", strconv.Quote(index))
	entries, err := os.ReadDir(contentDir)
	if err != nil {
		return "", err
	}
	copyFile := func(rel string) error {
		data, err := os.ReadFile(filepath.Join(contentDir, rel))
		if err != nil {
			return err
		}
		dst := filepath.Join(index, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	}
	if err := os.MkdirAll(index, 0o755); err != nil {
		return "", err
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case !e.IsDir():
			if err := copyFile(name); err != nil {
				return "", err
			}
		case slices.Contains(render.Sections(), name):
			err := copyFile(filepath.Join(name, "_index.md"))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", err
			}
		default:
			fmt.Fprintf(&b, "[[module.mounts]]\nsource = %s\ntarget = %s\n", strconv.Quote(filepath.Join(contentDir, name)),
				strconv.Quote("content/"+name))
		}
	}
	return b.String(), nil
}

// recordsConfig is added to the site configuration for a theme with record layouts: Hugo keeps the record
// pages (red/, black/, subjects/ of the export) in its lists, with their URLs, but does not render them
// (build.render = "link"); package render writes them after the build. Rendering them was half of Hugo's
// time and most of its memory (docs/render.md).
const recordsConfig = `
[[cascade]]
[cascade.build]
render = "link"
[cascade.target]
kind = "page"
path = "{/red/**,/black/**,/subjects/**}"
`

// listsConfig is added, for each section whose lists the theme's record layouts write (render.ListSections;
// %[1]s is "/red"), to the site configuration: Hugo links the section's page (or the taxonomy's and its
// terms') without rendering it, nor its pages /red/page/N/ and the alias /red/page/1/; package render
// writes them from the rows of every record.
const listsConfig = `
[[cascade]]
[cascade.build]
render = "link"
[cascade.target]
kind = "{section,taxonomy}"
path = "%[1]s"
[[cascade]]
[cascade.build]
render = "link"
[cascade.target]
kind = "term"
path = "%[1]s/**"
`

// withProgram adds the program to a records fingerprint: a record page is reused only from a build by
// the same xinyong binary, so that a fix in the renderer's code reaches every page the night after an
// upgrade (the fingerprint of the templates does not see code): program.ID, worked out once per process.
func withProgram(fp string) string {
	prog := program.ID()
	if prog == "" {
		return fp
	}
	h := sha256.Sum256([]byte(fp + "\x00" + prog))
	return hex.EncodeToString(h[:])
}

// HasRecordLayouts reports whether the theme directory (the embedded theme for "") has record layouts
// (records/), so that the record renderer writes the record pages and Hugo never holds them.
func HasRecordLayouts(themeDir string) bool {
	fi, err := fs.Stat(openTheme(themeDir), "records")
	return err == nil && fi.IsDir()
}

// renderRecords renders the record pages of the export tree content into publishDir with the theme's
// record layouts (the embedded theme, or opt.ThemeDir) and the chrome Hugo rendered, reusing opt.Reuse's
// pages when its fingerprint is this build's. It returns the fingerprint.
func renderRecords(ctx context.Context, opt Options, content, publishDir string, chromeJSON []byte, files *siteFiles, pre *render.Prelinked) (render.Stats, string, error) {
	chrome, err := render.ReadChrome(chromeJSON)
	if err != nil {
		return render.Stats{}, "", err
	}
	themeFS := openTheme(opt.ThemeDir)
	fp, err := recordsFingerprint(themeFS, chromeJSON)
	if err != nil {
		return render.Stats{}, "", err
	}
	var (
		mu       sync.Mutex
		firstErr error
	)
	var sums *pageSums
	if opt.PageSums != "" {
		sums = &pageSums{root: publishDir}
	}
	ropt := render.Options{Chrome: chrome, Prelinked: pre, Precompress: opt.Precompress, Sums: opt.Sums, Rows: opt.Rows, RowStore: opt.RowStore, RowsKey: fp, Written: func(file string, html []byte, gz bool) {
		if err := files.written(file, html, gz); err != nil {
			mu.Lock()
			firstErr = cmp.Or(firstErr, err)
			mu.Unlock()
		}
		if sums != nil && html != nil {
			sums.add(file, html)
		}
	}}
	if u := opt.Reuse; u != nil && u.Fingerprint == fp && u.Content != "" && u.Site != "" {
		ropt.Reuse = &render.Reuse{Content: u.Content, Site: u.Site, Rows: u.Rows, RowStore: u.RowStore}
		files.readPrevious(u.Site)
	}
	r, err := render.New(themeFS, ropt)
	if err != nil {
		return render.Stats{}, "", err
	}
	st, err := r.RenderTree(ctx, content, publishDir, 0)
	if err == nil && sums != nil {
		err = tree.WriteSHA256Sums(opt.PageSums, sums.sums)
	}
	if st.RowsUnused != "" && opt.Logger != nil {
		opt.Logger.Warn("the previous build's record rows are not used: every record page is read", "reason", st.RowsUnused)
	}
	if st.RowStoreUnused != "" && opt.Logger != nil {
		opt.Logger.Warn("the previous build's row store is not used: every list row is printed", "reason", st.RowStoreUnused)
	}
	return st, fp, cmp.Or(err, firstErr)
}

// pageSums collects the SHA-256 of the pages the record renderer writes but the record pages' (Options.PageSums).
type pageSums struct {
	root string
	mu   sync.Mutex
	sums []tree.PathSum
}

// add sums a page written at file unless it is a record page (<section>/<name>/index.html of a record
// section: the rows file has its sum).
func (p *pageSums) add(file string, html []byte) {
	rel, err := filepath.Rel(p.root, file)
	if err != nil {
		return
	}
	rel = filepath.ToSlash(rel)
	if parts := strings.Split(rel, "/"); len(parts) == 3 && parts[1] != "page" && slices.Contains(render.Sections(), parts[0]) {
		return
	}
	s := tree.PathSum{Path: rel, Sum: sha256.Sum256(html)}
	p.mu.Lock()
	p.sums = append(p.sums, s)
	p.mu.Unlock()
}

// recordsFingerprint is the records fingerprint of a build with the theme themeFS and the chrome Hugo
// rendered (render.Fingerprint with the program, withProgram).
func recordsFingerprint(themeFS fs.FS, chromeJSON []byte) (string, error) {
	fp, err := render.Fingerprint(themeFS, chromeJSON)
	if err != nil {
		return "", err
	}
	return withProgram(fp), nil
}

// sameChrome reports whether the chrome Hugo rendered gives the records fingerprint of the build opt
// reuses, which holds the chrome a case page shows (the stylesheet and script links, the footer): the
// check of the kept case pages that only Hugo's output allows. False without a chrome (a theme without
// record layouts).
func sameChrome(opt Options, chromeJSON []byte) bool {
	if chromeJSON == nil || opt.Reuse == nil {
		return false
	}
	fp, err := recordsFingerprint(openTheme(opt.ThemeDir), chromeJSON)
	return err == nil && fp == opt.Reuse.Fingerprint
}

// takeChrome reads the chrome page's output from the built site and removes it; nil when there is none.
func takeChrome(publishDir string) ([]byte, error) {
	dir := filepath.Join(publishDir, chromePage)
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return b, os.RemoveAll(dir)
}

// hugoBuild runs one Hugo build of the site in work into publishDir. Hugo keeps caches per HugoSites, so
// one is made and closed per build.
func hugoBuild(work, publishDir, baseURL string, metrics io.Writer, log *slog.Logger) error {
	flags := config.New()
	flags.Set("workingDir", work)
	flags.Set("publishDir", publishDir)
	flags.Set("cacheDir", filepath.Join(work, "cache"))
	flags.Set("resourceDir", filepath.Join(work, "resources"))
	if baseURL != "" {
		flags.Set("baseURL", baseURL)
	}
	stdout := io.Discard
	if metrics != nil {
		flags.Set("templateMetrics", true)
		flags.Set("templateMetricsHints", true)
		stdout = metrics // Hugo prints the metrics to its standard output
	}
	var hugoLog strings.Builder
	logger := loggers.New(loggers.Options{Level: logg.LevelWarn, DistinctLevel: logg.LevelWarn,
		StdOut: stdout, StdErr: &hugoLog, StoreErrors: true})
	configs, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Flags: flags, Fs: hugofs.Os, Logger: logger, Environment: "production",
		// Hugo reads HUGO_* variables from the environment; the build must not depend on them.
		Environ: []string{"PATH=" + os.Getenv("PATH")},
	})
	if err != nil {
		return fmt.Errorf("hugo config: %w", err)
	}
	fsys := hugofs.NewFrom(hugofs.Os, configs.LoadingInfo.BaseConfig)
	h, err := hugolib.NewHugoSites(deps.DepsCfg{Configs: configs, Fs: fsys, LogLevel: logger.Level(),
		StdOut: logger.StdOut(), StdErr: logger.StdErr()})
	if err != nil {
		return fmt.Errorf("hugo: %w", err)
	}
	defer h.Close()
	if err := h.Build(hugolib.BuildCfg{}); err != nil {
		return fmt.Errorf("hugo: %w", err)
	}
	if n := logger.LoggCount(logg.LevelError); n > 0 {
		return fmt.Errorf("hugo: %d errors: %s", n, strings.TrimSpace(hugoLog.String()))
	}
	if w := strings.TrimSpace(hugoLog.String()); w != "" {
		log.Warn("hugo", "messages", w)
	}
	return nil
}
