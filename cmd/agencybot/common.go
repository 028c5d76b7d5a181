package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"agencybot/config"
	"agencybot/store"
)

// loadConfig reads the configuration; a bad value is one line per variable.
func loadConfig(getenv func(string) string) (config.Config, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return cfg, fmt.Errorf("configuration:\n%w", err)
	}
	return cfg, nil
}

// newLogger logs at LOG_LEVEL, as text or (LOG_FORMAT=json) one JSON object
// per line for log shippers.
func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	return slog.New(logHandler(w, cfg.Ops.LogFormat, cfg.LogLevel))
}

func logHandler(w io.Writer, format string, level slog.Level) slog.Handler {
	o := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.NewJSONHandler(w, o)
	}
	return slog.NewTextHandler(w, o)
}

// quietLogger is handed to the embedded FerretDB: its default logs every
// connection; only its errors are worth seeing.
func quietLogger(w io.Writer, format string) *slog.Logger {
	return slog.New(logHandler(w, format, slog.LevelError)).With("component", "ferretdb")
}

// openStore opens the database. join lets a command run while the bot runs:
// it then talks to the bot's embedded server through its socket.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger, w world, join bool) (*store.Store, error) {
	s, err := store.Open(ctx, store.Options{
		URI: cfg.MongoURI, Database: cfg.MongoDatabase, DataDir: cfg.DataDir,
		Logger: quietLogger(w.stderr, cfg.Ops.LogFormat), Join: join, Location: cfg.Location, Clock: w.now,
	})
	if errors.Is(err, store.ErrDataDirBusy) {
		return nil, fmt.Errorf("%w: another agencybot uses DATA_DIR=%s; stop it or run this command against it", err, cfg.DataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("open database (%s): %w", cfg.DatabaseDescription(), config.RedactError(err, cfg.Secrets()...))
	}
	log.Info("database ready", "database", cfg.DatabaseDescription(), "backend", s.Backend, "name", cfg.MongoDatabase)
	return s, nil
}

// seedIfEmpty loads the seed plans into an empty database (the first run).
func seedIfEmpty(ctx context.Context, s *store.Store, log *slog.Logger) error {
	empty, err := s.Empty(ctx)
	if err != nil {
		return fmt.Errorf("check for plans: %w", err)
	}
	if !empty {
		return nil
	}
	r, err := s.SeedDefault(ctx)
	if err != nil {
		return fmt.Errorf("first seed: %w", err)
	}
	log.Info("database was empty: seeded the plans", "tasks", r.Tasks.Inserted, "agencies", r.Agencies.Inserted, "assignments", r.Assignments.Inserted)
	return nil
}

func closeStore(s *store.Store, log *slog.Logger) {
	if err := s.Close(context.Background()); err != nil {
		log.Warn("close database", "err", err)
	}
}

// withStore runs a command against the database (joining a running bot's
// embedded server if there is one), seeding an empty one first when asked.
func withStore(ctx context.Context, w world, seed bool, fn func(*store.Store) error) error {
	cfg, err := loadConfig(w.getenv)
	if err != nil {
		return err
	}
	log := newLogger(w.stderr, cfg)
	s, err := openStore(ctx, cfg, log, w, true)
	if err != nil {
		return err
	}
	defer closeStore(s, log)
	if seed {
		if err := seedIfEmpty(ctx, s, log); err != nil {
			return err
		}
	}
	return fn(s)
}
