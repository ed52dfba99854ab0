package server

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// idleClient opens connections from one loopback address, each with one answered request, and keeps
// them open and idle, as a client hoarding keep-alive connections does.
type idleClient struct {
	from  string // 127.0.0.x
	conns []net.Conn
}

// open opens n connections to addr and returns how many got an answer; the others were closed by the
// server.
func (c *idleClient) open(t *testing.T, addr string, n int) (answered int) {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(c.from)}, Timeout: 2 * time.Second}
	for range n {
		conn, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial from %s: %v", c.from, err)
		}
		t.Cleanup(func() { conn.Close() })
		conn.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.WriteString(conn, "GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			conn.Close()
			continue
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			conn.Close()
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		answered++
		c.conns = append(c.conns, conn)
	}
	return answered
}

// stillOpen returns how many of the connections the server has not closed.
func (c *idleClient) stillOpen() int {
	n := 0
	var b [1]byte
	for _, conn := range c.conns {
		conn.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		_, err := conn.Read(b[:])
		if errors.Is(err, os.ErrDeadlineExceeded) {
			n++
		}
	}
	return n
}

// normalRequest asks for the home page from another loopback address, as another client, and fails the
// test unless it is answered within two seconds.
func normalRequest(t *testing.T, addr string) {
	t.Helper()
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		DialContext:       (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext,
		DisableKeepAlives: true,
	}}
	resp, err := c.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("a normal request: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a normal request: %s", resp.Status)
	}
}

// TestServer_Listen: one client holding idle keep-alive connections gets no more than its share, the rest
// closed at once; many clients together make the server stop keeping connections alive, which closes the
// idle ones; and a normal request from another client is answered throughout. Before, every connection
// was accepted and kept (about 20,000 of them exhausted the file descriptors).
func TestServer_Listen(t *testing.T) {
	const maxConns, perIP = 120, 50
	s, _, logs := newServer(t, Options{MaxConns: maxConns, MaxConnsPerIP: perIP, RateLimit: -1})
	addr := serveReal(t, s)

	hoarder := &idleClient{from: "127.0.0.1"}
	if got := hoarder.open(t, addr, 300); got != perIP {
		t.Errorf("one client: %d of 300 connections answered, want %d", got, perIP)
	}
	if got := hoarder.stillOpen(); got != perIP {
		t.Errorf("one client: %d connections kept open, want %d", got, perIP)
	}
	normalRequest(t, addr)

	// Three more clients, each within its share: past three quarters of maxConns keep-alives stop and
	// the idle connections are closed.
	others := []*idleClient{{from: "127.0.0.3"}, {from: "127.0.0.4"}, {from: "127.0.0.5"}}
	for _, c := range others {
		c.open(t, addr, perIP)
	}
	normalRequest(t, addr)
	deadline := time.Now().Add(2 * time.Second)
	open := 0
	for {
		open = hoarder.stillOpen()
		for _, c := range others {
			open += c.stillOpen()
		}
		if open < maxConns*3/4 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if open >= maxConns*3/4 {
		t.Errorf("%d idle connections kept open under pressure, want fewer than %d", open, maxConns*3/4)
	}
	if !strings.Contains(logs.String(), "keep-alive off") || !strings.Contains(logs.String(), "connections refused") {
		t.Error("the pressure and the refusals were not logged")
	}
	t.Logf("%d idle connections open after 450 were tried", open)
}

// TestServer_ListenDefaults: the limits are on by default, and the per-client one is off behind a proxy.
func TestServer_ListenDefaults(t *testing.T) {
	tests := []struct {
		opt             Options
		wantMax, wantIP int
	}{
		{Options{}, DefaultMaxConns, DefaultMaxConnsPerIP},
		{Options{ClientIPHeader: "X-Real-IP"}, DefaultMaxConns, -1},
		{Options{ClientIPHeader: "X-Real-IP", MaxConnsPerIP: 10}, DefaultMaxConns, 10},
		{Options{MaxConns: -1, MaxConnsPerIP: 7}, -1, 7},
	}
	for _, tt := range tests {
		o := tt.opt.withDefaults()
		if o.MaxConns != tt.wantMax || o.MaxConnsPerIP != tt.wantIP {
			t.Errorf("%+v: MaxConns %d, MaxConnsPerIP %d; want %d, %d", tt.opt, o.MaxConns, o.MaxConnsPerIP, tt.wantMax, tt.wantIP)
		}
	}
}
