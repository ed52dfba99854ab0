package changes

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"xinyong/generator"
	"xinyong/internal/tree"
)

// Lists are the sections of the export tree whose pages are tracked, in byte order, so that walking them
// one after the other visits the keys "<list>/<id>" in byte order too.
var Lists = []string{"black", "cases", "red"}

// Ref names an entry: its list (a section of the export tree) and its id. It is all that a removed entry
// leaves behind.
type Ref struct {
	List string `json:"list"`
	ID   string `json:"id"`
}

// Key is the entry's key across releases: "red/E1". red/E1 and black/E1 are different entries.
func (r Ref) Key() string { return r.List + "/" + r.ID }

// Path is the entry's page on the site: /red/E1/.
func (r Ref) Path() string { return "/" + r.List + "/" + r.ID + "/" }

// Item is an added or changed entry: its ref and the list name (名单名称; cases have none), which its page
// shows anyway. Nothing else: no subject.
type Item struct {
	Ref
	ListName string
}

// Delta is what one publication changed, each slice in key order.
type Delta struct {
	Initial   bool // there was no previous tree: everything is added
	Added     []Item
	Changed   []Item
	Removed   []Ref
	Unchanged int
	// Departments are the added entries by department, for the first release recorded (Initial) only:
	// Stage counts them (CountDepartments) for its delta file, whose page summarises them.
	Departments []DepartmentCount

	// public holds the keys public in the new tree, in key order (for the history).
	public []string
}

// Public is the number of entries public in the new tree.
func (d *Delta) Public() int { return len(d.public) }

// Counts are the sizes of a delta's lists.
type Counts struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Removed   int `json:"removed"`
	Unchanged int `json:"unchanged"`
}

// Counts returns the sizes of the delta's lists.
func (d *Delta) Counts() Counts {
	return Counts{Added: len(d.Added), Changed: len(d.Changed), Removed: len(d.Removed), Unchanged: d.Unchanged}
}

// Diff compares the export tree newContent with prevContent ("" when there is none: every public entry is
// then added). An entry is public in a tree when its page exists and is not a withdrawal notice
// (withdrawn: true). It is changed when its page differs in anything but what does not belong to the entry
// (see sameEntry). Only ids are held in memory; pages are read one pair at a time, on every CPU.
func Diff(ctx context.Context, prevContent, newContent string) (*Delta, error) {
	return DiffSums(ctx, prevContent, newContent, nil, nil)
}

