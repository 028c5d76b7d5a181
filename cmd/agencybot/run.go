package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"agencybot/bot"
	"agencybot/config"
	"agencybot/ops"
	"agencybot/scheduler"
	"agencybot/store"
)

// pollTimeout is the long-poll wait; the HTTP client waits a little longer.
const pollTimeout = 50 * time.Second

func runBot(ctx context.Context, args []string, w world) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("run takes no arguments (got %q)", args)}
	}
	cfg, err := loadConfig(w.getenv)
	if err != nil {
		return err
	}
	if cfg.TelegramToken == "" {
		return runSandbox(ctx, cfg, w)
	}
	log := newLogger(w.stderr, cfg)
	s, err := openStore(ctx, cfg, log, w, false)
	if err != nil {
		return err
	}
	defer closeStore(s, log)
	if err := seedIfEmpty(ctx, s, log); err != nil {
		return err
	}
	metrics := ops.NewMetrics()
	b, sched, err := newParts(cfg, s, metrics, log, w.now)
	if err != nil {
		return err
	}
	log.Info("connected to Telegram", "bot", "@"+b.Runtime.API.Username(), "endpoint", config.RedactURL(cfg.APIEndpoint), "admins", len(cfg.AdminIDs))
	var webhook http.Handler
	if cfg.Ops.WebhookURL != "" { // Telegram POSTs the updates to HTTP_ADDR (through a TLS proxy)
		b.Runtime.WebhookURL, webhook = cfg.Ops.WebhookURL, b.Runtime.WebhookHandler()
	}
	opsParts, err := newOps(cfg, s, metrics, log, w.now, webhook)
	if err != nil {
		return err
	}
	return runAll(ctx, append([]func(context.Context) error{b.Run, sched.Run, b.Summaries.Keep}, opsParts...)...)
}

// newParts builds the bot and the scheduler through bot.Wire, with what the
// real bot adds: metrics on every Bot API request and a lasting instance id.
func newParts(cfg config.Config, s *store.Store, metrics *ops.Metrics, log *slog.Logger, now func() time.Time) (*bot.Bot, *scheduler.Scheduler, error) {
	id, err := scheduler.InstanceID(cfg.DataDir) // a restarted instance takes back its claims at once
	if err != nil {
		log.Warn("no lasting instance id; claims of a killed run wait for their heartbeat to go stale", "err", err)
	}
	w := bot.Wiring{
		Config: cfg, Store: s, Clock: now, Log: log, PollTimeout: pollTimeout, Instance: id,
		HTTPClient: &http.Client{Timeout: pollTimeout + 15*time.Second, Transport: &ops.Transport{Metrics: metrics, Clock: now}},
	}
	if metrics != nil {
		w.Metrics, w.RunMetrics = metrics, metrics
	}
	return bot.Wire(w)
}

// runAll runs the long-running parts until ctx is cancelled or one fails;
// then it cancels the others and waits for them all.
func runAll(ctx context.Context, parts ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(parts))
	for _, p := range parts {
		go func() { errs <- p(ctx) }()
	}
	var first error
	for range parts {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}
