package render_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/render"
)

// TestRenderTree_RowStore: with the previous build's row store, a night takes the list rows of unchanged
// records from it and prints only those of records that changed or are new; the pages are a fresh render's
// byte for byte — the corrected title on every list and term page its entry is on, the removed record on none
// — and so is the store it writes. A store written under another key, truncated, with a flipped byte, or
// missing is not used at all, with the same pages.
func TestRenderTree_RowStore(t *testing.T) {
	b := fixtureSite(t)
	dir := t.TempDir()
	prevRows, prevSums, prevStore := filepath.Join(dir, "prev.rows"), filepath.Join(dir, "prev.sums"), filepath.Join(dir, "prev.store")
	mustSumTree(t, b.content, prevSums)
	const key = "fingerprint"
	prev, prevSt := renderRows(t, b, b.content, render.Options{Sums: prevSums, Rows: prevRows, RowStore: prevStore, RowsKey: key, Precompress: true})
	// Without a previous store, a row is executed for its section's list and once for its three term pages,
	// which print it alike (the term's own column hidden by the stylesheet): the two others take it from
	// this build's slot.
	if prevSt.RowStoreReused != 0 || prevSt.RowStoreShared == 0 || prevSt.RowStoreExecuted < prevSt.Pages {
		t.Fatalf("first build: %d rows reused, %d shared, %d printed, for %d records", prevSt.RowStoreReused,
			prevSt.RowStoreShared, prevSt.RowStoreExecuted, prevSt.Pages)
	}

	// The night: one entry's title corrected, one entry gone, one new.
	content := filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS(b.content)); err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(content, "black", "E14.md")
	page, err := os.ReadFile(changed)
	if err != nil {
		t.Fatal(err)
	}
	page = bytes.Replace(page, []byte("\ntitle: \""), []byte("\ntitle: \"更正后的标题"), 1)
	if err := os.WriteFile(changed, page, 0o644); err != nil {
		t.Fatal(err)
	}
	reds, err := filepath.Glob(filepath.Join(content, "red", "E*.md"))
	if err != nil || len(reds) < 2 {
		t.Fatalf("red entries: %v %v", reds, err)
	}
	gone := strings.TrimSuffix(filepath.Base(reds[0]), ".md")
	if err := os.Remove(reds[0]); err != nil {
		t.Fatal(err)
	}
	added, _ := os.ReadFile(reds[1])
	if err := os.WriteFile(filepath.Join(content, "red", "N02.md"), added, 0o644); err != nil {
		t.Fatal(err)
	}
	sums := filepath.Join(dir, "content.sums")
	mustSumTree(t, content, sums)

	freshStore := filepath.Join(dir, "fresh.store")
	fresh, _ := renderRows(t, b, content, render.Options{Sums: sums, Rows: filepath.Join(dir, "fresh.rows"), RowStore: freshStore,
		RowsKey: key, Precompress: true})
	wantStore, err := os.ReadFile(freshStore)
	if err != nil {
		t.Fatal(err)
	}
	// The corrected title is on the entry's lists: /black/, its department's, district's and list name's.
	lists := 0
	for _, rel := range listPagesWith(t, fresh, "更正后的标题") {
		if !render.RecordPage(rel) && !strings.HasPrefix(rel, "subjects/") {
			lists++
		}
	}
	if lists < 4 {
		t.Fatalf("the corrected title is on %d list pages of a fresh render, want 4 or more", lists)
	}
	if len(listPagesWith(t, prev, "/red/"+gone+"/")) < 3 {
		t.Fatal("the entry to be removed is on no list page of the previous build")
	}
	for _, rel := range listPagesWith(t, fresh, "/red/"+gone+"/") {
		if !render.RecordPage(rel) { // its subject's page is the export's, which this test does not change
			t.Fatalf("the removed entry is on the list page %s", rel)
		}
	}

	night := func(t *testing.T, store string, key string) render.Stats {
		t.Helper()
		out := filepath.Join(t.TempDir(), "night.store")
		site, st := renderRows(t, b, content, render.Options{Sums: sums, Rows: filepath.Join(t.TempDir(), "night.rows"), RowStore: out,
			RowsKey: key, Precompress: true, Reuse: &render.Reuse{Content: b.content, Site: prev, Rows: prevRows, RowStore: store}})
		sameTrees(t, fresh, site)
		if got, _ := os.ReadFile(out); !bytes.Equal(got, wantStore) && key == "fingerprint" {
			t.Error("the row store written differs from a fresh render's")
		}
		return st
	}

	t.Run("reused", func(t *testing.T) {
		st := night(t, prevStore, key)
		t.Logf("%d rows reused, %d printed; the first build printed %d", st.RowStoreReused, st.RowStoreExecuted, prevSt.RowStoreExecuted)
		// Printed again: the changed entry's rows and the new entry's (four lists each at most) and the rows of
		// their subjects, whose pages count their entries.
		if st.RowStoreUnused != "" || st.RowStoreReused < prevSt.RowStoreExecuted-16 || st.RowStoreExecuted == 0 || st.RowStoreExecuted > 10 {
			t.Errorf("%d rows reused, %d printed (%q); the first build printed %d", st.RowStoreReused, st.RowStoreExecuted,
				st.RowStoreUnused, prevSt.RowStoreExecuted)
		}
	})

	t.Run("the same path", func(t *testing.T) {
		// Read and replaced by the same build, as a publication keeps it (one copy in the data directory).
		store := filepath.Join(t.TempDir(), "store")
		data, err := os.ReadFile(prevStore)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(store, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, st := renderRows(t, b, content, render.Options{Sums: sums, Rows: filepath.Join(t.TempDir(), "night.rows"), RowStore: store,
			RowsKey: key, Precompress: true, Reuse: &render.Reuse{Content: b.content, Site: prev, Rows: prevRows, RowStore: store}})
		if got, _ := os.ReadFile(store); !bytes.Equal(got, wantStore) || st.RowStoreReused == 0 {
			t.Errorf("the store replaced in place differs from a fresh render's (%d rows reused)", st.RowStoreReused)
		}
	})

	t.Run("another key", func(t *testing.T) {
		st := night(t, prevStore, key+"2")
		if st.RowStoreReused != 0 || st.RowStoreUnused == "" {
			t.Errorf("%d rows reused under another key (%q)", st.RowStoreReused, st.RowStoreUnused)
		}
	})

	t.Run("damaged or missing", func(t *testing.T) {
		data, err := os.ReadFile(prevStore)
		if err != nil {
			t.Fatal(err)
		}
		flip := func(i int) []byte {
			d := bytes.Clone(data)
			d[i] ^= 1
			return d
		}
		for name, bad := range map[string][]byte{
			"truncated": data[:len(data)-1], "cut in half": data[:len(data)/2], "a flipped byte": flip(len(data) / 2),
			"a flipped byte in the key": flip(len("xinyong row store 1\n") + 2), "empty": {}, "missing": nil,
		} {
			store := filepath.Join(t.TempDir(), "prev.store")
			if bad != nil {
				if err := os.WriteFile(store, bad, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			st := night(t, store, key)
			if st.RowStoreReused != 0 || st.RowStoreUnused == "" {
				t.Errorf("%s: %d rows reused (%q)", name, st.RowStoreReused, st.RowStoreUnused)
			}
		}
	})
}

// listPagesWith returns the pages of the site whose bytes contain s.
func listPagesWith(t *testing.T, site, s string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(p) != "index.html" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(s)) {
			rel, _ := filepath.Rel(site, p)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}
