package publish_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"xinyong"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// demoDB is a small demo database; marked false deletes its demo marker (the same rows, as real data).
func demoDB(t *testing.T, marked bool) *exchange.DB {
	return fixture.MustDB(t, func(ctx context.Context, w *exchange.DB) error {
		if _, err := demo.Generate(ctx, w, demo.Options{Entries: 120, Seed: 1, AsOf: fixture.AsOf}); err != nil {
			return err
		}
		if marked {
			return nil
		}
		_, err := w.SQL().ExecContext(ctx, "DELETE FROM "+exchange.MetaTable)
		return err
	})
}

// checkRelease checks that a release records demo in release.json and /data/index.json, and that its pages
// carry the demo notice and canonical URLs under base exactly when it is a demo.
func checkRelease(t *testing.T, dir string, demo bool, base string) {
	t.Helper()
	m, err := publish.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, publish.ManifestFile))
	if m.Demo != demo || !strings.Contains(string(raw), `"demo": `+map[bool]string{true: "true", false: "false"}[demo]) {
		t.Errorf("release.json demo %v, want %v:\n%s", m.Demo, demo, raw)
	}
	var idx struct {
		Demo *bool `json:"demo"`
	}
	b, err := os.ReadFile(filepath.Join(dir, publish.SiteDir, "data", "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &idx); err != nil || idx.Demo == nil || *idx.Demo != demo {
		t.Errorf("/data/index.json demo %v (%v), want %v", idx.Demo, err, demo)
	}
	canonical := regexp.MustCompile(`<link rel="canonical" href="([^"]*)"`)
	for _, p := range []string{"index.html", "red/index.html", "data/index.html", "changes/index.html", "status/index.html"} {
		page, err := os.ReadFile(filepath.Join(dir, publish.SiteDir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(page), `class="demo-notice"`); got != demo {
			t.Errorf("/%s: demo notice %v, want %v", p, got, demo)
		}
		if c := canonical.FindSubmatch(page); c == nil || !strings.HasPrefix(string(c[1]), base) {
			t.Errorf("/%s: canonical URL %q, want one under %s", p, c, base)
		}
	}
	for _, f := range []string{"sitemap.xml", "data/red.jsonl", "data/changes/index.json"} {
		b, err := os.ReadFile(filepath.Join(dir, publish.SiteDir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if f != "data/changes/index.json" && !strings.Contains(string(b), base) {
			t.Errorf("/%s does not name %s", f, base)
		}
		for _, other := range []string{xinyong.DefaultBaseURL, xinyong.DemoBaseURL} {
			if other != base && strings.Contains(string(b), other) {
				t.Errorf("/%s names %s, want %s", f, other, base)
			}
		}
	}
}

// TestRun_Demo: a publication of demo data is a demo release under the reserved address, unless a base
// URL was configured; one of real data is not.
func TestRun_Demo(t *testing.T) {
	tests := []struct {
		name    string
		db      func(t *testing.T) *exchange.DB
		baseURL string
		demo    bool
		want    string
	}{
		{"demo", func(t *testing.T) *exchange.DB { return demoDB(t, true) }, "", true, xinyong.DemoBaseURL},
		{"demo, base URL configured", func(t *testing.T) *exchange.DB { return demoDB(t, true) }, "https://demo.example.org/", true, "https://demo.example.org/"},
		{"real data", func(t *testing.T) *exchange.DB { return fixture.MustFixture(t, false) }, "", false, xinyong.DefaultBaseURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustRun(t, publish.Options{Source: tt.db(t), AsOf: fixture.AsOf, Data: t.TempDir(), BaseURL: tt.baseURL})
			if res.Demo != tt.demo {
				t.Errorf("Result.Demo = %v, want %v", res.Demo, tt.demo)
			}
			checkRelease(t, res.Dir, tt.demo, tt.want)
		})
	}
}

// TestRun_DemoMarkerRemoved: the same rows without the demo marker are a different publication: the
// next run publishes them as real data instead of keeping the demo release as unchanged.
func TestRun_DemoMarkerRemoved(t *testing.T) {
	data := t.TempDir()
	first := mustRun(t, publish.Options{Source: demoDB(t, true), AsOf: fixture.AsOf, Data: data})
	second := mustRun(t, publish.Options{Source: demoDB(t, false), AsOf: fixture.AsOf, Data: data})
	if second.Unchanged || second.ID == first.ID {
		t.Fatalf("the unmarked data was not published: %+v", second)
	}
	checkRelease(t, second.Dir, false, xinyong.DefaultBaseURL)
}
