package doctor

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"xinyong"
	"xinyong/exchange"
)

// Defaults of Options.
const (
	DefaultSample         = 1000
	DefaultConnectTimeout = 15 * time.Second
)

// Options tunes the database checks.
type Options struct {
	Sample         int           // rows decoded per table; 0 for DefaultSample
	ConnectTimeout time.Duration // 0 for DefaultConnectTimeout
}

func (o Options) sample() int {
	if o.Sample > 0 {
		return o.Sample
	}
	return DefaultSample
}

func (o Options) connectTimeout() time.Duration {
	if o.ConnectTimeout > 0 {
		return o.ConnectTimeout
	}
	return DefaultConnectTimeout
}

// CheckDatabase connects to the exchange database at dsn as the export does (read-only) and checks it
// against the contract; see CheckDB.
func CheckDatabase(ctx context.Context, dsn string, opt Options) *Section {
	sec := &Section{Name: "database", Title: xinyong.MsgDoctorSectionDB}
	db := connect(ctx, sec, dsn, opt)
	if db == nil {
		return sec
	}
	defer db.Close()
	checkDB(ctx, sec, db, opt)
	return sec
}

// CheckDB checks an open exchange database against the contract: every table or view and column exists
// with a type the reader can use, the row counts, and a sample of each table decoded by the export's own
// queries and row checks.
func CheckDB(ctx context.Context, db *exchange.DB, opt Options) *Section {
	sec := &Section{Name: "database", Title: xinyong.MsgDoctorSectionDB}
	checkDB(ctx, sec, db, opt)
	return sec
}

// connect opens dsn, reporting what it connected to or precisely why it could not; nil on failure.
func connect(ctx context.Context, sec *Section, dsn string, opt Options) *exchange.DB {
	if strings.TrimSpace(dsn) == "" {
		sec.fail("db.connect", "", xinyong.MsgDoctorNoDSN)
		return nil
	}
	dialect, source, err := exchange.ParseDSN(dsn)
	if err != nil {
		sec.fail("db.connect", "", xinyong.MsgDoctorBadDSN, err)
		return nil
	}
	subject := exchange.RedactDSN(dsn)
	target := describeTarget(dialect, source)
	if dialect == exchange.SQLite {
		fi, err := os.Stat(source)
		switch {
		case errors.Is(err, os.ErrNotExist):
			sec.fail("db.connect", subject, xinyong.MsgDoctorNoFile, source)
			return nil
		case err != nil:
			sec.fail("db.connect", subject, xinyong.MsgDoctorConnectFail, target, err)
			return nil
		case !fi.Mode().IsRegular():
			sec.fail("db.connect", subject, xinyong.MsgDoctorNotFile, source)
			return nil
		}
	}
	cctx, cancel := context.WithTimeout(ctx, opt.connectTimeout())
	defer cancel()
	db, err := exchange.Open(cctx, dsn)
	if err != nil {
		sec.fail("db.connect", subject, xinyong.MsgDoctorConnectFail, target, driverReason(err))
		return nil
	}
	if dialect == exchange.Postgres {
		var version string
		if err := db.SQL().QueryRowContext(cctx, "SHOW server_version").Scan(&version); err == nil {
			target += fmt.Sprintf(xinyong.MsgDoctorPostgresVersion, version)
		}
	}
	sec.ok("db.connect", subject, xinyong.MsgDoctorConnected, target)
	return db
}

// describeTarget names what a DSN connects to, without its password.
func describeTarget(dialect, source string) string {
	if dialect == exchange.SQLite {
		return fmt.Sprintf(xinyong.MsgDoctorSQLiteTarget, source)
	}
	cfg, err := pgconn.ParseConfig(source)
	if err != nil {
		return fmt.Sprintf(xinyong.MsgDoctorPostgresTarget, exchange.RedactDSN(source), "?", "?")
	}
	host := cfg.Host
	if !strings.HasPrefix(host, "/") {
		host += ":" + strconv.Itoa(int(cfg.Port))
	}
	return fmt.Sprintf(xinyong.MsgDoctorPostgresTarget, cfg.Database, host, cfg.User)
}

// driverReason strips exchange.Open's own wrapping (which repeats the DSN) down to the driver's error.
func driverReason(err error) error {
	if inner := errors.Unwrap(err); inner != nil {
		return inner
	}
	return err
}

