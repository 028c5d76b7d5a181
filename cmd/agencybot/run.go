package main

import (
	"context"
	"fmt"
	"io"
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

func runBot(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("run takes no arguments (got %q)", args)}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if cfg.TelegramToken == "" {
		return runSandbox(ctx, cfg, stderr, getenv)
	}
	log := newLogger(stderr, cfg)
	s, err := openStore(ctx, cfg, log, stderr, false)
	if err != nil {
		return err
	}
	defer closeStore(s, log)
	if err := seedIfEmpty(ctx, s, log); err != nil {
		return err
	}
	metrics := ops.NewMetrics()
	b, sched, err := newParts(cfg, s, metrics, log)
	if err != nil {
		return err
	}
	log.Info("connected to Telegram", "bot", "@"+b.API.Username(), "endpoint", config.RedactURL(cfg.APIEndpoint), "admins", len(cfg.AdminIDs))
	var webhook http.Handler
	if cfg.Ops.WebhookURL != "" { // Telegram POSTs the updates to HTTP_ADDR (through a TLS proxy)
		b.WebhookURL, webhook = cfg.Ops.WebhookURL, b.WebhookHandler()
	}
	opsParts, err := newOps(cfg, s, metrics, log, time.Now(), webhook)
	if err != nil {
		return err
	}
	return runAll(ctx, append([]func(context.Context) error{b.Run, sched.Run, b.KeepRollups}, opsParts...)...)
}

// newParts connects to the Bot API at cfg.APIEndpoint and builds the bot and
// the scheduler on it: the one wiring that the real bot and the sandbox share.
func newParts(cfg config.Config, s *store.Store, metrics *ops.Metrics, log *slog.Logger) (*bot.Bot, *scheduler.Scheduler, error) {
	api, err := bot.NewAPI(cfg.TelegramToken, cfg.APIEndpoint, &http.Client{Timeout: pollTimeout + 15*time.Second, Transport: &ops.Transport{Metrics: metrics}})
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the Bot API at %s: %w", config.RedactURL(cfg.APIEndpoint), config.RedactError(err, cfg.Secrets()...))
	}
	b := &bot.Bot{
		API:   bot.NewClient(api, cfg.APIEndpoint),
		Polls: s, People: s, Questions: s, Catalog: s, Assignments: s, Abouts: s, Plans: s,
		Config: cfg, Log: log.With("component", "bot"), PollTimeout: pollTimeout,
		Hooks: s, Metrics: metrics,
	}
	sched, err := newScheduler(cfg, s, &bot.Sender{API: api, About: s}, metrics, log)
	if err != nil {
		return nil, nil, err
	}
	b.Wake = sched.Wake
	b.Outbox = sched
	return b, sched, nil
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
