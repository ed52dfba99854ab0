package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
	"unicode/utf8"

	"xinyong"
	"xinyong/search"
)

// Security headers of every response. The theme has no inline script or style, no frames, no fonts from
// elsewhere; its JSON-LD <script type="application/ld+json"> is data, which the policy does not block.
const (
	csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
	referrerPolicy = "strict-origin-when-cross-origin"
)

// maxURIBytes bounds the request target; a search needs far less (the query has at most
// search.MaxQueryRunes characters).
const maxURIBytes = 4096

// Handler returns the handler of the site and its search.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", csp)
	h.Set("Referrer-Policy", referrerPolicy)
	h.Set("X-Frame-Options", "DENY")
	var st *state
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving a request", "path", maskedPath(r), "panic", v, "stack", string(debug.Stack()))
			if !rec.wroteHeader {
				s.errorPage(rec, r, st, http.StatusInternalServerError, xinyong.MsgServeInternal)
			}
		}
		s.logRequest(r, rec, start)
	}()

	if len(r.RequestURI) > maxURIBytes {
		s.errorPage(rec, r, nil, http.StatusRequestURITooLong, xinyong.MsgServeURITooLong)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// The verify page takes an upload; nothing else takes a body.
		if r.URL.Path != verifyPath {
			h.Set("Allow", "GET, HEAD")
			s.errorPage(rec, r, nil, http.StatusMethodNotAllowed, xinyong.MsgServeMethod)
			return
		}
		if r.Method != http.MethodPost {
			h.Set("Allow", "GET, HEAD, POST")
			s.errorPage(rec, r, nil, http.StatusMethodNotAllowed, xinyong.MsgVerifyPageMethod)
			return
		}
	}
	st, err := s.acquire()
	if err != nil {
		h.Set("Retry-After", "5")
		s.errorPage(rec, r, nil, http.StatusServiceUnavailable, xinyong.MsgServeUnavailable)
		return
	}
	defer st.mu.RUnlock()
	switch r.URL.Path {
	case "/search/":
		s.serveSearch(rec, r, st)
	case "/api/search":
		s.serveAPI(rec, r, st)
	case "/status/":
		s.serveStatus(rec, r, st)
	case "/api/status":
		s.serveStatusAPI(rec, r, st)
	case proofPath:
		s.serveProof(rec, r)
	case verifyPath:
		s.serveVerify(rec, r, st)
	case textSizeSwitch:
		s.serveTextSize(rec, r, st)
	case textSizeCSS:
		s.serveTextSizeCSS(rec, r, st)
	default:
		s.serveStatic(rec, r, st)
	}
}

// logRequest logs one line per request at debug level. The path and the query are masked: an ID number
// never reaches the log.
func (s *Server) logRequest(r *http.Request, rec *recorder, start time.Time) {
	ctx := r.Context()
	if !s.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.Method), slog.String("path", maskedPath(r)),
		slog.Int("status", rec.status()), slog.Int64("bytes", rec.bytes),
		slog.Duration("duration", time.Since(start)),
	}
	if r.URL.Path == "/search/" || r.URL.Path == "/api/search" {
		attrs = append(attrs, slog.String("q", loggableQuery(r.URL.Query().Get("q"))))
	}
	s.log.LogAttrs(ctx, slog.LevelDebug, "request", attrs...)
}

// maskedPath is the request's path as it may be logged.
func maskedPath(r *http.Request) string {
	return truncate(maskText(r.URL.Path), 200)
}

// idNumberQuery stands in the logs for a query that is or holds an ID number.
const idNumberQuery = "[ID number]"

// loggableQuery is a search query as it may be logged: never an ID number, even mistyped, with
// separators or run into other text; one line; at most search.MaxQueryRunes characters.
func loggableQuery(raw string) string {
	if xinyong.LooksLikeIDNumber(raw) {
		return idNumberQuery
	}
	if q, err := search.Parse(raw); err == nil {
		if q.Blocked {
			return idNumberQuery
		}
		return maskDigitRuns(q.Text)
	}
	m := maskText(raw)
	if m != xinyong.CleanLine(raw) {
		return idNumberQuery
	}
	return truncate(m, search.MaxQueryRunes)
}

// maskText is text from a request made safe to log or show back: one line, ID numbers masked, and any run
// of digits long enough to be part of one masked too.
func maskText(s string) string {
	m, _ := xinyong.MaskIDNumbersIn(xinyong.CleanLine(s))
	return maskDigitRuns(m)
}

// maskDigitRuns masks every run of digits, X, spaces and hyphens that holds 14 or more digits: whatever
// surrounds it, such a run may be an ID number (MaskIDNumbersIn masks only runs that stand alone).
func maskDigitRuns(s string) string {
	in := func(c byte) bool { return c >= '0' && c <= '9' || c == 'x' || c == 'X' || c == ' ' || c == '-' }
	var b []byte
	for i := 0; i < len(s); {
		if !in(s[i]) {
			i++
			continue
		}
		j, digits := i, 0
		for ; j < len(s) && in(s[j]); j++ {
			if s[j] >= '0' && s[j] <= '9' {
				digits++
			}
		}
		if digits >= 14 {
			if b == nil {
				b = []byte(s)
			}
			for k := i; k < j; k++ {
				if b[k] != ' ' && b[k] != '-' {
					b[k] = '*'
				}
			}
		}
		i = j
	}
	if b == nil {
		return s
	}
	return string(b)
}

func truncate(s string, runes int) string {
	if utf8.RuneCountInString(s) <= runes {
		return s
	}
	return string([]rune(s)[:runes]) + "…"
}

// errorPage answers with a message in the page of the site (the search page's chrome) when a release is
// at hand, else as plain text.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, st *state, status int, msg string) {
	h := w.Header()
	h.Del("Content-Encoding")
	h.Del("ETag")
	h.Del("Last-Modified")
	h.Set("Cache-Control", cacheNone)
	if st == nil {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			io.WriteString(w, msg+"\n")
		}
		return
	}
	s.writeSearchPage(w, r, st, status, &pageData{Error: msg})
}

// searchContext bounds a search in time.
func (s *Server) searchContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.Context(), s.opt.SearchTimeout)
}

// recorder notes the status and size of a response for the log.
type recorder struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
	bytes       int64
}

func (w *recorder) WriteHeader(code int) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = http.StatusOK, true
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// ReadFrom keeps the underlying writer's sendfile path for static files.
func (w *recorder) ReadFrom(src io.Reader) (int64, error) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = http.StatusOK, true
	}
	var n int64
	var err error
	if rf, ok := w.ResponseWriter.(io.ReaderFrom); ok {
		n, err = rf.ReadFrom(src)
	} else {
		n, err = io.Copy(w.ResponseWriter, src)
	}
	w.bytes += n
	return n, err
}

func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *recorder) status() int {
	if !w.wroteHeader {
		return http.StatusOK
	}
	return w.code
}
