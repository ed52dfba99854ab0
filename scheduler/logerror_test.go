package scheduler_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"xinyong/scheduler"
)

// lockedBuffer is a bytes.Buffer safe for the scheduler's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRun_ErrorLoggedOnce: a failed run's error text appears once. RunNow returns it and logs an ALERT
// line without it (the caller prints it); a triggered run, whose error nobody returns, logs it once, in
// its ALERT line under the key "error".
func TestRun_ErrorLoggedOnce(t *testing.T) {
	const msg = "unable to open database file (14)"
	var logs lockedBuffer
	s := newScheduler(t, scheduler.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))},
		func(ctx context.Context, r *scheduler.Run) error { return errors.New(msg) })

	if _, err := s.RunNow(context.Background(), scheduler.ByHand); err == nil || !strings.Contains(err.Error(), msg) {
		t.Fatalf("RunNow returned %v, want the error", err)
	}
	if got := logs.String(); strings.Contains(got, msg) || strings.Count(got, "ALERT") != 1 {
		t.Errorf("RunNow logged, want one ALERT line without the returned error:\n%s", got)
	}

	before := len(logs.String())
	s.Trigger(scheduler.ByHand)
	var got string
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if got = logs.String()[before:]; strings.Contains(got, "ALERT") {
			break
		}
	}
	time.Sleep(50 * time.Millisecond) // a second line, if any, would follow at once
	got = logs.String()[before:]
	if strings.Count(got, msg) != 1 || !strings.Contains(got, `error="`+msg+`"`) {
		t.Errorf("a triggered run logged its error %d times, want once under the key error:\n%s", strings.Count(got, msg), got)
	}
}
