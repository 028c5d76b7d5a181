package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"agencybot/bot"
	"agencybot/config"
	"agencybot/scheduler"
	"agencybot/store"
)

// newScheduler builds the reminders for run.
func newScheduler(cfg config.Config, s *store.Store, sender *bot.Sender, log *slog.Logger) (*scheduler.Scheduler, error) {
	id, err := scheduler.InstanceID(cfg.DataDir) // a restarted instance takes back its claims at once
	if err != nil {
		log.Warn("no lasting instance id; claims of a killed run wait for their heartbeat to go stale", "err", err)
	}
	sched, err := scheduler.New(scheduler.Deps{Store: s, Sender: sender, Config: cfg, Logger: log.With("component", "scheduler"), Instance: id})
	if err != nil {
		return nil, fmt.Errorf("reminders: %w", err)
	}
	return sched, nil
}

// runReminders prints, sending nothing, what the reminder run at an instant
// would send: one JSON object per line.
func runReminders(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("reminders", flag.ContinueOnError)
	fs.SetOutput(stderr)
	at := fs.String("at", "", "the instant of the run, RFC 3339, e.g. 2025-12-24T08:00:00+07:00 (default: now)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	when := time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageError{fmt.Sprintf("reminders: --at %q is not an RFC 3339 time such as 2025-12-24T08:00:00+07:00", *at)}
		}
		when = t
	}
	return withStore(ctx, getenv, stderr, true, func(s *store.Store) error {
		cfg, err := loadConfig(getenv)
		if err != nil {
			return err
		}
		sched, err := scheduler.New(scheduler.Deps{Store: s, Config: cfg, Clock: func() time.Time { return when }})
		if err != nil {
			return err
		}
		lines, err := sched.Preview(ctx, when)
		if err != nil {
			return err
		}
		return scheduler.WritePreview(stdout, lines)
	})
}
