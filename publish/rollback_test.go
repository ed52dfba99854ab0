package publish_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"xinyong"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// mustExec changes the exchange database at path as its owner would.
func mustExec(t *testing.T, path, query string, args ...any) {
	t.Helper()
	w, err := exchange.OpenWritable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	res, err := w.SQL().Exec(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s %v: %d rows changed, want 1", query, args, n)
	}
}

// TestRollback_NeverRepublishes: a rollback to a release that shows an entry or a case taken down since
// (repaired, withdrawn) or an entry whose period ended before today is refused, naming them, and switches
// nothing; so is one to a release whose export tree is missing. A rollback between releases that publish
// the same entries, and back to the newest, switches.
func TestRollback_NeverRepublishes(t *testing.T) {
	path := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error { return fixture.Load(ctx, w, false) })
	db, err := exchange.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data := t.TempDir()
	day := fixture.AsOf
	publishAt := func(hour int, baseURL string) string {
		t.Helper()
		return mustRun(t, publish.Options{Source: db, AsOf: day, Data: data, BaseURL: baseURL, Now: at(day, hour)}).ID
	}
	a := publishAt(2, "")
	// E02 is public on day; after its 信用修复 and the withdrawal of case C01, neither may come back.
	mustExec(t, path, `UPDATE xy_list_entries SET status = 'repaired', status_changed_on = ? WHERE id = 'E02'`, day.String())
	mustExec(t, path, `UPDATE xy_cases SET status = 'withdrawn', status_changed_on = ? WHERE id = 'C01'`, day.String())
	b := publishAt(3, "")
	// The same entries under another base URL: a new release, newest.
	c := publishAt(4, "https://mirror.example.org/")
	if !slices.IsSorted([]string{a, b, c}) {
		t.Fatalf("release ids %s %s %s do not sort by time", a, b, c)
	}
	if _, err := os.Stat(filepath.Join(data, publish.ReleasesDir, b, publish.ContentDir, "black", "E02.md")); !os.IsNotExist(err) {
		t.Fatalf("the release after the repair still has black/E02: %v", err)
	}

	// The rows run in order: each starts where the one before left current.
	tests := []struct {
		name      string
		id        string
		today     xinyong.Date
		wantPages []string // the refusal's pages; nil when the rollback switches
		wantErr   bool     // another error
		want      string   // current afterwards
	}{
		{name: "back to the release before, same entries", id: "", today: day, want: b},
		{name: "back to before the repair", id: a, today: day, wantPages: []string{"black/E02", "cases/C01"}, want: b},
		{name: "the release before, before the repair", id: "", today: day, wantPages: []string{"black/E02", "cases/C01"}, want: b},
		{name: "forward to the newest", id: c, today: day, want: c},
		{name: "periods ended since", id: b, today: day.AddDays(1), wantPages: []string{"red/E06", "black/E04"}, want: c},
		{name: "the newest, periods ended since", id: c, today: day.AddDays(1), wantPages: []string{"red/E06", "black/E04"}, want: c},
		{name: "back again, same day", id: b, today: day, want: b},
		{name: "a release that does not exist", id: "nope", today: day, wantErr: true, want: b},
	}
	for _, tt := range tests {
		m, err := publish.Rollback(data, tt.id, tt.today)
		var refused *publish.RepublishError
		switch {
		case tt.wantPages != nil:
			if !errors.As(err, &refused) || !slices.Equal(refused.Pages, tt.wantPages) {
				t.Errorf("%s: Rollback(%q) = %v, want a refusal naming %v", tt.name, tt.id, err, tt.wantPages)
			}
		case tt.wantErr:
			if err == nil || errors.As(err, &refused) {
				t.Errorf("%s: Rollback(%q) = %v, want an error", tt.name, tt.id, err)
			}
		case err != nil || m.ID != tt.want:
			t.Errorf("%s: Rollback(%q) = %v, %v; want %s", tt.name, tt.id, m, err, tt.want)
		}
		if _, cur, _ := publish.Current(data); cur != tt.want {
			t.Errorf("%s: current is %s, want %s", tt.name, cur, tt.want)
		}
	}

	// Without its export tree a release cannot be compared: refused, whatever it holds.
	if err := os.RemoveAll(filepath.Join(data, publish.ReleasesDir, c, publish.ContentDir)); err != nil {
		t.Fatal(err)
	}
	if _, err := publish.Rollback(data, c, day); err == nil {
		t.Error("rollback to a release without its export tree succeeded")
	}
	if _, cur, _ := publish.Current(data); cur != b {
		t.Errorf("current is %s after a rollback without an export tree, want %s", cur, b)
	}
}
