package opendata

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
)

// batchSize is how many pages are read at once. Pages are read and parsed on every CPU, a batch at a time,
// while the previous batch is written in order: at most two batches of records are in memory, whatever the
// size of the tree. (Reading the front matter with generator.ReadEntryPage takes a few µs a page; the rest
// is the file system and writing the rows.)
const batchSize = 512

// batch is the records of pages ids[start:start+len(recs)] of a section; nil for a page that is skipped.
type batch[T any] struct {
	start int
	recs  []*T
	errs  []error
}

// pages yields the records of the pages ids of dir (the section of the tree), in order, read on all CPUs;
// r is nil for a page read skips. It stops at the first false from yield or when ctx is cancelled
// (returning ctx's error).
func pages[T any](ctx context.Context, dir, section string, ids []string, read reader[T], yield func(id string, r *T, err error) bool) error {
	if len(ids) == 0 {
		return nil
	}
	workers := runtime.GOMAXPROCS(0)
	bufs := [2]batch[T]{
		{recs: make([]*T, min(batchSize, len(ids))), errs: make([]error, min(batchSize, len(ids)))},
		{recs: make([]*T, min(batchSize, len(ids))), errs: make([]error, min(batchSize, len(ids)))},
	}
	parse := func(b *batch[T], start int) <-chan struct{} {
		done := make(chan struct{})
		n := min(batchSize, len(ids)-start)
		b.start, b.recs, b.errs = start, b.recs[:n], b.errs[:n]
		go func() {
			readBatch(dir, section, ids[start:start+n], read, b.recs, b.errs, workers)
			close(done)
		}()
		return done
	}
	done := parse(&bufs[0], 0)
	defer func() { <-done }() // never leave a batch being parsed
	for k := 0; ; k++ {
		<-done
		cur := &bufs[k%2]
		next := cur.start + len(cur.recs)
		if err := ctx.Err(); err != nil {
			done = closed
			return err
		}
		if next < len(ids) {
			done = parse(&bufs[(k+1)%2], next)
		} else {
			done = closed
		}
		for i := range cur.recs {
			if !yield(ids[cur.start+i], cur.recs[i], cur.errs[i]) {
				return nil
			}
		}
		if next >= len(ids) {
			return nil
		}
	}
}

// closed is a channel that is already closed: nothing is being parsed.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// readBatch reads the pages ids of dir into recs, on workers goroutines.
func readBatch[T any](dir, section string, ids []string, read reader[T], recs []*T, errs []error, workers int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(ids)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(ids) {
					return
				}
				recs[i], errs[i] = nil, nil
				page, err := os.ReadFile(filepath.Join(dir, ids[i]+".md"))
				if err != nil {
					errs[i] = err
					continue
				}
				recs[i], _, errs[i] = read(section, ids[i], page)
			}
		})
	}
	wg.Wait()
}
