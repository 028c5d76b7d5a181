package bot

// Which messages are about which task. A reply counts as being about a task
// only when the replied-to message was recorded as about it: a task card
// the bot sent, a confirmation of a change, or a reminder or alert the
// outbox sent (RecordSent). Codes written in a text are never guessed from.

import (
	"context"
	"errors"

	"agencybot/domain"
	"agencybot/store"
)

// AboutRecorder records which assignments a sent message is about.
type AboutRecorder interface {
	RecordAbout(ctx context.Context, m store.MessageAbout) error
}

// aboutStore records and looks up what messages are about (*store.Store:
// store/about.go).
type aboutStore interface {
	AboutRecorder
	About(ctx context.Context, chat int64, msg int) (store.MessageAbout, bool, error)
}

// assignmentByRef reads the assignment a button ref names.
type assignmentByRef interface {
	AssignmentByRef(ctx context.Context, ref string) (domain.Assignment, error)
}

type abouts struct {
	*core
	store       aboutStore
	assignments assignmentByRef
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
func (f *abouts) remember(ctx context.Context, chat int64, msg int, kind string, refs ...string) {
	if msg == 0 || len(refs) == 0 {
		return
	}
	if err := f.store.RecordAbout(ctx, store.MessageAbout{Chat: chat, Message: msg, Kind: kind, Refs: refs}); err != nil {
		f.log.Warn("record what a message is about", "err", err)
	}
}

// mine is the assignments of w's agency that a replied-to message (msg) is
// about; recorded is false when the message is about no task at all.
func (f *abouts) mine(ctx context.Context, w who, msg int) (mine []domain.Assignment, recorded bool) {
	if msg == 0 {
		return nil, false
	}
	ab, ok, err := f.store.About(ctx, w.Chat, msg)
	if err != nil {
		f.log.Warn("look up what a message is about", "err", err)
		return nil, false
	}
	if !ok {
		return nil, false
	}
	for _, ref := range ab.Refs {
		a, err := f.assignments.AssignmentByRef(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			f.log.Warn("load assignment", "ref", ref, "err", err)
			continue
		}
		if !a.Withdrawn && w.Agency() != "" && a.AgencyKey == w.Agency() {
			mine = append(mine, a)
		}
	}
	return mine, true
}

// isAbout tells whether message msg of chat is recorded as being about a task.
func (f *abouts) isAbout(ctx context.Context, chat int64, msg int) bool {
	if msg == 0 {
		return false
	}
	_, ok, err := f.store.About(ctx, chat, msg)
	return err == nil && ok
}
