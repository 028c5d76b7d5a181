package ops

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// Check is one readiness condition; Run returns nil when it holds.
type Check struct {
	Name string
	Run  func(ctx context.Context) error
}

// DatabaseCheck is ready while the database answers a ping.
func DatabaseCheck(ping func(ctx context.Context) error) Check {
	return Check{Name: "database", Run: ping}
}

// TelegramCheck is ready while the Bot API answered within maxAge.
func TelegramCheck(m *Metrics, maxAge time.Duration, clock func() time.Time) Check {
	if clock == nil {
		clock = time.Now
	}
	return Check{Name: "telegram", Run: func(context.Context) error {
		last := m.LastTelegram()
		if last.IsZero() {
			return errors.New("the Bot API has not answered yet")
		}
		if ago := clock().Sub(last); ago > maxAge {
			return fmt.Errorf("the Bot API last answered %s ago", ago.Round(time.Second))
		}
		return nil
	}}
}

// checkTimeout bounds one readiness check.
const checkTimeout = 5 * time.Second

// Server serves /healthz, /readyz and /metrics. Mux is exported so that
// other handlers (the Telegram webhook) can share the listener.
type Server struct {
	Addr   string
	Mux    *http.ServeMux
	Log    *slog.Logger
	checks []Check
}

// NewServer builds the server; checks decide /readyz.
func NewServer(addr string, m *Metrics, checks []Check, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{Addr: addr, Mux: http.NewServeMux(), Log: log, checks: checks}
	s.Mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	s.Mux.HandleFunc("GET /readyz", s.ready)
	s.Mux.Handle("GET /metrics", m.Handler())
	return s
}

// ready runs every check; 200 when all hold, else 503. The body has one line
// per check.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	status := http.StatusOK
	for _, c := range s.checks {
		ctx, cancel := context.WithTimeout(r.Context(), checkTimeout)
		err := c.Run(ctx)
		cancel()
		if err != nil {
			status = http.StatusServiceUnavailable
			fmt.Fprintf(&b, "%s: %v\n", c.Name, err)
			s.Log.Warn("not ready", "check", c.Name, "err", err)
			continue
		}
		fmt.Fprintf(&b, "%s: ok\n", c.Name)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}

// Run listens on Addr and serves until ctx ends, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("HTTP_ADDR %s: %w", s.Addr, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Mux, ReadHeaderTimeout: 10 * time.Second}
	s.Log.Info("serving health and metrics", "addr", ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("HTTP server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("HTTP server shutdown: %w", err)
	}
	return nil
}
