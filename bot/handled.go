package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// The kinds of update the metrics count (agencybot_updates_handled_total).
const (
	KindCommand  = "command"
	KindText     = "text"
	KindCallback = "callback"
	KindFile     = "file"
	KindOther    = "other"
)

// updateKind sorts an update into one of the kinds above.
func updateKind(u tgbotapi.Update) string {
	switch m := u.Message; {
	case u.CallbackQuery != nil:
		return KindCallback
	case m == nil:
		return KindOther
	case m.IsCommand():
		return KindCommand
	case m.Document != nil || len(m.Photo) > 0:
		return KindFile
	case m.Text != "":
		return KindText
	}
	return KindOther
}

// handleOne routes one update (the path polling and the webhook share),
// records it in the metrics, and returns the error a handler reported to
// the user, if any. A panic is recovered and reported as that error.
func (b *Bot) handleOne(ctx context.Context, u tgbotapi.Update) (failed error) {
	start := time.Now()
	key := failureKey(u.UpdateID)
	defer func() {
		if p := recover(); p != nil {
			b.panicked(u.UpdateID, p)
			failed = fmt.Errorf("panic: %v", p)
		}
		b.failures.Delete(key)
		if b.Metrics != nil {
			b.Metrics.UpdateHandled(updateKind(u), time.Since(start), failed)
		}
	}()
	b.route(ctx, u)
	if v, ok := b.failures.Load(key); ok {
		failed = v.(error)
	}
	return failed
}

// markHandled stores u's processed marker and remembers it.
func (b *Bot) markHandled(ctx context.Context, updateID int) error {
	if _, err := b.Polls.MarkProcessed(ctx, updateID); err != nil {
		return err
	}
	b.seenMu.Lock()
	if b.seen != nil {
		b.seen[updateID] = true
	}
	b.seenMu.Unlock()
	return nil
}

// noteFailure records that handling the update source ("tg:<update_id>")
// failed with err on our side (the user was told so).
func (b *Bot) noteFailure(source string, err error) {
	if err != nil && source != "" {
		b.failures.Store(source, err)
	}
}

func failureKey(updateID int) string { return "tg:" + itoa(updateID) }

// unreachable tells whether err means the database could not be reached:
// handling the update again later may succeed.
func unreachable(err error) bool {
	return err != nil && (mongo.IsNetworkError(err) || mongo.IsTimeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, mongo.ErrClientDisconnected))
}

// panicked logs a recovered panic once and tells Panicked.
func (b *Bot) panicked(updateID int, p any) {
	b.log().Error("panic while handling an update", "update_id", updateID, "panic", fmt.Sprint(p))
	if b.Panicked != nil {
		b.Panicked(updateID, p)
	}
}
