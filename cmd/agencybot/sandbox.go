package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"agencybot/config"
	"agencybot/sandbox"
	"agencybot/store"
)

// sandboxDatabase is the sandbox's own database, beside the real one in
// DATA_DIR: the sandbox never opens MONGODB_DATABASE or MONGODB_URI.
const sandboxDatabase = "agencybot_sandbox"

// runSandbox runs the bot against the built-in Bot API server and serves the
// page on which one tries it: what `agencybot run` does with no token.
func runSandbox(ctx context.Context, cfg config.Config, w world) error {
	stderr, getenv := w.stderr, w.getenv
	log := newLogger(stderr, cfg)
	addr := strings.TrimSpace(getenv("SANDBOX_ADDR"))
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	allowRemote := strings.TrimSpace(getenv("SANDBOX_ALLOW_REMOTE")) == "1"
	if _, err := sandbox.CheckAddr(addr, allowRemote); err != nil {
		return err
	}
	log.Info("TELEGRAM_BOT_TOKEN is not set: starting the sandbox (demo data, no Telegram)", "page", "http://"+addr)
	cfg.TelegramToken = sandbox.Token
	cfg.AdminIDs = []int64{sandbox.CoordinatorID}
	cfg.MongoURI = "" // the sandbox's data stays in DATA_DIR, whatever MONGODB_URI says
	cfg.MongoDatabase = sandboxDatabase

	sb, err := sandbox.New(sandbox.Options{
		Addr:        addr,
		AllowRemote: allowRemote,
		Location:    cfg.Location,
		Clock:       w.now,
		Log:         log.With("component", "sandbox"),
		Open: func(ctx context.Context) (*store.Store, error) {
			return openStore(ctx, cfg, log, w, false)
		},
		Seed: func(ctx context.Context, s *store.Store) error { return seedIfEmpty(ctx, s, log) },
		Start: func(ctx context.Context, s *store.Store, endpoint, token string) (sandbox.Parts, error) {
			return sandboxParts(cfg, s, endpoint, token, log, w.now)
		},
		Ready: func(url string) {
			fmt.Fprintf(stderr, `
  SANDBOX — TELEGRAM_BOT_TOKEN is not set, so agencybot runs against its built-in
  Bot API server with demo data (database %q in %s); nothing reaches Telegram.
  Open %s in a browser to chat with the bot as the coordinator, a leader or an officer.
  To connect a real bot: get a token from @BotFather (/newbot) and put it in .env as
  TELEGRAM_BOT_TOKEN=<token> (cp .env.example .env), then run 'make run' again.

`, sandboxDatabase, cfg.DataDir, url)
		},
	})
	if err != nil {
		return err
	}
	return sb.Run(ctx)
}

// sandboxParts builds the bot and the scheduler exactly as runBot does,
// against the sandbox's endpoint.
func sandboxParts(cfg config.Config, s *store.Store, endpoint, token string, log *slog.Logger, now func() time.Time) (sandbox.Parts, error) {
	cfg.APIEndpoint, cfg.TelegramToken = endpoint, token
	b, sched, err := newParts(cfg, s, nil, log, now)
	if err != nil {
		return sandbox.Parts{}, err
	}
	return sandbox.Parts{
		Run:       func(ctx context.Context) error { return runAll(ctx, b.Run, sched.Run) },
		Reminders: sched.RunReminders,
		Digest: func(ctx context.Context, at time.Time) (int, error) {
			n, err := sched.RunDigest(ctx, at)
			sched.Wake()
			return n, err
		},
	}, nil
}
