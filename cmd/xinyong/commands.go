package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"xinyong"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/site"
)

func (e *env) demo(ctx context.Context, args []string) error {
	fs := e.flagSet("demo")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	db := fs.String("db", "", "")
	entries := fs.Int("entries", 2000, "")
	seed := fs.Uint64("seed", 1, "")
	asOfFlag := fs.String("as-of", "", "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	if *db == "" {
		return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "demo", "--db PATH", "demo")
	}
	if *entries < 1 {
		return usageMsg(xinyong.MsgFlagAtLeast+xinyong.MsgHelpMore, "demo", "--entries", 1, *entries, "demo")
	}
	asOf, err := e.asOf(*asOfFlag)
	if err != nil {
		return err
	}
	return e.createDemo(ctx, log, *db, *entries, *seed, asOf)
}

func (e *env) createDemo(ctx context.Context, log interface{ Info(string, ...any) }, path string, entries int, seed uint64, asOf xinyong.Date) error {
	start := e.now()
	dialect, source, err := exchange.ParseDSN(path)
	if err != nil {
		return dsnError(path)
	}
	if dialect != exchange.SQLite {
		return usageMsg(xinyong.MsgFlagDemoNotSQLite, "--db", exchange.RedactDSN(path))
	}
	db, err := exchange.Create(ctx, source)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	stats, err := demo.Generate(ctx, db, demo.Options{Entries: entries, Seed: seed, AsOf: asOf})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(source)
		os.Remove(source + "-wal")
		os.Remove(source + "-shm")
		return fmt.Errorf("demo: %w", err)
	}
	log.Info("demo database created", "db", source, "as_of", asOf.String(), "seed", seed,
		"entries", stats.Entries, "subjects", stats.Subjects, "cases", stats.Cases,
		"duration", e.now().Sub(start).Round(time.Millisecond))
	return nil
}

func (e *env) export(ctx context.Context, args []string) error {
	fs := e.flagSet("export")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	fs.StringVar(&c.DB, "db", c.DB, "")
	out := fs.String("out", "", "")
	report := fs.String("report", "", "")
	asOfFlag := fs.String("as-of", "", "")
	demo := fs.Bool("demo", false, "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	if c.DB == "" {
		return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "export", "--db DSN", "export")
	}
	if *out == "" {
		return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "export", "--out DIR", "export")
	}
	if *report == "" {
		*report = generator.DefaultReportDir(*out)
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
	db, err := openDB(ctx, "export", c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	x := &generator.Exporter{Source: db, AsOf: asOf, Rules: c.rules(), Lists: c.lists, Logger: log.With("component", "export"),
		Now: e.now}
	res, err := x.Export(ctx, *out, *report)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stdout, xinyong.MsgExportSummary+"\n", asOf, res.Red, res.Black, res.Subjects, res.Cases,
		res.Notices, res.Report.Hidden, res.Report.Rejected, res.Report.Warnings, *out, *report)
	return nil
}

// ensureDemo creates the demo database at dsn unless it exists. An existing one must be marked as demo data:
// one made before xinyong marked its demos would otherwise be published as real data, under the real
// site's address.
func (e *env) ensureDemo(ctx context.Context, log interface{ Info(string, ...any) }, dsn string, asOf xinyong.Date) error {
	dialect, source, err := exchange.ParseDSN(dsn)
	if err != nil {
		return dsnError(dsn)
	}
	if dialect != exchange.SQLite {
		return usageMsg(xinyong.MsgFlagDemoNotSQLite, "--db", exchange.RedactDSN(dsn))
	}
	if _, err := os.Stat(source); err != nil {
		return e.createDemo(ctx, log, source, 2000, 1, asOf)
	}
	db, err := exchange.Open(ctx, source)
	if err != nil {
		return fmt.Errorf("--demo: %w", err)
	}
	defer db.Close()
	demo, err := db.IsDemo(ctx)
	if err != nil {
		return fmt.Errorf("--demo: %w", err)
	}
	if !demo {
		return fmt.Errorf("--demo: %s exists but is not marked as demo data (an older demo database, or a real one); "+
			"remove it to have a new demo database made", source)
	}
	return nil
}

