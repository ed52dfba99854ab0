package publish_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"xinyong"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// thinnedSource passes only every nth entry: a database that suddenly returns a fraction of its rows.
type thinnedSource struct {
	publish.Source
	n int
}

func (s thinnedSource) Entries(ctx context.Context, fn func(*xinyong.Entry, *xinyong.Subject) error) error {
	i := 0
	return s.Source.Entries(ctx, func(e *xinyong.Entry, subj *xinyong.Subject) error {
		if i++; i%s.n != 0 {
			return nil
		}
		return fn(e, subj)
	})
}

func releasesIn(t *testing.T, data string) []string {
	t.Helper()
	ids, err := publish.List(data)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestRun_UnchangedPublishesNothing: the same database, theme and configuration publish nothing.
func TestRun_UnchangedPublishesNothing(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustFixture(t, false)
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	again := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	if !again.Unchanged || again.ID != first.ID {
		t.Errorf("rerun: unchanged %v, id %s; want unchanged, %s", again.Unchanged, again.ID, first.ID)
	}
	if ids := releasesIn(t, data); len(ids) != 1 {
		t.Errorf("releases %v after an unchanged rerun", ids)
	}
	// A later date on which entries expire is a change (published on that date: never before it).
	later := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf.AddDays(400), Data: data, Force: true,
		Now: at(fixture.AsOf.AddDays(400), 2)})
	if later.Unchanged || later.ID == first.ID {
		t.Errorf("a later date published nothing")
	}
}

// TestRun_Guard: an empty database and a 90 % smaller one publish nothing; --force publishes.
func TestRun_Guard(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustDemo(t, 2000)
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	empty := fixture.MustDB(t, func(ctx context.Context, w *exchange.DB) error { return nil })
	for name, src := range map[string]publish.Source{"empty": empty, "thinned": thinnedSource{db, 10}} {
		_, err := publish.Run(context.Background(), publish.Options{Source: src, AsOf: fixture.AsOf, Data: data})
		if !errors.Is(err, publish.ErrGuard) {
			t.Errorf("%s: %v, want the guard", name, err)
		}
		if _, id, _ := publish.Current(data); id != first.ID {
			t.Errorf("%s: current is %s, want %s", name, id, first.ID)
		}
	}
	forced, err := publish.Run(context.Background(), publish.Options{Source: thinnedSource{db, 10}, AsOf: fixture.AsOf, Data: data, Force: true})
	if err != nil {
		t.Fatalf("forced: %v", err)
	}
	if forced.Black >= first.Black/5 {
		t.Errorf("forced release has %d black entries, first had %d", forced.Black, first.Black)
	}
}

// TestRun_LinksAndPrunes: unchanged files are hard links to the previous release, and old releases beyond
// Keep are removed. Each release is published on its as-of date.
func TestRun_LinksAndPrunes(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustFixture(t, false)
	var ids []string
	for i := range 4 {
		day := fixture.AsOf.AddDays(i * 200)
		res := mustRun(t, publish.Options{Source: db, AsOf: day, Data: data, Keep: 3, Force: true, Now: at(day, 2)})
		ids = append(ids, res.ID)
		if i > 0 && res.Linked == 0 {
			t.Errorf("release %d linked no file of the previous one", i)
		}
	}
	got := releasesIn(t, data)
	if len(got) != 3 || got[0] != ids[1] {
		t.Errorf("releases %v, want the last three of %v", got, ids)
	}
	// The stylesheet did not change: one inode.
	css, _ := filepath.Glob(filepath.Join(data, publish.ReleasesDir, ids[3], publish.SiteDir, "css", "*.css"))
	if len(css) == 0 {
		t.Fatal("no stylesheet")
	}
	rel, _ := filepath.Rel(filepath.Join(data, publish.ReleasesDir, ids[3]), css[0])
	a, _ := os.Stat(filepath.Join(data, publish.ReleasesDir, ids[2], rel))
	b, _ := os.Stat(css[0])
	if a == nil || b == nil || !os.SameFile(a, b) {
		t.Error("an unchanged file was copied, not linked")
	}
}

// at returns a clock that always tells hour o'clock on day d in Asia/Shanghai.
func at(d xinyong.Date, hour int) func() time.Time {
	return func() time.Time { return d.Time().Add(time.Duration(hour) * time.Hour) }
}
