// Package exchange reads the city's credit data exchange database — SQLite, the embedded default, or
// PostgreSQL — into domain records, and creates the contract's tables (package demo fills them).
package exchange

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite", pure Go
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

//go:embed schema/sqlite.sql
var sqliteSchema string

//go:embed schema/postgres.sql
var postgresSchema string

// Tables and their columns in contract order; Writer.Insert takes values in this order.
var Columns = map[string][]string{
	"xy_departments":  {"code", "name", "credit_code", "phone"},
	"xy_subjects":     {"id", "kind", "name", "credit_code", "id_number", "legal_rep", "district"},
	"xy_list_entries": {"id", "list", "list_name", "subject_id", "reason", "basis", "decision_no", "measures", "department", "severity", "decided_on", "valid_from", "valid_to", "public", "status", "status_changed_on", "updated_at"},
	"xy_cases":        {"id", "kind", "title", "summary", "body", "subject_id", "department", "published_on", "status", "status_changed_on", "updated_at"},
}

// OptionalColumns are columns of the contract that a database may lack (docs/CONTRACT.md §1): they are read
// when present, and a table without them reads as if every row had them empty. The schema xinyong creates
// (CreateSchema) has them, after the Columns; Writer.Insert takes their values after the others, or none.
var OptionalColumns = map[string][]string{
	"xy_departments": {"address", "hours"},
}

// DB is an exchange database.
type DB struct {
	db      *sql.DB
	dialect string
}

// ErrDSN is returned by Open for a DSN it cannot use.
var ErrDSN = errors.New("bad database DSN")

// ErrConnect is returned by Open when the database does not answer (or refuses the login): the caller
// can tell an outage from a broken publication.
var ErrConnect = errors.New("cannot connect to the exchange database")

// ParseDSN splits a DSN into a dialect and a driver data source: `PATH` or `sqlite:PATH` for SQLite,
// `postgres://...`, `postgresql://...` or a keyword/value string (`host=... dbname=...`) for PostgreSQL.
func ParseDSN(dsn string) (dialect, source string, err error) {
	switch {
	case dsn == "":
		return "", "", fmt.Errorf("%w: empty", ErrDSN)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"), isKeywordDSN(dsn):
		return Postgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		dsn = strings.TrimPrefix(dsn, "sqlite:")
		if dsn == "" {
			return "", "", fmt.Errorf("%w: sqlite: needs a path", ErrDSN)
		}
		return SQLite, dsn, nil
	case strings.Contains(dsn, "://"):
		return "", "", fmt.Errorf("%w: unknown scheme in %q (use a path, sqlite:PATH or postgres://...)", ErrDSN, RedactDSN(dsn))
	}
	return SQLite, dsn, nil
}

// isKeywordDSN reports whether dsn is a libpq keyword/value string: its first word is a connection
// keyword followed by "=". Without this, `host=db password=...` would be taken for a SQLite file name
// (and the password printed as one).
func isKeywordDSN(dsn string) bool {
	key, _, ok := strings.Cut(strings.TrimSpace(dsn), "=")
	if !ok {
		return false
	}
	switch strings.TrimSpace(key) {
	case "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "sslmode", "sslkey",
		"sslcert", "sslrootcert", "sslpassword", "connect_timeout", "service", "application_name":
		return true
	}
	return false
}

var (
	// dsnUserinfo matches the user information of a URL up to its last "@" ("scheme://user:" + password).
	dsnUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):\S*@`)
	// dsnSecret matches a secret setting: in a URL query (password=...&) or a keyword/value DSN, quoted
	// ('...' with backslash escapes) or not. sslkey and passfile are file paths, secret enough.
	dsnSecret = regexp.MustCompile(`(?i)\b(password|sslpassword|pgpassword|sslkey|passfile)(\s*=\s*)('(?:\\.|[^'\\])*'?|[^\s&]*)`)
)

// RedactDSN hides the secrets of every database DSN in s — a URL's password (user:pw@), a password,
// sslpassword, sslkey or passfile setting in a URL query or a keyword/value DSN, quoted or not — for logs,
// the run history and messages. s may be a DSN or any text quoting one, such as an error message.
func RedactDSN(s string) string {
	s = dsnUserinfo.ReplaceAllString(s, "${1}:xxxxx@")
	return dsnSecret.ReplaceAllString(s, "${1}${2}xxxxx")
}

