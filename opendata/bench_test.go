package opendata_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/opendata"
)

// BenchmarkWrite writes the downloads of a demo export of 100,000 entries (XINYONG_BENCH_ENTRIES for another
// size) and reports the public entries (red and black) written per second. The export is made once, before
// the timer starts. cpu-s/op is the CPU time of one Write, on all threads.
//
//	go test ./opendata -run XXX -bench Write -benchtime 3x
func BenchmarkWrite(b *testing.B) {
	db := fixture.MustDemo(b, 100000)
	content := filepath.Join(b.TempDir(), "content")
	x := &generator.Exporter{Source: db, AsOf: fixture.AsOf}
	res, err := x.Export(context.Background(), content, content+"-quality")
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	meta := opendata.Meta{Release: "bench", BuiltAt: time.Unix(0, 0)}
	var idx *opendata.Index
	cpu0 := cpuTime(b)
	for b.Loop() {
		if idx, err = opendata.Write(context.Background(), content, out, meta); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime(b) - cpu0
	entries := idx.Counts.Red + idx.Counts.Black
	if entries != res.Red+res.Black || idx.Counts.Cases != res.Cases {
		b.Fatalf("wrote %+v, the export has %d red, %d black, %d cases", idx.Counts, res.Red, res.Black, res.Cases)
	}
	b.ReportMetric(float64(entries)*float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	var size int64
	for _, f := range idx.Files {
		size += f.Size
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// cpuTime returns the user and system CPU time of the process so far: on a shared machine, where the wall
// time of a run varies with the neighbours' load, it shows the work done.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
