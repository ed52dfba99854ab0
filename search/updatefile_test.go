package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// writeDocsFile writes docs as a documents file (DocsWriter) and returns its path.
func writeDocsFile(t *testing.T, dir, name string, docs []Doc) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewDocsWriter(f)
	for _, d := range docs {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// newLines counts the lines of the documents file next that are not lines of prev.
func newLines(t *testing.T, prev, next string) int {
	t.Helper()
	read := func(p string) []string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	old := map[string]bool{}
	for _, l := range read(prev) {
		old[l] = true
	}
	n := 0
	for _, l := range read(next) {
		if !old[l] {
			n++
		}
	}
	return n
}

// TestUpdateFile_DecodesOnlyChanges: three nights of removed, changed and new documents, each indexed by
// UpdateFile from the night before's index: the changed documents are updated, the removed ones gone, the
// results, counts and probes those of a full build of the same file, and the documents whose line did not change are not
// decoded: only the new lines and at most the probes' candidates are.
func TestUpdateFile_DecodesOnlyChanges(t *testing.T) {
	const n, add = 2500, 25
	all := synthDocs(n + 3*add)
	ctx := context.Background()
	tmp := t.TempDir()
	docs := all[:n]
	file := writeDocsFile(t, tmp, "docs0.jsonl", docs)
	prev := filepath.Join(tmp, "night0")
	st, err := BuildFile(ctx, prev, file)
	if err != nil {
		t.Fatal(err)
	}
	if st.Decoded != n {
		t.Fatalf("full build decoded %d of %d", st.Decoded, n)
	}
	for k := 1; k <= 3; k++ {
		next, removed := night(docs, all[n+(k-1)*add:n+k*add], fmt.Sprint(k))
		nextFile := writeDocsFile(t, tmp, fmt.Sprintf("docs%d.jsonl", k), next)
		lines := newLines(t, file, nextFile)

		inc := filepath.Join(tmp, fmt.Sprintf("night%d", k))
		st, err := UpdateFile(ctx, inc, prev, nextFile)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Incremental || st.Fallback != "" {
			t.Fatalf("night %d: not incremental: %+v", k, st)
		}
		if st.Deleted != len(removed) || st.Added != add || st.Changed != lines-add || st.Docs != len(next) {
			t.Fatalf("night %d: stats %+v, removed %d, new lines %d", k, st, len(removed), lines)
		}
		if st.Decoded < lines || st.Decoded > lines+2*candidatesKept {
			t.Fatalf("night %d: %d documents decoded, want the %d new lines and at most %d more", k, st.Decoded, lines, 2*candidatesKept)
		}
		full := filepath.Join(tmp, fmt.Sprintf("full%d", k))
		fst, err := BuildFile(ctx, full, nextFile)
		if err != nil {
			t.Fatal(err)
		}
		if st.Subjects != fst.Subjects || st.Cases != fst.Cases || st.Masked != fst.Masked ||
			!slices.Equal(st.Probes, fst.Probes) || len(st.Probes) == 0 {
			t.Fatalf("night %d: stats %+v, full build %+v", k, st, fst)
		}
		qs := queriesOf(next)
		for i, d := range next {
			if i%40 == 5 || i%40 == 25 { // changed: found by their new name
				qs = append(qs, d.Name)
			}
		}
		for _, d := range removed[:10] {
			qs = append(qs, d.Name, d.Code)
		}
		sameResults(t, inc, full, qs)
		if got, want := storedIDs(t, inc), idsOf(next); !slices.Equal(got, want) {
			t.Fatalf("night %d: index holds %d documents, want %d", k, len(got), len(want))
		}
		removedFindable(t, inc, removed)
		docs, prev, file = next, inc, nextFile
	}
}

// caseDocs returns n cases with three-character titles: none may be a probe, so an update decodes exactly
// the lines that changed.
func caseDocs(n int) []Doc {
	var ds []Doc
	for i := range n {
		id := fmt.Sprintf("C%05d", i)
		ds = append(ds, Doc{Kind: KindCase, ID: id, URL: "/cases/" + id + "/", Name: string([]rune("甲乙丙丁戊己庚辛壬癸")[i%10:i%10+1]) + "案例",
			Summary: "案例摘要" + id, Departments: []string{"盘锦市市场监督管理局"}, Date: date("2025-03-01")})
	}
	return ds
}

// TestUpdateFile_DecodedCount: an update decodes exactly the new and changed lines when no document is a
// probe candidate; a changed line whose stored text is the same is decoded but not indexed again.
func TestUpdateFile_DecodedCount(t *testing.T) {
	docs := caseDocs(400)
	ctx := context.Background()
	tmp := t.TempDir()
	prev := filepath.Join(tmp, "prev")
	if _, err := BuildFile(ctx, prev, writeDocsFile(t, tmp, "a.jsonl", docs)); err != nil {
		t.Fatal(err)
	}
	next := slices.Clone(docs)
	next[10].Summary += "（更正）"                                                   // changed
	next[20].Departments = append(next[20].Departments, next[20].Departments[0]) // another line, the same stored text
	next = slices.Delete(next, 30, 31)                                           // removed
	next = append(next, caseDocs(401)[400])                                      // new
	dir := filepath.Join(tmp, "next")
	st, err := UpdateFile(ctx, dir, prev, writeDocsFile(t, tmp, "b.jsonl", next))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Incremental || st.Decoded != 3 || st.Changed != 1 || st.Added != 1 || st.Deleted != 1 {
		t.Fatalf("stats %+v, want 3 decoded, 1 changed, added and deleted", st)
	}
	if got := storedIDs(t, dir); slices.Contains(got, "case/C00030") || !slices.Contains(got, "case/C00400") {
		t.Fatalf("stored %d documents: removed kept or new missing", len(got))
	}
	stored := storedDoc(t, dir, "C00010")
	if !strings.Contains(stored.Summary, "（更正）") {
		t.Fatalf("changed document stored as %+v", stored)
	}
}

// storedDoc returns the stored document of the case id in the index in dir.
func storedDoc(t *testing.T, dir, id string) Hit {
	t.Helper()
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var found *Hit
	err = x.Audit(context.Background(), func(field, value string) error {
		if field != fDoc {
			return nil
		}
		h, err := decodeHit(value)
		if err == nil && h.ID == id {
			found = &h
		}
		return err
	})
	if err != nil || found == nil {
		t.Fatalf("document %s: %v", id, err)
	}
	return *found
}

// TestUpdateFile_FallsBack: a previous index whose document list is missing, damaged or cut short, or was
// written by another program (another fingerprint), is not updated but built afresh, and the index is a
// full build's; an index built from Docs (no line sums) is updated by decoding every line.
func TestUpdateFile_FallsBack(t *testing.T) {
	const n = 600
	all := synthDocs(n + 10)
	ctx := context.Background()
	tmp := t.TempDir()
	prevFile := writeDocsFile(t, tmp, "prev.jsonl", all[:n])
	prev := filepath.Join(tmp, "prev")
	if _, err := BuildFile(ctx, prev, prevFile); err != nil {
		t.Fatal(err)
	}
	next, _ := night(all[:n], all[n:], "x")
	file := writeDocsFile(t, tmp, "next.jsonl", next)
	full := filepath.Join(tmp, "full")
	if _, err := BuildFile(ctx, full, file); err != nil {
		t.Fatal(err)
	}
	fromDocs := filepath.Join(tmp, "fromdocs")
	if _, err := Build(ctx, fromDocs, ReadDocsFile(prevFile)); err != nil {
		t.Fatal(err)
	}
	breakCopy := func(f func(list string)) string {
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
		f(filepath.Join(dir, listFile))
		return dir
	}
	flip := func(list string) {
		b, _ := os.ReadFile(list)
		b[len(b)/2] ^= 0x10 // inside a document's sums or id
		os.WriteFile(list, b, 0o644)
	}
	tests := []struct {
		name        string
		prev        string
		fallback    string // "" for an update
		otherProg   bool
		decodedEach bool
	}{
		{"no list", breakCopy(func(l string) { os.Remove(l) }), "no usable document list", false, false},
		{"flipped bit", breakCopy(flip), "no usable document list", false, false},
		{"cut short", breakCopy(func(l string) {
			b, _ := os.ReadFile(l)
			os.WriteFile(l, b[:len(b)/2], 0o644)
		}), "no usable document list", false, false},
		{"old sums file only", breakCopy(func(l string) {
			os.Remove(l)
			os.WriteFile(filepath.Join(filepath.Dir(l), "xinyong-docs.sum"), []byte("00000000000000000000000000000000 subject/x\n"), 0o644)
		}), "no usable document list", false, false},
		{"another program", prev, "previous index made by another program", true, false},
		{"built from docs", fromDocs, "", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.otherProg {
				asProgram(t, "another binary")
			}
			dir := filepath.Join(t.TempDir(), "index")
			st, err := UpdateFile(ctx, dir, tt.prev, file)
			if err != nil {
				t.Fatal(err)
			}
			if st.Incremental != (tt.fallback == "") || !strings.Contains(st.Fallback, tt.fallback) {
				t.Fatalf("incremental %v, fallback %q, want one containing %q", st.Incremental, st.Fallback, tt.fallback)
			}
			if (tt.fallback != "" || tt.decodedEach) && st.Decoded != len(next) {
				t.Fatalf("%d of %d documents decoded", st.Decoded, len(next))
			}
			sameResults(t, dir, full, queriesOf(next))
			if got, want := storedIDs(t, dir), idsOf(next); !slices.Equal(got, want) {
				t.Fatalf("index holds %d documents, want %d", len(got), len(want))
			}
			if tt.decodedEach { // the index it wrote has the line sums: the next update decodes little
				again := filepath.Join(t.TempDir(), "again")
				st, err := UpdateFile(ctx, again, dir, file)
				if err != nil || !st.Incremental || st.Decoded > 2*candidatesKept {
					t.Fatalf("update of an update: %+v, %v", st, err)
				}
			}
		})
	}
}

// asProgram makes the package's fingerprint that of another binary for the rest of the test.
func asProgram(t *testing.T, sum string) {
	t.Helper()
	saved := program
	program = func() string { return sum }
	fingerprintOnce = sync.Once{}
	t.Cleanup(func() {
		program = saved
		fingerprintOnce = sync.Once{}
	})
}

// TestUpdateFile_BadLine: a line that is not a document fails the update, names its line, and leaves dir
// absent.
func TestUpdateFile_BadLine(t *testing.T) {
	docs := caseDocs(50)
	ctx := context.Background()
	tmp := t.TempDir()
	prev := filepath.Join(tmp, "prev")
	file := writeDocsFile(t, tmp, "a.jsonl", docs)
	if _, err := BuildFile(ctx, prev, file); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	bad := filepath.Join(tmp, "bad.jsonl")
	os.WriteFile(bad, append(b, "{\"Kind\": \n"...), 0o644)
	dir := filepath.Join(tmp, "next")
	if _, err := UpdateFile(ctx, dir, prev, bad); err == nil || !strings.Contains(err.Error(), "line 51") {
		t.Fatalf("error %v, want one naming line 51", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("dir left behind: %v", err)
	}
}
