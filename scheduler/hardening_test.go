package scheduler_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"xinyong/scheduler"
)

// hook is a webhook that collects the alerts posted to it.
type hook struct {
	mu     sync.Mutex
	alerts []scheduler.Alert
	url    string
}

func newHook(t *testing.T) *hook {
	t.Helper()
	h := &hook{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a scheduler.Alert
		json.NewDecoder(r.Body).Decode(&a)
		h.mu.Lock()
		h.alerts = append(h.alerts, a)
		h.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	h.url = srv.URL
	return h
}

func (h *hook) events() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ev []string
	for _, a := range h.alerts {
		ev = append(ev, a.Event+"/"+a.Run.Cause)
	}
	return ev
}

// deadPID is the pid of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestRunNow_NoticesInterruptedRuns: a run left without an end by a process that is gone (SIGKILL, a
// crash, a hang killed by systemd) is recorded as failed (interrupted) and alerted by the next run; one
// whose process is alive is left alone; an interrupted rollback is recorded but not alerted.
func TestRunNow_NoticesInterruptedRuns(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	st, err := scheduler.OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)
	dead, alive, rollback := &scheduler.Run{Trigger: scheduler.BySchedule, Start: t0, PID: deadPID(t)},
		&scheduler.Run{Trigger: scheduler.ByHand, Start: t0, PID: os.Getppid()},
		&scheduler.Run{Trigger: scheduler.ByRollback, Start: t0, PID: deadPID(t)}
	for _, r := range []*scheduler.Run{dead, alive, rollback} {
		if r.ID, err = st.Begin(r); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	h := newHook(t)
	s := newScheduler(t, scheduler.Options{State: state, Webhook: h.url}, publish)
	if _, err := s.RunNow(context.Background(), scheduler.ByHand); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]string{}
	for _, r := range runs {
		got[r.ID] = r.Outcome + "/" + r.Cause
	}
	want := map[int64]string{dead.ID: "failed/interrupted", alive.ID: "/", rollback.ID: "failed/interrupted", 4: "published/"}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("run %d: %q, want %q", id, got[id], w)
		}
	}
	if ev := h.events(); len(ev) != 1 || ev[0] != "publication_failed/interrupted" {
		t.Errorf("alerts %v, want one for the interrupted publication", ev)
	}
}

// TestRunNow_BusyTooLongAlerts: runs skipped as busy only warn, until publications have been kept from
// running for BusyAlertAfter: then each skipped run alerts (publication_blocked).
func TestRunNow_BusyTooLongAlerts(t *testing.T) {
	h := newHook(t)
	now := time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)
	busy := func(ctx context.Context, r *scheduler.Run) error { r.Outcome = scheduler.Busy; return nil }
	s := newScheduler(t, scheduler.Options{Webhook: h.url, BusyAlertAfter: 6 * time.Hour,
		Now: func() time.Time { return now }}, busy)
	var causes []string
	for _, step := range []time.Duration{0, 4 * time.Hour, 2 * time.Hour, time.Hour} {
		now = now.Add(step)
		r, err := s.RunNow(context.Background(), scheduler.BySchedule)
		if err != nil {
			t.Fatal(err)
		}
		causes = append(causes, r.Cause)
	}
	if got, want := strings.Join(causes, ","), ",,blocked,blocked"; got != want {
		t.Errorf("causes %q, want %q", got, want)
	}
	if ev := h.events(); len(ev) != 2 || ev[0] != "publication_blocked/blocked" {
		t.Errorf("alerts %v, want two publication_blocked", ev)
	}
}

// TestRunNow_AlertsWithoutState: when the state database cannot be created or written (a full disk), the
// run still fails loudly: the webhook gets the alert.
func TestRunNow_AlertsWithoutState(t *testing.T) {
	h := newHook(t)
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o644)
	ran := false
	s, err := scheduler.New(scheduler.Options{State: filepath.Join(blocker, "state.db"), Webhook: h.url},
		func(ctx context.Context, r *scheduler.Run) error { ran = true; return nil })
	if err != nil {
		t.Fatalf("New with an unusable state database: %v; want the runs to fail and alert instead", err)
	}
	defer s.Stop(context.Background())
	r, err := s.RunNow(context.Background(), scheduler.ByHand)
	if err == nil || r == nil || r.Outcome != scheduler.Failed || r.Cause != scheduler.CauseState {
		t.Errorf("run %+v, %v; want failed (state)", r, err)
	}
	if ran {
		t.Error("the job ran without a run record")
	}
	if ev := h.events(); len(ev) != 1 || ev[0] != "publication_failed/state" {
		t.Errorf("alerts %v", ev)
	}
}

// TestRunNow_RedactsAndClassifies: the error is redacted before it is recorded and posted, and the
// cause comes from Classify.
func TestRunNow_RedactsAndClassifies(t *testing.T) {
	h := newHook(t)
	errDB := errors.New("connect to host=db password=SECRET")
	s := newScheduler(t, scheduler.Options{Webhook: h.url,
		Redact:   func(s string) string { return strings.ReplaceAll(s, "SECRET", "xxxxx") },
		Classify: func(err error) string { return scheduler.CauseDatabase }},
		func(ctx context.Context, r *scheduler.Run) error { return errDB })
	s.RunNow(context.Background(), scheduler.ByHand)
	runs, _ := s.Runs(1)
	if len(runs) != 1 || runs[0].Error != "connect to host=db password=xxxxx" || runs[0].Cause != scheduler.CauseDatabase {
		t.Errorf("recorded %+v", runs)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.alerts) != 1 || strings.Contains(h.alerts[0].Run.Error, "SECRET") {
		t.Errorf("alerts %+v", h.alerts)
	}
}

// TestOpenState_OldDatabase: a state database made before runs had a cause and a pid is upgraded in place.
func TestOpenState_OldDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, trigger TEXT NOT NULL, start TEXT NOT NULL,
		end TEXT, outcome TEXT, release TEXT, as_of TEXT, red INTEGER NOT NULL DEFAULT 0, black INTEGER NOT NULL DEFAULT 0,
		cases INTEGER NOT NULL DEFAULT 0, error TEXT);
		INSERT INTO runs (trigger, start, end, outcome, error) VALUES ('manual', '2026-06-15T02:00:00Z', '2026-06-15T02:01:00Z', 'failed', 'x')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := scheduler.OpenState(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Latest(5)
	if err != nil || len(runs) != 1 || runs[0].Outcome != scheduler.Failed || runs[0].Cause != "" {
		t.Errorf("runs %+v, %v", runs, err)
	}
}
