// Package bot is what agencybot does in the chat: the features — an
// officer's tasks and reports, the leaders' summaries, the coordinators'
// invites, imports and reviews — registered in one table of commands and
// one of button verbs (routes.go), each with the few store methods it needs
// declared beside it. It never imports the Telegram library: updates come
// in through package telegram, in the project's own types, and answers go
// out through its Replier.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/summaries"
	"agencybot/telegram"
)

// Bot answers the people who write to it.
type Bot struct {
	// Runtime receives the updates and sends the answers (package telegram).
	Runtime *telegram.Runtime
	// Summaries is the roll-up input every summary, list and report is
	// computed from.
	Summaries *summaries.Summaries

	*core
	ids    identityStore
	repair Repairer

	linking    *linking
	invites    *invites
	officers   *officers
	menus      *menus
	tasks      *taskList
	cards      *cards
	task       *taskView
	changes    *changes
	alerts     *alerts
	questions  *questions
	free       *freeText
	abouts     *abouts
	correct    *correcting
	evidence   *evidence
	pausing    *pausing
	reviews    *reviews
	agencies   *agencyAdmin
	edits      *taskEdits
	extensions *extensions
	imports    *imports
	leaders    *leaders
	reports    *reports
	groups     *groups
	once       *oneShot
	targets    *targets
}

// Deps are what New builds a bot from. Wire fills them from the store and
// the Bot API; handler tests from fakes.
type Deps struct {
	// Data is every store method the features use, each feature seeing
	// only its own few (*store.Store; tests wrap it or fake it).
	Data Data
	// Plans is what coordinators change from the chat (*store.Store; nil:
	// imports, reviews, agency and task edits answer that they are not
	// available).
	Plans PlanAdmin
	// API is the Bot API (*telegram.Client).
	API telegram.API
	// Files downloads what users send (*telegram.Client; nil: imports from
	// the chat answer that they are not available).
	Files Downloader
	// Outbox carries the alerts and notices the bot sends on its own
	// (required for Run: Wire sets the scheduler's).
	Outbox Outbox
	// Summaries is the roll-up input (required).
	Summaries *summaries.Summaries
	// Config supplies admins, time zone, invite lifetime, thresholds.
	Config config.Config
	// Clock is the time source (tests fix it).
	Clock func() time.Time
	// Log receives one line per problem; it never sees the token.
	Log *slog.Logger
	// Metrics records each handled update (optional).
	Metrics telegram.Metrics
	// PollTimeout is the long-poll wait of getUpdates.
	PollTimeout time.Duration
}

// Repairer rolls forward, at start, the assignments a crash left behind
// their history (store.Repair).
type Repairer interface {
	Repair(ctx context.Context) (int, error)
}

// Outbox queues what the bot sends on its own (alerts, notices to someone
// other than the person who just wrote): key names the cause and the
// recipient, so a replayed update queues nothing new. cmd/ wires
// *scheduler.Scheduler, whose dispatcher sends at once with the reminders'
// limits, retries and 403 handling.
type Outbox interface {
	Enqueue(ctx context.Context, key string, out domain.Outgoing) (bool, error)
}

