package render

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"xinyong/generator"
	"xinyong/internal/tree"
)

// Stats counts what RenderTree wrote.
type Stats struct {
	Pages  int // record pages written, rendered or reused
	Reused int // of which hard-linked from the previous tree (Options.Reuse)
	Lists  int // list pages written (ListSections; always rendered: a list changes when any row does)
	Bytes  int64
	// RecordBytes is the part of Bytes that is the record pages', each the one file of its directory
	// <section>/<name>/: a publication sizes them from it without reading those directories.
	RecordBytes int64
	// RowsReused counts the reused pages whose export page was not read: their rows came from the previous
	// build's rows file (Reuse.Rows). RowsUnused says why that file was not used, if it was given.
	RowsReused int
	RowsUnused string `json:",omitempty"`
	// Prelinked counts the reused pages Prelink linked while Hugo built (Options.Prelinked).
	Prelinked int
	// RowStoreReused counts the list rows taken from the previous build's row store (Reuse.RowStore),
	// RowStoreShared those printed earlier in this build under the same key (an entry's row on its
	// three term pages), RowStoreExecuted those whose partial was executed; RowStoreUnused says why the
	// store was not used.
	RowStoreReused   int
	RowStoreShared   int
	RowStoreExecuted int
	RowStoreUnused   string `json:",omitempty"`
}

