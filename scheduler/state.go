package scheduler

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the state database is SQLite, pure Go
)

// State is the state database: the record of every run.
type State struct{ db *sql.DB }

const stateSchema = `
CREATE TABLE IF NOT EXISTS runs (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  trigger  TEXT NOT NULL,
  start    TEXT NOT NULL,
  end      TEXT,
  outcome  TEXT,
  release  TEXT,
  as_of    TEXT,
  red      INTEGER NOT NULL DEFAULT 0,
  black    INTEGER NOT NULL DEFAULT 0,
  cases    INTEGER NOT NULL DEFAULT 0,
  error    TEXT
);`

// addedColumns are the columns later versions added to runs, with their types: a state database made
// by an earlier version gets them when it is opened.
var addedColumns = [][2]string{{"cause", "TEXT"}, {"pid", "INTEGER NOT NULL DEFAULT 0"}}

// OpenState opens (creating if needed) the state database at path.
func OpenState(path string) (*State, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("state database: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("state database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("state database %s: %w", path, err)
	}
	return &State{db: db}, nil
}

func migrate(db *sql.DB) error {
	if _, err := db.Exec(stateSchema); err != nil {
		return err
	}
	rows, err := db.Query(`SELECT name FROM pragma_table_info('runs')`)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		have[name] = true
	}
	rows.Close()
	for _, c := range addedColumns {
		if have[c[0]] {
			continue
		}
		if _, err := db.Exec(`ALTER TABLE runs ADD COLUMN ` + c[0] + ` ` + c[1]); err != nil {
			return err
		}
	}
	return nil
}

// Close closes the database.
func (s *State) Close() error { return s.db.Close() }

const stamp = time.RFC3339Nano

// Begin records the start of a run by this process (r.PID, default os.Getpid()) and returns its id. A run
// that never finishes (the process was killed) stays without an end and outcome until the next run
// notices that its process is gone.
func (s *State) Begin(r *Run) (int64, error) {
	if r.PID == 0 {
		r.PID = os.Getpid()
	}
	res, err := s.db.ExecContext(context.Background(), `INSERT INTO runs (trigger, start, pid) VALUES (?, ?, ?)`,
		r.Trigger, r.Start.UTC().Format(stamp), r.PID)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Finish records the end of a run.
func (s *State) Finish(r *Run) error {
	_, err := s.db.ExecContext(context.Background(), `UPDATE runs SET end = ?, outcome = ?, release = ?, as_of = ?,
		red = ?, black = ?, cases = ?, error = ?, cause = ? WHERE id = ?`,
		r.End.UTC().Format(stamp), r.Outcome, r.Release, r.AsOf, r.Red, r.Black, r.Cases, r.Error, r.Cause, r.ID)
	return err
}

// LastSuccess is the start of the latest run that published or found nothing to publish; zero if none.
func (s *State) LastSuccess() (time.Time, error) {
	var start sql.NullString
	err := s.db.QueryRow(`SELECT max(start) FROM runs WHERE outcome IN (?, ?)`, Published, Unchanged).Scan(&start)
	if err != nil || !start.Valid {
		return time.Time{}, err
	}
	return time.Parse(stamp, start.String)
}

const runColumns = `id, trigger, start, coalesce(end, ''), coalesce(outcome, ''), coalesce(release, ''),
	coalesce(as_of, ''), red, black, cases, coalesce(error, ''), coalesce(cause, ''), pid`

// Latest returns the latest n runs, newest first.
func (s *State) Latest(n int) ([]Run, error) {
	return s.query(`SELECT `+runColumns+` FROM runs ORDER BY id DESC LIMIT ?`, n)
}

// Unfinished returns the runs without an end, oldest first: in progress, or their process is gone.
func (s *State) Unfinished() ([]Run, error) {
	return s.query(`SELECT ` + runColumns + ` FROM runs WHERE end IS NULL ORDER BY id`)
}

// BusySince is how long publications have been kept from running, seen from run r (itself skipped as
// busy, not yet finished): the start of the oldest other unfinished run (the one holding the lock), or else
// of the first publication of the unbroken series of busy ones that ends with r.
func (s *State) BusySince(r *Run) (time.Time, error) {
	since := r.Start
	var oldest, streak sql.NullString
	if err := s.db.QueryRow(`SELECT min(start) FROM runs WHERE end IS NULL AND id != ?`, r.ID).Scan(&oldest); err != nil {
		return since, err
	}
	if err := s.db.QueryRow(`SELECT min(start) FROM runs WHERE trigger != ? AND outcome = ? AND id < ? AND id >
		(SELECT coalesce(max(id), 0) FROM runs WHERE trigger != ? AND outcome IS NOT NULL AND outcome != ? AND id < ?)`,
		ByRollback, Busy, r.ID, ByRollback, Busy, r.ID).Scan(&streak); err != nil {
		return since, err
	}
	for _, v := range []sql.NullString{oldest, streak} {
		if !v.Valid {
			continue
		}
		if t, err := time.Parse(stamp, v.String); err == nil && t.Before(since) {
			since = t
		}
	}
	return since, nil
}

func (s *State) query(q string, args ...any) ([]Run, error) {
	rows, err := s.db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var r Run
		var start, end string
		if err := rows.Scan(&r.ID, &r.Trigger, &start, &end, &r.Outcome, &r.Release, &r.AsOf, &r.Red, &r.Black,
			&r.Cases, &r.Error, &r.Cause, &r.PID); err != nil {
			return nil, err
		}
		r.Start, _ = time.Parse(stamp, start)
		if end != "" {
			r.End, _ = time.Parse(stamp, end)
		}
		runs = append(runs, r)
	}
	return runs, rows.Err()
}
