package tree_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"xinyong/internal/tree"
)

// TestSameContent: files are the same when all their bytes are, across the 64 KiB reads too, and comparing
// reuses its buffers: a hundred comparisons allocate far less than one buffer each.
func TestSameContent(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("页面"), 50_000) // 300,000 bytes: five reads
	other := slices.Clone(big)
	other[len(other)-1] ^= 1
	files := map[string][]byte{"a": big, "b": slices.Clone(big), "c": other, "d": big[:len(big)-1], "e": nil, "f": nil}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		a, b string
		same bool
	}{{"a", "b", true}, {"a", "c", false}, {"a", "d", false}, {"d", "a", false}, {"e", "f", true}, {"e", "a", false}} {
		same, err := tree.SameContent(filepath.Join(dir, tt.a), filepath.Join(dir, tt.b))
		if err != nil || same != tt.same {
			t.Errorf("tree.SameContent(%s, %s) = %v, %v; want %v", tt.a, tt.b, same, err, tt.same)
		}
	}
	small := filepath.Join(dir, "small")
	os.WriteFile(small, []byte("<html>同</html>"), 0o644)
	// One P: a sync.Pool keeps a Put buffer for the P that put it, and a goroutine moved to another P
	// between two comparisons would find none there (what a busy test binary does now and then).
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	tree.SameContent(small, small) // the pool's first buffers
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 100 {
		if same, err := tree.SameContent(small, small); !same || err != nil {
			t.Fatal(same, err)
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<10 {
		t.Errorf("100 comparisons of a small file allocated %d bytes", n)
	}
}
