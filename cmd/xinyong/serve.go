package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

	"xinyong"
	"xinyong/exchange"
	"xinyong/internal/server"
)

// demoDB is the demo database of serve --demo, as in the README.
const demoDB = "xinyong-demo.db"

// defaultAddr is where `xinyong serve` listens unless told otherwise: loopback, behind the city's reverse
// proxy.
const defaultAddr = "127.0.0.1:8080"

// shutdownTimeout is how long a stopping server waits for the requests in progress.
const shutdownTimeout = 10 * time.Second

// serve is `xinyong serve`: it serves the current release and its search, and switches to a new release
// as soon as `xinyong run` makes one current.
func (e *env) serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	addrDefault := defaultAddr
	if v := e.getenv("XINYONG_ADDR"); v != "" {
		addrDefault = v
	}
	addr := fs.String("addr", addrDefault, "`HOST:PORT` to listen on (env XINYONG_ADDR)")
	fs.StringVar(&c.Data, "data", c.Data, "data `dir`ectory of the releases and the current one (env XINYONG_DATA)")
	watch := fs.Duration("watch", server.DefaultWatchInterval, "how often to look for a new current release")
	rate := fs.Float64("rate", 20, "searches a second per client; 0 or less turns the limit off")
	burst := fs.Int("burst", 40, "searches a client may make at once")
	ipHeader := fs.String("client-ip-header", "", "request `header` with the client's address, set by a reverse proxy (X-Real-IP)")
	maxConns := fs.Int("max-conns", server.DefaultMaxConns, "connections open at once; more are closed when accepted; -1 turns the limit off")
	maxConnsPerIP := fs.Int("max-conns-per-ip", 0, fmt.Sprintf("connections open at once from one client address (IPv6 /64); "+
		"0 means %d, or no limit with --client-ip-header (behind a proxy); -1 turns the limit off", server.DefaultMaxConnsPerIP))
	withSchedule := fs.Bool("schedule", false, "also publish on the cron schedule (--db required)")
	demo := fs.Bool("demo", false, "start everything on the embedded default: create the demo database "+demoDB+
		" if missing, publish once, serve, and schedule the nightly run")
	fs.StringVar(&c.DB, "db", c.DB, "exchange database `DSN` for --schedule (env XINYONG_DB)")
	fs.StringVar(&c.Schedule, "schedule-spec", c.Schedule, "cron `expression` in Asia/Shanghai (env XINYONG_SCHEDULE)")
	fs.StringVar(&c.Webhook, "alert-webhook", c.Webhook, "`URL` to POST alerts to (env XINYONG_ALERT_WEBHOOK)")
	deadlineFlags(fs, c)
	if err := parse(fs, args); err != nil {
		return err
	}
	log, err := e.logger(c)
	if err != nil {
		return err
	}
	// The port first: a busy port fails at once, before a publication (--demo, --schedule) takes minutes.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: listen: %w", err)
	}
	defer ln.Close()
	if *demo {
		*withSchedule = true
		if c.DB == "" {
			c.DB = demoDB
		}
		if err := e.ensureDemo(ctx, log, c.DB, xinyong.DateOf(e.now())); err != nil {
			return err
		}
	}
	if *withSchedule {
		if c.DB == "" {
			return usageError("serve --schedule: --db DSN is required")
		}
		if err := checkInputs(c.Theme, c.BaseURL, c.Data); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		sched, err := e.startScheduler(ctx, c, log, *demo)
		if err != nil {
			return fmt.Errorf("serve: %w", exchange.RedactError(err))
		}
		defer func() {
			stop, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			sched.Stop(stop)
		}()
		log.Info("scheduled", "schedule", c.Schedule, "next", sched.Next().Format(time.RFC3339))
	}
	if *burst < 1 {
		return usageError("serve: --burst must be at least 1")
	}
	if *rate <= 0 {
		*rate = -1
	}
	if *maxConns == 0 || *maxConns < -1 || *maxConnsPerIP < -1 {
		return usageError("serve: --max-conns and --max-conns-per-ip must be positive, or -1 for no limit")
	}
	s, err := server.New(c.Data, server.Options{Logger: log.With("component", "serve"), RateLimit: *rate,
		RateBurst: *burst, ClientIPHeader: *ipHeader, MaxConns: *maxConns, MaxConnsPerIP: *maxConnsPerIP})
	if errors.Is(err, server.ErrNoRelease) {
		return fmt.Errorf(xinyong.MsgServeNoRelease, c.Data)
	}
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer s.Close()

	hs := s.HTTPServer(*addr)
	log.Info("serving", "addr", ln.Addr().String(), "release", s.Release(), "data", c.Data)

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go s.Watch(watchCtx, *watch)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(s.Listen(ln, hs)) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
