package publish_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"html"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"xinyong/changes"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// soleNamedEntry returns a red- or black-list entry of the release whose name is on its own export page
// only (its subject has no other entry, and no other page has the same name) — one whose name must be gone
// from everything once it is repaired: its list, its id, and its name with its subject's name, credit code
// and legal representative (those of at least three characters).
func soleNamedEntry(t *testing.T, release string) (list, id string, secrets []string) {
	t.Helper()
	pages := map[string][]byte{}
	for _, dir := range []string{"red", "black", "cases"} {
		files, _ := filepath.Glob(filepath.Join(release, publish.ContentDir, dir, "*.md"))
		for _, f := range files {
			if filepath.Base(f) != "_index.md" {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				pages[dir+"/"+strings.TrimSuffix(filepath.Base(f), ".md")] = b
			}
		}
	}
	for _, key := range sortedKeys(pages) {
		if strings.HasPrefix(key, "cases/") {
			continue
		}
		fm, _, err := generator.ReadPage(pages[key])
		if err != nil {
			t.Fatal(err)
		}
		n := fm.String("title")
		if len(n) < 9 { // at least three characters: a name, not a common word
			continue
		}
		others := 0
		for _, b := range pages {
			if bytes.Contains(b, []byte(n)) {
				others++
			}
		}
		if others == 1 {
			secrets = append(secrets, n)
			subj := fm.Mapping("subject")
			for _, k := range []string{"name", "credit_code", "legal_rep"} {
				if v := subj.String(k); len(v) >= 9 {
					secrets = append(secrets, v)
				}
			}
			return strings.Split(key, "/")[0], fm.String("id"), secrets
		}
	}
	t.Fatal("no entry whose name is on its page only")
	return "", "", nil
}

