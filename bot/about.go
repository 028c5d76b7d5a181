package bot

// Which messages are about which task. A reply counts as being about a task
// only when the replied-to message was recorded as about it: a task card
// the bot sent, a confirmation of a change, or a reminder or alert the
// outbox sent (RecordSent). Codes written in a text are never guessed from.

import (
	"context"
	"errors"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/store"
)

// Abouts keeps what the bot's messages are about, the live card of each
// task per chat, typed texts waiting for the officer's choice, and one-shot
// choices (the store).
type Abouts interface {
	AboutRecorder
	About(ctx context.Context, chat int64, msg int) (store.MessageAbout, bool, error)
	LiveCard(ctx context.Context, chat int64, assignmentID string) (int, error)
	SetLiveCard(ctx context.Context, chat int64, assignmentID string, msg int) error
	SaveDraft(ctx context.Context, d store.Draft) error
	Draft(ctx context.Context, key string) (store.Draft, error)
	UseDraft(ctx context.Context, key string) (bool, error)
	ClaimOnce(ctx context.Context, key string) (bool, error)
}

// AboutRecorder records which assignments a sent message is about.
type AboutRecorder interface {
	RecordAbout(ctx context.Context, m store.MessageAbout) error
}

// The kinds of message recorded as being about a task.
const (
	AboutCard     = "card"
	AboutConfirm  = "confirm"
	AboutReminder = "reminder"
	AboutAlert    = "alert"
)

// refVerbs are the buttons whose Ref is an assignment.
var refVerbs = map[string]bool{domain.VerbOpen: true, domain.VerbStatus: true, domain.VerbProgress: true,
	domain.VerbNote: true, domain.VerbCorrect: true, domain.VerbHistory: true}

// RefsOf lists the assignments (refs) an outgoing message is about: those
// its buttons open or change, in order, each once.
func RefsOf(out domain.Outgoing) []string {
	var refs []string
	seen := map[string]bool{}
	for _, row := range out.Buttons {
		for _, bt := range row {
			cb, ok := domain.ParseCallback(bt.Data)
			if ok && refVerbs[cb.Verb] && cb.Ref != "" && !seen[cb.Ref] {
				seen[cb.Ref] = true
				refs = append(refs, cb.Ref)
			}
		}
	}
	return refs
}

// RecordSent records that a message the outbox sent (a reminder, an alert)
// is about the assignments its buttons open. The outbox's sender calls it
// after each successful send, with the message id Telegram returned; kind is
// AboutReminder or AboutAlert. A message with no such button records
// nothing. rec nil is allowed (nothing is recorded).
func RecordSent(ctx context.Context, rec AboutRecorder, out domain.Outgoing, messageID int, kind string) error {
	refs := RefsOf(out)
	if rec == nil || len(refs) == 0 || messageID == 0 {
		return nil
	}
	return rec.RecordAbout(ctx, store.MessageAbout{Chat: out.ChatID, Message: messageID, Kind: kind, Refs: refs})
}

// remember records that message msg of chat is about assignment ref.
func (b *Bot) remember(ctx context.Context, chat int64, msg int, kind string, refs ...string) {
	if b.Abouts == nil || msg == 0 || len(refs) == 0 {
		return
	}
	if err := b.Abouts.RecordAbout(ctx, store.MessageAbout{Chat: chat, Message: msg, Kind: kind, Refs: refs}); err != nil {
		b.log().Warn("record what a message is about", "err", err)
	}
}

// aboutMine is the assignments of w's agency that a replied-to message is
// about; recorded is false when the message is about no task at all.
func (b *Bot) aboutMine(ctx context.Context, w who, m *tgbotapi.Message) (mine []domain.Assignment, recorded bool) {
	if b.Abouts == nil || m == nil {
		return nil, false
	}
	ab, ok, err := b.Abouts.About(ctx, w.Chat, m.MessageID)
	if err != nil {
		b.log().Warn("look up what a message is about", "err", err)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	for _, ref := range ab.Refs {
		a, err := b.Assignments.AssignmentByRef(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			b.log().Warn("load assignment", "ref", ref, "err", err)
			continue
		}
		if !a.Withdrawn && w.Agency() != "" && a.AgencyKey == w.Agency() {
			mine = append(mine, a)
		}
	}
	return mine, true
}

// isAbout tells whether a message is recorded as being about a task.
func (b *Bot) isAbout(ctx context.Context, chat int64, m *tgbotapi.Message) bool {
	if b.Abouts == nil || m == nil {
		return false
	}
	_, ok, err := b.Abouts.About(ctx, chat, m.MessageID)
	return err == nil && ok
}
