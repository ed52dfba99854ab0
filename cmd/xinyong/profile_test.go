package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestStartProfile_Trace: with XINYONG_TRACE set, a command writes an execution trace to
// <prefix>.<command>.<pid> (and no CPU profile unless XINYONG_CPUPROFILE is set too); without it, nothing.
func TestStartProfile_Trace(t *testing.T) {
	dir := t.TempDir()
	prefix := filepath.Join(dir, "t")
	env := map[string]string{"XINYONG_TRACE": prefix}
	stop := startProfile(func(k string) string { return env[k] }, "build")
	stop()
	b, err := os.ReadFile(fmt.Sprintf("%s.build.%d", prefix, os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("go 1.")) {
		t.Errorf("trace file starts %q, want a Go execution trace's header", b[:min(len(b), 16)])
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 1 {
		t.Errorf("files written %q, want the trace only", files)
	}
	stop = startProfile(func(string) string { return "" }, "build")
	stop()
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 1 {
		t.Errorf("files written without the variables: %q", files)
	}
}
