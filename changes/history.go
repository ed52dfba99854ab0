package changes

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Changes recorded as an entry's last change.
const (
	ChangeAdded   = "added"
	ChangeChanged = "changed"
	ChangeRemoved = "removed"
)

// Mark is a release in the history: its id, as-of date and start time.
type Mark struct {
	Release string    `json:"release"`
	AsOf    string    `json:"as_of,omitempty"`
	BuiltAt time.Time `json:"built_at,omitzero"`
}

// HistoryHead is the first line of the history file.
type HistoryHead struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	Release string `json:"release"` // the release whose history this is
	Since   string `json:"since"`   // the first release recorded
	// Releases are all releases the history has recorded, oldest first; the entries name them by id.
	Releases []Mark `json:"releases"`
}

// Entry is the history of one entry.
type Entry struct {
	Key        string // red/E1
	FirstSeen  Mark   // the first release in which it was public
	LastSeen   Mark   // the last release in which it was public (the current one while it is public)
	LastChange Mark   // the last release that added, changed or removed it; zero if unknown
	Change     string // ChangeAdded, ChangeChanged or ChangeRemoved; "" if unknown
}

// line is one entry of the history file: releases by id, the key ("entry") first.
type line struct {
	Entry      string `json:"entry"`
	FirstSeen  string `json:"first_seen,omitempty"`
	LastSeen   string `json:"last_seen,omitempty"`
	LastChange string `json:"last_change,omitempty"`
	Change     string `json:"change,omitempty"`
}

