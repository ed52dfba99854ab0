package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"xinyong"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/site"
	"xinyong/timeliness"
)

// Config is the effective configuration: defaults, then the TOML file named by --config or XINYONG_CONFIG,
// then XINYONG_* environment variables, then flags. docs/config.md describes every key.
type Config struct {
	DB        string `toml:"db"`         // exchange database DSN; XINYONG_DB
	Data      string `toml:"data"`       // data directory; XINYONG_DATA
	LogFormat string `toml:"log_format"` // "text" or "json"; XINYONG_LOG_FORMAT
	LogLevel  string `toml:"log_level"`  // debug, info, warn, error; XINYONG_LOG_LEVEL
	Theme     string `toml:"theme"`      // theme directory overriding the embedded one; XINYONG_THEME
	BaseURL   string `toml:"base_url"`   // the site's URL; XINYONG_BASE_URL

	Schedule string `toml:"schedule"`      // cron expression of the nightly publication; XINYONG_SCHEDULE
	Webhook  string `toml:"alert_webhook"` // URL to POST alerts to; XINYONG_ALERT_WEBHOOK

	// BuildTimeout is the deadline of the site build, which runs in a child process killed at it;
	// default 2h. BusyAlertAfter: a run skipped because another holds the lock alerts once publications
	// have been blocked this long; default 6h.
	BuildTimeout   Duration `toml:"build_timeout"`    // XINYONG_BUILD_TIMEOUT
	BusyAlertAfter Duration `toml:"busy_alert_after"` // XINYONG_BUSY_ALERT_AFTER

	Keep      int     `toml:"keep"`       // releases to keep (run); default 7
	MaxShrink float64 `toml:"max_shrink"` // the guard: largest share of a list one run may remove; default 0.2

	// Publication rules (export, run): which black-list names courts manage, which are administrative
	// (unset: xinyong.DefaultCourtLists(), xinyong.DefaultAdminLists()), and whether the honours of subjects
	// with a public serious black-list entry are published anyway (default: withheld).
	CourtLists                []string `toml:"court_lists"`
	AdminLists                []string `toml:"admin_lists"`
	PublishConflictingHonours bool     `toml:"publish_conflicting_honours"`

	// TakedownWorkingDays is how many working days a repaired or revoked entry may stay public after its
	// status_changed_on before `xinyong timeliness` reports it; default 3.
	TakedownWorkingDays int `toml:"takedown_working_days"`

	// Site is the portal's identity (the [site] table): 网站标识码, the filing numbers and their links, the
	// 主办 and 承办 units, the contact. Empty by default; the footer and 联系我们 show what is set.
	Site site.Identity `toml:"site"`
	// ListDescriptions names a TOML file of list descriptions (the form of generator/lists.toml) laid over
	// the embedded defaults by list name (export, run); lists holds the result, read with the file.
	ListDescriptions string `toml:"list_descriptions"`
	lists            generator.ListDescriptions

	// The publication log (docs/archive.md): the signing key comes from the file LogKeyFile (mode 0600) or
	// else from the environment variable LogKeyEnv names (default XINYONG_LOG_KEY), never from the
	// config file itself; LogOrigin names a new log (default: the base URL's host and path, then "log");
	// LogTSA is an RFC 3161 time-stamping authority's URL, which stamps every checkpoint.
	LogKeyFile string `toml:"log_key_file"`
	// LogPreviousKeyFile, while a new key is rotated in, holds the key it replaces, which signs too.
	LogPreviousKeyFile string `toml:"log_previous_key_file"`
	LogKeyEnv          string `toml:"log_key_env"`
	LogOrigin          string `toml:"log_origin"`
	LogTSA             string `toml:"log_tsa_url"`
}

// rules returns the publication rules the configuration sets.
func (c *Config) rules() xinyong.Rules {
	return xinyong.Rules{CourtLists: c.CourtLists, AdminLists: c.AdminLists,
		PublishConflictingHonours: c.PublishConflictingHonours}
}

func defaultConfig() Config {
	return Config{Data: "./xinyong-data", LogFormat: "text", LogLevel: "info", Keep: 7, MaxShrink: 0.2,
		Schedule: "0 2 * * *", BuildTimeout: Duration(defaultBuildTimeout), BusyAlertAfter: Duration(defaultBusyAlertAfter),
		TakedownWorkingDays: timeliness.DefaultTakedown, LogKeyEnv: "XINYONG_LOG_KEY"}
}

// Duration is a time.Duration written as text ("2h", "90m") in the config file, the environment and flags.
type Duration time.Duration

// UnmarshalText parses a duration such as "2h30m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

func (d Duration) String() string { return time.Duration(d).String() }

// Set makes Duration a flag.Value.
func (d *Duration) Set(s string) error { return d.UnmarshalText([]byte(s)) }

// deadlineFlags declares the flags of a publication's deadlines (run, schedule, serve).
func deadlineFlags(fs *flag.FlagSet, c *Config) {
	fs.Var(&c.BuildTimeout, "build-timeout", "")
	fs.Var(&c.BusyAlertAfter, "busy-alert-after", "")
}

