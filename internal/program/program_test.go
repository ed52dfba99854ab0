package program

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/internal/tree"
)

// TestID_BuildID: the running test binary is identified by its Go build ID (as `go tool buildid` prints
// it), not by hashing the file; a file that is not an executable has none and is identified by its SHA-256.
func TestID_BuildID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	id := BuildID(exe)
	if id == "" || ID() != "go build ID "+id {
		t.Fatalf("build ID %q, ID %q", id, ID())
	}
	if out, err := exec.Command("go", "tool", "buildid", exe).Output(); err == nil {
		if want := strings.TrimSpace(string(out)); id != want {
			t.Errorf("build ID %q, go tool buildid says %q", id, want)
		}
	}
	notExe := filepath.Join(t.TempDir(), "x")
	if err := os.WriteFile(notExe, []byte("not an executable"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b := BuildID(notExe); b != "" {
		t.Errorf("build ID %q of a text file", b)
	}
	sum, err := tree.FileSHA256(notExe)
	if err != nil {
		t.Fatal(err)
	}
	if got := Of(notExe); got != sum {
		t.Errorf("Of a text file = %q, want its SHA-256 %q", got, sum)
	}
	if got := Of(filepath.Join(t.TempDir(), "none")); got != "" {
		t.Errorf("Of a missing file = %q, want \"\"", got)
	}
}
