package generator_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"xinyong"
	"xinyong/exchange"
	"xinyong/generator"
)

// BenchmarkExport exports a demo database of 100,000 entries (set XINYONG_BENCH_ENTRIES for another size)
// into a fresh directory and reports entries per second, the peak resident memory of the export alone, and,
// as a baseline measured in the same run, the ratio to merely reading the same rows from SQLite.
//
//	go test ./generator -run XXX -bench Export -benchtime 3x
func BenchmarkExport(b *testing.B) {
	n := 100000
	if s := os.Getenv("XINYONG_BENCH_ENTRIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	dir := b.TempDir()
	path := filepath.Join(dir, "demo.db")
	asOf := xinyong.NewDate(2026, 6, 15)
	w, err := exchange.Create(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := exchange.Demo(ctx, w, exchange.DemoOptions{Entries: n, Seed: 1, AsOf: asOf}); err != nil {
		b.Fatal(err)
	}
	w.Close()
	db, err := exchange.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()

	var readTime, exportTime time.Duration
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
		os.RemoveAll(out)
	}
	b.ReportMetric(float64(n)*float64(b.N)/exportTime.Seconds(), "entries/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MB")
	b.ReportMetric(exportTime.Seconds()/readTime.Seconds(), "x-read-only")
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
