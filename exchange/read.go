package exchange

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"xinyong"
)

// Reading streams rows: one row is in memory at a time (plus, for entries, the subject they share), so
// memory does not grow with the tables. Both dialects run the same queries and sort by byte order, so
// SQLite and PostgreSQL give the same rows in the same order.

func (d *DB) byteOrder(col string) string {
	if d.dialect == Postgres {
		return col + ` COLLATE "C"`
	}
	return col // SQLite's default BINARY collation is byte order
}

// Departments returns every department, sorted by code. The optional columns address and hours
// (OptionalColumns) are read when the table or view has them.
func (d *DB) Departments(ctx context.Context) ([]xinyong.Department, error) {
	has, err := d.columns(ctx, "xy_departments")
	if err != nil {
		return nil, fmt.Errorf("read departments: %w", err)
	}
	cols := "code, name, credit_code, phone"
	for _, c := range OptionalColumns["xy_departments"] {
		if has[c] {
			cols += ", " + c
		} else {
			cols += ", NULL"
		}
	}
	var out []xinyong.Department
	q := `SELECT ` + cols + ` FROM xy_departments ORDER BY ` + d.byteOrder("code")
	err = d.stream(ctx, "departments", q, 6, func(v []any) error {
		out = append(out, xinyong.Department{Code: text(v[0]), Name: text(v[1]), CreditCode: text(v[2]), Phone: text(v[3]),
			Address: text(v[4]), Hours: text(v[5])})
		return nil
	})
	return out, err
}

// columns returns the column names of a table or view, as the database reports them for a query that
// returns no rows: the same way in SQLite and PostgreSQL, for a contract view as for a table.
func (d *DB) columns(ctx context.Context, table string) (map[string]bool, error) {
	rows, err := d.q(ctx).QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	has := make(map[string]bool, len(names))
	for _, n := range names {
		has[strings.ToLower(n)] = true
	}
	return has, rows.Err()
}

const subjectColumns = `s.id, s.kind, s.name, s.credit_code, s.id_number, s.legal_rep, s.district`

// subjectAt decodes the subjectColumns starting at v[0]; nil when the join found no subject.
func subjectAt(v []any) *xinyong.Subject {
	if v[0] == nil {
		return nil
	}
	return &xinyong.Subject{ID: text(v[0]), Kind: text(v[1]), Name: text(v[2]), CreditCode: text(v[3]),
		IDNumber: text(v[4]), LegalRep: text(v[5]), District: text(v[6])}
}

// Entries calls fn for every list entry with its subject (nil when subject_id names no subject), in order
// of subject_id and then id, so that the entries of one subject arrive together. Consecutive entries of
// one subject share the *Subject. fn must not keep e after it returns.
func (d *DB) Entries(ctx context.Context, fn func(e *xinyong.Entry, s *xinyong.Subject) error) error {
	q := `SELECT e.id, e.list, e.list_name, e.subject_id, e.reason, e.basis, e.decision_no, e.measures,
		e.department, e.severity, e.decided_on, e.valid_from, e.valid_to, e.public, e.status,
		e.status_changed_on, e.updated_at, ` + subjectColumns + `
	FROM xy_list_entries e LEFT JOIN xy_subjects s ON s.id = e.subject_id
	ORDER BY ` + d.byteOrder("e.subject_id") + `, ` + d.byteOrder("e.id")
	var subj *xinyong.Subject
	return d.stream(ctx, "list entries", q, 24, func(v []any) error {
		var dec decoder
		e := xinyong.Entry{
			ID:              text(v[0]),
			List:            text(v[1]),
			ListName:        text(v[2]),
			SubjectID:       text(v[3]),
			Reason:          text(v[4]),
			Basis:           text(v[5]),
			DecisionNo:      text(v[6]),
			Measures:        text(v[7]),
			Department:      text(v[8]),
			Severity:        text(v[9]),
			DecidedOn:       dec.date("decided_on", v[10]),
			ValidFrom:       dec.date("valid_from", v[11]),
			ValidTo:         dec.date("valid_to", v[12]),
			Public:          isOne(v[13]),
			Status:          text(v[14]),
			StatusChangedOn: dec.date("status_changed_on", v[15]),
			UpdatedAt:       dec.timestamp("updated_at", v[16]),
		}
		e.DecodeProblems = dec.problems // after the calls above: Go does not order a field read among calls
		if v[17] == nil {
			subj = nil
		} else if subj == nil || subj.ID != text(v[17]) {
			subj = subjectAt(v[17:])
		}
		return fn(&e, subj)
	})
}

