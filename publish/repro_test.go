package publish_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/search"
)

// TestRun_Reproducible: the same database and as-of date, published at the same (fixed) time into two data
// directories, give the same release: the same relative paths, file modes and symbolic links everywhere,
// the same bytes in every file but the Bleve store's, and an index that answers every query of
// reproQueries with the same hits in the same order.
//
// The Bleve store files (index/store/*.zap, index/store/root.bolt) are compared by path and mode only, and
// so are their SHA-256 in release.json (index_check). Their bytes differ from one build to the next inside Bleve, whatever the input:
//
//   - root.bolt records time.Now() as the snapshot's "timeStamp" (bleve/v2 index/scorch/persister.go,
//     prepareBoltSnapshot); it is the only difference between two builds' root.bolt files.
//   - the offline builder collects each batch of documents in index.Batch.IndexOps, a map, and numbers
//     them in map order (bleve/v2 index/scorch/builder.go, executeBatchLOCKED), so documents sit in the
//     segment in a different order each time, and the dates' doc values (compressed in chunks of
//     documents) take a few bytes more or less: release.json's index_bytes and bytes are compared
//     without them (the index's xinyong-search.json does not hold its size).
//
// Because the order of documents in the index differs, so would any result order that fell back on it
// (search breaks ties by document id for that reason); the query comparison checks that answers do not.
func TestRun_Reproducible(t *testing.T) {
	built := time.Date(2026, 6, 15, 18, 0, 0, 0, time.UTC)
	now := func() time.Time { return built }
	for _, c := range []struct {
		name string
		src  publish.Source
	}{
		{"fixture", fixture.MustFixture(t, true)},
		{"demo", fixture.MustDemo(t, 300)},
	} {
		t.Run(c.name, func(t *testing.T) {
			var dirs [2]string
			for i := range dirs {
				res := mustRun(t, publish.Options{Source: c.src, AsOf: fixture.AsOf, Data: t.TempDir(), Now: now})
				dirs[i] = res.Dir
			}
			if filepath.Base(dirs[0]) != filepath.Base(dirs[1]) {
				t.Errorf("release ids differ: %s, %s", filepath.Base(dirs[0]), filepath.Base(dirs[1]))
			}
			a, b := readTree(t, dirs[0]), readTree(t, dirs[1])
			if c.name == "demo" {
				// A demo's log is signed with a throwaway key made for its data directory: the key and the
				// signature differ, the signed text (origin, size, root) does not.
				for _, tr := range []map[string]treeEntry{a, b} {
					for _, p := range []string{publish.LogDir, publish.SiteDir + "/" + publish.SiteLogDir} {
						delete(tr, p+"/vkey")
						e := tr[p+"/checkpoint"]
						text, _, ok := strings.Cut(string(e.data), "\n\n")
						if !ok {
							t.Fatalf("%s/checkpoint is not signed", p)
						}
						e.data = []byte(text)
						tr[p+"/checkpoint"] = e
					}
				}
			}
			if len(a) < 10 {
				t.Fatalf("only %d entries in the release", len(a))
			}
			for _, d := range diffTrees(a, b) {
				t.Error(d)
			}
			compareAnswers(t, filepath.Join(dirs[0], publish.IndexDir), filepath.Join(dirs[1], publish.IndexDir))
		})
	}
}

// treeEntry is what a release holds at one relative path.
type treeEntry struct {
	mode fs.FileMode // type and permission bits
	data []byte      // a regular file's bytes, or a symbolic link's target
}

