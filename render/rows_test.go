package render_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"xinyong/internal/fixture"
	"xinyong/internal/precompress"
	"xinyong/internal/tree"
	"xinyong/render"
	"xinyong/themes"
)

// renderRows renders content into a new directory with opt, the chrome of b, and returns it with the stats.
func renderRows(t *testing.T, b built, content string, opt render.Options) (string, render.Stats) {
	t.Helper()
	opt.Chrome = b.chrome
	r, err := render.New(themes.Xinyong(), opt)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	st, err := r.RenderTree(context.Background(), content, out, 0)
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

// sameTrees requires that two rendered trees have the same files with the same bytes.
func sameTrees(t *testing.T, want, got string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(want, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(want, p)
		n++
		compare(t, rel, p, filepath.Join(got, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := 0
	filepath.WalkDir(got, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			m++
		}
		return err
	})
	if n != m || n < 30 {
		t.Errorf("%d files, want %d", m, n)
	}
}

// TestRenderTree_PrecompressLists: a renderer that precompresses writes the .gz of the first page of every
// list, term and taxonomy, and of no page few read (render.ColdPage: a record's page, a list's page after
// the first), which the server compresses when asked.
func TestRenderTree_PrecompressLists(t *testing.T) {
	b := fixtureSite(t)
	out, _ := renderRows(t, b, b.content, render.Options{Precompress: true})
	records, lists, deep := 0, 0, 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(p) != "index.html" {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		rel = filepath.ToSlash(rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		_, gzErr := os.Stat(p + ".gz")
		switch {
		case render.ColdPage(rel):
			if render.RecordPage(rel) {
				records++
			} else {
				deep++
			}
			if gzErr == nil {
				t.Errorf("%s: a page few read has a .gz", rel)
			}
		case fi.Size() >= precompress.MinSize:
			lists++
			if gzErr != nil {
				t.Errorf("%s: a list page has no .gz: %v", rel, gzErr)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if records < 10 || lists < 3 || deep < 1 {
		t.Errorf("%d record pages, %d first list pages, %d later list pages: the fixture should have more", records, lists, deep)
	}
	for rel, want := range map[string][2]bool{ // RecordPage, ColdPage
		"red/E01/index.html": {true, true}, "subjects/S005/index.html": {true, true}, "black/E14/index.html": {true, true},
		"red/page/2/index.html": {false, true}, "departments/sthj/page/12/index.html": {false, true},
		"page/3/index.html": {false, true}, "cases/page/2/index.html": {false, true},
		"red/index.html": {false, false}, "departments/sthj/index.html": {false, false},
		"red/page/index.html": {false, false}, "red/page/x2/index.html": {false, false}, "red/pages/2/index.html": {false, false},
		"red/E01/index.html.gz": {false, false}, "red/page/2/index.html.gz": {false, false},
		"index.html": {false, false}, "about/index.html": {false, false},
	} {
		if got := render.RecordPage(rel); got != want[0] {
			t.Errorf("RecordPage(%q) = %v, want %v", rel, got, want[0])
		}
		if got := render.ColdPage(rel); got != want[1] {
			t.Errorf("ColdPage(%q) = %v, want %v", rel, got, want[1])
		}
	}
}

// TestRenderTree_ReuseRows: with the previous build's rows file and this export's sums, an unchanged record
// is linked and its row taken from the file without its page being read; a changed record (whose title
// the lists print), a removed record and a new one show in the pages and the lists exactly as in a fresh
// render, and the rows file written is a fresh render's. A damaged rows file, one written under another
// key, or a page missing from the previous site, fall back to reading and rendering, with the same result.
func TestRenderTree_ReuseRows(t *testing.T) {
	b := fixtureSite(t)
	dir := t.TempDir()
	prevRows, prevSums := filepath.Join(dir, "prev.rows"), filepath.Join(dir, "prev.sums")
	mustSumTree(t, b.content, prevSums)
	const key = "fingerprint"
	prev, _ := renderRows(t, b, b.content, render.Options{Sums: prevSums, Rows: prevRows, RowsKey: key, Precompress: true})

	// The night: one entry's title corrected, one entry gone, one new.
	content := filepath.Join(dir, "content")
	gonePage, keptPage := fixture.NightTree(t, b.content, content)
	gone, kept := strings.TrimSuffix(filepath.Base(gonePage), ".md"), strings.TrimSuffix(filepath.Base(keptPage), ".md")
	added, _ := os.ReadFile(keptPage)
	if err := os.WriteFile(filepath.Join(content, "red", "N02.md"), added, 0o644); err != nil {
		t.Fatal(err)
	}
	sums := filepath.Join(dir, "content.sums")
	mustSumTree(t, content, sums)

	freshRows := filepath.Join(dir, "fresh.rows")
	fresh, freshSt := renderRows(t, b, content, render.Options{Sums: sums, Rows: freshRows, RowsKey: key, Precompress: true})
	wantRows, err := os.ReadFile(freshRows)
	if err != nil {
		t.Fatal(err)
	}

	night := func(t *testing.T, reuse *render.Reuse, key string) (string, render.Stats) {
		t.Helper()
		rows := filepath.Join(t.TempDir(), "night.rows")
		out, st := renderRows(t, b, content, render.Options{Sums: sums, Rows: rows, RowsKey: key, Precompress: true, Reuse: reuse})
		sameTrees(t, fresh, out)
		if got, _ := os.ReadFile(rows); !bytes.Equal(got, wantRows) && key == "fingerprint" {
			t.Error("the rows file differs from a fresh render's")
		}
		if st.Pages != freshSt.Pages || st.Lists != freshSt.Lists {
			t.Errorf("%d pages, %d lists; fresh: %d, %d", st.Pages, st.Lists, freshSt.Pages, freshSt.Lists)
		}
		return out, st
	}

	t.Run("reused", func(t *testing.T) {
		out, st := night(t, &render.Reuse{Content: b.content, Site: prev, Rows: prevRows}, key)
		// All but the changed and the new record: E14 differs, N02 is not in the previous rows.
		if st.RowsReused != st.Pages-2 || st.Reused != st.Pages-2 || st.RowsUnused != "" {
			t.Errorf("rows reused %d, reused %d of %d pages (%s), want all but 2", st.RowsReused, st.Reused, st.Pages, st.RowsUnused)
		}
		for rel, want := range map[string]bool{"black/E14/index.html": false, "red/N02/index.html": false,
			"red/" + kept + "/index.html": true, "subjects/S005/index.html": true} {
			a, _ := os.Stat(filepath.Join(prev, rel))
			n, err := os.Stat(filepath.Join(out, rel))
			if err != nil {
				t.Fatal(err)
			}
			if os.SameFile(a, n) != want {
				t.Errorf("%s is the previous build's file: %t, want %t", rel, !want, want)
			}
		}
		if _, err := os.Stat(filepath.Join(out, "red", gone)); err == nil {
			t.Error("the removed record's page is still there")
		}
	})

	t.Run("another key", func(t *testing.T) {
		_, st := night(t, &render.Reuse{Content: b.content, Site: prev, Rows: prevRows}, key+"2")
		if st.RowsReused != 0 || st.RowsUnused == "" {
			t.Errorf("rows reused %d under another key (%q)", st.RowsReused, st.RowsUnused)
		}
	})

	t.Run("damaged", func(t *testing.T) {
		data, err := os.ReadFile(prevRows)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range [][]byte{
			data[:len(data)-1],
			append(append([]byte{}, data[:len(data)/2]...), append([]byte{data[len(data)/2] ^ 1}, data[len(data)/2+1:]...)...),
			nil,
		} {
			damaged := filepath.Join(t.TempDir(), "prev.rows")
			if bad != nil {
				if err := os.WriteFile(damaged, bad, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, st := night(t, &render.Reuse{Content: b.content, Site: prev, Rows: damaged}, key)
			if st.RowsReused != 0 || st.RowsUnused == "" {
				t.Errorf("rows reused %d from a damaged or missing file (%q)", st.RowsReused, st.RowsUnused)
			}
			if st.Reused != st.Pages-2 {
				t.Errorf("reused %d of %d pages by comparing the records, want all but 2", st.Reused, st.Pages)
			}
		}
	})

	t.Run("a page gone from the previous site", func(t *testing.T) {
		site := filepath.Join(t.TempDir(), "prev")
		if err := os.CopyFS(site, os.DirFS(prev)); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(site, "red", kept, "index.html")); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(site, "subjects", "S005", "index.html")); err != nil {
			t.Fatal(err)
		}
		_, st := night(t, &render.Reuse{Content: b.content, Site: site, Rows: prevRows}, key)
		if st.RowsReused != st.Pages-4 {
			t.Errorf("rows reused %d of %d pages, want all but 4", st.RowsReused, st.Pages)
		}
	})
}

// TestRenderTree_Prelinked: the pages Prelink links while Hugo builds are kept, and reported to Written
// once, when RenderTree would have linked them itself; under another key (a changed theme, chrome or
// program) every one is removed first and rendered again, so no page of the previous build stays, even one
// whose bytes differ from what this build renders.
func TestRenderTree_Prelinked(t *testing.T) {
	b := fixtureSite(t)
	dir := t.TempDir()
	prevRows, prevSums := filepath.Join(dir, "prev.rows"), filepath.Join(dir, "prev.sums")
	mustSumTree(t, b.content, prevSums)
	const key = "fingerprint"
	prev, _ := renderRows(t, b, b.content, render.Options{Sums: prevSums, Rows: prevRows, RowsKey: key})

	// The night: one entry's title corrected, one entry gone.
	content := filepath.Join(dir, "content")
	gonePage, keptPage := fixture.NightTree(t, b.content, content)
	gone, kept := strings.TrimSuffix(filepath.Base(gonePage), ".md"), strings.TrimSuffix(filepath.Base(keptPage), ".md")
	sums := filepath.Join(dir, "content.sums")
	mustSumTree(t, content, sums)
	fresh, freshSt := renderRows(t, b, content, render.Options{Sums: sums, RowsKey: key})

	// night prelinks from site and renders under key, with Reuse when reuse (the site sets it only when the
	// fingerprint is the previous build's).
	night := func(t *testing.T, site, key string, reuse bool) (string, render.Stats, map[string]int) {
		t.Helper()
		u := render.Reuse{Content: b.content, Site: site, Rows: prevRows}
		out := t.TempDir()
		pre := render.Prelink(content, out, sums, u)
		pre.Wait()
		if pre.Count() == 0 {
			t.Fatal("nothing prelinked")
		}
		var mu sync.Mutex
		written := map[string]int{}
		r, err := render.New(themes.Xinyong(), render.Options{Chrome: b.chrome, Sums: sums, Rows: filepath.Join(t.TempDir(), "rows"),
			RowsKey: key, Prelinked: pre, Written: func(file string, _ []byte, _ bool) {
				mu.Lock()
				written[file]++
				mu.Unlock()
			}})
		if err != nil {
			t.Fatal(err)
		}
		if reuse {
			r, err = render.New(themes.Xinyong(), render.Options{Chrome: b.chrome, Sums: sums, Rows: filepath.Join(t.TempDir(), "rows"),
				RowsKey: key, Reuse: &u, Prelinked: pre, Written: func(file string, _ []byte, _ bool) {
					mu.Lock()
					written[file]++
					mu.Unlock()
				}})
			if err != nil {
				t.Fatal(err)
			}
		}
		st, err := r.RenderTree(context.Background(), content, out, 0)
		if err != nil {
			t.Fatal(err)
		}
		if st.Pages != freshSt.Pages || st.Lists != freshSt.Lists {
			t.Errorf("%d pages, %d lists; fresh: %d, %d", st.Pages, st.Lists, freshSt.Pages, freshSt.Lists)
		}
		for f, n := range written {
			if n != 1 {
				t.Errorf("%s reported %d times", f, n)
			}
		}
		if len(written) != st.Pages+st.Lists {
			t.Errorf("%d pages reported, want %d", len(written), st.Pages+st.Lists)
		}
		if _, err := os.Stat(filepath.Join(out, "red", gone)); err == nil {
			t.Error("the removed record's page is there")
		}
		return out, st, written
	}

	t.Run("kept", func(t *testing.T) {
		out, st, _ := night(t, prev, key, true)
		sameTrees(t, fresh, out)
		if st.Prelinked != st.Pages-1 || st.Reused != st.Pages-1 || st.RowsReused != st.Pages-1 {
			t.Errorf("prelinked %d, reused %d, rows reused %d of %d pages, want all but 1", st.Prelinked, st.Reused, st.RowsReused, st.Pages)
		}
		for rel, want := range map[string]bool{"black/E14/index.html": false, "red/" + kept + "/index.html": true} {
			a, _ := os.Stat(filepath.Join(prev, rel))
			n, err := os.Stat(filepath.Join(out, rel))
			if err != nil {
				t.Fatal(err)
			}
			if os.SameFile(a, n) != want {
				t.Errorf("%s is the previous build's file: %t, want %t", rel, !want, want)
			}
		}
	})

	t.Run("a previous page missing", func(t *testing.T) {
		// The prelinking cannot link one unchanged record (its previous page is gone): RenderTree, which
		// left the unchanged records' pages to the prelinking, renders that one once it has ended.
		site := filepath.Join(t.TempDir(), "prev")
		if err := os.CopyFS(site, os.DirFS(prev)); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(site, "red", kept, "index.html")); err != nil {
			t.Fatal(err)
		}
		out, st, _ := night(t, site, key, true)
		sameTrees(t, fresh, out)
		if st.Prelinked != st.Pages-2 || st.Reused != st.Pages-2 || st.RowsReused != st.Pages-2 {
			t.Errorf("prelinked %d, reused %d, rows reused %d of %d pages, want all but 2", st.Prelinked, st.Reused, st.RowsReused, st.Pages)
		}
	})

	t.Run("another key", func(t *testing.T) {
		// A previous page that is not what this build renders: it must not survive a changed key.
		site := filepath.Join(t.TempDir(), "prev")
		if err := os.CopyFS(site, os.DirFS(prev)); err != nil {
			t.Fatal(err)
		}
		stale := filepath.Join(site, "red", kept, "index.html")
		if err := os.WriteFile(stale, []byte("stale"), 0o644); err != nil {
			t.Fatal(err)
		}
		// Another fingerprint: the site renders without Reuse.
		out, st, _ := night(t, site, key, false)
		sameTrees(t, fresh, out)
		if st.Reused != 0 || st.RowsReused != 0 || st.Prelinked != 0 {
			t.Errorf("reused %d, rows reused %d, prelinked %d without Reuse", st.Reused, st.RowsReused, st.Prelinked)
		}
		// The same fingerprint, but the rows file under another key (language, time zone): not one
		// prelinked page is kept; the renderer's own reuse compares the export pages.
		_, st, _ = night(t, site, key+"2", true)
		if st.RowsReused != 0 || st.Prelinked != 0 {
			t.Errorf("rows reused %d, prelinked %d under another key", st.RowsReused, st.Prelinked)
		}
		if b, _ := os.ReadFile(stale); string(b) != "stale" {
			t.Error("the previous site's page was changed")
		}
	})
}

// mustSumTree writes the content sums of the tree content, as the export does.
func mustSumTree(t *testing.T, content, name string) {
	t.Helper()
	if err := tree.SumTree(content, name); err != nil {
		t.Fatal(err)
	}
}

// TestPageSums: the rows file gives every record page's SHA-256, the SHA-256 of the page the build
// wrote; a damaged file is refused.
func TestPageSums(t *testing.T) {
	b := fixtureSite(t)
	dir := t.TempDir()
	rows, sumsFile := filepath.Join(dir, "fresh.rows"), filepath.Join(dir, "content.sums")
	mustSumTree(t, b.content, sumsFile)
	out, st := renderRows(t, b, b.content, render.Options{Sums: sumsFile, Rows: rows, RowsKey: "k"})
	sums, err := render.PageSums(rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != st.Pages || len(sums) < 10 {
		t.Fatalf("%d sums, %d pages", len(sums), st.Pages)
	}
	for rel, s := range sums {
		page, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(page) != s {
			t.Errorf("%s: the rows file's sum is not the page's", rel)
		}
	}
	data, _ := os.ReadFile(rows)
	data[len(data)/2] ^= 1
	os.WriteFile(rows, data, 0o644)
	if _, err := render.PageSums(rows); err == nil {
		t.Error("a damaged rows file gave sums")
	}
}
