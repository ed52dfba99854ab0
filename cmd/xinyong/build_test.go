package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/site"
)

// TestChildBuild_KeepsCases: a publication's child build gets the previous build's cases key
// (--reuse-cases-key) and reports its own, so that a second build of an unchanged export keeps every
// case page of the first.
func TestChildBuild_KeepsCases(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	x := &generator.Exporter{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf}
	if _, err := x.Export(ctx, content, filepath.Join(dir, "quality")); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b := childBuild{exe: exe, timeout: 5 * time.Minute}
	first, err := b.build(ctx, site.Options{Content: content, Out: filepath.Join(dir, "first")})
	if err != nil {
		t.Fatal(err)
	}
	if first.CasesKey == "" {
		t.Fatal("the child build reported no cases key")
	}
	second, err := b.build(ctx, site.Options{Content: content, Out: filepath.Join(dir, "second"), Reuse: &site.Reuse{
		Content: content, Site: filepath.Join(dir, "first"), Fingerprint: first.RecordsFingerprint, CasesKey: first.CasesKey}})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := filepath.Glob(filepath.Join(content, "cases", "C*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if second.CasesReused == 0 || second.CasesReused != len(cases) {
		t.Errorf("the second build kept %d case pages of %d", second.CasesReused, len(cases))
	}
}
