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
	"sync"
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
	Error   string    `json:"error,omitempty"`
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
}

// Scheduler runs a Job on a schedule and on demand.
type Scheduler struct {
	opt      Options
	job      Job
	schedule cron.Schedule
	cron     *cron.Cron
	state    *State
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
	st, err := OpenState(opt.State)
	if err != nil {
		return nil, err
	}
	log := opt.Logger.With("component", "scheduler")
	s := &Scheduler{opt: opt, job: job, schedule: sched, state: st, log: log,
		alert: &alerter{url: opt.Webhook, log: log}}
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
	last, err := s.state.LastSuccess()
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

func (s *Scheduler) runLogged(trigger string) {
	if _, err := s.RunNow(s.ctx, trigger); err != nil && !errors.Is(err, ErrRunning) {
		s.log.Error("run", "error", err)
	}
}

// ErrRunning is returned by RunNow when a run is already in progress in this process.
var ErrRunning = errors.New(xinyong.MsgScheduleRunning)

// RunNow runs the job once, synchronously, records it and alerts on failure. It returns ErrRunning at
// once if a run is in progress in this process.
func (s *Scheduler) RunNow(ctx context.Context, trigger string) (*Run, error) {
	if !s.mu.TryLock() {
		s.log.Info("a run is in progress: not starting another", "trigger", trigger)
		return nil, ErrRunning
	}
	defer s.mu.Unlock()
	r := &Run{Trigger: trigger, Start: s.opt.Now()}
	id, err := s.state.Begin(r)
	if err != nil {
		return nil, err
	}
	r.ID = id
	jobErr := s.call(ctx, r)
	r.End = s.opt.Now()
	if jobErr != nil {
		if r.Outcome == "" || r.Outcome == Published || r.Outcome == Unchanged {
			r.Outcome = Failed
		}
		r.Error = jobErr.Error()
	} else if r.Outcome == "" {
		r.Outcome = Published
	}
	if err := s.state.Finish(r); err != nil {
		s.log.Error("cannot record the run", "error", err)
	}
	switch r.Outcome {
	case Failed, Refused:
		// Loud: an operator must look. The current site stays as it was.
		s.log.Error("ALERT: publication "+r.Outcome, "run", r.ID, "trigger", trigger, "error", r.Error)
		s.alert.send(r)
	case Busy:
		s.log.Warn("another process is publishing: run skipped", "run", r.ID)
	default:
		s.log.Info("run", "run", r.ID, "trigger", trigger, "outcome", r.Outcome, "release", r.Release,
			"duration", r.End.Sub(r.Start).Round(time.Millisecond))
	}
	return r, jobErr
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
func (s *Scheduler) Runs(n int) ([]Run, error) { return s.state.Latest(n) }

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
	return s.state.Close()
}

// cronLogger adapts slog to cron.Logger for cron.Recover: a panicking job is logged, not fatal.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("ALERT: "+msg, append(kv, "error", err)...)
}
