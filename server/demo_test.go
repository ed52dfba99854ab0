package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/server"
)

// TestServer_Demo: /api/status says whether the current release was made from demo data (release.json),
// and every page the server writes or serves (home, search results, status, not found) carries the demo
// notice exactly when it was.
func TestServer_Demo(t *testing.T) {
	tests := []struct {
		name     string
		db       func(t *testing.T) *exchange.DB
		manifest func(t *testing.T, path string) // changes release.json before the server starts
		demo     bool
		wantErr  bool
	}{
		{name: "demo", db: func(t *testing.T) *exchange.DB { return fixture.MustDemo(t, 120) }, demo: true},
		{name: "real data", db: func(t *testing.T) *exchange.DB { return fixture.MustFixture(t, false) }},
		{name: "demo, release.json unreadable", db: func(t *testing.T) *exchange.DB { return fixture.MustDemo(t, 120) },
			manifest: func(t *testing.T, path string) { os.WriteFile(path, []byte("{"), 0o644) }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			res, err := publish.Run(context.Background(), publish.Options{Source: tt.db(t), AsOf: fixture.AsOf, Data: data})
			if err != nil {
				t.Fatal(err)
			}
			if tt.manifest != nil {
				tt.manifest(t, filepath.Join(res.Dir, publish.ManifestFile))
			}
			s, err := server.New(data, server.Options{})
			if tt.wantErr {
				if err == nil {
					s.Close()
					t.Fatal("a release with an unreadable release.json was served")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ts := httptest.NewServer(s.Handler())
			defer ts.Close()
			get := func(path string) (int, string) {
				resp, err := http.Get(ts.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}

			_, body := get("/api/status")
			var api map[string]any
			if err := json.Unmarshal([]byte(body), &api); err != nil || api["demo"] != tt.demo || api["release"] != res.ID {
				t.Errorf("/api/status: demo %v, release %v (%v), want %v, %s", api["demo"], api["release"], err, tt.demo, res.ID)
			}
			for path, code := range map[string]int{"/": 200, "/search/?q=" + url.QueryEscape("盘锦"): 200, "/status/": 200,
				"/no/such/page/": 404} {
				got, body := get(path)
				if got != code {
					t.Errorf("%s: %d, want %d", path, got, code)
				}
				if notice := strings.Contains(body, `class="demo-notice"`); notice != tt.demo {
					t.Errorf("%s: demo notice %v, want %v", path, notice, tt.demo)
				}
			}
		})
	}
}
