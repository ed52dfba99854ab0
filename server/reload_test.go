package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"xinyong"
	"xinyong/publish"
	"xinyong/search"
)

// secondDocs are the docs of a second release: the fixture's minus 鑫源, plus a company only it has.
func secondDocs() []search.Doc {
	var docs []search.Doc
	for _, d := range fixtureDocs(0) {
		if !strings.Contains(d.Name, "鑫源") {
			docs = append(docs, d)
		}
	}
	code := xinyong.MakeCreditCode("91211104", "MA9NEW01")
	return append(docs, search.Doc{Kind: search.KindSubject, ID: code, URL: "/subjects/" + code + "/",
		Name: "盘锦新发布测试有限公司", Code: code, Lists: []string{xinyong.ListRed}, Date: xinyong.NewDate(2026, 6, 16)})
}

// apiTotal asks the API through a real connection and returns the total of hits for q.
func apiTotal(c *http.Client, base, q string) (uint64, error) {
	resp, err := c.Get(base + apiURLOf(q))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		return 0, fmt.Errorf("%s: %d %s", q, resp.StatusCode, b)
	}
	var res struct{ Total uint64 }
	err = json.NewDecoder(resp.Body).Decode(&res)
	return res.Total, err
}

// TestReloadWithoutDroppingRequests switches releases under a steady load of searches and page fetches:
// no request may fail, the answers must switch to the new release, and the old index must be closed.
func TestReloadWithoutDroppingRequests(t *testing.T) {
	s, data, _ := newServer(t, Options{RateLimit: -1})
	makeRelease(t, data, "r2", secondDocs())
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	old := s.cur.Load().index

	var (
		stop     atomic.Bool
		failures atomic.Int64
		requests atomic.Int64
		sawNew   atomic.Bool
		wg       sync.WaitGroup
		firstErr sync.Once
	)
	fail := func(err error) {
		failures.Add(1)
		firstErr.Do(func() { t.Errorf("request failed during the switch: %v", err) })
	}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := ts.Client()
			for !stop.Load() {
				// One release answers a request: 鑫源 is in r1 only, 新发布 in r2 only.
				old, err := apiTotal(c, ts.URL, "鑫源")
				if err != nil {
					fail(err)
					continue
				}
				cur, err := apiTotal(c, ts.URL, "新发布")
				if err != nil {
					fail(err)
					continue
				}
				if old == 0 && cur == 1 {
					sawNew.Store(true)
				}
				resp, err := c.Get(ts.URL + "/red/")
				if err != nil {
					fail(err)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					fail(fmt.Errorf("/red/: %d", resp.StatusCode))
				}
				requests.Add(3)
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	setCurrent(t, data, "r2")
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if s.Release() != "r2" {
		t.Errorf("serving %q after the switch", s.Release())
	}
	deadline := time.Now().Add(5 * time.Second)
	for !sawNew.Load() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	stop.Store(true)
	wg.Wait()

	if !sawNew.Load() {
		t.Error("the answers never came from the new release")
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d requests failed", failures.Load(), requests.Load())
	}
	if _, err := old.Search(context.Background(), search.Request{Q: "鑫源"}); err != search.ErrClosed {
		t.Errorf("the old index is not closed: %v", err)
	}
	if n, err := apiTotal(ts.Client(), ts.URL, "鑫源"); err != nil || n != 0 {
		t.Errorf("after the switch 鑫源 gives %d, %v", n, err)
	}
	t.Logf("%d requests during the switch", requests.Load())
}

// TestWatch lets Watch find the new release.
func TestWatch(t *testing.T) {
	s, data, _ := newServer(t, Options{})
	makeRelease(t, data, "r2", secondDocs())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Watch(ctx, 10*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()

	setCurrent(t, data, "r2")
	deadline := time.Now().Add(5 * time.Second)
	for s.Release() != "r2" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.Release() != "r2" {
		t.Fatal("Watch did not switch to the new release")
	}
	if w := get(t, s.Handler(), apiURLOf("新发布")); !strings.Contains(w.Body.String(), "盘锦新发布测试有限公司") {
		t.Errorf("the new release does not answer: %s", w.Body)
	}
}

// TestReloadBrokenRelease keeps serving the old release when the new one cannot be opened.
func TestReloadBrokenRelease(t *testing.T) {
	s, data, logs := newServer(t, Options{})
	dir := makeRelease(t, data, "r2", secondDocs())
	if err := os.RemoveAll(filepath.Join(dir, publish.IndexDir)); err != nil {
		t.Fatal(err)
	}
	setCurrent(t, data, "r2")
	err := s.Reload()
	if err == nil {
		t.Fatal("Reload of a release without an index succeeded")
	}
	if !strings.Contains(err.Error(), "cannot open the new release r2; still serving r1") {
		t.Errorf("Reload: %v, want the releases named", err)
	}
	if s.Release() != "r1" {
		t.Errorf("serving %q, want r1", s.Release())
	}
	if w := get(t, s.Handler(), apiURLOf("鑫源")); w.Code != 200 || !strings.Contains(w.Body.String(), "鑫源") {
		t.Errorf("the old release stopped answering: %d", w.Code)
	}
	if strings.Contains(logs.String(), "cannot open the new release") {
		t.Error("Reload logged the error it returns")
	}

	// A release without the search page's marker is refused too; Watch logs the failure, once.
	dir = makeRelease(t, data, "r3", secondDocs())
	os.WriteFile(filepath.Join(dir, publish.SiteDir, "search", "index.html"), []byte("<title>x</title>"), 0o644)
	setCurrent(t, data, "r3")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(ctx, 5*time.Millisecond)
	const want = "cannot open the new release r3"
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end) && !strings.Contains(logs.String(), want); {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // Watch does not retry r3: no second line
	if got := logs.String(); strings.Count(got, want) != 1 || !strings.Contains(got, "level=ERROR") {
		t.Errorf("Watch logged the failure %d times, want once as an error:\n%s", strings.Count(got, want), got)
	}
	if s.Release() != "r1" {
		t.Errorf("a release without the search marker: serving %s", s.Release())
	}
}

// TestClose answers 503 after Close.
func TestClose(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	idx := s.cur.Load().index
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if w := get(t, s.Handler(), "/"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("after Close: %d", w.Code)
	}
	if _, err := idx.Search(context.Background(), search.Request{Q: "x"}); err != search.ErrClosed {
		t.Errorf("index after Close: %v", err)
	}
}

// TestReloadChecksIndex: a release whose index is not the one its manifest describes, or does not answer
// the manifest's probes, is refused at the switch; the old release keeps serving and the refusal is
// returned, naming the release. Before, a corrupt segment was switched to, and searches then failed or panicked.
func TestReloadChecksIndex(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(t *testing.T, dir string)
	}{
		{"a segment changed", func(t *testing.T, dir string) {
			zaps, _ := filepath.Glob(filepath.Join(dir, publish.IndexDir, "store", "*.zap"))
			if len(zaps) != 1 {
				t.Fatalf("segments: %v", zaps)
			}
			b, err := os.ReadFile(zaps[0])
			if err != nil {
				t.Fatal(err)
			}
			// A few bytes early in the segment: the index still opens, and answers some queries.
			for i := len(b) / 10; i < len(b)/10+16; i++ {
				b[i] ^= 0xff
			}
			os.WriteFile(zaps[0], b, 0o644)
		}},
		{"another first hit", func(t *testing.T, dir string) {
			m, err := publish.ReadManifest(dir)
			if err != nil || m.IndexCheck == nil || len(m.IndexCheck.Probes) == 0 {
				t.Fatalf("manifest: %+v, %v", m, err)
			}
			m.IndexCheck.Probes[0].Want = "/subjects/nobody/"
			b, _ := json.Marshal(m)
			os.WriteFile(filepath.Join(dir, publish.ManifestFile), b, 0o644)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, data, _ := newServer(t, Options{}) // Watch logs a refusal: TestReloadBrokenRelease
			dir := makeRelease(t, data, "r2", secondDocs())
			tt.break_(t, dir)
			setCurrent(t, data, "r2")
			err := s.Reload()
			if !errors.Is(err, publish.ErrIndexCheck) {
				t.Errorf("Reload: %v, want ErrIndexCheck", err)
			}
			if s.Release() != "r1" {
				t.Errorf("serving %q, want r1", s.Release())
			}
			if w := get(t, s.Handler(), apiURLOf("鑫源")); w.Code != 200 || !strings.Contains(w.Body.String(), "鑫源") {
				t.Errorf("the old release stopped answering: %d", w.Code)
			}
			if err == nil || !strings.Contains(err.Error(), "reload: cannot open the new release r2") {
				t.Errorf("Reload: %v, want the refusal naming the release", err)
			}
		})
	}
}
