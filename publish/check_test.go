package publish_test

import (
	"context"
	"errors"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/search"
)

// segment returns the index's segment file (Bleve's scorch: store/*.zap).
func segment(t *testing.T, indexDir string) string {
	t.Helper()
	zaps, _ := filepath.Glob(filepath.Join(indexDir, "store", "*.zap"))
	if len(zaps) != 1 {
		t.Fatalf("segments in %s: %v", indexDir, zaps)
	}
	return zaps[0]
}

// flipBytes inverts n bytes from the middle of a file.
func flipBytes(t *testing.T, path string, n int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(b) / 2; i < len(b)/2+n && i < len(b); i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRun_ChecksIndex: a publication whose index does not open, or does not answer its probes, fails
// before the switch: nothing published, current unchanged. Before, a broken index was published.
func TestRun_ChecksIndex(t *testing.T) {
	type indexFunc = func(context.Context, string, iter.Seq2[search.Doc, error]) (search.Stats, error)
	tests := []struct {
		name  string
		index func(t *testing.T) indexFunc
	}{
		{"truncated segment", func(t *testing.T) indexFunc {
			return func(ctx context.Context, dir string, docs iter.Seq2[search.Doc, error]) (search.Stats, error) {
				st, err := search.Build(ctx, dir, docs)
				if err == nil {
					seg := segment(t, dir)
					fi, _ := os.Stat(seg)
					err = os.Truncate(seg, fi.Size()/2)
				}
				return st, err
			}
		}},
		{"wrong answers", func(t *testing.T) indexFunc {
			return func(ctx context.Context, dir string, docs iter.Seq2[search.Doc, error]) (search.Stats, error) {
				st, err := search.Build(ctx, dir, docs)
				if len(st.Probes) < 2 {
					t.Fatalf("probes %v", st.Probes)
				}
				st.Probes[0].Want = st.Probes[1].Want
				return st, err
			}
		}},
	}
	db := fixture.MustFixture(t, false)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
			_, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data,
				Force: true, Index: tt.index(t)})
			if err == nil || !strings.HasPrefix(err.Error(), publish.StepPublish+": ") {
				t.Errorf("run: %v, want a failure of the publish step", err)
			} else {
				t.Log(err)
			}
			if _, id, err := publish.Current(data); err != nil || id != first.ID {
				t.Errorf("current is %s (%v), want %s", id, err, first.ID)
			}
			if entries, _ := os.ReadDir(filepath.Join(data, publish.ReleasesDir)); len(entries) != 1 {
				t.Errorf("releases dir holds %d entries, want the first release only", len(entries))
			}
		})
	}
}

// TestOpenIndex checks an index against the manifest's record of it: any changed, missing or added
// file, or a probe answered otherwise, is refused with ErrIndexCheck.
func TestOpenIndex(t *testing.T) {
	data := t.TempDir()
	res := mustRun(t, publish.Options{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf, Data: data})
	m, err := publish.ReadManifest(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	c := m.IndexCheck
	if c == nil || len(c.Files) < 2 || len(c.Probes) < 2 {
		t.Fatalf("the manifest records no index check: %+v", c)
	}
	for _, p := range c.Probes {
		if p.By == search.ProbeByCode && !strings.Contains(p.Want, p.Q) {
			t.Errorf("probe %+v: a code should give its subject", p)
		}
	}
	tests := []struct {
		name   string
		break_ func(t *testing.T, dir string, c *publish.IndexCheck)
		ok     bool
	}{
		{"as published", func(*testing.T, string, *publish.IndexCheck) {}, true},
		{"no check recorded", func(_ *testing.T, _ string, c *publish.IndexCheck) { *c = publish.IndexCheck{} }, true},
		{"a segment changed", func(t *testing.T, dir string, _ *publish.IndexCheck) {
			flipBytes(t, segment(t, filepath.Join(dir, publish.IndexDir)), 64)
		}, false},
		{"a file missing", func(t *testing.T, dir string, _ *publish.IndexCheck) {
			os.Remove(filepath.Join(dir, publish.IndexDir, "index_meta.json"))
		}, false},
		{"a file added", func(t *testing.T, dir string, _ *publish.IndexCheck) {
			os.WriteFile(filepath.Join(dir, publish.IndexDir, "store", "extra.zap"), []byte("x"), 0o644)
		}, false},
		{"another first hit", func(_ *testing.T, _ string, c *publish.IndexCheck) {
			c.Probes[0].Want = "/subjects/nobody/"
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "r")
			if err := os.CopyFS(dir, os.DirFS(res.Dir)); err != nil {
				t.Fatal(err)
			}
			check := *c
			check.Probes = append([]search.Probe(nil), c.Probes...)
			tt.break_(t, dir, &check)
			pc := &check
			if check.Files == nil {
				pc = nil
			}
			idx, err := publish.OpenIndex(context.Background(), dir, pc)
			if tt.ok {
				if err != nil {
					t.Fatalf("OpenIndex: %v", err)
				}
				idx.Close()
				return
			}
			if !errors.Is(err, publish.ErrIndexCheck) {
				t.Errorf("OpenIndex: %v, want ErrIndexCheck", err)
			}
			if idx != nil {
				idx.Close()
			}
		})
	}
}
