// Command stages runs the steps of a publication that do not involve Hugo — export, changes (against no
// release, then against itself: a second night with nothing changed), opendata and the search index — on
// an exchange database, and prints the wall time and the peak resident memory of each, measured in this
// process (VmHWM, reset before each stage). It is how the stages are measured at a million entries, where
// the Hugo build does not fit in memory (docs/benchmarks.md, issue 13):
//
//	go run ./bench/stages -db DEMO.db -work /dev/shm/stages [-as-of 2026-06-15] [-night CHANGED.db]
//
// The export is then run again as a publication's night does, with the first export as the previous
// release (generator.Exporter.Previous: unchanged files are linked, not written), on the same data and,
// with -night, on a database in which some entries changed (bench/night.sh's busy night).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"xinyong"
	"xinyong/changes"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/opendata"
	"xinyong/search"
)

func main() {
	db := flag.String("db", "", "the exchange database (DSN)")
	work := flag.String("work", "", "an empty directory for the trees")
	asOfFlag := flag.String("as-of", "2026-06-15", "the as-of date")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the export to this file (and of the night's to FILE.night)")
	night := flag.String("night", "", "a changed copy of the database, exported as the next night")
	exportOnly := flag.Bool("export-only", false, "run the exports only")
	steps := flag.Bool("steps", false, "run the export, changes and opendata steps of a full publication, then of -night's (nightSteps)")
	flag.Parse()
	if *db == "" || *work == "" || (*steps && *night == "") {
		flag.Usage()
		os.Exit(2)
	}
	if *steps {
		if err := nightSteps(*db, *night, *work, *asOfFlag, *cpuProfile); err != nil {
			fmt.Fprintln(os.Stderr, "stages:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*db, *work, *asOfFlag, *cpuProfile, *night, *exportOnly); err != nil {
		fmt.Fprintln(os.Stderr, "stages:", err)
		os.Exit(1)
	}
}

func run(dsn, work, asOfFlag, cpuProfile, nightDSN string, exportOnly bool) error {
	ctx := context.Background()
	asOf, err := xinyong.ParseDate(asOfFlag)
	if err != nil {
		return err
	}
	src, err := exchange.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer src.Close()
	rel := func(name string) string { return filepath.Join(work, name) }
	docs := rel("search-docs.jsonl")
	var res *generator.Result
	fmt.Printf("%-28s %10s %10s %12s\n", "stage", "seconds", "CPU s", "peak RSS MB")
	stage := stageWith
	if err := stage("export", func() error {
		if cpuProfile != "" {
			stop, err := startProfile(cpuProfile)
			if err != nil {
				return err
			}
			defer stop()
		}
		f, err := os.Create(docs)
		if err != nil {
			return err
		}
		defer f.Close()
		w := search.NewDocsWriter(f)
		x := &generator.Exporter{Source: src, AsOf: asOf, Docs: w.Write, Sums: rel("content.sums")}
		if res, err = x.Export(ctx, rel("content"), rel("quality")); err != nil {
			return err
		}
		return w.Flush()
	}); err != nil {
		return err
	}
	// A night: the same export with the first as the previous release, into other directories.
	nightExport := func(name string, src generator.Source) error {
		return stage(name, func() error {
			if cpuProfile != "" && name == "export-same" {
				stop, err := startProfile(cpuProfile + ".night")
				if err != nil {
					return err
				}
				defer stop()
			}
			x := &generator.Exporter{Source: src, AsOf: asOf, Docs: func(search.Doc) error { return nil },
				Previous: &generator.Previous{Content: rel("content"), Sums: rel("content.sums")},
				Sums:     rel(name + ".sums")}
			r, err := x.Export(ctx, rel(name+"-content"), rel(name+"-quality"))
			if err == nil {
				fmt.Printf("# %s: %d of %d files linked from the first export\n", name, r.Unchanged, r.Files)
			}
			return err
		})
	}
	if err := nightExport("export-same", src); err != nil {
		return err
	}
	if nightDSN != "" {
		nsrc, err := exchange.Open(ctx, nightDSN)
		if err != nil {
			return err
		}
		defer nsrc.Close()
		if err := nightExport("export-changed", nsrc); err != nil {
			return err
		}
	}
	if exportOnly {
		return nil
	}
	meta := changes.Meta{Release: "r1", AsOf: asOf.String(), BuiltAt: time.Now()}
	if err := stage("changes (first night)", func() error {
		_, _, err := changes.Stage(ctx, changes.Dirs{Content: rel("content"), Data: rel("changes1"), History: rel("history1.jsonl.gz")}, meta)
		return err
	}); err != nil {
		return err
	}
	if err := stage("changes (same again)", func() error {
		meta.Release, meta.Previous = "r2", "r1"
		_, _, err := changes.Stage(ctx, changes.Dirs{PrevContent: rel("content"), PrevData: rel("changes1"),
			PrevHistory: rel("history1.jsonl.gz"), Content: rel("content"), Data: rel("changes2"), History: rel("history2.jsonl.gz")}, meta)
		return err
	}); err != nil {
		return err
	}
	if err := stage("opendata", func() error {
		_, err := opendata.Write(ctx, rel("content"), rel("data"), opendata.Meta{Release: "r1", BuiltAt: time.Now()})
		return err
	}); err != nil {
		return err
	}
	var st search.Stats
	if err := stage("search index", func() error {
		st, err = search.Build(ctx, rel("index"), search.ReadDocsFile(docs))
		return err
	}); err != nil {
		return err
	}
	fmt.Printf("# %d red, %d black, %d subjects, %d cases; %d search documents, index %.0f MB\n",
		res.Red, res.Black, res.Subjects, res.Cases, st.Docs, float64(st.Bytes)/1e6)
	return nil
}

// stageWith runs one stage and prints its wall time, CPU time and peak resident memory.
func stageWith(name string, fn func() error) error {
	runtime.GC()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	start, cpu := time.Now(), cpuTime()
	if err := fn(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Printf("%-28s %10.2f %10.2f %12.0f\n", name, time.Since(start).Seconds(), (cpuTime() - cpu).Seconds(),
		float64(peakRSS())/(1<<20))
	return nil
}

// cpuTime returns the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS returns VmHWM, the peak resident memory of this process, in bytes.
func peakRSS() int64 {
	data, _ := os.ReadFile("/proc/self/status")
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// startProfile writes a CPU profile to path until the returned function is called.
func startProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
