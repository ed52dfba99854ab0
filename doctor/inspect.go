package doctor

import (
	"context"
	"database/sql"
	"errors"

	"xinyong"
	"xinyong/exchange"
)

// inspector reads the catalogue of an exchange database: SQLite's sqlite_master and table_info, or
// PostgreSQL's pg_catalog, where names are resolved through the search_path exactly as the export's
// unqualified queries resolve them (to_regclass), so that a view in the first schema on the path wins as
// it does for the export.
type inspector struct {
	db      *sql.DB
	dialect string
}

func newInspector(d *exchange.DB) *inspector {
	return &inspector{db: d.SQL(), dialect: d.Dialect()}
}

// searchPath returns the schemas PostgreSQL looks names up in, as it resolves them for this session.
func (in *inspector) searchPath(ctx context.Context) (string, error) {
	var path string
	err := in.db.QueryRowContext(ctx, `SELECT array_to_string(current_schemas(false), ', ')`).Scan(&path)
	return path, err
}

// relation describes the table or view name; nil when there is none.
func (in *inspector) relation(ctx context.Context, name string) (*relation, error) {
	if in.dialect == exchange.Postgres {
		return in.pgRelation(ctx, name)
	}
	return in.sqliteRelation(ctx, name)
}

var sqliteKinds = map[string]string{"table": xinyong.MsgDoctorKindTable, "view": xinyong.MsgDoctorKindView}

func (in *inspector) sqliteRelation(ctx context.Context, name string) (*relation, error) {
	var typ, actual string
	err := in.db.QueryRowContext(ctx, `SELECT type, name FROM sqlite_master
		WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE`, name).Scan(&typ, &actual)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	rel := &relation{kind: sqliteKinds[typ], qualified: "main." + actual, folded: true}
	rows, err := in.db.QueryContext(ctx, `SELECT name, type FROM pragma_table_info(?)`, actual)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c columnInfo
		if err := rows.Scan(&c.name, &c.typ); err != nil {
			return nil, err
		}
		rel.columns = append(rel.columns, c)
	}
	return rel, rows.Err()
}

var pgKinds = map[string]string{
	"r": xinyong.MsgDoctorKindTable,
	"v": xinyong.MsgDoctorKindView,
	"m": xinyong.MsgDoctorKindMatView,
	"f": xinyong.MsgDoctorKindForeign,
	"p": xinyong.MsgDoctorKindPartitioned,
}

func (in *inspector) pgRelation(ctx context.Context, name string) (*relation, error) {
	var relkind, schema, actual string
	err := in.db.QueryRowContext(ctx, `SELECT c.relkind::text, n.nspname, c.relname
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.oid = to_regclass($1)`, name).Scan(&relkind, &schema, &actual)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	kind, ok := pgKinds[relkind]
	if !ok {
		return nil, nil // an index or a sequence of that name: no rows to read
	}
	rel := &relation{kind: kind, qualified: schema + "." + actual}
	rows, err := in.db.QueryContext(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod),
			coalesce(b.typname, t.typname)
		FROM pg_attribute a
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
		WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c columnInfo
		if err := rows.Scan(&c.name, &c.typ, &c.base); err != nil {
			return nil, err
		}
		rel.columns = append(rel.columns, c)
	}
	return rel, rows.Err()
}
