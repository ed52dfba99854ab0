package server

import (
	"container/list"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"xinyong/search"
)

// resultCache keeps the results of the latest distinct searches of one release, least recently used out
// first. A release never changes, so an entry never goes stale; the cache goes with its release. Results
// are shared between requests and must not be modified.
type resultCache struct {
	hits, misses atomic.Int64

	mu    sync.Mutex
	max   int
	ll    *list.List // of *cacheEntry, most recent first
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key string
	res *search.Result
}

// newResultCache returns a cache of max entries, or nil (no caching) when max is not positive.
func newResultCache(max int) *resultCache {
	if max <= 0 {
		return nil
	}
	return &resultCache{max: max, ll: list.New(), byKey: make(map[string]*list.Element, max)}
}

// cacheKey identifies a request: the query (trimmed; the search package normalises the rest), the page,
// the size and the filters.
func cacheKey(r search.Request) string {
	f := r.Filters
	var b strings.Builder
	b.Grow(len(r.Q) + len(f.ListName) + len(f.Department) + len(f.District) + 24)
	b.WriteString(strings.TrimSpace(r.Q))
	for _, s := range []string{strconv.Itoa(r.Page), strconv.Itoa(r.Size), f.Kind, f.List, f.ListName,
		f.Department, f.District} {
		b.WriteByte(0)
		b.WriteString(s)
	}
	return b.String()
}

func (c *resultCache) get(key string) (*search.Result, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		c.misses.Add(1)
		return nil, false
	}
	c.hits.Add(1)
	c.ll.MoveToFront(e)
	return e.Value.(*cacheEntry).res, true
}

func (c *resultCache) put(key string, res *search.Result) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.ll.MoveToFront(e)
		e.Value.(*cacheEntry).res = res
		return
	}
	c.byKey[key] = c.ll.PushFront(&cacheEntry{key: key, res: res})
	if c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.byKey, last.Value.(*cacheEntry).key)
	}
}

// stats returns the lookups that found a result and those that did not.
func (c *resultCache) stats() (hits, misses int64) {
	if c == nil {
		return 0, 0
	}
	return c.hits.Load(), c.misses.Load()
}
