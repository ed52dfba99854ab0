package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"xinyong"
	"xinyong/exchange"
	"xinyong/publish"
	"xinyong/scheduler"
)

// status is `xinyong status`: the run history of the data directory with each failure's full error, for
// the operator. The public /status/ page shows only a cause. Errors are redacted again on the way out:
// records written by an earlier xinyong may hold a DSN's password.
func (e *env) status(args []string) error {
	fs := e.flagSet("status")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	fs.StringVar(&c.Data, "data", c.Data, "")
	asJSON := fs.Bool("json", false, "")
	n := fs.Int("n", 20, "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *n < 1 {
		return usageMsg(xinyong.MsgFlagAtLeast+xinyong.MsgHelpMore, "status", "-n", 1, *n, "status")
	}
	path := publish.Layout{Root: c.Data}.State()
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		if *asJSON {
			fmt.Fprintln(e.stdout, "[]")
			return nil
		}
		fmt.Fprintf(e.stdout, xinyong.MsgStatusNone+"\n", path)
		return nil
	}
	st, err := scheduler.OpenState(path)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	defer st.Close()
	runs, err := st.Latest(*n)
	if err != nil {
		return fmt.Errorf("status: %s: %w", path, err)
	}
	if runs == nil {
		runs = []scheduler.Run{}
	}
	for i := range runs {
		runs[i].Error = exchange.RedactDSN(runs[i].Error)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(runs)
	}
	if len(runs) == 0 {
		fmt.Fprintf(e.stdout, xinyong.MsgStatusNone+"\n", path)
	}
	for _, r := range runs {
		outcome := xinyong.StatusOutcome(r.Outcome)
		duration := "—"
		if !r.End.IsZero() {
			duration = xinyong.DurationText(r.End.Sub(r.Start))
		}
		fmt.Fprintf(e.stdout, xinyong.MsgStatusRun+"\n", r.ID, r.Start.In(xinyong.Shanghai).Format("2006-01-02 15:04:05"),
			xinyong.StatusTrigger(r.Trigger), outcome, r.PID, duration, orDash(r.Release), orDash(r.AsOf), r.Red, r.Black, r.Cases)
		if r.Cause != "" {
			fmt.Fprintf(e.stdout, xinyong.MsgStatusCause+"\n", xinyong.StatusCause(r.Cause), r.Cause)
		}
		if r.Error != "" {
			fmt.Fprintf(e.stdout, xinyong.MsgStatusError+"\n", r.Error)
		}
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
