package generator_test

import (
	"bufio"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
)

// BenchmarkExport exports a demo database of 100,000 entries (set XINYONG_BENCH_ENTRIES for another size)
// into a fresh directory and reports entries per second and the peak resident memory of the export alone.
// This machine's disk is shared and its speed varies several-fold from minute to minute, so two baselines
// are measured in the same iterations: merely reading the same rows from SQLite (x-read-only), and merely
// writing the same files with the same bytes (x-files-only, the floor any export of this tree pays).
//
//	go test ./generator -run XXX -bench Export -benchtime 3x
func BenchmarkExport(b *testing.B) {
	db := fixture.MustDemo(b, 100000)
	n := 0
	if err := db.Entries(context.Background(), func(*xinyong.Entry, *xinyong.Subject) error { n++; return nil }); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	dir := b.TempDir()
	asOf := fixture.AsOf

	var readTime, exportTime, filesTime time.Duration
	var peak int64
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Baseline: stream the same rows without writing anything.
		start := time.Now()
		rows := 0
		err := db.Entries(ctx, func(*xinyong.Entry, *xinyong.Subject) error { rows++; return nil })
		if err != nil {
			b.Fatal(err)
		}
		readTime += time.Since(start)
		if rows != n {
			b.Fatalf("read %d rows, want %d", rows, n)
		}

		resetPeakRSS(b)
		start = time.Now()
		out := filepath.Join(dir, "out"+strconv.Itoa(i))
		x := &generator.Exporter{Source: db, AsOf: asOf}
		res, err := x.Export(ctx, out, out+"-quality")
		if err != nil {
			b.Fatal(err)
		}
		exportTime += time.Since(start)
		peak = max(peak, peakRSS(b))
		if res.Red+res.Black < n/2 {
			b.Fatalf("published only %d of %d entries", res.Red+res.Black, n)
		}
		filesTime += copyFiles(b, out, filepath.Join(dir, "copy"+strconv.Itoa(i)))
		os.RemoveAll(out)
		os.RemoveAll(filepath.Join(dir, "copy"+strconv.Itoa(i)))
	}
	b.ReportMetric(float64(n)*float64(b.N)/exportTime.Seconds(), "entries/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
	b.ReportMetric(exportTime.Seconds()/readTime.Seconds(), "x-read-only")
	b.ReportMetric(exportTime.Seconds()/filesTime.Seconds(), "x-files-only")
}

// copyFiles writes every file below src again below dst, with as many goroutines as the export uses, and
// returns the time the writes took (reading them into memory first is not counted).
func copyFiles(b *testing.B, src, dst string) time.Duration {
	type file struct {
		path string
		data []byte
	}
	var files []file
	dirs := map[string]bool{}
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(src, path)
		files = append(files, file{filepath.Join(dst, rel), data})
		dirs[filepath.Dir(filepath.Join(dst, rel))] = true
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for d := range dirs {
		os.MkdirAll(d, 0o755)
	}
	var wg sync.WaitGroup
	const workers = 4
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(files); i += workers {
				if err := os.WriteFile(files[i].path, files[i].data, 0o644); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// resetPeakRSS resets the kernel's high-water mark of resident memory (Linux), so that peakRSS measures
// what follows and not the demo generation before it.
func resetPeakRSS(b *testing.B) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Logf("cannot reset peak RSS: %v", err)
	}
}

// peakRSS returns VmHWM, the peak resident memory of this process, in bytes.
func peakRSS(b *testing.B) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
