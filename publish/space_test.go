package publish_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/site"
)

// TestRun_RefusesWithoutSpace: a publication checks, before the build, that the disk has room for what the
// previous release needed (release.json bytes, or its files counted for an older manifest); without it
// the publication is refused with ErrNoSpace, nothing is built and current stays.
func TestRun_RefusesWithoutSpace(t *testing.T) {
	data := t.TempDir()
	src := fixture.MustFixture(t, false)
	first := mustRun(t, publish.Options{Source: src, AsOf: fixture.AsOf, Data: data})
	if first.Bytes <= 0 {
		t.Fatalf("manifest bytes %d, want the release's size", first.Bytes)
	}
	// The previous release claims to have needed an exabyte.
	m := first.Manifest
	m.Bytes = 1 << 60
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(first.Dir, publish.ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	built := false
	_, err := publish.Run(context.Background(), publish.Options{Source: src, AsOf: fixture.AsOf, Data: data, Force: true,
		Build: func(ctx context.Context, opt site.Options) (*site.Result, error) {
			built = true
			return site.Build(ctx, opt)
		}})
	if !errors.Is(err, publish.ErrNoSpace) || !strings.Contains(err.Error(), "磁盘空间不足") {
		t.Fatalf("run: %v, want ErrNoSpace", err)
	}
	if built {
		t.Error("the site was built")
	}
	if _, id, _ := publish.Current(data); id != first.ID {
		t.Errorf("current %s, want %s", id, first.ID)
	}
	if tmp, _ := filepath.Glob(filepath.Join(data, publish.ReleasesDir, ".tmp-*")); len(tmp) != 0 {
		t.Errorf("staging left behind: %v", tmp)
	}
	// A manifest without bytes (an older release) is measured instead: enough room, it publishes.
	m.Bytes = 0
	b, _ = json.Marshal(m)
	os.WriteFile(filepath.Join(first.Dir, publish.ManifestFile), b, 0o644)
	mustRun(t, publish.Options{Source: src, AsOf: fixture.AsOf, Data: data, Force: true})
}
