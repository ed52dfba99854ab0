package exchange

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
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

// Departments returns every department, sorted by code.
func (d *DB) Departments(ctx context.Context) ([]xinyong.Department, error) {
	q := `SELECT code, name, credit_code, phone FROM xy_departments ORDER BY ` + d.byteOrder("code")
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("read departments: %w", err)
	}
	defer rows.Close()
	var out []xinyong.Department
	v := make([]any, 4)
	for rows.Next() {
		if err := scanAny(rows, v); err != nil {
			return nil, fmt.Errorf("read departments: %w", err)
		}
		out = append(out, xinyong.Department{Code: text(v[0]), Name: text(v[1]), CreditCode: text(v[2]), Phone: text(v[3])})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read departments: %w", err)
	}
	return out, nil
}

const entryColumns = `e.id, e.list, e.list_name, e.subject_id, e.reason, e.basis, e.decision_no, e.measures,
	e.department, e.severity, e.decided_on, e.valid_from, e.valid_to, e.public, e.status,
	e.status_changed_on, e.updated_at`

const subjectColumns = `s.id, s.kind, s.name, s.credit_code, s.id_number, s.legal_rep, s.district`

// Entries calls fn for every list entry with its subject (nil when subject_id names no subject), in order
// of subject_id and then id, so that the entries of one subject arrive together. Consecutive entries of
// one subject share the *Subject. fn must not keep e after it returns.
func (d *DB) Entries(ctx context.Context, fn func(e *xinyong.Entry, s *xinyong.Subject) error) error {
	q := `SELECT ` + entryColumns + `, ` + subjectColumns + `
	FROM xy_list_entries e LEFT JOIN xy_subjects s ON s.id = e.subject_id
	ORDER BY ` + d.byteOrder("e.subject_id") + `, ` + d.byteOrder("e.id")
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("read list entries: %w", err)
	}
	defer rows.Close()
	v := make([]any, 24)
	var subj *xinyong.Subject
	var e xinyong.Entry
	for rows.Next() {
		if err := scanAny(rows, v); err != nil {
			return fmt.Errorf("read list entries: %w", err)
		}
		var dec decoder
		e = xinyong.Entry{
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
		e.DecodeProblems = dec.problems
		if v[17] == nil {
			subj = nil
		} else if id := text(v[17]); subj == nil || subj.ID != id {
			subj = &xinyong.Subject{ID: id, Kind: text(v[18]), Name: text(v[19]), CreditCode: text(v[20]),
				IDNumber: text(v[21]), LegalRep: text(v[22]), District: text(v[23])}
		}
		if err := fn(&e, subj); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read list entries: %w", err)
	}
	return nil
}

// Cases calls fn for every case with its subject (nil when it has none or subject_id names no subject),
// in order of id. fn must not keep c or s after it returns.
func (d *DB) Cases(ctx context.Context, fn func(c *xinyong.Case, s *xinyong.Subject) error) error {
	q := `SELECT c.id, c.kind, c.title, c.summary, c.body, c.subject_id, c.department, c.published_on,
		c.status, c.status_changed_on, c.updated_at, ` + subjectColumns + `
	FROM xy_cases c LEFT JOIN xy_subjects s ON s.id = c.subject_id
	ORDER BY ` + d.byteOrder("c.id")
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	defer rows.Close()
	v := make([]any, 18)
	for rows.Next() {
		if err := scanAny(rows, v); err != nil {
			return fmt.Errorf("read cases: %w", err)
		}
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
		var s *xinyong.Subject
		if v[11] != nil {
			s = &xinyong.Subject{ID: text(v[11]), Kind: text(v[12]), Name: text(v[13]), CreditCode: text(v[14]),
				IDNumber: text(v[15]), LegalRep: text(v[16]), District: text(v[17])}
		}
		if err := fn(&c, s); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read cases: %w", err)
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
