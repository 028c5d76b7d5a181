// Package bot is the Telegram side of agencybot, and the only package that
// imports the Telegram library: it polls updates, turns them into the
// domain's actions, and renders replies in the user's language.
package bot

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/summaries"
)

// Bot answers the people who write to it.
type Bot struct {
	// API is the Bot API (cmd/ wires a *Client).
	API Telegram
	// Polls keeps the update offset and the processed-update markers.
	Polls PollState
	// People are the linked officers and leaders, and invites.
	People People
	// Questions keep each person's open task and pending question.
	Questions Questions
	// Catalog is the plans, tasks and agencies.
	Catalog Catalog
	// Assignments are the assignments, their changes and history.
	Assignments Assignments
	// Plans is what admins change from the chat: imports, agencies (nil:
	// those commands answer that they are not available).
	Plans PlanAdmin
	// Abouts keeps which messages are about which task, live cards, typed
	// texts awaiting a choice and one-shot choices.
	Abouts Abouts
	// Config supplies admins, time zone, invite lifetime, thresholds.
	Config config.Config
	// Clock is the time source (tests fix it).
	Clock func() time.Time
	// Log receives one line per problem; it never sees the token.
	Log *slog.Logger
	// Workers is how many chats are served at once (each chat in order).
	Workers int
	// PollTimeout is the long-poll wait of getUpdates.
	PollTimeout time.Duration
	// Wake is called after the bot queued outgoing messages (optional).
	Wake func()
	// WebhookURL, when set, makes Run register this webhook and take updates
	// from WebhookHandler instead of polling (see webhook.go).
	WebhookURL string
	// Hooks is what webhook mode keeps in the database (required with WebhookURL).
	Hooks WebhookState
	// Metrics records each handled update (optional).
	Metrics Metrics
	// Summaries is the roll-up input every summary, list and report is
	// computed from (required: Wire sets it).
	Summaries *summaries.Summaries
	// History is the update history the Excel report lists.
	History UpdateHistory

	hook webhook
	// failures holds, per update being handled, the error a handler told
	// the user about (see noteFailure).
	failures sync.Map
	// Outbox carries the alerts and notices the bot sends on its own
	// (required: Wire sets the scheduler's).
	Outbox Outbox
	// Panicked, when set, is told of every panic a handler raised (after
	// it was recovered and logged); tests fail on it.
	Panicked func(updateID int, p any)

	username string

	// seen holds the update ids at or above the stored offset that were
	// handled (loaded at start, then kept up to date): a replay after a crash
	// is recognised without a database read per update.
	seenMu   sync.Mutex
	seen     map[int]bool
	seenFrom int // the offset stored when Run started

	// sleep replaces the poller's waits and clock in tests (nil: real time).
	sleep func(ctx context.Context, d time.Duration) bool

	cache catalogCache
	refs  refCache
	jobs  jobRunner // reports built in the background (reportjobs.go)
}

func (b *Bot) now() time.Time {
	if b.Clock != nil {
		return b.Clock()
	}
	return time.Now()
}

func (b *Bot) log() *slog.Logger {
	if b.Log != nil {
		return b.Log
	}
	return slog.Default()
}