// Cases calls fn for every case with its subject (nil when it has none or subject_id names no subject),
// in order of id. fn must not keep c or s after it returns.
func (d *DB) Cases(ctx context.Context, fn func(c *xinyong.Case, s *xinyong.Subject) error) error {
	q := `SELECT c.id, c.kind, c.title, c.summary, c.body, c.subject_id, c.department, c.published_on,
		c.status, c.status_changed_on, c.updated_at, ` + subjectColumns + `
	FROM xy_cases c LEFT JOIN xy_subjects s ON s.id = c.subject_id
	ORDER BY ` + d.byteOrder("c.id")
	return d.stream(ctx, "cases", q, 18, func(v []any) error {
		var dec decoder
		c := xinyong.Case{
			ID:              text(v[0]),
			Kind:            text(v[1]),
			Title:           text(v[2]),
			Summary:         text(v[3]),
			Body:            text(v[4]),
			SubjectID:       text(v[5]),
			Department:      text(v[6]),
			PublishedOn:     dec.date("published_on", v[7]),
			Status:          text(v[8]),
			StatusChangedOn: dec.date("status_changed_on", v[9]),
			UpdatedAt:       dec.timestamp("updated_at", v[10]),
		}
		c.DecodeProblems = dec.problems
		return fn(&c, subjectAt(v[11:]))
	})
}

// stream runs q and calls fn with the ncols values of each row, reusing one slice: one row is in memory
// at a time. Errors from the database name what was being read; fn's errors are returned as they are.
func (d *DB) stream(ctx context.Context, what, q string, ncols int, fn func(v []any) error) error {
	rows, err := d.q(ctx).QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	v := make([]any, ncols)
	for rows.Next() {
		if err := scanAny(rows, v); err != nil {
			return fmt.Errorf("read %s: %w", what, err)
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", what, err)
	}
	return nil
}

func scanAny(rows *sql.Rows, v []any) error {
	ptrs := make([]any, len(v))
	for i := range v {
		v[i] = nil
		ptrs[i] = &v[i]
	}
	return rows.Scan(ptrs...)
}

// text converts a column value to a string. Text columns may hold anything in SQLite, so numbers are
// formatted rather than refused.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// isOne reports whether the public flag is 1. Anything else, including NULL, is never published.
func isOne(v any) bool {
	switch x := v.(type) {
	case int64:
		return x == 1
	case int32:
		return x == 1
	case bool:
		return x // a DBA may map the flag to a boolean column
	}
	return false
}

// decoder converts date and timestamp columns, collecting a problem for each value it cannot read instead
// of failing the whole read: one bad row must not stop a night's publication.
type decoder struct {
	problems []xinyong.Problem
}

func (dec *decoder) date(field string, v any) xinyong.Date {
	switch x := v.(type) {
	case nil:
		return xinyong.Date{}
	case time.Time:
		// PostgreSQL DATE and SQLite DATE text read by the driver arrive as midnight UTC.
		y, m, d := x.Date()
		return xinyong.NewDate(y, m, d)
	case string, []byte:
		s := text(x)
		if s == "" {
			return xinyong.Date{}
		}
		d, err := xinyong.ParseDate(s)
		if err != nil {
			dec.problems = append(dec.problems, xinyong.Problem{Field: field, Msg: fmt.Sprintf(xinyong.MsgBadDate, xinyong.CleanLine(s))})
		}
		return d
	}
	dec.problems = append(dec.problems, xinyong.Problem{Field: field, Msg: fmt.Sprintf(xinyong.MsgBadDate, text(v))})
	return xinyong.Date{}
}

func (dec *decoder) timestamp(field string, v any) time.Time {
	switch x := v.(type) {
	case nil:
		return time.Time{}
	case time.Time:
		return x
	case string, []byte:
		s := text(x)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			dec.problems = append(dec.problems, xinyong.Problem{Field: field, Msg: fmt.Sprintf(xinyong.MsgBadTimestamp, xinyong.CleanLine(s))})
		}
		return t
	}
	dec.problems = append(dec.problems, xinyong.Problem{Field: field, Msg: fmt.Sprintf(xinyong.MsgBadTimestamp, text(v))})
	return time.Time{}
}
