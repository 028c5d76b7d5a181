package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/robfig/cron/v3"

	"agencybot/config"
	"agencybot/ops"
	"agencybot/store"
	"agencybot/telegram"
)

// Readiness: Telegram must have answered within telegramMaxSilence (the
// long poll returns at least every 50 s); a scheduled run gets runGrace to
// complete (the scheduler's planning lease is 10 minutes).
const (
	telegramMaxSilence = 5 * time.Minute
	runGrace           = 15 * time.Minute
	backupTimeout      = time.Hour
)

// newOps wires what `run` adds for operators: the health, readiness and
// metrics server on HTTP_ADDR and the scheduled backup (BACKUP_CRON). It
// returns the long-running parts to start with the bot. webhook, when not
// nil, serves Telegram's webhook requests on the same listener.
func newOps(cfg config.Config, s *store.Store, m *ops.Metrics, log *slog.Logger, now func() time.Time, webhook http.Handler) ([]func(context.Context) error, error) {
	started := now()
	if webhook != nil && cfg.Ops.HTTPAddr == "" {
		return nil, fmt.Errorf("TELEGRAM_WEBHOOK_URL needs HTTP_ADDR: Telegram's requests are served there")
	}
	jobs := []ops.Job{
		{Name: "reminders", Schedule: cfg.Reminders.Schedule, Location: cfg.Location},
		{Name: "digest", Schedule: cfg.Reminders.DigestSchedule, Location: cfg.Location},
	}
	if err := m.WatchData(s, jobs, now); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	var parts []func(context.Context) error
	if cfg.Ops.HTTPAddr != "" {
		checks := []ops.Check{ops.DatabaseCheck(s.Ping), ops.TelegramCheck(m, telegramMaxSilence, now)}
		for _, j := range jobs {
			checks = append(checks, ops.ScheduleCheck(j, s, started, runGrace, now))
		}
		srv := ops.NewServer(cfg.Ops.HTTPAddr, m, checks, log.With("component", "ops"))
		if webhook != nil {
			srv.Mux.Handle("POST "+telegram.WebhookPath(cfg.Ops.WebhookURL), webhook)
		}
		parts = append(parts, srv.Run)
	}
	if cfg.Ops.BackupSchedule != nil {
		job := &ops.BackupJob{
			Dir: cfg.Ops.BackupDir, Keep: cfg.Ops.BackupKeep, Metrics: m, Log: log.With("component", "backup"),
			Write: func(ctx context.Context, path string) error { _, err := writeBackupFile(ctx, s, path); return err },
		}
		c := cron.New(cron.WithLocation(cfg.Location))
		c.Schedule(cfg.Ops.BackupSchedule, job.CronJob(backupTimeout))
		log.Info("scheduled backups", "cron", cfg.Ops.BackupCron, "dir", cfg.Ops.BackupDir, "keep", cfg.Ops.BackupKeep)
		parts = append(parts, func(ctx context.Context) error {
			c.Start()
			<-ctx.Done()
			<-c.Stop().Done() // a backup under way finishes
			return nil
		})
	}
	return parts, nil
}

// runHealth asks the running bot's HTTP_ADDR for /healthz (or /readyz with
// --ready) and fails unless it answers 200: a HEALTHCHECK for images without
// curl.
func runHealth(ctx context.Context, args []string, w world) error {
	stdout, stderr, getenv := w.stdout, w.stderr, w.getenv
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ready := fs.Bool("ready", false, "check /readyz (database, Telegram, scheduled runs) instead of /healthz")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	if cfg.Ops.HTTPAddr == "" {
		return fmt.Errorf("health: HTTP_ADDR is off")
	}
	host, port, _ := net.SplitHostPort(cfg.Ops.HTTPAddr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	path := "/healthz"
	if *ready {
		path = "/readyz"
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(stdout, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s answered %s", path, resp.Status)
	}
	return nil
}
