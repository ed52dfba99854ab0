package doctor

import (
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/robfig/cron/v3"

	"xinyong"
	"xinyong/archive"
	"xinyong/scheduler"
	"xinyong/timeliness"
	"xinyong/workday"
)

// Config is the effective configuration to check, as the command line resolved it.
type Config struct {
	File    string // the configuration file, "" when none is used
	FileErr error  // why File could not be read or parsed; nil when it was
	LogLevel, LogFormat,
	BaseURL, Theme string

	Schedule  string  // cron expression of the nightly publication
	Webhook   string  // alert URL; may hold a token, so never printed whole
	Keep      int     // releases kept
	MaxShrink float64 // the publication guard's limit

	// Today is the date the calendar check is for; zero skips it. TakedownWorkingDays is the timeliness
	// report's take-down limit; 0 is its default.
	Today               xinyong.Date
	TakedownWorkingDays int

	// The publication log's signing key as a publication would read it: the key (nil when none is
	// configured), or why it cannot be used; LogKeySource names where it comes from (log_key_file or the
	// variable log_key_env names); LogOrigin is the data directory's log's origin ("" without a log).
	LogKey       *archive.Key
	LogKeyErr    error
	LogKeySource string
	LogOrigin    string
}

// CheckConfig checks the configuration: the file parses, and every value is one the commands accept.
func CheckConfig(c Config) *Section {
	sec := &Section{Name: "config", Title: xinyong.MsgDoctorSectionConfig}
	checkConfigFile(sec, c)
	checkLogging(sec, c)
	checkBaseURL(sec, c.BaseURL)
	checkTheme(sec, c.Theme)
	checkPublication(sec, c)
	checkTimeliness(sec, c)
	checkLogKey(sec, c)
	return sec
}

// checkLogKey checks the key that signs the publication log's checkpoints: readable, for this log. No key
// is a warning: the log is then published unsigned.
func checkLogKey(sec *Section, c Config) {
	switch {
	case c.LogKeyErr != nil:
		sec.fail("config.log_key", c.LogKeySource, xinyong.MsgDoctorLogKeyBad, c.LogKeyErr)
	case c.LogKey == nil:
		sec.warn("config.log_key", "log_key_file", xinyong.MsgDoctorLogKeyNone)
	case c.LogOrigin != "" && c.LogKey.Name() != c.LogOrigin:
		sec.fail("config.log_key", c.LogKeySource, xinyong.MsgDoctorLogKeyOrigin, c.LogKey.Name(), c.LogOrigin)
	default:
		sec.ok("config.log_key", c.LogKeySource, xinyong.MsgDoctorLogKey, c.LogKey.Name())
	}
}

// checkTimeliness checks what deadlines are counted with: the working-day calendar must hold this year's
// State Council notice (and, from November, next year's), and the take-down limit must be usable.
func checkTimeliness(sec *Section, c Config) {
	if c.TakedownWorkingDays < 0 {
		sec.fail("config.takedown_working_days", "takedown_working_days", xinyong.MsgDoctorTakedownBad, c.TakedownWorkingDays)
	} else if c.TakedownWorkingDays > 0 {
		sec.ok("config.takedown_working_days", "takedown_working_days", xinyong.MsgDoctorTakedown, c.TakedownWorkingDays)
	}
	if c.Today.IsZero() {
		return
	}
	cal := workday.Default()
	year, month, _ := c.Today.Time().Date()
	switch {
	case !cal.Covered(year):
		sec.warn("config.calendar", "workday", xinyong.MsgDoctorCalendarUncovered, year)
	case month >= time.November && !cal.Covered(year+1):
		sec.warn("config.calendar", "workday", xinyong.MsgDoctorCalendarNext, year+1)
	default:
		sec.ok("config.calendar", "workday", xinyong.MsgDoctorCalendar, timeliness.Years(cal.Years()))
	}
}

