package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/scheduler"
	"agencybot/store"
	"agencybot/summaries"
	"agencybot/telegram"
)

// Data is every store method the bot's features use: the sum of the small
// interfaces each declares beside it, so that *store.Store (or a test's
// wrapper of it) is handed over once and each feature sees only its own.
type Data interface {
	telegram.Offsets
	telegram.Markers
	telegram.WebhookState
	Repairer
	identityStore
	officerFinder
	catalogStore
	refStore
	linkStore
	inviteStore
	officerStore
	menuStore
	cardStore
	taskViewStore
	changeStore
	alertStore
	sessionStore
	draftStore
	aboutStore
	onceStore
	correctStore
	pauseStore
	reviewedStore
	agencyCounts
	UpdateHistory
	ReportJobs
	targetStore
}

// PlanAdmin is what coordinators change from the chat: plans imported from
// a file, agencies created, renamed, given an alias or deactivated, the
// completions waiting for review, due dates and edits of tasks.
type PlanAdmin interface {
	importStore
	agencyMaker
	agencyStore
	reviewStore
	editStore
	extensionStore
}

var (
	_ Data      = (*store.Store)(nil)
	_ PlanAdmin = (*store.Store)(nil)
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
	Metrics    telegram.Metrics
	RunMetrics scheduler.RunMetrics
	// Sleep replaces the scheduler's waits (tests; nil: real timers).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Wire connects to the Bot API and builds the bot and its scheduler; the
// scheduler is the bot's outbox.
func Wire(w Wiring) (*Bot, *scheduler.Scheduler, error) { return wire(w, nil) }

// wire is Wire with the bot's dependencies changed by adjust before it is
// built (tests: a store that fails, another outbox).
func wire(w Wiring, adjust func(*Deps)) (*Bot, *scheduler.Scheduler, error) {
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
	api, err := telegram.NewAPI(w.Config.TelegramToken, w.Config.APIEndpoint, w.HTTPClient)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the Bot API at %s: %w", config.RedactURL(w.Config.APIEndpoint), config.RedactError(err, w.Config.Secrets()...))
	}
	s := w.Store
	client := telegram.NewClient(api, w.Config.APIEndpoint)
	sums := summaries.New(summaries.Options{Store: s, Upkeep: s, Log: log.With("component", "summaries")})
	sender := &telegram.Sender{API: api, Sent: func(ctx context.Context, m domain.Outgoing, id int) {
		// The message is out: remember which tasks it is about, so that a
		// reply to it is a note on that task.
		_ = RecordSent(ctx, s, m, id, AboutReminder)
	}}
	sched, err := scheduler.New(scheduler.Deps{
		Store: s, Rollups: sums, Sender: sender, Config: w.Config, Metrics: w.RunMetrics,
		Logger: log.With("component", "scheduler"), Instance: w.Instance, Clock: w.Clock, Sleep: w.Sleep,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("reminders: %w", err)
	}
	d := Deps{
		Data: s, Plans: s, API: client, Files: client, Outbox: sched, Summaries: sums,
		Config: w.Config, Clock: w.Clock, Log: log.With("component", "bot"), Metrics: w.Metrics, PollTimeout: w.PollTimeout,
	}
	if adjust != nil {
		adjust(&d)
	}
	return New(d), sched, nil
}
