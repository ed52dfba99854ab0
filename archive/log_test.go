package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
	"time"
)

func sumsOf(pages ...string) []Sum {
	var out []Sum
	for _, p := range pages {
		out = append(out, sha256.Sum256([]byte(p)))
	}
	slices.SortFunc(out, func(a, b Sum) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(out)
}

// appendSwitch appends and commits one switch, as a publication does.
func appendSwitch(t *testing.T, l *Log, dir, release, asOf string, key *Key, pages ...string) *Pending {
	t.Helper()
	sw := Switch{Release: release, AsOf: asOf, Event: EventPublished, At: time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)}
	p, err := l.Append(context.Background(), sw, sumsOf(pages...), filepath.Join(dir, release), Options{Origin: "example.invalid/log", Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Commit(p.Dir); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLog_ProveAndCheck(t *testing.T) {
	skey, vkey, err := GenerateKey("example.invalid/log")
	if err != nil {
		t.Fatal(err)
	}
	key, err := ParseKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	l, err := Open(filepath.Join(dir, "log"))
	if err != nil {
		t.Fatal(err)
	}
	// Many pages, so that the first switch spans several entries and bundles.
	var pages []string
	for i := range 3000 {
		pages = append(pages, fmt.Sprintf("<p>page %d</p>", i))
	}
	appendSwitch(t, l, dir, "R1", "2026-12-01", key, pages...)
	// R2: page 0 changed, page 1 removed.
	r2 := append([]string{"<p>page 0, changed</p>"}, pages[2:]...)
	appendSwitch(t, l, dir, "R2", "2026-12-02", key, r2...)
	appendSwitch(t, l, dir, "R3", "2026-12-03", key, append(r2, "<p>new</p>")...)

	cases := []struct {
		page        string
		from, to    string
		current     bool
		removedAsOf string
	}{
		{"<p>page 0</p>", "2026-12-01", "2026-12-01", false, "2026-12-02"},
		{"<p>page 1</p>", "2026-12-01", "2026-12-01", false, "2026-12-02"},
		{"<p>page 2</p>", "2026-12-01", "2026-12-03", true, ""},
		{"<p>page 0, changed</p>", "2026-12-02", "2026-12-03", true, ""},
		{"<p>new</p>", "2026-12-03", "2026-12-03", true, ""},
	}
	for _, c := range cases {
		sum := Sum(sha256.Sum256([]byte(c.page)))
		p, err := l.Prove(sum)
		if err != nil {
			t.Fatal(err)
		}
		v, err := Check(p, sum, vkey)
		if err != nil {
			t.Fatalf("%s: %v", c.page, err)
		}
		if !v.Signed || len(v.Periods) != 1 {
			t.Fatalf("%s: %+v", c.page, v)
		}
		pd := v.Periods[0]
		if pd.From.AsOf != c.from || pd.To.AsOf != c.to || pd.Current != c.current {
			t.Errorf("%s: period %+v", c.page, pd)
		}
		if (pd.Removed != nil) != (c.removedAsOf != "") || (pd.Removed != nil && pd.Removed.AsOf != c.removedAsOf) {
			t.Errorf("%s: removed %+v", c.page, pd.Removed)
		}
		// The proof of another page does not prove this one.
		other := Sum(sha256.Sum256([]byte(c.page + " ")))
		if _, err := Check(p, other, vkey); err == nil {
			t.Errorf("%s: a proof checked for another page", c.page)
		}
	}
	// A page never published.
	sum := Sum(sha256.Sum256([]byte("<p>forged</p>")))
	p, err := l.Prove(sum)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := Check(p, sum, vkey); err != nil || v.Found {
		t.Fatalf("forged page: %+v, %v", v, err)
	}
	// A wrong key.
	_, vkey2, _ := GenerateKey("example.invalid/log")
	sum = Sum(sha256.Sum256([]byte("<p>page 2</p>")))
	p, _ = l.Prove(sum)
	if _, err := Check(p, sum, vkey2); err == nil {
		t.Error("checked with another key")
	}
	// A tampered entry.
	p.Events[0].Entry = p.Events[0].Entry[:len(p.Events[0].Entry)-2] + "0\n"
	if _, err := Check(p, sum, vkey); err == nil {
		t.Error("a tampered entry checked")
	}
}

// TestLog_UncommittedAppend: an append never committed (its release never became current) leaves the log
// as it was; the next append overwrites what it wrote.
func TestLog_UncommittedAppend(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(filepath.Join(dir, "log"))
	appendSwitch(t, l, dir, "R1", "2026-12-01", nil, "a", "b")
	before := l.State
	sw := Switch{Release: "R2", AsOf: "2026-12-02", Event: EventPublished, At: time.Now()}
	if _, err := l.Append(context.Background(), sw, sumsOf("x", "y", "z"), filepath.Join(dir, "R2"), Options{Origin: "o"}); err != nil {
		t.Fatal(err)
	}
	l2, _ := Open(l.Dir)
	if l2.State != before {
		t.Fatalf("state changed: %+v", l2.State)
	}
	appendSwitch(t, l2, dir, "R3", "2026-12-03", nil, "a", "c")
	sum := Sum(sha256.Sum256([]byte("c")))
	p, err := l2.Prove(sum)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Check(p, sum, "")
	if err != nil || v.Signed || len(v.Periods) != 1 || v.Periods[0].From.Release != "R3" {
		t.Fatalf("%+v %v", v, err)
	}
	sum = Sum(sha256.Sum256([]byte("x")))
	if p, _ := l2.Prove(sum); p.Found {
		t.Fatal("a page of the uncommitted switch is found")
	}
}

// TestParseKey: keys whose base64 holds '+' (most do) parse, and the verifier key matches GenerateKey's.
func TestParseKey(t *testing.T) {
	for range 50 {
		skey, vkey, err := GenerateKey("example.invalid/log")
		if err != nil {
			t.Fatal(err)
		}
		k, err := ParseKey(skey + "\n")
		if err != nil {
			t.Fatalf("%v", err)
		}
		if k.VKey != vkey {
			t.Fatalf("vkey %s, want %s", k.VKey, vkey)
		}
	}
	if _, err := ParseKey("PRIVATE+KEY+x+00000000+AAAA"); err == nil || strings.Contains(err.Error(), "AAAA") {
		t.Fatalf("bad key: %v", err)
	}
}

// TestLog_PartialsPruned: the partial tiles and bundles of an older tree leave the log directory once a
// wider one is committed; the committed tree's are all there.
func TestLog_PartialsPruned(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(filepath.Join(dir, "log"))
	appendSwitch(t, l, dir, "R1", "2026-12-01", nil, "a", "b")
	appendSwitch(t, l, dir, "R2", "2026-12-02", nil, "a", "c")
	var files []string
	filepath.WalkDir(filepath.Join(l.Dir, TileDir), func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(l.Dir, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	slices.Sort(files)
	want := []string{BundlePath(0, l.State.Size), TilePath(tlog.Tile{H: TileHeight, L: 0, N: 0, W: int(l.State.Size)})}
	slices.Sort(want)
	if !slices.Equal(files, want) {
		t.Fatalf("tiles %v, want %v", files, want)
	}
}

// TestLog_Rotation: while a new key is rotated in, checkpoints carry both signatures, and a proof checks
// with either verifier key; a previous key named for another log is refused.
func TestLog_Rotation(t *testing.T) {
	oldS, oldV, _ := GenerateKey("example.invalid/log")
	newS, newV, _ := GenerateKey("example.invalid/log")
	oldK, _ := ParseKey(oldS)
	newK, _ := ParseKey(newS)
	dir := t.TempDir()
	l, _ := Open(filepath.Join(dir, "log"))
	appendSwitch(t, l, dir, "R1", "2026-12-01", oldK, "a")
	sw := Switch{Release: "R2", AsOf: "2026-12-02", Event: EventPublished, At: time.Now()}
	p, err := l.Append(context.Background(), sw, sumsOf("a", "b"), filepath.Join(dir, "R2"), Options{Key: newK, Also: []*Key{oldK}})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Commit(p.Dir); err != nil {
		t.Fatal(err)
	}
	sum := Sum(sha256.Sum256([]byte("b")))
	pr, err := l.Prove(sum)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{oldV, newV} {
		if got, err := Check(pr, sum, v); err != nil || !got.Signed {
			t.Errorf("with %s: %+v %v", v, got, err)
		}
	}
	otherS, _, _ := GenerateKey("other.invalid/log")
	otherK, _ := ParseKey(otherS)
	sw.Release = "R3"
	if _, err := l.Append(context.Background(), sw, sumsOf("a"), filepath.Join(dir, "R3"), Options{Key: newK, Also: []*Key{otherK}}); err == nil {
		t.Error("a previous key of another log signed")
	}
	if _, err := l.Append(context.Background(), sw, sumsOf("a"), filepath.Join(dir, "R3"), Options{Also: []*Key{oldK}}); err == nil {
		t.Error("a previous key signed without a signing key")
	}
}

// TestLog_ProveFromStaleState: a Log opened before another process committed a switch (its set and the
// partial bundle of its right edge removed since) proves from the new state, not from files that are gone.
func TestLog_ProveFromStaleState(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(filepath.Join(dir, "log"))
	appendSwitch(t, l, dir, "R1", "2026-12-01", nil, "a", "b")
	stale, _ := Open(l.Dir)
	appendSwitch(t, l, dir, "R2", "2026-12-02", nil, "a", "c")
	if _, err := os.Stat(filepath.Join(l.Dir, BundlePath(0, stale.State.Size))); !os.IsNotExist(err) {
		t.Fatalf("the old partial bundle is still there: %v", err)
	}
	sum := Sum(sha256.Sum256([]byte("b")))
	p, err := stale.Prove(sum)
	if err != nil {
		t.Fatal(err)
	}
	v, err := Check(p, sum, "")
	if err != nil || len(v.Periods) != 1 || v.Periods[0].Removed == nil || v.Periods[0].Removed.Release != "R2" {
		t.Fatalf("%+v %v", v, err)
	}
	if stale.State.Size != l.State.Size {
		t.Errorf("the stale log's state is still of size %d, the log's %d", stale.State.Size, l.State.Size)
	}
}
