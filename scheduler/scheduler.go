// Package scheduler runs the nightly publication on a cron schedule: never two at once (a mutex in the
// process, the data directory's lock across processes), every run recorded in a small state database,
// failures logged loudly and posted to an alert webhook, missed runs caught up at start, and a run that can
// be triggered at once (a fast take-down after a repair or an objection).
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"

	"xinyong"
)

// DefaultSpec is the default schedule: every night at 02:00 Asia/Shanghai.
const DefaultSpec = "0 2 * * *"

// Outcomes of a run.
const (
	Published = "published" // a new release is current
	Unchanged = "unchanged" // nothing public changed: nothing published
	Refused   = "refused"   // the guard, or an as-of date after today, refused: nothing published
	Busy      = "busy"      // another run held the lock: skipped
	Failed    = "failed"    // an error: nothing published

	// The outcomes of a rollback (trigger ByRollback), which is recorded beside the publications but is
	// none: it never counts as the last successful publication.
	RolledBack      = "rolled-back"      // another release is current; Release names it
	RollbackRefused = "rollback-refused" // it would publish again what was taken down since: nothing switched
)

// Causes of a failed, refused or blocked run (Run.Cause): what the public status page says instead of the
// error, which may name hosts, users and paths and is for the operator (logs, xinyong status).
const (
	CauseDatabase    = "database"    // the exchange database did not answer
	CauseExport      = "export"      // reading the records failed
	CauseDisk        = "disk"        // no space left, before or during the run
	CauseBuild       = "build"       // the site did not build
	CauseTimeout     = "timeout"     // the build did not finish within its deadline and was killed
	CauseIndex       = "index"       // the search index did not build
	CauseRefused     = "refused"     // the guard, or an as-of date after today
	CauseInterrupted = "interrupted" // cancelled, or its process ended without finishing (killed, crashed)
	CauseBlocked     = "blocked"     // skipped as busy while the lock has been held too long
	CauseState       = "state"       // the run history (state.db) cannot be written
	CauseError       = "error"       // anything else
)

// Alert events.
const (
	EventFailed  = "publication_failed"
	EventRefused = "publication_refused"
	EventBlocked = "publication_blocked" // runs skipped as busy for longer than Options.BusyAlertAfter
)

// Triggers of a run.
const (
	BySchedule = "schedule"
	ByCatchUp  = "catch-up"
	ByHand     = "manual"
	ByRollback = "rollback" // xinyong rollback
)

