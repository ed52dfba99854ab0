package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"xinyong"
	"xinyong/exchange"
	"xinyong/publish"
	"xinyong/scheduler"
	"xinyong/site"
)

// schedule is `xinyong schedule`: publish on the cron schedule until SIGINT or SIGTERM; SIGUSR1 publishes
// at once (a fast take-down after a repair or an objection).
func (e *env) schedule(ctx context.Context, args []string) error {
	fs := e.flagSet("schedule")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	scheduleFlags(fs, c)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	if c.DB == "" {
		return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "schedule", "--db DSN", "schedule")
	}
	if err := checkInputs(c.Theme, c.BaseURL, c.Data); err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	s, stopScheduler, err := e.startScheduler(ctx, c, log, false)
	if err != nil {
		return fmt.Errorf("schedule: %w", exchange.RedactError(err))
	}
	log.Info("scheduled", "schedule", c.Schedule, "next", s.Next().Format(time.RFC3339))
	<-ctx.Done()
	log.Info("stopping: a running publication is cancelled and leaves the current release")
	stop, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	return stopScheduler(stop)
}

// scheduleFlags declares the flags of the scheduled publication (schedule, and serve --schedule).
func scheduleFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DB, "db", c.DB, "")
	fs.StringVar(&c.Data, "data", c.Data, "")
	fs.StringVar(&c.Schedule, "schedule-spec", c.Schedule, "")
	fs.StringVar(&c.Webhook, "alert-webhook", c.Webhook, "")
	deadlineFlags(fs, c)
}

// startScheduler starts the schedule (with a catch-up run if one was missed) and the SIGUSR1 trigger.
// With publishFirst it publishes once, synchronously, before the schedule starts. The caller ends both
// with the returned stop, which stops the SIGUSR1 trigger and then the scheduler (waiting at most until
// its context is done).
func (e *env) startScheduler(ctx context.Context, c *Config, log *slog.Logger, publishFirst bool) (*scheduler.Scheduler, func(context.Context) error, error) {
	s, err := scheduler.New(e.schedulerOptions(c, log, c.Schedule), e.publishJob(c, log))
	if err != nil {
		return nil, nil, usageMsg("%v", err)
	}
	if publishFirst {
		if _, err := s.RunNow(ctx, scheduler.ByHand); err != nil {
			s.Stop(context.Background())
			return nil, nil, err
		}
	}
	if err := s.Start(); err != nil {
		return nil, nil, err
	}
	stopSignal := onSIGUSR1(func() {
		log.Info("SIGUSR1: publishing now")
		s.Trigger(scheduler.ByHand)
	})
	return s, func(ctx context.Context) error {
		stopSignal()
		return s.Stop(ctx)
	}, nil
}

// onSIGUSR1 calls trigger each time the process receives SIGUSR1 until the returned stop is called.
// Once stop returns, trigger is not called again and SIGUSR1 has its default action (unless something
// else is notified of it): the signal's registration is process-wide, so it must not outlive the
// scheduler it triggers. stop may be called more than once.
func onSIGUSR1(trigger func()) (stop func()) {
	usr1 := make(chan os.Signal, 1)
	signal.Notify(usr1, syscall.SIGUSR1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range usr1 {
			trigger()
		}
	}()
	return sync.OnceFunc(func() {
		signal.Stop(usr1) // no delivery to usr1 after this returns, so closing it is safe
		close(usr1)
		<-done
	})
}

// publishJob is one scheduled publication: as of today, with the site built in a child process (Hugo
// keeps memory per build, which a long-lived process must not accumulate).
func (e *env) publishJob(c *Config, log *slog.Logger) scheduler.Job {
	return func(ctx context.Context, r *scheduler.Run) error {
		_, err := e.publish(ctx, c, publish.Options{AsOf: xinyong.DateOf(e.now()), BaseURL: c.BaseURL, Theme: c.Theme}, log, r)
		if errors.Is(err, publish.ErrBusy) {
			return nil // recorded as busy: the other publication is doing the work
		}
		return err
	}
}

// recordedRun runs job once as a run of the scheduler's state database (recorded, and alerted to the
// webhook on failure), without starting the schedule: how `xinyong run` is recorded on /status/.
func (e *env) recordedRun(ctx context.Context, c *Config, log *slog.Logger, job scheduler.Job) error {
	// No schedule is started: the configured expression does not matter here.
	s, err := scheduler.New(e.schedulerOptions(c, log, scheduler.DefaultSpec), job)
	if err != nil {
		return err
	}
	_, err = s.RunNow(ctx, scheduler.ByHand)
	s.Stop(context.Background())
	return err
}

// schedulerOptions are the scheduler's options from c: errors redacted before they are logged, recorded
// or posted, each failure classified for the public status page.
func (e *env) schedulerOptions(c *Config, log *slog.Logger, spec string) scheduler.Options {
	return scheduler.Options{Spec: spec, State: publish.Layout{Root: c.Data}.State(), Webhook: c.Webhook,
		Logger: log, Now: e.now, Redact: exchange.RedactDSN, Classify: causeOf,
		BusyAlertAfter: time.Duration(c.BusyAlertAfter)}
}

// checkInputs checks, before any work starts, what a publication would otherwise find wrong only after
// the export: the theme directory (exists, has layouts/), the base URL (absolute http or https) and the
// data directory (can be created and written). Each error names the operation and the path.
func checkInputs(theme, baseURL, data string) error {
	if err := site.CheckTheme(theme); err != nil {
		return err
	}
	if err := site.CheckBaseURL(baseURL); err != nil {
		return err
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return fmt.Errorf("check data directory: %w", err)
	}
	f, err := os.CreateTemp(data, ".xinyong-check-*")
	if err != nil {
		return fmt.Errorf("check data directory %s is writable: %w", data, err)
	}
	f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return fmt.Errorf("check data directory %s is writable: %w", data, err)
	}
	return nil
}
