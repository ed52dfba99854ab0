package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"xinyong"
	"xinyong/exchange"
	"xinyong/server"
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
	fs := e.flagSet("serve")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	addrDefault := defaultAddr
	if v := e.getenv("XINYONG_ADDR"); v != "" {
		addrDefault = v
	}
	addr := fs.String("addr", addrDefault, "")
	fs.StringVar(&c.Data, "data", c.Data, "")
	watch := fs.Duration("watch", server.DefaultWatchInterval, "")
	rate := fs.Float64("rate", 20, "")
	burst := fs.Int("burst", 40, "")
	ipHeader := fs.String("client-ip-header", "", "")
	maxConns := fs.Int("max-conns", server.DefaultMaxConns, "")
	maxConnsPerIP := fs.Int("max-conns-per-ip", 0, "")
	withSchedule := fs.Bool("schedule", false, "")
	demo := fs.Bool("demo", false, "")
	fs.StringVar(&c.DB, "db", c.DB, "")
	fs.StringVar(&c.Schedule, "schedule-spec", c.Schedule, "")
	fs.StringVar(&c.Webhook, "alert-webhook", c.Webhook, "")
	deadlineFlags(fs, c)
	if err := e.parse(fs, args); err != nil {
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
			return usageMsg(xinyong.MsgFlagRequired+xinyong.MsgHelpMore, "serve --schedule", "--db DSN", "serve")
		}
		if err := checkInputs(c.Theme, c.BaseURL, c.Data); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		sched, stopScheduler, err := e.startScheduler(ctx, c, log, *demo)
		if err != nil {
			return fmt.Errorf("serve: %w", exchange.RedactError(err))
		}
		defer func() {
			stop, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			stopScheduler(stop)
		}()
		log.Info("scheduled", "schedule", c.Schedule, "next", sched.Next().Format(time.RFC3339))
	}
	if *burst < 1 {
		return usageMsg(xinyong.MsgFlagAtLeast+xinyong.MsgHelpMore, "serve", "--burst", 1, *burst, "serve")
	}
	if *rate <= 0 {
		*rate = -1
	}
	if *maxConns == 0 || *maxConns < -1 || *maxConnsPerIP < -1 {
		return usageMsg(xinyong.MsgFlagRange+xinyong.MsgHelpMore, "serve", "--max-conns 和 --max-conns-per-ip", fmt.Sprint(*maxConns, " ", *maxConnsPerIP), "正数，或 -1 表示不限（--max-conns-per-ip 还可为 0）", "serve")
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
