package publish

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

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
	// mismatch: the record directories were not as the build reported (builtRecords), so all were read.
	mismatch bool
	// site lists the files of the site the walk read (not the .gz beside another file), for the log step's
	// sums; skipped the record directories it did not read (<section>/<name>, relative to the site), whose
	// page is the previous release's; all that no record directory was read (no previous release).
	site    []siteFile
	skipped map[string]bool
	all     bool
}

// siteFile is a file of the staged site: its path inside the site, and whether it is the previous
// release's file at the same path (a hard link to it before the walk or made by the walk).
type siteFile struct {
	rel  string
	prev bool
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

// builtRecords is what the build reported of the record pages (site.Result.Records): the record renderer
// wrote each as the one file of a directory of its own, <site>/<section>/<name>/index.html (render.RecordPage:
// no .gz), so the walk takes their number and size from the build instead of reading a million directories.
type builtRecords struct {
	sections []string // render.Sections
	pages    int      // record pages written, rendered or linked (render.Stats.Pages)
	reused   int      // of which linked from the previous release (render.Stats.Reused)
	bytes    int64    // their size (render.Stats.RecordBytes)
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
// With records, the record pages' directories — nine in ten of the release's — are not read but those that
// may have to be linked: without a previous release none, with one (then the renderer was given its pages
// under this build's fingerprint) only the pages of records whose export page is not the previous
// release's. The page of a record whose export page is the previous release's is that release's page,
// linked by the renderer, or one it could not link (the previous page missing), which the walk could not
// link either. The pages not read are counted and sized from records: the pages the build wrote less those
// read. When the record directories are not as many as the build's pages, every directory is read.
func walkRelease(ctx context.Context, prevDir, newDir, site string, records *builtRecords) (*walked, error) {
	if records == nil || site == "" {
		return walkAll(ctx, prevDir, newDir, site, nil)
	}
	w, err := walkAll(ctx, prevDir, newDir, site, records)
	if err != nil || w != nil {
		return w, err
	}
	// The record directories are not the build's (w nil, no error): read them all.
	w, err = walkAll(ctx, prevDir, newDir, site, nil)
	if w != nil {
		w.mismatch = true
	}
	return w, err
}

// walkAll is walkRelease; with records it returns nil and no error when the record directories do not
// match them.
func walkAll(ctx context.Context, prevDir, newDir, site string, records *builtRecords) (*walked, error) {
	wk := &walker{ctx: ctx, prevDir: prevDir, newDir: newDir, site: site}
	if records != nil {
		wk.sections, wk.unchanged = map[string]bool{}, map[string]map[string]bool{}
		for _, s := range records.sections {
			wk.sections[s] = true
		}
	}
	content := filepath.Join(newDir, ContentDir)
	// First everything but the record sections of the site, and of content/<section>/ the records that are
	// the previous release's.
	err := tree.ScanSelect(newDir, func(dir string, fd int, files []tree.File, subdirs []string) ([]string, error) {
		if err := wk.files(dir, files); err != nil {
			return nil, err
		}
		if wk.sections == nil {
			return subdirs, nil
		}
		if prevDir != "" && filepath.Dir(dir) == content && wk.sections[filepath.Base(dir)] {
			wk.unchangedRecords(filepath.Base(dir), files)
		}
		if dir == site {
			return slices.DeleteFunc(subdirs, func(name string) bool { return wk.sections[name] }), nil
		}
		return subdirs, nil
	})
	if err != nil || wk.sections == nil {
		return &wk.w, err
	}
	// Then the record sections, each without the directories of the records it need not read.
	g, _ := errgroup.WithContext(ctx)
	for section := range wk.sections {
		root := filepath.Join(site, section)
		if _, err := os.Lstat(root); err != nil {
			continue
		}
		// Without a previous release no record page is read; with one, those of the records whose export
		// page is its (nil without content/<section>/: every record page is read).
		var skip map[string]bool
		if prevDir != "" {
			skip = wk.unchanged[section]
		}
		g.Go(func() error {
			return tree.ScanSelect(root, func(dir string, fd int, files []tree.File, subdirs []string) ([]string, error) {
				if err := wk.files(dir, files); err != nil {
					return nil, err
				}
				if dir != root {
					if filepath.Dir(dir) == root && filepath.Base(dir) != "page" {
						wk.recordRead(files)
					}
					return subdirs, nil
				}
				return wk.recordDirs(section, subdirs, prevDir == "", skip), nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// The pages not read: the build's pages less those read, of which the renderer linked those it
	// reused but the ones read that were links before the walk.
	r := &wk.rec
	if r.skipped+r.read != records.pages || r.readBytes > records.bytes || r.readLinked > records.reused {
		return nil, nil
	}
	wk.w.bytes += records.bytes - r.readBytes
	wk.w.linked += records.reused - r.readLinked
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

	mu  sync.Mutex
	w   walked
	rec recordsRead
}

// recordsRead counts the record directories the walk skipped and those it read, with the pages read: their
// size and how many were links before the walk (the renderer's).
type recordsRead struct {
	skipped, read, readLinked int
	readBytes                 int64
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
	var sf []siteFile
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
		if inSite && !(strings.HasSuffix(f.Name, ".gz") && names[strings.TrimSuffix(f.Name, ".gz")]) {
			rel, _ := filepath.Rel(wk.site, filepath.Join(dir, f.Name))
			sf = append(sf, siteFile{rel: filepath.ToSlash(rel), prev: prev || (wk.prevDir != "" && f.Nlink > 1)})
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
	wk.w.site = append(wk.w.site, sf...)
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

// recordDirs returns the subdirectories of a record section to read: its list pages (page/) and the
// records not skipped — none when all is set, else those not in skip. It counts the rest.
func (wk *walker) recordDirs(section string, subdirs []string, all bool, skip map[string]bool) []string {
	descend := subdirs[:0:0]
	var skipped []string
	for _, name := range subdirs {
		if name != "page" && (all || skip[name]) {
			skipped = append(skipped, section+"/"+name)
		} else {
			descend = append(descend, name)
		}
	}
	wk.mu.Lock()
	wk.rec.skipped += len(skipped)
	if all {
		wk.w.all = true
	} else {
		if wk.w.skipped == nil {
			wk.w.skipped = map[string]bool{}
		}
		for _, d := range skipped {
			wk.w.skipped[d] = true
		}
	}
	wk.mu.Unlock()
	return descend
}

// recordRead counts a record directory the walk read, and its page (index.html) as it was before the walk.
func (wk *walker) recordRead(files []tree.File) {
	wk.mu.Lock()
	defer wk.mu.Unlock()
	wk.rec.read++
	for _, f := range files {
		if f.Name == "index.html" {
			wk.rec.readBytes += f.Size
			if f.Nlink > 1 {
				wk.rec.readLinked++
			}
		}
	}
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
	same, err := tree.SameContent(prev, path)
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