// Open opens an exchange database for reading. A SQLite file must exist and is opened read-only;
// xinyong never writes to the exchange database.
func Open(ctx context.Context, dsn string) (*DB, error) {
	dialect, source, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *sql.DB
	switch dialect {
	case SQLite:
		db, err = sql.Open("sqlite", sqliteURI(source, "ro"))
	case Postgres:
		db, err = sql.Open("pgx", source)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%w: %s %s: %w", ErrConnect, dialect, RedactDSN(source), redactedError{err})
	}
	return &DB{db: db, dialect: dialect}, nil
}

// Create creates a new SQLite exchange database at path with the contract's tables. It fails if the file
// already exists, so that it never touches a real database.
func Create(ctx context.Context, path string) (*DB, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("create database: %s already exists", path)
	}
	db, err := sql.Open("sqlite", sqliteURI(path, "rwc")+"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	d := &DB{db: db, dialect: SQLite}
	if err := d.CreateSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

// OpenWritable opens an existing database for writing test fixtures into it.
func OpenWritable(ctx context.Context, dsn string) (*DB, error) {
	dialect, source, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db *sql.DB
	if dialect == SQLite {
		db, err = sql.Open("sqlite", sqliteURI(source, "rwc"))
	} else {
		db, err = sql.Open("pgx", source)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s database: %w", dialect, err)
	}
	return &DB{db: db, dialect: dialect}, nil
}

func sqliteURI(path, mode string) string {
	q := url.Values{}
	q.Set("mode", mode)
	q.Add("_pragma", "busy_timeout(10000)")
	if mode == "ro" {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Dialect returns SQLite or Postgres.
func (d *DB) Dialect() string { return d.dialect }

// SQL returns the underlying database handle.
func (d *DB) SQL() *sql.DB { return d.db }

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// CreateSchema creates the contract's tables.
func (d *DB) CreateSchema(ctx context.Context) error {
	schema := sqliteSchema
	if d.dialect == Postgres {
		schema = postgresSchema
	}
	for _, stmt := range strings.Split(stripComments(schema), ";") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := d.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	return nil
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// Writer inserts rows in one transaction; only `xinyong demo` and tests write exchange databases.
type Writer struct {
	d     *DB
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// Begin starts a write transaction.
func (d *DB) Begin(ctx context.Context) (*Writer, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Writer{d: d, tx: tx, stmts: map[string]*sql.Stmt{}}, nil
}

// Insert inserts one row into table; vals are in the order of Columns[table], optionally followed by the
// values of OptionalColumns[table] (all or none). Values are passed to the driver as they are, so tests can
// store malformed data (a date that is not a date) where the database allows it.
func (w *Writer) Insert(ctx context.Context, table string, vals ...any) error {
	cols, known := Columns[table]
	if !known {
		return fmt.Errorf("insert: unknown table %q", table)
	}
	key := table
	if opt := OptionalColumns[table]; len(opt) > 0 && len(vals) == len(cols)+len(opt) {
		cols, key = append(slices.Clip(cols), opt...), table+"+optional"
	}
	if len(vals) != len(cols) {
		return fmt.Errorf("insert into %s: %d values for %d columns", table, len(vals), len(cols))
	}
	st, ok := w.stmts[key]
	if !ok {
		ph := make([]string, len(cols))
		for i := range cols {
			if w.d.dialect == Postgres {
				ph[i] = fmt.Sprintf("$%d", i+1)
			} else {
				ph[i] = "?"
			}
		}
		q := fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), strings.Join(ph, ", "))
		var err error
		if st, err = w.tx.PrepareContext(ctx, q); err != nil {
			return fmt.Errorf("prepare insert into %s: %w", table, err)
		}
		w.stmts[key] = st
	}
	if _, err := st.ExecContext(ctx, vals...); err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	return nil
}

// Commit commits the transaction.
func (w *Writer) Commit() error {
	for _, st := range w.stmts {
		st.Close()
	}
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Rollback abandons the transaction.
func (w *Writer) Rollback() error {
	for _, st := range w.stmts {
		st.Close()
	}
	return w.tx.Rollback()
}

// redactedError is a driver error with the DSN secrets it may quote hidden (RedactDSN); errors.Is and
// errors.As still see the driver's error.
type redactedError struct{ err error }

func (e redactedError) Error() string { return RedactDSN(e.err.Error()) }
func (e redactedError) Unwrap() error { return e.err }

// RedactError returns err with the DSN secrets in its text hidden (RedactDSN); nil for nil. errors.Is and
// errors.As see through it.
func RedactError(err error) error {
	if err == nil {
		return nil
	}
	return redactedError{err}
}
