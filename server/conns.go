package server

import (
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"
)

// Defaults of the connection limits (Options.MaxConns, Options.MaxConnsPerIP).
const (
	DefaultMaxConns      = 4096
	DefaultMaxConnsPerIP = 256
)

// Listen wraps ln, the listener of hs (made by HTTPServer), in the connection limits of the options: a
// connection over the total or over its client's share is closed as soon as it is accepted, before a byte
// is read, so that one client holding thousands of idle keep-alive connections cannot take the file
// descriptors that the other clients' requests need. Above three quarters of the total, hs stops keeping
// connections alive (SetKeepAlivesEnabled(false) closes the idle ones at once, and every answer then ends
// its connection) until the count falls below half.
func (s *Server) Listen(ln net.Listener, hs *http.Server) net.Listener {
	if s.opt.MaxConns < 0 && s.opt.MaxConnsPerIP < 0 {
		return ln
	}
	l := &limitListener{Listener: ln, max: s.opt.MaxConns, perIP: s.opt.MaxConnsPerIP, byIP: map[netip.Addr]int{},
		keepAlives: hs.SetKeepAlivesEnabled, server: s}
	if l.max > 0 {
		l.high, l.low = max(1, l.max*3/4), l.max/2
	}
	return l
}

// limitListener counts the open connections it accepted, in total and per client address.
type limitListener struct {
	net.Listener
	max, perIP int // < 0: no limit
	high, low  int // keep-alives off at high, on again below low; 0: never off
	keepAlives func(on bool)
	server     *Server

	apply sync.Mutex // serialises keepAlives calls, each made with the state of the moment

	mu        sync.Mutex
	total     int
	byIP      map[netip.Addr]int
	pressure  bool      // keep-alives are off
	refused   int       // connections closed since the last log line
	lastAlarm time.Time // of the last log line about refused connections
}

// refusedLogEvery spaces the log lines about refused connections: a flood must not flood the log.
const refusedLogEvery = 10 * time.Second

// Accept returns the next connection within the limits, closing those over them.
func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		key := clientKey(c.RemoteAddr().String())
		if l.admit(key) {
			return &limitedConn{Conn: c, l: l, key: key}, nil
		}
		c.Close()
	}
}

// admit counts a new connection of client key, or refuses it.
func (l *limitListener) admit(key netip.Addr) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.total >= l.max || l.perIP > 0 && l.byIP[key] >= l.perIP {
		l.refused++
		if now := time.Now(); now.Sub(l.lastAlarm) >= refusedLogEvery {
			l.server.log.Warn("connections refused: over the limit", "refused", l.refused, "open", l.total,
				"max_conns", l.max, "max_conns_per_ip", l.perIP, "client", key.String(), "client_open", l.byIP[key])
			l.refused, l.lastAlarm = 0, now
		}
		return false
	}
	l.total++
	l.byIP[key]++
	if l.high > 0 && l.total >= l.high && !l.pressure {
		l.pressure = true
		l.server.log.Warn("many connections: keep-alive off until they fall", "open", l.total, "max_conns", l.max)
		go l.applyPressure()
	}
	return true
}

// applyPressure turns keep-alives off or on as the pressure is now. It runs in a goroutine of its own:
// turning them off closes the idle connections, whose Close calls done, which takes l.mu and may start
// another applyPressure; the last to run sees the last change.
func (l *limitListener) applyPressure() {
	l.apply.Lock()
	defer l.apply.Unlock()
	l.mu.Lock()
	on := !l.pressure
	l.mu.Unlock()
	l.keepAlives(on)
}

// done uncounts a closed connection.
func (l *limitListener) done(key netip.Addr) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.total--
	if l.byIP[key]--; l.byIP[key] <= 0 {
		delete(l.byIP, key)
	}
	if l.pressure && l.total < l.low {
		l.pressure = false
		l.server.log.Info("connections back to normal: keep-alive on", "open", l.total)
		go l.applyPressure()
	}
}

// limitedConn uncounts itself when closed, once.
type limitedConn struct {
	net.Conn
	l    *limitListener
	key  netip.Addr
	once sync.Once
}

// ReadFrom keeps the sendfile path of the TCP connection for static files.
func (c *limitedConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(c.Conn, r)
}

// CloseWrite lets net/http half-close the connection before closing it, as it does a TCP connection.
func (c *limitedConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.done(c.key) })
	return err
}
