package publish_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"xinyong"
	"xinyong/publish"
	"xinyong/search"
	"xinyong/server"
)

// Settings of TestRun_SurvivesSIGKILL.
const (
	crashKills   = 60  // runs killed
	crashEvery   = 10  // a run left to finish after every crashEvery kills
	crashEntries = 300 // entries of the demo database
	crashQuery   = "公司"
)

// crashAsOf is the demo database's date; each run publishes a later day, so that every release differs.
var crashAsOf = xinyong.NewDate(2026, 6, 15)

// TestRun_SurvivesSIGKILL kills `xinyong run` (the real binary, in a child process) with SIGKILL at random
// moments across its steps, crashKills times. After each kill the current release is exactly the previous
// one or the one the killed run was making, complete: its manifest, its site and its search index, and
// server serves it. After every crashEvery kills a run is left to finish: it succeeds and leaves no
// staging directory behind. XINYONG_CRASH_SEED replays a seed the log printed.
func TestRun_SurvivesSIGKILL(t *testing.T) {
	seed := crashSeed(t)
	t.Logf("seed %d (XINYONG_CRASH_SEED=%d replays it)", seed, seed)
	h := newCrashHarness(t)
	normal, publishTime := h.normalDuration(t)
	t.Logf("a normal run takes %v, from the link step's end to the summary %v", normal, publishTime)
	rng := rand.New(rand.NewPCG(seed, 0))

	phases := map[string]int{}
	for i := range crashKills {
		phase := h.killedRun(t, killTimer(rng, i, normal, publishTime))
		phases[phase]++
		if (i+1)%crashEvery == 0 {
			h.finishedRun(t)
		}
	}
	h.finishedRun(t)
	t.Logf("where the %d kills landed: %s", crashKills, formatPhases(phases))
	if len(phases) < 4 {
		t.Errorf("the kills landed in only %d phases (%v): the random timing does not cover the run", len(phases), phases)
	}
}

// killTimer returns what waits, for the i-th run, until it is killed. For even i it is a random time within
// 1.2 times a normal run, so that kills land in every step in proportion to its time. For odd i it waits
// until the run's log shows the step before publish done and then a random time within 1.5 times what a normal run
// takes from there to its summary line, so that many kills land in the publish step: around the rename
// and the switch of current, and while old releases are pruned.
func killTimer(rng *rand.Rand, i int, normal, publishTime time.Duration) func(log string) {
	if i%2 == 0 {
		delay := time.Duration(rng.Int64N(int64(normal) * 12 / 10))
		return func(string) { time.Sleep(delay) }
	}
	delay := time.Duration(rng.Int64N(int64(max(publishTime, time.Millisecond)) * 3 / 2))
	return func(log string) {
		waitForLog(log, "step="+beforePublish, 3*normal)
		time.Sleep(delay)
	}
}

// waitForLog polls the log file until it holds marker, or at most timeout.
func waitForLog(log, marker string, timeout time.Duration) {
	for end := time.Now().Add(timeout); time.Now().Before(end); time.Sleep(time.Millisecond) {
		if b, err := os.ReadFile(log); err == nil && strings.Contains(string(b), marker) {
			return
		}
	}
}

// crashHarness holds the binary, the demo database and the data directory of one crash test, and what
// the test knows about the releases published so far.
type crashHarness struct {
	bin, db, data, logs string
	day                 int      // the as-of date of the latest run is crashAsOf plus day days
	steps               []string // the steps of a run in their order, as a finished run logged them
}

// newCrashHarness builds the binary, creates the demo database and publishes the first release.
func newCrashHarness(t *testing.T) *crashHarness {
	dir := t.TempDir()
	h := &crashHarness{bin: filepath.Join(dir, "xinyong"), db: filepath.Join(dir, "exchange.db"),
		data: filepath.Join(dir, "data"), logs: filepath.Join(dir, "logs")}
	if err := os.Mkdir(h.logs, 0o755); err != nil {
		t.Fatal(err)
	}
	build := exec.Command(goTool(), "build", "-buildvcs=false", "-o", h.bin, "xinyong/cmd/xinyong")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	demo := h.command("demo", "--db", h.db, "--entries", strconv.Itoa(crashEntries), "--as-of", crashAsOf.String())
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("xinyong demo: %v\n%s", err, out)
	}
	h.finishedRun(t)
	return h
}

