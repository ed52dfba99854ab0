package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestCloseWaitsForSearches(t *testing.T) {
	x := openFixture(t)

	// An in-flight search holds the read lock: Close must wait for it.
	x.mu.RLock()
	closed := make(chan error)
	go func() { closed <- x.Close() }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned (%v) while a search was in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	x.mu.RUnlock()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return after the search finished")
	}

	if _, err := x.Search(context.Background(), Request{Q: "鑫源"}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
	if err := x.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestConcurrentSearchAndClose(t *testing.T) {
	x := openFixture(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, closedErrs := 0, 0
	for i := range 8 {
		wg.Go(func() {
			for j := 0; ; j++ {
				q := []string{"鑫源化工", codeXinyuan, "张", "(辽河)", "盘锦"}[(i+j)%5]
				res, err := x.Search(context.Background(), Request{Q: q})
				mu.Lock()
				switch {
				case errors.Is(err, ErrClosed):
					closedErrs++
					mu.Unlock()
					return
				case err != nil || res.Total == 0:
					t.Errorf("%q: %v", q, err)
				default:
					ok++
				}
				mu.Unlock()
			}
		})
	}
	time.Sleep(50 * time.Millisecond)
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if ok == 0 || closedErrs != 8 {
		t.Errorf("%d searches succeeded, %d goroutines saw ErrClosed", ok, closedErrs)
	}
}

func TestBuildRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "keep.txt")
	if err := os.WriteFile(keep, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), dir, docsOf(fixture())); err == nil {
		t.Fatal("Build into a non-empty directory succeeded")
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("Build touched the existing directory: %v", err)
	}
}

func TestBuildIntoEmptyDir(t *testing.T) {
	dir := t.TempDir()
	st, err := Build(context.Background(), dir, docsOf(fixture()))
	if err != nil {
		t.Fatal(err)
	}
	if st.Docs != len(fixture()) || st.Cases != 2 || st.Subjects != st.Docs-2 || st.Bytes == 0 {
		t.Errorf("stats %+v", st)
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.Stats().Docs != st.Docs {
		t.Errorf("Open: stats %+v", x.Stats())
	}
}

func TestBuildFailsCleanly(t *testing.T) {
	good := fixture()
	for name, bad := range map[string]Doc{
		"duplicate":    good[0],
		"kind":         {Kind: "entry", ID: "X1", URL: "/x/", Name: "某公司"},
		"id":           {Kind: KindCase, ID: "../etc", URL: "/cases/x/", Name: "某案例"},
		"id number id": {Kind: KindSubject, ID: zhangsanID, URL: "/subjects/P9/", Name: "某人", Person: true},
		"id in url":    {Kind: KindSubject, ID: "P9", URL: "/subjects/" + zhangsanID + "/", Name: "某人", Person: true},
		"url":          {Kind: KindCase, ID: "C9", URL: "https://evil.example/", Name: "某案例"},
		"name":         {Kind: KindCase, ID: "C9", URL: "/cases/C9/", Name: " \u202e "},
		"list":         {Kind: KindCase, ID: "C9", URL: "/cases/C9/", Name: "某案例", Lists: []string{"grey"}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			_, err := Build(context.Background(), dir, docsOf(append(slices.Clone(good), bad)))
			if err == nil {
				t.Fatal("Build succeeded")
			}
			if strings.Contains(err.Error(), zhangsanID) {
				t.Errorf("error quotes the ID number: %v", err)
			}
			if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
				t.Errorf("failed build left %s behind (%v)", dir, serr)
			}
		})
	}
}

func TestBuildCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(ctx, dir, docsOf(fixture())); !errors.Is(err, context.Canceled) {
		t.Errorf("Build with a cancelled context: %v", err)
	}
}

func TestOpenRefusesUnfinishedIndex(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), dir, docsOf(fixture())); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, metaFile)); err != nil {
		t.Fatal(err)
	}
	if x, err := Open(dir); err == nil {
		x.Close()
		t.Error("Open of an index without its meta file succeeded")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Open of a missing directory succeeded")
	}
}

