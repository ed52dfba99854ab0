package render

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unique"

	"xinyong/internal/precompress"
	"xinyong/internal/tree"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"xinyong/generator"
)

// pagerSize is the rows of a list page (hugo.toml pagination.pagerSize).
const pagerSize = 50

// listLayouts maps each section whose list pages (/red/, /red/page/N/) the renderer can write to the record
// layout of those pages, records/<layout>.html.
var listLayouts = map[string]string{
	"red":      "list",
	"black":    "list",
	"subjects": "subjects-list",
}

// ListSections returns the sections whose list pages the renderer writes with the theme's record layouts:
// those whose list layout the theme has (records/list.html for red and black, records/subjects-list.html
// for subjects), and the taxonomies (departments, districts, list_names: their taxonomy and term pages)
// when it has records/taxonomy.html and records/term.html; sorted. Hugo is to leave these pages alone
// (site.Build).
func ListSections(theme fs.FS) []string {
	var s []string
	for section, layout := range listLayouts {
		if hasLayout(theme, layout) {
			s = append(s, section)
		}
	}
	if hasLayout(theme, "term") && hasLayout(theme, "taxonomy") {
		s = append(s, taxonomies...)
	}
	slices.Sort(s)
	return s
}

func hasLayout(theme fs.FS, name string) bool {
	fi, err := fs.Stat(theme, "records/"+name+".html")
	return err == nil && !fi.IsDir()
}

// Row is one entry in a list (list.html, term.html): its sort keys and the fields a row prints, nothing
// else, so that the rows of every entry fit in memory at any size (about 300 bytes each). Values shared by
// many rows (list names, departments, dates) are interned.
type Row struct {
	Title       string
	ID          string
	List        string // red, black
	ListName    string
	Severity    string
	Department  string // the department's name
	ValidFrom   string
	PublicUntil string

	terms   [3]string // the entry's term in each of taxonomies: department code, district, list name
	date    int64     // the page's date (Unix seconds; Hugo's: date, else lastmod), the first sort key
	path    string    // the page's path in the export tree, lower case: the last sort key
	section string    // red, black: the page's directory
	name    string    // the page's file name without .md, as it is (path is lower case)
	src     source    // what the page was made from, for the rows file
	slot    int32     // the row's place in the row store, from 1; 0 for none (partialRows)
}

// SubjectRow is one subject in /subjects/ (subjects-list.html), as Row is an entry.
type SubjectRow struct {
	Key          string
	Title        string
	CreditCode   string
	Kind         string
	DistrictName string
	RedCount     int
	BlackCount   int

	date int64
	path string
	name string // the page's file name without .md, as it is
	src  source
	slot int32
}

// fmDate is a page's date as Hugo takes it from the front matter: date, else lastmod; 0 for none.
func (r *Renderer) fmDate(date, lastmod any) (int64, error) {
	if date == nil || date == "" {
		date = lastmod
	}
	if date == nil || date == "" {
		return time.Time{}.Unix(), nil
	}
	t, err := timeNS{loc: r.loc}.AsTime(date)
	if err != nil {
		return 0, fmt.Errorf("date: %w", err)
	}
	return t.Unix(), nil
}

// str is a front matter string value; in interns it (unique.Make), for values many rows share.
func str(v any) string { s, _ := v.(string); return s }
func in(v any) string  { return unique.Make(str(v)).Value() }

// newRow takes a list row from an entry's front matter.
func (r *Renderer) newRow(section, name string, fm generator.Fields) (Row, error) {
	row := Row{path: strings.ToLower("/" + section + "/" + name + ".md"), section: section, name: name}
	var date, lastmod any
	for _, f := range fm {
		switch f.Key {
		case "title":
			row.Title = str(f.Value)
		case "id":
			row.ID = str(f.Value)
		case "list":
			row.List = in(f.Value)
		case "list_name":
			row.ListName = in(f.Value)
		case "severity":
			row.Severity = in(f.Value)
		case "valid_from":
			row.ValidFrom = in(f.Value)
		case "public_until":
			row.PublicUntil = in(f.Value)
		case "department":
			if d, ok := f.Value.(generator.Fields); ok {
				for _, g := range d {
					if g.Key == "name" {
						row.Department = in(g.Value)
					}
				}
			}
		case "departments", "districts", "list_names":
			if l, ok := f.Value.([]string); ok && len(l) > 0 {
				row.terms[slices.Index(taxonomies, f.Key)] = unique.Make(l[0]).Value()
			}
		case "date":
			date = f.Value
		case "lastmod":
			lastmod = f.Value
		}
	}
	var err error
	row.date, err = r.fmDate(date, lastmod)
	return row, err
}