// RenderTree renders every record page of the export tree content — <section>/<name>.md for the sections
// of Sections, not their _index.md — to out/<section>/<name>/index.html, and then, for the theme's list
// layouts (ListSections), the lists of them. It streams the record pages: the directories are listed in
// batches and at most a few pages per worker are held at a time; what grows with the tree is one compact
// row per record (Row, SubjectRow), which the lists need sorted. workers is the number of pages rendered at
// once; 0 is one per CPU (GOMAXPROCS).
func (r *Renderer) RenderTree(ctx context.Context, content, out string, workers int) (Stats, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct{ section, name string }
	jobs := make(chan job, 4*workers)
	var (
		mu       sync.Mutex
		firstErr error
		stats    Stats
		entries  []Row        // the rows of red and black, for their lists and the terms'
		subjects []SubjectRow // the rows of subjects, for its list
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		cancel()
	}
	prev, sums, why, linking, err := r.previousRows(content, out)
	if err != nil {
		return stats, err
	}
	stats.RowsUnused = why
	if r.prelinked != nil && !linking {
		stats.Prelinked = r.prelinked.Count()
	}
	// While the prelinking goes on, the goroutine that lists the records takes an unchanged record's row and
	// leaves its page to it: the pages are reported (or, if the prelinking could not link them, linked or
	// rendered) once it has ended (finishLinked), in as many parts as workers.
	var later [][]laterPage
	store, why := r.newRowStore()
	stats.RowStoreUnused = why
	r.store = store
	defer func() {
		r.store = nil
		store.free() // the lists' workers are done: nothing uses a block after RenderTree
	}()
	// The rows are as many as last night's, give or take a night's changes: sized for that up front, the
	// slices are not grown (and copied) about twenty times each on the way to a hundred thousand rows.
	nEnts, nSubs := prevCounts(prev)
	entries = make([]Row, 0, nEnts+nEnts/16)
	subjects = make([]SubjectRow, 0, nSubs+nSubs/16)
	// While the prelinking goes on, an unchanged record costs a look-up: the goroutine that lists the
	// records takes its row itself, into entries and subjects, and only changed records go to the workers.
	// Handed over one by one, the hundred thousand unchanged records of a night kept the workers waking
	// and sleeping on the channel (a futex call each) for most of a second. The workers append theirs after
	// the listing has ended (jobs closed), so entries and subjects need no lock until then.
	wEnts, wSubs := (nEnts+nEnts/8)/workers, (nSubs+nSubs/8)/workers
	var (
		listed      Stats
		listedLater []laterPage
	)
	if linking {
		wEnts, wSubs = wEnts/16, wSubs/16
		listedLater = make([]laterPage, 0, nEnts+nSubs+(nEnts+nSubs)/16)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf bytes.Buffer
			var n Stats
			ents := make([]Row, 0, wEnts)
			subs := make([]SubjectRow, 0, wSubs)
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				// An unchanged record: its row from the previous rows file, its page linked (or left to the
				// prelinking, which links it).
				// While linking, the listing goroutine kept the unchanged records: a job is a changed one.
				if !linking && prev != nil {
					if x, _ := r.reuseRecord(prev, sums, out, j.section, j.name); x != nil {
						takeReused(x, &ents, &subs, &n)
						continue
					}
				}
				buf.Reset()
				var row rowSink
				if j.section == "subjects" && r.lists["subjects"] != nil {
					row = func(fm generator.Fields) error {
						x, err := r.newSubjectRow(j.name, fm)
						subs = append(subs, x)
						return err
					}
				} else if j.section != "subjects" && (r.lists[j.section] != nil || r.taxonomies) {
					row = func(fm generator.Fields) error {
						x, err := r.newRow(j.section, j.name, fm)
						ents = append(ents, x)
						return err
					}
				}
				src, reused, err := r.renderFile(&buf, content, out, j.section, j.name, row)
				if err != nil {
					fail(err)
					continue
				}
				// The row just taken is this page's: it records what the page was made from.
				if row != nil && j.section == "subjects" {
					subs[len(subs)-1].src = src
				} else if row != nil {
					ents[len(ents)-1].src = src
				}
				n.Pages++
				n.Bytes += src.size
				n.RecordBytes += src.size
				if reused {
					n.Reused++
				}
			}
			mu.Lock()
			entries = append(entries, ents...)
			subjects = append(subjects, subs...)
			stats.Pages += n.Pages
			stats.Reused += n.Reused
			stats.RowsReused += n.RowsReused
			stats.Bytes += n.Bytes
			stats.RecordBytes += n.RecordBytes
			mu.Unlock()
		})
	}
	err = func() error {
		for _, section := range Sections() {
			err := listPages(filepath.Join(content, section), func(name string) error {
				if err := ctx.Err(); err != nil {
					return err // a select would pick a free slot in jobs as often as not
				}
				if linking {
					if x := unchanged(prev, sums, section, name); x != nil {
						listedLater = append(listedLater, laterPage{x, section, name})
						takeReused(x, &entries, &subjects, &listed)
						return nil
					}
				}
				select {
				case jobs <- job{section, name}:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if err != nil {
				return err
			}
		}
		return nil
	}()
	close(jobs)
	wg.Wait()
	stats.Pages += listed.Pages
	stats.Reused += listed.Reused
	stats.RowsReused += listed.RowsReused
	stats.Bytes += listed.Bytes
	stats.RecordBytes += listed.RecordBytes
	// finishLinked reports them on one goroutine per list: as many lists as workers.
	for chunk := range slices.Chunk(listedLater, max(1, (len(listedLater)+workers-1)/workers)) {
		later = append(later, chunk)
	}
	if linking {
		r.prelinked.Wait()
		stats.Prelinked = r.prelinked.Count()
		if err == nil && firstErr == nil {
			n, err := r.finishLinked(content, out, later)
			stats.Reused -= n
			stats.RowsReused -= n
			if err != nil {
				return stats, err
			}
		}
	}
	if firstErr != nil {
		return stats, firstErr
	}
	if err != nil {
		return stats, fmt.Errorf("render tree: %w", err)
	}
	if len(r.lists) > 0 {
		// Red and black are sorted together: a term page lists both, and each list's rows keep that order.
		sortRows(entries, r.lang, rowKey)
		sortRows(subjects, r.lang, subjectKey)
		if r.rowsOut != "" && r.collectsAllRows() {
			if err := r.writeRows(r.rowsOut, entries, subjects); err != nil {
				return stats, fmt.Errorf("render: rows: %w", err)
			}
		}
		if store != nil {
			store.place(entries, subjects)
		}
		st, err := r.renderLists(ctx, content, out, entries, subjects)
		stats.Lists += st.Lists
		stats.Bytes += st.Bytes
		if err != nil {
			return stats, fmt.Errorf("render lists: %w", err)
		}
	}
	if r.taxonomies {
		st, err := r.renderTaxonomies(ctx, content, out, entries)
		stats.Lists += st.Lists
		stats.Bytes += st.Bytes
		if err != nil {
			return stats, fmt.Errorf("render taxonomies: %w", err)
		}
	}
	if store != nil {
		stats.RowStoreReused, stats.RowStoreExecuted = int(store.reused.Load()), int(store.executed.Load())
		stats.RowStoreShared = int(store.shared.Load())
		if len(r.lists) > 0 {
			if err := store.write(r.rowsKey(), entries, subjects); err != nil {
				return stats, fmt.Errorf("render: row store: %w", err)
			}
		}
	}
	return stats, nil
}

// takeReused appends the row of x, an unchanged record whose page is reused, to ents or subs, and counts
// the page in n.
func takeReused(x *prevRecord, ents *[]Row, subs *[]SubjectRow, n *Stats) {
	if x.entry != nil {
		*ents = append(*ents, *x.entry)
	} else {
		*subs = append(*subs, *x.subject)
	}
	n.Pages++
	n.Reused++
	n.RowsReused++
	n.Bytes += x.src.size
	n.RecordBytes += x.src.size
}

// laterPage is an unchanged record whose page RenderTree left to the prelinking (finishLinked).
type laterPage struct {
	x             *prevRecord
	section, name string
}

// finishLinked, once the prelinking has ended, reports each worker's unchanged pages to Written, on one
// goroutine per worker as the workers would have: linked by the prelinking, else linked now, else (the
// previous page gone) rendered from the export page, whose row the worker has already taken. It returns how
// many were rendered.
func (r *Renderer) finishLinked(content, out string, later [][]laterPage) (int, error) {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		rendered int
		firstErr error
	)
	for _, pages := range later {
		wg.Go(func() {
			var buf bytes.Buffer
			for _, l := range pages {
				dir := filepath.Join(out, l.section, l.name)
				if l.x.linked || linkPrevious(r.reuse.Site, dir, l.section, l.name) {
					if r.written != nil {
						r.written(filepath.Join(dir, "index.html"), nil, false)
					}
					continue
				}
				buf.Reset()
				_, _, err := r.renderFile(&buf, content, out, l.section, l.name, nil)
				mu.Lock()
				rendered++
				firstErr = cmp.Or(firstErr, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return rendered, firstErr
}

// prevCounts counts the entries and the subjects of the previous rows file (nil: none).
func prevCounts(prev map[string]*prevRecord) (entries, subjects int) {
	for _, p := range prev {
		if p.subject != nil {
			subjects++
		} else {
			entries++
		}
	}
	return entries, subjects
}

// listPages calls fn with the name (without .md) of every page of a section directory but _index.md, in
// the directory's order, reading it in batches. A missing directory has no pages.
func listPages(dir string, fn func(name string) error) error {
	f, err := os.Open(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	for {
		entries, err := f.ReadDir(256)
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".md")
			if !ok || name == "_index" || e.IsDir() {
				continue
			}
			if err := fn(name); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// rowSink takes the list row of a record from its front matter.
type rowSink func(fm generator.Fields) error

// renderFile renders content/<section>/<name>.md to out/<section>/<name>/index.html, using buf, and
// returns what the page was made from (the SHA-256 of the export page, when a rows file is to be written,
// and the page's size) and whether it reused the previous tree's page instead.
func (r *Renderer) renderFile(buf *bytes.Buffer, content, out, section, name string, row rowSink) (src source, reused bool, err error) {
	path := filepath.Join(content, section, name+".md")
	b, err := os.ReadFile(path)
	if err != nil {
		return src, false, err
	}
	if r.rowsOut != "" {
		// The bytes read, not the export's sums: a row is never recorded under a sum its page was not made from.
		src.sum = sha256.Sum256(b)
	}
	var fm generator.Fields
	if row != nil {
		// The lists need every row, reused page or not.
		if fm, _, err = generator.ReadPage(b); err != nil {
			return src, false, fmt.Errorf("%s: %w", path, err)
		}
		if err = row(fm); err != nil {
			return src, false, fmt.Errorf("%s: %w", path, err)
		}
	}
	dir := filepath.Join(out, section, name)
	if r.reuse != nil {
		if size, ok := r.reusePage(path, b, dir, section, name); ok {
			src.size = size
			if r.rowsOut != "" {
				// Linked by comparing export pages (no usable rows file): the page's sum is read from it,
				// so that the rows file is what a fresh build writes.
				page, err := os.ReadFile(filepath.Join(dir, "index.html"))
				if err != nil {
					return src, false, err
				}
				src.page = sha256.Sum256(page)
			}
			return src, true, nil
		}
	}
	if fm == nil {
		if fm, _, err = generator.ReadPage(b); err != nil {
			return src, false, fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := r.Render(buf, r.NewPage(section, name, fm)); err != nil {
		return src, false, err
	}
	src.size = int64(buf.Len())
	if r.rowsOut != "" {
		src.page = sha256.Sum256(buf.Bytes()) // for the publication log, which then need not read the page
	}
	return src, false, r.writePage(dir, buf.Bytes(), false)
}

// reusePage hard-links the previous tree's page into dir when its record is the same (the export page has
// the same bytes; the layouts, translations and chrome are the same, or Reuse would not be set).
func (r *Renderer) reusePage(src string, record []byte, dir, section, name string) (int64, bool) {
	prevSrc := filepath.Join(r.reuse.Content, section, name+".md")
	if !tree.SameFile(prevSrc, src) {
		prev, err := os.ReadFile(prevSrc)
		if err != nil || !bytes.Equal(prev, record) {
			return 0, false
		}
	}
	page := filepath.Join(r.reuse.Site, section, name, "index.html")
	fi, err := os.Lstat(page)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	if err := mkdir(dir); err != nil {
		return 0, false
	}
	dst := filepath.Join(dir, "index.html")
	if err := os.Link(page, dst); err != nil {
		return 0, false // another file system: render it
	}
	if r.written != nil {
		r.written(dst, nil, false)
	}
	return fi.Size(), true
}