// TestRun_RepairedNamedNowhere: two nights, the second after an entry is repaired (信用修复) and another
// listed anew. The second night's /changes/ pages name and link the new entry (its name, list name and
// department), and the feeds of its list and department carry it; the repaired entry's subject, who has no
// other entry, is named nowhere under site/changes/, in no feed (red, black, every department's,
// /changes/index.xml) and in no file under site/data/ (downloads and delta files, read through their
// compression too).
func TestRun_RepairedNamedNowhere(t *testing.T) {
	built := time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)
	path0 := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 200, Seed: 5, AsOf: fixture.AsOf})
		return err
	})
	db, err := exchange.Open(context.Background(), path0)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data := t.TempDir()
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Now: func() time.Time { return built }})

	// The entry to repair: one whose name is on its own page only (its subject has no other entry, and no
	// other page has the same name), so that after the repair the name must be gone from the whole site.
	_, repairID, secrets := soleNamedEntry(t, first.Dir)
	name := secrets[0]
	// The search below would find it: the first night's downloads have it.
	csv, err := os.ReadFile(filepath.Join(first.Dir, publish.SiteDir, "data", "red.csv"))
	if err != nil {
		t.Fatal(err)
	}
	black, err := os.ReadFile(filepath.Join(first.Dir, publish.SiteDir, "data", "black.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(append(csv, black...), []byte(name)) {
		t.Fatalf("the first night's downloads do not name %s (%q): the search proves nothing", repairID, name)
	}

	// The day: the entry is repaired, and a new entry is listed (a copy of another public entry, valid from
	// today: the newest of its list).
	as := fixture.AsOf.String()
	execAll(t, path0,
		`UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '`+as+`', updated_at = '`+as+`T20:00:00+08:00'
		   WHERE id = '`+repairID+`'`,
		`INSERT INTO xy_list_entries (id, list, list_name, subject_id, reason, basis, decision_no, measures, department,
		    severity, decided_on, valid_from, valid_to, public, status, status_changed_on, updated_at)
		  SELECT 'NEW1', list, list_name, subject_id, reason, basis, decision_no, measures, department,
		    severity, '`+as+`', '`+as+`', valid_to, 1, 'active', NULL, '`+as+`T21:00:00+08:00'
		  FROM xy_list_entries WHERE id = (SELECT min(id) FROM xy_list_entries WHERE public = 1 AND status = 'active' AND id <> '`+repairID+`')`,
	)
	night := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Now: func() time.Time { return built.Add(time.Hour) }})
	siteDir := filepath.Join(night.Dir, publish.SiteDir)

	// The new entry, as its page in the night's export shows it.
	var newList string
	for _, l := range []string{"red", "black"} {
		if _, err := os.Stat(filepath.Join(night.Dir, publish.ContentDir, l, "NEW1.md")); err == nil {
			newList = l
		}
	}
	if newList == "" {
		t.Fatal("the new entry has no page")
	}
	b, err := os.ReadFile(filepath.Join(night.Dir, publish.ContentDir, newList, "NEW1.md"))
	if err != nil {
		t.Fatal(err)
	}
	fm, _, err := generator.ReadPage(b)
	if err != nil {
		t.Fatal(err)
	}
	dept := fm.Mapping("department")
	release := filepath.Base(night.Dir)
	want := `<a href="/` + newList + `/NEW1/">` + html.EscapeString(fm.String("title")) + `</a> <code class="code">NEW1</code> <span class="muted">` +
		html.EscapeString(dept.String("name")) + `</span>`
	for _, p := range []string{"changes/index.html", "changes/" + release + "/index.html"} {
		page, err := os.ReadFile(filepath.Join(siteDir, p))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(page, []byte(want)) || !bytes.Contains(page, []byte(html.EscapeString(fm.String("list_name")))) {
			t.Errorf("/%s does not name the new entry: %s", p, want)
		}
		if !bytes.Contains(page, []byte(`<code class="code">`+repairID+`</code>`)) {
			t.Errorf("/%s does not list the repaired entry's id", p)
		}
	}
	for _, feed := range []string{newList + "/index.xml", "departments/" + dept.String("code") + "/index.xml"} {
		b, err := os.ReadFile(filepath.Join(siteDir, feed))
		if err != nil {
			t.Fatal(err)
		}
		var rss struct {
			Items []struct {
				Link string `xml:"link"`
			} `xml:"channel>item"`
		}
		if err := xml.Unmarshal(b, &rss); err != nil {
			t.Fatalf("%s: %v", feed, err)
		}
		if len(rss.Items) == 0 || !strings.HasSuffix(rss.Items[0].Link, "/"+newList+"/NEW1/") {
			t.Errorf("%s: the new entry is not the newest item: %+v", feed, rss.Items)
		}
	}

	// Nowhere: every file under site/changes/, every feed, every file under site/data/.
	searched := 0
	search := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if b, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		searched++
		rel, _ := filepath.Rel(siteDir, path)
		for _, s := range secrets {
			for _, form := range []string{s, html.EscapeString(s), generator.QuoteYAML(s)} {
				if bytes.Contains(b, []byte(form)) {
					t.Errorf("%s names the repaired entry: %q", rel, s)
				}
			}
		}
	}
	for _, dir := range []string{"changes", "data"} {
		err := filepath.WalkDir(filepath.Join(siteDir, dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				search(p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	feeds, _ := filepath.Glob(filepath.Join(siteDir, "departments", "*", "index.xml"))
	feeds = append(feeds, filepath.Join(siteDir, "red", "index.xml"), filepath.Join(siteDir, "black", "index.xml"))
	for _, f := range feeds {
		search(f)
	}
	if len(feeds) < 5 || searched < 20 {
		t.Errorf("searched %d files, %d feeds", searched, len(feeds))
	}
	// The repaired entry is in this night's delta file, by id.
	delta, err := changes.ReadDelta(filepath.Join(siteDir, changes.SiteDataDir, release+".json"), -1)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range delta.Removed {
		found = found || r.ID == repairID
	}
	if !found {
		t.Errorf("the delta file does not record %s as removed: %+v", repairID, delta.Removed)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
