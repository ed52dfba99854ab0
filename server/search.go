package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"xinyong"
	"xinyong/search"
)

// searchParams is a search request as read from the URL.
type searchParams struct {
	req   search.Request
	given bool // the URL has a q parameter: something was searched
}

// readParams reads q, page, size (API only) and the filters. A page that is not a number is the
// request's fault, like any other bad page.
func readParams(v url.Values, api bool) (searchParams, error) {
	p := searchParams{given: v.Has("q")}
	p.req.Q = strings.TrimSpace(v.Get("q"))
	p.req.Filters = search.Filters{
		List: v.Get("list"), Kind: v.Get("kind"), ListName: v.Get("list_name"),
		Department: v.Get("department"), District: v.Get("district"),
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return p, &search.QueryError{Kind: search.ErrBadPage, Msg: xinyong.MsgSearchBadPage}
		}
		p.req.Page = n
		if n < 1 {
			return p, &search.QueryError{Kind: search.ErrBadPage, Msg: xinyong.MsgSearchBadPage}
		}
	}
	if s := v.Get("size"); api && s != "" {
		if n, err := strconv.Atoi(s); err == nil && n > 0 {
			p.req.Size = n
		}
	}
	return p, nil
}

// errRateLimited is the error of a client over its rate; wait is when it may search again.
type errRateLimited struct{ wait time.Duration }

func (e *errRateLimited) Error() string { return fmt.Sprintf(xinyong.MsgServeRateLimited, e.seconds()) }

func (e *errRateLimited) seconds() int { return max(1, int((e.wait+time.Second-1)/time.Second)) }

// limit applies the client's rate limit to a search.
func (s *Server) limit(r *http.Request) error {
	if s.limiter == nil {
		return nil
	}
	if ok, wait := s.limiter.allow(clientAddr(r, s.opt.ClientIPHeader)); !ok {
		return &errRateLimited{wait: wait}
	}
	return nil
}

