package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"xinyong"
	"xinyong/changes"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/opendata"
	"xinyong/search"
)

// nightSteps runs the first three steps of three publications as package publish runs them (exportStep,
// changesStep, openDataStep): a full one on the database dsn into work/r1, then the next night's on
// nightDSN into work/r2 with r1 as the current release, then the same again into work/r3 (a night on
// which nothing changed). It prints each step's wall and CPU seconds; with profile set, each step writes
// a CPU profile to profile.<step>.r<n>. It is how the steps of a busy night are measured without building
// the site (issue 13):
//
//	go run ./bench/stages -steps -db PRE.db -night NIGHT.db -work /dev/shm/steps [-cpuprofile /dev/shm/p]
func nightSteps(dsn, nightDSN, work, asOfFlag, profile string) error {
	ctx := context.Background()
	asOf, err := xinyong.ParseDate(asOfFlag)
	if err != nil {
		return err
	}
	fmt.Printf("%-28s %10s %10s %12s\n", "step", "seconds", "CPU s", "peak RSS MB")
	var prev string
	// r3: the night again with nothing changed.
	for i, db := range []string{dsn, nightDSN, nightDSN} {
		rel := filepath.Join(work, fmt.Sprintf("r%d", i+1))
		if err := os.MkdirAll(filepath.Join(rel, "site"), 0o755); err != nil {
			return err
		}
		src, err := exchange.Open(ctx, db)
		if err != nil {
			return err
		}
		defer src.Close()
		run := &stepRun{ctx: ctx, asOf: asOf, id: fmt.Sprintf("r%d", i+1), dir: rel, prev: prev, built: time.Date(2026, 6, 15, 20+i, 0, 0, 0, time.UTC)}
		steps := []struct {
			name string
			fn   func() error
		}{
			{"export", func() error { return run.export(src) }},
			{"changes", run.changes},
			{"opendata", run.openData},
		}
		for _, s := range steps {
			name := run.id + " " + s.name
			err := stageWith(name, func() error {
				if profile != "" {
					stop, err := startProfile(fmt.Sprintf("%s.%s.r%d", profile, s.name, i+1))
					if err != nil {
						return err
					}
					defer stop()
				}
				return s.fn()
			})
			if err != nil {
				return err
			}
		}
		// What the build step would do with the scratch files.
		for _, mv := range [][2]string{{"opendata", "site/data"}, {"changes/data", "site/data/changes"}} {
			if err := os.Rename(filepath.Join(rel, mv[0]), filepath.Join(rel, mv[1])); err != nil {
				return err
			}
		}
		prev = rel
	}
	return nil
}

// stepRun is one publication's first steps; dir is its release directory, prev the current release's ("" for none).
type stepRun struct {
	ctx         context.Context
	asOf        xinyong.Date
	id, dir     string
	prev        string
	prevID      string
	built       time.Time
	dataVersion string
}

func (r *stepRun) export(src generator.Source) error {
	var prev *generator.Previous
	if r.prev != "" {
		prev = &generator.Previous{Content: filepath.Join(r.prev, "content"), Sums: filepath.Join(r.prev, "content.sums"),
			Pages: filepath.Join(r.prev, "content.pages")}
	}
	f, err := os.Create(filepath.Join(r.dir, "search-docs.jsonl"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := search.NewDocsWriter(f)
	x := &generator.Exporter{Source: src, AsOf: r.asOf, Docs: w.Write, Previous: prev,
		Sums: filepath.Join(r.dir, "content.sums"), Pages: filepath.Join(r.dir, "content.pages")}
	res, err := x.Export(r.ctx, filepath.Join(r.dir, "content"), filepath.Join(r.dir, "quality"))
	if err != nil {
		return err
	}
	r.dataVersion = res.DataVersion
	fmt.Printf("# %s: %d files, %d linked from the previous export, %d pages reused\n", r.id, res.Files, res.Unchanged, res.Reused)
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func (r *stepRun) changes() error {
	dirs := changes.Dirs{Content: filepath.Join(r.dir, "content"), Data: filepath.Join(r.dir, "changes/data"),
		History: filepath.Join(r.dir, "changes/history.jsonl.gz")}
	prevID := ""
	if r.prev != "" {
		dirs.PrevContent, dirs.PrevData, dirs.PrevHistory = filepath.Join(r.prev, "content"),
			filepath.Join(r.prev, "site/data/changes"), filepath.Join(r.prev, "changes/history.jsonl.gz")
		dirs.PrevSums, dirs.Sums = filepath.Join(r.prev, "content.sums"), filepath.Join(r.dir, "content.sums")
		prevID = filepath.Base(r.prev)
	}
	d, _, err := changes.Stage(r.ctx, dirs, changes.Meta{Release: r.id, Previous: prevID, AsOf: r.asOf.String(),
		BuiltAt: r.built})
	if err == nil {
		c := d.Counts()
		fmt.Printf("# %s: %d added, %d changed, %d removed, %d unchanged\n", r.id, c.Added, c.Changed, c.Removed, c.Unchanged)
	}
	return err
}

func (r *stepRun) openData() error {
	reuse := opendata.Reuse{Sums: filepath.Join(r.dir, "content.sums"), Rows: filepath.Join(r.dir, opendata.RowsFile)}
	if r.prev != "" {
		reuse.PrevDir, reuse.PrevRows = filepath.Join(r.prev, "site/data"), filepath.Join(r.prev, opendata.RowsFile)
	}
	idx, err := opendata.WriteReusing(r.ctx, filepath.Join(r.dir, "content"), filepath.Join(r.dir, "opendata"),
		opendata.Meta{Release: r.id, DataVersion: r.dataVersion, AsOf: r.asOf.String(), BuiltAt: r.built}, reuse)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(r.dir, "content", opendata.PageFile), opendata.Page(idx), 0o644)
}
