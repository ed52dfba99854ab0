package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"xinyong"
)

// Paging limits.
const (
	DefaultSize = 20   // results per page when Request.Size is 0
	MaxSize     = 50   // most results per page; larger sizes are cut to this
	MaxDepth    = 1000 // results reachable by paging: Page*Size may not exceed it
	maxFilter   = 200  // bytes of a free-text filter value
)

// ErrClosed is returned by Search on a closed Index. It is the server's fault, not the query's (HTTP 503).
var ErrClosed = errors.New("search: index is closed")

// Index is an open search index. It is safe for concurrent use.
type Index struct {
	mu    sync.RWMutex // read-held by each Search, held by Close
	idx   bleve.Index  // nil once closed
	stats Stats
}

// Open opens the index Build wrote into dir, read-only. The analyzers it needs are registered by this
// package, so opening it through here cannot fail for want of an import.
func Open(dir string) (*Index, error) {
	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("search: open %s: %w", dir, err)
	}
	return &Index{idx: idx, stats: m.Stats}, nil
}

// Stats returns what Build recorded about the index.
func (x *Index) Stats() Stats { return x.stats }

// Close waits for the searches in progress to finish, then closes the index. Later searches return
// ErrClosed. Close is idempotent.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.idx == nil {
		return nil
	}
	err := x.idx.Close()
	x.idx = nil
	return err
}

// Request is one search.
type Request struct {
	Q       string // as typed; see Parse
	Page    int    // 1-based; 0 means 1
	Size    int    // results per page; 0 means DefaultSize, more than MaxSize means MaxSize
	Filters Filters
}

// Filters restrict a search; an empty field does not restrict. Values match exactly what Build stored.
type Filters struct {
	Kind       string // KindSubject or KindCase
	List       string // xinyong.ListRed or xinyong.ListBlack
	ListName   string // 名单名称
	Department string // department name
	District   string // district name or GB/T 2260 code of xinyong.DistrictCodes
}

// Result is one page of results.
type Result struct {
	Query  string // Query.Text: the query as it may be shown back
	Notice string // Query.Notice
	Total  uint64 // all matches, of which at most MaxDepth can be paged to
	Page   int
	Size   int
	Hits   []Hit // relevance first, then newer first
	Took   time.Duration
}

// Pages returns the number of pages that can be reached.
func (r *Result) Pages() int {
	n := min(r.Total, MaxDepth)
	if r.Size <= 0 {
		return 0
	}
	return int((n + uint64(r.Size) - 1) / uint64(r.Size))
}

// Search runs a request. Errors that are the request's fault are *QueryError (see IsQueryError); a query
// that is an ID number gives a Result with a Notice and no hits, without looking anything up.
func (x *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	page, size, err := r.bounds()
	if err != nil {
		return nil, err
	}
	filters, err := r.Filters.queries()
	if err != nil {
		return nil, err
	}
	q, err := Parse(r.Q)
	if err != nil {
		return nil, err
	}

	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idx == nil {
		return nil, ErrClosed
	}
	res := &Result{Query: q.Text, Notice: q.Notice, Page: page, Size: size, Hits: []Hit{}}
	if q.Blocked {
		res.Took = time.Since(start)
		return res, nil
	}
	sr, err := x.run(ctx, q, filters, page, size, false)
	terms := q.terms()
	if err == nil && sr.Total == 0 && q.canRelax() {
		sr, err = x.run(ctx, q, filters, page, size, true)
	} else if q.refOnly {
		terms = nil // found by the 认定文号: no part of the name was asked for
	}
	if err != nil {
		return nil, err
	}
	res.Total = sr.Total
	if q.codeStem != "" && res.Notice != "" {
		// A code that fails its check but is the code of a published subject: the department reported it
		// so (the export publishes such a code as stored), and the user most likely pasted it from the
		// site. Saying that the input is wrong would blame the user for the database.
		lenient, err := x.hasCode(ctx, q.code)
		if err != nil {
			return nil, err
		}
		if lenient {
			res.Notice = xinyong.MsgSearchCodeLenient
		}
	}
	for _, dm := range sr.Hits {
		h, err := decodeHit(dm.Fields[fDoc])
		if err != nil {
			return nil, fmt.Errorf("search: document %s: %w", dm.ID, err)
		}
		h.Score = dm.Score
		h.Segments = segments(h.Name, terms)
		h.RefMatched, h.Matched = q.matchRef(&h)
		h.Entries = nil
		h.CodeMatched = q.code != "" && h.Code != "" && (h.Code == q.code ||
			!q.codeFull && strings.HasPrefix(h.Code, q.code) ||
			q.codeStem != "" && strings.HasPrefix(h.Code, q.codeStem))
		res.Hits = append(res.Hits, h)
	}
	res.Took = time.Since(start)
	return res, nil
}

