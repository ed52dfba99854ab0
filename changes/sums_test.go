package changes_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"xinyong/changes"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/internal/tree"
)

// busyNight changes the demo database at path as bench/night.sh's busy night does: some reasons corrected,
// some entries repaired, some new.
func busyNight(t *testing.T, path string) {
	t.Helper()
	w, err := exchange.OpenWritable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	asOf := fixture.AsOf.String()
	public := `status = 'active' AND public = 1 AND valid_from <= '` + asOf + `' AND (valid_to IS NULL OR valid_to >= '` + asOf + `')`
	for _, q := range []string{
		`CREATE TEMP TABLE pub AS SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS n FROM xy_list_entries WHERE ` + public,
		`UPDATE xy_list_entries SET reason = reason || '（更正）' WHERE id IN (SELECT id FROM pub WHERE n % 10 = 7)`,
		`UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '` + asOf + `' WHERE id IN (SELECT id FROM pub WHERE n % 20 = 11)`,
		`INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, basis, decision_no, measures, department,
		    severity, decided_on, valid_from, valid_to, public, status, status_changed_on, updated_at)
		  SELECT 'N' || substr(id, 2), list, list_name, subject_id, reason, basis, decision_no, measures, department,
		    severity, decided_on, valid_from, valid_to, 1, 'active', NULL, updated_at
		  FROM xy_list_entries WHERE id IN (SELECT id FROM pub WHERE n % 20 = 13)`,
	} {
		if _, err := w.SQL().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// exportTo exports the database at path into dir/content with its content sums, linking unchanged files
// from prev ("" for none) as publish does.
func exportTo(t *testing.T, path, dir, prev string) {
	t.Helper()
	db, err := exchange.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	x := &generator.Exporter{Source: db, AsOf: fixture.AsOf, Sums: filepath.Join(dir, "content.sums")}
	if prev != "" {
		x.Previous = &generator.Previous{Content: filepath.Join(prev, "content"), Sums: filepath.Join(prev, "content.sums")}
	}
	if _, err := x.Export(context.Background(), filepath.Join(dir, "content"), filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
}

// TestDiffSums_BusyNight compares a busy night by the content sums and by reading every page: the same
// delta, with entries changed, added and removed; and sums that cannot be used (missing, damaged) give it
// too, by reading.
func TestDiffSums_BusyNight(t *testing.T) {
	path := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 400, Seed: 1, AsOf: fixture.AsOf})
		return err
	})
	data := t.TempDir()
	r1, r2 := filepath.Join(data, "r1"), filepath.Join(data, "r2")
	exportTo(t, path, r1, "")
	busyNight(t, path)
	exportTo(t, path, r2, r1)
	ctx := context.Background()
	want, err := changes.Diff(ctx, filepath.Join(r1, "content"), filepath.Join(r2, "content"))
	if err != nil {
		t.Fatal(err)
	}
	c := want.Counts()
	if c.Added == 0 || c.Changed == 0 || c.Removed == 0 || c.Unchanged == 0 {
		t.Fatalf("the busy night should add, change, remove and keep entries: %+v", c)
	}
	ps, err := tree.ReadSums(filepath.Join(r1, "content.sums"))
	if err != nil {
		t.Fatal(err)
	}
	ns, err := tree.ReadSums(filepath.Join(r2, "content.sums"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := changes.DiffSums(ctx, filepath.Join(r1, "content"), filepath.Join(r2, "content"), ps, ns)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DiffSums = %+v\nDiff = %+v", got.Counts(), c)
	}

	// Stage with the sums, with damaged sums, and with none: one delta.
	stageWith := func(name string, damage func(prevSums string)) *changes.Delta {
		t.Helper()
		prev, dir := filepath.Join(data, name+"-prev"), filepath.Join(data, name)
		if err := os.CopyFS(prev, os.DirFS(r1)); err != nil {
			t.Fatal(err)
		}
		damage(filepath.Join(prev, "content.sums"))
		dirs := changes.Dirs{PrevContent: filepath.Join(prev, "content"), PrevSums: filepath.Join(prev, "content.sums"),
			Content: filepath.Join(r2, "content"), Sums: filepath.Join(r2, "content.sums"),
			Data: filepath.Join(dir, "data"), History: filepath.Join(dir, "history.jsonl.gz")}
		d, _, err := changes.Stage(ctx, dirs, changes.Meta{Release: name, Previous: "r1", AsOf: fixture.AsOf.String()})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		os.RemoveAll(filepath.Join(r2, "content", changes.PageDir))
		return d
	}
	for name, damage := range map[string]func(string){
		"sums":    func(string) {},
		"missing": func(p string) { os.Remove(p) },
		"damaged": func(p string) {
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 1
			os.WriteFile(p, b, 0o644)
		},
	} {
		if d := stageWith(name, damage); !reflect.DeepEqual(d.Counts(), c) || !reflect.DeepEqual(d.Changed, want.Changed) {
			t.Errorf("%s: Stage = %+v, want %+v", name, d.Counts(), c)
		}
	}
}
