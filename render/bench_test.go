package render_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/render"
	"xinyong/site"
	"xinyong/themes"
)

// child runs in a child process of the test binary (see TestMain), so that its peak RSS is its own: a Hugo
// build of the site as published (XINYONG_RENDER_CHILD=site), which also writes the chrome for the
// renderer, Hugo alone (=hugo), or the renderer over the export tree (=render). It prints the number of pages on stdout.
func child(kind string) {
	ctx := context.Background()
	content, out, chrome := os.Getenv("XINYONG_CHILD_CONTENT"), os.Getenv("XINYONG_CHILD_OUT"), os.Getenv("XINYONG_CHILD_CHROME")
	pages, err := func() (int, error) {
		switch kind {
		case "site":
			res, err := site.Build(ctx, site.Options{Content: content, Out: out})
			if err != nil {
				return 0, err
			}
			return res.Pages, os.WriteFile(chrome, res.Chrome, 0o644)
		case "hugo":
			// Hugo alone: the embedded theme without its record layouts, so Hugo renders every page.
			theme := out + "-theme"
			if err := os.CopyFS(theme, themes.Xinyong()); err != nil {
				return 0, err
			}
			defer os.RemoveAll(theme)
			if err := os.RemoveAll(filepath.Join(theme, "records")); err != nil {
				return 0, err
			}
			res, err := site.Build(ctx, site.Options{Content: content, Out: out, ThemeDir: theme})
			if err != nil {
				return 0, err
			}
			return res.Pages, nil
		case "render":
			b, err := os.ReadFile(chrome)
			if err != nil {
				return 0, err
			}
			c, err := render.ReadChrome(b)
			if err != nil {
				return 0, err
			}
			r, err := render.New(themes.Xinyong(), render.Options{Chrome: c})
			if err != nil {
				return 0, err
			}
			st, err := r.RenderTree(ctx, content, out, 0)
			return st.Pages, err
		}
		return 0, fmt.Errorf("unknown child %q", kind)
	}()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(pages)
	os.Exit(0)
}

// measure is one child's run.
type measure struct {
	time  time.Duration
	rss   int64 // bytes
	pages int
}

func runChild(b *testing.B, kind, content, out, chrome string) measure {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), "XINYONG_RENDER_CHILD="+kind, "XINYONG_CHILD_CONTENT="+content,
		"XINYONG_CHILD_OUT="+out, "XINYONG_CHILD_CHROME="+chrome)
	cmd.Stderr = os.Stderr
	start := time.Now()
	stdout, err := cmd.Output()
	if err != nil {
		b.Fatalf("%s child: %v", kind, err)
	}
	m := measure{time: time.Since(start), rss: cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10}
	if err := json.Unmarshal(stdout, &m.pages); err != nil {
		b.Fatalf("%s child output %q: %v", kind, stdout, err)
	}
	return m
}

// BenchmarkRender renders the entry and subject pages of a demo export of 20,000 entries
// (XINYONG_BENCH_ENTRIES for another size) with the record renderer, in process (pages/s, allocations per
// page), and in the same run, each in a child process for its peak RSS: Hugo alone building the whole site
// from the same export (the theme without its record layouts, so Hugo renders these pages too), site.Build
// as published (Hugo links the record pages, the renderer writes them), and the renderer alone. Set
// XINYONG_BENCH_OUT=/dev/shm to write the sites to memory instead of the disk.
//
//	go test ./render -run XXX -bench Render -benchtime 3x -timeout 60m
func BenchmarkRender(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	content := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: fixture.MustDemo(b, 20000), AsOf: fixture.AsOf}
	if _, err := x.Export(ctx, content, filepath.Join(dir, "quality")); err != nil {
		b.Fatal(err)
	}
	// The sites are written to XINYONG_BENCH_OUT when it is set (a tmpfs such as /dev/shm takes the disk's
	// cost of creating directories and files out of the figures), else beside the export.
	outDir := dir
	if d := os.Getenv("XINYONG_BENCH_OUT"); d != "" {
		var err error
		if outDir, err = os.MkdirTemp(d, "xinyong-bench-"); err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(outDir)
	}
	chromePath := filepath.Join(dir, "chrome.json")
	hugo := runChild(b, "hugo", content, filepath.Join(outDir, "hugo"), chromePath)
	os.RemoveAll(filepath.Join(outDir, "hugo"))
	built := runChild(b, "site", content, filepath.Join(outDir, "site"), chromePath)
	os.RemoveAll(filepath.Join(outDir, "site"))
	child := runChild(b, "render", content, filepath.Join(outDir, "child"), chromePath)
	os.RemoveAll(filepath.Join(outDir, "child"))

	cb, err := os.ReadFile(chromePath)
	if err != nil {
		b.Fatal(err)
	}
	c, err := render.ReadChrome(cb)
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: c})
	if err != nil {
		b.Fatal(err)
	}
	var st render.Stats
	var elapsed time.Duration
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(outDir, fmt.Sprintf("out-%d", i))
		start := time.Now()
		if st, err = r.RenderTree(ctx, content, out, 0); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		b.StopTimer()
		os.RemoveAll(out)
		b.StartTimer()
	}
	runtime.ReadMemStats(&after)
	loops := float64(b.N)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/loops/float64(st.Pages), "B/page")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/loops/float64(st.Pages), "allocs/page")
	b.ReportMetric(float64(st.Pages), "pages")
	b.ReportMetric(float64(st.Pages)*loops/elapsed.Seconds(), "pages/s")
	b.ReportMetric(float64(child.rss)/(1<<20), "peak-RSS-MB")
	b.ReportMetric(child.time.Seconds(), "child-s")
	b.ReportMetric(float64(hugo.pages), "hugo-pages")
	b.ReportMetric(hugo.time.Seconds(), "hugo-s")
	b.ReportMetric(float64(hugo.rss)/(1<<20), "hugo-peak-RSS-MB")
	b.ReportMetric(child.time.Seconds()/hugo.time.Seconds(), "x-hugo-time")
	b.ReportMetric(built.time.Seconds(), "site-s")
	b.ReportMetric(float64(built.rss)/(1<<20), "site-peak-RSS-MB")
	b.ReportMetric(built.time.Seconds()/hugo.time.Seconds(), "x-site-hugo-time")
}

