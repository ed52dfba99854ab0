package changes_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"xinyong/changes"
)

// benchEntries is the size of the synthetic trees: XINYONG_BENCH_ENTRIES, default 20,000.
func benchEntries() int {
	if n, err := strconv.Atoi(os.Getenv("XINYONG_BENCH_ENTRIES")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// syntheticTrees writes two export trees of n black-list entries: the second has 1% of them removed,
// 1% changed and 1% new ones.
func syntheticTrees(b *testing.B, n int) (prev, next string) {
	b.Helper()
	dir := b.TempDir()
	prev, next = filepath.Join(dir, "prev"), filepath.Join(dir, "next")
	for _, t := range []string{prev, next} {
		if err := os.MkdirAll(filepath.Join(t, "black"), 0o755); err != nil {
			b.Fatal(err)
		}
	}
	page := func(id, reason string) []byte {
		return fmt.Appendf(nil, "---\ntitle: \"盘锦某某有限公司%s\"\nid: %q\nlist: \"black\"\nlist_name: \"失信被执行人\"\n---\n\n%s\n", id, id, reason)
	}
	write := func(tree, id string, data []byte) {
		if err := os.WriteFile(filepath.Join(tree, "black", id+".md"), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		id := fmt.Sprintf("E%08d", i)
		write(prev, id, page(id, "未履行生效法律文书确定的义务。"))
		switch i % 100 {
		case 0: // removed
		case 1:
			write(next, id, page(id, "未履行生效法律文书确定的义务（已部分履行）。"))
		default:
			write(next, id, page(id, "未履行生效法律文书确定的义务。"))
		}
		if i%100 == 2 {
			nid := fmt.Sprintf("N%08d", i)
			write(next, nid, page(nid, "新列入。"))
		}
	}
	return prev, next
}

// BenchmarkDiffRecord compares two trees of XINYONG_BENCH_ENTRIES entries and merges the history.
func BenchmarkDiffRecord(b *testing.B) {
	n := benchEntries()
	prev, next := syntheticTrees(b, n)
	ctx := context.Background()
	hist := filepath.Join(b.TempDir(), "h1.jsonl.gz")
	first, err := changes.Diff(ctx, "", prev)
	if err != nil {
		b.Fatal(err)
	}
	m := changes.Meta{Release: "20260615T020000Z", AsOf: "2026-06-15", BuiltAt: time.Now()}
	if err := changes.Record(ctx, "", hist, m, first); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		d, err := changes.Diff(ctx, prev, next)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Removed) != (n+99)/100 || len(d.Changed) != (n+98)/100 {
			b.Fatalf("counts %+v", d.Counts())
		}
		m2 := changes.Meta{Release: "20260616T020000Z", Previous: m.Release, AsOf: "2026-06-16", BuiltAt: time.Now()}
		if err := changes.Record(ctx, hist, filepath.Join(b.TempDir(), "h2.jsonl.gz"), m2, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "entries")
}
