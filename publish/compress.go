package publish

import (
	"compress/gzip"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

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
				if err := gzipFile(zw, path); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
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