// BenchmarkRenderPages renders the entry and subject pages of the 600-entry demo export in memory, without
// the file system: the cost of the layouts and the functions they call, per page.
//
//	go test ./render -run XXX -bench RenderPages -benchmem
func BenchmarkRenderPages(b *testing.B) {
	s := demoSite(b)
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: s.chrome})
	if err != nil {
		b.Fatal(err)
	}
	var pages []*render.Page
	for _, section := range render.Sections() {
		names, _ := filepath.Glob(filepath.Join(s.content, section, "*.md"))
		for _, path := range names {
			name := filepath.Base(path)
			if name == "_index.md" {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			fm, _, err := generator.ReadPage(src)
			if err != nil {
				b.Fatal(err)
			}
			pages = append(pages, r.NewPage(section, name[:len(name)-3], fm))
		}
	}
	var buf bytes.Buffer
	b.ReportAllocs()
	n := 0
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := cpuTime()
	for b.Loop() {
		p := pages[n%len(pages)]
		n++
		buf.Reset()
		if err := r.Render(&buf, p); err != nil {
			b.Fatal(err)
		}
	}
	// The CPU time per page of the thread that renders (with its share of the garbage collector's work, the
	// assists): less disturbed than ns/op by the neighbours on a shared machine, which make the benchmark
	// wait for a CPU.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(n), "cpu-ns/page")
}

// processCPU is the CPU time (user and system) of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuTime is the CPU time (user and system) of the calling thread so far.
func cpuTime() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD (Linux)
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkRenderLists renders the list, taxonomy and term pages of an export tree (XINYONG_BENCH_CONTENT,
// e.g. a 20,000-entry demo's; skipped without it) from its sorted rows, into XINYONG_BENCH_OUT (default:
// a temporary directory): the lists' share of RenderTree, on GOMAXPROCS workers. Compare -cpu 1,2 in one
// run.
//
//	XINYONG_BENCH_CONTENT=/dev/shm/c XINYONG_BENCH_OUT=/dev/shm go test ./render -run XXX -bench RenderLists -cpu 1,2
func BenchmarkRenderLists(b *testing.B) {
	content := os.Getenv("XINYONG_BENCH_CONTENT")
	if content == "" {
		b.Skip("XINYONG_BENCH_CONTENT is not set")
	}
	ctx := context.Background()
	outDir := b.TempDir()
	if d := os.Getenv("XINYONG_BENCH_OUT"); d != "" {
		var err error
		if outDir, err = os.MkdirTemp(d, "xinyong-bench-"); err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(outDir)
	}
	res, err := site.Build(ctx, site.Options{Content: content, Out: filepath.Join(outDir, "site")})
	if err != nil {
		b.Fatal(err)
	}
	os.RemoveAll(filepath.Join(outDir, "site"))
	c, err := render.ReadChrome(res.Chrome)
	if err != nil {
		b.Fatal(err)
	}
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: c})
	if err != nil {
		b.Fatal(err)
	}
	rows, err := r.ReadListRows(content)
	if err != nil {
		b.Fatal(err)
	}
	var st render.Stats
	var elapsed, cpu time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(outDir, fmt.Sprintf("lists-%d", i))
		start, cpu0 := time.Now(), processCPU()
		if st, err = r.RenderLists(ctx, content, out, rows); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		cpu += processCPU() - cpu0
		b.StopTimer()
		os.RemoveAll(out)
		b.StartTimer()
	}
	b.ReportMetric(float64(st.Lists), "pages")
	b.ReportMetric(float64(st.Lists)*float64(b.N)/elapsed.Seconds(), "pages/s")
	// The process's CPU time per list page (every worker's, and the garbage collector's).
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(st.Lists)/float64(b.N), "cpu-ns/page")
}

