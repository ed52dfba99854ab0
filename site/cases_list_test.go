package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/site"
)

// TestBuild_CasesPaginated: every pager page of /cases/ lists its share of the public cases, newest first,
// each once, and no withdrawal notice — the listed cases are filtered once per build (paginator.html's
// partialCached), so a cache shared by the wrong pages or stale across pager pages would show here. The
// fixture's export gets 130 more cases, one in seven withdrawn: four pager pages.
func TestBuild_CasesPaginated(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf}
	if _, err := x.Export(context.Background(), content, filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
	model, err := os.ReadFile(filepath.Join(content, "cases", "C01.md"))
	if err != nil {
		t.Fatal(err)
	}
	line := func(key string) *regexp.Regexp { return regexp.MustCompile(`(?m)^` + key + `: .*$`) }
	for i := 1; i <= 130; i++ {
		id := fmt.Sprintf("X%03d", i)
		page := fmt.Sprintf("---\ntitle: \"案例 %s 已撤回\"\nid: %q\nwithdrawn: true\nwithdrawn_on: \"2026-01-12\"\nnoindex: true\n---\n", id, id)
		if i%7 != 0 {
			page = line("id").ReplaceAllString(string(model), fmt.Sprintf("id: %q", id))
			page = line("title").ReplaceAllString(page, fmt.Sprintf("title: \"测试案例%s\"", id))
			// In 2025, one day apart, X001 the oldest: before the fixture's cases, in the order of their ids.
			page = line("date").ReplaceAllString(page, fmt.Sprintf("date: \"2025-%02d-%02d\"", 1+i/28, 1+i%28))
		}
		if err := os.WriteFile(filepath.Join(content, "cases", id+".md"), []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// What the list must show: every case of the export but the withdrawal notices, newest first.
	pages, err := filepath.Glob(filepath.Join(content, "cases", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var public, added []string
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		id := strings.TrimSuffix(filepath.Base(p), ".md")
		if id == "_index" || strings.Contains(string(b), "\nwithdrawn: true\n") {
			continue
		}
		public = append(public, id)
		if strings.HasPrefix(id, "X") {
			added = append(added, id)
		}
	}
	slices.Reverse(added)

	out := filepath.Join(dir, "public")
	if _, err := site.Build(context.Background(), site.Options{Content: content, Out: out}); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`href="/cases/([A-Z][0-9]+)/"`)
	var listed, listedAdded []string
	pagerPages := 0
	for n := 1; ; n++ {
		p := filepath.Join(out, "cases", "index.html")
		if n > 1 {
			p = filepath.Join(out, "cases", "page", fmt.Sprint(n), "index.html")
		}
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		pagerPages++
		var ids []string
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			if !slices.Contains(ids, m[1]) {
				ids = append(ids, m[1])
			}
		}
		if len(ids) == 0 || len(ids) > 50 {
			t.Errorf("/cases/ page %d lists %d cases", n, len(ids))
		}
		if !strings.Contains(string(b), fmt.Sprintf("%d", len(public))) {
			t.Errorf("/cases/ page %d does not give the count %d", n, len(public))
		}
		listed = append(listed, ids...)
	}
	for _, id := range listed {
		if strings.HasPrefix(id, "X") {
			listedAdded = append(listedAdded, id)
		}
	}
	if want := (len(public) + 49) / 50; pagerPages != want || want < 3 {
		t.Errorf("%d pager pages of /cases/, want %d (at least 3)", pagerPages, want)
	}
	if !slices.Equal(slices.Sorted(slices.Values(listed)), slices.Sorted(slices.Values(public))) {
		t.Errorf("/cases/ lists %v, want %v (every public case once, no withdrawal notice)", listed, public)
	}
	if !slices.Equal(listedAdded, added) {
		t.Errorf("/cases/ lists the added cases in the order %v, want newest first %v", listedAdded, added)
	}
}
