package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/site"
)

// childResult is what a child build reports: the build's result and the allocations of its process.
type childResult struct {
	site.Result
	Mallocs uint64
}

// childBuild runs in a child process of the test binary (see TestMain): one build, its result on stdout.
// Each build runs in its own process so that its peak RSS is its own, as in production.
func childBuild() {
	opt := site.Options{Content: os.Getenv("XINYONG_CHILD_CONTENT"), Out: os.Getenv("XINYONG_CHILD_OUT"),
		ThemeDir: os.Getenv("XINYONG_CHILD_THEME")}
	res, err := site.Build(context.Background(), opt)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	json.NewEncoder(os.Stdout).Encode(childResult{Result: *res, Mallocs: m.Mallocs})
	os.Exit(0)
}

// plainTheme is the baseline: the same site configuration and content with trivial templates.
var plainTheme = map[string]string{
	"layouts/baseof.html":   `<!DOCTYPE html><html lang="zh-CN"><head><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>`,
	"layouts/page.html":     `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}`,
	"layouts/list.html":     `{{ define "main" }}<h1>{{ .Title }}</h1>{{ range (.Paginate .Pages).Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}`,
	"layouts/home.html":     `{{ define "main" }}<h1>{{ .Title }}</h1>{{ end }}`,
	"layouts/taxonomy.html": `{{ define "main" }}{{ range .Data.Terms.ByCount }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>{{ end }}{{ end }}`,
}

// BenchmarkBuild builds the site of 100,000 demo entries (XINYONG_BENCH_ENTRIES for another size) with the
// xinyong theme and, as the baseline in the same run, with trivial templates, each build in a child
// process. It reports pages per second and peak RSS of both and their ratio, and the ratio of their
// allocations: a proxy for the template work that, unlike time, does not move with the machine's load.
//
//	go test ./site -run XXX -bench Build -benchtime 1x -timeout 30m
func BenchmarkBuild(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	db := fixture.MustDemo(b, 100000)
	content := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: db, AsOf: fixture.AsOf}
	if _, err := x.Export(ctx, content, filepath.Join(dir, "quality")); err != nil {
		b.Fatal(err)
	}
	plain := filepath.Join(dir, "plain-theme")
	for name, body := range plainTheme {
		os.MkdirAll(filepath.Dir(filepath.Join(plain, name)), 0o755)
		os.WriteFile(filepath.Join(plain, name), []byte(body), 0o644)
	}

	type measure struct {
		time    time.Duration
		rss     int64
		pages   int
		mallocs uint64
	}
	var themed, trivial measure
	run := func(m *measure, theme string, i int) {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "XINYONG_CHILD_BUILD=1", "XINYONG_CHILD_CONTENT="+content,
			"XINYONG_CHILD_OUT="+filepath.Join(dir, fmt.Sprintf("out-%d-%t", i, theme != "")), "XINYONG_CHILD_THEME="+theme)
		cmd.Stderr = os.Stderr
		start := time.Now()
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("child build: %v", err)
		}
		m.time += time.Since(start)
		var res childResult
		if err := json.Unmarshal(out, &res); err != nil {
			b.Fatalf("child output %q: %v", out, err)
		}
		m.pages = res.Pages
		m.mallocs = res.Mallocs
		m.rss = max(m.rss, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss<<10)
		os.RemoveAll(filepath.Join(dir, fmt.Sprintf("out-%d-%t", i, theme != "")))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		run(&trivial, plain, i)
		run(&themed, "", i)
	}
	iters := float64(b.N)
	b.ReportMetric(float64(themed.pages)*iters/themed.time.Seconds(), "pages/s")
	b.ReportMetric(float64(themed.rss)/(1<<20), "peak-RSS-MB")
	b.ReportMetric(float64(trivial.pages)*iters/trivial.time.Seconds(), "plain-pages/s")
	b.ReportMetric(float64(trivial.rss)/(1<<20), "plain-peak-RSS-MB")
	b.ReportMetric(themed.time.Seconds()/trivial.time.Seconds(), "x-plain-time")
	b.ReportMetric(float64(themed.mallocs)/float64(trivial.mallocs), "x-plain-allocs")
	b.ReportMetric(float64(themed.pages), "pages")
}
