// Package render writes the pages that grow with the data — entry pages (/red/<id>/, /black/<id>/), subject
// pages (/subjects/<key>/) and the lists of them (/red/, /subjects/, the taxonomy and term pages, paginated)
// — from the export tree with the theme's record layouts and html/template, streaming the record pages on
// every CPU and holding one compact row per record for the lists; Hugo renders the rest of the site and,
// once per build, the parts these pages share with it (the chrome). See docs/render.md.
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/precompress"
)

// ErrNoRecordLayouts is returned by New for a theme without record layouts (records/): its record pages
// are left to Hugo.
var ErrNoRecordLayouts = errors.New("the theme has no record layouts (records/)")

// layouts maps each section the renderer writes to its record layout, records/<layout>.html.
var layouts = map[string]string{
	"red":      "entry",
	"black":    "entry",
	"subjects": "subject",
}

// RecordPage reports whether rel, a slash-separated path inside a site, is a record's page:
// <section>/<name>/index.html for a section of Sections, not a list's <section>/page/<n>/index.html. A record's
// page is read rarely and has no precompressed .gz (Options.Precompress); whoever renders it.
func RecordPage(rel string) bool {
	section, rest, ok := strings.Cut(rel, "/")
	if !ok || layouts[section] == "" {
		return false
	}
	name, file, ok := strings.Cut(rest, "/")
	return ok && name != "page" && file == "index.html"
}

// ColdPage reports whether rel, a slash-separated path inside a site, is a page few read, which therefore
// gets no precompressed .gz (Options.Precompress, and the publication's compress step): a record's page
// (RecordPage), or a page after the first of a paginated list (<list>/page/<n>/index.html). The server
// compresses such a page when a reader asks. A night rewrites every page of a newest-first list, so each
// .gz of one would be a file rewritten every night for the few who read past the first page.
func ColdPage(rel string) bool {
	if RecordPage(rel) {
		return true
	}
	dir, ok := strings.CutSuffix(rel, "/index.html")
	if !ok {
		return false
	}
	rest, n, ok := cutLast(dir)
	if !ok || n == "" || strings.Trim(n, "0123456789") != "" {
		return false
	}
	_, page, _ := cutLast(rest) // "page" itself when rest is the site's own page/
	return page == "page"
}

// cutLast cuts a slash-separated path before its last element.
func cutLast(p string) (before, last string, found bool) {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", p, false
	}
	return p[:i], p[i+1:], true
}

// Sections returns the sections whose pages the renderer writes, sorted: red/, black/ and subjects/ of the
// export tree, rendered with records/entry.html (red, black) and records/subject.html (subjects).
func Sections() []string {
	s := make([]string, 0, len(layouts))
	for section := range layouts {
		s = append(s, section)
	}
	sort.Strings(s)
	return s
}

// Chrome is what Hugo renders once per build for the record pages (the theme's layouts/records-chrome.json;
// site.Result.Chrome): the site values the layouts read, and the parts of a page that are the same on every
// page of a section.
type Chrome struct {
	Site struct {
		Title      string         `json:"title"`
		Home       string         `json:"home"` // the home page's permalink: the base URL
		Params     map[string]any `json:"params"`
		HomeParams map[string]any `json:"homeParams"`
	} `json:"site"`
	Assets  template.HTML            `json:"assets"`  // stylesheet and script links
	Footer  template.HTML            `json:"footer"`  // the site footer
	Headers map[string]template.HTML `json:"headers"` // the header of a page inside each section
	// Lists holds what the list pages (records/list.html) need besides the rows; it changes every night,
	// so it is not part of the Fingerprint of the record pages.
	Lists *ListChrome `json:"lists,omitempty"`
}

// ListChrome is the part of the chrome that only list pages use.
type ListChrome struct {
	Headers    map[string]template.HTML `json:"headers"`    // the header of each section's own page
	DataStatus template.HTML            `json:"dataStatus"` // data-status.html: the night's as-of date and version
	Browse     template.HTML            `json:"browse"`     // browse.html: links to the taxonomy lists
}

