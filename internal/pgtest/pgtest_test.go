package pgtest

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestStartRoundTrip(t *testing.T) {
	dsn := Start(t)
	if !strings.HasPrefix(dsn, "postgres://xinyong@127.0.0.1:") || !strings.HasSuffix(dsn, "/teststartroundtrip?sslmode=disable") {
		t.Errorf("DSN = %q, want postgres://xinyong@127.0.0.1:PORT/teststartroundtrip?sslmode=disable", dsn)
	}
	db := open(t, dsn)
	ctx := context.Background()

	var tables int
	if err := db.QueryRowContext(ctx,
		`SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("new database has %d tables, want 0", tables)
	}

	if _, err := db.ExecContext(ctx, `CREATE TABLE events (
		id      bigserial PRIMARY KEY,
		title   text NOT NULL,
		day     date NOT NULL,
		created timestamptz NOT NULL
	)`); err != nil {
		t.Fatal(err)
	}

	shanghai := time.FixedZone("UTC+8", 8*60*60)
	day := time.Date(2024, time.February, 29, 0, 0, 0, 0, time.UTC)
	created := time.Date(2024, time.March, 1, 23, 30, 15, 123456000, shanghai)
	title := "信用 — ünïcode"

	var id int64
	if err := db.QueryRowContext(ctx,
		`INSERT INTO events (title, day, created) VALUES ($1, $2, $3) RETURNING id`,
		title, day, created).Scan(&id); err != nil {
		t.Fatal(err)
	}

	var (
		gotTitle   string
		gotDay     time.Time
		gotCreated time.Time
		dayText    string
	)
	if err := db.QueryRowContext(ctx,
		`SELECT title, day, created, day::text FROM events WHERE id = $1`, id).
		Scan(&gotTitle, &gotDay, &gotCreated, &dayText); err != nil {
		t.Fatal(err)
	}
	if gotTitle != title {
		t.Errorf("title = %q, want %q", gotTitle, title)
	}
	if dayText != "2024-02-29" {
		t.Errorf("day::text = %q, want 2024-02-29", dayText)
	}
	if y, m, d := gotDay.Date(); y != 2024 || m != time.February || d != 29 {
		t.Errorf("day = %v, want 2024-02-29", gotDay)
	}
	if !gotCreated.Equal(created) {
		t.Errorf("created = %v, want %v", gotCreated, created)
	}
}

func TestStartTwoAtOnce(t *testing.T) {
	// Both servers are up at the same time: the first is stopped only
	// when the test ends.
	dsnA, dsnB := Start(t), Start(t)
	if dsnA == dsnB {
		t.Fatalf("both servers have DSN %s", dsnA)
	}
	dbs := map[string]*sql.DB{"a": open(t, dsnA), "b": open(t, dsnB)}
	for name, db := range dbs {
		if _, err := db.Exec(`CREATE TABLE who (name text)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO who VALUES ($1)`, name); err != nil {
			t.Fatal(err)
		}
	}
	for name, db := range dbs {
		var got []string
		rows, err := db.Query(`SELECT name FROM who`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		if len(got) != 1 || got[0] != name {
			t.Errorf("server %s has rows %q, want [%q]", name, got, name)
		}
	}
}

func TestDBName(t *testing.T) {
	for in, want := range map[string]string{
		"TestFoo":                                "testfoo",
		"TestFoo/sub case#01":                    "testfoo_sub_case_01",
		"/":                                      "test",
		"Postgres":                               "test_postgres",
		strings.Repeat("x", 100):                 strings.Repeat("x", 63),
		"Test_" + strings.Repeat("y", 57) + "/z": "test_" + strings.Repeat("y", 57),
	} {
		if got := dbName(in); got != want {
			t.Errorf("dbName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionLess(t *testing.T) {
	if !versionLess("9.6", "15") || versionLess("15", "9.6") || !versionLess("15", "16") {
		t.Error("versionLess orders versions wrongly")
	}
}
