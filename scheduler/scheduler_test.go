package scheduler_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"xinyong"
	"xinyong/scheduler"
)

func newScheduler(t *testing.T, opt scheduler.Options, job scheduler.Job) *scheduler.Scheduler {
	t.Helper()
	if opt.State == "" {
		opt.State = filepath.Join(t.TempDir(), "state.db")
	}
	s, err := scheduler.New(opt, job)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	return s
}

func publish(ctx context.Context, r *scheduler.Run) error {
	r.Outcome, r.Release, r.Red, r.Black = scheduler.Published, "R1", 10, 5
	return nil
}

func TestRunNow_RecordsRuns(t *testing.T) {
	s := newScheduler(t, scheduler.Options{}, publish)
	r, err := s.RunNow(context.Background(), scheduler.ByHand)
	if err != nil || r.Outcome != scheduler.Published {
		t.Fatalf("run: %+v %v", r, err)
	}
	runs, err := s.Runs(10)
	if err != nil || len(runs) != 1 || runs[0].Release != "R1" || runs[0].Red != 10 || runs[0].End.IsZero() {
		t.Fatalf("runs %+v %v", runs, err)
	}
}

func TestRunNow_NeverTwoAtOnce(t *testing.T) {
	started, finish := make(chan struct{}), make(chan struct{})
	s := newScheduler(t, scheduler.Options{}, func(ctx context.Context, r *scheduler.Run) error {
		close(started)
		<-finish
		return publish(ctx, r)
	})
	done := make(chan error)
	go func() { _, err := s.RunNow(context.Background(), scheduler.ByHand); done <- err }()
	<-started
	if _, err := s.RunNow(context.Background(), scheduler.ByHand); !errors.Is(err, scheduler.ErrRunning) {
		t.Errorf("second run: %v, want ErrRunning", err)
	}
	close(finish)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestFailureAlerts: a failing job, a refused one and a panicking one are recorded and posted to the webhook.
func TestFailureAlerts(t *testing.T) {
	var alerts []scheduler.Alert
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a scheduler.Alert
		if err := json.NewDecoder(r.Body).Decode(&a); err != nil {
			t.Errorf("alert body: %v", err)
		}
		alerts = append(alerts, a)
	}))
	defer hook.Close()
	jobs := []scheduler.Job{
		func(ctx context.Context, r *scheduler.Run) error { return errors.New("database unreachable") },
		func(ctx context.Context, r *scheduler.Run) error {
			r.Outcome = scheduler.Refused
			return errors.New("guard")
		},
		func(ctx context.Context, r *scheduler.Run) error { panic("bug") },
	}
	i := 0
	s := newScheduler(t, scheduler.Options{Webhook: hook.URL}, func(ctx context.Context, r *scheduler.Run) error {
		defer func() { i++ }()
		return jobs[i](ctx, r)
	})
	for range jobs {
		if _, err := s.RunNow(context.Background(), scheduler.ByHand); err == nil {
			t.Error("a failing run returned no error")
		}
	}
	runs, _ := s.Runs(10)
	want := []string{scheduler.Failed, scheduler.Refused, scheduler.Failed}
	for j, r := range runs {
		if r.Outcome != want[len(want)-1-j] || r.Error == "" {
			t.Errorf("run %d: %+v", r.ID, r)
		}
	}
	if len(alerts) != 3 || alerts[0].Event != "publication_failed" || alerts[1].Event != "publication_refused" ||
		alerts[0].Run.Error != "database unreachable" {
		t.Errorf("alerts %+v", alerts)
	}
}

// TestCatchUp: a run missed while the process was down is made up at start; an up-to-date one is not.
func TestCatchUp(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, xinyong.Shanghai)
	clock := func() time.Time { return now }
	var runs atomic.Int32
	job := func(ctx context.Context, r *scheduler.Run) error { runs.Add(1); return publish(ctx, r) }

	// Last success yesterday 02:05: today's 02:00 was missed.
	old := now.Add(-32 * time.Hour)
	s := newScheduler(t, scheduler.Options{State: state, Now: func() time.Time { return old }}, job)
	s.RunNow(context.Background(), scheduler.BySchedule)
	s.Stop(context.Background())
	runs.Store(0)

	s = newScheduler(t, scheduler.Options{State: state, Now: clock}, job)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return runs.Load() == 1 })
	s.Stop(context.Background())

	// Now the last success is after 02:00: nothing to make up.
	s = newScheduler(t, scheduler.Options{State: state, Now: clock}, job)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if n := runs.Load(); n != 1 {
		t.Errorf("%d runs, want no catch-up run", n)
	}
}

// TestScheduleFiresAndStopCancels: the cron schedule runs the job; Stop cancels a running job and waits.
func TestScheduleFiresAndStopCancels(t *testing.T) {
	var runs atomic.Int32
	canceled := make(chan struct{})
	s := newScheduler(t, scheduler.Options{Spec: "@every 1s"}, func(ctx context.Context, r *scheduler.Run) error {
		if runs.Add(1) == 1 {
			return publish(ctx, r)
		}
		<-ctx.Done() // the second run is still going when Stop comes
		close(canceled)
		return ctx.Err()
	})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return runs.Load() >= 2 })
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-canceled:
	default:
		t.Error("Stop returned before the running job ended")
	}
}

func TestBadSpec(t *testing.T) {
	_, err := scheduler.New(scheduler.Options{Spec: "every night", State: filepath.Join(t.TempDir(), "s.db")}, publish)
	if err == nil {
		t.Fatal("a bad cron expression was accepted")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
