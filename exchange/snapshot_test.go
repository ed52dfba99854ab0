package exchange_test

import (
	"context"
	"path/filepath"
	"testing"

	"xinyong"
	"xinyong/exchange"
	"xinyong/internal/pgtest"
)

// snapshotDB is an exchange database with one department and one entry, and a second handle to write to
// it while the first reads.
func snapshotDB(t *testing.T, dialect string) (read, write *exchange.DB) {
	t.Helper()
	ctx := context.Background()
	var dsn string
	switch dialect {
	case exchange.SQLite:
		dsn = filepath.Join(t.TempDir(), "x.db")
		db, err := exchange.Create(ctx, dsn) // WAL: a reader does not block the writer
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	case exchange.Postgres:
		dsn = pgtest.Start(t)
		db, err := exchange.OpenWritable(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSchema(ctx); err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	write, err := exchange.OpenWritable(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { write.Close() })
	insert(t, write, "D1", "E1")
	read, err = exchange.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { read.Close() })
	return read, write
}

// insert commits a department and a red-list entry of a subject of its own.
func insert(t *testing.T, db *exchange.DB, dept, entry string) {
	t.Helper()
	ctx := context.Background()
	w, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []struct {
		table string
		vals  []any
	}{
		{"xy_departments", []any{dept, "部门" + dept, nil, nil}},
		{"xy_subjects", []any{"S" + entry, "org", "主体" + entry, nil, nil, "", "211103"}},
		{"xy_list_entries", []any{entry, "red", "纳税信用A级纳税人", "S" + entry, "事由", "依据", "文号", "措施", dept, nil,
			"2026-01-01", "2026-01-01", nil, 1, "active", nil, "2026-05-01T09:30:00+08:00"}},
	} {
		if err := w.Insert(ctx, row.table, row.vals...); err != nil {
			w.Rollback()
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// read returns the department codes and entry ids db shows with ctx.
func read(t *testing.T, ctx context.Context, db *exchange.DB) (depts, entries []string) {
	t.Helper()
	ds, err := db.Departments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		depts = append(depts, d.Code)
	}
	err = db.Entries(ctx, func(e *xinyong.Entry, _ *xinyong.Subject) error {
		entries = append(entries, e.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return depts, entries
}

// TestDB_Snapshot: reads made with a snapshot's context do not see a write committed after the snapshot's
// first read (REPEATABLE READ on PostgreSQL, a WAL read transaction on SQLite); reads without it do.
func TestDB_Snapshot(t *testing.T) {
	for _, dialect := range []string{exchange.SQLite, exchange.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			db, writer := snapshotDB(t, dialect)
			ctx := context.Background()
			snap, end, err := db.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if demo, err := db.IsDemo(snap); err != nil || demo {
				t.Fatalf("IsDemo in the snapshot: %v, %v", demo, err)
			}
			insert(t, writer, "D2", "E2") // committed between the reads
			depts, entries := read(t, snap, db)
			if len(depts) != 1 || len(entries) != 1 {
				t.Errorf("in the snapshot: departments %v, entries %v; want only D1 and E1", depts, entries)
			}
			if err := end(); err != nil {
				t.Fatal(err)
			}
			if depts, entries := read(t, ctx, db); len(depts) != 2 || len(entries) != 2 {
				t.Errorf("after the snapshot: departments %v, entries %v; want both", depts, entries)
			}
		})
	}
}