// BenchmarkRenderListsStore renders the lists of an export tree (XINYONG_BENCH_CONTENT) from its rows, with
// the fixture's chrome, four ways, each b.N times in turn: the theme of XINYONG_BENCH_OLD_THEME (a theme
// directory, e.g. the embedded theme before the row store: git archive), the embedded theme without a row
// store, writing one (a full build), and reading it back (a night on which no row changed). It reports the
// process's CPU per list page of each (the lists' CPU is what a night spends on them). XINYONG_BENCH_KINDS
// (e.g. store-read) runs only those kinds (and store-written, which store-read reads); XINYONG_BENCH_THEME
// renders the store kinds with a theme directory instead of the embedded theme; XINYONG_BENCH_CPUPROFILE=P
// writes a CPU profile of each store-read run alone to P.<n> (a busy night's lists: every row from the store).
//
//	XINYONG_BENCH_CONTENT=R/content XINYONG_BENCH_OUT=/dev/shm XINYONG_BENCH_OLD_THEME=/tmp/old go test ./render -run XXX -bench RenderListsStore -benchtime 2x
//	GOGC=400 XINYONG_BENCH_CONTENT=R/content XINYONG_BENCH_OUT=/dev/shm XINYONG_BENCH_KINDS=store-read go test ./render -run XXX -bench 'RenderListsStore$' -benchtime 3x
func BenchmarkRenderListsStore(b *testing.B) {
	content := os.Getenv("XINYONG_BENCH_CONTENT")
	if content == "" {
		b.Skip("XINYONG_BENCH_CONTENT is not set")
	}
	ctx := context.Background()
	outDir, err := os.MkdirTemp(os.Getenv("XINYONG_BENCH_OUT"), "xinyong-bench-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(outDir)
	chrome := fixtureSite(b).chrome
	store := filepath.Join(outDir, "store")
	kinds := []struct {
		name string
		opt  render.Options
	}{
		{"old-theme", render.Options{}},
		{"no-store", render.Options{}},
		{"store-written", render.Options{Rows: "x", RowStore: store, RowsKey: "k"}},
		{"store-read", render.Options{Rows: "x", RowStore: store + "2", RowsKey: "k", Reuse: &render.Reuse{RowStore: store}}},
	}
	cpu := make([]time.Duration, len(kinds))
	var rows *render.ListRows
	lists := 0
	for i := 0; b.Loop(); i++ {
		for k, kind := range kinds {
			if only := os.Getenv("XINYONG_BENCH_KINDS"); only != "" && !strings.Contains(only, kind.name) && kind.name != "store-written" {
				continue // the store is written for store-read
			}
			theme := themes.Xinyong()
			if d := os.Getenv("XINYONG_BENCH_THEME"); d != "" {
				theme = os.DirFS(d)
			}
			if kind.name == "old-theme" {
				d := os.Getenv("XINYONG_BENCH_OLD_THEME")
				if d == "" {
					continue
				}
				theme = os.DirFS(d)
			}
			opt := kind.opt
			opt.Chrome = chrome
			r, err := render.New(theme, opt)
			if err != nil {
				b.Fatal(err)
			}
			if rows == nil {
				if rows, err = r.ReadListRows(content); err != nil {
					b.Fatal(err)
				}
			}
			out := filepath.Join(outDir, fmt.Sprintf("lists-%d-%s", i, kind.name))
			runtime.GC()
			// XINYONG_BENCH_CPUPROFILE: a CPU profile of the store-read runs alone (a busy night's lists).
			prof := os.Getenv("XINYONG_BENCH_CPUPROFILE")
			if prof != "" && kind.name == "store-read" {
				f, err := os.Create(fmt.Sprintf("%s.%d", prof, i))
				if err != nil {
					b.Fatal(err)
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					b.Fatal(err)
				}
			}
			cpu0 := processCPU()
			st, err := r.RenderLists(ctx, content, out, rows)
			if err != nil {
				b.Fatal(err)
			}
			cpu[k] += processCPU() - cpu0
			if prof != "" && kind.name == "store-read" {
				pprof.StopCPUProfile()
			}
			lists = st.Lists
			if kind.name == "store-read" && st.RowStoreExecuted != 0 {
				b.Fatalf("%d rows printed from a store of the same rows", st.RowStoreExecuted)
			}
			b.StopTimer()
			os.RemoveAll(out)
			b.StartTimer()
		}
	}
	for k, kind := range kinds {
		b.ReportMetric(cpu[k].Seconds()/float64(b.N), kind.name+"-cpu-s")
	}
	b.ReportMetric(float64(lists), "pages")
	if fi, err := os.Stat(store); err == nil {
		b.ReportMetric(float64(fi.Size())/1e6, "store-MB")
	}
}
