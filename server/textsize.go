package server

import (
	"net/http"
	"net/url"
	"strings"
)

// 长者模式 (larger text) without JavaScript: every page links /css/text-size.min.css (the theme's
// assets/css/text-size.css) after the main stylesheet, and
// a link in the masthead leads to /text-size/?size=large (or standard). That sets or clears a cookie and
// goes back to the page the reader came from; the stylesheet is then answered with the bytes of the
// release's css/text-size-large.min.css while the cookie is there. The pages themselves stay the same bytes for everybody.
const (
	textSizeCookie = "xinyong-text-size"
	textSizeLarge  = "large"
	textSizeCSS    = "/css/text-size.min.css"
	textSizeLarger = "/css/text-size-large.min.css" // the release's stylesheet of 长者模式
	textSizeSwitch = "/text-size/"
	textSizeMaxAge = 365 * 24 * 60 * 60
)

// serveTextSize sets (size=large) or clears (size=standard) the reader's choice and sends them back.
func (s *Server) serveTextSize(w http.ResponseWriter, r *http.Request, st *state) {
	c := &http.Cookie{Name: textSizeCookie, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
	switch r.URL.Query().Get("size") {
	case textSizeLarge:
		c.Value, c.MaxAge = textSizeLarge, textSizeMaxAge
	case "standard":
		c.MaxAge = -1
	case "":
		s.serveStatic(w, r, st) // the page that explains 长者模式 (and the browser's own zoom)
		return
	default:
		s.notFound(w, r, st)
		return
	}
	http.SetCookie(w, c)
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, backPath(r), http.StatusSeeOther)
}

// largeText reports whether the reader chose 长者模式.
func largeText(r *http.Request) bool {
	c, err := r.Cookie(textSizeCookie)
	return err == nil && c.Value == textSizeLarge
}

// serveTextSizeCSS answers the text size's stylesheet by the reader's choice: the release's, or its
// text-size-large in 长者模式. Both vary by the cookie and are revalidated on every page.
func (s *Server) serveTextSizeCSS(w http.ResponseWriter, r *http.Request, st *state) {
	w.Header().Add("Vary", "Cookie")
	if largeText(r) {
		r = r.Clone(r.Context())
		r.URL.Path = textSizeLarger
	}
	// Private and revalidated each time: a shared cache must not hand one reader's choice to another, and a
	// reader who switches sees the other size on the next page.
	s.serveStatic(cacheControl{w, "private, no-cache"}, r, st)
}

// cacheControl is a ResponseWriter whose Cache-Control is value, whatever the handler set.
type cacheControl struct {
	http.ResponseWriter
	value string
}

func (c cacheControl) WriteHeader(code int) {
	c.Header().Set("Cache-Control", c.value)
	c.ResponseWriter.WriteHeader(code)
}

func (c cacheControl) Write(b []byte) (int, error) {
	c.Header().Set("Cache-Control", c.value) // no effect once the header is written
	return c.ResponseWriter.Write(b)
}

// backPath is where the switch sends the reader back to: the page they came from on this site (the
// Referer's path and query, same host), else the home page. Never another site.
func backPath(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || !strings.HasPrefix(ref.Path, "/") || strings.HasPrefix(ref.Path, "//") ||
		strings.HasPrefix(ref.Path, textSizeSwitch) {
		return "/"
	}
	back := ref.EscapedPath()
	if ref.RawQuery != "" {
		back += "?" + ref.RawQuery
	}
	return back
}
