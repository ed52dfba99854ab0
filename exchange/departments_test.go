package exchange_test

import (
	"context"
	"path/filepath"
	"testing"

	"xinyong"
	"xinyong/exchange"
	"xinyong/internal/pgtest"
)

// TestDB_DepartmentsOptionalColumns: the optional columns address and hours are read when the table has
// them, and a table without them (an older contract view) reads as without addresses, not as an error; in
// SQLite and in PostgreSQL.
func TestDB_DepartmentsOptionalColumns(t *testing.T) {
	for _, dialect := range []string{exchange.SQLite, exchange.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			var dsn string
			if dialect == exchange.SQLite {
				dsn = filepath.Join(t.TempDir(), "x.db")
			} else {
				dsn = pgtest.Start(t)
			}
			w, err := exchange.OpenWritable(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()

			// The schema xinyong creates has the columns.
			if err := w.CreateSchema(ctx); err != nil {
				t.Fatal(err)
			}
			tx, err := w.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := tx.Insert(ctx, "xy_departments", "a", "甲局", nil, "0427-0800001", "盘锦市示例路1号", "工作日 9:00—17:00"); err != nil {
				t.Fatal(err)
			}
			if err := tx.Insert(ctx, "xy_departments", "b", "乙局", nil, nil); err != nil { // without the optional values
				t.Fatal(err)
			}
			if err := tx.Insert(ctx, "xy_departments", "c", "丙局", nil, nil, "x"); err == nil {
				t.Error("one optional value of two inserted")
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			want := []xinyong.Department{
				{Code: "a", Name: "甲局", Phone: "0427-0800001", Address: "盘锦市示例路1号", Hours: "工作日 9:00—17:00"},
				{Code: "b", Name: "乙局"},
			}
			check := func(t *testing.T, want []xinyong.Department) {
				t.Helper()
				r, err := exchange.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				got, err := r.Departments(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("departments %+v, want %+v", got, want)
				}
				for i := range want {
					if got[i] != want[i] {
						t.Errorf("department %+v, want %+v", got[i], want[i])
					}
				}
			}
			t.Run("with the columns", func(t *testing.T) { check(t, want) })

			// A contract table (or view) without them, as every database had before they were added.
			for _, stmt := range []string{
				`CREATE TABLE old_departments AS SELECT code, name, credit_code, phone FROM xy_departments`,
				`DROP TABLE xy_departments`,
				`ALTER TABLE old_departments RENAME TO xy_departments`,
			} {
				if _, err := w.SQL().ExecContext(ctx, stmt); err != nil {
					t.Fatalf("%s: %v", stmt, err)
				}
			}
			want[0].Address, want[0].Hours = "", ""
			t.Run("without the columns", func(t *testing.T) { check(t, want) })
		})
	}
}