// New builds the bot: its features on d, and the runtime that feeds it.
func New(d Deps) *Bot {
	log := d.Log
	if log == nil {
		log = slog.Default()
	}
	b := &Bot{Summaries: d.Summaries, ids: d.Data, repair: d.Data}
	b.Runtime = &telegram.Runtime{
		API: d.API, Offsets: d.Data, Markers: d.Data, Hooks: d.Data, Handler: b, Metrics: d.Metrics,
		Log: log, Clock: d.Clock, PollTimeout: d.PollTimeout,
	}
	c := &core{cfg: d.Config, clock: d.Clock, log: log, outbox: d.Outbox, people: d.Data, sums: d.Summaries,
		botName: b.Runtime.Username}
	c.catalog = &catalog{store: d.Data, sums: d.Summaries, log: log}
	c.refs = &refCache{store: d.Data}
	b.core = c
	b.once = &oneShot{core: c, store: d.Data}
	b.abouts = &abouts{core: c, store: d.Data, assignments: d.Data}
	b.menus = &menus{core: c, store: d.Data}
	b.alerts = &alerts{core: c, store: d.Data}
	sessions := newHeldSessions(d.Data, d.Clock, log) // the questions survive a failed write (heldsessions.go)
	b.cards = &cards{core: c, store: d.Data, sessions: sessions, abouts: b.abouts}
	b.pausing = &pausing{core: c, store: d.Data, once: b.once}
	b.linking = &linking{core: c, store: d.Data, menus: b.menus, pausing: b.pausing}
	b.invites = &invites{core: c, store: d.Data, once: b.once}
	b.officers = &officers{core: c, store: d.Data, menus: b.menus}
	p := d.Plans // nil: every field below is nil, and the feature says it is not available
	b.extensions = &extensions{core: c, store: p, sessions: sessions, cards: b.cards}
	b.cards.extensions = b.extensions
	b.edits = &taskEdits{core: c, store: p, extensions: b.extensions}
	b.reviews = &reviews{core: c, store: p, assignments: d.Data, sessions: sessions}
	b.agencies = &agencyAdmin{core: c, store: p, officers: d.Data}
	b.imports = &imports{core: c, store: p, agencies: p, sessions: sessions, files: d.Files}
	b.task = &taskView{core: c, store: d.Data, cards: b.cards, edits: b.edits, extensions: b.extensions}
	b.tasks = &taskList{core: c}
	b.questions = &questions{core: c, sessions: sessions, assignments: d.Data}
	b.changes = &changes{core: c, store: d.Data, sessions: sessions, cards: b.cards, alerts: b.alerts, questions: b.questions, reviews: b.reviews}
	b.reviews.changes = b.changes
	b.cards.reviews = b.reviews
	b.questions.changes = b.changes
	b.free = &freeText{core: c, store: d.Data, assignments: d.Data, abouts: b.abouts, changes: b.changes}
	b.correct = &correcting{core: c, store: d.Data, changes: b.changes, once: b.once}
	b.questions.imports, b.questions.reviews, b.questions.free, b.questions.abouts = b.imports, b.reviews, b.free, b.abouts
	b.questions.extensions = b.extensions
	b.evidence = &evidence{core: c, sessions: sessions, assignments: d.Data, imports: b.imports, reviews: b.reviews, changes: b.changes}
	b.reports = &reports{core: c, history: d.Data, jobs: d.Data}
	b.leaders = &leaders{core: c, reports: b.reports}
	b.targets = &targets{core: c, store: d.Data, sessions: sessions, once: b.once, reports: b.reports}
	b.reports.targets = d.Data
	b.questions.targets, b.tasks.targets = b.targets, d.Data
	b.groups = &groups{core: c}
	return b
}

// Run starts the bot and receives updates until ctx is cancelled; updates in
// flight and reports being built finish first.
func (b *Bot) Run(ctx context.Context) error {
	if b.outbox == nil {
		return errors.New("bot: Outbox is required (build the bot with Wire)")
	}
	if n, err := b.repair.Repair(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return fmt.Errorf("repair assignments: %w", err)
	} else if n > 0 {
		b.log.Warn("rolled forward assignments left behind by a crash", "count", n)
	}
	b.Runtime.Conflict = b.conflictNotice
	go b.menus.setAll(context.WithoutCancel(ctx), b.Runtime.Out())
	b.reports.resume(ctx)
	defer b.reports.wait()
	return b.Runtime.Run(ctx)
}

// conflictNotice tells every admin, through the outbox, that another
// process polls the same bot (key names the conflict).
func (b *Bot) conflictNotice(ctx context.Context, key string) {
	for _, id := range b.cfg.AdminIDs {
		b.push(ctx, key+"|"+itoa64(id), id, b.textFor(ctx, id, "admin.conflict"))
	}
}