// newSubjectRow takes a list row from a subject's front matter.
func (r *Renderer) newSubjectRow(name string, fm generator.Fields) (SubjectRow, error) {
	num := func(v any) int { n, _ := v.(int); return n }
	row := SubjectRow{path: strings.ToLower("/subjects/" + name + ".md"), name: name}
	var date, lastmod any
	for _, f := range fm {
		switch f.Key {
		case "title":
			row.Title = str(f.Value)
		case "key":
			row.Key = str(f.Value)
		case "credit_code":
			row.CreditCode = str(f.Value)
		case "kind":
			row.Kind = in(f.Value)
		case "district_name":
			row.DistrictName = in(f.Value)
		case "red_count":
			row.RedCount = num(f.Value)
		case "black_count":
			row.BlackCount = num(f.Value)
		case "date":
			date = f.Value
		case "lastmod":
			lastmod = f.Value
		}
	}
	var err error
	row.date, err = r.fmDate(date, lastmod)
	return row, err
}

// sortRows puts rows in Hugo's default page order (DefaultPageSort in Hugo's resources/page/pages_sort.go;
// no export page has a weight): date, newest first; then the title by the language's collation; then the
// path (key gives the three of a row). It sorts compact keys and then moves the rows in place, so that it
// needs no second copy of them.
func sortRows[T any](rows []T, lang string, keyOf func(*T) (date int64, title, path string)) {
	c := collate.New(language.Make(lang))
	var buf collate.Buffer
	type key struct {
		date  int64
		title []byte // the collation key
		path  string
		i     int32
	}
	keys := make([]key, len(rows))
	for i := range rows {
		date, title, path := keyOf(&rows[i])
		keys[i] = key{date, slices.Clone(c.KeyFromString(&buf, title)), path, int32(i)}
		buf.Reset()
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.date != b.date {
			return cmp.Compare(b.date, a.date)
		}
		if c := bytes.Compare(a.title, b.title); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	perm := make([]int32, len(rows)) // rows[j] is to be the row now at perm[j]
	for j := range keys {
		perm[j] = keys[j].i
	}
	keys = nil
	for start := range perm {
		if perm[start] < 0 {
			continue
		}
		tmp := rows[start]
		j := start
		for {
			src := int(perm[j])
			perm[j] = -1
			if src == start {
				rows[j] = tmp
				break
			}
			rows[j] = rows[src]
			j = src
		}
	}
}

func rowKey(r *Row) (int64, string, string)            { return r.date, r.Title, r.path }
func subjectKey(r *SubjectRow) (int64, string, string) { return r.date, r.Title, r.path }

// Pager is a list page's paginator, with Hugo's names where the layouts use them.
type Pager struct {
	PageNumber            int
	TotalPages            int
	TotalNumberOfElements int
	Rows                  any    // this page's rows: []Row, or []SubjectRow for /subjects/
	Prev, Next            string // URLs, "" when there is none
	From, To              int    // the window of page numbers the pager shows around this one
	Permalink             string // this page's absolute URL
	base                  string // the list's URL: /red/
}

// URLOf is the URL of page n of the list: the list's own for the first, else <list>page/<n>/.
func (p *Pager) URLOf(n int) string {
	if n <= 1 {
		return p.base
	}
	return p.base + "page/" + strconv.Itoa(n) + "/"
}

// URL is this page's URL.
func (p *Pager) URL() string { return p.URLOf(p.PageNumber) }

// Window is the page numbers from From to To.
func (p *Pager) Window() []int {
	var w []int
	for n := p.From; n <= p.To; n++ {
		w = append(w, n)
	}
	return w
}

// PagerItem is one entry of a pager's numbered links (Pager.Items).
type PagerItem struct {
	Number  int    // the page's number; 0 for a gap
	URL     string // the page's URL; "" for the current page and a gap
	Current bool   // this page (no URL)
	Gap     bool   // pages left out: between the first page and the window, or the window and the last
}

// Items is what the pager lists between its links to the previous and the next page, in order, when there
// is more than one page (none otherwise): the first page and a gap when the window does not reach them; the
// window, From to To, with this page as Current; a gap and the last page likewise. The layout prints each
// item, so that deciding which items there are costs it no template action (records/_partials/pager.html).
func (p *Pager) Items() []PagerItem {
	if p.TotalPages <= 1 {
		return nil
	}
	items := make([]PagerItem, 0, p.To-p.From+5)
	if p.From > 1 {
		items = append(items, PagerItem{Number: 1, URL: p.URLOf(1)})
		if p.From > 2 {
			items = append(items, PagerItem{Gap: true})
		}
	}
	for n := p.From; n <= p.To; n++ {
		if n == p.PageNumber {
			items = append(items, PagerItem{Number: n, Current: true})
		} else {
			items = append(items, PagerItem{Number: n, URL: p.URLOf(n)})
		}
	}
	if p.To < p.TotalPages {
		if p.To < p.TotalPages-1 {
			items = append(items, PagerItem{Gap: true})
		}
		items = append(items, PagerItem{Number: p.TotalPages, URL: p.URLOf(p.TotalPages)})
	}
	return items
}

// renderLists writes the list pages of the sections of r.lists: out/<section>/index.html,
// out/<section>/page/<n>/index.html, and Hugo's alias page out/<section>/page/1/index.html. entries are the
// rows of red and black, sorted together; subjects those of subjects, sorted. The pages are rendered on
// every CPU (listPool).
func (r *Renderer) renderLists(ctx context.Context, content, out string, entries []Row, subjects []SubjectRow) (Stats, error) {
	pool := r.newListPool(ctx, out)
	err := func() error {
		for _, section := range slices.Sorted(maps.Keys(listLayouts)) {
			if r.lists[section] == nil {
				continue
			}
			src := filepath.Join(content, section, "_index.md")
			b, err := os.ReadFile(src)
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return err
			}
			fm, _, err := generator.ReadPage(b)
			if err != nil {
				return fmt.Errorf("%s: %w", src, err)
			}
			total, rowsOf := len(subjects), func(from, to int) any { return subjects[from:to] }
			var idx []int32
			if section != "subjects" {
				// This list's rows are in the same order among both lists'.
				for i := range entries {
					if strings.HasPrefix(entries[i].path, "/"+section+"/") {
						idx = append(idx, int32(i))
					}
				}
				total, rowsOf = len(idx), func(from, to int) any {
					l := make([]Row, 0, to-from)
					for _, i := range idx[from:to] {
						l = append(l, entries[i])
					}
					return l
				}
			}
			params := fieldsMap(fm)
			title, _ := params["title"].(string)
			page := &Page{Kind: "section", Section: section, Title: title, Permalink: r.base + section + "/",
				RelPermalink: relURL(r.base) + section + "/", IsSection: true, Params: params}
			if err := pool.paged(page, total, rowsOf); err != nil {
				return err
			}
			if section != "subjects" {
				// The feed of the list's latest additions: the head of its sorted rows.
				if err := r.writeFeed(out, page, feedRows(total, func(i int) *Row { return &entries[idx[i]] })); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	return pool.wait(err)
}

// listJob is one list page for a listPool: the page rendered with a layout, or the bytes of an alias page.
type listJob struct {
	dir    string // the page's directory: the page is dir/index.html
	layout string
	page   *Page
	alias  []byte
}

// listPool renders and writes list pages on GOMAXPROCS workers. The pages are sent in order by one
// goroutine, which makes each page's rows (a page of 50 rows, no more) as it sends it; a page's bytes
// depend only on its job, so the files are the same whatever the order the workers write them in. At most
// a few jobs per worker are held, and no rendered page.
type listPool struct {
	r      *Renderer
	ctx    context.Context
	cancel context.CancelFunc
	out    string
	jobs   chan listJob
	wg     sync.WaitGroup
	mu     sync.Mutex
	st     Stats
	err    error // the first error of a worker
}

func (r *Renderer) newListPool(ctx context.Context, out string) *listPool {
	workers := runtime.GOMAXPROCS(0)
	ctx, cancel := context.WithCancel(ctx)
	p := &listPool{r: r, ctx: ctx, cancel: cancel, out: out, jobs: make(chan listJob, 4*workers)}
	for range workers {
		p.wg.Go(p.work)
	}
	return p
}

// work renders and writes the pages it takes, each into the worker's buffer.
func (p *listPool) work() {
	var (
		buf bytes.Buffer
		st  Stats
	)
	for j := range p.jobs {
		if p.ctx.Err() != nil {
			continue
		}
		b := j.alias
		if b == nil {
			buf.Reset()
			if err := p.r.layouts[j.layout].ExecuteTemplate(&buf, "baseof.html", j.page); err != nil {
				url := j.page.RelPermalink
				if j.page.Paginator != nil {
					url = j.page.Paginator.URL()
				}
				p.fail(fmt.Errorf("render %s: %w", url, err))
				continue
			}
			b = buf.Bytes()
		}
		if err := p.r.writePage(j.dir, b, p.r.precompress && !p.cold(j.dir)); err != nil {
			p.fail(err)
			continue
		}
		st.Lists++
		st.Bytes += int64(len(b))
	}
	p.mu.Lock()
	p.st.Lists += st.Lists
	p.st.Bytes += st.Bytes
	p.mu.Unlock()
}

// cold reports whether the list page in dir is one few read (ColdPage): a page after the first.
func (p *listPool) cold(dir string) bool {
	rel, err := filepath.Rel(p.out, filepath.Join(dir, "index.html"))
	return err == nil && ColdPage(filepath.ToSlash(rel))
}

func (p *listPool) fail(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
	}
	p.mu.Unlock()
	p.cancel()
}

// send queues a page; it fails when the run is cancelled or a worker failed.
func (p *listPool) send(j listJob) error {
	if err := p.ctx.Err(); err != nil {
		return err
	}
	select {
	case p.jobs <- j:
		return nil
	case <-p.ctx.Done():
		return p.ctx.Err()
	}
}

// wait ends the pool once the sender is done (err is the sender's) and returns what the workers wrote and
// the first error: a worker's before the cancellation it caused.
func (p *listPool) wait(err error) (Stats, error) {
	close(p.jobs)
	p.wg.Wait()
	p.cancel()
	if p.err != nil {
		return p.st, p.err
	}
	return p.st, err
}

// paged queues the pages of a paginated list page p (a section or a term) of total rows, 50 a page,
// rowsOf(from, to) giving those of a page: its first page at p's URL, the others at <url>page/<n>/, and
// Hugo's alias page at <url>page/1/.
func (pool *listPool) paged(p *Page, total int, rowsOf func(from, to int) any) error {
	r := pool.r
	layout := "term"
	if p.Kind == "section" {
		layout = listLayouts[p.Section]
	}
	rel := p.RelPermalink
	dir0 := filepath.Join(pool.out, filepath.FromSlash(strings.TrimPrefix(p.RelPermalink, relURL(r.base))))
	if u, err := url.PathUnescape(dir0); err == nil {
		dir0 = u
	}
	pages := max(1, (total+pagerSize-1)/pagerSize)
	for n := 1; n <= pages; n++ {
		pag := &Pager{PageNumber: n, TotalPages: pages, TotalNumberOfElements: total,
			Rows: rowsOf(min((n-1)*pagerSize, total), min(n*pagerSize, total)),
			From: max(1, n-2), To: min(pages, n+2), base: rel}
		pag.Permalink = r.base + strings.TrimPrefix(pag.URL(), relURL(r.base))
		if n > 1 {
			pag.Prev = pag.URLOf(n - 1)
		}
		if n < pages {
			pag.Next = pag.URLOf(n + 1)
		}
		q := *p
		q.Paginator = pag
		dir := dir0
		if n > 1 {
			dir = filepath.Join(dir, "page", strconv.Itoa(n))
		}
		if err := pool.send(listJob{dir: dir, layout: layout, page: &q}); err != nil {
			return err
		}
	}
	return pool.send(listJob{dir: filepath.Join(dir0, "page", "1"), alias: aliasPage(p.Permalink)})
}

// aliasTemplate is Hugo's embedded alias.html (tpl/tplimpl/embedded/templates/alias.html in Hugo v0.165),
// with the site's locale and the canonical output format written in: the page Hugo writes at an alias,
// redirecting to the permalink. Hugo makes one at <list>/page/1/ for the first page of every paginated list.
var aliasTemplate = template.Must(template.New("alias.html").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
	<head>
		<title>{{ . }}</title>
		<link rel="canonical" href="{{ . }}">
		<meta charset="utf-8">
		<meta http-equiv="refresh" content="0; url={{ . }}">
	</head>
</html>
`))

// aliasPage is Hugo's alias page redirecting to target.
func aliasPage(target string) []byte {
	var b bytes.Buffer
	if err := aliasTemplate.Execute(&b, target); err != nil {
		panic(err) // a string always executes
	}
	return b.Bytes()
}

// writePage writes dir/index.html, and its .gz when compress is set (a list page of a renderer that
// precompresses: Options.Precompress).
func (r *Renderer) writePage(dir string, b []byte, compress bool) error {
	if err := mkdir(dir); err != nil {
		return err
	}
	page := filepath.Join(dir, "index.html")
	if err := tree.WriteFile(page, b); err != nil {
		return err
	}
	gz := compress && precompress.Wants(page, int64(len(b)))
	if gz {
		zw := gzipWriters.Get().(*precompress.Writer)
		err := zw.WriteFile(page, b)
		gzipWriters.Put(zw)
		if err != nil {
			return err
		}
	}
	if r.written != nil {
		r.written(page, b, gz)
	}
	return nil
}

// gzipWriters are the renderer's gzip writers, one per page being written.
var gzipWriters = sync.Pool{New: func() any { return precompress.NewWriter() }}

// mkdir makes dir, whose parent exists almost always: one system call instead of MkdirAll's three.
func mkdir(dir string) error {
	err := os.Mkdir(dir, 0o755)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	return os.MkdirAll(dir, 0o755)
}
