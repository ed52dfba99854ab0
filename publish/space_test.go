package publish_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"xinyong/internal/fixture"
	"xinyong/internal/tree"
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

// TestRun_RefusesWithoutInodes: a publication also checks that the file system can make about as many
// files and directories as the previous release's site has files: without them it is refused with
// ErrNoSpace before the build, and current stays. On a file system that does not count inodes it publishes.
func TestRun_RefusesWithoutInodes(t *testing.T) {
	data := t.TempDir()
	src := fixture.MustFixture(t, false)
	first := mustRun(t, publish.Options{Source: src, AsOf: fixture.AsOf, Data: data})
	m := first.Manifest
	m.Files = 1 << 50 // a site of a quadrillion files
	b, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(first.Dir, publish.ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	var st unix.Statfs_t
	if err := unix.Statfs(data, &st); err != nil {
		t.Fatal(err)
	}
	built := false
	_, err := publish.Run(context.Background(), publish.Options{Source: src, AsOf: fixture.AsOf, Data: data, Force: true,
		Build: func(ctx context.Context, opt site.Options) (*site.Result, error) {
			built = true
			return site.Build(ctx, opt)
		}})
	if st.Files == 0 { // not counted here (btrfs): nothing to check against
		if err != nil || !built {
			t.Fatalf("run on a file system without inode counts: %v (built %v)", err, built)
		}
		return
	}
	if !errors.Is(err, publish.ErrNoSpace) || !strings.Contains(err.Error(), "inode") {
		t.Fatalf("run: %v, want ErrNoSpace for the inodes", err)
	}
	if built {
		t.Error("the site was built")
	}
	if _, id, _ := publish.Current(data); id != first.ID {
		t.Errorf("current %s, want %s", id, first.ID)
	}
}

// TestRun_BytesIsTheReleaseSize: release.json's bytes, summed by the link step's walk and the compress
// step instead of a walk of its own, is the size of every file of the release but release.json, hard links
// counted — on a first publication and on one that links from the one before.
func TestRun_BytesIsTheReleaseSize(t *testing.T) {
	data := t.TempDir()
	src := fixture.MustFixture(t, false)
	first := mustRun(t, publish.Options{Source: src, AsOf: fixture.AsOf, Data: data})
	second := mustRun(t, publish.Options{Source: src, AsOf: fixture.AsOf.AddDays(1), Data: data})
	for _, res := range []*publish.Result{first, second} {
		total, err := tree.Size(res.Dir)
		if err != nil {
			t.Fatal(err)
		}
		m, err := os.Stat(filepath.Join(res.Dir, publish.ManifestFile))
		if err != nil {
			t.Fatal(err)
		}
		if want := total - m.Size(); res.Bytes != want {
			t.Errorf("release %s: bytes %d, its files take %d", res.ID, res.Bytes, want)
		}
	}
	if second.Linked == 0 {
		t.Error("the second publication linked nothing from the first")
	}
}
