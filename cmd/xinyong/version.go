package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"xinyong"
)

// hugoModule is the module path of Hugo, which builds the site in process.
const hugoModule = "github.com/gohugoio/hugo"

// version is `xinyong version` and `xinyong --version`.
func (e *env) version(args []string) error {
	fs := e.flagSet("version")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	writeVersion(e.stdout, bi)
	return nil
}

// writeVersion prints the version of xinyong, its commit, and the Go and Hugo versions from bi (nil: the
// binary has no build information).
func writeVersion(w io.Writer, bi *debug.BuildInfo) {
	if bi == nil {
		bi = &debug.BuildInfo{}
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	fmt.Fprintf(w, xinyong.MsgVersion+"\n", v)
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		modified := ""
		if settings["vcs.modified"] == "true" {
			modified = xinyong.MsgVersionModified
		}
		fmt.Fprintf(w, xinyong.MsgVersionVCS+"\n", rev, orUnknown(settings["vcs.time"]), modified)
	} else {
		fmt.Fprintln(w, xinyong.MsgVersionNoVCS)
	}
	fmt.Fprintf(w, xinyong.MsgVersionGo+"\n", orUnknown(bi.GoVersion))
	hugo := ""
	for _, d := range bi.Deps {
		if d.Path == hugoModule {
			hugo = d.Version
			if d.Replace != nil && d.Replace.Version != "" {
				hugo = d.Replace.Version
			}
		}
	}
	fmt.Fprintf(w, xinyong.MsgVersionHugo+"\n", orUnknown(hugo))
}

func orUnknown(s string) string {
	if s == "" {
		return xinyong.MsgVersionUnknown
	}
	return s
}
