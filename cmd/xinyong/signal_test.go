package main

import (
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestOnSIGUSR1 checks that SIGUSR1 triggers until stop, and not after: the registration must not outlive
// the scheduler.
func TestOnSIGUSR1(t *testing.T) {
	// Keep a SIGUSR1 sent after stop from killing the test binary, and see that it arrives here instead.
	other := make(chan os.Signal, 1)
	signal.Notify(other, syscall.SIGUSR1)
	t.Cleanup(func() { signal.Stop(other) })

	triggered := make(chan struct{}, 10)
	var calls atomic.Int32
	stop := onSIGUSR1(func() {
		calls.Add(1)
		triggered <- struct{}{}
	})
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case <-triggered:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGUSR1 before stop: trigger not called")
	}
	<-other

	stop()
	stop() // a second stop is harmless
	if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	select {
	case <-other:
	case <-time.After(10 * time.Second):
		t.Fatal("SIGUSR1 after stop did not arrive")
	}
	if got := calls.Load(); got != 1 {
		t.Errorf("trigger called %d times, want 1 (once before stop, none after)", got)
	}
}
