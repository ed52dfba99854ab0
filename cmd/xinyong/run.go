package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"xinyong"
	"xinyong/exchange"
	"xinyong/publish"
	"xinyong/scheduler"
)

// runCmd is `xinyong run`: one publication into the data directory.
func (e *env) runCmd(ctx context.Context, args []string) error {
	fs := e.flagSet("run")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	fs.StringVar(&c.DB, "db", c.DB, "")
	fs.StringVar(&c.Data, "data", c.Data, "")
	asOfFlag := fs.String("as-of", "", "")
	theme := fs.String("theme", c.Theme, "")
	baseURL := fs.String("base-url", c.BaseURL, "")
	demo := fs.Bool("demo", false, "")
	force := fs.Bool("force", false, "")
	fs.IntVar(&c.Keep, "keep", c.Keep, "")
	fs.Float64Var(&c.MaxShrink, "max-shrink", c.MaxShrink, "")
	deadlineFlags(fs, c)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if c.Keep < 1 || c.MaxShrink <= 0 || c.MaxShrink > 1 {
		return usageMsg(xinyong.MsgFlagRange+xinyong.MsgHelpMore, "run", "--keep 和 --max-shrink", fmt.Sprint(c.Keep, " ", c.MaxShrink), "--keep 至少为 1，--max-shrink 大于 0 且不大于 1", "run")
	}
	if c.BuildTimeout <= 0 {
		return usageMsg(xinyong.MsgFlagRange+xinyong.MsgHelpMore, "run", "--build-timeout", c.BuildTimeout, "正的时长（如 2h）", "run")
	}
	terminal := e.isTerminal(e.stderr)
	if terminal && c.LogLevel == "info" {
		c.LogLevel = "warn" // progress lines instead of info logs on a terminal
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	if c.DB == "" {
		return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "run", "--db DSN", "run")
	}
	if err := checkInputs(*theme, *baseURL, c.Data); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	asOf, err := e.asOf(*asOfFlag)
	if err != nil {
		return err
	}
	if *demo {
		if err := e.ensureDemo(ctx, log, c.DB, asOf); err != nil {
			return err
		}
	}
	if _, _, err := exchange.ParseDSN(c.DB); err != nil {
		return dsnError(c.DB)
	}
	opt := publish.Options{AsOf: asOf, BaseURL: *baseURL, Theme: *theme, Force: *force}
	if terminal {
		opt.Progress = func(s publish.Step, done bool, took time.Duration) {
			if done {
				fmt.Fprintf(e.stderr, xinyong.MsgRunStepDone+"\n", s.Label, took.Round(10*time.Millisecond))
			} else {
				fmt.Fprintf(e.stderr, xinyong.MsgRunStepStart+"\n", s.Label)
			}
		}
	}
	var res *publish.Result
	err = e.recordedRun(ctx, c, log, func(ctx context.Context, r *scheduler.Run) error {
		var err error
		res, err = e.publish(ctx, c, opt, log, r)
		return err
	})
	if err != nil {
		// Printed once, by main: the scheduler recorded it, posted it and logged an ALERT line without
		// the error text. The DSN's secrets stay hidden here too.
		return fmt.Errorf("run: %w", exchange.RedactError(themeError(*theme, err)))
	}
	if res.Unchanged {
		fmt.Fprintf(e.stdout, xinyong.MsgRunUnchanged+"\n", res.ID, res.AsOf)
		return nil
	}
	fmt.Fprintf(e.stdout, xinyong.MsgRunSummary+"\n", res.ID, res.AsOf, res.Red, res.Black, res.Subjects, res.Cases,
		res.Pages, res.IndexDocs, xinyong.DurationText(res.Duration), res.Dir)
	return nil
}

