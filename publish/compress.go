package publish

import (
	"compress/gzip"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// compressible are the extensions of the text files that get a precompressed .gz variant.
var compressible = map[string]bool{
	".html": true, ".css": true, ".js": true, ".xml": true, ".json": true, ".svg": true, ".txt": true,
}

// minCompress is the size below which a file is served as it is (a gzip header and a round trip cost more
// than they save).
const minCompress = 1024

// Compress writes <file>.gz beside every text file of the site over minCompress bytes, so that the server
// sends compressed bytes without compressing per request. The gzip header carries no name and no time, so
// the same file always compresses to the same bytes.
func Compress(ctx context.Context, dir string) error {
	_, err := compress(ctx, dir, "")
	return err
}

// compress is Compress, with the previous release's site: a file that is the previous release's file (the
// link step made it a hard link to it) gets a hard link to that file's .gz, not a new compression, so that
// a night costs the compression of what changed. It returns how many .gz files were linked.
func compress(ctx context.Context, dir, prevDir string) (int, error) {
	var linked atomic.Int64
	files := make(chan string, 256)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(files)
		return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !compressible[strings.ToLower(filepath.Ext(path))] {
				return err
			}
			if info, err := d.Info(); err != nil || info.Size() < minCompress {
				return err
			}
			select {
			case files <- path:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
			for path := range files {
				if prevDir != "" {
					rel, _ := filepath.Rel(dir, path)
					if ok, err := linkGzip(filepath.Join(prevDir, rel), path); err != nil {
						return err
					} else if ok {
						linked.Add(1)
						continue
					}
				}
				if err := gzipFile(zw, path); err != nil {
					return err
				}
			}
			return nil
		})
	}
	err := g.Wait()
	return int(linked.Load()), err
}

// linkGzip links prev's .gz as path's when path is prev (one inode: the link step found them equal) and
// prev has its .gz. Anything else is compressed anew.
func linkGzip(prev, path string) (bool, error) {
	pi, err := os.Stat(prev)
	if err != nil {
		return false, nil
	}
	ni, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	if !os.SameFile(pi, ni) {
		return false, nil
	}
	if zi, err := os.Lstat(prev + ".gz"); err != nil || !zi.Mode().IsRegular() {
		return false, nil
	}
	if err := os.Link(prev+".gz", path+".gz"); err != nil {
		return false, nil // another file system: compress
	}
	return true, nil
}

func gzipFile(zw *gzip.Writer, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := os.Create(path + ".gz")
	if err != nil {
		return err
	}
	zw.Reset(f)
	if _, err := zw.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
