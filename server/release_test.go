package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/search"
	"xinyong/site"
)

// The tests serve real releases: the fixture's site, built once per test binary by site.Build from the
// export of internal/fixture, and real Bleve indexes of docs made here, laid out as `xinyong run` lays them
// out.

var fixtureSite struct {
	once sync.Once
	dir  string // the built site
	err  error
	tmp  string // removed by TestMain
}

// builtSite returns the fixture's built site, building it on first use.
func builtSite(t testing.TB) string {
	t.Helper()
	fixtureSite.once.Do(func() {
		db := fixture.MustFixture(t, true)
		tmp, err := os.MkdirTemp("", "xinyong-server-test-")
		if err != nil {
			fixtureSite.err = err
			return
		}
		fixtureSite.tmp = tmp
		ctx := context.Background()
		x := &generator.Exporter{Source: db, AsOf: fixture.AsOf}
		if _, err := x.Export(ctx, filepath.Join(tmp, "content"), filepath.Join(tmp, "quality")); err != nil {
			fixtureSite.err = err
			return
		}
		out := filepath.Join(tmp, "site")
		if _, err := site.Build(ctx, site.Options{Content: filepath.Join(tmp, "content"), Out: out}); err != nil {
			fixtureSite.err = err
			return
		}
		fixtureSite.dir = out
	})
	if fixtureSite.err != nil {
		t.Fatalf("building the fixture site: %v", fixtureSite.err)
	}
	return fixtureSite.dir
}

// fixtureDocs are the search docs of the fixture's public subjects and cases, as the publication would
// index them, plus n extra companies named 盘锦测试<i>有限公司 (for paging).
func fixtureDocs(n int) []search.Doc {
	docs := []search.Doc{
		{Kind: search.KindSubject, ID: fixture.CodeXinyuan, URL: "/subjects/" + fixture.CodeXinyuan + "/",
			Name: "盘锦鑫源化工有限公司", Code: fixture.CodeXinyuan, Lists: []string{xinyong.ListRed, xinyong.ListBlack},
			ListNames:   []string{"纳税信用A级纳税人", "严重违法失信企业名单"},
			Departments: []string{"国家税务总局盘锦市税务局", "盘锦市市场监督管理局"}, Districts: []string{"211103"},
			Date: xinyong.NewDate(2026, 6, 15), Summary: "纳税信用A级纳税人；严重违法失信企业名单",
			Entries: []search.Entry{{ID: "E0000001", List: xinyong.ListRed},
				{ID: "E0000003", List: xinyong.ListBlack, DecisionNo: "盘市监罚〔2026〕142号"}}},
		{Kind: search.KindSubject, ID: "S002", URL: "/subjects/S002/", Name: "张三", Person: true,
			Lists: []string{xinyong.ListBlack}, ListNames: []string{"失信被执行人"},
			Departments: []string{"盘锦市中级人民法院"}, Districts: []string{"211102"},
			Date: xinyong.NewDate(2026, 2, 1), Summary: "失信被执行人"},
		{Kind: search.KindSubject, ID: fixture.CodeHaiyun, URL: "/subjects/" + fixture.CodeHaiyun + "/",
			Name: "盘锦海韵石油装备有限公司", Code: fixture.CodeHaiyun, Lists: []string{xinyong.ListRed},
			ListNames: []string{"守信激励对象"}, Departments: []string{"盘锦市市场监督管理局"},
			Districts: []string{"211102"}, Date: xinyong.NewDate(2026, 1, 1), Summary: "守信激励对象"},
		{Kind: search.KindCase, ID: "C08", URL: "/cases/C08/", Name: "失信被执行人张三被限制高消费",
			Lists: []string{xinyong.ListBlack}, Departments: []string{"盘锦市中级人民法院"},
			Date: xinyong.NewDate(2026, 4, 1), Summary: "失信惩戒典型案例"},
	}
	// A lenient code: published as the department reported it, with a wrong check character.
	lenient := lenientCode()
	docs = append(docs, search.Doc{Kind: search.KindSubject, ID: lenient, URL: "/subjects/" + lenient + "/",
		Name: "盘锦宏远机械制造有限公司", Code: lenient, Lists: []string{xinyong.ListBlack},
		ListNames: []string{"严重违法失信企业名单"}, Departments: []string{"盘锦市市场监督管理局"},
		Districts: []string{"211103"}, Date: xinyong.NewDate(2026, 3, 1),
		Entries: []search.Entry{{ID: "E0000005", List: xinyong.ListBlack}}})
	for i := range n {
		code := xinyong.MakeCreditCode("91211103", fmt.Sprintf("MA%06d", i))
		docs = append(docs, search.Doc{Kind: search.KindSubject, ID: code, URL: "/subjects/" + code + "/",
			Name: fmt.Sprintf("盘锦测试%d有限公司", i), Code: code, Lists: []string{xinyong.ListRed},
			ListNames: []string{"守信激励对象"}, Departments: []string{"盘锦市市场监督管理局"},
			Districts: []string{"211100"}, Date: xinyong.NewDate(2026, 1, 1+i%28)})
	}
	return docs
}

