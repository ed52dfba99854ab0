package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile starts a CPU profile when XINYONG_CPUPROFILE names a file prefix, and an execution trace
// (runtime/trace: where goroutines wait) when XINYONG_TRACE does: the profile or trace of one command is
// written to <prefix>.<command>.<pid>, so that a publication's child build writes its own. It is for the
// benchmarks of docs/benchmarks.md; the returned function stops them.
func startProfile(getenv func(string) string, cmd string) func() {
	stopTrace := startTrace(getenv, cmd)
	stopCPU := startCPUProfile(getenv, cmd)
	return func() {
		stopCPU()
		stopTrace()
	}
}

func startTrace(getenv func(string) string, cmd string) func() {
	return startTo(getenv("XINYONG_TRACE"), cmd, trace.Start, trace.Stop)
}

func startCPUProfile(getenv func(string) string, cmd string) func() {
	return startTo(getenv("XINYONG_CPUPROFILE"), cmd, pprof.StartCPUProfile, pprof.StopCPUProfile)
}

// startTo starts writing to <prefix>.<command>.<pid> with start, when prefix is set; the returned function
// stops it with stop and closes the file.
func startTo(prefix, cmd string, start func(io.Writer) error, stop func()) func() {
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%s.%d", prefix, cmd, os.Getpid()))
	if err != nil {
		return func() {}
	}
	if err := start(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		stop()
		f.Close()
	}
}
