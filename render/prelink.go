package render

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"xinyong/internal/tree"
)

// Prelinked is what Prelink linked ahead of the renderer: the previous build's pages of unchanged records,
// hard-linked into the site while Hugo builds the rest of it, before the records fingerprint — which needs
// Hugo's chrome — is known. Whether they may stay is decided by RenderTree (Options.Prelinked) under the
// same rule as its own reuse: the previous rows file must have been written under this build's rows key.
// If not, every prelinked page is removed before anything is rendered, so a changed theme, translation,
// chrome or program can never leave an old page in the site.
type Prelinked struct {
	content, out, sums string // what it was started with
	reuse              Reuse
	prev               map[string]*prevRecord // the previous rows file's records; linked marks those linked
	sumsData           *tree.Sums
	key                string // the key the rows file was written under
	why                string // why nothing was linked, when so
	linked             int
	stop               atomic.Bool
	ready              chan struct{} // closed once prev, sumsData and key are set (else done ends first)
	done               chan struct{}
}

// Prelink starts linking, on one goroutine, the previous build's page of every record of the export tree
// content whose export page has, in this export's sums, the SHA-256 the previous rows file (reuse.Rows)
// records for it, into out/<section>/<name>/index.html, as RenderTree would, but without calling Written.
// It links every one unless stopped: one goroutine, so that it takes one core beside Hugo's build and its
// directories are not made by two threads in one parent directory (slower per directory). Pass the result
// to Options.Prelinked; RenderTree keeps the pages, and waits for the linking to end, or stops it and
// removes them.
func Prelink(content, out, sums string, reuse Reuse) *Prelinked {
	p := &Prelinked{content: content, out: out, sums: sums, reuse: reuse, ready: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		p.why = p.run()
	}()
	return p
}

// run links until done or stopped; it returns why it linked nothing, or "".
func (p *Prelinked) run() string {
	if p.reuse.Rows == "" || p.reuse.Site == "" || p.sums == "" {
		return "no previous rows, site or sums"
	}
	sums, err := tree.ReadSums(p.sums)
	if err != nil {
		return err.Error()
	}
	prev, key, err := readRowsAnyKey(p.reuse.Rows)
	if err != nil {
		return err.Error()
	}
	p.prev, p.sumsData, p.key = prev, sums, key
	close(p.ready) // RenderTree may decide now whether the pages stay, and take the rows, while the linking goes on
	errStop := errors.New("stopped")
	for _, section := range Sections() {
		from, to, err := openSections(filepath.Join(p.reuse.Site, section), filepath.Join(p.out, section))
		if err != nil {
			continue // no previous section (nothing to link), or none can be made: RenderTree says so
		}
		err = listPages(filepath.Join(p.content, section), func(name string) error {
			if p.stop.Load() {
				return errStop
			}
			x := unchanged(prev, sums, section, name)
			if x != nil && linkPreviousAt(from, to, name) {
				x.linked = true
				p.linked++
			}
			return nil
		})
		unix.Close(from)
		unix.Close(to)
		if err != nil {
			break // stopped, or the directory unreadable: RenderTree lists it again and says so
		}
	}
	return ""
}

// openSections opens the previous site's directory of a section (from) and makes and opens this site's
// (to), so that each record's directory and page are made relative to them: a path of two names for the
// kernel to look up per call instead of the whole path twice.
func openSections(from, to string) (int, int, error) {
	const flags = unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC
	f, err := unix.Open(from, flags, 0)
	if err != nil {
		return -1, -1, err
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		unix.Close(f)
		return -1, -1, err
	}
	t, err := unix.Open(to, flags, 0)
	if err != nil {
		unix.Close(f)
		return -1, -1, err
	}
	return f, t, nil
}

// linkPreviousAt is linkPrevious of the record name, with the sections' directories open as from and to
// (openSections).
func linkPreviousAt(from, to int, name string) bool {
	err := unix.Mkdirat(to, name, 0o755)
	for err == unix.EINTR {
		err = unix.Mkdirat(to, name, 0o755)
	}
	if err != nil && err != unix.EEXIST {
		return false
	}
	page := name + "/index.html"
	err = unix.Linkat(from, page, to, page, 0)
	for err == unix.EINTR {
		err = unix.Linkat(from, page, to, page, 0)
	}
	return err == nil
}

// Stop stops the linking and waits for it to end; it may be called more than once.
func (p *Prelinked) Stop() {
	p.stop.Store(true)
	<-p.done
}

// Wait waits for the linking to end by itself (every unchanged record linked).
func (p *Prelinked) Wait() { <-p.done }

// Count is the number of pages prelinked (after Stop or Wait).
func (p *Prelinked) Count() int { return p.linked }

// usable reports whether RenderTree of content into out may keep the prelinked pages: it would have
// linked the same pages itself (the same previous site, rows file and sums, and the rows file written
// under its key).
func (p *Prelinked) usable(r *Renderer, content, out string) bool {
	return p.prev != nil && r.reuse != nil && *r.reuse == p.reuse && r.sums == p.sums && p.content == content &&
		p.out == out && r.collectsAllRows() && p.key == r.rowsKey()
}

// undo removes every prelinked page; their directories stay, for the renderer to write the pages into.
func (p *Prelinked) undo() error {
	for k, x := range p.prev {
		if !x.linked {
			continue
		}
		if err := os.Remove(filepath.Join(p.out, k, "index.html")); err != nil {
			return fmt.Errorf("render: removing a prelinked page: %w", err)
		}
		x.linked = false
	}
	p.linked = 0
	return nil
}

// unchanged returns the previous build's record of <section>/<name> when this export's sums give its
// export page the SHA-256 recorded there (the same bytes, so the same page and row), else nil.
func unchanged(prev map[string]*prevRecord, sums *tree.Sums, section, name string) *prevRecord {
	p := prev[section+"/"+name]
	if p == nil || (p.subject != nil) != (section == "subjects") {
		return nil
	}
	sum, ok := sums.Lookup(section + "/" + name + ".md")
	if !ok || sum != p.src.sum {
		return nil
	}
	return p
}

// linkPrevious hard-links the previous site's page of <section>/<name> into dir, without looking first: a
// failed link says as much as a stat would. It reports whether the page is there.
func linkPrevious(site, dir, section, name string) bool {
	if err := mkdir(dir); err != nil {
		return false
	}
	return os.Link(filepath.Join(site, section, name, "index.html"), filepath.Join(dir, "index.html")) == nil
}
