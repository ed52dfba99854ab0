package publish_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"xinyong/publish"
)

// scratchKills is how many runs TestRun_KilledLeavesNoScratch kills.
const scratchKills = 10

// TestRun_KilledLeavesNoScratch kills `xinyong run` (the real binary) with SIGKILL at random moments,
// scratchKills times, with TMPDIR pointed at a fresh directory: Hugo's working directory and every scratch
// file of a run live in the run's staging directory, so TMPDIR stays empty; and the next run, which
// removes the unfinished staging directories, succeeds and leaves none.
func TestRun_KilledLeavesNoScratch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it a dozen times")
	}
	seed := crashSeed(t)
	t.Logf("seed %d (XINYONG_CRASH_SEED=%d replays it)", seed, seed)
	h := newCrashHarness(t)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // inherited by the runs (crashHarness.command) and their child builds
	start := time.Now()
	h.finishedRun(t)
	normal := time.Since(start)
	h.steps = loggedSteps(t, h.lastLog()) // what killedRun reports the phase of a kill by
	checkEmpty(t, tmp, "after a finished run")
	rng := rand.New(rand.NewPCG(seed, 0))
	for range scratchKills {
		delay := time.Duration(rng.Int64N(int64(normal)))
		h.killedRun(t, func(string) { time.Sleep(delay) })
		checkEmpty(t, tmp, "after a run killed at "+delay.Round(time.Millisecond).String())
	}
	h.finishedRun(t) // fails if a staging directory is left
	checkEmpty(t, tmp, "after the last run")
	if left, _ := filepath.Glob(filepath.Join(h.data, publish.ReleasesDir, "*", publish.ScratchDir)); len(left) > 0 {
		t.Errorf("scratch directories left in releases: %v", left)
	}
}

// checkEmpty fails the test if dir holds anything.
func checkEmpty(t *testing.T, dir, when string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) > 0 {
		t.Errorf("%s: TMPDIR holds %v, want nothing", when, names)
	}
}
