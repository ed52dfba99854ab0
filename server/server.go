// Package server is `xinyong serve`: it serves the current release of 信用盘锦 (the built site and its
// search) from the data directory, and switches to a new release when `xinyong run` publishes one, without
// a restart and without dropping a request.
//
// # Releases
//
// The server resolves <data>/current (publish.Current) into a state: the release's site directory, opened
// as an os.Root so that no path can leave it, its search index, the search page split around its marker,
// the 404 page, and a small cache of search results. The state is held in an atomic pointer. Reload (and
// Watch, which polls the link) opens the new release's state first, swaps the pointer, and then retires the
// old state: it waits for the requests still using it, and closes its index and directory. A release that
// cannot be opened is logged and the old one stays current.
//
// Every request takes the state once and uses it to the end, so a page and its search results always come
// from one release.
//
// # What it answers
//
//   - /search/?q=...: the search page of the release, with the results rendered in Go (html/template)
//     between the comments <!--xinyong:search--> and <!--/xinyong:search--> of the built page. It works
//     without JavaScript.
//   - /api/search?q=...: the same results as JSON.
//   - /api/proof?sha256=...: the publication log's proof for a page's SHA-256 (DATA/log), as JSON.
//   - /verify/: the release's verify page with a form to upload a saved page (POST) or give its SHA-256,
//     and the log's answer rendered between <!--xinyong:verify--> and <!--/xinyong:verify-->.
//   - Anything else: a file of the site, with the precompressed .gz variant when the client accepts gzip,
//     ETag and Last-Modified, long caching for fingerprinted assets and short caching for the rest; the
//     site's 404.html with status 404 for what does not exist.
//
// Every response carries the security headers (a Content-Security-Policy that allows no inline script or
// style), only GET and HEAD are answered (and POST to /verify/), searches and proofs are rate-limited per
// client and searches bounded in time, and panics are recovered. ID numbers never reach the logs: queries
// and paths are logged masked.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"xinyong/publish"
)

// Options configures a Server. The zero value gives the defaults.
type Options struct {
	Logger *slog.Logger // nil: logs are discarded

	// SearchTimeout bounds one search; 0 means 3 s.
	SearchTimeout time.Duration
	// RateLimit is the searches a second one client may make on average, RateBurst how many at once;
	// 0 means 20 a second and a burst of 40; a negative RateLimit turns the limit off.
	RateLimit float64
	RateBurst int
	// MaxClients bounds the clients the rate limiter remembers; 0 means 10,000.
	MaxClients int
	// ClientIPHeader, when set, is a request header holding the client's address (X-Real-IP) set by a
	// reverse proxy in front of the server. Leave it empty when clients connect directly: they could set
	// it themselves.
	ClientIPHeader string
	// CacheEntries is the number of search results kept per release for identical requests (as many API
	// answers, and a quarter as many finished search pages, are kept beside them); 0 means 4096, a
	// negative value turns the caches off.
	CacheEntries int
	// MaxConns bounds the connections open at once (Listen), MaxConnsPerIP those of one client address
	// (IPv6 per /64); a connection over either is closed as soon as it is accepted. 0 means
	// DefaultMaxConns and DefaultMaxConnsPerIP, except that with ClientIPHeader set (behind a reverse
	// proxy, from which every connection comes) the per-client limit is off by default; a negative value
	// turns a limit off.
	MaxConns      int
	MaxConnsPerIP int
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.SearchTimeout <= 0 {
		o.SearchTimeout = 3 * time.Second
	}
	if o.RateLimit == 0 {
		o.RateLimit = 20
	}
	if o.RateBurst <= 0 {
		o.RateBurst = 40
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 10_000
	}
	if o.CacheEntries == 0 {
		o.CacheEntries = 4096
	}
	if o.MaxConns == 0 {
		o.MaxConns = DefaultMaxConns
	}
	if o.MaxConnsPerIP == 0 {
		o.MaxConnsPerIP = DefaultMaxConnsPerIP
		if o.ClientIPHeader != "" {
			o.MaxConnsPerIP = -1
		}
	}
	return o
}

// Server serves the current release of a data directory.
type Server struct {
	statusState
	data    string
	opt     Options
	log     *slog.Logger
	cur     atomic.Pointer[state]
	limiter *limiter // nil when rate limiting is off

	reload   sync.Mutex // serialises Reload and Close
	closed   bool       // under reload
	failedID string     // under reload: the release that last failed to open, not retried by Watch
}

