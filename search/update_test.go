package search

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// night returns docs as the next night has them: every 50th removed (repaired), every 20th changed (a
// corrected name for every other one, a corrected summary for the rest), and add new documents appended.
// The new documents are the next ones of the synthetic corpus, so night(synthDocs(n), k, ...) is stable.
func night(docs []Doc, added []Doc, salt string) (next []Doc, removed []Doc) {
	for i, d := range docs {
		switch {
		case i%50 == 3:
			removed = append(removed, d)
			continue
		case i%40 == 5:
			d.Name = strings.Replace(d.Name, "盘锦", "辽河", 1) + salt
		case i%40 == 25:
			d.Summary += "（更正" + salt + "）"
		}
		next = append(next, d)
	}
	return append(next, added...), removed
}

// queriesOf returns queries of every kind drawn from docs: full names, partial names, single characters,
// codes, code prefixes, mistyped codes, ubiquitous words and misses.
func queriesOf(docs []Doc) []string {
	var qs []string
	for _, kind := range slices.Sorted(maps.Keys(benchQueries(docs))) {
		list := benchQueries(docs)[kind]
		qs = append(qs, list[:min(len(list), 15)]...)
	}
	return qs
}

// sameResults fails t unless the indexes in a and b give the same hits, in the same order with the same
// scores, and the same totals, for every query, with and without a filter.
func sameResults(t *testing.T, a, b string, qs []string) {
	t.Helper()
	xa, err := Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer xa.Close()
	xb, err := Open(b)
	if err != nil {
		t.Fatal(err)
	}
	defer xb.Close()
	ctx := context.Background()
	compared := 0
	for _, q := range qs {
		for _, f := range []Filters{{}, {List: "black"}, {Kind: KindCase}} {
			for page := 1; page <= 2; page++ {
				r := Request{Q: q, Page: page, Size: MaxSize, Filters: f}
				ra, erra := xa.Search(ctx, r)
				rb, errb := xb.Search(ctx, r)
				if (erra != nil) != (errb != nil) {
					t.Fatalf("%q: errors %v and %v", q, erra, errb)
				}
				if erra != nil {
					continue
				}
				if ra.Total != rb.Total || len(ra.Hits) != len(rb.Hits) {
					t.Fatalf("%q %+v page %d: %d (%d) hits and %d (%d)", q, f, page, ra.Total, len(ra.Hits), rb.Total, len(rb.Hits))
				}
				for i := range ra.Hits {
					ha, hb := ra.Hits[i], rb.Hits[i]
					if !sameScore(ha.Score, hb.Score) {
						t.Fatalf("%q %+v page %d hit %d: %s %v (%s) and %s %v (%s)", q, f, page, i,
							ha.ID, ha.Score, ha.Name, hb.ID, hb.Score, hb.Name)
					}
				}
				// The same documents in the same order, but for scores equal up to rounding, whose order is
				// not that of the ids in every build (see sameScore); a run of them the page cuts is skipped.
				for i := 0; i < len(ra.Hits); {
					j := i + 1
					for j < len(ra.Hits) && sameScore(ra.Hits[i].Score, ra.Hits[j].Score) {
						j++
					}
					if j == len(ra.Hits) && j == r.Size && i > 0 {
						break
					}
					ka, kb := hitKeys(ra.Hits[i:j]), hitKeys(rb.Hits[i:j])
					if !slices.Equal(ka, kb) {
						t.Fatalf("%q %+v page %d hits %d–%d: %v and %v", q, f, page, i, j, ka, kb)
					}
					i = j
				}
				compared += len(ra.Hits)
			}
		}
	}
	if compared < len(qs) {
		t.Fatalf("only %d hits compared for %d queries", compared, len(qs))
	}
}

// sameScore reports whether two scores are equal up to rounding. Bleve sums the parts of a score in an
// order that differs from one build (or opening) of an index to the next, even between two full builds of
// the same documents, so scores of the same hit differ in their last bits (0.1654228293478865
// and 0.16542282934788652), and hits of equal scores are not always in the order of their ids.
func sameScore(a, b float64) bool { return math.Abs(a-b) <= 1e-12*max(math.Abs(a), math.Abs(b)) }

// hitKeys returns what compares hits: id, name and summary, sorted.
func hitKeys(hs []Hit) []string {
	var ks []string
	for _, h := range hs {
		ks = append(ks, h.Kind+"/"+h.ID+" "+h.Name+" "+h.Summary)
	}
	slices.Sort(ks)
	return ks
}

