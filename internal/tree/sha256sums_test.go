package tree

import (
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestSHA256Sums: the sums written read back, in sha256sum's own format (sha256sum -c accepts them when
// the tool is there); a malformed line is refused.
func TestSHA256Sums(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"a.html": "<p>a</p>", "d/b 空格.txt": "b"}
	var sums []PathSum
	for p, c := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644)
		sums = append(sums, PathSum{p, sha256.Sum256([]byte(c))})
	}
	name := filepath.Join(t.TempDir(), "SUMS")
	if err := WriteSHA256Sums(name, sums); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSHA256Sums(name)
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %v", got, err)
	}
	for p, c := range files {
		if got[p] != sha256.Sum256([]byte(c)) {
			t.Errorf("%s: wrong sum", p)
		}
		if s, err := FileSum(filepath.Join(dir, p)); err != nil || s != got[p] {
			t.Errorf("FileSum(%s): %v", p, err)
		}
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "--quiet", name)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, out)
		}
	}
	os.WriteFile(name, []byte("abc  x\n"), 0o644)
	if _, err := ReadSHA256Sums(name); err == nil {
		t.Error("a malformed line read")
	}
}
