package server

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"
)

// limiter is a token bucket per client: rate tokens a second, at most burst. It remembers at most max
// clients: idle clients (whose bucket is full again) are forgotten, and when there are still too many the
// least recently seen go first.
type limiter struct {
	rate  float64
	burst float64
	max   int

	mu        sync.Mutex
	buckets   map[netip.Addr]*bucket
	lastSweep time.Time
	now       func() time.Time // tests
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst, max int) *limiter {
	return &limiter{rate: rate, burst: float64(burst), max: max, buckets: map[netip.Addr]*bucket{}, now: time.Now}
}

// allow takes a token of client's bucket. When there is none it returns false and how long until there
// is.
func (l *limiter) allow(client netip.Addr) (ok bool, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.buckets[client]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.evict(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[client] = b
	} else {
		b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
		b.last = now
	}
	if now.Sub(l.lastSweep) > l.idle() {
		l.sweep(now)
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

// idle is the time after which an unused bucket is full again: its client can be forgotten.
func (l *limiter) idle() time.Duration {
	return time.Duration(l.burst / l.rate * float64(time.Second))
}

// sweep forgets the idle clients.
func (l *limiter) sweep(now time.Time) {
	l.lastSweep = now
	idle := l.idle()
	for k, b := range l.buckets {
		if now.Sub(b.last) > idle {
			delete(l.buckets, k)
		}
	}
}

// evict makes room for a client: it forgets the idle clients and, if that is not enough, the least
// recently seen tenth.
func (l *limiter) evict(now time.Time) {
	l.sweep(now)
	if len(l.buckets) < l.max {
		return
	}
	type seen struct {
		addr netip.Addr
		last time.Time
	}
	all := make([]seen, 0, len(l.buckets))
	for k, b := range l.buckets {
		all = append(all, seen{k, b.last})
	}
	slices.SortFunc(all, func(a, b seen) int { return a.last.Compare(b.last) })
	for _, c := range all[:max(1, len(all)/10)] {
		delete(l.buckets, c.addr)
	}
}

// clientAddr returns the address a request is limited by: from header when one is configured and set,
// else the connection's (see clientKey).
func clientAddr(r *http.Request, header string) netip.Addr {
	var s string
	if header != "" {
		s = strings.TrimSpace(r.Header.Get(header))
	}
	if s == "" {
		s = r.RemoteAddr
	}
	return clientKey(s)
}

// clientKey returns the client an address (with or without a port) belongs to: the address, with IPv6
// addresses cut to their /64, which one client usually holds entirely; the zero Addr when s is none.
func clientKey(s string) netip.Addr {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		a = p.Addr()
	}
	return a.WithZone("")
}