// ErrNoRelease is returned by New (wrapped) when the data directory has no current release.
var ErrNoRelease = errors.New("no current release")

// New opens the current release of the data directory data. It fails, wrapping ErrNoRelease, when
// nothing has been published there yet.
func New(data string, opt Options) (*Server, error) {
	opt = opt.withDefaults()
	s := &Server{data: data, opt: opt, log: opt.Logger}
	if opt.RateLimit > 0 {
		s.limiter = newLimiter(opt.RateLimit, opt.RateBurst, opt.MaxClients)
	}
	dir, id, err := publish.Current(data)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w in %s", ErrNoRelease, data)
		}
		return nil, err
	}
	st, err := openState(context.Background(), s.log, dir, id, opt.CacheEntries)
	if err != nil {
		return nil, err
	}
	s.cur.Store(st)
	s.log.Info("release opened", "release", id, "dir", dir)
	return s, nil
}

// Release returns the id of the current release ("" after Close).
func (s *Server) Release() string {
	if st := s.cur.Load(); st != nil {
		return st.id
	}
	return ""
}

// Reload makes the release that <data>/current points at the one served, if it is not already. The new
// release is opened before the switch; if it cannot be, the error (naming both releases) is returned and
// the old one stays current. After the switch Reload waits for the requests still using the old release and closes
// it.
func (s *Server) Reload() error {
	s.reload.Lock()
	defer s.reload.Unlock()
	if s.closed {
		return errClosed
	}
	dir, id, err := publish.Current(s.data)
	if err != nil {
		return fmt.Errorf("reload: %w", err)
	}
	old := s.cur.Load()
	if old != nil && old.id == id {
		return nil
	}
	st, err := openState(context.Background(), s.log, dir, id, s.opt.CacheEntries)
	if err != nil {
		s.failedID = id
		return fmt.Errorf("reload: cannot open the new release %s; still serving %s: %w", id, old.id, err)
	}
	s.failedID = ""
	s.cur.Store(st)
	s.log.Info("release switched", "release", id, "previous", old.id)
	if err := old.retire(); err != nil {
		s.log.Error("closing the previous release", "release", old.id, "error", err)
	}
	return nil
}

// DefaultWatchInterval is how often Watch looks at the current link when given no interval.
const DefaultWatchInterval = time.Second

// Watch polls <data>/current every interval (DefaultWatchInterval if 0) and reloads when it points at
// another release, until ctx is done. A release that failed to open is not tried again until current
// points elsewhere.
func (s *Server) Watch(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultWatchInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, id, err := publish.Current(s.data)
		if err != nil || id == s.Release() || id == s.failed() {
			continue
		}
		if err := s.Reload(); err != nil {
			s.log.Error("reload failed", "error", err)
		}
	}
}

func (s *Server) failed() string {
	s.reload.Lock()
	defer s.reload.Unlock()
	return s.failedID
}

// Close stops serving: later requests get 503. It waits for the requests in progress, then closes the
// release's index.
func (s *Server) Close() error {
	s.reload.Lock()
	defer s.reload.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.statusMu.Lock()
	if s.status != nil {
		s.status.Close()
		s.status = nil
	}
	s.statusMu.Unlock()
	st := s.cur.Swap(nil)
	if st == nil {
		return nil
	}
	return st.retire()
}

// errClosed is the error of a request or a reload after Close.
var errClosed = errors.New("server: closed")

// acquire returns the current state, held for reading until release is called. A state retired while
// being acquired is skipped for the one that replaced it.
func (s *Server) acquire() (*state, error) {
	for {
		st := s.cur.Load()
		if st == nil {
			return nil, errClosed
		}
		st.mu.RLock()
		if !st.retired {
			return st, nil
		}
		st.mu.RUnlock()
	}
}

// MaxHeaderBytes is the most a request's head (request line and header fields) may hold; more is answered
// 431.
const MaxHeaderBytes = 16 << 10

// headerSlack is what net/http reads beyond http.Server.MaxHeaderBytes before it answers 431 (its
// initialReadLimitSize: "bufio slop"): without taking it off, the real limit was 20 KB.
const headerSlack = 4096

// HTTPServer returns an http.Server for the handler with the timeouts and limits of a public server. Serve
// it on a listener wrapped by Listen, which bounds its connections.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    MaxHeaderBytes - headerSlack,
		// OPTIONS * goes to the handler, which refuses it (405) with the security headers, instead of
		// net/http's own 200 without them.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     slog.NewLogLogger(s.log.Handler(), slog.LevelError),
	}
}
