package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile starts a CPU profile when XINYONG_CPUPROFILE names a file prefix: the profile of one
// command is written to <prefix>.<command>.<pid>, so that a publication's child build writes its own. It
// is for the benchmarks of docs/benchmarks.md; the returned function stops the profile.
func startProfile(getenv func(string) string, cmd string) func() {
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
