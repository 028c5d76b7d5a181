package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"agencybot/bot"
	"agencybot/config"
)

// errNoToken explains how to get a token; it is the whole message the user sees.
var errNoToken = errors.New(`TELEGRAM_BOT_TOKEN is not set.
  1. In Telegram, open @BotFather, send /newbot and follow the steps.
  2. Copy the token it gives you (it looks like 123456789:AA…).
  3. Put it in a .env file next to go.mod:  TELEGRAM_BOT_TOKEN=<your token>
     (cp .env.example .env, then edit), or export it in your shell.
Then run 'make run' again.`)

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
		return errNoToken
	}
	log := newLogger(stderr, cfg.LogLevel)
	s, err := openStore(ctx, cfg, log, stderr, false)
	if err != nil {
		return err
	}
	defer closeStore(s, log)
	if err := seedIfEmpty(ctx, s, log); err != nil {
		return err
	}
	api, err := bot.NewAPI(cfg.TelegramToken, cfg.APIEndpoint, &http.Client{Timeout: pollTimeout + 15*time.Second})
	if err != nil {
		return fmt.Errorf("connect to the Bot API at %s: %w", config.RedactURL(cfg.APIEndpoint), config.RedactError(err, cfg.Secrets()...))
	}
	log.Info("connected to Telegram", "bot", "@"+api.Self.UserName, "endpoint", config.RedactURL(cfg.APIEndpoint), "admins", len(cfg.AdminIDs))
	b := &bot.Bot{API: api, Store: s, Config: cfg, Log: log.With("component", "bot"), PollTimeout: pollTimeout}
	sched, err := newScheduler(cfg, s, &bot.Sender{API: api}, log)
	if err != nil {
		return err
	}
	b.Wake = sched.Wake
	return runAll(ctx, b.Run, sched.Run)
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
