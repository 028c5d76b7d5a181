// Package telegram is the Telegram runtime of agencybot, and the only
// package of the program that imports the Telegram library: the Bot API
// client, the poller and the webhook server, the per-chat lanes, the
// processed markers that make every update handled once, sending and
// answering, and the one middleware chain every update goes through
// (recover → metrics → handler → error to the user's text). Features
// receive an Update in the project's own types and answer through a
// Replier; keyboards are rows of domain.Button.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/i18n"
)

// Handler handles one update. What it sends goes through out; an error it
// returns is a failure on our side (the database, a bug): the runtime logs
// it once and tells the user (i18n "err.internal", in a pop-up when the
// press was not answered yet, else in the chat).
type Handler interface {
	Handle(ctx context.Context, u Update, out Replier) error
}

// HandlerFunc is a function as a Handler.
type HandlerFunc func(ctx context.Context, u Update, out Replier) error

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, u Update, out Replier) error { return f(ctx, u, out) }

// Offsets keeps the poller's place: the next update offset.
type Offsets interface {
	Offset(ctx context.Context) (int, error)
	SaveOffset(ctx context.Context, next int) error
}

// Markers keep which updates were handled completely (store/botstate.go).
type Markers interface {
	MarkProcessed(ctx context.Context, updateID int) (bool, error)
	Processed(ctx context.Context, updateID int) (bool, error)
	ProcessedSince(ctx context.Context, offset int) (map[int]bool, error)
	PruneProcessed(ctx context.Context, d time.Duration) (int64, error)
}

// Metrics records what operators watch (cmd/ wires *ops.Metrics): each
// handled update by kind (KindCommand, KindText, KindCallback, KindFile,
// KindOther), and each verified webhook request as a sign Telegram reaches us.
type Metrics interface {
	UpdateHandled(kind string, took time.Duration, err error)
	TelegramReached(at time.Time)
}

// Runtime receives updates — by long polling, or by webhook when WebhookURL
// is set — and hands each to Handler exactly once: chats in parallel, each
// chat's updates in order.
type Runtime struct {
	// API is the Bot API (*Client).
	API API
	// Offsets and Markers keep the poller's place and the handled updates.
	Offsets Offsets
	Markers Markers
	// Hooks is what webhook mode keeps in the database (required with WebhookURL).
	Hooks WebhookState
	// Handler handles each update (the bot's router).
	Handler Handler
	// Metrics records each handled update (optional).
	Metrics Metrics
	// Log receives one line per problem; it never sees the token.
	Log *slog.Logger
	// Clock is the time of webhook deliveries and of the poller's waits in
	// tests (nil: time.Now).
	Clock func() time.Time
	// Workers is how many chats are served at once (each chat in order).
	Workers int
	// PollTimeout is the long-poll wait of getUpdates.
	PollTimeout time.Duration
	// WebhookURL, when set, makes Run register this webhook and take updates
	// from WebhookHandler instead of polling (see webhook.go).
	WebhookURL string
	// Conflict, when set, is told once per 409 Conflict during a run (key
	// names it), to tell the admins through the outbox.
	Conflict func(ctx context.Context, key string)
	// Panicked, when set, is told of every panic the update path raised
	// (after it was recovered and logged); tests fail on it.
	Panicked func(updateID int, p any)
	// Sleep replaces the poller's waits and clock in tests (nil: real time).
	Sleep func(ctx context.Context, d time.Duration) bool

	username string

	// seen holds the update ids at or above the stored offset that were
	// handled (loaded at start, then kept up to date): a replay after a crash
	// is recognised without a database read per update.
	seenMu   sync.Mutex
	seen     map[int]bool
	seenFrom int // the offset stored when Run started

	hook webhook
}

func (rt *Runtime) now() time.Time {
	if rt.Clock != nil {
		return rt.Clock()
	}
	return time.Now()
}

func (rt *Runtime) log() *slog.Logger {
	if rt.Log != nil {
		return rt.Log
	}
	return slog.Default()
}

// Out is the Replier for what is sent outside an update (command menus at
// start).
func (rt *Runtime) Out() Replier { return &sender{api: rt.API, log: rt.log()} }

// Username is the bot's @username, without the @.
func (rt *Runtime) Username() string {
	if rt.username != "" {
		return rt.username
	}
	return rt.API.Username()
}

// Run receives updates until ctx is cancelled; updates in flight finish
// first. The offset lives in the database: after a crash no update is lost,
// and one already handled is recognised by its update_id and not applied
// again.
func (rt *Runtime) Run(ctx context.Context) error {
	rt.username = rt.API.Username()
	if rt.WebhookURL != "" {
		return rt.runWebhook(ctx)
	}
	return rt.runPolling(ctx)
}