// goTool returns the go command of the toolchain running the test.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); pathExists(p) {
		return p
	}
	return "go"
}

func pathExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// crashSeed returns XINYONG_CRASH_SEED, or a new seed.
func crashSeed(t *testing.T) uint64 {
	if s := os.Getenv("XINYONG_CRASH_SEED"); s != "" {
		seed, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("XINYONG_CRASH_SEED: %v", err)
		}
		return seed
	}
	return uint64(time.Now().UnixNano())
}

// command returns the binary with args, in an environment without XINYONG_* variables.
func (h *crashHarness) command(args ...string) *exec.Cmd {
	cmd := exec.Command(h.bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XINYONG_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	return cmd
}

// runCommand returns `xinyong run` publishing the next day, its stderr (text logs) going to a file.
func (h *crashHarness) runCommand(t *testing.T) (cmd *exec.Cmd, asOf string, log string) {
	h.day++
	asOf = crashAsOf.AddDays(h.day).String()
	log = h.lastLog()
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cmd = h.command("run", "--db", h.db, "--data", h.data, "--force", "--as-of", asOf, "--log-format", "text")
	cmd.Stdout, cmd.Stderr = f, f
	return cmd, asOf, log
}

// normalDuration times three finished runs, each linking from the one before, and returns the shortest
// run (as a process) and the longest time from the end of the link step to the summary line (the publish
// step and the pruning; release.json does not record the publish step, which writes it).
func (h *crashHarness) normalDuration(t *testing.T) (run, publishTime time.Duration) {
	run = time.Hour
	for range 3 {
		start := time.Now()
		h.finishedRun(t)
		run = min(run, time.Since(start))
		linked := logTime(t, h.lastLog(), "step="+beforePublish)
		published := logTime(t, h.lastLog(), "msg=published")
		publishTime = max(publishTime, published.Sub(linked))
	}
	h.steps = loggedSteps(t, h.lastLog())
	if len(h.steps) < 3 || h.steps[len(h.steps)-2] != beforePublish || h.steps[len(h.steps)-1] != publish.StepPublish {
		t.Fatalf("a finished run logged the steps %v; want ..., %s, %s", h.steps, beforePublish, publish.StepPublish)
	}
	return run, publishTime
}

// lastLog returns the log file of the latest run.
func (h *crashHarness) lastLog() string {
	return filepath.Join(h.logs, fmt.Sprintf("run-%03d.log", h.day))
}

// logTime returns the time of the first line of a text log that holds marker.
func logTime(t *testing.T, log, marker string) time.Time {
	t.Helper()
	for line := range strings.Lines(readLog(t, log)) {
		if !strings.Contains(line, marker) {
			continue
		}
		if v, ok := strings.CutPrefix(strings.Fields(line)[0], "time="); ok {
			if at, err := time.Parse(time.RFC3339Nano, v); err == nil {
				return at
			}
		}
	}
	t.Fatalf("%s: no timed line with %q", log, marker)
	return time.Time{}
}

// finishedRun runs `xinyong run` to the end: it must succeed, publish the day it was given, remove every
// unfinished staging directory, and leave a complete current release, whose manifest it returns.
func (h *crashHarness) finishedRun(t *testing.T) *publish.Manifest {
	t.Helper()
	cmd, asOf, log := h.runCommand(t)
	if err := cmd.Run(); err != nil {
		out, _ := os.ReadFile(log)
		t.Fatalf("run to completion (as of %s): %v\n%s", asOf, err, out)
	}
	_, id, err := publish.Current(h.data)
	if err != nil {
		t.Fatal(err)
	}
	m := h.checkCurrent(t, id, "", asOf)
	if left := globData(t, h.data, filepath.Join(publish.ReleasesDir, ".tmp-*")); len(left) > 0 {
		t.Errorf("after a finished run, staging directories are left: %v", left)
	}
	// A run killed between creating its new link and renaming it over current leaves the link; the next
	// run removes it.
	if left := globData(t, h.data, ".current-*"); len(left) > 0 {
		t.Errorf("after a finished run, temporary links are left: %v", left)
	}
	return m
}

// killedRun starts `xinyong run`, kills it with SIGKILL when wait returns, checks what is served and
// returns the phase the run was in when killed.
func (h *crashHarness) killedRun(t *testing.T, wait func(log string)) string {
	t.Helper()
	_, prevID, err := publish.Current(h.data)
	if err != nil {
		t.Fatal(err)
	}
	before := releasesIn(t, h.data)
	cmd, asOf, log := h.runCommand(t)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	wait(log)
	finished := killRun(t, cmd, log)
	_, id, err := publish.Current(h.data)
	if err != nil {
		t.Fatalf("after a kill (as of %s): %v", asOf, err)
	}
	switch {
	case id == prevID:
		h.checkCurrent(t, id, prevID, "")
	case slices.Contains(before, id):
		t.Fatalf("after a kill (as of %s), current is %s, an older release than %s", asOf, id, prevID)
	default:
		h.checkCurrent(t, id, "", asOf)
	}
	after := h.checkListed(t)
	if finished {
		return "finished before the kill"
	}
	appeared := slices.ContainsFunc(after, func(id string) bool { return !slices.Contains(before, id) })
	return killedPhase(loggedSteps(t, log), h.steps, lastLine(t, log), id != prevID, appeared)
}

// killRun sends SIGKILL to the run and waits for it. It reports whether the run had finished (successfully)
// before the signal came, and fails the test if the run failed by itself.
func killRun(t *testing.T, cmd *exec.Cmd, log string) (finished bool) {
	t.Helper()
	cmd.Process.Signal(syscall.SIGKILL) // a run that has exited is a zombie until Wait: no error
	cmd.Wait()
	st := cmd.ProcessState
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return false
	}
	if !st.Success() {
		out, _ := os.ReadFile(log)
		t.Fatalf("run failed by itself: %v\n%s", st, out)
	}
	return true
}

