package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestTextSize: 长者模式 without JavaScript. The switch sets the cookie and sends the reader back to the page
// of this site they came from (never elsewhere); /text-size.css is then the larger stylesheet, privately
// cached and revalidated; the standard switch clears it. Pages link /text-size.css and carry both links.
func TestTextSize(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()

	home := get(t, h, "/").Body.String()
	for _, want := range []string{`href="/css/text-size.min.css"`, `href="/text-size/?size=large"`, `href="/text-size/?size=standard"`} {
		if !strings.Contains(home, want) {
			t.Errorf("/ has no %s", want)
		}
	}

	css := func(hdr ...string) string {
		t.Helper()
		w := get(t, h, textSizeCSS, hdr...)
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Vary"), "Cookie") ||
			w.Header().Get("Cache-Control") != "private, no-cache" || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
			t.Fatalf("%s: %d %v", textSizeCSS, w.Code, w.Header())
		}
		return w.Body.String()
	}
	if standard := css(); strings.Contains(standard, "125%") {
		t.Errorf("standard text size:\n%s", standard)
	}

	w := get(t, h, "/text-size/?size=large", "Referer", "http://example.com/black/page/2/?x=1")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/black/page/2/?x=1" {
		t.Fatalf("switch: %d, Location %q", w.Code, w.Header().Get("Location"))
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || cookies[0].Name != textSizeCookie || cookies[0].Value != textSizeLarge || cookies[0].MaxAge <= 0 || !cookies[0].HttpOnly {
		t.Fatalf("switch: cookies %v", cookies)
	}
	if large := css("Cookie", textSizeCookie+"="+textSizeLarge); !strings.Contains(large, "125%") {
		t.Errorf("large text size:\n%s", large)
	}

	for _, ref := range []string{"", "http://evil.example/black/", "not a url\x7f", "http://example.com//evil.example/", "http://example.com/text-size/?size=large"} {
		if w := get(t, h, "/text-size/?size=large", "Referer", ref); w.Header().Get("Location") != "/" {
			t.Errorf("Referer %q: back to %q, want /", ref, w.Header().Get("Location"))
		}
	}
	w = get(t, h, "/text-size/?size=standard", "Referer", "http://example.com/")
	if c := w.Result().Cookies(); w.Code != http.StatusSeeOther || len(c) != 1 || c[0].MaxAge >= 0 {
		t.Errorf("standard: %d, cookies %v", w.Code, c)
	}
	if w := get(t, h, "/text-size/"); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "长者模式") || len(w.Result().Cookies()) != 0 {
		t.Errorf("/text-size/ without a size: %d, cookies %v, want the page that explains it", w.Code, w.Result().Cookies())
	}
	if w := get(t, h, "/text-size/?size=huge"); w.Code != http.StatusNotFound {
		t.Errorf("size=huge: %d", w.Code)
	}
}