// Run is one recorded run.
type Run struct {
	ID      int64     `json:"id"`
	Trigger string    `json:"trigger"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Outcome string    `json:"outcome"`
	Release string    `json:"release,omitempty"`
	AsOf    string    `json:"as_of,omitempty"`
	Red     int       `json:"red"`
	Black   int       `json:"black"`
	Cases   int       `json:"cases"`
	Error   string    `json:"error,omitempty"` // for the operator: may name hosts, users and paths (never secrets)
	Cause   string    `json:"cause,omitempty"` // Cause*: what the public may see of a failure
	PID     int       `json:"pid,omitempty"`   // the process that ran it
}

// Job runs one publication and fills in the outcome, release and counts of r (Start, End and Trigger are
// the scheduler's). It must stop cleanly, publishing nothing, when ctx is cancelled.
type Job func(ctx context.Context, r *Run) error

// Options configure a Scheduler.
type Options struct {
	Spec     string // cron expression (5 fields), in Location; "" for DefaultSpec
	Location *time.Location
	State    string // path of the state database (SQLite)
	Webhook  string // URL to POST an alert to when a run fails or is refused; "" for none
	Logger   *slog.Logger
	Now      func() time.Time

	// Redact hides secrets in error text before it is logged, recorded or posted (exchange.RedactDSN);
	// nil leaves the text as it is.
	Redact func(string) string
	// Classify names the cause (Cause*) of a failed run from its error; "" (or a nil Classify) leaves it to
	// the scheduler: CauseDisk for ENOSPC, CauseInterrupted for a cancelled run, else CauseError.
	Classify func(error) string
	// BusyAlertAfter: a run skipped as busy alerts (EventBlocked) once publications have been kept from
	// running this long; 0 never alerts.
	BusyAlertAfter time.Duration
}

// Scheduler runs a Job on a schedule and on demand.
type Scheduler struct {
	opt      Options
	job      Job
	schedule cron.Schedule
	cron     *cron.Cron
	stateMu  sync.Mutex
	state    *State // nil until it could be opened
	log      *slog.Logger
	alert    *alerter

	mu      sync.Mutex // held while a job runs
	ctx     context.Context
	cancel  context.CancelFunc
	running sync.WaitGroup
}

// New parses the schedule and opens the state database.
func New(opt Options, job Job) (*Scheduler, error) {
	if opt.Spec == "" {
		opt.Spec = DefaultSpec
	}
	if opt.Location == nil {
		opt.Location = xinyong.Shanghai
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	sched, err := cron.ParseStandard(opt.Spec)
	if err != nil {
		return nil, fmt.Errorf(xinyong.MsgScheduleBadSpec, opt.Spec, err)
	}
	if opt.Redact == nil {
		opt.Redact = func(s string) string { return s }
	}
	log := opt.Logger.With("component", "scheduler")
	s := &Scheduler{opt: opt, job: job, schedule: sched, log: log, alert: &alerter{url: opt.Webhook, log: log}}
	// A state database that cannot be opened (a full disk) must not stop the alerts: each run tries again,
	// and fails loudly.
	s.state, _ = OpenState(opt.State)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// Start starts the schedule. If the last successful run is older than the latest scheduled time (the
// process was down, or the run failed), a catch-up run starts at once.
func (s *Scheduler) Start() error {
	s.cron = cron.New(cron.WithLocation(s.opt.Location), cron.WithChain(cron.Recover(cronLogger{s.log})))
	s.cron.Schedule(s.schedule, cron.FuncJob(func() { s.runLogged(BySchedule) }))
	s.cron.Start()
	due, err := s.catchUpDue()
	if err != nil {
		return err
	}
	if due {
		s.log.Warn("the last successful publication is older than the schedule: publishing now")
		s.Trigger(ByCatchUp)
	}
	return nil
}

// Next is the next scheduled time.
func (s *Scheduler) Next() time.Time {
	return s.schedule.Next(s.opt.Now().In(s.opt.Location))
}

// catchUpDue reports whether the latest scheduled time before now has no successful run after it.
func (s *Scheduler) catchUpDue() (bool, error) {
	now := s.opt.Now().In(s.opt.Location)
	prev := previous(s.schedule, now)
	if prev.IsZero() {
		return false, nil
	}
	st, err := s.openState()
	if err != nil {
		return true, nil // the run that catches up fails on it, and alerts
	}
	last, err := st.LastSuccess()
	if err != nil {
		return false, err
	}
	return last.IsZero() || last.Before(prev), nil
}

// previous is the latest activation of sched at or before now (within 400 days), or zero.
func previous(sched cron.Schedule, now time.Time) time.Time {
	var prev time.Time
	for t := sched.Next(now.AddDate(0, 0, -400)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		prev = t
	}
	return prev
}

// Trigger starts a run now in the background unless one is running (then the request is recorded as
// skipped: the running publication already reads the latest data... or is about to).
func (s *Scheduler) Trigger(trigger string) {
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		s.runLogged(trigger)
	}()
}

// runLogged runs the job for a trigger that has no caller to return the error to (the schedule, a catch-up,
// SIGUSR1): its ALERT line carries the error, logged there once.
func (s *Scheduler) runLogged(trigger string) {
	s.runNow(s.ctx, trigger, true)
}

// ErrRunning is returned by RunNow when a run is already in progress in this process.
var ErrRunning = errors.New(xinyong.MsgScheduleRunning)

// RunNow runs the job once, synchronously, records it and alerts on failure. It returns ErrRunning at
// once if a run is in progress in this process. Runs that an earlier process left unfinished (killed,
// crashed) are recorded as failed first, and alerted. The alert does not depend on the state database:
// it is logged and posted before the run is recorded, and also when the run cannot be recorded at all.
//
// The error is returned, not logged: the ALERT line of a failed run names the run, its trigger and cause,
// and the caller reports the error itself (once, e.g. `xinyong run` on stderr). The webhook and the run
// history get the full, redacted error.
func (s *Scheduler) RunNow(ctx context.Context, trigger string) (*Run, error) {
	return s.runNow(ctx, trigger, false)
}

// runNow is RunNow; logErr puts the error in the ALERT line, for runs whose error nobody returns.
func (s *Scheduler) runNow(ctx context.Context, trigger string, logErr bool) (*Run, error) {
	if !s.mu.TryLock() {
		s.log.Info("a run is in progress: not starting another", "trigger", trigger)
		return nil, ErrRunning
	}
	defer s.mu.Unlock()
	r := &Run{Trigger: trigger, Start: s.opt.Now(), PID: os.Getpid()}
	st, err := s.openState()
	if err == nil {
		r.ID, err = st.Begin(r)
	}
	if err != nil {
		err = fmt.Errorf("record the run in the run history: %w", err)
		r.End, r.Outcome = s.opt.Now(), Failed
		s.setError(r, err)
		if r.Cause == CauseError {
			r.Cause = CauseState
		}
		s.report(nil, r, logErr)
		return r, err
	}
	s.noticeUnfinished(st, r)
	jobErr := s.call(ctx, r)
	r.End = s.opt.Now()
	if jobErr != nil {
		if r.Outcome == "" || r.Outcome == Published || r.Outcome == Unchanged {
			r.Outcome = Failed
		}
		s.setError(r, jobErr)
	} else if r.Outcome == "" {
		r.Outcome = Published
	}
	s.report(st, r, logErr)
	if err := st.Finish(r); err != nil {
		s.log.Error("ALERT: cannot record the run in the run history", "run", r.ID, "error", s.opt.Redact(err.Error()))
	}
	return r, jobErr
}

// setError records err, redacted, and its cause in r.
func (s *Scheduler) setError(r *Run, err error) {
	r.Error = s.opt.Redact(err.Error())
	if r.Cause != "" {
		return
	}
	if s.opt.Classify != nil {
		r.Cause = s.opt.Classify(err)
	}
	if r.Cause == "" {
		r.Cause = classify(err)
	}
}

// classify is the scheduler's own guess at the cause of a failure.
func classify(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return CauseDisk
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return CauseInterrupted
	}
	return CauseError
}

// report logs the outcome of r and posts the alert it calls for. st, when not nil, tells how long
// publications have been blocked for a busy run. With logErr the log line carries r.Error; without, the
// caller reports the error that it is returned.
func (s *Scheduler) report(st *State, r *Run, logErr bool) {
	switch {
	case (r.Outcome == Failed || r.Outcome == Refused) && r.Trigger != ByRollback:
		// Loud: an operator must look. The current site stays as it was.
		kv := []any{"run", r.ID, "trigger", r.Trigger, "cause", r.Cause}
		if logErr {
			kv = append(kv, "error", r.Error)
		}
		s.log.Error("ALERT: publication "+r.Outcome, kv...)
		event := EventFailed
		if r.Outcome == Refused {
			event = EventRefused
		}
		s.alert.send(event, r)
	case r.Outcome == Busy:
		var since time.Time
		if st != nil && s.opt.BusyAlertAfter > 0 {
			since, _ = st.BusySince(r)
		}
		if !since.IsZero() && r.Start.Sub(since) >= s.opt.BusyAlertAfter {
			// The lock has been held for hours: a publication hangs, and take-downs are not published.
			r.Cause = CauseBlocked
			s.log.Error("ALERT: publications blocked: another process has held the data directory's lock since "+
				since.Format(time.RFC3339), "run", r.ID, "trigger", r.Trigger, "blocked", r.Start.Sub(since).Round(time.Minute))
			s.alert.send(EventBlocked, r)
			return
		}
		s.log.Warn("another process is publishing: run skipped", "run", r.ID)
	case r.Outcome == Failed || r.Outcome == Refused:
		kv := []any{"run", r.ID}
		if logErr {
			kv = append(kv, "error", r.Error)
		}
		s.log.Warn("rollback "+r.Outcome, kv...)
	default:
		s.log.Info("run", "run", r.ID, "trigger", r.Trigger, "outcome", r.Outcome, "release", r.Release,
			"duration", r.End.Sub(r.Start).Round(time.Millisecond))
	}
}

// noticeUnfinished records as failed (CauseInterrupted) every run other than self that has no end and
// whose process is gone: killed, crashed, or the machine restarted. A run of this process other than self
// cannot be in progress (runs are serialized), so its record is left over from an earlier process that had
// the same pid (a container's pid 1).
func (s *Scheduler) noticeUnfinished(st *State, self *Run) {
	runs, err := st.Unfinished()
	if err != nil {
		s.log.Error("read the unfinished runs", "error", err)
		return
	}
	for _, u := range runs {
		if u.ID == self.ID || (u.PID != 0 && u.PID != self.PID && processAlive(u.PID)) {
			continue
		}
		u.End, u.Outcome, u.Cause = s.opt.Now(), Failed, CauseInterrupted
		u.Error = fmt.Sprintf("the run never finished: its process (pid %d) ended without recording an outcome "+
			"(killed, crashed or the machine restarted); noticed by run %d", u.PID, self.ID)
		s.report(st, &u, true) // nobody returns this error: the line carries it
		if err := st.Finish(&u); err != nil {
			s.log.Error("record an interrupted run", "run", u.ID, "error", err)
		}
	}
}

// processAlive reports whether a process with this pid exists.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// openState returns the state database, opening it if an earlier attempt failed.
func (s *Scheduler) openState() (*State, error) {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if s.state != nil {
		return s.state, nil
	}
	st, err := OpenState(s.opt.State)
	if err != nil {
		return nil, err
	}
	s.state = st
	return st, nil
}

// call runs the job, turning a panic into an error: a bug must fail one run, not the process.
func (s *Scheduler) call(ctx context.Context, r *Run) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return s.job(ctx, r)
}

// Runs returns the latest n runs, newest first.
func (s *Scheduler) Runs(n int) ([]Run, error) {
	st, err := s.openState()
	if err != nil {
		return nil, err
	}
	return st.Latest(n)
}

// Stop stops the schedule, cancels a running job (which stops cleanly, publishing nothing) and waits for it,
// at most until ctx ends; then it closes the state database.
func (s *Scheduler) Stop(ctx context.Context) error {
	if s.cron != nil {
		s.cron.Stop()
	}
	s.cancel()
	done := make(chan struct{})
	go func() {
		s.mu.Lock() // the running job, if any, has returned
		s.mu.Unlock()
		s.running.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if s.state == nil {
		return nil
	}
	return s.state.Close()
}

// cronLogger adapts slog to cron.Logger for cron.Recover: a panicking job is logged, not fatal.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("ALERT: "+msg, append(kv, "error", err)...)
}