// checkCurrent checks that id, the current release, is complete and served: either the previous release
// wantID, or a new release of the as-of date wantAsOf.
func (h *crashHarness) checkCurrent(t testing.TB, id, wantID, wantAsOf string) *publish.Manifest {
	t.Helper()
	dir := filepath.Join(h.data, publish.ReleasesDir, id)
	if strings.HasPrefix(id, ".") {
		t.Fatalf("current points at %s, a staging directory", id)
	}
	m, err := publish.ReadManifest(dir)
	if err != nil {
		t.Fatalf("current release %s: %v", id, err)
	}
	if m.ID != id || (wantID != "" && id != wantID) || (wantAsOf != "" && m.AsOf != wantAsOf) {
		t.Fatalf("current release %s: manifest of %s as of %s; want the release %q or one as of %q",
			id, m.ID, m.AsOf, wantID, wantAsOf)
	}
	if err := completeRelease(dir); err != nil {
		t.Fatalf("current release %s: %v", id, err)
	}
	if err := serves(h.data, id); err != nil {
		t.Fatalf("serving current release %s: %v", id, err)
	}
	return m
}

// completeRelease checks that a release directory holds a finished release: its site's home page, and
// a search index that passes the manifest's check and answers crashQuery.
func completeRelease(dir string) error {
	m, err := publish.ReadManifest(dir)
	if err != nil {
		return err
	}
	if !pathExists(filepath.Join(dir, publish.SiteDir, "index.html")) {
		return errors.New("no site/index.html")
	}
	if pathExists(filepath.Join(dir, "search-docs.jsonl")) {
		return errors.New("the search documents of the export are still there")
	}
	x, err := publish.OpenIndex(context.Background(), dir, m.IndexCheck)
	if err != nil {
		return err
	}
	defer x.Close()
	r, err := x.Search(context.Background(), search.Request{Q: crashQuery})
	if err != nil {
		return err
	}
	if r.Total == 0 {
		return fmt.Errorf("the index finds nothing for %q", crashQuery)
	}
	return nil
}

