// Command xinyong publishes 信用盘锦, Panjin's public credit-disclosure site, from the city's credit data
// exchange database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errUsage marks an error in how the command was called: exit status 2.
var errUsage = errors.New("usage")

// usageError returns an error that exits with status 2.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUsage}, args...)...)
}

// usageMsg returns a usage error (exit status 2) whose text is just the sentence, for the Chinese messages
// of messages.go.
func usageMsg(format string, args ...any) error {
	return usageSentence(fmt.Sprintf(format, args...))
}

type usageSentence string

func (u usageSentence) Error() string        { return string(u) }
func (u usageSentence) Is(target error) bool { return target == errUsage }

// errSilent is a failure that has been reported already (check-code's invalid codes): exit status 1.
var errSilent = errors.New("failed")

func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errSilent):
		return 1
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "xinyong:", err)
		return 2
	}
	fmt.Fprintln(stderr, "xinyong:", err)
	return 1
}

// env is what a command needs from the world; tests substitute every part.
type env struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	now            func() time.Time
	// exe is the path of the xinyong binary, which a publication runs to build the site; nil is
	// os.Executable.
	exe func() (string, error)
	// terminal reports whether w is an interactive terminal (progress lines instead of info logs); nil is
	// isTerminal. Tests force it.
	terminal func(w io.Writer) bool
}

func (e *env) isTerminal(w io.Writer) bool {
	if e.terminal == nil {
		return isTerminal(w)
	}
	return e.terminal(w)
}

func (e *env) executable() (string, error) {
	if e.exe == nil {
		return os.Executable()
	}
	return e.exe()
}

const usage = `xinyong publishes 信用盘锦 from the credit data exchange database.

Usage: xinyong <command> [flags]

Commands:
  demo        create a SQLite exchange database with realistic demo data
  export      write the records public on a date as a Hugo content tree, with a data-quality report
  build       build the site from an export tree with Hugo (in-process) and the embedded theme
  run         publish once: export, build, index into a new release, then make it current
  serve       serve the current release with search; --schedule also publishes nightly, --demo starts everything
  schedule    publish on the cron schedule (default 02:00 Asia/Shanghai); SIGUSR1 publishes at once
  releases    list the releases, the current one marked
  rollback    make another release current (default: the one before), unless it would republish
              entries taken down since
  status      the run history with each failure's full (redacted) error: for the operator
  check-code  check 统一社会信用代码 (GB 32100-2015)
  doctor      check the exchange database against the contract, the data directory and the config

Run "xinyong <command> -h" for the flags of a command. Flags can also be set by --config FILE (TOML)
and XINYONG_* environment variables; see docs/config.md.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now}
	return e.run(ctx, args)
}

func (e *env) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usage)
		return usageError("no command")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "demo":
		return e.demo(ctx, args)
	case "run":
		return e.runCmd(ctx, args)
	case "releases":
		return e.releases(args)
	case "schedule":
		return e.schedule(ctx, args)
	case "rollback":
		return e.rollback(args)
	case "status":
		return e.status(args)
	case "export":
		return e.export(ctx, args)
	case "build":
		return e.build(ctx, args)
	case "check-code":
		return e.checkCode(args)
	case "doctor":
		return e.doctor(ctx, args)
	case "serve":
		return e.serve(ctx, args)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(e.stdout, usage)
		return nil
	}
	fmt.Fprint(e.stderr, usage)
	return usageError("unknown command %q", cmd)
}

// parse parses the flags of a command that takes no arguments, turning flag errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error { return parseArgs(fs, args, 0) }

// parseArgs parses the flags of a command that takes at most maxArgs arguments after them (-1: any number),
// turning flag errors and extra arguments into usage errors. Flags end at the first argument, as the flag
// package parses them.
func parseArgs(fs *flag.FlagSet, args []string, maxArgs int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError("%s: %v", fs.Name(), err)
	}
	if maxArgs < 0 || fs.NArg() <= maxArgs {
		return nil
	}
	extra := fs.Arg(maxArgs)
	if strings.HasPrefix(extra, "-") {
		return usageError("%s: unexpected argument %q: flags go before the arguments", fs.Name(), extra)
	}
	if maxArgs == 0 {
		return usageError("%s: unexpected argument %q", fs.Name(), extra)
	}
	return usageError("%s: at most %d argument(s), got %d", fs.Name(), maxArgs, fs.NArg())
}
