package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"xinyong"
	"xinyong/changes"
	"xinyong/publish"
	"xinyong/timeliness"
	"xinyong/workday"
)

// timeliness is `xinyong timeliness`: which decisions were published later than the 7 working days the
// rules allow, which are past their deadline and still not public, each department's on-time rate, and,
// from the release history of the data directory, which repaired or revoked entries stayed public too
// long. It prints ids, departments and dates only: never a subject's name or number.
func (e *env) timeliness(ctx context.Context, args []string) error {
	fs := e.flagSet("timeliness")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	fs.StringVar(&c.DB, "db", c.DB, "")
	fs.StringVar(&c.Data, "data", c.Data, "")
	asOfFlag := fs.String("as-of", "", "")
	fromFlag := fs.String("from", "", "")
	toFlag := fs.String("to", "", "")
	fs.IntVar(&c.TakedownWorkingDays, "takedown-days", c.TakedownWorkingDays, "")
	asJSON := fs.Bool("json", false, "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	if c.DB == "" {
		return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "timeliness", "--db DSN", "timeliness")
	}
	if c.TakedownWorkingDays < 1 {
		return usageMsg(xinyong.MsgFlagAtLeast+xinyong.MsgHelpMore, "timeliness", "--takedown-days", 1, c.TakedownWorkingDays, "timeliness")
	}
	asOf, err := e.asOf(*asOfFlag)
	if err != nil {
		return err
	}
	var from, to xinyong.Date
	for _, f := range []struct {
		name, value string
		dst         *xinyong.Date
	}{{"--from", *fromFlag, &from}, {"--to", *toFlag, &to}} {
		if f.value == "" {
			continue
		}
		if *f.dst, err = xinyong.ParseDate(f.value); err != nil {
			return usageMsg(xinyong.MsgFlagBadDate, f.name, f.value)
		}
	}
	hist, err := readHistory(c.Data)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, "timeliness", c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	snap, end, err := db.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("timeliness: %w", err)
	}
	defer end()
	depts, err := db.Departments(snap)
	if err != nil {
		return fmt.Errorf("timeliness: %w", err)
	}
	b := timeliness.New(timeliness.Options{Calendar: workday.Default(), AsOf: asOf, From: from, To: to,
		Takedown: c.TakedownWorkingDays, Departments: depts, History: hist})
	if err := db.Entries(snap, func(en *xinyong.Entry, _ *xinyong.Subject) error {
		b.Add(en)
		return nil
	}); err != nil {
		return fmt.Errorf("timeliness: %w", err)
	}
	rep := b.Report()
	if *asJSON && len(rep.Calendar.Uncovered) > 0 {
		// The text output says so itself; JSON has calendar.uncovered, and the operator reads stderr.
		log.Warn(fmt.Sprintf(xinyong.MsgTimelinessUncovered, timeliness.Years(rep.Calendar.Uncovered)),
			"uncovered_years", rep.Calendar.Uncovered)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return timeliness.WriteText(e.stdout, rep)
}

// readHistory reads the release history of the data directory's current release; nil when nothing has
// been published there yet (or the release predates the history).
func readHistory(data string) (*timeliness.History, error) {
	cur, err := publish.Layout{Root: data}.Current()
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("timeliness: %w", err)
	}
	h := &timeliness.History{}
	head, err := changes.ReadHistory(cur.History(), func(en changes.Entry) error {
		s := timeliness.Seen{Key: en.Key, FirstRelease: en.FirstSeen.Release, LastRelease: en.LastSeen.Release}
		s.FirstAsOf, _ = xinyong.ParseDate(en.FirstSeen.AsOf)
		s.LastAsOf, _ = xinyong.ParseDate(en.LastSeen.AsOf)
		h.Add(s)
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("timeliness: %w", err)
	}
	h.Release, h.Since = head.Release, head.Since
	return h, nil
}
