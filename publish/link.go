package publish

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"xinyong/internal/precompress"
	"xinyong/internal/tree"
)

// walked is what the link step's one walk of the staged release found, so that the compress and publish
// steps need no walk of their own.
type walked struct {
	linked int       // files that are the previous release's (hard links)
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
	w, err := walkRelease(ctx, prevDir, newDir, "")
	if err != nil {
		return 0, err
	}
	return w.linked, nil
}

// walkRelease walks the staged release newDir once: it links its files that equal the previous release's
// (prevDir; "" for none), sizes them, and lists the files under site (a directory of newDir; "" for none)
// that want a .gz and have none.
//
// A file with more than one link is left as it is, unread and without a look at the previous release: in a
// staged release only the steps that link from the previous release make hard links (the export by the
// content sums, the record renderer, the index update, the change files), so it is the previous release's
// file already. Only the files written anew — a few thousand on a busy night — are compared.
func walkRelease(ctx context.Context, prevDir, newDir, site string) (*walked, error) {
	var (
		mu sync.Mutex
		w  walked
	)
	siteSlash := site + string(filepath.Separator)
	err := tree.Scan(newDir, func(dir string, fd int, files []tree.File) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		inSite := site != "" && (dir == site || strings.HasPrefix(dir, siteSlash))
		var (
			linked int
			bytes  int64
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
			bytes += f.Size
			prev := false
			switch {
			case prevDir == "":
			case f.Nlink > 1:
				linked++
			default:
				path := filepath.Join(dir, f.Name)
				rel, _ := filepath.Rel(newDir, path)
				ok, err := linkIfSame(filepath.Join(prevDir, rel), path, f.Size)
				if err != nil {
					return err
				}
				if ok {
					linked++
					prev = true
				}
			}
			if inSite && !strings.HasSuffix(f.Name, ".gz") && !names[f.Name+".gz"] && precompress.Wants(f.Name, f.Size) {
				jobs = append(jobs, gzipJob{path: filepath.Join(dir, f.Name), size: f.Size, prev: prev, shared: f.Nlink > 1})
			}
		}
		mu.Lock()
		w.linked += linked
		w.bytes += bytes
		w.gzip = append(w.gzip, jobs...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &w, nil
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
