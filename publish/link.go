package publish

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// linkUnchanged replaces every regular file of the new release that has the same bytes as the file at the
// same path in the previous release by a hard link to that file, so that a night with few changes costs
// few new blocks. It returns how many files it linked. Files of a release are never written after it is
// published, so sharing their inodes is safe.
func linkUnchanged(ctx context.Context, prevDir, newDir string) (int, error) {
	var linked atomic.Int64
	paths := make(chan string, 256)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(paths)
		return filepath.WalkDir(newDir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			select {
			case paths <- path:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			for path := range paths {
				rel, _ := filepath.Rel(newDir, path)
				ok, err := linkIfSame(filepath.Join(prevDir, rel), path)
				if err != nil {
					return err
				}
				if ok {
					linked.Add(1)
				}
			}
			return nil
		})
	}
	err := g.Wait()
	return int(linked.Load()), err
}

// linkIfSame replaces path by a hard link to prev when both hold the same bytes, and reports whether path
// is now prev's file (true, too, when it was already).
func linkIfSame(prev, path string) (bool, error) {
	pi, err := os.Lstat(prev)
	if err != nil || !pi.Mode().IsRegular() {
		return false, nil // nothing to share
	}
	ni, err := os.Lstat(path)
	if err != nil {
		return false, err
	}
	if os.SameFile(pi, ni) {
		return true, nil // linked already (the export links the pages of unchanged records): nothing to read
	}
	if pi.Size() != ni.Size() {
		return false, nil
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
