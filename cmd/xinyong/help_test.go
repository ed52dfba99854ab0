package main

import (
	"runtime/debug"
	"strings"
	"testing"
	"unicode"

	"xinyong"
)

// hasHan reports whether s has Chinese characters.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestHelp_EveryCommand: `xinyong COMMAND --help` (and -h) of every command prints on stdout, exit status 0,
// a usage line, a Chinese sentence, every flag with a Chinese description and a value name, and an example.
func TestHelp_EveryCommand(t *testing.T) {
	if len(xinyong.Commands) < 12 {
		t.Fatalf("%d commands in xinyong.Commands", len(xinyong.Commands))
	}
	for _, c := range xinyong.Commands {
		for _, h := range []string{"--help", "-h"} {
			code, stdout, stderr := runCmd(t, nil, c.Name, h)
			if code != 0 || stderr != "" {
				t.Errorf("%s %s: exit %d, stderr %q; want 0 and nothing", c.Name, h, code, stderr)
			}
			if !strings.HasPrefix(stdout, "用法：xinyong "+c.Name) || !strings.Contains(stdout, "例：xinyong ") ||
				!strings.Contains(stdout, c.Description) || !hasHan(c.Description) {
				t.Errorf("%s %s: no usage line, Chinese description or example:\n%s", c.Name, h, stdout)
			}
			// The flag package's names of value types mean a flag lacks a `WORD` in its description.
			for _, word := range []string{" string\n", " int\n", " uint\n", " value\n", " float\n", " duration\n"} {
				if strings.Contains(stdout, word) {
					t.Errorf("%s %s: a flag's value is named%q:\n%s", c.Name, h, word, stdout)
				}
			}
		}
		for _, ex := range c.Examples {
			if !strings.HasPrefix(ex, "xinyong "+c.Name) && !strings.HasPrefix(ex, "xinyong --"+c.Name) {
				t.Errorf("%s: example %q is not of the command", c.Name, ex)
			}
		}
	}
}

// TestHelp_FlagsDescribed: every flag of every command has a Chinese description in xinyong.FlagUsage.
func TestHelp_FlagsDescribed(t *testing.T) {
	for _, c := range xinyong.Commands {
		// The flags as the help lists them.
		code, stdout, _ := runCmd(t, nil, c.Name, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d", c.Name, code)
		}
		for _, line := range strings.Split(stdout, "\n") {
			if !strings.HasPrefix(line, "  -") {
				continue
			}
			name := strings.TrimLeft(strings.Fields(line)[0], "-")
			if u := flagUsage(c.Name, name); !hasHan(u) {
				t.Errorf("%s: flag %s has no Chinese description (xinyong.FlagUsage %q or %q)", c.Name, name, c.Name+"."+name, name)
			}
		}
	}
}

// TestHelp_Main: --help, -h and help print the list of commands on stdout, exit 0; no command prints it on
// stderr, exit 2; an unknown command or flag is a usage error on stderr, exit 2.
func TestHelp_Main(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, stdout, stderr := runCmd(t, nil, args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, xinyong.MsgHelpIntro) {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", args, code, stderr, stdout)
		}
		for _, c := range xinyong.Commands {
			if !strings.Contains(stdout, "  "+c.Name+" ") || !hasHan(c.Summary) {
				t.Errorf("%v: command %s not listed with a Chinese line", args, c.Name)
			}
		}
	}
	// A broken configuration does not hide the help.
	if code, stdout, stderr := runCmd(t, map[string]string{"XINYONG_CONFIG": "/nonexistent/xinyong.toml"}, "run", "--help"); code != 0 ||
		!strings.HasPrefix(stdout, "用法：xinyong run") {
		t.Errorf("run --help with a missing XINYONG_CONFIG: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if code, stdout, _ := runCmd(t, nil, "help", "run"); code != 0 || !strings.HasPrefix(stdout, "用法：xinyong run") {
		t.Errorf("help run: exit %d, stdout %q", code, stdout)
	}
	tests := []struct {
		args []string
		want string
	}{
		{nil, xinyong.MsgHelpIntro},
		{[]string{"frobnicate"}, "没有 frobnicate 这个命令"},
		{[]string{"export", "--nope"}, "export：没有 --nope 这个参数（运行 xinyong export --help 查看用法）"},
		{[]string{"status", "-n", "many"}, "status：参数 -n 的值 \"many\" 无效"},
		{[]string{"demo", "--db"}, "demo：参数 --db 需要一个值"},
		{[]string{"releases", "extra"}, "releases：多余的参数 extra"},
		{[]string{"rollback", "A", "--data", "x"}, "rollback：参数 --data 要写在其他命令行参数之前"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, nil, tt.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q on stderr", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

// TestVersion: --version and version print xinyong's version, the commit, Go and Hugo.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, stdout, stderr := runCmd(t, nil, args...)
		if code != 0 || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for _, want := range []string{"xinyong 版本 ", "源代码提交", "Go 版本 go1.", "Hugo 版本 v0."} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v: %q lacks %q", args, stdout, want)
			}
		}
	}
	var b strings.Builder
	writeVersion(&b, &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "xinyong", Version: "(devel)"},
		Deps: []*debug.Module{{Path: "github.com/gohugoio/hugo", Version: "v0.165.0"}},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "c1317cd0"}, {Key: "vcs.time", Value: "2026-12-06T08:00:00Z"},
			{Key: "vcs.modified", Value: "true"}}})
	want := "xinyong 版本 (devel)\n源代码提交 c1317cd0（提交时间 2026-12-06T08:00:00Z，含未提交的修改）\nGo 版本 go1.26.0\nHugo 版本 v0.165.0\n"
	if b.String() != want {
		t.Errorf("writeVersion:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	writeVersion(&b, nil)
	if !strings.Contains(b.String(), "(devel)") || !strings.Contains(b.String(), xinyong.MsgVersionNoVCS) {
		t.Errorf("writeVersion without build info: %q", b.String())
	}
}