// serves opens the data directory with server and requests the home page and a search.
func serves(data, id string) error {
	s, err := server.New(data, server.Options{RateLimit: -1})
	if err != nil {
		return err
	}
	defer s.Close()
	if s.Release() != id {
		return fmt.Errorf("the server opened %s", s.Release())
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	for _, path := range []string{"/", "/api/search?q=" + crashQuery} {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", path, resp.Status)
		}
	}
	return nil
}

// checkListed checks what publish.List returns after a kill, and returns it: no staging directory, and
// no release without its manifest and home page (one half deleted by a killed prune, say).
func (h *crashHarness) checkListed(t *testing.T) []string {
	t.Helper()
	ids := releasesIn(t, h.data)
	for _, id := range ids {
		if strings.HasPrefix(id, ".") {
			t.Fatalf("publish.List lists %s", id)
		}
		dir := filepath.Join(h.data, publish.ReleasesDir, id)
		_, err := publish.ReadManifest(dir)
		if err == nil && !pathExists(filepath.Join(dir, publish.SiteDir, "index.html")) {
			err = errors.New("no site/index.html")
		}
		if err != nil {
			t.Errorf("publish.List lists %s, which is incomplete after a kill: %v", id, err)
		}
	}
	return ids
}

// globData returns the paths in the data directory that match pattern.
func globData(t testing.TB, data, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(data, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// killedPhase tells which phase a kill interrupted, from the steps the killed run logged as done (of all
// the steps of a run, in order), whether it logged its summary line, whether current had switched to its
// release, and whether its release had appeared under releases/. The publish step is split around its
// rename and its switch.
func killedPhase(done, steps []string, published, switched, appeared bool) string {
	last := ""
	if len(done) > 0 {
		last = done[len(done)-1]
	}
	switch {
	case published:
		return "publish: after pruning, exiting"
	case last == publish.StepPublish:
		return "publish: switched, pruning old releases"
	case switched:
		return "publish: switched, syncing the data directory"
	case appeared:
		return "publish: renamed, current not yet switched"
	case last == beforePublish:
		return "publish: manifest and syncfs, before the rename"
	case last == "":
		return "start or " + steps[0]
	}
	if i := slices.Index(steps, last); i >= 0 && i+1 < len(steps) {
		return steps[i+1]
	}
	return "after " + last
}

// beforePublish is the step before the last one, publish: the kills timed from its end land in the
// publish step.
var beforePublish = func() string { s := publish.Steps(); return s[len(s)-2].Name }()

// loggedSteps returns the steps a run's text log reports done, in order.
func loggedSteps(t *testing.T, log string) []string {
	t.Helper()
	var steps []string
	for line := range strings.Lines(readLog(t, log)) {
		if _, step, ok := strings.Cut(line, " step="); ok && strings.Contains(line, "msg=step ") {
			steps = append(steps, strings.Fields(step)[0])
		}
	}
	return steps
}

// lastLine reports whether a run's text log holds its summary line ("published").
func lastLine(t *testing.T, log string) bool {
	t.Helper()
	return strings.Contains(readLog(t, log), "msg=published")
}

func readLog(t *testing.T, log string) string {
	t.Helper()
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// formatPhases lists the counts of phases in the order of a run.
func formatPhases(phases map[string]int) string {
	keys := make([]string, 0, len(phases))
	for k := range phases {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n\t%3d  %s", phases[k], k)
	}
	return b.String()
}
