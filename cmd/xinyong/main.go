// Command xinyong publishes 信用盘锦, Panjin's public credit-disclosure site, from the city's credit data
// exchange database.
//
// The nightly publication — `xinyong run`, and the schedule of `xinyong schedule` and `serve --schedule` —
// is publish.Run, which performs the steps publish.Steps lists (publish/steps.go), in order: export
// (package generator), compare with the current release, changes, opendata, build (package site), index
// (package search), compress, link and publish. This package only parses the command line and the
// configuration and wires the packages together: each command is one method of env, dispatched in
// env.run below (run.go: run, releases, rollback; serve.go; schedule.go; status.go; doctor.go; commands.go:
// demo, export, build, check-code).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"xinyong"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errUsage marks an error in how the command was called: exit status 2.
var errUsage = errors.New("usage")

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
	stdin          io.Reader // nil is os.Stdin
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

func (e *env) input() io.Reader {
	if e.stdin == nil {
		return os.Stdin
	}
	return e.stdin
}

func (e *env) executable() (string, error) {
	if e.exe == nil {
		return os.Executable()
	}
	return e.exe()
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr, getenv: os.Getenv, now: time.Now}
	return e.run(ctx, args)
}

func (e *env) run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		mainHelp(e.stderr)
		return usageMsg(xinyong.MsgNoCommand)
	}
	cmd, args := args[0], args[1:]
	defer startProfile(e.getenv, cmd)()
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
	case "timeliness":
		return e.timeliness(ctx, args)
	case "serve":
		return e.serve(ctx, args)
	case "verify":
		return e.verify(ctx, args)
	case "log-key":
		return e.logKey(args)
	case "version", "-version", "--version":
		return e.version(args)
	case "help", "-h", "-help", "--help":
		// xinyong help COMMAND is xinyong COMMAND --help.
		if len(args) == 1 {
			if _, ok := command(args[0]); ok {
				return e.run(ctx, []string{args[0], "--help"})
			}
		}
		mainHelp(e.stdout)
		return nil
	}
	mainHelp(e.stderr)
	return usageMsg(xinyong.MsgUnknownCommand, cmd)
}
