package opendata

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
)

// nightExport exports the database at path into dir/content with its content sums, linking unchanged
// files from prev ("" for none), as publish does.
func nightExport(t *testing.T, path, dir, prev string) string {
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
	return filepath.Join(dir, "content")
}

// busyNight corrects some reasons, repairs some entries and adds some, as bench/night.sh does.
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

// sameFiles fails unless dirs a and b hold the same files with the same bytes.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	others, _ := os.ReadDir(b)
	if len(entries) != len(others) || len(entries) == 0 {
		t.Fatalf("%d files in %s, %d in %s", len(entries), a, len(others), b)
	}
	for _, e := range entries {
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs (%v)", e.Name(), err)
		}
	}
}

// TestWriteReusing_BusyNight: the night after a full publication copies the rows of unchanged records and
// writes exactly the files Write writes; a rows index of another base URL (or program), damaged previous
// files or a damaged index reuse nothing and still give those files.
func TestWriteReusing_BusyNight(t *testing.T) {
	path := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 400, Seed: 1, AsOf: fixture.AsOf})
		return err
	})
	ctx := context.Background()
	data := t.TempDir()
	r1, r2 := filepath.Join(data, "r1"), filepath.Join(data, "r2")
	meta := Meta{Release: "r1", BuiltAt: time.Unix(0, 0), BaseURL: "https://credit.example.cn/"}
	c1 := nightExport(t, path, r1, "")
	first := Reuse{Sums: filepath.Join(r1, "content.sums"), Rows: filepath.Join(r1, RowsFile)}
	if _, err := WriteReusing(ctx, c1, filepath.Join(r1, "data"), meta, first); err != nil {
		t.Fatal(err)
	}
	busyNight(t, path)
	c2 := nightExport(t, path, r2, r1)
	meta.Release = "r2"

	// write writes the second night's downloads into data/name, reusing a copy of r1 that damage may
	// change first, and returns the directory and how many rows it copied.
	write := func(name string, meta Meta, damage func(prev string)) (dir string, reused int) {
		t.Helper()
		prev := filepath.Join(data, name+"-prev")
		if err := os.CopyFS(prev, os.DirFS(r1)); err != nil {
			t.Fatal(err)
		}
		if damage != nil {
			damage(prev)
		}
		dir = filepath.Join(data, name)
		reuse := Reuse{Sums: filepath.Join(r2, "content.sums"), Rows: filepath.Join(data, name+".rows"),
			PrevDir: filepath.Join(prev, "data"), PrevRows: filepath.Join(prev, RowsFile)}
		_, reused, err := writeReusing(ctx, c2, dir, meta, reuse)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return dir, reused
	}
	want := filepath.Join(data, "want")
	idx, err := Write(ctx, c2, want, meta)
	if err != nil {
		t.Fatal(err)
	}
	total := idx.Counts.Red + idx.Counts.Black + idx.Counts.Cases

	got, reused := write("reuse", meta, nil)
	sameFiles(t, want, got)
	if reused == 0 || reused >= total {
		t.Errorf("%d of %d rows reused: want most but not all (the night changed some)", reused, total)
	}
	// The index this night recorded serves the next one, where nothing changed: every row reused.
	third := filepath.Join(data, "third")
	_, n, err := writeReusing(ctx, c2, third, meta, Reuse{Sums: filepath.Join(r2, "content.sums"),
		PrevDir: got, PrevRows: filepath.Join(data, "reuse.rows")})
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, want, third)
	if n != total {
		t.Errorf("a night without changes reused %d of %d rows", n, total)
	}

	other := meta
	other.BaseURL = "https://other.example.cn/"
	wantOther := filepath.Join(data, "want-other")
	if _, err := Write(ctx, c2, wantOther, other); err != nil {
		t.Fatal(err)
	}
	if got, reused := write("base-url", other, nil); reused != 0 {
		t.Errorf("another base URL: %d rows reused", reused)
	} else {
		sameFiles(t, wantOther, got)
	}
	flip := func(name string) func(string) {
		return func(prev string) {
			p := filepath.Join(prev, name)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 1
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tt := range []struct {
		name   string
		damage func(string)
	}{
		{"damaged-csv", flip("data/red.csv")},
		{"damaged-jsonl", flip("data/black.jsonl")},
		{"damaged-rows", flip(RowsFile)},
		{"missing-rows", func(prev string) { os.Remove(filepath.Join(prev, RowsFile)) }},
		{"missing-csv", func(prev string) { os.Remove(filepath.Join(prev, "data/cases.csv")) }},
	} {
		got, reused := write(tt.name, meta, tt.damage)
		sameFiles(t, want, got)
		if strings.HasPrefix(tt.name, "damaged-rows") || strings.HasPrefix(tt.name, "missing-rows") {
			if reused != 0 {
				t.Errorf("%s: %d rows reused", tt.name, reused)
			}
		} else if reused == 0 {
			t.Errorf("%s: the other data sets should still be reused", tt.name)
		}
	}
}
