package exchange_test

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"

	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/pgtest"
)

// TestDB_IsDemo: only xy_meta's ('dataset', 'demo') marks a database as demo data; a database without the
// table or the row is real data, and a table that cannot be read is an error, never "not demo".
func TestDB_IsDemo(t *testing.T) {
	tests := []struct {
		name    string
		demo    bool     // fill with exchange.Demo
		setup   []string // statements run after that
		want    bool
		wantErr bool
	}{
		{name: "demo database", demo: true, want: true},
		{name: "contract tables, empty xy_meta", want: false},
		{name: "no xy_meta table", setup: []string{"DROP TABLE xy_meta"}, want: false},
		{name: "demo data, marker deleted", demo: true, setup: []string{"DELETE FROM xy_meta"}, want: false},
		{name: "another dataset", setup: []string{"INSERT INTO xy_meta VALUES ('dataset', 'production')"}, want: false},
		{name: "another key", setup: []string{"INSERT INTO xy_meta VALUES ('owner', 'demo')"}, want: false},
		{name: "marker as a view", setup: []string{"DROP TABLE xy_meta",
			"CREATE VIEW xy_meta AS SELECT 'dataset' AS key, 'demo' AS value"}, want: true},
		{name: "xy_meta without its columns", setup: []string{"DROP TABLE xy_meta", "CREATE TABLE xy_meta (k TEXT)"},
			wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "exchange.db")
			w, err := exchange.Create(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.demo {
				if _, err := demo.Generate(ctx, w, demo.Options{Entries: 20, Seed: 1}); err != nil {
					t.Fatal(err)
				}
			}
			for _, q := range tt.setup {
				if _, err := w.SQL().ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			w.Close()
			db, err := exchange.Open(ctx, path) // read-only, as the export opens it
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, err := db.IsDemo(ctx)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("IsDemo = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestDB_IsDemoClosed: a database that cannot be reached is an error, not "not demo".
func TestDB_IsDemoClosed(t *testing.T) {
	db, _ := makeDemo(t, demo.Options{Entries: 10, Seed: 1})
	db.Close()
	if got, err := db.IsDemo(context.Background()); err == nil {
		t.Errorf("IsDemo on a closed database = %v, nil; want an error", got)
	}
}

// TestDB_IsDemoPostgres: the same in PostgreSQL, where production databases have no xy_meta at all.
func TestDB_IsDemoPostgres(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Start(t)
	w, err := exchange.OpenWritable(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.CreateSchema(ctx); err != nil {
		t.Fatal(err)
	}
	db, err := exchange.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := []struct {
		name    string
		setup   string
		want    bool
		wantErr bool
	}{
		{name: "contract tables, empty xy_meta", want: false},
		{name: "marked", setup: "INSERT INTO xy_meta VALUES ('dataset', 'demo')", want: true},
		{name: "no xy_meta table, as in production", setup: "DROP TABLE xy_meta", want: false},
		{name: "marker as a view", setup: "CREATE VIEW xy_meta AS SELECT 'dataset'::text AS key, 'demo'::text AS value", want: true},
		{name: "xy_meta without its columns", setup: "DROP VIEW xy_meta; CREATE TABLE xy_meta (k TEXT)", wantErr: true},
		{name: "no permission to read xy_meta", setup: "DROP TABLE xy_meta; CREATE TABLE xy_meta (key TEXT, value TEXT); " +
			"CREATE ROLE reader LOGIN; GRANT USAGE ON SCHEMA public TO reader", wantErr: true},
	}
	for _, s := range steps {
		if s.setup != "" {
			if _, err := w.SQL().ExecContext(ctx, s.setup); err != nil {
				t.Fatalf("%s: %s: %v", s.name, s.setup, err)
			}
		}
		rdb := db
		if s.name == "no permission to read xy_meta" {
			rdb, err = exchange.Open(ctx, regexp.MustCompile(`//xinyong@`).ReplaceAllString(dsn, "//reader@"))
			if err != nil {
				t.Fatal(err)
			}
			defer rdb.Close()
		}
		got, err := rdb.IsDemo(ctx)
		if err != nil {
			t.Logf("%s: %v", s.name, err)
		}
		if (err != nil) != s.wantErr || got != s.want {
			t.Errorf("%s: IsDemo = %v, %v; want %v, error %v", s.name, got, err, s.want, s.wantErr)
		}
	}
	db.Close()
	if got, err := db.IsDemo(ctx); err == nil {
		t.Errorf("closed: IsDemo = %v, nil; want an error", got)
	}
}

// makeDemo creates a demo database in a temporary directory.
func makeDemo(t testing.TB, opt demo.Options) (*exchange.DB, demo.Stats) {
	t.Helper()
	ctx := context.Background()
	db, err := exchange.Create(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st, err := demo.Generate(ctx, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	return db, st
}
