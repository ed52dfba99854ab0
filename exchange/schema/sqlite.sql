-- The exchange-database contract (docs/CONTRACT.md §1) as SQLite tables, for the demo database and tests.
-- Dates are YYYY-MM-DD text and timestamps RFC 3339 text, as the contract says.
CREATE TABLE xy_departments (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  credit_code TEXT,
  phone       TEXT,
  address     TEXT,  -- optional column (OptionalColumns): a database without it is read as without addresses
  hours       TEXT   -- optional column: office hours, e.g. 工作日 8:30—11:30，13:30—17:00
);

CREATE TABLE xy_subjects (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,
  name        TEXT NOT NULL,
  credit_code TEXT,
  id_number   TEXT,
  legal_rep   TEXT,
  district    TEXT
);

CREATE TABLE xy_list_entries (
  id                TEXT PRIMARY KEY,
  list              TEXT NOT NULL,
  list_name         TEXT NOT NULL,
  subject_id        TEXT NOT NULL REFERENCES xy_subjects(id),
  reason            TEXT NOT NULL,
  basis             TEXT,
  decision_no       TEXT,
  measures          TEXT,
  department        TEXT NOT NULL REFERENCES xy_departments(code),
  severity          TEXT,
  decided_on        DATE NOT NULL,
  valid_from        DATE NOT NULL,
  valid_to          DATE,
  public            INTEGER NOT NULL,
  status            TEXT NOT NULL,
  status_changed_on DATE,
  updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE xy_cases (
  id                TEXT PRIMARY KEY,
  kind              TEXT NOT NULL,
  title             TEXT NOT NULL,
  summary           TEXT NOT NULL,
  body              TEXT NOT NULL,
  subject_id        TEXT REFERENCES xy_subjects(id),
  department        TEXT NOT NULL REFERENCES xy_departments(code),
  published_on      DATE NOT NULL,
  status            TEXT NOT NULL,
  status_changed_on DATE,
  updated_at        TIMESTAMP NOT NULL
);

-- Optional (docs/CONTRACT.md §1): facts about the database as a whole. `xinyong demo` writes
-- ('dataset', 'demo') here; a production database has no such table.
CREATE TABLE xy_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The reader streams entries grouped by subject; this index lets it do so without sorting the table.
CREATE INDEX xy_list_entries_subject ON xy_list_entries (subject_id, id);
