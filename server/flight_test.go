package server

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"xinyong"
	"xinyong/search"
)

// TestFlights_Lead runs searches that return, fail and panic through a flight: whatever the search does,
// the flight is left (a later identical request leads a new one) and the requests that waited for it get
// its outcome.
func TestFlights_Lead(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		search  func() (*search.Result, error)
		wantErr func(error) bool
	}{
		{"result", func() (*search.Result, error) { return &search.Result{Total: 1}, nil },
			func(err error) bool { return err == nil }},
		{"error", func() (*search.Result, error) { return nil, boom },
			func(err error) bool { return errors.Is(err, boom) }},
		{"panic", func() (*search.Result, error) { panic("corrupt segment") },
			func(err error) bool {
				var p *errSearchPanic
				return errors.As(err, &p) && strings.Contains(err.Error(), "corrupt segment")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs flights
			f, leader := fs.join("k")
			if !leader {
				t.Fatal("the first request does not lead")
			}
			waiter, leader := fs.join("k")
			if leader || waiter != f {
				t.Fatal("the second request does not wait for the first")
			}
			fs.lead("k", f, tt.search)
			select {
			case <-waiter.done:
			case <-time.After(time.Second):
				t.Fatal("the waiting request was never woken")
			}
			if !tt.wantErr(waiter.err) {
				t.Errorf("the waiting request got %v", waiter.err)
			}
			if _, leader := fs.join("k"); !leader {
				t.Error("the flight was left behind: a later identical request waits for it")
			}
		})
	}
}

// TestPanicLeavesNoFlight: a search that panics answers 500, and so does the next identical search, at
// once; before, the panicking search never left its flight and every later identical search waited for
// it until its time ran out (503).
func TestPanicLeavesNoFlight(t *testing.T) {
	s, _, logs := newServer(t, Options{SearchTimeout: time.Second, CacheEntries: -1})
	st := s.cur.Load()
	idx := st.index
	st.index = nil // Search on a nil index panics
	defer func() { st.index = idx }()
	for i := range 3 {
		start := time.Now()
		w := get(t, s.Handler(), apiURLOf("鑫源化工"))
		if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), xinyong.MsgServeInternal) {
			t.Errorf("search %d after the panic: %d %s", i+1, w.Code, w.Body)
		}
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("search %d took %v: it waited for a search that had panicked", i+1, d)
		}
	}
	if !strings.Contains(logs.String(), "search panicked") {
		t.Error("the panic was not logged")
	}
}
