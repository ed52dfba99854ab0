package server

import (
	"container/list"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"xinyong/search"
)

// lru keeps the values of the latest distinct keys of one release, least recently used out first. A
// release never changes, so an entry never goes stale; the cache goes with its release. Values are shared
// between requests and must not be modified. A nil *lru caches nothing.
type lru[V any] struct {
	hits, misses atomic.Int64

	mu    sync.Mutex
	max   int
	ll    *list.List // of *lruEntry[V], most recent first
	byKey map[string]*list.Element
}

type lruEntry[V any] struct {
	key   string
	value V
}

// newLRU returns a cache of max entries, or nil (no caching) when max is not positive.
func newLRU[V any](max int) *lru[V] {
	if max <= 0 {
		return nil
	}
	return &lru[V]{max: max, ll: list.New(), byKey: make(map[string]*list.Element, max)}
}

func (c *lru[V]) get(key string) (v V, ok bool) {
	if c == nil {
		return v, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		c.misses.Add(1)
		return v, false
	}
	c.hits.Add(1)
	c.ll.MoveToFront(e)
	return e.Value.(*lruEntry[V]).value, true
}

func (c *lru[V]) put(key string, v V) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.ll.MoveToFront(e)
		e.Value.(*lruEntry[V]).value = v
		return
	}
	c.byKey[key] = c.ll.PushFront(&lruEntry[V]{key: key, value: v})
	if c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.byKey, last.Value.(*lruEntry[V]).key)
	}
}

// stats returns the lookups that found a value and those that did not.
func (c *lru[V]) stats() (hits, misses int64) {
	if c == nil {
		return 0, 0
	}
	return c.hits.Load(), c.misses.Load()
}

// caches are a release's caches: search results, and what was made of them (the results part of the
// search page, the API's JSON), by the request's cacheKey.
type caches struct {
	results *lru[*search.Result]
	pages   *lru[[]byte]
	api     *lru[[]byte]
}

// newCaches sizes the caches for entries results: as many API answers (a few hits each), a quarter as many
// rendered pages (twenty hits each, the largest).
func newCaches(entries int) caches {
	return caches{results: newLRU[*search.Result](entries), pages: newLRU[[]byte](entries / 4),
		api: newLRU[[]byte](entries)}
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
