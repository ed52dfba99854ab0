// Package program identifies the running xinyong binary, for the keys under which a build's or an index's
// output is reused the next night: a reused page or index document must have been made by the same code,
// so that a fix reaches everything the night after an upgrade.
package program

import (
	"debug/elf"
	"os"
	"sync"

	"xinyong/internal/tree"
)

// ID identifies the running binary: its Go build ID (which changes with any input of the build: the code,
// the modules, the toolchain and its flags), else the SHA-256 of the file (about a tenth of a CPU-second for
// 100 MB), "" when neither can be read. It is worked out once per process.
func ID() string {
	once.Do(func() { id = Of(exe()) })
	return id
}

var (
	once sync.Once
	id   string
)

func exe() string {
	p, err := os.Executable()
	if err != nil {
		return ""
	}
	return p
}

// Of is ID of the executable at path.
func Of(path string) string {
	if path == "" {
		return ""
	}
	if b := BuildID(path); b != "" {
		return "go build ID " + b
	}
	sum, err := tree.FileSHA256(path)
	if err != nil {
		return ""
	}
	return sum
}

// BuildID returns the Go build ID of the ELF executable at path (its .note.go.buildid note, as `go tool
// buildid` prints it), or "".
func BuildID(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	b, err := sec.Data()
	if err != nil || len(b) < 16 {
		return ""
	}
	order := f.ByteOrder
	namesz, descsz, typ := order.Uint32(b), order.Uint32(b[4:]), order.Uint32(b[8:])
	name := 12 + (int(namesz)+3)&^3
	if namesz != 4 || typ != 4 || string(b[12:16]) != "Go\x00\x00" || len(b) < name+int(descsz) {
		return ""
	}
	return string(b[name : name+int(descsz)])
}