// DiffSums is Diff with the content sums of the two trees (tree.Sums, written by the exports of exactly
// these trees), or nil for either when there are none. An entry of the red or black list whose page has
// the same SHA-256 in both trees is unchanged without reading either page: the same bytes, and the export
// writes withdrawal notices only for cases (never for a list entry), so such a page is public in both.
// Cases, and every entry whose sums differ or are missing, are compared by reading their pages.
func DiffSums(ctx context.Context, prevContent, newContent string, prevSums, newSums *tree.Sums) (*Delta, error) {
	if prevSums == nil || newSums == nil || prevContent == "" {
		prevSums, newSums = nil, nil
	}
	d := &Delta{Initial: prevContent == ""}
	names := newInterner()
	for _, list := range Lists {
		var prevIDs []string
		var err error
		if prevContent != "" {
			if prevIDs, err = generator.PageIDs(filepath.Join(prevContent, list)); err != nil {
				return nil, err
			}
		}
		newIDs, err := generator.PageIDs(filepath.Join(newContent, list))
		if err != nil {
			return nil, err
		}
		pairs := merge(prevIDs, newIDs)
		prevIDs, newIDs = nil, nil
		var sums *sumPair
		if prevSums != nil && list != "cases" {
			sums = &sumPair{prev: prevSums, next: newSums}
		}
		if err := diffList(ctx, d, names, list, prevContent, newContent, pairs, sums); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// pair is an id of a section and the trees that have a page for it.
type pair struct {
	id            string
	inPrev, inNew bool
}

// merge joins two sorted id lists.
func merge(prev, next []string) []pair {
	out := make([]pair, 0, max(len(prev), len(next)))
	i, j := 0, 0
	for i < len(prev) || j < len(next) {
		switch {
		case j == len(next) || i < len(prev) && prev[i] < next[j]:
			out = append(out, pair{id: prev[i], inPrev: true})
			i++
		case i == len(prev) || next[j] < prev[i]:
			out = append(out, pair{id: next[j], inNew: true})
			j++
		default:
			out = append(out, pair{id: prev[i], inPrev: true, inNew: true})
			i++
			j++
		}
	}
	return out
}

// outcome is what became of one entry.
type outcome struct {
	kind     uint8 // one of the kinds below
	listName string
	err      error
}

const (
	kindAbsent uint8 = iota // public in neither tree
	kindAdded
	kindChanged
	kindRemoved
	kindUnchanged
)

// chunk is how many pairs are compared at once, in parallel, before they are added to the delta in order.
const chunk = 4096

// diffList compares the pages of one section and appends the results to d in key order.
func diffList(ctx context.Context, d *Delta, names *interner, list, prevContent, newContent string, pairs []pair, sums *sumPair) error {
	prevDir := filepath.Join(prevContent, list)
	newDir := filepath.Join(newContent, list)
	res := make([]outcome, min(chunk, len(pairs)))
	for start := 0; start < len(pairs); start += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		part := pairs[start:min(start+chunk, len(pairs))]
		parallel(len(part), func(i int) {
			if sums != nil && part[i].inPrev && part[i].inNew && sums.same(list+"/"+part[i].id+".md") {
				res[i] = outcome{kind: kindUnchanged}
				return
			}
			res[i] = compare(prevDir, newDir, part[i], list == "cases")
		})
		for i, p := range part {
			o := res[i]
			if o.err != nil {
				return o.err
			}
			ref := Ref{List: list, ID: p.id}
			switch o.kind {
			case kindAdded:
				d.Added = append(d.Added, Item{Ref: ref, ListName: names.get(o.listName)})
			case kindChanged:
				d.Changed = append(d.Changed, Item{Ref: ref, ListName: names.get(o.listName)})
			case kindRemoved:
				d.Removed = append(d.Removed, ref)
			case kindUnchanged:
				d.Unchanged++
			}
			if o.kind == kindAdded || o.kind == kindChanged || o.kind == kindUnchanged {
				d.public = append(d.public, ref.Key())
			}
		}
	}
	return nil
}

// sumPair is the content sums of the previous and the new tree.
type sumPair struct{ prev, next *tree.Sums }

// same reports whether both trees' sums have the file rel with the same SHA-256.
func (s *sumPair) same(rel string) bool {
	a, ok := s.prev.Lookup(rel)
	if !ok {
		return false
	}
	b, ok := s.next.Lookup(rel)
	return ok && a == b
}

// parallel runs fn(0) ... fn(n-1) on every CPU.
func parallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// compare reads the pages of one id in both trees and says what became of the entry.
func compare(prevDir, newDir string, p pair, isCase bool) outcome {
	var prev, next []byte
	var name string
	prevPath, newPath := filepath.Join(prevDir, p.id+".md"), filepath.Join(newDir, p.id+".md")
	if p.inPrev && p.inNew && tree.SameFile(prevPath, newPath) {
		// The export linked the night before's file (content.sums): the same bytes, read once.
		_, withdrawn, _, err := readPage(newPath)
		switch {
		case err != nil:
			return outcome{err: err}
		case withdrawn:
			return outcome{kind: kindAbsent}
		default:
			return outcome{kind: kindUnchanged}
		}
	}
	if p.inPrev {
		page, withdrawn, _, err := readPage(prevPath)
		if err != nil {
			return outcome{err: err}
		}
		if !withdrawn {
			prev = page
		}
	}
	if p.inNew {
		page, withdrawn, listName, err := readPage(newPath)
		if err != nil {
			return outcome{err: err}
		}
		if !withdrawn {
			next, name = page, listName
		}
	}
	switch {
	case prev == nil && next == nil:
		return outcome{kind: kindAbsent}
	case next == nil:
		return outcome{kind: kindRemoved}
	case prev == nil:
		return outcome{kind: kindAdded, listName: name}
	}
	same, err := sameEntry(prevPath, prev, newPath, next, isCase)
	switch {
	case err != nil:
		return outcome{err: err}
	case same:
		return outcome{kind: kindUnchanged}
	default:
		return outcome{kind: kindChanged, listName: name}
	}
}

// readPage reads the page at path and its facts (pageFacts).
func readPage(path string) (page []byte, withdrawn bool, listName string, err error) {
	if page, err = os.ReadFile(path); err != nil {
		return nil, false, "", err
	}
	if withdrawn, listName, err = pageFacts(page); err != nil {
		return nil, false, "", fmt.Errorf("%s: %w", path, err)
	}
	return page, withdrawn, listName, nil
}

// interner shares the strings of list names, of which there are tens, among a million entries.
type interner struct {
	mu sync.Mutex
	m  map[string]string
}

func newInterner() *interner { return &interner{m: map[string]string{}} }

func (in *interner) get(s string) string {
	in.mu.Lock()
	defer in.mu.Unlock()
	if v, ok := in.m[s]; ok {
		return v
	}
	in.m[s] = s
	return s
}
