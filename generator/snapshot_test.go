package generator_test

import (
	"context"
	"reflect"
	"testing"

	"xinyong"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/internal/pgtest"
)

// writeAfterDepartments is the fixture's PostgreSQL database, to which another client commits a
// department and a public red-list entry of that department right after the export has read the
// departments.
type writeAfterDepartments struct {
	*exchange.DB
	writer *exchange.DB
}

func (s writeAfterDepartments) Departments(ctx context.Context) ([]xinyong.Department, error) {
	ds, err := s.DB.Departments(ctx)
	if err != nil {
		return nil, err
	}
	ctx = context.Background() // another client
	w, err := s.writer.Begin(ctx)
	if err != nil {
		return nil, err
	}
	for _, row := range []struct {
		table string
		vals  []any
	}{
		{"xy_departments", []any{"xinbm", "盘锦市新设局", nil, nil}},
		{"xy_list_entries", []any{"E90", "red", "纳税信用A级纳税人", "S007", "新列入。", "依据", "文号", "措施", "xinbm", nil,
			"2026-01-01", "2026-01-01", nil, 1, "active", nil, "2026-05-01T09:30:00+08:00"}},
	} {
		if err := w.Insert(ctx, row.table, row.vals...); err != nil {
			w.Rollback()
			return nil, err
		}
	}
	return ds, w.Commit()
}

// TestExport_OneSnapshot: the export reads departments, entries and cases in one snapshot: an entry
// committed (with its new department) between the reads is not published, and not reported as naming an
// unknown department. Before, the export saw the entry but not its department.
func TestExport_OneSnapshot(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.Start(t)
	writer, err := exchange.OpenWritable(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	if err := writer.CreateSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fixture.Load(ctx, writer, false); err != nil {
		t.Fatal(err)
	}
	db, err := exchange.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	_, _, before := MustExport(t, db)
	_, _, during := MustExport(t, writeAfterDepartments{DB: db, writer: writer})
	_, _, after := MustExport(t, db)
	if during.Red != before.Red || during.DataVersion != before.DataVersion {
		t.Errorf("the export saw a write committed while it ran: red %d, want %d (version %s, want %s)",
			during.Red, before.Red, during.DataVersion, before.DataVersion)
	}
	if !reflect.DeepEqual(during.Report, before.Report) {
		t.Errorf("report %+v, want %+v", during.Report, before.Report)
	}
	if after.Red != before.Red+1 {
		t.Errorf("after the write: red %d, want %d", after.Red, before.Red+1)
	}
}

var _ generator.Snapshotter = (*exchange.DB)(nil)
