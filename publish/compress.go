package publish

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"xinyong/internal/precompress"
	"xinyong/internal/tree"
)

// The compress step writes <file>.gz beside every text file of the site of precompress.MinSize bytes or
// more that has none yet, so that the server sends compressed bytes without compressing per request; but
// not beside a page few read (render.ColdPage: a record's page, a list's page after the first), which the
// server compresses when it is read. The record renderer writes the .gz of its list pages itself, from the
// bytes in memory (site.Options.Precompress); this compresses the rest (Hugo's pages, the assets, the
// sitemaps, the data files), the files the link step's walk listed. The gzip header carries no name and no
// time, so the same file always compresses to the same bytes.

// compressJobs compresses the files the link step's walk listed (walked.gzip): it costs no walk of its
// own. A file that is the previous release's gets that file's .gz as a hard link; the rest are
// compressed. It returns how many .gz files were linked and the size of all it added.
func compressJobs(ctx context.Context, jobs []gzipJob, dir, prevDir string) (linked int, bytes int64, err error) {
	var nLinked, nBytes atomic.Int64
	next := make(chan gzipJob, 256)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(next)
		for _, j := range jobs {
			select {
			case next <- j:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			zw := precompress.NewWriter()
			for j := range next {
				if prevDir != "" && (j.prev || j.shared) {
					rel, _ := filepath.Rel(dir, j.path)
					prev := filepath.Join(prevDir, rel)
					// A file linked before the walk is checked to be prev's (it is, unless another step
					// linked it from elsewhere); one the walk linked is.
					if j.prev || tree.SameFile(prev, j.path) {
						if n, ok := linkGz(prev, j.path); ok {
							nLinked.Add(1)
							nBytes.Add(n)
							continue
						}
					}
				}
				data, err := os.ReadFile(j.path)
				if err != nil {
					return err
				}
				z, err := zw.Compress(data)
				if err != nil {
					return err
				}
				if err := tree.WriteFile(j.path+".gz", z); err != nil {
					return err
				}
				nBytes.Add(int64(len(z)))
			}
			return nil
		})
	}
	err = g.Wait()
	return int(nLinked.Load()), nBytes.Load(), err
}

// linkGz links prev's .gz as path's, when prev has one, and returns its size.
func linkGz(prev, path string) (int64, bool) {
	zi, err := os.Lstat(prev + ".gz")
	if err != nil || !zi.Mode().IsRegular() {
		return 0, false
	}
	if os.Link(prev+".gz", path+".gz") != nil {
		return 0, false // another file system: compress
	}
	return zi.Size(), true
}
