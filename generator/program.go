package generator

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime/debug"
	"sync"
)

// ProgramID identifies the running program for the caches that reuse what an earlier run made from the
// same input (a download's rows, opendata.WriteReusing): two runs with the same ProgramID turn the same
// input into the same bytes. A binary built from a clean checkout is named by its build information
// (module, VCS revision, Go version, build settings, dependencies); any other (a modified checkout, a
// test binary) by the SHA-256 of its executable, so that no code change can ever keep the same ID. ""
// when neither can be had: the caller must then not reuse anything.
func ProgramID() string {
	programOnce.Do(func() { programID = readProgramID() })
	return programID
}

var (
	programOnce sync.Once
	programID   string
)

func readProgramID() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		clean, revision := false, false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.modified":
				clean = s.Value == "false"
			case "vcs.revision":
				revision = s.Value != ""
			}
		}
		if clean && revision {
			sum := sha256.Sum256([]byte(bi.String()))
			return "build:" + hex.EncodeToString(sum[:])
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "exe:" + hex.EncodeToString(h.Sum(nil))
}
