package server

import (
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"xinyong/publish"
)

func TestAcceptsGzip(t *testing.T) {
	tests := []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"gzip, deflate, br, zstd"}, true},
		{[]string{"br, gzip;q=0.8"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip;Q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"gzip ; Q = 0"}, false},
		{[]string{"gzip;q=0.001"}, true},
		{[]string{"gzip;q=1.000"}, true},
		{[]string{"gzip;q=2"}, false},      // malformed: as 0
		{[]string{"gzip;q=0.5x"}, false},   // malformed
		{[]string{"gzip;q=0.0001"}, false}, // more than three decimals
		{[]string{"gzip;q=-1"}, false},
		{[]string{"identity"}, false},
		{[]string{"br"}, false},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false}, // gzip named: "*" does not cover it
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"*;q=0, gzip"}, true},
		{[]string{"gzip;q=0.5, identity;q=1"}, false}, // identity preferred
		{[]string{"gzip;q=0.5, identity;q=0.5"}, true},
		{[]string{"gzip;q=0.5, identity;q=0"}, true},
		{[]string{"br", "gzip"}, true}, // two header lines
	}
	for _, tt := range tests {
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		for _, v := range tt.header {
			r.Header.Add("Accept-Encoding", v)
		}
		if got := acceptsGzip(r); got != tt.want {
			t.Errorf("Accept-Encoding %q: gzip %v, want %v", tt.header, got, tt.want)
		}
	}
}

// TestRanges: up to maxRanges ranges get 206 with the parts; more get the whole file once (200), where
// 2,000 one-byte ranges used to make a 17.8 KB page 16 times its size.
func TestRanges(t *testing.T) {
	s, data, _ := newServer(t, Options{})
	h := s.Handler()
	page, err := os.ReadFile(filepath.Join(data, publish.ReleasesDir, "r1", publish.SiteDir, "about", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	ranges := func(n int) string {
		rs := make([]string, n)
		for i := range rs {
			rs[i] = fmt.Sprintf("%d-%d", 2*i, 2*i)
		}
		return "bytes=" + strings.Join(rs, ",")
	}
	tests := []struct {
		name       string
		rng        string
		wantStatus int
		wantParts  int // multipart parts; 0: one body
		maxBytes   int
	}{
		{"one", "bytes=0-9", http.StatusPartialContent, 0, 10},
		{"five", ranges(5), http.StatusPartialContent, 5, 1000},
		{"six", ranges(6), http.StatusOK, 0, len(page)},
		{"two thousand", ranges(2000), http.StatusOK, 0, len(page)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, h, "/about/", "Range", tt.rng)
			if w.Code != tt.wantStatus {
				t.Fatalf("%d, want %d", w.Code, tt.wantStatus)
			}
			if w.Body.Len() > tt.maxBytes {
				t.Errorf("%d bytes for a %d-byte page", w.Body.Len(), len(page))
			}
			if tt.wantStatus == http.StatusOK && w.Body.String() != string(page) {
				t.Error("the whole page was not sent")
			}
			if tt.wantParts > 0 {
				_, params, err := mime.ParseMediaType(w.Header().Get("Content-Type"))
				if err != nil {
					t.Fatal(err)
				}
				mr := multipart.NewReader(w.Body, params["boundary"])
				n := 0
				for _, err := mr.NextPart(); err == nil; _, err = mr.NextPart() {
					n++
				}
				if n != tt.wantParts {
					t.Errorf("%d parts, want %d", n, tt.wantParts)
				}
			}
		})
	}
}

// TestFIFO: a FIFO (or any file that is neither regular nor a directory) in the site is not there (404),
// at once: opening it used to block the request, and an OS thread, until a writer came.
func TestFIFO(t *testing.T) {
	s, data, _ := newServer(t, Options{})
	site := filepath.Join(data, publish.ReleasesDir, "r1", publish.SiteDir)
	for _, p := range []string{"fifo.html", "about/index.html.gz", "pipe/index.html"} {
		path := filepath.Join(site, filepath.FromSlash(p))
		os.Remove(path)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Fatal(err)
		}
		// Should a request open it for reading and block, a writer opened here releases it.
		t.Cleanup(func() {
			if f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
		})
	}
	tests := []struct {
		target, ae string
		want       int
	}{
		{"/fifo.html", "", http.StatusNotFound},
		{"/pipe/", "", http.StatusNotFound},
		{"/about/", "gzip", http.StatusOK}, // the .gz variant is a FIFO: the plain page
	}
	for _, tt := range tests {
		done := make(chan int, 1)
		go func() { done <- get(t, s.Handler(), tt.target, "Accept-Encoding", tt.ae).Code }()
		select {
		case code := <-done:
			if code != tt.want {
				t.Errorf("%s: %d, want %d", tt.target, code, tt.want)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("%s: no answer after 2 s: the request is blocked opening the FIFO", tt.target)
		}
	}
}

// TestContentType_Log: the publication log's files get the types C2SP clients expect, and only full tiles
// are cached for good.
func TestContentType_Log(t *testing.T) {
	for name, want := range map[string]string{
		"log/checkpoint":           "text/plain; charset=utf-8",
		"log/vkey":                 "text/plain; charset=utf-8",
		"log/checkpoint.tsr":       "application/timestamp-reply",
		"log/tile/0/000":           "application/octet-stream",
		"log/tile/entries/000.p/5": "application/octet-stream",
	} {
		if got := contentType(name); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	for name, want := range map[string]bool{"log/tile/0/000": true, "log/tile/entries/x001/234": true,
		"log/tile/0/000.p/5": false, "log/tile/entries/000.p/17": false, "log/checkpoint": false} {
		if fullTile(name) != want {
			t.Errorf("fullTile(%s) = %t", name, !want)
		}
	}
}
