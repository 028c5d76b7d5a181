package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"agencybot/config"
	"agencybot/scheduler"
	"agencybot/store"
	"agencybot/summaries"
)

// Wiring is what the bot and the scheduler behind its outbox are built
// from. Wire is the one place they are put together: `agencybot run`, the
// sandbox and the tests all call it, so that a test runs the bot production
// runs (its pushes through the outbox, its clock the caller's).
type Wiring struct {
	// Config is the validated configuration; APIEndpoint and TelegramToken
	// say which Bot API to talk to.
	Config config.Config
	// Store is the database (required).
	Store *store.Store
	// HTTPClient carries the Bot API's requests (nil: a plain client).
	HTTPClient *http.Client
	// Clock is the current time of every decision by date (required).
	Clock func() time.Time
	// Log receives the bot's and the scheduler's lines (nil: discarded).
	Log *slog.Logger
	// PollTimeout is the long-poll wait of getUpdates.
	PollTimeout time.Duration
	// Instance names this process in the scheduler's claims (empty: random).
	Instance string
	// Metrics and RunMetrics record updates, sends and runs (optional).
	Metrics    Metrics
	RunMetrics scheduler.RunMetrics
	// Sleep replaces the scheduler's waits (tests; nil: real timers).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Wire connects to the Bot API and builds the bot and its scheduler; the
// scheduler is the bot's outbox and is woken whenever the bot queued.
func Wire(w Wiring) (*Bot, *scheduler.Scheduler, error) {
	if w.Store == nil {
		return nil, nil, errors.New("bot: Wiring.Store is required")
	}
	if w.Clock == nil {
		return nil, nil, errors.New("bot: Wiring.Clock is required")
	}
	log := w.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	api, err := NewAPI(w.Config.TelegramToken, w.Config.APIEndpoint, w.HTTPClient)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the Bot API at %s: %w", config.RedactURL(w.Config.APIEndpoint), config.RedactError(err, w.Config.Secrets()...))
	}
	s := w.Store
	sums := summaries.New(summaries.Options{Store: s, Upkeep: s, Log: log.With("component", "summaries")})
	b := &Bot{
		API:   NewClient(api, w.Config.APIEndpoint),
		Polls: s, People: s, Questions: s, Catalog: s, Assignments: s, Abouts: s, Plans: s,
		Config: w.Config, Log: log.With("component", "bot"), PollTimeout: w.PollTimeout,
		Hooks: s, Metrics: w.Metrics, Clock: w.Clock, Summaries: sums, History: s,
	}
	sched, err := scheduler.New(scheduler.Deps{
		Store: s, Rollups: sums, Sender: &Sender{API: api, About: s}, Config: w.Config, Metrics: w.RunMetrics,
		Logger: log.With("component", "scheduler"), Instance: w.Instance, Clock: w.Clock, Sleep: w.Sleep,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reminders: %w", err)
	}
	b.Wake = sched.Wake
	b.Outbox = sched
	return b, sched, nil
}
