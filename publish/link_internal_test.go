package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"xinyong/internal/tree"
)

// TestLinkUnchanged: a file with the previous release's bytes becomes its inode; one with other bytes of the
// same size, another size, or no previous file keeps its own; a file linked already counts, unread.
func TestLinkUnchanged(t *testing.T) {
	prev, next := t.TempDir(), t.TempDir()
	write := func(dir, rel, text string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(prev, "a.html", "same bytes")
	write(next, "a.html", "same bytes")
	write(prev, "b.html", "old bytes!")
	write(next, "b.html", "new bytes!") // same size, other bytes
	write(prev, "c.html", "short")
	write(next, "c.html", "much longer")
	write(prev, "d/e/f.html", "deep")
	write(next, "d/e/f.html", "deep")
	p := write(prev, "g.html", "linked before")
	if err := os.Link(p, filepath.Join(next, "g.html")); err != nil {
		t.Fatal(err)
	}
	write(next, "new/h.html", "only here")
	n, err := linkUnchanged(context.Background(), prev, next)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("linked %d, want 3 (a, d/e/f, g)", n)
	}
	for rel, want := range map[string]bool{"a.html": true, "b.html": false, "c.html": false, "d/e/f.html": true, "g.html": true} {
		pi, err1 := os.Stat(filepath.Join(prev, rel))
		ni, err2 := os.Stat(filepath.Join(next, rel))
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if os.SameFile(pi, ni) != want {
			t.Errorf("%s: one inode %v, want %v", rel, !want, want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(next, "b.html")); err != nil || string(b) != "new bytes!" {
		t.Errorf("b.html = %q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(next, "new", "h.html")); err != nil {
		t.Error(err)
	}
}

// TestWalkRelease_CompressAndSize: the link step's walk lists the site's files that want a .gz and have
// none; the compress step gives a file that is the previous release's that file's .gz, and compresses
// every other — also a file linked from elsewhere than the previous release's path, whose .gz there would
// be stale; the release's size is every file's, .gz included, as tree.Size counts it.
func TestWalkRelease_CompressAndSize(t *testing.T) {
	prev, next := t.TempDir(), t.TempDir()
	big := func(s string) string { return strings.Repeat(s+" ", 400) }
	write := func(dir, rel, text string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stale := []byte("not the gzip of anything")
	// Written anew with the previous release's bytes: linked, and its .gz is the previous one's.
	write(prev, "site/same.html", big("same"))
	write(prev, "site/same.html.gz", string(stale))
	write(next, "site/same.html", big("same"))
	// Changed: compressed.
	write(prev, "site/changed.html", big("old"))
	write(prev, "site/changed.html.gz", string(stale))
	write(next, "site/changed.html", big("new"))
	// Linked from the previous release by an earlier step, without its .gz: its .gz is the previous one's.
	p := write(prev, "site/a/linked.css", big("css"))
	write(prev, "site/a/linked.css.gz", string(stale))
	os.MkdirAll(filepath.Join(next, "site", "a"), 0o755)
	if err := os.Link(p, filepath.Join(next, "site", "a", "linked.css")); err != nil {
		t.Fatal(err)
	}
	// A hard link to another file than the previous release's at its path: compressed, never given the
	// previous release's .gz.
	write(prev, "site/b/other.js", big("prev js"))
	write(prev, "site/b/other.js.gz", string(stale))
	o := write(prev, "elsewhere.js", big("next js"))
	os.MkdirAll(filepath.Join(next, "site", "b"), 0o755)
	if err := os.Link(o, filepath.Join(next, "site", "b", "other.js")); err != nil {
		t.Fatal(err)
	}
	// With its .gz already (the record renderer's), too small, not text, not in the site: left alone.
	write(next, "site/r/index.html", big("record"))
	write(next, "site/r/index.html.gz", "the renderer's")
	write(next, "site/small.html", "tiny")
	write(next, "site/img.png", big("png"))
	write(next, "content/page.md", big("md"))

	w, err := walkRelease(context.Background(), prev, next, filepath.Join(next, "site"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var jobs []string
	for _, j := range w.gzip {
		rel, _ := filepath.Rel(next, j.path)
		jobs = append(jobs, filepath.ToSlash(rel))
	}
	slices.Sort(jobs)
	if want := []string{"site/a/linked.css", "site/b/other.js", "site/changed.html", "site/same.html"}; !slices.Equal(jobs, want) {
		t.Errorf("to compress: %v, want %v", jobs, want)
	}
	n, size, err := compressJobs(context.Background(), w.gzip, filepath.Join(next, "site"), filepath.Join(prev, "site"))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("linked %d .gz, want 2 (same.html, linked.css)", n)
	}
	for rel, fromPrev := range map[string]bool{"site/same.html": true, "site/a/linked.css": true, "site/changed.html": false, "site/b/other.js": false} {
		z, err := os.ReadFile(filepath.Join(next, filepath.FromSlash(rel)+".gz"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(z, stale) != fromPrev {
			t.Errorf("%s.gz: the previous release's %v, want %v", rel, !fromPrev, fromPrev)
		}
		if !fromPrev {
			zr, err := gzip.NewReader(bytes.NewReader(z))
			if err != nil {
				t.Fatalf("%s.gz: %v", rel, err)
			}
			got, _ := io.ReadAll(zr)
			if want, _ := os.ReadFile(filepath.Join(next, filepath.FromSlash(rel))); !bytes.Equal(got, want) {
				t.Errorf("%s.gz does not hold %s", rel, rel)
			}
		}
	}
	if total, err := tree.Size(next); err != nil || w.bytes+size != total {
		t.Errorf("size %d + %d = %d, tree.Size %d (%v)", w.bytes, size, w.bytes+size, total, err)
	}
}

// TestWalkRelease_ReusedRecords: with the renderer's reuse under the same fingerprint, the directory of a
// record whose export page is the previous release's is not read — its page is the renderer's link, or one
// it could not link (no previous page), counted and sized from what the build reported; a record page of a
// changed or new record is read, and linked when it equals the previous one; the release's size is the same
// as with every directory read.
func TestWalkRelease_ReusedRecords(t *testing.T) {
	prev, next := t.TempDir(), t.TempDir()
	write := func(dir, rel, text string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	link := func(rel string) {
		t.Helper()
		p := filepath.Join(next, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Link(filepath.Join(prev, filepath.FromSlash(rel)), p); err != nil {
			t.Fatal(err)
		}
	}
	page := strings.Repeat("page ", 300)
	for _, id := range []string{"A", "C", "E"} {
		write(prev, "site/red/"+id+"/index.html", page+id) // a record's page has no .gz (render.RecordPage)
	}
	for _, id := range []string{"A", "B", "C", "E"} {
		write(prev, "content/red/"+id+".md", "record "+id)
	}
	write(prev, "content/red/_index.md", "list")
	write(prev, "site/red/index.html", "the list")
	// A: unchanged, page linked by the renderer.
	link("content/red/A.md")
	link("site/red/A/index.html")
	// B: unchanged record without a previous page: rendered.
	link("content/red/B.md")
	write(next, "site/red/B/index.html", page+"B")
	// C: changed record, new page.
	write(next, "content/red/C.md", "record C, corrected")
	write(next, "site/red/C/index.html", page+"C, corrected")
	// E: changed record whose page came out the same: linked by the walk.
	write(next, "content/red/E.md", "record E, a field the page does not show")
	write(next, "site/red/E/index.html", page+"E")
	// D: new record: a page large enough for a .gz, but a record's page gets none.
	write(next, "content/red/D.md", "record D")
	write(next, "site/red/D/index.html", page+"D")
	write(next, "content/red/_index.md", "list")
	write(next, "site/red/index.html", "the list")
	write(next, "site/red/page/2/index.html", page+"page 2") // large, but a list's second page gets no .gz
	records := &builtRecords{sections: []string{"black", "red", "subjects"}, pages: 5, reused: 1}
	for _, id := range []string{"A", "B", "C", "D", "E"} {
		fi, err := os.Stat(filepath.Join(next, "site", "red", id, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		records.bytes += fi.Size()
	}

	w, err := walkRelease(context.Background(), prev, next, filepath.Join(next, "site"), records)
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{"site/red/A/index.html": true, "site/red/B/index.html": false,
		"site/red/C/index.html": false, "site/red/E/index.html": true, "site/red/index.html": true} {
		if got := tree.SameFile(filepath.Join(prev, rel), filepath.Join(next, rel)); got != want {
			t.Errorf("%s: the previous release's %v, want %v", rel, got, want)
		}
	}
	// A (by the renderer) and E's pages, the list; _index.md, A.md and B.md.
	if w.linked != 6 || w.mismatch {
		t.Errorf("linked %d, want 6 (mismatch %v)", w.linked, w.mismatch)
	}
	if total, err := tree.Size(next); err != nil || w.bytes != total {
		t.Errorf("size %d, tree.Size %d (%v)", w.bytes, total, err)
	}
	if len(w.gzip) != 0 {
		t.Errorf("to compress: %v, want nothing", w.gzip)
	}
	// Read: the release, content, content/red, site, site/red, C, D, E, page, page/2; not A nor B.
	if w.dirs != 10 {
		t.Errorf("read %d directories, want 10", w.dirs)
	}
}

// TestWalkRelease_FirstRecords: without a previous release no record page's directory is read: their
// number and size are the build's; the rest is read as without them (the same files to compress, the same
// size). When the record directories are not what the build reported, every directory is read.
func TestWalkRelease_FirstRecords(t *testing.T) {
	next := t.TempDir()
	write := func(rel, text string) int64 {
		t.Helper()
		p := filepath.Join(next, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return int64(len(text))
	}
	big := strings.Repeat("text ", 400)
	records := &builtRecords{sections: []string{"black", "red", "subjects"}}
	for _, rel := range []string{"red/E1", "red/E2", "black/E3", "subjects/S1"} {
		records.bytes += write("site/"+rel+"/index.html", big+rel)
		records.pages++
		write("content/"+rel+".md", "record")
	}
	write("site/red/index.html", big+"list")
	write("site/red/index.html.gz", "the renderer's")
	write("site/red/page/2/index.html", big+"page 2")
	write("site/subjects/index.xml", big+"feed") // another file of a record section: read
	write("site/index.html", big+"home")
	write("site/css/site.css", big+"css")
	site := filepath.Join(next, "site")
	jobs := func(w *walked) []string {
		var got []string
		for _, j := range w.gzip {
			rel, _ := filepath.Rel(next, j.path)
			got = append(got, filepath.ToSlash(rel))
		}
		slices.Sort(got)
		return got
	}
	all, err := walkRelease(context.Background(), "", next, site, nil)
	if err != nil {
		t.Fatal(err)
	}
	total, err := tree.Size(next)
	if err != nil {
		t.Fatal(err)
	}
	w, err := walkRelease(context.Background(), "", next, site, records)
	if err != nil {
		t.Fatal(err)
	}
	if w.bytes != total || all.bytes != total {
		t.Errorf("size %d (every directory read: %d), tree.Size %d", w.bytes, all.bytes, total)
	}
	if want := []string{"site/css/site.css", "site/index.html", "site/subjects/index.xml"}; !slices.Equal(jobs(w), want) || !slices.Equal(jobs(all), want) {
		t.Errorf("to compress %v (every directory read: %v), want %v", jobs(w), jobs(all), want)
	}
	if w.dirs != all.dirs-4 || w.mismatch {
		t.Errorf("read %d directories (mismatch %v), want %d: not the 4 records'", w.dirs, w.mismatch, all.dirs-4)
	}
	// A directory the build did not report: every directory is read, the size is still the release's.
	write("site/red/stray/index.html", big+"not the renderer's")
	if total, err = tree.Size(next); err != nil {
		t.Fatal(err)
	}
	w, err = walkRelease(context.Background(), "", next, site, records)
	if err != nil {
		t.Fatal(err)
	}
	if !w.mismatch || w.bytes != total || w.dirs != all.dirs+1 {
		t.Errorf("mismatch %v, size %d (tree.Size %d), read %d directories (want %d)", w.mismatch, w.bytes, total, w.dirs, all.dirs+1)
	}
}
