// Package doctor checks what a publication needs before the first one runs on a new server: the exchange
// database against the contract (docs/CONTRACT.md §1), the data directory and the configuration. Every
// check gives one line of Chinese text for the operator; docs/doctor.md says what each means and what to do
// when it fails.
//
// The checks only read: the database is opened read-only as the export opens it, and the only thing written
// is a temporary file in the data directory, removed at once, to prove that it is writable.
package doctor

import (
	"encoding/json"
	"fmt"
	"io"

	"xinyong"
)

// Status is the outcome of one check.
type Status int

// Outcomes. Only Fail makes the report fail; Skip marks a check that was not run because an earlier one
// failed.
const (
	OK Status = iota
	Warn
	Fail
	Skip
)

var statusNames = [...]string{OK: "ok", Warn: "warn", Fail: "fail", Skip: "skip"}

// Marks are the symbols that start a check's line.
var marks = [...]string{OK: "✓", Warn: "!", Fail: "✗", Skip: "–"}

func (s Status) String() string { return statusNames[s] }

// MarshalText writes the status as ok, warn, fail or skip.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Check is one line of the report.
type Check struct {
	Status Status `json:"status"`
	// Key names the check for machines: db.connect, db.table, db.column, db.rows, db.sample, data.dir, ...
	Key string `json:"key"`
	// Subject is what was checked: a table, table.column, a path, a configuration key; may be empty.
	Subject string   `json:"subject,omitempty"`
	Text    string   `json:"text"`
	Detail  []string `json:"detail,omitempty"` // further lines, such as examples
}

// Section is a group of checks under a heading.
type Section struct {
	Name   string  `json:"name"`  // database, data, config
	Title  string  `json:"title"` // the heading shown
	Checks []Check `json:"checks"`
}

func (s *Section) add(st Status, key, subject, format string, args ...any) *Check {
	s.Checks = append(s.Checks, Check{Status: st, Key: key, Subject: subject, Text: fmt.Sprintf(format, args...)})
	return &s.Checks[len(s.Checks)-1]
}

func (s *Section) ok(key, subject, format string, args ...any) *Check {
	return s.add(OK, key, subject, format, args...)
}

func (s *Section) warn(key, subject, format string, args ...any) *Check {
	return s.add(Warn, key, subject, format, args...)
}

func (s *Section) fail(key, subject, format string, args ...any) *Check {
	return s.add(Fail, key, subject, format, args...)
}

func (s *Section) skip(key, subject, format string, args ...any) *Check {
	return s.add(Skip, key, subject, format, args...)
}

// Report is the whole outcome of `xinyong doctor`.
type Report struct {
	Sections []*Section
}

// Count returns the number of checks with status st.
func (r *Report) Count(st Status) int {
	n := 0
	for _, s := range r.Sections {
		for _, c := range s.Checks {
			if c.Status == st {
				n++
			}
		}
	}
	return n
}

// Failed reports whether any check failed; warnings alone do not fail the report.
func (r *Report) Failed() bool { return r.Count(Fail) > 0 }

// WriteText writes the report for a person: a heading per section, one marked line per check, details
// indented beneath it, and a summary line.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	for i, s := range r.Sections {
		if i > 0 {
			ew.printf("\n")
		}
		ew.printf("%s\n", s.Title)
		for _, c := range s.Checks {
			ew.printf("  %s %s\n", marks[c.Status], c.Text)
			for _, d := range c.Detail {
				ew.printf("      %s\n", d)
			}
		}
	}
	ew.printf("\n"+xinyong.MsgDoctorSummary+"\n", r.Count(OK), r.Count(Warn), r.Count(Fail))
	if r.Failed() {
		ew.printf("%s\n", xinyong.MsgDoctorSummaryFail)
	}
	return ew.err
}

// WriteJSON writes the report for machines: the sections and the counts.
func (r *Report) WriteJSON(w io.Writer) error {
	out := struct {
		OK       bool       `json:"ok"`
		Passed   int        `json:"passed"`
		Warnings int        `json:"warnings"`
		Failures int        `json:"failures"`
		Sections []*Section `json:"sections"`
	}{!r.Failed(), r.Count(OK), r.Count(Warn), r.Count(Fail), r.Sections}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// errWriter keeps the first write error, so that the report's many lines need one check.
type errWriter struct {
	w   io.Writer
	err error
}

func (ew *errWriter) printf(format string, args ...any) {
	if ew.err == nil {
		_, ew.err = fmt.Fprintf(ew.w, format, args...)
	}
}