// readTree reads every directory, file and symbolic link under root, keyed by slash-separated relative path.
func readTree(t *testing.T, root string) map[string]treeEntry {
	t.Helper()
	tree := map[string]treeEntry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := treeEntry{mode: info.Mode()}
		switch {
		case info.Mode().IsRegular():
			e.data, err = os.ReadFile(p)
		case info.Mode()&fs.ModeSymlink != 0:
			var target string
			target, err = os.Readlink(p)
			e.data = []byte(target)
		}
		tree[filepath.ToSlash(rel)] = e
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// bleveInternal reports whether rel is a Bleve store file, whose bytes differ between builds of the same
// documents (see TestRun_Reproducible).
func bleveInternal(rel string) bool {
	dir, name := path.Split(rel)
	if dir != publish.IndexDir+"/store/" {
		return false
	}
	zap, _ := path.Match("*.zap", name)
	return zap || name == "root.bolt"
}

// diffTrees describes every difference between two trees, at most 20 of them.
func diffTrees(a, b map[string]treeEntry) []string {
	var diffs []string
	add := func(format string, args ...any) {
		if len(diffs) < 20 {
			diffs = append(diffs, fmt.Sprintf(format, args...))
		}
	}
	for p, ea := range a {
		eb, ok := b[p]
		switch {
		case !ok:
			add("%s: only in the first release", p)
		case ea.mode != eb.mode:
			add("%s: mode %v, %v", p, ea.mode, eb.mode)
		case p == publish.ManifestFile && !bytes.Equal(comparableManifest(ea.data), comparableManifest(eb.data)):
			add("%s: differs beyond the checksums and sizes of the Bleve store files", p)
		case p == publish.ManifestFile:
		case !bytes.Equal(ea.data, eb.data) && !bleveInternal(p):
			add("%s: contents differ (%d and %d bytes) from byte %d", p, len(ea.data), len(eb.data),
				firstDifference(ea.data, eb.data))
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			add("%s: only in the second release", p)
		}
	}
	return diffs
}

// comparableManifest is a release.json with the checksums of the Bleve store files blanked: their bytes,
// and so their sums, differ from build to build (the names of the files are kept).
func comparableManifest(data []byte) []byte {
	var m publish.Manifest
	if err := json.Unmarshal(data, &m); err != nil || m.IndexCheck == nil {
		return data
	}
	for name := range m.IndexCheck.Files {
		if bleveInternal(publish.IndexDir + "/" + name) {
			m.IndexCheck.Files[name] = ""
		}
	}
	// The store files' sizes too: the documents' order in a segment changes how well the dates' doc
	// values compress, by a few bytes.
	m.IndexBytes, m.Bytes = 0, 0
	b, _ := json.Marshal(m)
	return b
}

func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// reproQueries are searches whose answers two builds of the same documents must give alike: names and parts
// of names that match many subjects (so that scores and dates tie), a credit-code prefix, fixture names,
// and the list and kind filters.
var reproQueries = []search.Request{
	{Q: "公司"}, {Q: "有限公司"}, {Q: "盘锦"}, {Q: "盘锦市"}, {Q: "商店"}, {Q: "科技"}, {Q: "9121"},
	{Q: "鑫源化工"}, {Q: "海运"},
	{Q: "公司", Filters: search.Filters{List: "black"}},
	{Q: "公司", Filters: search.Filters{List: "red"}},
	{Q: "盘锦", Filters: search.Filters{Kind: search.KindCase}},
}

// compareAnswers runs every query of reproQueries on both indexes, every page up to search.MaxDepth, and
// reports any difference in totals, hits or their order.
func compareAnswers(t *testing.T, dirA, dirB string) {
	t.Helper()
	a, b := mustOpen(t, dirA), mustOpen(t, dirB)
	found := 0
	for _, q := range reproQueries {
		for page := 1; page*search.MaxSize <= search.MaxDepth; page++ {
			q.Page, q.Size = page, search.MaxSize
			ra, rb := mustSearch(t, a, q), mustSearch(t, b, q)
			if page == 1 && ra.Total > 0 {
				found++
			}
			if ra.Total != rb.Total || !reflect.DeepEqual(ra.Hits, rb.Hits) {
				t.Errorf("%q %+v page %d: answers differ:\n%s\n%s", q.Q, q.Filters, page, hitIDs(ra), hitIDs(rb))
				break
			}
			if len(ra.Hits) < search.MaxSize {
				break
			}
		}
	}
	if found < len(reproQueries)/2 {
		t.Errorf("only %d of %d queries found anything: the comparison proves little", found, len(reproQueries))
	}
}

func mustOpen(t *testing.T, dir string) *search.Index {
	t.Helper()
	x, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

func mustSearch(t *testing.T, x *search.Index, q search.Request) *search.Result {
	t.Helper()
	r, err := x.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Q, err)
	}
	return r
}

// hitIDs lists a result's total and hit ids, in order, for a failure message.
func hitIDs(r *search.Result) string {
	ids := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return fmt.Sprintf("total %d: %v", r.Total, ids)
}
