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

// OpenState opens (creating if needed) the state database at path.
func OpenState(path string) (*State, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(stateSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("state database %s: %w", path, err)
	}
	return &State{db: db}, nil
}

// Close closes the database.
func (s *State) Close() error { return s.db.Close() }

const stamp = time.RFC3339Nano

// Begin records the start of a run and returns its id. A run that never finishes (the process was killed)
// stays without an end and outcome.
func (s *State) Begin(r *Run) (int64, error) {
	res, err := s.db.ExecContext(context.Background(), `INSERT INTO runs (trigger, start) VALUES (?, ?)`,
		r.Trigger, r.Start.UTC().Format(stamp))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// Finish records the end of a run.
func (s *State) Finish(r *Run) error {
	_, err := s.db.ExecContext(context.Background(), `UPDATE runs SET end = ?, outcome = ?, release = ?, as_of = ?,
		red = ?, black = ?, cases = ?, error = ? WHERE id = ?`,
		r.End.UTC().Format(stamp), r.Outcome, r.Release, r.AsOf, r.Red, r.Black, r.Cases, r.Error, r.ID)
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

// Latest returns the latest n runs, newest first.
func (s *State) Latest(n int) ([]Run, error) {
	rows, err := s.db.Query(`SELECT id, trigger, start, coalesce(end, ''), coalesce(outcome, ''), coalesce(release, ''),
		coalesce(as_of, ''), red, black, cases, coalesce(error, '') FROM runs ORDER BY id DESC LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var r Run
		var start, end string
		if err := rows.Scan(&r.ID, &r.Trigger, &start, &end, &r.Outcome, &r.Release, &r.AsOf, &r.Red, &r.Black,
			&r.Cases, &r.Error); err != nil {
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
