package main

import (
	"fmt"
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
	prefix := getenv("XINYONG_TRACE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%s.%d", prefix, cmd, os.Getpid()))
	if err != nil {
		return func() {}
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		trace.Stop()
		f.Close()
	}
}

func startCPUProfile(getenv func(string) string, cmd string) func() {
	prefix := getenv("XINYONG_CPUPROFILE")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%s.%d", prefix, cmd, os.Getpid()))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
