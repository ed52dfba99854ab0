package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// TestReadyLine: a build started with --wait-ready goes on at the parent's line, stops at the end of its
// input without it (the parent gave up) or at anything else, and when its context ends.
func TestReadyLine(t *testing.T) {
	if err := readyLine(strings.NewReader(readyText))(context.Background()); err != nil {
		t.Errorf("ready line: %v", err)
	}
	for _, in := range []string{"", "read", "ready", "go\n"} {
		if err := readyLine(strings.NewReader(in))(context.Background()); !errors.Is(err, errNotReady) {
			t.Errorf("input %q: %v, want errNotReady", in, err)
		}
	}
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := readyLine(r)(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("no input yet, context ended: %v, want context.DeadlineExceeded", err)
	}
}
