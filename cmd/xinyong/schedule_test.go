package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/scheduler"
)

// TestScheduledRunRefusesAndAlerts: a scheduled publication against an unreachable database, an empty one
// and one suddenly 90 % smaller publishes nothing, keeps the current release, records the run as failed or
// refused and posts an alert to the webhook.
func TestScheduledRunRefusesAndAlerts(t *testing.T) {
	ctx := context.Background()
	dir, data := t.TempDir(), t.TempDir()
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" },
		now: func() time.Time { return fixture.AsOf.Time().Add(2 * time.Hour) }}
	log := slog.New(slog.DiscardHandler)
	good, small, empty := filepath.Join(dir, "good.db"), filepath.Join(dir, "small.db"), filepath.Join(dir, "empty.db")
	if err := e.createDemo(ctx, log, good, 2000, 1, fixture.AsOf); err != nil {
		t.Fatal(err)
	}
	if err := e.createDemo(ctx, log, small, 200, 1, fixture.AsOf); err != nil {
		t.Fatal(err)
	}
	db, err := exchange.Create(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = exchange.Open(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	first, err := publish.Run(ctx, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var alerts []scheduler.Alert
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a scheduler.Alert
		json.NewDecoder(r.Body).Decode(&a)
		mu.Lock()
		alerts = append(alerts, a)
		mu.Unlock()
	}))
	defer hook.Close()

	for _, tc := range []struct{ dsn, outcome string }{
		{"postgres://xinyong@127.0.0.1:1/none?connect_timeout=3", scheduler.Failed},
		{empty, scheduler.Refused},
		{small, scheduler.Refused},
	} {
		c := defaultConfig()
		c.DB, c.Data, c.Webhook = tc.dsn, data, hook.URL
		s, err := scheduler.New(scheduler.Options{State: filepath.Join(data, "state.db"), Webhook: hook.URL, Now: e.now},
			e.publishJob(&c, log))
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.RunNow(ctx, scheduler.ByHand)
		s.Stop(ctx)
		if err == nil || r == nil || r.Outcome != tc.outcome {
			t.Errorf("%s: run %+v, error %v; want %s", tc.dsn, r, err, tc.outcome)
		}
		if _, id, _ := publish.Current(data); id != first.ID {
			t.Errorf("%s: current is %s, want %s", tc.dsn, id, first.ID)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(alerts) != 3 || alerts[0].Event != "publication_failed" || alerts[1].Event != "publication_refused" ||
		alerts[2].Event != "publication_refused" {
		t.Errorf("alerts: %+v", alerts)
	}
	ids, _ := publish.List(data)
	if len(ids) != 1 {
		t.Errorf("releases %v, want only the first", ids)
	}
}