// lenientCode is the credit code of the fixture's subject whose code fails its check.
func lenientCode() string {
	code := xinyong.MakeCreditCode("91211103", "MA0HY001")
	c := byte('A')
	if code[17] == 'A' {
		c = 'B'
	}
	return code[:17] + string(c)
}

// docsOf gives docs to search.Build.
func docsOf(docs []search.Doc) iter.Seq2[search.Doc, error] {
	return func(yield func(search.Doc, error) bool) {
		for _, d := range docs {
			if !yield(d, nil) {
				return
			}
		}
	}
}

// makeRelease writes releases/<id> into data: a copy of the site, an index of docs and a release.json
// with the index's check, as a publication writes it.
func makeRelease(t testing.TB, data, id string, docs []search.Doc) string {
	t.Helper()
	dir := filepath.Join(data, publish.ReleasesDir, id)
	if err := os.CopyFS(filepath.Join(dir, publish.SiteDir), os.DirFS(builtSite(t))); err != nil {
		t.Fatal(err)
	}
	st, err := search.Build(context.Background(), filepath.Join(dir, publish.IndexDir), docsOf(docs))
	if err != nil {
		t.Fatal(err)
	}
	check, err := publish.NewIndexCheck(dir, st.Probes)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(publish.Manifest{ID: id, IndexDocs: st.Docs, IndexCheck: check})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, publish.ManifestFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// setCurrent points data/current at releases/<id> the way a publication does: a new link under a
// temporary name, renamed over the old one.
func setCurrent(t testing.TB, data, id string) {
	t.Helper()
	tmp := filepath.Join(data, ".current-"+id)
	os.Remove(tmp)
	if err := os.Symlink(filepath.Join(publish.ReleasesDir, id), tmp); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(data, publish.CurrentLink)); err != nil {
		t.Fatal(err)
	}
}

// logBuffer collects the server's log, at debug level, safely for concurrent handlers.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newServer makes a data directory with one release of the fixture (and 30 extra companies), and a
// server for it that logs into the returned buffer.
func newServer(t testing.TB, opt Options) (*Server, string, *logBuffer) {
	t.Helper()
	data := t.TempDir()
	makeRelease(t, data, "r1", fixtureDocs(30))
	setCurrent(t, data, "r1")
	logs := &logBuffer{}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(data, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, data, logs
}

func TestMain(m *testing.M) {
	if os.Getenv(benchChildEnv) != "" {
		benchChild()
		os.Exit(0)
	}
	code := m.Run()
	if fixtureSite.tmp != "" {
		os.RemoveAll(fixtureSite.tmp)
	}
	os.Exit(code)
}
