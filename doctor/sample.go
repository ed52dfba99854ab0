package doctor

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"xinyong"
	"xinyong/exchange"
)

// maxExamples is how many problem rows a sample line shows.
const maxExamples = 3

// maxExampleRunes bounds one example line.
const maxExampleRunes = 160

// errSampleFull stops a stream once the sample is complete.
var errSampleFull = errors.New("sample complete")

// sample is what decoding the first rows of a table found.
type sample struct {
	rows, bad int
	examples  []string
}

// add records one row and its problems.
func (s *sample) add(id string, problems []string) {
	s.rows++
	if len(problems) == 0 {
		return
	}
	s.bad++
	if len(s.examples) < maxExamples {
		s.examples = append(s.examples, example(id, problems))
	}
}

// example formats a problem row for the operator's terminal: cleaned, cut, and with every ID number masked,
// since ids and quoted values come from the database.
func example(id string, problems []string) string {
	line := fmt.Sprintf(xinyong.MsgDoctorSampleExample, id, strings.Join(problems, xinyong.MsgCodeSeparator))
	line, _ = xinyong.MaskIDNumbersIn(xinyong.CleanLine(line))
	if utf8.RuneCountInString(line) > maxExampleRunes {
		line = string([]rune(line)[:maxExampleRunes]) + xinyong.MsgEllipsis
	}
	return line
}

// report adds the sample's line to sec; none for an empty table, whose row count says so.
func (s *sample) report(sec *Section, table string) {
	switch {
	case s.rows == 0:
		return
	case s.bad == 0:
		sec.ok("db.sample", table, xinyong.MsgDoctorSampleOK, table, s.rows)
	default:
		sec.warn("db.sample", table, xinyong.MsgDoctorSampleBad, table, s.rows, s.bad).Detail = s.examples
	}
}

// subjects collects the subjects met in the sampled entries and cases, each checked once.
type subjects struct {
	seen map[string]bool
	sample
}

// problems returns the subject's problems as the export words them ("subject.kind: ..."), checking it the
// first time it is met.
func (ss *subjects) problems(s *xinyong.Subject) []string {
	var ps []string
	for _, p := range s.Problems() {
		ps = append(ps, "subject."+p.String())
	}
	if !xinyong.ValidID(s.ID) {
		ps = append(ps, "subject.id: "+fmt.Sprintf(xinyong.MsgBadID, xinyong.CleanLine(s.ID)))
	}
	if !ss.seen[s.ID] {
		ss.seen[s.ID] = true
		ss.add(s.ID, ps)
	}
	return ps
}

// sampleAll decodes the first n rows of each table through the export's queries (exchange.DB's readers)
// and applies the export's row checks, for the tables whose columns are all there.
func sampleAll(ctx context.Context, sec *Section, db *exchange.DB, complete map[string]bool, n int) {
	var known func(string) bool
	if complete["xy_departments"] {
		known = sampleDepartments(ctx, sec, db)
	} else {
		sec.skip("db.sample", "xy_departments", xinyong.MsgDoctorSampleSkipped, "xy_departments")
	}
	subj := &subjects{seen: map[string]bool{}}
	for _, t := range []struct {
		name string
		run  func() (*sample, error)
	}{
		{"xy_list_entries", func() (*sample, error) { return sampleEntries(ctx, db, known, subj, n) }},
		{"xy_cases", func() (*sample, error) { return sampleCases(ctx, db, known, subj, n) }},
	} {
		if !complete[t.name] || !complete["xy_subjects"] {
			sec.skip("db.sample", t.name, xinyong.MsgDoctorSampleSkipped, t.name)
			continue
		}
		s, err := t.run()
		if err != nil {
			sec.fail("db.sample", t.name, xinyong.MsgDoctorSampleFail, t.name, err)
			continue
		}
		s.report(sec, t.name)
	}
	if subj.rows > 0 {
		reportSubjects(sec, &subj.sample)
	}
	if complete["xy_list_entries"] {
		checkPublicFlag(ctx, sec, db, n)
	}
}

func reportSubjects(sec *Section, s *sample) {
	if s.bad == 0 {
		sec.ok("db.sample", "xy_subjects", xinyong.MsgDoctorSampleSubjects, s.rows)
		return
	}
	sec.warn("db.sample", "xy_subjects", xinyong.MsgDoctorSampleSubjectsBad, s.rows, s.bad).Detail = s.examples
}