// parseConfig reads TOML from r on top of c. Unknown keys are an error, so that a typo is not ignored.
func parseConfig(r io.Reader, c *Config) error {
	dec := toml.NewDecoder(r)
	dec.DisallowUnknownFields()
	err := dec.Decode(c)
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var keys []string
		for _, e := range strict.Errors {
			keys = append(keys, strings.Join(e.Key(), "."))
		}
		return fmt.Errorf("unknown key %s", strings.Join(keys, ", "))
	}
	return err
}

// loadConfig returns the configuration before flags: defaults, the config file, the environment.
// configFlag is the value of --config, if given.
func (e *env) loadConfig(configFlag string) (Config, error) {
	c := defaultConfig()
	path, name := configFlag, "--config"
	if path == "" {
		path, name = e.getenv("XINYONG_CONFIG"), "XINYONG_CONFIG"
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return c, usageMsg(xinyong.MsgFlagNoFile, name, path)
		}
		if err != nil {
			return c, usageMsg(xinyong.MsgFlagUnreadableFile, name, path, err)
		}
		if err := parseConfig(bytes.NewReader(b), &c); err != nil {
			return c, usageMsg(xinyong.MsgConfigInvalid, path, err)
		}
		if err := c.Site.Check(); err != nil {
			return c, usageMsg(xinyong.MsgConfigInvalid, path, err)
		}
		// Read with the configuration, so that a broken descriptions file stops the command at once rather
		// than a night's publication.
		if c.ListDescriptions != "" {
			lists, err := generator.LoadListDescriptions(c.ListDescriptions)
			if err != nil {
				return c, usageMsg(xinyong.MsgConfigInvalid, path, fmt.Errorf("list_descriptions: %w", err))
			}
			c.lists = lists
		}
	}
	for key, dst := range map[string]*string{
		"XINYONG_DB":            &c.DB,
		"XINYONG_DATA":          &c.Data,
		"XINYONG_LOG_FORMAT":    &c.LogFormat,
		"XINYONG_LOG_LEVEL":     &c.LogLevel,
		"XINYONG_THEME":         &c.Theme,
		"XINYONG_BASE_URL":      &c.BaseURL,
		"XINYONG_SCHEDULE":      &c.Schedule,
		"XINYONG_ALERT_WEBHOOK": &c.Webhook,
		"XINYONG_LOG_KEY_FILE":  &c.LogKeyFile,
	} {
		if v := e.getenv(key); v != "" {
			*dst = v
		}
	}
	for key, dst := range map[string]*Duration{
		"XINYONG_BUILD_TIMEOUT":    &c.BuildTimeout,
		"XINYONG_BUSY_ALERT_AFTER": &c.BusyAlertAfter,
	} {
		if v := e.getenv(key); v != "" {
			if err := dst.Set(v); err != nil {
				return c, usageMsg(xinyong.MsgEnvInvalid, key, e.getenv(key), err)
			}
		}
	}
	return c, nil
}

// configFlag finds --config in args before the flag set is parsed, so that the file can supply the
// defaults of the other flags.
func configFlag(args []string) string {
	for i, a := range args {
		a = strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		if a == "config" && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, "config="); ok {
			return v
		}
		if a == "" { // "--": end of flags
			break
		}
	}
	return ""
}

// commonFlags declares the flags every command shares and returns the configuration they fill in.
func (e *env) commonFlags(fs *flag.FlagSet, args []string) (*Config, error) {
	c, err := e.loadConfig(configFlag(args))
	if err != nil && !helpAsked(args) {
		return nil, err
	}
	if err != nil {
		c = defaultConfig() // the help is the way out of a broken configuration: show it
	}
	fs.String("config", "", "")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "")
	return &c, nil
}

func (e *env) logger(c *Config) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, usageMsg(xinyong.MsgFlagValueChoice, "--log-level", c.LogLevel, "debug、info、warn 或 error")
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "text", "":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	}
	return nil, usageMsg(xinyong.MsgFlagValueChoice, "--log-format", c.LogFormat, "text 或 json")
}

// asOf parses --as-of, defaulting to today in Asia/Shanghai.
func (e *env) asOf(s string) (xinyong.Date, error) {
	if s == "" {
		return xinyong.DateOf(e.now()), nil
	}
	d, err := xinyong.ParseDate(s)
	if err != nil {
		return d, usageMsg(xinyong.MsgFlagBadDate, "--as-of", s)
	}
	return d, nil
}

// dsnError is the usage error of a --db value that is neither a path nor a PostgreSQL DSN.
func dsnError(dsn string) error {
	return usageMsg(xinyong.MsgFlagBadDSN, "--db", exchange.RedactDSN(dsn))
}

// themeError explains a failed build or publication with a --theme directory that does not exist (or is
// not a directory); otherwise it returns err.
func themeError(theme string, err error) error {
	if err == nil || theme == "" {
		return err
	}
	fi, statErr := os.Stat(theme)
	switch {
	case errors.Is(statErr, os.ErrNotExist):
		return fmt.Errorf(xinyong.MsgFlagNoDir+": %w", "--theme", theme, err)
	case statErr == nil && !fi.IsDir():
		return fmt.Errorf(xinyong.MsgFlagNotDir+": %w", "--theme", theme, err)
	}
	return err
}

// helpAsked reports whether args ask for the help (-h, -help, --help) before "--".
func helpAsked(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}