func (rt *Runtime) workers() int {
	if rt.Workers > 0 {
		return rt.Workers
	}
	return 8
}

// guard runs step for update id, turning a panic into an error that is
// logged once and told to Panicked: the one recover of the update path.
// The lane choice, the exactly-once bookkeeping and the middleware chain
// all run inside it, in polling and in webhook mode, so that no update of
// any shape — one without a chat or a sender, say — stops the process.
func (rt *Runtime) guard(id int, step func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			rt.log().Error("panic while handling an update", "update_id", id, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if rt.Panicked != nil {
				rt.Panicked(id, p)
			}
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return step()
}

// HandleUpdate handles one update exactly once: an update already handled
// (a replay after a restart) is skipped; one handled is marked. It never
// panics.
func (rt *Runtime) HandleUpdate(ctx context.Context, u tgbotapi.Update) {
	_ = rt.guard(u.UpdateID, func() error {
		if rt.wasSeen(ctx, u.UpdateID) {
			return nil
		}
		_ = rt.handle(ctx, u)
		if err := rt.markHandled(ctx, u.UpdateID); err != nil {
			rt.log().Error("mark processed", "update_id", u.UpdateID, "err", err)
		}
		return nil
	})
}

// handle is the middleware chain every update goes through, polled or
// delivered: recover → metrics → handler → error to the user's text. It
// returns the handler's error (a panic is one), which webhook mode answers
// with 500 when the database could not be reached.
func (rt *Runtime) handle(ctx context.Context, raw tgbotapi.Update) error {
	return rt.guard(raw.UpdateID, func() error { // recover
		u := Convert(raw)
		out := &pressReplier{Replier: rt.Out()}
		return rt.metered(u, func() error { // metrics
			return rt.told(u, out, rt.Handler.Handle(ctx, u, out)) // handler → error to the user's text
		})
	})
}

// errPanicked is what the metrics record for an update whose handler panicked.
var errPanicked = errors.New("panicked")

// metered records the handling of u in the metrics, a panic as a failure.
func (rt *Runtime) metered(u Update, step func() error) (err error) {
	start, returned := time.Now(), false
	defer func() {
		if rt.Metrics == nil {
			return
		}
		if !returned {
			err = errPanicked // the panic goes on to guard
		}
		rt.Metrics.UpdateHandled(u.Kind, time.Since(start), err)
	}()
	err = step()
	returned = true
	return err
}

// told maps an error the handler returned to the user's text: the one place
// a failure on our side is logged and told.
func (rt *Runtime) told(u Update, out *pressReplier, err error) error {
	if err == nil {
		return nil
	}
	var user int64
	lang := ""
	if u.From != nil {
		user, lang = u.From.ID, u.From.Lang
	}
	rt.log().Error("update not handled", "update_id", u.ID, "user", user, "err", err)
	text := i18n.T(i18n.For(lang), "err.internal")
	switch {
	case u.Press != nil && !out.answered.Load():
		out.Answer(u.Press.ID, text, true)
	case u.Chat != nil:
		out.Send(u.Chat.ID, text, nil)
	}
	return err
}

// laneOf is the lane (of n) that serves u's chat: one chat's updates are
// handled in order, one after the other. It runs inside guard; an update it
// cannot place goes to lane 0.
func (rt *Runtime) laneOf(u tgbotapi.Update, n int) int {
	lane := 0
	_ = rt.guard(u.UpdateID, func() error {
		h := fnv.New32a()
		fmt.Fprint(h, chatKey(u))
		lane = int(h.Sum32() % uint32(n))
		return nil
	})
	return lane
}

// wasSeen tells whether an update was handled before: from memory when the
// poller loaded the markers, else from the database.
func (rt *Runtime) wasSeen(ctx context.Context, id int) bool {
	rt.seenMu.Lock()
	seen := rt.seen
	done := seen[id]
	rt.seenMu.Unlock()
	if seen != nil {
		return done
	}
	done, err := rt.Markers.Processed(ctx, id)
	if err != nil {
		rt.log().Error("check processed", "update_id", id, "err", err)
		return true // do not risk applying it twice; the user can send it again
	}
	return done
}

// markHandled stores u's processed marker and remembers it.
func (rt *Runtime) markHandled(ctx context.Context, updateID int) error {
	if _, err := rt.Markers.MarkProcessed(ctx, updateID); err != nil {
		return err
	}
	rt.seenMu.Lock()
	if rt.seen != nil {
		rt.seen[updateID] = true
	}
	rt.seenMu.Unlock()
	return nil
}

// Unreachable tells whether err means the database could not be reached:
// handling the update again later may succeed.
func Unreachable(err error) bool {
	return err != nil && (mongo.IsNetworkError(err) || mongo.IsTimeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, mongo.ErrClientDisconnected))
}