// sampleDepartments reads every department (there are few) and returns whether a code names a usable one,
// as the export decides it.
func sampleDepartments(ctx context.Context, sec *Section, db *exchange.DB) func(string) bool {
	ds, err := db.Departments(ctx)
	if err != nil {
		sec.fail("db.sample", "xy_departments", xinyong.MsgDoctorSampleFail, "xy_departments", err)
		return nil
	}
	var s sample
	codes := make(map[string]bool, len(ds))
	for _, d := range ds {
		var ps []string
		if !xinyong.ValidID(d.Code) {
			ps = append(ps, "code: "+fmt.Sprintf(xinyong.MsgBadID, xinyong.CleanLine(d.Code)))
		} else {
			codes[d.Code] = true
		}
		s.add(d.Code, ps)
	}
	s.report(sec, "xy_departments")
	return func(code string) bool { return codes[code] }
}

// sampleEntries decodes the first n entries in the export's order and checks each as the export does,
// with its subject.
func sampleEntries(ctx context.Context, db *exchange.DB, known func(string) bool, subj *subjects, n int) (*sample, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &sample{}
	err := db.Entries(ctx, func(e *xinyong.Entry, sb *xinyong.Subject) error {
		var ps []string
		for _, p := range e.Problems(known) {
			ps = append(ps, p.String())
		}
		switch {
		case sb != nil:
			ps = append(ps, subj.problems(sb)...)
		case strings.TrimSpace(e.SubjectID) != "":
			ps = append(ps, "subject_id: "+fmt.Sprintf(xinyong.MsgNoSubject, xinyong.CleanLine(e.SubjectID)))
		}
		s.add(e.ID, ps)
		return stopAt(s.rows, n, cancel)
	})
	if errors.Is(err, errSampleFull) {
		err = nil
	}
	return s, err
}

// sampleCases decodes the first n cases in the export's order and checks each as the export does.
func sampleCases(ctx context.Context, db *exchange.DB, known func(string) bool, subj *subjects, n int) (*sample, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &sample{}
	err := db.Cases(ctx, func(c *xinyong.Case, sb *xinyong.Subject) error {
		var ps []string
		for _, p := range c.Problems(known) {
			ps = append(ps, p.String())
		}
		switch {
		case sb != nil:
			subj.problems(sb) // counted for xy_subjects; the export does not reject a case for its subject
		case strings.TrimSpace(c.SubjectID) != "":
			ps = append(ps, "subject_id: "+fmt.Sprintf(xinyong.MsgNoSubject, xinyong.CleanLine(c.SubjectID)))
		}
		s.add(c.ID, ps)
		return stopAt(s.rows, n, cancel)
	})
	if errors.Is(err, errSampleFull) {
		err = nil
	}
	return s, err
}

// stopAt ends a stream once rows reaches n. It cancels the query first, so that the driver abandons the
// rest of the result instead of reading it to the end.
func stopAt(rows, n int, cancel context.CancelFunc) error {
	if rows < n {
		return nil
	}
	cancel()
	return errSampleFull
}

// checkPublicFlag looks at the raw public values of the first n entries for a 1 the reader does not take
// for 1: text "1" or a decimal 1.0. Such entries are never published, silently, so this fails.
func checkPublicFlag(ctx context.Context, sec *Section, db *exchange.DB, n int) {
	rows, err := db.SQL().QueryContext(ctx, "SELECT public FROM xy_list_entries LIMIT "+strconv.Itoa(n))
	if err != nil {
		sec.fail("db.sample", "xy_list_entries.public", xinyong.MsgDoctorSampleFail, "xy_list_entries", err)
		return
	}
	defer rows.Close()
	total, bad, first := 0, 0, ""
	for rows.Next() {
		var v any
		if err := rows.Scan(&v); err != nil {
			sec.fail("db.sample", "xy_list_entries.public", xinyong.MsgDoctorSampleFail, "xy_list_entries", err)
			return
		}
		total++
		if s, ok := oneInDisguise(v); ok {
			if bad == 0 {
				first = s
			}
			bad++
		}
	}
	if err := rows.Err(); err != nil {
		sec.fail("db.sample", "xy_list_entries.public", xinyong.MsgDoctorSampleFail, "xy_list_entries", err)
		return
	}
	if bad > 0 {
		sec.fail("db.sample", "xy_list_entries.public", xinyong.MsgDoctorPublicText, total, bad, first)
	}
}

// oneInDisguise reports whether v means 1 but is not the integer or boolean the reader takes for 1, and
// returns it as text.
func oneInDisguise(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, isOneText(x)
	case []byte:
		return string(x), isOneText(string(x))
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		return s, x == 1
	}
	return "", false
}

func isOneText(s string) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && f == 1
}
