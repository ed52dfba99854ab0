package server

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveReal serves s through HTTPServer and Listen on a port of 127.0.0.1, as `xinyong serve` does.
func serveReal(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := s.HTTPServer(ln.Addr().String())
	go hs.Serve(s.Listen(ln, hs))
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// rawRequest sends req on a new connection and returns the answer's status line and header.
func rawRequest(t *testing.T, addr, req string) *http.Response {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

// TestOptionsStar: OPTIONS * is refused (405) with the security headers; net/http used to answer it 200
// itself, without them.
func TestOptionsStar(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	addr := serveReal(t, s)
	resp := rawRequest(t, addr, "OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	h := resp.Header
	if resp.StatusCode != http.StatusMethodNotAllowed || h.Get("Allow") != "GET, HEAD" {
		t.Errorf("OPTIONS *: %s, Allow %q", resp.Status, h.Get("Allow"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("Referrer-Policy") == "" {
		t.Errorf("OPTIONS *: security headers missing: %v", h)
	}
}

// TestHeaderLimit: a request head of MaxHeaderBytes (16 KB) is answered, one byte more gets 431. The
// limit used to be 20 KB: net/http reads 4 KB beyond http.Server.MaxHeaderBytes.
func TestHeaderLimit(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	addr := serveReal(t, s)
	head := func(size int) string {
		const start, end = "GET /about/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ", "\r\n\r\n"
		return start + strings.Repeat("a", size-len(start)-len(end)) + end
	}
	for _, tt := range []struct {
		size int
		want int
	}{
		{MaxHeaderBytes - 1024, http.StatusOK},
		{MaxHeaderBytes, http.StatusOK},
		{MaxHeaderBytes + 1, http.StatusRequestHeaderFieldsTooLarge},
		{20 << 10, http.StatusRequestHeaderFieldsTooLarge},
	} {
		if resp := rawRequest(t, addr, head(tt.size)); resp.StatusCode != tt.want {
			t.Errorf("a head of %d bytes: %s, want %d", tt.size, resp.Status, tt.want)
		}
	}
}