// publish runs one publication with opt (its source, data directory, logger, clock, keep and guard
// settings are filled in from c, and the build runs in a child process killed at c.BuildTimeout) and
// records its outcome, release and counts in r. It opens the database afresh, so that an outage fails one
// run, not the process.
func (e *env) publish(ctx context.Context, c *Config, opt publish.Options, log *slog.Logger, r *scheduler.Run) (*publish.Result, error) {
	r.AsOf = opt.AsOf.String()
	exe, err := e.executable()
	if err != nil {
		return nil, fmt.Errorf("find the xinyong binary for the build: %w", err)
	}
	opt.Build = childBuild{exe: exe, timeout: time.Duration(c.BuildTimeout)}.build
	db, err := exchange.Open(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	opt.Source, opt.Data, opt.Logger, opt.Now = db, c.Data, log, e.now
	opt.Keep, opt.MaxShrink = c.Keep, c.MaxShrink
	opt.Rules = c.rules()
	opt.Identity = c.Site
	opt.Lists = c.lists
	// The key is read at every publication, so that a rotated key file is used from the next night on.
	if opt.Log, err = e.logOptions(c); err != nil {
		return nil, err
	}
	res, err := publish.Run(ctx, opt)
	switch {
	case errors.Is(err, publish.ErrGuard), errors.Is(err, publish.ErrFuture), errors.Is(err, publish.ErrNoSpace):
		r.Outcome = scheduler.Refused
		return nil, err
	case errors.Is(err, publish.ErrBusy):
		r.Outcome = scheduler.Busy
		return nil, err
	case err != nil:
		return nil, err
	}
	r.Release, r.Red, r.Black, r.Cases = res.ID, res.Red, res.Black, res.Cases
	r.Outcome = scheduler.Published
	if res.Unchanged {
		r.Outcome = scheduler.Unchanged
	}
	return res, nil
}

// isTerminal reports whether w is a character device (an interactive terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// releases is `xinyong releases`: one line per release, the current one marked.
func (e *env) releases(args []string) error {
	fs := e.flagSet("releases")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	fs.StringVar(&c.Data, "data", c.Data, "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	ids, err := publish.List(c.Data)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		fmt.Fprintln(e.stdout, xinyong.MsgReleasesNone)
		return nil
	}
	data := publish.Layout{Root: c.Data}
	var cur string
	if r, err := data.Current(); err == nil {
		cur = r.ID()
	}
	for _, id := range ids {
		m, err := publish.ReadManifest(data.Release(id).Dir)
		if err != nil {
			return err
		}
		mark := " "
		if id == cur {
			mark = "*"
		}
		fmt.Fprintf(e.stdout, xinyong.MsgReleaseLine+"\n", mark, id, m.AsOf, m.BuiltAt.In(xinyong.Shanghai).Format("2006-01-02 15:04"),
			m.Red, m.Black, m.Subjects, m.Cases, m.Pages)
	}
	return nil
}

// rollback is `xinyong rollback [ID]`: it makes release ID current (default: the release before the current
// one) unless that would publish again what was taken down since, and records the attempt in the run
// history (state.db, /status/) whatever its outcome. A refusal prints the pages it would have republished,
// one per line, on stdout.
func (e *env) rollback(args []string) error {
	fs := e.flagSet("rollback")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	fs.StringVar(&c.Data, "data", c.Data, "")
	if err := e.parseArgs(fs, args, 1); err != nil {
		return err
	}
	// A data directory without releases has nothing to roll back, and must not get a state database.
	data := publish.Layout{Root: c.Data}
	if _, err := os.Stat(data.Releases()); err != nil {
		return fmt.Errorf("rollback: %s: %w", xinyong.MsgReleasesNone, err)
	}
	st, err := scheduler.OpenState(data.State())
	if err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	defer st.Close()
	r := &scheduler.Run{Trigger: scheduler.ByRollback, Start: e.now()}
	if r.ID, err = st.Begin(r); err != nil {
		return fmt.Errorf("rollback: record in the run history: %w", err)
	}
	// The switch is recorded in the publication log, signed with the publications' key.
	logOpt, err := e.logOptions(c)
	if err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	m, rbErr := publish.RollbackWith(c.Data, fs.Arg(0), xinyong.DateOf(r.Start),
		publish.RollbackOptions{Log: logOpt, Now: e.now, Logger: log})
	r.End = e.now()
	var refused *publish.RepublishError
	switch {
	case rbErr == nil:
		r.Outcome, r.Release, r.AsOf, r.Red, r.Black, r.Cases = scheduler.RolledBack, m.ID, m.AsOf, m.Red, m.Black, m.Cases
	case errors.As(rbErr, &refused):
		r.Outcome = scheduler.RollbackRefused
	case errors.Is(rbErr, publish.ErrBusy):
		r.Outcome = scheduler.Busy
	default:
		r.Outcome = scheduler.Failed
	}
	if rbErr != nil {
		r.Error = rbErr.Error()
	}
	recErr := st.Finish(r)
	if recErr != nil {
		recErr = fmt.Errorf("record in the run history: %w", recErr)
	}
	switch {
	case refused != nil:
		for _, p := range refused.Pages {
			fmt.Fprintln(e.stdout, p)
		}
	case rbErr == nil:
		fmt.Fprintf(e.stdout, xinyong.MsgRollbackDone+"\n", m.ID)
	}
	if err := errors.Join(rbErr, recErr); err != nil {
		return fmt.Errorf("rollback: %w", err)
	}
	return nil
}
