package main

import (
	"context"
	"errors"
	"io"
	"log/slog"

	"agencybot/bot"
	"agencybot/config"
	"agencybot/store"
)

// scheduler is what run needs of the reminders.
type scheduler interface {
	Run(ctx context.Context) error
	Wake()
}

func newScheduler(cfg config.Config, s *store.Store, sender *bot.Sender, log *slog.Logger) (scheduler, error) {
	return nil, nil
}

func runReminders(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	return errors.New("reminders preview not wired yet")
}
