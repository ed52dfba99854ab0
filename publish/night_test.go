package publish_test

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinyong/changes"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// TestRun_NightSameAsFresh: a night after a busy day — reasons corrected, entries repaired (信用修复) and
// new entries listed — publishes the site a first publication of the same database would: every page,
// list, sitemap, feed and download with the same bytes, and an index that answers alike. Whatever a night
// reuses from the night before (the export's linked files, the rows files, the open data's rows, the
// index's segments, pages linked rather than rendered) may save work but never change what is published.
// Only what a night is about may differ: the /changes/ pages and delta files, and the history (a first
// publication has no night before).
func TestRun_NightSameAsFresh(t *testing.T) {
	built := time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)
	now := func() time.Time { return built }
	path0 := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 300, Seed: 3, AsOf: fixture.AsOf})
		return err
	})
	db, err := exchange.Open(context.Background(), path0)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	nightly := t.TempDir()
	mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: nightly, Now: now})
	// The departments' day: one public entry in 20 gets a corrected reason, one in 50 is repaired, one in 50
	// is listed anew (a copy of a public entry under a new id, valid from today).
	as := fixture.AsOf.String()
	execAll(t, path0,
		`CREATE TEMP TABLE pub AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM xy_list_entries WHERE public = 1 AND status = 'active'`,
		`UPDATE xy_list_entries SET reason = reason || '（更正）', updated_at = '`+as+`T20:00:00+08:00'
		   WHERE id IN (SELECT id FROM pub WHERE n % 20 = 7)`,
		`UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '`+as+`', updated_at = '`+as+`T20:00:00+08:00'
		   WHERE id IN (SELECT id FROM pub WHERE n % 50 = 11)`,
		`INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, basis, decision_no, measures, department,
		    severity, decided_on, valid_from, valid_to, public, status, status_changed_on, updated_at)
		  SELECT 'N' || substr(id, 2), list, list_name, subject_id, reason, basis, decision_no, measures, department,
		    severity, date('`+as+`', '-3 days'), '`+as+`', valid_to, 1, 'active', NULL, '`+as+`T21:00:00+08:00'
		  FROM xy_list_entries WHERE id IN (SELECT id FROM pub WHERE n % 50 = 13)`,
	)
	night := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: nightly, Now: func() time.Time { return built.Add(time.Hour) }})
	// The export's pages file is the data directory's, one copy whatever the number of releases kept.
	if _, err := os.Stat(publish.Layout{Root: nightly}.ContentPages()); err != nil {
		t.Errorf("the data directory has no pages file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(night.Dir, publish.ContentPagesFile)); err == nil {
		t.Errorf("the release holds a pages file of its own")
	}
	if night.RecordsReused == 0 {
		t.Fatal("the night reused no record page: nothing of the night's reuse is tested")
	}
	// The case pages and notices whose export page did not change are the night before's, not rendered
	// again by Hugo (site.Reuse.CasesKey): the comparison below shows they are what Hugo would write.
	if night.CasesReused == 0 || night.CasesKey == "" {
		t.Fatalf("the night kept %d case pages (cases key %q): nothing of their reuse is tested", night.CasesReused, night.CasesKey)
	}
	fresh := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: t.TempDir(), Now: func() time.Time { return built.Add(time.Hour) }})

	a, b := readTree(t, night.Dir), readTree(t, fresh.Dir)
	compared := 0
	for _, d := range diffTrees(withoutNight(a), withoutNight(b)) {
		t.Error(d)
	}
	for p := range withoutNight(a) {
		if strings.HasPrefix(p, publish.SiteDir+"/") {
			compared++
		}
	}
	if compared < 500 {
		t.Errorf("only %d files of the site compared", compared)
	}
	compareAnswers(t, path.Join(night.Dir, publish.IndexDir), path.Join(fresh.Dir, publish.IndexDir))
}

// withoutNight is a release's tree without what may differ between a night and a first publication of the
// same data: what the night changed, which a first publication cannot know (the /changes/ pages, the delta
// files, the history, and the lines of the sitemaps that list the /changes/ pages), and the release's own
// record of how it was made (release.json counts what was linked and reused). The index is compared by its
// answers: Bleve's store differs from build to build (TestRun_Reproducible).
func withoutNight(tree map[string]treeEntry) map[string]treeEntry {
	out := map[string]treeEntry{}
	for rel, e := range tree {
		switch {
		case rel == publish.ManifestFile, rel == publish.HistoryFile, rel == publish.ContentSumsFile,
			strings.HasPrefix(rel, publish.IndexDir+"/"),
			strings.HasPrefix(rel, "changes/"),
			strings.HasPrefix(rel, publish.ContentDir+"/changes/"),
			strings.HasPrefix(rel, publish.SiteDir+"/changes/"),
			strings.HasPrefix(rel, publish.SiteDir+"/"+changes.SiteDataDir+"/"),
			// The publication log records the nights themselves: a night's log is the first night's and
			// its own switch.
			strings.HasPrefix(rel, publish.LogDir+"/"),
			strings.HasPrefix(rel, publish.SiteDir+"/"+publish.SiteLogDir+"/"):
			continue
		case rel == publish.SiteSumsFile:
			// The sums of what both publish: the same lines but the night's own pages'.
			var kept []string
			for line := range strings.Lines(string(e.data)) {
				if p := line[66:]; !strings.HasPrefix(p, "changes/") && !strings.HasPrefix(p, changes.SiteDataDir+"/") &&
					!strings.HasPrefix(p, "sitemap") {
					kept = append(kept, line)
				}
			}
			e.data = []byte(strings.Join(kept, ""))
		case strings.HasPrefix(rel, publish.SiteDir+"/sitemap") && strings.HasSuffix(rel, ".xml.gz"):
			continue // the .xml beside it is compared
		case strings.HasPrefix(rel, publish.SiteDir+"/sitemap") && strings.HasSuffix(rel, ".xml"):
			var kept []string
			for line := range strings.Lines(string(e.data)) {
				if !strings.Contains(line, "/changes/") {
					kept = append(kept, line)
				}
			}
			e.data = []byte(strings.Join(kept, ""))
		}
		out[rel] = e
	}
	return out
}

// execAll runs statements on the exchange database at path as its owner would.
func execAll(t *testing.T, path string, stmts ...string) {
	t.Helper()
	w, err := exchange.OpenWritable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	conn, err := w.SQL().Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, s := range stmts {
		if _, err := conn.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
