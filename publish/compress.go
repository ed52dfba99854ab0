package publish

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sys/unix"

	"xinyong/internal/precompress"
	"xinyong/internal/tree"
)

// Compress writes <file>.gz beside every text file of the site of precompress.MinSize bytes or more that
// has none yet, so that the server sends compressed bytes without compressing per request; but not beside
// a page few read (render.ColdPage: a record's page, a list's page after the first), which the server
// compresses when it is read. The
// record renderer writes the .gz of its list pages itself, from the bytes in memory
// (site.Options.Precompress); this compresses the rest (Hugo's pages, the assets, the sitemaps, the data
// files). The gzip header carries no
// name and no time, so the same file always compresses to the same bytes.
func Compress(ctx context.Context, dir string) error {
	_, err := compress(ctx, dir, "")
	return err
}

// compress is Compress, with the previous release's site: a file that is the previous release's file (the
// link step made it a hard link to it) gets a hard link to that file's .gz, not a new compression, so that
// a night costs the compression of what changed. It returns how many .gz files were linked. A file whose
// .gz is in the same directory listing already (the record renderer wrote it) costs no system call.
func compress(ctx context.Context, dir, prevDir string) (int, error) {
	var linked atomic.Int64
	files := make(chan string, 256)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(files)
		return tree.WalkDirs(dir, func(d string, fd int, entries []os.DirEntry) error {
			names := make(map[string]bool, len(entries))
			for _, e := range entries {
				names[e.Name()] = true
			}
			for _, e := range entries {
				name := e.Name()
				if !e.Type().IsRegular() || strings.HasSuffix(name, ".gz") || names[name+".gz"] || !precompress.Wants(name, precompress.MinSize) ||
					coldPage(dir, d, name) {
					continue
				}
				var st unix.Stat_t
				if err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
					return &os.PathError{Op: "stat", Path: filepath.Join(d, name), Err: err}
				}
				if !precompress.Wants(name, st.Size) {
					continue
				}
				select {
				case files <- filepath.Join(d, name):
				case <-gctx.Done():
					return gctx.Err()
				}
			}
			return nil
		})
	})
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			zw := precompress.NewWriter()
			for path := range files {
				if prevDir != "" {
					rel, _ := filepath.Rel(dir, path)
					if linkGzip(filepath.Join(prevDir, rel), path) {
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

// compressJobs is compress for the files the link step's walk listed (walked.gzip): it costs no walk of
// its own. A file that is the previous release's gets that file's .gz as a hard link; the rest are
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

// linkGzip links prev's .gz as path's when path is prev (one inode: the link step found them equal) and
// prev has its .gz. Anything else is compressed anew.
func linkGzip(prev, path string) bool {
	if !tree.SameFile(prev, path) {
		return false
	}
	if zi, err := os.Lstat(prev + ".gz"); err != nil || !zi.Mode().IsRegular() {
		return false
	}
	return os.Link(prev+".gz", path+".gz") == nil // another file system: compress
}

func gzipFile(zw *precompress.Writer, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return zw.WriteFile(path, data)
}