// Fingerprint identifies everything besides a record that goes into a record page: the theme's record
// layouts and translations, and the chrome (which holds the site's values, the base URL and the shared page
// parts). Two builds with the same fingerprint render the same record the same way, so the second may reuse
// the first's pages (Options.Reuse). It names the compression of the pages' .gz too (precompress.Version),
// so that a reused page's .gz is the one this build would write.
func Fingerprint(theme fs.FS, chromeJSON []byte) (string, error) {
	// The list pages' part of the chrome changes every night and goes into no record page.
	var parts map[string]json.RawMessage
	if err := json.Unmarshal(chromeJSON, &parts); err != nil {
		return "", fmt.Errorf("render: fingerprint: %w", err)
	}
	if _, ok := parts["lists"]; ok {
		delete(parts, "lists")
		b, err := json.Marshal(parts)
		if err != nil {
			return "", fmt.Errorf("render: fingerprint: %w", err)
		}
		chromeJSON = b
	}
	h := sha256.New()
	fmt.Fprintf(h, "xinyong render 1\x00%s\x00chrome\x00%d\x00", precompress.Version, len(chromeJSON))
	h.Write(chromeJSON)
	for _, root := range []string{"records", "i18n"} {
		err := fs.WalkDir(theme, root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(theme, path)
			if err != nil {
				return err
			}
			fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
			h.Write(b)
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("render: fingerprint: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ReadChrome reads the chrome Hugo rendered (site.Result.Chrome).
func ReadChrome(b []byte) (*Chrome, error) {
	var c Chrome
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&c); err != nil {
		return nil, fmt.Errorf("read chrome: %w", err)
	}
	if c.Site.Home == "" || c.Headers == nil {
		return nil, errors.New("read chrome: no home page URL or headers")
	}
	c.Site.Params = numbers(c.Site.Params)
	c.Site.HomeParams = numbers(c.Site.HomeParams)
	return &c, nil
}

// numbers turns the JSON numbers of a mapping into ints (or float64s), as Hugo holds front matter numbers.
func numbers(m map[string]any) map[string]any {
	for k, v := range m {
		switch x := v.(type) {
		case json.Number:
			if n, err := x.Int64(); err == nil {
				m[k] = int(n)
			} else if f, err := x.Float64(); err == nil {
				m[k] = f
			}
		case map[string]any:
			m[k] = numbers(x)
		}
	}
	return m
}

// Site is what a layout gets from site: as in Hugo, site.Title, site.Params.<key> (keys in lower case, as
// Hugo stores them) and site.Home.
type Site struct {
	Title   string
	BaseURL string
	Params  map[string]any
	Home    *Page
}

// Page is what a record layout gets as its dot: the fields of a Hugo page that record layouts use, with
// Hugo's names. Params is the front matter (keys in lower case, values as the export wrote them: strings,
// bools, ints, lists of strings, mappings and lists of mappings as map[string]any).
type Page struct {
	Kind         string // "page"
	Section      string // "red", "black", "subjects"
	Title        string
	Description  string
	Permalink    string // absolute URL
	RelPermalink string // /<section>/<name>/
	IsPage       bool   // true
	IsHome       bool   // false
	IsSection    bool   // false
	Params       map[string]any
	// Paginator is a list page's pager (Kind "section", records/list.html); nil on a record's page.
	Paginator *Pager
	// Terms are a taxonomy page's terms (Kind "taxonomy", records/taxonomy.html), most entries first.
	Terms []Term
}

// Reuse names a previous export tree and its site (Options.Reuse).
type Reuse struct {
	Content string // the export tree: <section>/<name>.md
	Site    string // the site: <section>/<name>/index.html
	// Rows, when set, is the rows file the previous build wrote (its Options.Rows): with Options.Sums, a
	// record whose export page has the SHA-256 recorded there gets its row from it and its page linked,
	// without its export page being read. A missing, damaged or foreign rows file is not used.
	Rows string
	// RowStore, when set, is the row store a previous build wrote (Options.RowStore; it may be the same
	// path): a list row of a record whose export page it printed with the same partial and variants is
	// taken from it instead of executed (partialRows). A missing, damaged or foreign store is not used.
	RowStore string
}

// Renderer renders record pages with a theme's record layouts. It is safe for concurrent use.
type Renderer struct {
	reuse       *Reuse
	sums        string // Options.Sums
	rowsOut     string // Options.Rows
	storeOut    string // Options.RowStore
	rowsKeyBase string // Options.RowsKey
	precompress bool
	written     func(file string, html []byte, gz bool)
	prelinked   *Prelinked
	layouts     map[string]*template.Template // by layout name: entry, subject
	tr          *translations
	site        *Site
	chrome      map[string]map[string]template.HTML // by section: assets, header, footer
	loc         *time.Location
	lang        string
	base        string                              // the base URL, ending in "/"
	lists       map[string]map[string]template.HTML // by section (or <taxonomy>/term): the chrome of its list pages
	// partials are the record layouts' partials for partial and partialCached, and partialCached's results.
	partials *partials
	// store is the row store of the RenderTree running (partialRows), or nil.
	store *rowStore
	// rowBufs are partialRows' buffers (*[]byte), each as large as the largest table it printed.
	rowBufs sync.Pool
	// taxonomies is whether the renderer writes the taxonomy and term pages (records/taxonomy.html and
	// records/term.html).
	taxonomies bool
}

// Options are the renderer's inputs besides the theme.
type Options struct {
	Chrome *Chrome
	// Reuse, when set, is a previous export tree and the site rendered from it with the same layouts,
	// translations and chrome (the same Fingerprint): a page whose export page has the same bytes is
	// hard-linked from there instead of rendered, so a night renders what changed.
	Reuse *Reuse
	// Precompress, when set, writes index.html.gz beside the first page of every list, term and taxonomy
	// of precompress.MinSize bytes or more, compressed from the bytes in memory, so that the publication's
	// compress step has nothing left to do for these pages. A page few read — a record's, a list's after
	// the first (ColdPage) — gets none: the server compresses it when it is read (docs/publish.md).
	Precompress bool
	// Written, when set, is called for every page RenderTree writes, from the goroutine that wrote it (so
	// concurrently): file is the page (<out>/<path>/index.html), html its bytes, valid during the call, or
	// nil for a page hard-linked from the previous tree (Reuse), and gz whether its .gz is beside it. The
	// site build lists the pages in the sitemaps from it, without reading them back.
	Written func(file string, html []byte, gz bool)
	// Sums is the content sums (tree.Sums) the export wrote with the tree being rendered, for Reuse.Rows.
	Sums string
	// Rows, when set, is where RenderTree writes the rows file: the list row of every record page, with
	// the SHA-256 of its export page and the page's size, for the next build's Reuse.Rows. It is written
	// under RowsKey, which must identify everything besides a record that decides its page and row (the
	// site passes the records fingerprint with the program's).
	Rows    string
	RowsKey string
	// RowStore, when set with Rows, is where RenderTree writes the row store: the HTML of every list row it
	// printed with partialRows, by record, export page and variants, for the next build's Reuse.RowStore;
	// written under the same key as the rows file, replaced whole (a temporary name, then a rename).
	RowStore string
	// Prelinked, when set, is the pages Prelink linked into the tree RenderTree writes: kept when the
	// renderer would have linked them itself, else removed first.
	Prelinked *Prelinked
	Lang      string         // the i18n file's language; "" is zh-cn, the site's
	Loc       *time.Location // the site's time zone; nil is Asia/Shanghai (hugo.toml timeZone)
}

// New reads the record layouts and translations of a theme: the embedded theme (themes.Xinyong()) or a
// theme directory (os.DirFS), the same theme Hugo builds the rest of the site with. A theme without
// records/ gets ErrNoRecordLayouts.
//
// Each layout records/<name>.html is parsed together with records/baseof.html and every template under
// records/_partials/ (named by their path below records/, e.g. "_partials/head.html"); the page is the
// output of "baseof.html", whose {{ block "main" . }} the layout defines, as in Hugo.
func New(theme fs.FS, opt Options) (*Renderer, error) {
	if fi, err := fs.Stat(theme, "records"); err != nil || !fi.IsDir() {
		return nil, ErrNoRecordLayouts
	}
	if opt.Chrome == nil {
		return nil, errors.New("render: no chrome")
	}
	lang := opt.Lang
	if lang == "" {
		lang = "zh-cn"
	}
	loc := opt.Loc
	if loc == nil {
		loc = xinyong.Shanghai
	}
	tr, err := readTranslations(theme, lang)
	if err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	c := opt.Chrome
	base := c.Site.Home
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	r := &Renderer{
		reuse:       opt.Reuse,
		sums:        opt.Sums,
		rowsOut:     opt.Rows,
		storeOut:    opt.RowStore,
		rowsKeyBase: opt.RowsKey,
		precompress: opt.Precompress,
		written:     opt.Written,
		prelinked:   opt.Prelinked,
		partials:    &partials{cache: map[string]template.HTML{}},
		layouts:     map[string]*template.Template{},
		tr:          tr,
		loc:         loc,
		lang:        lang,
		base:        base,
		chrome:      map[string]map[string]template.HTML{},
		site: &Site{Title: c.Site.Title, BaseURL: base, Params: c.Site.Params,
			Home: &Page{Kind: "home", Title: c.Site.Title, Permalink: base, RelPermalink: relURL(base),
				IsHome: true, Params: c.Site.HomeParams}},
	}
	for section := range layouts {
		header, ok := c.Headers[section]
		if !ok {
			return nil, fmt.Errorf("render: the chrome has no header for %s", section)
		}
		r.chrome[section] = map[string]template.HTML{"assets": c.Assets, "header": header, "footer": c.Footer}
	}
	names := slices.Collect(maps.Values(layouts))
	// A list's pages are the renderer's when the theme has their layout (site.Build then has Hugo leave them);
	// otherwise Hugo renders them.
	if sections := ListSections(theme); len(sections) > 0 {
		if c.Lists == nil {
			return nil, errors.New("render: the theme has list layouts but the chrome has no lists")
		}
		r.lists = map[string]map[string]template.HTML{}
		for _, section := range sections {
			if slices.Contains(taxonomies, section) {
				// A taxonomy's page and its terms' pages, each with its header.
				r.taxonomies = true
				names = append(names, "taxonomy", "term")
				for _, key := range []string{section, section + "/term"} {
					header, ok := c.Lists.Headers[key]
					if !ok {
						return nil, fmt.Errorf("render: the chrome has no list header for %s", key)
					}
					r.lists[key] = map[string]template.HTML{"assets": c.Assets, "header": header, "footer": c.Footer}
				}
				continue
			}
			names = append(names, listLayouts[section])
			header, ok := c.Lists.Headers[section]
			if !ok {
				return nil, fmt.Errorf("render: the chrome has no list header for %s", section)
			}
			r.lists[section] = map[string]template.HTML{"assets": c.Assets, "header": header, "footer": c.Footer,
				"dataStatus": c.Lists.DataStatus, "browse": c.Lists.Browse}
		}
	}
	common, err := r.parseCommon(theme)
	if err != nil {
		return nil, err
	}
	// The partials as partial and partialCached execute them: their own clone, as html/template escapes each
	// set of templates on its first execution.
	if r.partials.t, err = common.Clone(); err != nil {
		return nil, fmt.Errorf("render: %w", err)
	}
	for _, name := range names {
		if r.layouts[name] != nil {
			continue
		}
		path := "records/" + name + ".html"
		src, err := fs.ReadFile(theme, path)
		if err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		t, err := common.Clone()
		if err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		if _, err := t.New(name + ".html").Parse(string(src)); err != nil {
			return nil, fmt.Errorf("render: %s: %w", path, err)
		}
		// Escape now, so that a layout that html/template cannot escape fails here and not on a page.
		probe := r.probe()
		switch name {
		case "list", "subjects-list":
			probe = &Page{Kind: "section", Section: "red", Title: "-", Permalink: r.base + "red/", RelPermalink: "/red/",
				IsSection: true, Params: map[string]any{}, Paginator: &Pager{PageNumber: 1, TotalPages: 1, base: "/red/"}}
		case "term":
			probe = &Page{Kind: "term", Section: "departments", Title: "-", Permalink: r.base + "departments/-/",
				RelPermalink: "/departments/-/", Params: map[string]any{}, Paginator: &Pager{PageNumber: 1, TotalPages: 1, base: "/departments/-/"}}
		case "taxonomy":
			probe = &Page{Kind: "taxonomy", Section: "departments", Title: "-", Permalink: r.base + "departments/",
				RelPermalink: "/departments/", Params: map[string]any{}}
		}
		if err := t.ExecuteTemplate(io.Discard, "baseof.html", probe); err != nil {
			var e *template.Error
			if errors.As(err, &e) {
				return nil, fmt.Errorf("render: %s: %w", path, err)
			}
		}
		r.layouts[name] = t
	}
	// The probes' partials are not the build's.
	clear(r.partials.cache)
	return r, nil
}

// probe is a page to run a layout on once, so that html/template escapes it before the workers share it.
func (r *Renderer) probe() *Page {
	return &Page{Kind: "page", Section: "red", Title: "-", Permalink: r.base + "red/-/", RelPermalink: "/red/-/",
		IsPage: true, Params: map[string]any{}}
}

// parseCommon parses records/baseof.html and records/_partials/*.
func (r *Renderer) parseCommon(theme fs.FS) (*template.Template, error) {
	t := template.New("").Funcs(r.funcs())
	parse := func(path string) error {
		src, err := fs.ReadFile(theme, path)
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		if _, err := t.New(strings.TrimPrefix(path, "records/")).Parse(string(src)); err != nil {
			return fmt.Errorf("render: %s: %w", path, err)
		}
		return nil
	}
	if err := parse("records/baseof.html"); err != nil {
		return nil, err
	}
	err := fs.WalkDir(theme, "records/_partials", func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == "records/_partials" {
			return fs.SkipDir
		}
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		return parse(path)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// relURL is the path of an absolute URL.
func relURL(abs string) string {
	if i := strings.Index(abs, "://"); i >= 0 {
		if j := strings.IndexByte(abs[i+3:], '/'); j >= 0 {
			return abs[i+3+j:]
		}
		return "/"
	}
	return abs
}

// chromeOf is the layouts' chrome function: the shared parts of a page in the page's section.
func (r *Renderer) chromeOf(p *Page) (map[string]template.HTML, error) {
	chrome, key := r.chrome, p.Section
	switch p.Kind {
	case "section", "taxonomy":
		chrome = r.lists
	case "term":
		chrome, key = r.lists, p.Section+"/term"
	}
	c, ok := chrome[key]
	if !ok {
		return nil, fmt.Errorf("chrome: no chrome for section %q", p.Section)
	}
	return c, nil
}

// NewPage makes the page of a record: section and name (the file name without .md, which is the last part
// of its URL, as in Hugo) and its front matter as generator.ReadPage returns it.
func (r *Renderer) NewPage(section, name string, fm generator.Fields) *Page {
	params := fieldsMap(fm)
	rel := "/" + section + "/" + name + "/"
	title, _ := params["title"].(string)
	desc, _ := params["description"].(string)
	return &Page{Kind: "page", Section: section, Title: title, Description: desc,
		Permalink: r.base + rel[1:], RelPermalink: relURL(r.base) + rel[1:], IsPage: true, Params: params}
}

// fieldsMap turns front matter into Hugo's params: mappings become map[string]any.
func fieldsMap(fm generator.Fields) map[string]any {
	m := make(map[string]any, len(fm))
	for _, f := range fm {
		switch v := f.Value.(type) {
		case generator.Fields:
			m[strings.ToLower(f.Key)] = fieldsMap(v)
		case []generator.Fields:
			l := make([]any, len(v))
			for i, x := range v {
				l[i] = fieldsMap(x)
			}
			m[strings.ToLower(f.Key)] = l
		default:
			m[strings.ToLower(f.Key)] = v
		}
	}
	return m
}

// Render writes one page with the record layout of its section.
func (r *Renderer) Render(w io.Writer, p *Page) error {
	name, ok := layouts[p.Section]
	if !ok {
		return fmt.Errorf("render: no record layout for section %q", p.Section)
	}
	if err := r.layouts[name].ExecuteTemplate(w, "baseof.html", p); err != nil {
		return fmt.Errorf("render %s: %w", p.RelPermalink, err)
	}
	return nil
}
