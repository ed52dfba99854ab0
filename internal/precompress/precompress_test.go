package precompress

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestWriteFile_RoundTripAndDeterministic(t *testing.T) {
	dir := t.TempDir()
	data := []byte(strings.Repeat("<p>失信黑名单 某某公司</p>\n", 200))
	w := NewWriter()
	a := filepath.Join(dir, "a.html")
	if err := w.WriteFile(a, data); err != nil {
		t.Fatal(err)
	}
	z, err := os.ReadFile(a + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatal(err)
	}
	if zr.Name != "" || !zr.ModTime.IsZero() {
		t.Errorf("header carries name %q, time %v", zr.Name, zr.ModTime)
	}
	got, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("round trip: %v, equal %v", err, bytes.Equal(got, data))
	}
	if len(z) >= len(data)/2 {
		t.Errorf("compressed %d bytes to %d", len(data), len(z))
	}
	// Another writer, after other data: the same bytes.
	w2 := NewWriter()
	if _, err := w2.Compress([]byte("something else entirely, to leave state behind")); err != nil {
		t.Fatal(err)
	}
	z2, err := w2.Compress(data)
	if err != nil || !bytes.Equal(z2, z) {
		t.Errorf("the same bytes compressed differently (err %v)", err)
	}
}

func TestWants(t *testing.T) {
	for _, c := range []struct {
		name string
		size int64
		want bool
	}{
		{"index.html", 2000, true},
		{"INDEX.HTML", 2000, true},
		{"index.html", MinSize - 1, false},
		{"main.css", 5000, true},
		{"photo.png", 5000, false},
		{"black.csv", 5000, false},
		{"index.html.gz", 5000, false},
	} {
		if got := Wants(c.name, c.size); got != c.want {
			t.Errorf("Wants(%q, %d) = %v", c.name, c.size, got)
		}
	}
}

// TestVersion_NamesTheModule: Version goes into the record pages' fingerprint, so that a page's .gz is
// reused only from a build that compressed it the same way; it must change with the module's version,
// which go.mod names.
func TestVersion_NamesTheModule(t *testing.T) {
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/(klauspost/compress) (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/klauspost/compress")
	}
	if want := fmt.Sprintf("%s %s gzip level %d", m[1], m[2], Level); Version != want {
		t.Errorf("Version = %q, want %q", Version, want)
	}
}
