// Command exportnight runs one export as publish's exportStep does (search documents, content sums, pages
// file, the previous export's tree, sums and pages file) and prints its wall and CPU time, so that the
// export of a busy night can be timed and profiled on its own (docs/benchmarks.md, issue 13, helper 3):
//
//	go build -o /tmp/exportnight ./generator/testdata/exportnight
//	/tmp/exportnight -db DB0 -out FULL                       # a full export, the previous one
//	/tmp/exportnight -db DB1 -out BUSY -prev FULL -prof P    # the night after; P: a CPU profile
//
// It lives under testdata so that ./... does not build it. The pages file is keyed by the program, so
// the previous export must be made by the same binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"xinyong"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/search"
)

func main() {
	db := flag.String("db", "", "")
	out := flag.String("out", "", "dir: content, content.sums, content.pages, quality, docs")
	prev := flag.String("prev", "", "dir of a previous out")
	prof := flag.String("prof", "", "")
	flag.Parse()
	ctx := context.Background()
	src, err := exchange.Open(ctx, *db)
	if err != nil {
		panic(err)
	}
	asOf, _ := xinyong.ParseDate("2026-06-15")
	os.MkdirAll(*out, 0o755)
	f, _ := os.Create(filepath.Join(*out, "docs"))
	w := search.NewDocsWriter(f)
	x := &generator.Exporter{Source: src, AsOf: asOf, Docs: w.Write,
		Sums: filepath.Join(*out, "content.sums"), Pages: filepath.Join(*out, "content.pages")}
	if *prev != "" {
		x.Previous = &generator.Previous{Content: filepath.Join(*prev, "content"), Sums: filepath.Join(*prev, "content.sums"), Pages: filepath.Join(*prev, "content.pages")}
	}
	generator.ProgramID()
	if *prof != "" {
		pf, _ := os.Create(*prof)
		pprof.StartCPUProfile(pf)
		defer pprof.StopCPUProfile()
	}
	var r0 syscall.Rusage
	syscall.Getrusage(0, &r0)
	start := time.Now()
	res, err := x.Export(ctx, filepath.Join(*out, "content"), filepath.Join(*out, "quality"))
	if err != nil {
		panic(err)
	}
	w.Flush()
	f.Close()
	wall := time.Since(start)
	var r1 syscall.Rusage
	syscall.Getrusage(0, &r1)
	cpu := time.Duration(r1.Utime.Nano()-r0.Utime.Nano()) + time.Duration(r1.Stime.Nano()-r0.Stime.Nano())
	fmt.Printf("wall %.3f cpu %.3f (u %.3f s %.3f) files %d unchanged %d reused %d version %s\n", wall.Seconds(), cpu.Seconds(),
		float64(r1.Utime.Nano()-r0.Utime.Nano())/1e9, float64(r1.Stime.Nano()-r0.Stime.Nano())/1e9,
		res.Files, res.Unchanged, res.Reused, res.DataVersion)
}