// Record writes the history after the release meta.Release to newPath (normally <stage>/HistoryFile, in
// the new release directory), from the previous release's history at prevPath ("" or a missing file when
// there is none: the history then starts here) and the delta d of Diff. It streams: the old history is read
// line by line in key order and merged with d's keys, so its memory is that of d.
//
// Every entry public now has last_seen = this release; an added one (also one that comes back) gets
// last_change = this release, and first_seen = this release if the history has never seen it; a changed
// one gets last_change = this release; a removed one keeps its last_seen (the previous release) and gets
// last_change = this release. An entry public before the history started has first_seen = the first
// release recorded and no last_change until it changes.
func Record(ctx context.Context, prevPath, newPath string, meta Meta, d *Delta) error {
	if err := os.MkdirAll(filepath.Dir(newPath), 0o755); err != nil {
		return err
	}
	old, closeOld, err := openHistory(prevPath)
	if err != nil {
		return err
	}
	defer closeOld()
	f, err := os.Create(newPath)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriterSize(zw, 1<<16)
	enc := json.NewEncoder(bw)
	head := HistoryHead{Format: FormatHistory, Version: Version, Release: meta.Release, Since: meta.Release}
	if old != nil {
		head.Since, head.Releases = old.head.Since, old.head.Releases
	}
	head.Releases = append(head.Releases, Mark{Release: meta.Release, AsOf: meta.AsOf, BuiltAt: meta.BuiltAt.UTC()})
	if err := enc.Encode(head); err != nil {
		return err
	}
	if err := mergeHistory(ctx, old, meta, d, enc.Encode); err != nil {
		return fmt.Errorf("changes: history: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// mergeHistory writes the new history's entries, in key order, through emit.
func mergeHistory(ctx context.Context, old *historyReader, meta Meta, d *Delta, emit func(any) error) error {
	R := meta.Release
	added, changed, removed := newCursor(d.Added), newCursor(d.Changed), newRefCursor(d.Removed)
	pub := 0
	var cur *line
	next := func() error {
		cur = nil
		if old == nil {
			return nil
		}
		l, err := old.next()
		if err == io.EOF {
			return nil
		}
		cur = l
		return err
	}
	if err := next(); err != nil {
		return err
	}
	for n := 0; cur != nil || pub < len(d.public) || removed.i < len(removed.keys); n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		k := smallest(cur, d.public, pub, removed)
		var l line
		fromOld := cur != nil && cur.Entry == k
		if fromOld {
			l = *cur
			if err := next(); err != nil {
				return err
			}
		} else {
			l = line{Entry: k}
		}
		switch {
		case pub < len(d.public) && d.public[pub] == k:
			pub++
			if l.FirstSeen == "" {
				l.FirstSeen = R
			}
			l.LastSeen = R
			if added.has(k) {
				l.LastChange, l.Change = R, ChangeAdded
			} else if changed.has(k) {
				l.LastChange, l.Change = R, ChangeChanged
			}
		case removed.has(k):
			removed.i++
			if !fromOld {
				l.LastSeen = meta.Previous // public in the previous release, before the history started
			}
			l.LastChange, l.Change = R, ChangeRemoved
		}
		if err := emit(l); err != nil {
			return err
		}
	}
	return nil
}

// smallest returns the smallest key among the heads of the three sorted streams.
func smallest(cur *line, public []string, pub int, removed *refCursor) string {
	k := ""
	consider := func(s string) {
		if k == "" || s < k {
			k = s
		}
	}
	if cur != nil {
		consider(cur.Entry)
	}
	if pub < len(public) {
		consider(public[pub])
	}
	if removed.i < len(removed.keys) {
		consider(removed.keys[removed.i])
	}
	return k
}

// cursor walks a sorted list of items with growing keys.
type cursor struct {
	items []Item
	i     int
}

func newCursor(items []Item) *cursor { return &cursor{items: items} }

// has reports whether k is in the list; the keys asked for must not decrease.
func (c *cursor) has(k string) bool {
	for c.i < len(c.items) && c.items[c.i].Key() < k {
		c.i++
	}
	return c.i < len(c.items) && c.items[c.i].Key() == k
}

// refCursor walks the sorted keys of removed entries.
type refCursor struct {
	keys []string
	i    int
}

func newRefCursor(refs []Ref) *refCursor {
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = r.Key()
	}
	return &refCursor{keys: keys}
}

func (c *refCursor) has(k string) bool {
	for c.i < len(c.keys) && c.keys[c.i] < k {
		c.i++
	}
	return c.i < len(c.keys) && c.keys[c.i] == k
}

// historyReader reads a history file: its head, then one entry at a time.
type historyReader struct {
	head HistoryHead
	dec  *json.Decoder
	last string
}

// openHistory opens the history at path; nil (and no error) when path is "" or there is no file.
func openHistory(path string) (*historyReader, func(), error) {
	noop := func() {}
	if path == "" {
		return nil, noop, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, noop, nil
	}
	if err != nil {
		return nil, noop, err
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		f.Close()
		return nil, noop, fmt.Errorf("%s: %w", path, err)
	}
	r := &historyReader{dec: json.NewDecoder(zr)}
	if err := r.dec.Decode(&r.head); err != nil || r.head.Format != FormatHistory {
		f.Close()
		return nil, noop, fmt.Errorf("%s: not a history file (%v)", path, err)
	}
	return r, func() { f.Close() }, nil
}

// next returns the next entry, io.EOF after the last; entries must come in strictly growing key order.
func (r *historyReader) next() (*line, error) {
	var l line
	if err := r.dec.Decode(&l); err != nil {
		return nil, err
	}
	if l.Entry == "" || l.Entry <= r.last {
		return nil, fmt.Errorf("history out of order at %q", l.Entry)
	}
	r.last = l.Entry
	return &l, nil
}

// ReadHistory reads the history file at path (a release's HistoryFile), calling fn for each entry in key
// order, and returns its head. A path without a file gives an error wrapping os.ErrNotExist.
func ReadHistory(path string, fn func(Entry) error) (*HistoryHead, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	r, closeFn, err := openHistory(path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	marks := make(map[string]Mark, len(r.head.Releases))
	for _, m := range r.head.Releases {
		marks[m.Release] = m
	}
	mark := func(id string) Mark {
		if id == "" {
			return Mark{}
		}
		if m, ok := marks[id]; ok {
			return m
		}
		return Mark{Release: id}
	}
	for {
		l, err := r.next()
		if err == io.EOF {
			return &r.head, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		e := Entry{Key: l.Entry, FirstSeen: mark(l.FirstSeen), LastSeen: mark(l.LastSeen),
			LastChange: mark(l.LastChange), Change: l.Change}
		if err := fn(e); err != nil {
			return nil, err
		}
	}
}

// errFound stops ReadHistory in Lookup.
var errFound = errors.New("found")

// Lookup returns the history of one entry ("red/E1"), reading the history file at path until it passes
// the key.
func Lookup(path, key string) (Entry, bool, error) {
	var found Entry
	_, err := ReadHistory(path, func(e Entry) error {
		if e.Key >= key {
			if e.Key == key {
				found = e
			}
			return errFound
		}
		return nil
	})
	if errors.Is(err, errFound) {
		return found, found.Key == key, nil
	}
	return Entry{}, false, err
}