// Run polls updates until ctx is cancelled; updates in flight finish first.
// The offset lives in the database: after a crash no update is lost, and one
// already handled is recognised by its update_id and not applied again.
func (b *Bot) Run(ctx context.Context) error {
	if b.Outbox == nil {
		return errors.New("bot: Outbox is required (build the bot with Wire)")
	}
	b.username = b.API.Username()
	if n, err := b.Assignments.Repair(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return fmt.Errorf("repair assignments: %w", err)
	} else if n > 0 {
		b.log().Warn("rolled forward assignments left behind by a crash", "count", n)
	}
	go b.setCommands(context.WithoutCancel(ctx))
	b.resumeReportJobs(ctx)
	defer b.jobs.wg.Wait()
	if b.WebhookURL != "" {
		return b.runWebhook(ctx)
	}

	offset, err := b.Polls.Offset(ctx)
	if err != nil {
		return err
	}
	// Markers older than Telegram keeps undelivered updates (24 h) are not
	// needed to recognise a replay; FerretDB has no TTL index to drop them.
	if n, err := b.Polls.PruneProcessed(ctx, markerAge); err != nil {
		b.log().Warn("prune processed markers", "err", err)
	} else if n > 0 {
		b.log().Debug("pruned processed markers", "count", n)
	}
	seen, err := b.Polls.ProcessedSince(ctx, offset)
	if err != nil {
		return err
	}
	b.seenMu.Lock()
	b.seen, b.seenFrom = seen, offset
	b.seenMu.Unlock()
	saved, savedAt := offset, time.Time{}
	defer func() {
		if offset > saved {
			if err := b.Polls.SaveOffset(context.WithoutCancel(ctx), offset); err != nil {
				b.log().Error("save update offset", "err", err)
			}
		}
	}()
	workers := b.Workers
	if workers <= 0 {
		workers = 8
	}
	var fails int
	retry := time.NewTimer(0)
	<-retry.C
	defer retry.Stop()
	hookDeleted := false
	poll := newPoller(b)
	for {
		if ctx.Err() != nil {
			return nil
		}
		var updates []tgbotapi.Update
		if !hookDeleted { // back from webhook mode: Telegram refuses getUpdates while a webhook is set
			_, err = b.API.Request(tgbotapi.DeleteWebhookConfig{DropPendingUpdates: false})
			hookDeleted = err == nil
		}
		if hookDeleted {
			updates, err = poll.get(ctx)
			if errors.Is(err, ErrConflict) {
				return err
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			wait := pollBackoff(err, fails)
			fails++
			what := "getUpdates failed"
			if !hookDeleted {
				what = "deleteWebhook failed"
			}
			b.log().Warn(what, "err", err, "retry_in", wait)
			retry.Reset(wait)
			select {
			case <-ctx.Done():
				return nil
			case <-retry.C:
			}
			continue
		}
		fails = 0
		if len(updates) == 0 {
			continue
		}
		// Handle the batch: chats in parallel, each chat's updates in order.
		// Handlers run on a context that is not cancelled by shutdown, so an
		// update in flight finishes.
		b.handleBatch(context.WithoutCancel(ctx), updates, workers)
		offset = updates[len(updates)-1].UpdateID + 1
		// The offset is stored at most once a second (and at exit): updates
		// handled after it are recognised by their processed markers.
		if time.Since(savedAt) >= time.Second {
			if err := b.Polls.SaveOffset(context.WithoutCancel(ctx), offset); err != nil {
				b.log().Error("save update offset", "err", err)
			} else {
				saved, savedAt = offset, time.Now()
			}
		}
	}
}

// pollTimeout is the long-poll wait of getUpdates (50 s unless set).
func (b *Bot) pollTimeout() time.Duration {
	if b.PollTimeout > 0 {
		return b.PollTimeout
	}
	return 50 * time.Second
}

// markerAge is how long processed-update markers are kept.
const markerAge = 7 * 24 * time.Hour

// pollBackoff is how long to wait after a failed poll: Telegram's
// retry_after for a 429 (as classify reads it), else exponential from 1 s
// to 1 min.
func pollBackoff(err error, fails int) time.Duration {
	if se, ok := domain.AsSendError(classify(err, "")); ok && se.RetryAfter > 0 {
		return se.RetryAfter
	}
	d := time.Second << min(fails, 6)
	return min(d, time.Minute)
}

func (b *Bot) handleBatch(ctx context.Context, updates []tgbotapi.Update, workers int) {
	lanes := make([][]tgbotapi.Update, workers)
	for _, u := range updates {
		i := laneOf(u, workers)
		lanes[i] = append(lanes[i], u)
	}
	var wg sync.WaitGroup
	for _, lane := range lanes {
		if len(lane) == 0 {
			continue
		}
		wg.Add(1)
		go func(lane []tgbotapi.Update) {
			defer wg.Done()
			for _, u := range lane {
				b.HandleUpdate(ctx, u)
			}
		}(lane)
	}
	wg.Wait()
}

// HandleUpdate handles one update exactly once: an update already handled
// (a replay after a restart) is skipped. It never panics.
func (b *Bot) HandleUpdate(ctx context.Context, u tgbotapi.Update) {
	defer func() {
		if p := recover(); p != nil {
			b.panicked(u.UpdateID, p)
		}
	}()
	if b.wasSeen(ctx, u.UpdateID) {
		return
	}
	b.handleOne(ctx, u)
	if err := b.markHandled(ctx, u.UpdateID); err != nil {
		b.log().Error("mark processed", "update_id", u.UpdateID, "err", err)
	}
}

// laneOf is the lane (of n) that serves u's chat: one chat's updates are
// handled in order, one after the other.
func laneOf(u tgbotapi.Update, n int) int {
	h := fnv.New32a()
	fmt.Fprint(h, chatOf(u))
	return int(h.Sum32() % uint32(n))
}

// wasSeen tells whether an update was handled before: from memory when the
// poller loaded the markers, else from the database.
func (b *Bot) wasSeen(ctx context.Context, id int) bool {
	b.seenMu.Lock()
	seen := b.seen
	done := seen[id]
	b.seenMu.Unlock()
	if seen != nil {
		return done
	}
	done, err := b.Polls.Processed(ctx, id)
	if err != nil {
		b.log().Error("check processed", "update_id", id, "err", err)
		return true // do not risk applying it twice; the user can send it again
	}
	return done
}

// chatOf is the chat an update belongs to (0 when none).
func chatOf(u tgbotapi.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil:
		return u.CallbackQuery.From.ID
	case u.ChannelPost != nil:
		return u.ChannelPost.Chat.ID
	}
	return 0
}

// now in the province's zone.
func (b *Bot) local() time.Time { return b.now().In(b.Config.Location) }
