package publish_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/server"
)

// TestRun_StablePages: two nights on the same database, the second a day later (some entries start, some
// end), publish every record page whose record did not change with the same bytes — in the same file,
// hard-linked from the night before, its .gz too — and the server gives it the same ETag both nights. The pages whose
// record changed, and only those among the record pages, are new files.
func TestRun_StablePages(t *testing.T) {
	path := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 120, Seed: 1, AsOf: fixture.AsOf})
		return err
	})
	db, err := exchange.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	data := t.TempDir()
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	etags1 := etags(t, data, first.ID)
	// A department corrects one public entry's reason overnight: its page and its subject's page change.
	pages, _ := filepath.Glob(filepath.Join(publish.Layout{Root: data}.Release(first.ID).Content(), "black", "E*.md"))
	if len(pages) == 0 {
		t.Fatal("no black-list entry published")
	}
	corrected := strings.TrimSuffix(filepath.Base(pages[0]), ".md")
	mustExec(t, path, `UPDATE xy_list_entries SET reason = reason || '（更正）' WHERE id = ?`, corrected)
	second := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf.AddDays(1), Data: data})
	etags2 := etags(t, data, second.ID)
	a, b := publish.Layout{Root: data}.Release(first.ID), publish.Layout{Root: data}.Release(second.ID)

	same, changed := 0, 0
	for _, section := range []string{"red", "black", "subjects", "cases"} {
		pages, _ := filepath.Glob(filepath.Join(b.Content(), section, "*.md"))
		for _, md := range pages {
			id := filepath.Base(md[:len(md)-len(".md")])
			if id == "_index" {
				continue
			}
			rel := filepath.Join(section, id, "index.html")
			mdA, errA := os.ReadFile(filepath.Join(a.Content(), section, id+".md"))
			mdB, _ := os.ReadFile(md)
			htmlA, errHA := os.ReadFile(filepath.Join(a.Site(), rel))
			htmlB, err := os.ReadFile(filepath.Join(b.Site(), rel))
			if err != nil {
				t.Fatal(err)
			}
			ma, errMA := os.Stat(filepath.Join(a.Content(), section, id+".md"))
			mb, _ := os.Stat(md)
			if errA != nil || !bytes.Equal(mdA, mdB) {
				changed++
				if errMA == nil && os.SameFile(ma, mb) {
					t.Errorf("%s/%s.md: changed, but the night before's file", section, id)
				}
				if bytes.Equal(htmlA, htmlB) {
					t.Errorf("/%s: the record changed, the page did not", filepath.ToSlash(rel))
				}
				continue
			}
			if id == corrected {
				t.Errorf("black/%s: corrected in the database, the export did not change", id)
			}
			same++
			// The export linked the unchanged record's page from the night before (content.sums), and
			// the link step found it linked.
			if !os.SameFile(ma, mb) {
				t.Errorf("%s/%s.md: unchanged, but the export wrote it again", section, id)
			}
			if errHA != nil || !bytes.Equal(htmlA, htmlB) {
				t.Errorf("/%s: the record did not change, the page did", filepath.ToSlash(rel))
				continue
			}
			fa, _ := os.Stat(filepath.Join(a.Site(), rel))
			fb, _ := os.Stat(filepath.Join(b.Site(), rel))
			if !os.SameFile(fa, fb) {
				t.Errorf("/%s: unchanged, but not linked to the night before's file", filepath.ToSlash(rel))
			}
			// Its precompressed variant is the night before's too, not compressed again.
			za, errZA := os.Stat(filepath.Join(a.Site(), rel+".gz"))
			zb, errZB := os.Stat(filepath.Join(b.Site(), rel+".gz"))
			if (errZA == nil) != (errZB == nil) || errZA == nil && !os.SameFile(za, zb) {
				t.Errorf("/%s.gz: unchanged page, but its .gz is not the night before's (%v, %v)", filepath.ToSlash(rel), errZA, errZB)
			}
			url := "/" + filepath.ToSlash(filepath.Dir(rel)) + "/"
			if etags1[url] == "" || etags1[url] != etags2[url] {
				t.Errorf("GET %s: ETag %q the first night, %q the second", url, etags1[url], etags2[url])
			}
		}
	}
	t.Logf("%d record pages unchanged, %d new or changed; %d record pages reused", same, changed, second.RecordsReused)
	// The entry and subject pages of unchanged records were not rendered again but linked (cases are Hugo's).
	if second.RecordsReused == 0 || second.RecordsReused > same || second.RecordsFingerprint != first.RecordsFingerprint {
		t.Errorf("second night reused %d record pages of %d unchanged (fingerprints %s, %s)", second.RecordsReused,
			same, first.RecordsFingerprint, second.RecordsFingerprint)
	}
	if same < 100 || changed < 1 {
		t.Errorf("%d unchanged and %d changed record pages: the two nights should have both", same, changed)
	}
}

// etags serves the data directory (whose current release must be id) and returns the ETag of every record
// page by URL.
func etags(t *testing.T, data, id string) map[string]string {
	t.Helper()
	s, err := server.New(data, server.Options{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Release() != id {
		t.Fatalf("the server serves %s, want %s", s.Release(), id)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	out := map[string]string{}
	site := publish.Layout{Root: data}.Release(id).Site()
	for _, section := range []string{"red", "black", "subjects", "cases"} {
		dirs, _ := filepath.Glob(filepath.Join(site, section, "*", "index.html"))
		for _, p := range dirs {
			url := "/" + section + "/" + filepath.Base(filepath.Dir(p)) + "/"
			if filepath.Base(filepath.Dir(p)) == "page" {
				continue
			}
			req, _ := http.NewRequest("GET", ts.URL+url, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s", url, resp.Status)
			}
			out[url] = resp.Header.Get("ETag")
		}
	}
	return out
}
