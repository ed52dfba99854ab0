package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"os"
	"sync"

	"xinyong/publish"
	"xinyong/search"
)

// state is one release as served: everything a request needs, opened once per release.
type state struct {
	id       string
	demo     bool     // made from demo data (release.json); /api/status says so
	root     *os.Root // the site directory; no name opened through it can leave it
	index    *search.Index
	page     searchPage
	notFound []byte // 404.html
	caches   caches
	flights  flights

	// mu is held for reading by every request using the state and for writing by retire, which waits
	// for them; retired tells a request that took the state too late to take the new one.
	mu      sync.RWMutex
	retired bool
}

// Markers of the search page (themes/xinyong/layouts/search.html): the server writes the form and the
// results between them.
const (
	markStart = "<!--xinyong:search-->"
	markEnd   = "<!--/xinyong:search-->"
)

// searchPage is the built /search/index.html cut into the parts around what the server writes: the
// title and the results.
type searchPage struct {
	beforeTitle []byte // up to and including <title>
	title       string // the page's own title, as text
	afterTitle  []byte // from </title> to the start marker
	tail        []byte // from the end marker on
}

// openState opens the release in dir. Its index must be the one its manifest describes and answer the
// manifest's probes (publish.OpenIndex): a corrupt index is never served. A release without a manifest, or
// with one from before the index was checked, is opened unchecked, with a warning.
func openState(ctx context.Context, log *slog.Logger, dir, id string, cacheEntries int) (st *state, err error) {
	st = &state{id: id, caches: newCaches(cacheEntries)}
	defer func() {
		if err != nil {
			st.close()
			err = fmt.Errorf("release %s: %w", id, err)
		}
	}()
	if st.root, err = os.OpenRoot(publish.Release{Dir: dir}.Site()); err != nil {
		return st, err
	}
	// xinyong run writes release.json last; a release laid out by hand without one is not demo data, but
	// one that cannot be read is a broken release.
	var check *publish.IndexCheck
	switch m, err := publish.ReadManifest(dir); {
	case err == nil:
		st.demo, check = m.Demo, m.IndexCheck
	case !errors.Is(err, fs.ErrNotExist):
		return st, err
	}
	if check == nil {
		log.Warn("the release records no index check: its index is served unchecked", "release", id)
	}
	if st.index, err = publish.OpenIndex(ctx, dir, check); err != nil {
		return st, err
	}
	b, err := st.root.ReadFile("search/index.html")
	if err != nil {
		return st, fmt.Errorf("the search page: %w", err)
	}
	if st.page, err = splitSearchPage(b); err != nil {
		return st, err
	}
	if st.notFound, err = st.root.ReadFile("404.html"); err != nil {
		return st, fmt.Errorf("the 404 page: %w", err)
	}
	return st, nil
}

// splitSearchPage cuts the built search page at its title and its markers.
func splitSearchPage(b []byte) (searchPage, error) {
	var p searchPage
	start := bytes.Index(b, []byte(markStart))
	end := bytes.Index(b, []byte(markEnd))
	if start < 0 || end < start {
		return p, errors.New("the search page has no " + markStart + " … " + markEnd)
	}
	head := b[:start]
	t0 := bytes.Index(head, []byte("<title>"))
	t1 := bytes.Index(head, []byte("</title>"))
	if t0 < 0 || t1 < t0 {
		return p, errors.New("the search page has no <title>")
	}
	t0 += len("<title>")
	p.beforeTitle = head[:t0]
	p.title = html.UnescapeString(string(head[t0:t1]))
	p.afterTitle = head[t1:]
	p.tail = b[end+len(markEnd):]
	return p, nil
}

// retire waits for the requests using the state, then closes it. Requests that take it afterwards see
// retired and take the current state instead.
func (st *state) retire() error {
	st.mu.Lock()
	st.retired = true
	st.mu.Unlock()
	return st.close()
}

func (st *state) close() error {
	var errs []error
	if st.index != nil {
		errs = append(errs, st.index.Close())
	}
	if st.root != nil {
		errs = append(errs, st.root.Close())
	}
	return errors.Join(errs...)
}
