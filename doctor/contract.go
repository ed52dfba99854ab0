package doctor

import (
	"fmt"
	"strings"

	"xinyong"
)

// kind is how the reader (exchange/read.go) uses a column, which decides the types it can take.
type kind int

const (
	// kindKey: text that the export's queries sort by byte order (COLLATE "C") or join on.
	kindKey kind = iota
	// kindText: text converted by exchange's text(): any character type, or an integer or numeric
	// written out in digits.
	kindText
	// kindDate: a date read by the date decoder: a DATE (or a timestamp, of which the date is taken) or
	// YYYY-MM-DD text.
	kindDate
	// kindTimestamp: read by the timestamp decoder: a timestamp or date, or RFC 3339 text.
	kindTimestamp
	// kindFlag: the public flag, read by isOne: an integer or a boolean. Text "1" is not 1.
	kindFlag
)

// column is one contract column.
type column struct {
	name     string
	kind     kind
	declared string // the type docs/CONTRACT.md gives it
}

// table is one contract table with its columns in contract order.
type table struct {
	name    string
	columns []column
}

func col(name string, k kind) column {
	declared := map[kind]string{kindKey: "TEXT", kindText: "TEXT", kindDate: "DATE",
		kindTimestamp: "TIMESTAMP", kindFlag: "INTEGER"}[k]
	return column{name: name, kind: k, declared: declared}
}

// contract lists the tables and columns of docs/CONTRACT.md §1 in contract order; a test keeps it equal to
// exchange.Columns.
var contract = []table{
	{"xy_departments", []column{col("code", kindKey), col("name", kindText), col("credit_code", kindText), col("phone", kindText)}},
	{"xy_subjects", []column{col("id", kindKey), col("kind", kindText), col("name", kindText), col("credit_code", kindText),
		col("id_number", kindText), col("legal_rep", kindText), col("district", kindText)}},
	{"xy_list_entries", []column{col("id", kindKey), col("list", kindText), col("list_name", kindText),
		col("subject_id", kindKey), col("reason", kindText), col("basis", kindText), col("decision_no", kindText),
		col("measures", kindText), col("department", kindText), col("severity", kindText), col("decided_on", kindDate),
		col("valid_from", kindDate), col("valid_to", kindDate), col("public", kindFlag), col("status", kindText),
		col("status_changed_on", kindDate), col("updated_at", kindTimestamp)}},
	{"xy_cases", []column{col("id", kindKey), col("kind", kindText), col("title", kindText), col("summary", kindText),
		col("body", kindText), col("subject_id", kindKey), col("department", kindText), col("published_on", kindDate),
		col("status", kindText), col("status_changed_on", kindDate), col("updated_at", kindTimestamp)}},
}

func (t table) columnNames() string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	return strings.Join(names, "、")
}

// PostgreSQL base type names (pg_type.typname, domains resolved to their base type) by what the reader
// makes of them; found by scanning each type through pgx's database/sql driver into an `any`.
var (
	pgCharacter = set("text", "varchar", "citext", "name")          // string
	pgPadded    = set("bpchar")                                     // string, padded with spaces to char(n)
	pgInteger   = set("int2", "int4", "int8")                       // int64
	pgDigits    = set("numeric", "uuid", "char")                    // string
	pgDateTime  = set("date", "timestamp")                          // time.Time, in UTC
	pgInstant   = set("timestamptz")                                // time.Time, in UTC
	pgBoolean   = set("bool")                                       // bool
	pgAllText   = union(pgCharacter, pgPadded)                      // text the decoders parse
	pgTextLike  = union(pgCharacter, pgPadded, pgInteger, pgDigits) // text() gives the value itself
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

func union(sets ...map[string]bool) map[string]bool {
	m := map[string]bool{}
	for _, s := range sets {
		for n := range s {
			m[n] = true
		}
	}
	return m
}

// pgTypeProblem says whether a PostgreSQL column of base type typ can be read as a column of kind k:
// Fail with what it should be, Warn with the caveat, or OK.
func pgTypeProblem(c column, typ string) (Status, string) {
	switch c.kind {
	case kindKey:
		if pgPadded[typ] {
			return Warn, fmt.Sprintf(xinyong.MsgDoctorPadded, c.name)
		}
		if !pgCharacter[typ] {
			return Fail, fmt.Sprintf(xinyong.MsgDoctorWantKey, c.name)
		}
	case kindText:
		if pgPadded[typ] {
			return Warn, fmt.Sprintf(xinyong.MsgDoctorPadded, c.name)
		}
		if !pgTextLike[typ] {
			return Fail, fmt.Sprintf(xinyong.MsgDoctorWantText, c.name)
		}
	case kindDate:
		if pgInstant[typ] {
			return Fail, fmt.Sprintf(xinyong.MsgDoctorDateTZ, c.name)
		}
		if !pgDateTime[typ] && !pgAllText[typ] {
			return Fail, xinyong.MsgDoctorWantDate
		}
	case kindTimestamp:
		if !pgDateTime[typ] && !pgInstant[typ] && !pgAllText[typ] {
			return Fail, xinyong.MsgDoctorWantTimestamp
		}
	case kindFlag:
		if !pgInteger[typ] && !pgBoolean[typ] {
			return Fail, xinyong.MsgDoctorWantFlag
		}
	}
	return OK, ""
}

// sqliteTypeProblem checks a SQLite column's declared type. SQLite stores any value in any column, so only
// the public flag is checked here: under TEXT or REAL affinity a 1 is stored as "1" or 1.0, which the reader
// does not take for 1. Everything else is left to the sample, which decodes real rows.
func sqliteTypeProblem(c column, declared string) (Status, string) {
	if c.kind != kindFlag {
		return OK, ""
	}
	switch sqliteAffinity(declared) {
	case "TEXT", "REAL":
		return Fail, xinyong.MsgDoctorWantFlagLite
	}
	return OK, ""
}

// sqliteAffinity returns the type affinity of a declared column type, by the rules of
// https://www.sqlite.org/datatype3.html §3.1, in their order.
func sqliteAffinity(declared string) string {
	t := strings.ToUpper(declared)
	switch {
	case strings.Contains(t, "INT"):
		return "INTEGER"
	case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
		return "TEXT"
	case t == "", strings.Contains(t, "BLOB"):
		return "BLOB"
	case strings.Contains(t, "REAL"), strings.Contains(t, "FLOA"), strings.Contains(t, "DOUB"):
		return "REAL"
	}
	return "NUMERIC"
}