func TestDeterministic(t *testing.T) {
	a, b := openFixture(t), openFixture(t)
	for _, q := range []string{"鑫源化工", "有限公司", "张", "912111", "盘锦"} {
		ra := search(t, a, Request{Q: q, Size: MaxSize})
		rb := search(t, b, Request{Q: q, Size: MaxSize})
		ra.Took, rb.Took = 0, 0
		for i := range ra.Hits {
			if i >= len(rb.Hits) || ra.Hits[i].ID != rb.Hits[i].ID || ra.Hits[i].Score != rb.Hits[i].Score {
				t.Errorf("%q: results differ between two builds of the same docs:\n%q\n%q", q, names(ra), names(rb))
				break
			}
		}
	}
}

// FuzzParse checks that no input makes Parse panic or produce an unbounded query.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", " ", "盘锦鑫源化工有限公司", "鑫源化工", "张", "（辽河）", "(辽河)", codeXinyuan, codeXinyuan[:6],
		codeXinyuan[:17] + "0", zhangsanID, "name:张三", "+张三 -李四", "张*", "?", "/.*/", "张三~2", "a^3",
		"\x00\xff\xfe", "\u202e公司", strings.Repeat("盘锦", 60), "９１２１１１０３ＭＡ０ＸＹ１２３２４", "ABC科技",
		"IOSVZ1", "１２３４５６", "盘锦市有限公司", "盘环罚〔2026〕142号", "盘环罚(2026)142号", "盤環罰［2026］142號",
		"E0000003", "（2026）辽1103执12号", "[2026]", "〔〕号", "盤錦", "乾隆", "台灣", "1号", "a(1234)b",
		codeLenient,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			if !IsQueryError(err) {
				t.Fatalf("%q: error %T %v is not a QueryError", s, err, err)
			}
			return
		}
		if n := utf8.RuneCountInString(q.Text); n == 0 || n > 2*MaxQueryRunes || !utf8.ValidString(q.Text) {
			t.Fatalf("%q: Text %q", s, q.Text)
		}
		if q.Blocked {
			if len(q.required) != 0 && q.code != "" {
				t.Fatalf("%q: blocked query with terms", s)
			}
			return
		}
		if q.ref != "" && (len(q.ref) > maxRef || strings.ContainsFunc(q.ref, unicode.IsSpace) ||
			!strings.ContainsFunc(q.ref, unicode.IsDigit)) {
			t.Fatalf("%q: ref %q", s, q.ref)
		}
		if q.refOnly {
			// A 认定文号: looked up as one only.
			if q.ref == "" || !isDecisionNo(q.ref) || q.code != "" {
				t.Fatalf("%q: refOnly with ref %q, code %q", s, q.ref, q.code)
			}
		}
		if len(q.required) == 0 || len(q.required)+len(q.optional) > 2*MaxQueryRunes {
			t.Fatalf("%q: %d required, %d optional terms", s, len(q.required), len(q.optional))
		}
		if q.code != "" && (len(q.code) < MinCodePrefix || len(q.code) > 18) {
			t.Fatalf("%q: code %q", s, q.code)
		}
		for _, g := range append(q.required, q.optional...) {
			if g.term == "" || strings.ContainsAny(g.term, "*?") {
				t.Fatalf("%q: term %q", s, g.term)
			}
		}
		_ = q.bleveQuery(nil, false)
		_ = q.bleveQuery(nil, true)
	})
}

func TestBuildEmpty(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	st, err := Build(context.Background(), dir, docsOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	res := search(t, x, Request{Q: "鑫源"})
	if st.Docs != 0 || res.Total != 0 {
		t.Errorf("empty index: stats %+v, %d hits", st, res.Total)
	}
}

func TestBuildIteratorErrorAndPanic(t *testing.T) {
	boom := errors.New("database gone")
	failing := func(yield func(Doc, error) bool) {
		for _, d := range fixture()[:3] {
			if !yield(d, nil) {
				return
			}
		}
		yield(Doc{}, boom)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), dir, failing); !errors.Is(err, boom) {
		t.Errorf("Build: %v, want %v", err, boom)
	}
	panicking := func(yield func(Doc, error) bool) { panic("iterator bug") }
	defer func() {
		if r := recover(); r != "iterator bug" {
			t.Errorf("recovered %v, want the iterator's panic", r)
		}
	}()
	Build(context.Background(), filepath.Join(t.TempDir(), "index"), panicking)
}
