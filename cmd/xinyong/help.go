package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"xinyong"
)

// flagSet returns the flag set of a command. The flag package prints nothing: e.parseArgs prints the help
// (stdout) and the usage errors (stderr) in Chinese. Flags are declared without a description: e.parseArgs
// sets each one's from xinyong.FlagUsage, where all the user-facing text is.
func (e *env) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parse parses the flags of a command that takes no arguments, turning flag errors into usage errors.
func (e *env) parse(fs *flag.FlagSet, args []string) error { return e.parseArgs(fs, args, 0) }

// parseArgs parses the flags of a command that takes at most maxArgs arguments after them (-1: any number),
// turning flag errors and extra arguments into usage errors. Flags end at the first argument, as the flag
// package parses them. -h, -help and --help print the command's help on stdout and return flag.ErrHelp
// (exit status 0).
func (e *env) parseArgs(fs *flag.FlagSet, args []string, maxArgs int) error {
	fs.VisitAll(func(f *flag.Flag) { f.Usage = flagUsage(fs.Name(), f.Name) })
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			e.commandHelp(e.stdout, fs)
			return err
		}
		return usageMsg("%s%s", flagError(fs.Name(), err), fmt.Sprintf(xinyong.MsgHelpMore, fs.Name()))
	}
	if maxArgs < 0 || fs.NArg() <= maxArgs {
		return nil
	}
	extra := fs.Arg(maxArgs)
	more := fmt.Sprintf(xinyong.MsgHelpMore, fs.Name())
	if strings.HasPrefix(extra, "-") {
		return usageMsg(xinyong.MsgFlagAfterArg+"%s", fs.Name(), extra, more)
	}
	if maxArgs == 0 {
		return usageMsg(xinyong.MsgExtraArgument+"%s", fs.Name(), extra, more)
	}
	return usageMsg(xinyong.MsgTooManyArguments+"%s", fs.Name(), maxArgs, fs.NArg(), more)
}

// flagError says in Chinese what the flag package's error err (its text is all there is) says in English.
func flagError(cmd string, err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return fmt.Sprintf(xinyong.MsgUnknownFlag, cmd, dashed(strings.TrimLeft(name, "-")))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return fmt.Sprintf(xinyong.MsgFlagNeedsValue, cmd, dashed(strings.TrimLeft(name, "-")))
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		// invalid value "x" for flag -n: parse error
		value, rest, _ := strings.Cut(rest, " for flag ")
		name, _, _ := strings.Cut(rest, ":")
		return fmt.Sprintf(xinyong.MsgFlagBadValue, cmd, dashed(strings.TrimLeft(name, "-")), value)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		value, rest, _ := strings.Cut(rest, " for ")
		name, _, _ := strings.Cut(rest, ":")
		return fmt.Sprintf(xinyong.MsgFlagBadValue, cmd, dashed(strings.TrimLeft(name, "-")), value)
	}
	if name, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return fmt.Sprintf(xinyong.MsgFlagSyntax, cmd, name)
	}
	return cmd + "：" + msg
}

// command returns the help of the named command.
func command(name string) (xinyong.Command, bool) {
	for _, c := range xinyong.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return xinyong.Command{}, false
}

// mainHelp writes `xinyong --help`: the commands, one line each.
func mainHelp(w io.Writer) {
	fmt.Fprintln(w, xinyong.MsgHelpIntro)
	for _, c := range xinyong.Commands {
		fmt.Fprintf(w, "  %-11s %s\n", c.Name, c.Summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, xinyong.MsgHelpOutro)
	fmt.Fprintln(w)
	for _, ex := range strings.Split(xinyong.HelpMainExamples, "\n") {
		fmt.Fprintf(w, xinyong.MsgHelpExample+"\n", ex)
	}
}

// flagUsage is the Chinese description of a command's flag.
func flagUsage(cmd, name string) string {
	if u, ok := xinyong.FlagUsage[cmd+"."+name]; ok {
		return u
	}
	return xinyong.FlagUsage[name]
}

// commandHelp writes `xinyong COMMAND --help`: the usage line, what the command does, its flags with
// their Chinese descriptions and defaults, and examples.
func (e *env) commandHelp(w io.Writer, fs *flag.FlagSet) {
	c, _ := command(fs.Name())
	fmt.Fprintf(w, xinyong.MsgHelpUsage+"\n\n%s\n", c.Usage, c.Description)
	n := 0
	fs.VisitAll(func(f *flag.Flag) {
		if n == 0 {
			fmt.Fprintf(w, "\n%s\n", xinyong.MsgHelpFlags)
		}
		n++
		// UnquoteUsage takes the value's name from `WORD` in the description, as PrintDefaults does.
		value, usage := flag.UnquoteUsage(f)
		line := "  " + dashed(f.Name)
		if value != "" {
			line += " " + value
		}
		fmt.Fprintf(w, "%s\n        %s", line, usage)
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s" {
			fmt.Fprintf(w, xinyong.MsgHelpDefault, f.DefValue)
		}
		fmt.Fprintln(w)
	})
	fmt.Fprintln(w)
	for _, ex := range c.Examples {
		fmt.Fprintf(w, xinyong.MsgHelpExample+"\n", ex)
	}
}

// dashed writes a flag as the documentation does: --name, or -n for a one-letter flag.
func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
