package exchange

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The optional table xy_meta(key, value) says what the database as a whole is (docs/CONTRACT.md §1).
// Only one key is defined: MetaDataset, whose value DatasetDemo marks a database made by `xinyong demo`.
// A production database has no xy_meta; the export then reads it as real data.
const (
	MetaTable   = "xy_meta"
	MetaDataset = "dataset"
	DatasetDemo = "demo"
)

// IsDemo reports whether the database is marked as demo data: xy_meta holds (MetaDataset, DatasetDemo).
// Without the table, or without that row, it is not. Any other failure (a dropped connection, no
// permission to read the table) is an error, never "not demo": a demo must not be published as real
// data because a query failed.
func (d *DB) IsDemo(ctx context.Context) (bool, error) {
	exists, err := d.hasRelation(ctx, MetaTable)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", MetaTable, err)
	}
	if !exists {
		return false, nil
	}
	q := `SELECT value FROM ` + MetaTable + ` WHERE key = ` + d.placeholder(1)
	var v sql.NullString
	switch err := d.q(ctx).QueryRowContext(ctx, q, MetaDataset).Scan(&v); {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("read %s: %w", MetaTable, err)
	}
	return v.String == DatasetDemo, nil
}

// hasRelation reports whether a table or view of that name is visible: in SQLite's main schema, or on
// PostgreSQL's search_path (where the DBA's contract views are). Asking the catalogue, rather than
// reading the table and looking at the error, keeps "no such table" apart from every other failure.
func (d *DB) hasRelation(ctx context.Context, name string) (bool, error) {
	var q string
	if d.dialect == Postgres {
		q = `SELECT to_regclass($1::text) IS NOT NULL`
	} else {
		q = `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?)`
	}
	var ok bool
	if err := d.q(ctx).QueryRowContext(ctx, q, name).Scan(&ok); err != nil {
		return false, err
	}
	return ok, nil
}

// MarkDemo writes the demo marker into xy_meta.
func (d *DB) MarkDemo(ctx context.Context) error {
	q := fmt.Sprintf(`INSERT INTO %s (key, value) VALUES (%s, %s)`, MetaTable, d.placeholder(1), d.placeholder(2))
	if _, err := d.db.ExecContext(ctx, q, MetaDataset, DatasetDemo); err != nil {
		return fmt.Errorf("mark the database as demo data: %w", err)
	}
	return nil
}

// placeholder is the n-th query parameter in the dialect's syntax.
func (d *DB) placeholder(n int) string {
	if d.dialect == Postgres {
		return fmt.Sprintf("$%d", n)
	}
	return "?"
}
