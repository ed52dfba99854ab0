package publish

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sys/unix"

	"xinyong/internal/precompress"
	"xinyong/internal/tree"
	"xinyong/render"
)

// walked is what the link step's one walk of the staged release found, so that the compress and publish
// steps need no walk of their own.
type walked struct {
	linked int       // files that are the previous release's (hard links)
	dirs   int       // directories read
	bytes  int64     // the size of the regular files, each counted (hard links too)
	gzip   []gzipJob // the site's files that want a .gz beside them and have none
}

// gzipJob is a file of the site without its .gz.
type gzipJob struct {
	path string
	size int64
	// prev: the file is the previous release's (the walk linked it), whose .gz is then this file's too;
	// shared: it was a hard link before the walk, to the previous release's file or to another.
	prev, shared bool
}

// linkUnchanged replaces every regular file of the new release that has the same bytes as the file at the
// same path in the previous release by a hard link to that file, so that a night with few changes costs
// few new blocks. It returns how many files are the previous release's. Files of a release are never
// written after it is published, so sharing their inodes is safe.
func linkUnchanged(ctx context.Context, prevDir, newDir string) (int, error) {
	w, err := walkRelease(ctx, prevDir, newDir, "", nil)
	if err != nil {
		return 0, err
	}
	return w.linked, nil
}

// reusedRecords says that the record renderer reused the previous release's pages (site.Reuse, with the
// same fingerprint): the page of a record whose export page is the previous release's is the previous
// release's page, hard-linked with its .gz, and its directory holds nothing else.
type reusedRecords struct {
	sections []string // render.Sections: <content>/<section>/<name>.md is <site>/<section>/<name>/index.html
}

