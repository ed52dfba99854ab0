package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gohugoio/hugo/common/paths"

	"xinyong/generator"
)

// taxonomies are the site's taxonomies (hugo.toml [taxonomies]), by the front matter key of an entry that
// names its terms; the index of each is its place in Row.terms.
var taxonomies = []string{"departments", "districts", "list_names"}

// Term is one row of a taxonomy page (/departments/): a term and the number of entries in it.
type Term struct {
	Title        string
	RelPermalink string
	Params       map[string]any // the term page's front matter (its _index.md), or empty
	Count        int
	key          string // Hugo's key of the term, which orders terms of one count: the term in lower case
}

// termPage is a term's page before rendering: its entries are indices into the sorted entries.
type termPage struct {
	key     string // the term as the entries name it
	path    string // its URL path segment (Hugo's: the term sanitized, case kept)
	title   string
	params  map[string]any
	entries []int32
}

// renderTaxonomies writes, for each taxonomy, the term pages (/departments/<code>/ and their pages, with
// records/term.html) and the taxonomy page (/departments/, records/taxonomy.html), from the rows of every
// entry (red and black, in Hugo's order).
func (r *Renderer) renderTaxonomies(ctx context.Context, content, out string, entries []Row) (Stats, error) {
	pool := r.newListPool(ctx, out)
	return pool.wait(r.sendTaxonomies(pool, content, entries))
}

// sendTaxonomies queues the pages of renderTaxonomies.
func (r *Renderer) sendTaxonomies(pool *listPool, content string, entries []Row) error {
	for ti, tax := range taxonomies {
		idx, err := readPageParams(filepath.Join(content, tax, "_index.md"))
		if errors.Is(err, fs.ErrNotExist) {
			continue // Hugo makes no taxonomy page without terms; the export writes one for each
		}
		if err != nil {
			return err
		}
		terms := map[string]*termPage{}
		term := func(key string) *termPage {
			p := paths.Sanitize(key)
			t := terms[p]
			if t == nil {
				t = &termPage{key: key, path: p, title: key}
				terms[p] = t
			}
			return t
		}
		for i := range entries {
			if k := entries[i].terms[ti]; k != "" {
				t := term(k)
				t.entries = append(t.entries, int32(i))
			}
		}
		rows := make([]Term, 0, len(terms)) // the terms with entries: the taxonomy page's rows
		// Terms with their own page in the export (departments, districts): its title and front matter.
		dirs, err := os.ReadDir(filepath.Join(content, tax))
		if err != nil {
			return err
		}
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			params, err := readPageParams(filepath.Join(content, tax, d.Name(), "_index.md"))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			t := term(d.Name())
			t.params = params
			if title, ok := params["title"].(string); ok {
				t.title = title
			}
		}
		base := relURL(r.base) + tax + "/"
		for _, p := range slices.Sorted(func(yield func(string) bool) {
			for k := range terms {
				if !yield(k) {
					return
				}
			}
		}) {
			t := terms[p]
			if t.params == nil {
				t.params = map[string]any{}
			}
			rel := base + escapePath(t.path) + "/"
			if len(t.entries) > 0 {
				rows = append(rows, Term{Title: t.title, RelPermalink: rel, Params: t.params, Count: len(t.entries),
					key: strings.ToLower(t.key)})
			}
			page := &Page{Kind: "term", Section: tax, Title: t.title, Permalink: r.base + strings.TrimPrefix(rel, relURL(r.base)),
				RelPermalink: rel, Params: t.params}
			rowsOf := func(from, to int) any {
				l := make([]Row, 0, to-from)
				for _, i := range t.entries[from:to] {
					l = append(l, entries[i])
				}
				return l
			}
			if err := pool.paged(page, len(t.entries), rowsOf); err != nil {
				return err
			}
			if tax == "departments" {
				// A department's feed: the latest additions of its red and black entries.
				if err := r.writeFeed(pool.out, page, feedRows(len(t.entries), func(i int) *Row { return &entries[t.entries[i]] })); err != nil {
					return err
				}
			}
		}
		// Hugo's Taxonomy.ByCount: most entries first, then by the term's key.
		slices.SortStableFunc(rows, func(a, b Term) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.key, b.key)
		})
		title, _ := idx["title"].(string)
		page := &Page{Kind: "taxonomy", Section: tax, Title: title, Permalink: r.base + tax + "/", RelPermalink: base,
			Params: idx, Terms: rows}
		if err := pool.send(listJob{dir: filepath.Join(pool.out, tax), layout: "taxonomy", page: page}); err != nil {
			return err
		}
	}
	return nil
}

// escapePath is a path segment as Hugo writes it in a URL: non-ASCII bytes percent-encoded.
func escapePath(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c == ' ' || c == '%' || c == '?' || c == '#' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// readPageParams reads the front matter of an export page as a page's params.
func readPageParams(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fm, _, err := generator.ReadPage(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fieldsMap(fm), nil
}
