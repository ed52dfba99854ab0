package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/server"
)

// TestPublishWhileServing publishes a new release with publish.Run (export, build, index, switch) while
// clients query the search API and fetch pages in a loop: no request fails, and the answers switch to the
// new release.
func TestPublishWhileServing(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustDemo(t, 500)
	first, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(data, server.Options{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(ctx, 20*time.Millisecond)

	// The total of a query that a year later has far fewer public entries (expired) tells the releases apart.
	query := ts.URL + "/api/search?q=" + url.QueryEscape("有限公司")
	total := func() (uint64, error) {
		resp, err := http.Get(query)
		if err != nil {
			return 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			return 0, fmt.Errorf("status %s", resp.Status)
		}
		var r struct{ Total uint64 }
		return r.Total, json.NewDecoder(resp.Body).Decode(&r)
	}
	before, err := total()
	if err != nil || before == 0 {
		t.Fatalf("first release: %d hits, %v", before, err)
	}

	var failures, requests atomic.Int64
	var lastTotal atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				n, err := total()
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					t.Errorf("search during publication: %v", err)
					continue
				}
				lastTotal.Store(n)
				resp, err := http.Get(ts.URL + "/black/")
				requests.Add(1)
				if err != nil || resp.StatusCode != 200 {
					failures.Add(1)
					t.Errorf("page during publication: %v %v", err, resp)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}
	// Published a year later, on its as-of date: a publication is never dated after its day.
	later := fixture.AsOf.AddDays(365)
	second, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: later, Data: data, Force: true,
		Now: func() time.Time { return later.Time().Add(2 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Release() != second.ID && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // a few more requests on the new release
	close(stop)
	wg.Wait()
	if s.Release() != second.ID {
		t.Fatalf("serving %s, want the new release %s (first %s)", s.Release(), second.ID, first.ID)
	}
	after, err := total()
	if err != nil {
		t.Fatal(err)
	}
	if after == before || lastTotal.Load() != after {
		t.Errorf("answers did not switch: %d hits before, %d after, %d last seen by the clients", before, after, lastTotal.Load())
	}
	if failures.Load() > 0 || requests.Load() < 10 {
		t.Errorf("%d of %d requests failed", failures.Load(), requests.Load())
	}
}
