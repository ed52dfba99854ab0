package main

import (
	"bytes"
	"context"
	"os"

	"xinyong"
	"xinyong/archive"
	"xinyong/doctor"
	"xinyong/publish"
)

// doctor is `xinyong doctor`: checks the exchange database against the contract, the data directory and
// the configuration, and prints one line per check. Exit status 1 when any check fails; warnings alone
// exit 0. A configuration file that does not parse is a failed check here, not a usage error, so that the
// rest is still checked.
func (e *env) doctor(ctx context.Context, args []string) error {
	fs := e.flagSet("doctor")
	c, cfg := e.doctorConfig(configFlag(args))
	fs.String("config", "", "")
	fs.StringVar(&c.DB, "db", c.DB, "")
	fs.StringVar(&c.Data, "data", c.Data, "")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "")
	fs.StringVar(&c.Theme, "theme", c.Theme, "")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "")
	format := fs.String("format", "text", "")
	sample := fs.Int("sample", doctor.DefaultSample, "")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return usageMsg(xinyong.MsgFlagChoice+xinyong.MsgHelpMore, "doctor", "--format", *format, "text 或 json", "doctor")
	}
	if *sample < 1 {
		return usageMsg(xinyong.MsgFlagAtLeast+xinyong.MsgHelpMore, "doctor", "--sample", 1, *sample, "doctor")
	}
	cfg.LogLevel, cfg.LogFormat, cfg.Theme, cfg.BaseURL = c.LogLevel, c.LogFormat, c.Theme, c.BaseURL
	cfg.Schedule, cfg.Webhook, cfg.Keep, cfg.MaxShrink = c.Schedule, c.Webhook, c.Keep, c.MaxShrink
	cfg.Today, cfg.TakedownWorkingDays = xinyong.DateOf(e.now()), c.TakedownWorkingDays
	if lo, err := e.logOptions(&c); err != nil {
		cfg.LogKeyErr = err
	} else {
		cfg.LogKey = lo.Key
	}
	cfg.LogKeySource = "log_key_file"
	if c.LogKeyFile == "" {
		cfg.LogKeySource = c.LogKeyEnv
	}
	if lg, err := archive.Open(publish.Layout{Root: c.Data}.Log()); err == nil {
		cfg.LogOrigin = lg.State.Origin
	}

	rep := &doctor.Report{Sections: []*doctor.Section{
		doctor.CheckDatabase(ctx, c.DB, doctor.Options{Sample: *sample}),
		doctor.CheckDataDir(c.Data, 0),
		doctor.CheckConfig(cfg),
	}}
	write := rep.WriteText
	if *format == "json" {
		write = rep.WriteJSON
	}
	if err := write(e.stdout); err != nil {
		return err
	}
	if rep.Failed() {
		return errSilent
	}
	return nil
}

// doctorConfig loads the configuration as the other commands do, but keeps going when the file is
// unreadable or invalid: it returns the defaults and the environment then, and the file's error for the
// report.
func (e *env) doctorConfig(configFlag string) (Config, doctor.Config) {
	path := configFlag
	if path == "" {
		path = e.getenv("XINYONG_CONFIG")
	}
	cfg := doctor.Config{File: path}
	c, err := e.loadConfig(path)
	if err == nil {
		return c, cfg
	}
	cfg.FileErr = configFileError(path)
	withoutFile := *e
	withoutFile.getenv = func(k string) string {
		if k == "XINYONG_CONFIG" {
			return ""
		}
		return e.getenv(k)
	}
	c, _ = withoutFile.loadConfig("")
	return c, cfg
}

// configFileError returns why the configuration file cannot be used, without loadConfig's usage wrapping.
func configFileError(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	c := defaultConfig()
	return parseConfig(bytes.NewReader(b), &c)
}