// walkRelease walks the staged release newDir once: it links its files that equal the previous release's
// (prevDir; "" for none), sizes them, and lists the files under site (a directory of newDir; "" for none)
// that want a .gz and have none.
//
// A file with more than one link is left as it is, unread and without a look at the previous release: in a
// staged release only the steps that link from the previous release make hard links (the export by the
// content sums, the record renderer, the index update, the change files), so it is the previous release's
// file already. Only the files written anew — a few thousand on a busy night — are compared.
//
// With records (and a previous release), the directories of the record pages of unchanged records — nine
// in ten of the release's directories — are not read: their two files are stat'ed by path, and when both
// are links as the renderer makes them, counted; anything else has its directory walked as any other.
func walkRelease(ctx context.Context, prevDir, newDir, site string, records *reusedRecords) (*walked, error) {
	wk := &walker{ctx: ctx, prevDir: prevDir, newDir: newDir, site: site}
	if records != nil && prevDir != "" && site != "" {
		wk.sections, wk.unchanged = map[string]bool{}, map[string]map[string]bool{}
		for _, s := range records.sections {
			wk.sections[s] = true
		}
	}
	content := filepath.Join(newDir, ContentDir)
	// First everything but the record pages, and of content/<section>/ the records that are the previous
	// release's.
	err := tree.ScanSelect(newDir, func(dir string, fd int, files []tree.File, subdirs []string) ([]string, error) {
		if err := wk.files(dir, files); err != nil {
			return nil, err
		}
		if wk.sections == nil {
			return subdirs, nil
		}
		if filepath.Dir(dir) == content {
			if wk.sections[filepath.Base(dir)] {
				wk.unchangedRecords(filepath.Base(dir), files)
			}
		}
		if dir == site {
			return slices.DeleteFunc(subdirs, func(name string) bool { return wk.sections[name] }), nil
		}
		return subdirs, nil
	})
	if err != nil || wk.sections == nil {
		return &wk.w, err
	}
	// Then the record sections, each without the directories of its unchanged records.
	g, _ := errgroup.WithContext(ctx)
	for section := range wk.sections {
		unchanged := wk.unchanged[section] // nil without content/<section>/: every directory is read
		root := filepath.Join(site, section)
		if _, err := os.Lstat(root); err != nil {
			continue
		}
		g.Go(func() error {
			return tree.ScanSelect(root, func(dir string, fd int, files []tree.File, subdirs []string) ([]string, error) {
				if err := wk.files(dir, files); err != nil {
					return nil, err
				}
				if dir != root {
					return subdirs, nil
				}
				return wk.recordDirs(fd, subdirs, unchanged), nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return &wk.w, nil
}

// walker is walkRelease's state, shared by the directories it reads concurrently.
type walker struct {
	ctx                   context.Context
	prevDir, newDir, site string
	// sections are the record sections (nil when every directory is read), unchanged their records whose
	// export page was linked from the previous release, by section and name.
	sections  map[string]bool
	unchanged map[string]map[string]bool

	mu sync.Mutex
	w  walked
}

// files links, sizes and lists for compression the regular files of one directory.
func (wk *walker) files(dir string, files []tree.File) error {
	if err := wk.ctx.Err(); err != nil {
		return err
	}
	inSite := wk.site != "" && (dir == wk.site || strings.HasPrefix(dir, wk.site+string(filepath.Separator)))
	var (
		linked int
		size   int64
		jobs   []gzipJob
		names  map[string]bool
	)
	if inSite {
		names = make(map[string]bool, len(files))
		for _, f := range files {
			names[f.Name] = true
		}
	}
	for _, f := range files {
		size += f.Size
		prev := false
		switch {
		case wk.prevDir == "":
		case f.Nlink > 1:
			linked++
		default:
			path := filepath.Join(dir, f.Name)
			rel, _ := filepath.Rel(wk.newDir, path)
			ok, err := linkIfSame(filepath.Join(wk.prevDir, rel), path, f.Size)
			if err != nil {
				return err
			}
			if ok {
				linked++
				prev = true
			}
		}
		if inSite && !strings.HasSuffix(f.Name, ".gz") && !names[f.Name+".gz"] && precompress.Wants(f.Name, f.Size) &&
			!coldPage(wk.site, dir, f.Name) {
			jobs = append(jobs, gzipJob{path: filepath.Join(dir, f.Name), size: f.Size, prev: prev, shared: f.Nlink > 1})
		}
	}
	wk.mu.Lock()
	wk.w.dirs++
	wk.w.linked += linked
	wk.w.bytes += size
	wk.w.gzip = append(wk.w.gzip, jobs...)
	wk.mu.Unlock()
	return nil
}

// unchangedRecords notes the records of content/<section>/ whose page was linked from the previous release
// (by the export, before the walk: those the walk links were written anew, and their record page may be).
func (wk *walker) unchangedRecords(section string, files []tree.File) {
	set := make(map[string]bool, len(files))
	for _, f := range files {
		if name, ok := strings.CutSuffix(f.Name, ".md"); ok && f.Nlink > 1 && name != "_index" {
			set[name] = true
		}
	}
	wk.mu.Lock()
	wk.unchanged[section] = set
	wk.mu.Unlock()
}

// recordDirs counts the pages of the unchanged records among the subdirectories of a record section (open
// at fd) by two stats each, and returns the subdirectories still to read: the others, and any whose page
// is not as the renderer reuses it (a file written anew, a .gz missing).
func (wk *walker) recordDirs(fd int, subdirs []string, unchanged map[string]bool) []string {
	var (
		mu      sync.Mutex
		descend []string
		linked  int
		size    int64
		wg      sync.WaitGroup
	)
	workers := runtime.GOMAXPROCS(0)
	for i := range workers {
		wg.Go(func() {
			var (
				n    int
				b    int64
				more []string
			)
			for j := i; j < len(subdirs); j += workers {
				name := subdirs[j]
				if pages, bytes, ok := reusedPage(fd, name, unchanged[name]); ok {
					n, b = n+pages, b+bytes
				} else {
					more = append(more, name)
				}
			}
			mu.Lock()
			linked, size = linked+n, size+b
			descend = append(descend, more...)
			mu.Unlock()
		})
	}
	wg.Wait()
	wk.mu.Lock()
	wk.w.linked += linked
	wk.w.bytes += size
	wk.mu.Unlock()
	return descend
}

// reusedPage stats <name>/index.html relative to fd when the record is unchanged, and reports whether it is
// a hard link, with its size (a record's page has no .gz: render.RecordPage; a directory with one is read).
func reusedPage(fd int, name string, unchanged bool) (int, int64, bool) {
	if !unchanged {
		return 0, 0, false
	}
	var st unix.Stat_t
	page := name + "/index.html"
	if unix.Fstatat(fd, page, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink < 2 {
		return 0, 0, false
	}
	size := st.Size
	if err := unix.Fstatat(fd, page+".gz", &st, unix.AT_SYMLINK_NOFOLLOW); err != unix.ENOENT {
		return 0, 0, false
	}
	return 1, size, true
}

// coldPage reports whether the file name of directory dir, inside the site, is a page few read, which gets
// no .gz (render.ColdPage: a record's page, a list's page after the first).
func coldPage(site, dir, name string) bool {
	if name != "index.html" {
		return false
	}
	rel, err := filepath.Rel(site, filepath.Join(dir, name))
	return err == nil && render.ColdPage(filepath.ToSlash(rel))
}

// linkIfSame replaces path, a file of size bytes with one link, by a hard link to prev when both hold the
// same bytes, and reports whether it did.
func linkIfSame(prev, path string, size int64) (bool, error) {
	pi, err := os.Lstat(prev)
	if err != nil || !pi.Mode().IsRegular() || pi.Size() != size {
		return false, nil // nothing to share
	}
	same, err := sameContent(prev, path)
	if err != nil || !same {
		return false, err
	}
	tmp := path + ".link"
	if err := os.Link(prev, tmp); err != nil {
		return false, nil // another file system, or links not supported: keep the copy
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, nil
}

func sameContent(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, errA := io.ReadFull(fa, bufA)
		nb, errB := io.ReadFull(fb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			return errB == io.EOF || errB == io.ErrUnexpectedEOF, nil
		}
		if errA != nil {
			return false, errA
		}
		if errB != nil {
			return false, errB
		}
	}
}

// List returns the ids of the published releases, oldest first: the directories of releases/ that have
// their manifest.
func List(data string) ([]string, error) {
	l := Layout{Root: data}
	entries, err := os.ReadDir(l.Releases())
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if !e.IsDir() || e.Name()[0] == '.' {
			continue
		}
		// A release directory is complete when it has its manifest (written before it was renamed in).
		if _, err := os.Stat(l.Release(e.Name()).Manifest()); err == nil {
			ids = append(ids, e.Name())
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// prune removes the oldest releases beyond keep, never current. It returns the ids removed.
func prune(data Layout, current string, keep int, log *slog.Logger) []string {
	if keep <= 0 {
		keep = DefaultKeep
	}
	ids, err := List(data.Root)
	if err != nil || len(ids) <= keep {
		return nil
	}
	var removed []string
	for _, id := range ids[:len(ids)-keep] {
		if id == current {
			continue
		}
		// Renamed out of the list first (atomic), then deleted: a process killed while deleting leaves a
		// .tmp- directory, which the next run removes, never a half-deleted release.
		trash := data.stage("prune-" + id).Dir
		if err := os.Rename(data.Release(id).Dir, trash); err != nil {
			log.Warn("cannot remove an old release", "release", id, "error", err)
			continue
		}
		if err := os.RemoveAll(trash); err != nil {
			log.Warn("cannot remove an old release", "release", id, "error", err)
		}
		removed = append(removed, id)
	}
	return removed
}