// search runs a request on the release, through its cache, within the time limit.
// Identical requests that arrive while one is being searched wait for its result instead of searching
// again: the costly queries (a common word, the first characters of many codes) are also the ones many
// people send at once.
func (s *Server) search(r *http.Request, st *state, req search.Request) (*search.Result, error) {
	key := cacheKey(req)
	if res, ok := st.caches.results.get(key); ok {
		return res, nil
	}
	ctx, cancel := s.searchContext(r)
	defer cancel()
	f, leader := st.flights.join(key)
	if !leader {
		select {
		case <-f.done:
			if f.err == nil || !isContextError(f.err) {
				return f.res, f.err
			}
			// The first request gave up (its client left, or its time ran out): search for this one.
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return st.index.Search(ctx, req)
	}
	st.flights.lead(key, f, func() (*search.Result, error) { return st.index.Search(ctx, req) })
	if f.err == nil {
		st.caches.results.put(key, f.res)
	}
	return f.res, f.err
}

// errSearchPanic is the error of a search that panicked: the value and the stack, for the log.
type errSearchPanic struct {
	value any
	stack []byte
}

func (e *errSearchPanic) Error() string {
	return fmt.Sprintf("search panicked: %v\n%s", e.value, e.stack)
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// flights are the searches in progress on a release, by cache key.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

// flight is one search in progress; done is closed when res and err are set.
type flight struct {
	done chan struct{}
	res  *search.Result
	err  error
}

// join returns the search in progress for key, or starts one: leader reports whether the caller must run
// it and then call leave.
func (fs *flights) join(key string) (f *flight, leader bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if f, ok := fs.m[key]; ok {
		return f, false
	}
	if fs.m == nil {
		fs.m = map[string]*flight{}
	}
	f = &flight{done: make(chan struct{})}
	fs.m[key] = f
	return f, true
}

// lead runs the search of the flight f that join started, sets its result and leaves. A panic of search
// becomes the flight's error (*errSearchPanic): the flight is always left, so that the requests waiting
// for it, and every later identical request, are not held by a search that will never finish.
func (fs *flights) lead(key string, f *flight, search func() (*search.Result, error)) {
	defer fs.leave(key, f)
	defer func() {
		if v := recover(); v != nil {
			f.res, f.err = nil, &errSearchPanic{value: v, stack: debug.Stack()}
		}
	}()
	f.res, f.err = search()
}

// leave ends a search, waking the requests that waited for it.
func (fs *flights) leave(key string, f *flight) {
	fs.mu.Lock()
	delete(fs.m, key)
	fs.mu.Unlock()
	close(f.done)
}

// failure is how an error of a search is answered: status, message for the public, kind for the API.
type failure struct {
	status int
	msg    string
	kind   string
}

// classify turns a search error into its answer, logging the server's own errors.
func (s *Server) classify(r *http.Request, err error) failure {
	var qe *search.QueryError
	var rl *errRateLimited
	switch {
	case errors.As(err, &qe):
		return failure{http.StatusBadRequest, qe.Msg, string(qe.Kind)}
	case errors.As(err, &rl):
		return failure{http.StatusTooManyRequests, rl.Error(), "rate_limited"}
	case errors.Is(err, context.DeadlineExceeded):
		s.log.Warn("search timed out", "q", loggableQuery(r.URL.Query().Get("q")), "timeout", s.opt.SearchTimeout)
		return failure{http.StatusServiceUnavailable, xinyong.MsgServeTimeout, "timeout"}
	case errors.Is(err, context.Canceled):
		return failure{http.StatusServiceUnavailable, xinyong.MsgServeUnavailable, "unavailable"}
	case errors.Is(err, search.ErrClosed):
		return failure{http.StatusServiceUnavailable, xinyong.MsgServeUnavailable, "unavailable"}
	}
	s.log.Error("search failed", "q", loggableQuery(r.URL.Query().Get("q")), "error", err)
	return failure{http.StatusInternalServerError, xinyong.MsgServeInternal, "internal"}
}

// serveSearch answers /search/: the search page with the form and, when something was searched, the
// results or the error.
func (s *Server) serveSearch(w http.ResponseWriter, r *http.Request, st *state) {
	w.Header().Set("Cache-Control", cacheNone)
	p, err := readParams(r.URL.Query(), false)
	d := &pageData{Q: p.req.Q, Filters: p.req.Filters}
	status := http.StatusOK
	var key string
	if err == nil && p.given {
		if err = s.limit(r); err == nil {
			key = cacheKey(p.req)
			if page, ok := st.caches.pages.get(key); ok {
				writeBody(w, r, status, contentTypes[".html"], page)
				return
			}
			d.Result, err = s.search(r, st, p.req)
		}
	}
	if err != nil {
		f := s.classify(r, err)
		status, d.Error = f.status, f.msg
		if rl := (*errRateLimited)(nil); errors.As(err, &rl) {
			w.Header().Set("Retry-After", strconv.Itoa(rl.seconds()))
		}
	}
	page := s.writeSearchPage(w, r, st, status, d)
	if d.Result != nil && status == http.StatusOK && page != nil {
		st.caches.pages.put(key, page)
	}
}

// writeBody answers with a body made already.
func writeBody(w http.ResponseWriter, r *http.Request, status int, ctype string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// apiResult is the JSON of /api/search: the fields of search.Result, and nothing a Hit does not carry.
type apiResult struct {
	Query  string       `json:"query"`
	Notice string       `json:"notice,omitempty"`
	Total  uint64       `json:"total"`
	Page   int          `json:"page"`
	Pages  int          `json:"pages"`
	Size   int          `json:"size"`
	Hits   []search.Hit `json:"hits"`
}

// apiError is the JSON of an error of /api/search.
type apiError struct {
	Error string `json:"error"`
	Kind  string `json:"kind"`
}

// serveAPI answers /api/search with JSON.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, st *state) {
	const ctype = "application/json; charset=utf-8"
	w.Header().Set("Cache-Control", cacheNone)
	p, err := readParams(r.URL.Query(), true)
	var key string
	var res *search.Result
	if err == nil {
		if err = s.limit(r); err == nil {
			key = cacheKey(p.req)
			if body, ok := st.caches.api.get(key); ok {
				writeBody(w, r, http.StatusOK, ctype, body)
				return
			}
			res, err = s.searchAPI(r, st, p.req)
		}
	}
	if err != nil {
		f := s.classify(r, err)
		if rl := (*errRateLimited)(nil); errors.As(err, &rl) {
			w.Header().Set("Retry-After", strconv.Itoa(rl.seconds()))
		}
		writeBody(w, r, f.status, ctype, mustJSON(apiError{Error: f.msg, Kind: f.kind}))
		return
	}
	hits := res.Hits
	if hits == nil {
		hits = []search.Hit{}
	}
	body := mustJSON(apiResult{Query: res.Query, Notice: res.Notice, Total: res.Total, Page: res.Page,
		Pages: res.Pages(), Size: res.Size, Hits: hits})
	st.caches.api.put(key, body)
	writeBody(w, r, http.StatusOK, ctype, body)
}

// mustJSON encodes plain structs of strings, numbers, byte slices and hashes (an archive.Proof too), which
// cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// searchAPI runs an API search. The suggestions ask for the first few results; these are cut from the
// first page of the search page's size, so that the two share one cached result.
func (s *Server) searchAPI(r *http.Request, st *state, req search.Request) (*search.Result, error) {
	size := req.Size
	if size <= 0 || size >= search.DefaultSize || req.Page > 1 {
		return s.search(r, st, req)
	}
	req.Size = 0
	res, err := s.search(r, st, req)
	if err != nil {
		return nil, err
	}
	cut := *res
	cut.Size = size
	cut.Hits = res.Hits[:min(size, len(res.Hits))]
	return &cut, nil
}