// storedIDs returns the kind/id of every document the index in dir holds.
func storedIDs(t *testing.T, dir string) []string {
	t.Helper()
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var ids []string
	err = x.Audit(context.Background(), func(field, value string) error {
		if field == fDoc {
			h, err := decodeHit(value)
			if err != nil {
				return err
			}
			ids = append(ids, h.Kind+"/"+h.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

func idsOf(docs []Doc) []string {
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.Kind+"/"+d.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestUpdateEqualsBuild: three nights of removed, changed and new documents, each indexed by Update from
// the night before and by Build afresh, give the same results with the same scores; removed documents are
// found by no query and not stored; the previous index is not modified.
func TestUpdateEqualsBuild(t *testing.T) {
	const n, add = 2500, 25
	all := synthDocs(n + 3*add)
	ctx := context.Background()
	tmp := t.TempDir()
	docs := all[:n]
	prev := filepath.Join(tmp, "night0")
	if _, err := Build(ctx, prev, docsOf(docs)); err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 3; k++ {
		next, removed := night(docs, all[n+(k-1)*add:n+k*add], fmt.Sprint(k))
		before := sumDir(t, prev)

		inc := filepath.Join(tmp, fmt.Sprintf("night%d", k))
		st, err := Update(ctx, inc, prev, docsOf(next))
		if err != nil {
			t.Fatal(err)
		}
		if !st.Incremental || st.Fallback != "" {
			t.Fatalf("night %d: not incremental: %+v", k, st)
		}
		if st.Deleted != len(removed) || st.Added != add || st.Changed == 0 || st.Docs != len(next) {
			t.Fatalf("night %d: stats %+v, removed %d", k, st, len(removed))
		}
		full := filepath.Join(tmp, fmt.Sprintf("full%d", k))
		fst, err := Build(ctx, full, docsOf(next))
		if err != nil {
			t.Fatal(err)
		}
		if st.Subjects != fst.Subjects || st.Cases != fst.Cases || st.Masked != fst.Masked ||
			!slices.Equal(st.Probes, fst.Probes) || len(st.Probes) == 0 {
			t.Fatalf("night %d: stats %+v, full build %+v", k, st, fst)
		}
		if after := sumDir(t, prev); !maps.Equal(before, after) {
			t.Fatalf("night %d: the previous index was modified", k)
		}

		qs := queriesOf(next)
		for _, d := range removed[:10] {
			qs = append(qs, d.Name, d.Code)
		}
		sameResults(t, inc, full, qs)
		if got, want := storedIDs(t, inc), idsOf(next); !slices.Equal(got, want) {
			t.Fatalf("night %d: index holds %d documents, want %d", k, len(got), len(want))
		}
		removedFindable(t, inc, removed[:min(len(removed), 30)])
		x, err := Open(inc)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Check(ctx, st.Probes); err != nil {
			t.Fatalf("night %d: %v", k, err)
		}
		x.Close()
		docs, prev = next, inc
	}
}

// removedFindable fails t when a removed document is a hit of its name or its code.
func removedFindable(t *testing.T, dir string, removed []Doc) {
	t.Helper()
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	gone := map[string]bool{}
	for _, d := range removed {
		gone[d.Kind+"/"+d.ID] = true
	}
	for _, d := range removed {
		for _, q := range []string{d.Name, d.Code} {
			if q == "" {
				continue
			}
			for page := 1; page <= MaxDepth/MaxSize; page++ {
				res, err := x.Search(context.Background(), Request{Q: q, Page: page, Size: MaxSize})
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range res.Hits {
					if gone[h.Kind+"/"+h.ID] {
						t.Fatalf("removed %s %s found by %q", h.Kind, h.ID, q)
					}
				}
				if page >= res.Pages() {
					break
				}
			}
		}
	}
}

// sumDir returns the sums of the files under dir by path.
func sumDir(t *testing.T, dir string) map[string]docSum {
	t.Helper()
	m := map[string]docSum{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		m[path] = sumOf(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestUpdateFallsBack: without a usable previous index (none, absent, unfinished, without or with a
// corrupt sums file, a missing or corrupt segment) or after too many changes, Update builds afresh, and
// the index is that of a full build.
func TestUpdateFallsBack(t *testing.T) {
	const n = 600
	all := synthDocs(n + 10)
	ctx := context.Background()
	tmp := t.TempDir()
	prev := filepath.Join(tmp, "prev")
	if _, err := Build(ctx, prev, docsOf(all[:n])); err != nil {
		t.Fatal(err)
	}
	next, _ := night(all[:n], all[n:], "x")
	full := filepath.Join(tmp, "full")
	if _, err := Build(ctx, full, docsOf(next)); err != nil {
		t.Fatal(err)
	}
	breakCopy := func(f func(dir string)) string {
		dir, err := os.MkdirTemp(tmp, "broken")
		if err != nil {
			t.Fatal(err)
		}
		if err := copyIndex(prev, dir); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{metaFile, listFile} {
			if err := copyFile(filepath.Join(prev, name), filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
		f(dir)
		return dir
	}
	zap := func(dir string) string {
		m, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
		if len(m) != 1 {
			t.Fatalf("segments %v", m)
		}
		return m[0]
	}
	tests := []struct {
		name      string
		prev      string
		fallback  string // "" for none: a plain build
		changeAll bool
	}{
		{"none", "", "", false},
		{"absent", filepath.Join(tmp, "absent"), "previous index unusable", false},
		{"unfinished", breakCopy(func(d string) { os.Remove(filepath.Join(d, metaFile)) }), "previous index unusable", false},
		{"no sums", breakCopy(func(d string) { os.Remove(filepath.Join(d, listFile)) }), "no usable document list", false},
		{"bad sums", breakCopy(func(d string) {
			os.WriteFile(filepath.Join(d, listFile), []byte("zz subject/x\n"), 0o644)
		}), "no usable document list", false},
		{"short sums", breakCopy(func(d string) {
			b, _ := os.ReadFile(filepath.Join(d, listFile))
			os.WriteFile(filepath.Join(d, listFile), b[:len(b)/2+1], 0o644)
		}), "", false},
		{"no segment", breakCopy(func(d string) { os.Remove(zap(d)) }), "previous index unusable", false},
		{"corrupt segment", breakCopy(func(d string) {
			os.WriteFile(zap(d), []byte("not a segment"), 0o644)
		}), "previous index unusable", false},
		{"too many changes", prev, "deleted or replaced since the last full build", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := next
			want := full
			if tt.changeAll {
				docs = nil
				for _, d := range next {
					d.Summary += "（全部更正）"
					docs = append(docs, d)
				}
				want = filepath.Join(tmp, "fullall")
				if _, err := os.Stat(want); err != nil {
					if _, err := Build(ctx, want, docsOf(docs)); err != nil {
						t.Fatal(err)
					}
				}
			}
			dir := filepath.Join(t.TempDir(), "index")
			st, err := Update(ctx, dir, tt.prev, docsOf(docs))
			if err != nil {
				t.Fatal(err)
			}
			if st.Incremental || !strings.Contains(st.Fallback, tt.fallback) || (tt.prev != "") != (st.Fallback != "") {
				t.Fatalf("incremental %v, fallback %q, want one containing %q", st.Incremental, st.Fallback, tt.fallback)
			}
			sameResults(t, dir, want, queriesOf(docs))
			if got, want := storedIDs(t, dir), idsOf(docs); !slices.Equal(got, want) {
				t.Fatalf("index holds %d documents, want %d", len(got), len(want))
			}
		})
	}
}

// TestUpdateUnchanged: a night on which nothing changed copies the index and writes no segment.
func TestUpdateUnchanged(t *testing.T) {
	docs := synthDocs(500)
	ctx := context.Background()
	prev := filepath.Join(t.TempDir(), "prev")
	if _, err := Build(ctx, prev, docsOf(docs)); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "next")
	st, err := Update(ctx, dir, prev, docsOf(docs))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Incremental || st.Added+st.Changed+st.Deleted != 0 {
		t.Fatalf("stats %+v", st)
	}
	sameResults(t, dir, prev, queriesOf(docs))
}

// TestUpdateFailsCleanly: a document the build refuses fails the update too, and leaves dir absent.
func TestUpdateFailsCleanly(t *testing.T) {
	docs := synthDocs(300)
	ctx := context.Background()
	prev := filepath.Join(t.TempDir(), "prev")
	if _, err := Build(ctx, prev, docsOf(docs)); err != nil {
		t.Fatal(err)
	}
	bad := append(slices.Clone(docs), Doc{Kind: KindSubject, ID: "X1", URL: "/subjects/X1/"}) // no name
	dir := filepath.Join(t.TempDir(), "next")
	if _, err := Update(ctx, dir, prev, docsOf(bad)); err == nil {
		t.Fatal("no error")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("dir left behind: %v", err)
	}
}