func (e *env) checkCode(args []string) error {
	fs := e.flagSet("check-code")
	if err := e.parseArgs(fs, args, -1); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageMsg(xinyong.MsgNoCode+xinyong.MsgHelpMore, "check-code")
	}
	invalid := 0
	for _, code := range fs.Args() {
		chk := xinyong.CheckCreditCode(code)
		fmt.Fprintln(e.stdout, chk.String())
		if !chk.Valid() {
			invalid++
		}
	}
	if invalid > 0 {
		return errSilent
	}
	return nil
}

func (e *env) build(ctx context.Context, args []string) error {
	fs := e.flagSet("build")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	contentDir := fs.String("content", "", "")
	out := fs.String("out", "", "")
	theme := fs.String("theme", c.Theme, "")
	baseURL := fs.String("base-url", c.BaseURL, "")
	metrics := fs.Bool("template-metrics", false, "")
	asJSON := fs.Bool("json", false, "")
	reuseContent := fs.String("reuse-content", "", "")
	reuseSite := fs.String("reuse-site", "", "")
	reuseFingerprint := fs.String("reuse-fingerprint", "", "")
	reuseRows := fs.String("reuse-rows", "", "")
	reuseRowStore := fs.String("reuse-row-store", "", "")
	reuseCasesKey := fs.String("reuse-cases-key", "", "")
	sums := fs.String("content-sums", "", "")
	rows := fs.String("rows", "", "")
	rowStore := fs.String("row-store", "", "")
	pageSums := fs.String("page-sums", "", "")
	precompress := fs.Bool("precompress", false, "")
	waitReady := fs.Bool("wait-ready", false, "")
	identity := fs.String("identity", "", "") // a publication's child build: the parent's [site] table as JSON
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *identity != "" {
		c.Site = site.Identity{}
		if err := json.Unmarshal([]byte(*identity), &c.Site); err != nil {
			return usageMsg(xinyong.MsgFlagBadValue, "build", "--identity", *identity)
		}
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	if *contentDir == "" || *out == "" {
		return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "build", "--content DIR 和 --out DIR", "build")
	}
	opt := site.Options{Content: *contentDir, Out: *out, ThemeDir: *theme, BaseURL: *baseURL,
		Logger: log.With("component", "build"), Now: e.now, Precompress: *precompress, Sums: *sums, Rows: *rows, RowStore: *rowStore,
		PageSums: *pageSums, Identity: c.Site}
	if *metrics {
		opt.TemplateMetrics = e.stderr
	}
	if *waitReady {
		opt.Ready = readyLine(e.input())
	}
	if *reuseContent != "" || *reuseSite != "" || *reuseFingerprint != "" {
		if *reuseContent == "" || *reuseSite == "" || *reuseFingerprint == "" {
			return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "build", "--reuse-content、--reuse-site 和 --reuse-fingerprint（三者同时给出）", "build")
		}
		opt.Reuse = &site.Reuse{Content: *reuseContent, Site: *reuseSite, Fingerprint: *reuseFingerprint, Rows: *reuseRows,
			RowStore: *reuseRowStore, CasesKey: *reuseCasesKey}
	}
	if e.getenv("GOGC") == "" && e.getenv("GOMEMLIMIT") == "" && site.HasRecordLayouts(*theme) {
		// With the record renderer the build's heap is small and short-lived (Hugo's pages but the records,
		// the renderer's rows and buffers): collecting it less often saves a tenth of the CPU at 100,000
		// entries (docs/benchmarks.md). The soft limit has the collector work harder instead when the heap
		// nears it, as it would at millions of entries, whose rows are most of the live heap. A theme
		// without record layouts leaves every page to Hugo, whose heap grows with the site: Go's defaults.
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(1536 << 20)
	}
	res, err := site.Build(ctx, opt)
	if err != nil {
		return themeError(*theme, err)
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(res)
	}
	fmt.Fprintf(e.stdout, xinyong.MsgBuildSummary+"\n", res.Pages, res.Files, *out)
	return nil
}

// openDB opens the exchange database of a command; a malformed DSN is a usage error.
func openDB(ctx context.Context, cmd, dsn string) (*exchange.DB, error) {
	db, err := exchange.Open(ctx, dsn)
	if errors.Is(err, exchange.ErrDSN) {
		return nil, dsnError(dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	return db, nil
}