// hasCode reports whether a subject of the index has the credit code code.
func (x *Index) hasCode(ctx context.Context, code string) (bool, error) {
	req := bleve.NewSearchRequestOptions(termQuery(fCode, code, 1), 0, 0, false)
	sr, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return false, fmt.Errorf("search: %w", err)
	}
	return sr.Total > 0, nil
}

// matchRef reports whether the query is the id or a reference of h, and returns the entry of h it named,
// if any.
func (q *Query) matchRef(h *Hit) (matched bool, entry *MatchedEntry) {
	if q.ref == "" {
		return false, nil
	}
	for _, e := range h.Entries {
		if refKey(e.ID) == q.ref || refKey(e.DecisionNo) == q.ref {
			return true, &MatchedEntry{Entry: e, URL: e.URL()}
		}
	}
	return h.ID != h.Code && refKey(h.ID) == q.ref, nil
}

// run runs one Bleve search for q.
func (x *Index) run(ctx context.Context, q Query, filters []query.Query, page, size int, relaxed bool) (*bleve.SearchResult, error) {
	req := bleve.NewSearchRequestOptions(q.bleveQuery(filters, relaxed), size, (page-1)*size, false)
	req.Fields = []string{fDoc}
	// Ties broken by the document id: index order depends on how the builder merged its segments.
	req.SortBy([]string{"-_score", "-" + fDate, "_id"})
	sr, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return sr, nil
}

// bounds returns the page and size of r, or a *QueryError.
func (r Request) bounds() (page, size int, err error) {
	page, size = r.Page, r.Size
	if page == 0 {
		page = 1
	}
	if page < 0 {
		return 0, 0, queryError(ErrBadPage, xinyong.MsgSearchBadPage)
	}
	switch {
	case size <= 0:
		size = DefaultSize
	case size > MaxSize:
		size = MaxSize
	}
	if page > MaxDepth/size {
		return 0, 0, queryError(ErrTooDeep, xinyong.MsgSearchTooDeep, MaxDepth)
	}
	return page, size, nil
}

// queries returns the filters as term queries, or a *QueryError.
func (f Filters) queries() ([]query.Query, error) {
	var qs []query.Query
	add := func(field, v string) {
		if v != "" {
			qs = append(qs, termQuery(field, v, 1))
		}
	}
	switch f.Kind {
	case "", KindSubject, KindCase:
		add(fKind, f.Kind)
	default:
		return nil, queryError(ErrBadFilter, xinyong.MsgSearchBadFilter, xinyong.MsgSearchFilterKind)
	}
	switch f.List {
	case "", xinyong.ListRed, xinyong.ListBlack:
		add(fList, f.List)
	default:
		return nil, queryError(ErrBadFilter, xinyong.MsgSearchBadFilter, xinyong.MsgSearchFilterList)
	}
	for _, t := range []struct{ field, v string }{
		{fListName, f.ListName}, {fDepartment, f.Department}, {fDistrict, districtName(f.District)},
	} {
		if len(t.v) > maxFilter || !utf8.ValidString(t.v) {
			return nil, queryError(ErrBadFilter, xinyong.MsgSearchBadFilter, xinyong.MsgSearchFilterText)
		}
		add(t.field, xinyong.CleanLine(t.v))
	}
	return qs, nil
}

// decodeHit decodes the stored document of a hit.
func decodeHit(v any) (Hit, error) {
	var h Hit
	s, ok := v.(string)
	if !ok {
		return h, errors.New("no stored document")
	}
	err := json.Unmarshal([]byte(s), &h)
	return h, err
}

// Audit calls fn with every term of every indexed field and with the stored document (a Hit as JSON) of
// every document, so that a check can prove what the index holds: the release tests scan it for ID
// numbers. It stops at the first error fn returns, and returns ErrClosed on a closed Index.
func (x *Index) Audit(ctx context.Context, fn func(field, value string) error) error {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.idx == nil {
		return ErrClosed
	}
	for _, field := range []string{fName, fName1, fExact, fCode, fCodePrefix, fRef, fKind, fList, fListName, fDepartment,
		fDistrict, fDate} {
		if err := x.auditField(field, fn); err != nil {
			return err
		}
	}
	n, err := x.idx.DocCount()
	if err != nil {
		return fmt.Errorf("search: audit: %w", err)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), int(n), 0, false)
	req.Fields = []string{fDoc}
	res, err := x.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: audit: %w", err)
	}
	for _, dm := range res.Hits {
		s, _ := dm.Fields[fDoc].(string)
		if err := fn(fDoc, s); err != nil {
			return err
		}
	}
	return nil
}

func (x *Index) auditField(field string, fn func(field, value string) error) error {
	dict, err := x.idx.FieldDict(field)
	if err != nil {
		return fmt.Errorf("search: audit %s: %w", field, err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("search: audit %s: %w", field, err)
		}
		if e == nil {
			return nil
		}
		if err := fn(field, e.Term); err != nil {
			return err
		}
	}
}
