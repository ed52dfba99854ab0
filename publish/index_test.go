package publish_test

import (
	"context"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/search"
)

// TestRun_IndexIncremental: a night after which entries were repaired, corrected and added builds its index
// from the night before's (search.Update) without touching it, and answers as an index built afresh from
// the same database does; no subject whose only entry was repaired is found any more.
func TestRun_IndexIncremental(t *testing.T) {
	path := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 150, Seed: 1, AsOf: fixture.AsOf})
		return err
	})
	db, err := exchange.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data := t.TempDir()
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	firstIndex := publish.Layout{Root: data}.Release(first.ID).Index()
	before := fileSums(t, firstIndex)

	// Subjects with one public entry, which its repair takes out of the search; every 7th public entry
	// corrected; every 50th doubled by a new entry (its subject changes).
	public := `status = 'active' AND public = 1 AND valid_from <= '` + fixture.AsOf.String() +
		`' AND (valid_to IS NULL OR valid_to >= '` + fixture.AsOf.String() + `')`
	var gone []struct{ name, id, code string }
	w, err := exchange.OpenWritable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := w.SQL().Query(`SELECT s.name, s.id, COALESCE(s.credit_code, '') FROM xy_subjects s
		JOIN xy_list_entries e ON e.subject_id = s.id WHERE ` + public + ` GROUP BY s.id HAVING COUNT(*) = 1
		ORDER BY s.id LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g struct{ name, id, code string }
		if err := rows.Scan(&g.name, &g.id, &g.code); err != nil {
			t.Fatal(err)
		}
		gone = append(gone, g)
	}
	rows.Close()
	if len(gone) < 3 {
		t.Fatalf("only %d subjects with one entry", len(gone))
	}
	day := fixture.AsOf.String()
	for _, q := range []string{
		`UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '` + day + `' WHERE ` + public +
			` AND subject_id IN (SELECT id FROM xy_subjects WHERE id IN ('` + gone[0].id + `','` + gone[1].id +
			`','` + gone[2].id + `'))`,
		`UPDATE xy_list_entries SET reason = reason || '（更正）' WHERE ` + public + ` AND rowid % 7 = 3`,
		`INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, basis, decision_no, measures,
			department, severity, decided_on, valid_from, valid_to, public, status, status_changed_on, updated_at)
		 SELECT 'N' || substr(id, 2), list, list_name, subject_id, reason, basis, decision_no, measures, department,
			severity, decided_on, valid_from, valid_to, 1, 'active', NULL, updated_at
		 FROM xy_list_entries WHERE ` + public + ` AND rowid % 50 = 1`,
	} {
		if _, err := w.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	gone = gone[:3]

	second := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	idx := mustOpen(t, publish.Layout{Root: data}.Release(second.ID).Index())
	st := idx.Stats()
	if !st.Incremental || st.Deleted < len(gone) || st.Changed == 0 {
		t.Fatalf("second night's index: incremental %v, %d added, %d changed, %d deleted", st.Incremental,
			st.Added, st.Changed, st.Deleted)
	}
	if after := fileSums(t, firstIndex); !maps.Equal(before, after) {
		t.Fatal("the first release's index was modified")
	}
	fresh := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: t.TempDir()})
	full := mustOpen(t, filepath.Join(fresh.Dir, publish.IndexDir))
	if full.Stats().Incremental || full.Stats().Docs != st.Docs {
		t.Fatalf("fresh index: %+v, incremental %+v", full.Stats(), st)
	}
	queries := slices.Clone(reproQueries)
	for _, g := range gone {
		queries = append(queries, search.Request{Q: g.name}, search.Request{Q: g.code})
	}
	for _, q := range queries {
		if q.Q == "" {
			continue
		}
		a, b := allHits(t, idx, q), allHits(t, full, q)
		if len(a) != len(b) {
			t.Fatalf("%q: %d hits, afresh %d", q.Q, len(a), len(b))
		}
		for i := 0; i < len(a); {
			// Scores equal up to rounding (Bleve's sums differ in their last bits from build to build), and
			// the same hits for each score; the last score's may be cut by the depth limit.
			j := i + 1
			for j < len(a) && sameScore(a[i].Score, a[j].Score) {
				j++
			}
			if !sameScore(a[i].Score, b[i].Score) || !sameScore(a[j-1].Score, b[j-1].Score) ||
				(j < len(a) || len(a) < search.MaxDepth) && !slices.Equal(hitKeys(a[i:j]), hitKeys(b[i:j])) {
				t.Fatalf("%q hits %d–%d: %v %v, afresh %v %v", q.Q, i, j, a[i].Score, hitKeys(a[i:j]), b[i].Score, hitKeys(b[i:j]))
			}
			i = j
		}
		for _, h := range a {
			for _, g := range gone {
				if h.ID == g.id || g.code != "" && h.ID == g.code {
					t.Errorf("%q: repaired subject %s found", q.Q, h.ID)
				}
			}
		}
	}
}

func sameScore(a, b float64) bool { return math.Abs(a-b) <= 1e-12*max(math.Abs(a), math.Abs(b)) }

// hitKeys returns the kind, id and name of hits, sorted.
func hitKeys(hs []search.Hit) []string {
	var ks []string
	for _, h := range hs {
		ks = append(ks, h.Kind+"/"+h.ID+" "+h.Name+" "+h.Summary)
	}
	slices.Sort(ks)
	return ks
}

// allHits returns the hits of q on every page up to search.MaxDepth.
func allHits(t *testing.T, x *search.Index, q search.Request) []search.Hit {
	t.Helper()
	var hits []search.Hit
	for page := 1; page*search.MaxSize <= search.MaxDepth; page++ {
		q.Page, q.Size = page, search.MaxSize
		r := mustSearch(t, x, q)
		hits = append(hits, r.Hits...)
		if len(r.Hits) < search.MaxSize {
			break
		}
	}
	return hits
}

func fileSums(t *testing.T, dir string) map[string]string {
	t.Helper()
	check, err := publish.NewIndexCheck(filepath.Dir(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(check.Files) == 0 {
		t.Fatal("no index files")
	}
	for name := range check.Files {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return check.Files
}

// TestRun_IndexFallback: when the current release's index no longer has the files its release.json
// records, the next publication builds its index afresh, and publishes; the one after updates it, decoding
// only the documents that changed.
func TestRun_IndexFallback(t *testing.T) {
	db := fixture.MustFixture(t, true)
	data := t.TempDir()
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	sums := filepath.Join(publish.Layout{Root: data}.Release(first.ID).Index(), "xinyong-docs.list")
	f, err := os.OpenFile(sums, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("00000000000000000000000000000000 subject/X\n")
	f.Close()
	second := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Force: true})
	idx := mustOpen(t, publish.Layout{Root: data}.Release(second.ID).Index())
	if idx.Stats().Incremental || idx.Stats().Docs == 0 {
		t.Fatalf("index after a broken one: %+v", idx.Stats())
	}
	third := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Force: true})
	idx = mustOpen(t, publish.Layout{Root: data}.Release(third.ID).Index())
	// Made from the second's by lines (search.UpdateFile): the documents are the same, so none is decoded
	// but the few the probes read.
	if st := idx.Stats(); !st.Incremental || st.Decoded >= st.Docs || st.Decoded > 128 {
		t.Fatalf("index after a good one: %+v", st)
	}
}
