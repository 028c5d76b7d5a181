package main

import (
	"context"
	"errors"
	"io"
)

// errNoToken explains how to get a token; it is the whole message the user sees.
var errNoToken = errors.New(`TELEGRAM_BOT_TOKEN is not set.
  1. In Telegram, open @BotFather, send /newbot and follow the steps.
  2. Copy the token it gives you (it looks like 123456789:AA…).
  3. Put it in a .env file next to go.mod:  TELEGRAM_BOT_TOKEN=<your token>
     (cp .env.example .env, then edit), or export it in your shell.
Then run 'make run' again.`)

func runBot(ctx context.Context, args []string, stderr io.Writer, getenv func(string) string) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if cfg.TelegramToken == "" {
		return errNoToken
	}
	return errors.New("bot not wired yet")
}

func runReminders(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	return errors.New("reminders preview not wired yet")
}