func checkConfigFile(sec *Section, c Config) {
	switch {
	case c.File == "":
		sec.ok("config.file", "", xinyong.MsgDoctorConfigNone)
	case c.FileErr != nil:
		sec.fail("config.file", c.File, xinyong.MsgDoctorConfigBad, c.File, c.FileErr)
	default:
		sec.ok("config.file", c.File, xinyong.MsgDoctorConfigRead, c.File)
	}
}

func checkLogging(sec *Section, c Config) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		sec.fail("config.log_level", "log_level", xinyong.MsgDoctorLogLevelBad, c.LogLevel)
	} else {
		sec.ok("config.log_level", "log_level", xinyong.MsgDoctorLogLevel, c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
		sec.ok("config.log_format", "log_format", xinyong.MsgDoctorLogFormat, c.LogFormat)
	default:
		sec.fail("config.log_format", "log_format", xinyong.MsgDoctorLogFormatBad, c.LogFormat)
	}
}

// httpURL parses an absolute http or https URL with a host; nil when s is not one.
func httpURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return nil
	}
	return u
}

func checkBaseURL(sec *Section, s string) {
	if s == "" {
		sec.ok("config.base_url", "base_url", xinyong.MsgDoctorBaseURLDefault)
		return
	}
	u := httpURL(s)
	if u == nil {
		sec.fail("config.base_url", "base_url", xinyong.MsgDoctorBaseURLBad, s)
		return
	}
	if u.Scheme == "http" {
		sec.warn("config.base_url", "base_url", xinyong.MsgDoctorBaseURLHTTP, s)
		return
	}
	sec.ok("config.base_url", "base_url", xinyong.MsgDoctorBaseURL, s)
}

func checkTheme(sec *Section, dir string) {
	if dir == "" {
		sec.ok("config.theme", "theme", xinyong.MsgDoctorThemeEmbedded)
		return
	}
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		sec.fail("config.theme", "theme", xinyong.MsgDoctorThemeBad, dir, unwrapPath(err))
		return
	case !fi.IsDir():
		sec.fail("config.theme", "theme", xinyong.MsgDoctorThemeBad, dir, xinyong.MsgDoctorDataNotDir)
		return
	}
	if fi, err := os.Stat(filepath.Join(dir, "layouts")); err != nil || !fi.IsDir() {
		sec.fail("config.theme", "theme", xinyong.MsgDoctorThemeBad, dir, xinyong.MsgDoctorThemeNoLayouts)
		return
	}
	sec.ok("config.theme", "theme", xinyong.MsgDoctorTheme, dir)
}

// checkPublication checks the settings of run and schedule: releases kept, the guard, the cron schedule
// and the alert webhook.
func checkPublication(sec *Section, c Config) {
	if c.Keep < 1 {
		sec.fail("config.keep", "keep", xinyong.MsgDoctorKeepBad, c.Keep)
	} else {
		sec.ok("config.keep", "keep", xinyong.MsgDoctorKeep, c.Keep)
	}
	if c.MaxShrink <= 0 || c.MaxShrink > 1 {
		sec.fail("config.max_shrink", "max_shrink", xinyong.MsgDoctorMaxShrinkBad, c.MaxShrink)
	} else {
		sec.ok("config.max_shrink", "max_shrink", xinyong.MsgDoctorMaxShrink, c.MaxShrink*100)
	}
	spec := c.Schedule
	if spec == "" {
		spec = scheduler.DefaultSpec
	}
	if _, err := cron.ParseStandard(spec); err != nil {
		sec.fail("config.schedule", "schedule", xinyong.MsgDoctorScheduleBad, spec, err)
	} else {
		sec.ok("config.schedule", "schedule", xinyong.MsgDoctorSchedule, spec)
	}
	switch u := httpURL(c.Webhook); {
	case c.Webhook == "":
		sec.ok("config.alert_webhook", "alert_webhook", xinyong.MsgDoctorWebhookNone)
	case u == nil:
		sec.fail("config.alert_webhook", "alert_webhook", xinyong.MsgDoctorWebhookBad)
	default:
		sec.ok("config.alert_webhook", "alert_webhook", xinyong.MsgDoctorWebhook, u.Scheme, u.Host)
	}
}