// checkDB runs the contract checks on an open database: structure and row counts per table, then the
// samples of the tables whose columns are all there.
func checkDB(ctx context.Context, sec *Section, db *exchange.DB, opt Options) {
	ins := newInspector(db)
	where := xinyong.MsgDoctorWhereSQLite
	if db.Dialect() == exchange.Postgres {
		path, err := ins.searchPath(ctx)
		if err != nil {
			path = "?"
		}
		sec.ok("db.search_path", "", xinyong.MsgDoctorSearchPath, path)
		where = fmt.Sprintf(xinyong.MsgDoctorWherePostgres, path)
	}
	complete := map[string]bool{}
	for _, t := range contract {
		complete[t.name] = checkTable(ctx, sec, ins, t, where)
	}
	sampleAll(ctx, sec, db, complete, opt.sample())
}

// checkTable checks that t exists with every column of a usable type, and counts its rows. It returns
// whether every column is there, so that the export's queries can run on it.
func checkTable(ctx context.Context, sec *Section, ins *inspector, t table, where string) bool {
	rel, err := ins.relation(ctx, t.name)
	if err != nil {
		sec.fail("db.table", t.name, xinyong.MsgDoctorInspectFail, t.name, err)
		return false
	}
	if rel == nil {
		sec.fail("db.table", t.name, xinyong.MsgDoctorTableMissing, t.name, where, t.columnNames())
		return false
	}
	sec.ok("db.table", t.name, xinyong.MsgDoctorTableFound, t.name, rel.kind, rel.qualified)
	complete := checkColumns(sec, t, rel, ins.dialect)
	countRows(ctx, sec, ins.db, t.name)
	return complete
}

// checkColumns reports each missing column and each column of a type the reader cannot use, or one line
// when all is well. It returns whether every column is there.
func checkColumns(sec *Section, t table, rel *relation, dialect string) bool {
	complete, clean := true, true
	for _, c := range t.columns {
		subject := t.name + "." + c.name
		info, ok := rel.lookup(c.name)
		if !ok {
			chk := sec.fail("db.column", subject, xinyong.MsgDoctorColumnMissing, t.name, c.name, c.declared)
			if other := rel.caseVariant(c.name); other != "" {
				chk.Text += fmt.Sprintf(xinyong.MsgDoctorColumnCase, other)
			}
			complete, clean = false, false
			continue
		}
		st, why := sqliteTypeProblem(c, info.typ)
		if dialect == exchange.Postgres {
			st, why = pgTypeProblem(c, info.base)
		}
		switch st {
		case Fail:
			sec.fail("db.column", subject, xinyong.MsgDoctorColumnType, t.name, c.name, info.typ, why)
			clean = false
		case Warn:
			sec.warn("db.column", subject, xinyong.MsgDoctorColumnTypeWarn, t.name, c.name, info.typ, why)
			clean = false
		}
	}
	if clean {
		sec.ok("db.columns", t.name, xinyong.MsgDoctorColumnsOK, t.name, len(t.columns))
	}
	return complete
}

// emptyMeaning says what an empty table means for a publication; "" when nothing.
var emptyMeaning = map[string]string{
	"xy_departments":  xinyong.MsgDoctorEmptyDepartments,
	"xy_subjects":     xinyong.MsgDoctorEmptySubjects,
	"xy_list_entries": xinyong.MsgDoctorEmptyEntries,
}

func countRows(ctx context.Context, sec *Section, db *sql.DB, name string) {
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+name).Scan(&n); err != nil {
		sec.fail("db.rows", name, xinyong.MsgDoctorCountFail, name, err)
		return
	}
	if n == 0 && emptyMeaning[name] != "" {
		sec.warn("db.rows", name, xinyong.MsgDoctorRowsEmpty, name, emptyMeaning[name])
		return
	}
	sec.ok("db.rows", name, xinyong.MsgDoctorRows, name, n)
}

// relation is a table or view as the database describes it.
type relation struct {
	kind      string // 表, 视图, ...
	qualified string // schema.name
	columns   []columnInfo
	folded    bool // column names are case-insensitive (SQLite)
}

type columnInfo struct {
	name string
	typ  string // the declared type, as the database prints it
	base string // PostgreSQL: the base type's name (pg_type.typname), domains resolved
}

// lookup finds a column as the reader's unquoted, lower-case name finds it.
func (r *relation) lookup(name string) (columnInfo, bool) {
	for _, c := range r.columns {
		if c.name == name || (r.folded && strings.EqualFold(c.name, name)) {
			return c, true
		}
	}
	return columnInfo{}, false
}

// caseVariant returns a column whose name differs from name only in case, which an unquoted name in
// PostgreSQL does not find; "" when there is none.
func (r *relation) caseVariant(name string) string {
	for _, c := range r.columns {
		if strings.EqualFold(c.name, name) {
			return c.name
		}
	}
	return ""
}
