package render

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sys/unix"

	"xinyong/internal/tree"
)

// EarlyLinker is the prelinking done by the publication while its export writes the tree, before the
// build starts: the export hands it the SHA-256 of every record page it writes (Page), and it hard-links
// the previous site's page of each record whose sum is the one the previous rows file records for it into
// a directory of its own (dir/<section>/<name>/index.html). Its Close writes the list of what it linked
// (dir/linked); the build's Prelink (PrelinkOptions.Early) then moves the section directories into its
// site with one rename each and takes those pages as prelinked, under the rule and the checks of its own
// prelinking. The export's goroutine that decides the pages keeps one core busy and its writers part of
// the other: the directories and links of 100,000 unchanged records, made here, no longer wait for Hugo's
// core.
type EarlyLinker struct {
	dir   string
	reuse Reuse

	mu      sync.Mutex
	pending []earlyPage // handed over by Page, not yet taken by the linking goroutine
	wake    chan struct{}
	closed  bool
	done    chan struct{}

	linked []string // section/name of every page linked, in the order linked
	err    error
}

type earlyPage struct {
	rel string
	sum [sha256.Size]byte
}

// earlyMagic starts the list an EarlyLinker writes.
const earlyMagic = "xinyong prelinked 1\n"

// EarlyFile is the name of the list of what an EarlyLinker linked, in its directory.
const EarlyFile = "linked"

// StartEarlyLinks starts linking into dir, which must not exist, the pages of reuse.Site whose records
// reuse.Rows records under the sums Page will be given. It reads the rows file on its own goroutine while
// the first pages queue.
func StartEarlyLinks(dir string, reuse Reuse) *EarlyLinker {
	e := &EarlyLinker{dir: dir, reuse: reuse, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(e.done)
		e.err = e.run()
	}()
	return e
}

// Page hands over a file the export wrote: rel is its slash path in the export tree, sum its SHA-256.
// Files that are not a record's page are ignored. It never blocks on the linking; safe for concurrent
// use.
func (e *EarlyLinker) Page(rel string, sum *[sha256.Size]byte) {
	section, name, ok := strings.Cut(rel, "/")
	if !ok || layouts[section] == "" || strings.Contains(name, "/") || !strings.HasSuffix(name, ".md") || name == "_index.md" {
		return
	}
	e.mu.Lock()
	if !e.closed {
		e.pending = append(e.pending, earlyPage{rel, *sum})
	}
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Close says that every page was handed over, waits for the linking to end, and writes the list of what
// it linked; on an error the directory is removed, so that nobody takes its pages.
func (e *EarlyLinker) Close() error {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
	<-e.done
	if e.err == nil {
		e.err = e.writeList()
	}
	if e.err != nil {
		os.RemoveAll(e.dir)
	}
	return e.err
}

// Abort stops the linking and removes the directory.
func (e *EarlyLinker) Abort() {
	e.mu.Lock()
	e.closed = true
	e.pending = nil
	e.mu.Unlock()
	select {
	case e.wake <- struct{}{}:
	default:
	}
	<-e.done
	os.RemoveAll(e.dir)
}

// Linked is how many pages were linked (after Close).
func (e *EarlyLinker) Linked() int { return len(e.linked) }

// take returns the pages handed over since the last call, waiting for some; ok is false once every page
// was taken and Close was called.
func (e *EarlyLinker) take(buf []earlyPage) (pages []earlyPage, ok bool) {
	for {
		e.mu.Lock()
		if len(e.pending) > 0 {
			pages, e.pending = e.pending, buf[:0]
			e.mu.Unlock()
			return pages, true
		}
		closed := e.closed
		e.mu.Unlock()
		if closed {
			return nil, false
		}
		<-e.wake
	}
}

func (e *EarlyLinker) run() error {
	if err := os.Mkdir(e.dir, 0o755); err != nil {
		e.drain()
		return err
	}
	prev, _, err := readRowsAnyKey(e.reuse.Rows)
	if err != nil {
		e.drain()
		return err
	}
	type fds struct{ from, to int }
	open := map[string]fds{}
	defer func() {
		for _, f := range open {
			if f.from >= 0 {
				unix.Close(f.from)
				unix.Close(f.to)
			}
		}
	}()
	var buf []earlyPage
	for {
		pages, ok := e.take(buf)
		if !ok {
			return nil
		}
		for _, pg := range pages {
			section, file, _ := strings.Cut(pg.rel, "/")
			name := strings.TrimSuffix(file, ".md")
			x := prev[section+"/"+name]
			if x == nil || (x.subject != nil) != (section == "subjects") || x.src.sum != pg.sum {
				continue
			}
			f, seen := open[section]
			if !seen {
				from, to, err := openSections(filepath.Join(e.reuse.Site, section), filepath.Join(e.dir, section))
				if err != nil {
					from, to = -1, -1 // nothing to link from: the build renders them
				}
				f = fds{from, to}
				open[section] = f
			}
			if f.from >= 0 && linkPreviousAt(f.from, f.to, name) {
				e.linked = append(e.linked, section+"/"+name)
			}
		}
		buf = pages
	}
}

// drain takes every page handed over until Close, linking none.
func (e *EarlyLinker) drain() {
	for {
		if _, ok := e.take(nil); !ok {
			return
		}
	}
}

// writeList writes dir/linked: the magic line, the previous site and rows file it linked from, then one
// section/name per linked page, sorted, and a SHA-256 of all that before it.
func (e *EarlyLinker) writeList() error {
	slices.Sort(e.linked)
	var b bytes.Buffer
	b.WriteString(earlyMagic)
	fmt.Fprintf(&b, "site %s\nrows %s\n", e.reuse.Site, e.reuse.Rows)
	for _, k := range e.linked {
		b.WriteString(k)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(&b, "sha256 %x\n", sum)
	return tree.WriteFile(filepath.Join(e.dir, EarlyFile), b.Bytes())
}

// errEarly says that an EarlyLinker's list cannot be taken.
var errEarly = errors.New("render: prelinked list")

// readEarly reads the list an EarlyLinker wrote into dir, for a build that links from site with the rows
// file rows: what it linked, by section/name.
func readEarly(dir, site, rows string) (map[string]bool, error) {
	data, err := os.ReadFile(filepath.Join(dir, EarlyFile))
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndex(data[:max(len(data)-1, 0)], []byte("\n"))
	if i < 0 || !bytes.HasPrefix(data, []byte(earlyMagic)) {
		return nil, fmt.Errorf("%w: not one", errEarly)
	}
	body, trailer := data[:i+1], strings.TrimSpace(string(data[i+1:]))
	if sum := sha256.Sum256(body); trailer != fmt.Sprintf("sha256 %x", sum) {
		return nil, fmt.Errorf("%w: checksum mismatch", errEarly)
	}
	sc := bufio.NewScanner(bytes.NewReader(body[len(earlyMagic):]))
	sc.Buffer(nil, 1<<20)
	want := []string{"site " + site, "rows " + rows}
	linked := map[string]bool{}
	for n := 0; sc.Scan(); n++ {
		if n < len(want) {
			if sc.Text() != want[n] {
				return nil, fmt.Errorf("%w: linked from another build (%q)", errEarly, sc.Text())
			}
			continue
		}
		linked[sc.Text()] = true
	}
	return linked, sc.Err()
}
