package bot

// Applying an officer's change to an assignment, from a button or a typed answer.

import (
	"context"
	"errors"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/store"
)

// cbAssignment handles the buttons of a task card: status, progress, note,
// correction and history.
func (b *Bot) cbAssignment(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if cb.Verb == domain.VerbHistory {
		a, ok := b.allowed(ctx, w, q, cb.Ref, false)
		if !ok {
			return
		}
		b.answer(q.ID, "", false)
		b.showHistory(ctx, w, a)
		return
	}
	a, ok := b.allowed(ctx, w, q, cb.Ref, true)
	if !ok {
		return
	}
	switch cb.Verb {
	case domain.VerbStatus:
		s := domain.Status(cb.Arg)
		if !s.Valid() {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		b.applyChange(ctx, w, a, domain.Change{Kind: domain.SetStatus, Status: s}, q.ID, msgID)
	case domain.VerbProgress:
		if cb.Arg == "ask" {
			b.answer(q.ID, "", false)
			b.prompt(ctx, w, a, "progress")
			return
		}
		v, err := strconv.Atoi(cb.Arg)
		if err != nil || v < 0 || v > 100 {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		b.applyChange(ctx, w, a, domain.Change{Kind: domain.SetProgress, Progress: &v}, q.ID, msgID)
	case domain.VerbNote:
		b.answer(q.ID, "", false)
		b.prompt(ctx, w, a, "note")
	case domain.VerbCorrect:
		b.askCorrect(ctx, w, q, cb.Ref)
	}
}

// applyChange records a change and answers: a toast for a button press (qid)
// and the card redrawn in place (msgID) or sent anew. It tells whether the
// change is settled (stored now or before, or refused for good); false: a
// storage error, the person was asked to try again.
func (b *Bot) applyChange(ctx context.Context, w who, a domain.Assignment, ch domain.Change, qid string, msgID int) bool {
	ch.SourceID, ch.OfficerID, ch.OfficerName = w.Source, w.ID, w.Name
	if ch.OfficerName == "" {
		ch.OfficerName = "@" + w.User
	}
	moved, u, err := b.Assignments.Apply(ctx, a.ID, ch)
	if err == nil {
		b.Summaries.Applied(moved) // the summaries count it at once
	}
	switch {
	case errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrWithdrawn):
		if qid != "" {
			b.answer(qid, w.t("err.stale_button"), true)
		} else {
			b.reply(w.Chat, w.t("err.stale_prompt"))
		}
		return true
	case errors.Is(err, store.ErrDuplicate):
		if qid != "" {
			b.answer(qid, w.t("ok.already"), false)
		}
		if u.Source == ch.SourceID && ch.SourceID != "" { // killed after applying it: finish what followed
			b.afterChange(ctx, w, moved, u, true)
		}
		return true
	case errors.Is(err, domain.ErrNoChange):
		if qid != "" {
			b.answer(qid, w.t("ok.no_change"), true)
		} else {
			b.reply(w.Chat, w.t("ok.no_change"))
		}
		return true
	case errors.Is(err, domain.ErrNothingToCorrect):
		if qid != "" {
			b.answer(qid, w.t("err.nothing_to_correct"), true)
		} else {
			b.reply(w.Chat, w.t("err.nothing_to_correct"))
		}
		return true
	case err != nil:
		b.log().Error("apply change", "assignment", a.ID, "kind", ch.Kind, "err", err)
		if qid != "" {
			b.answer(qid, w.t("err.internal"), true)
		} else {
			b.reply(w.Chat, w.t("err.save_retry")) // what they typed is kept by the caller
		}
		return false
	}
	saved := "ok.saved"
	if ch.Kind == domain.Correction {
		saved = "ok.corrected"
	}
	if qid != "" {
		b.answer(qid, w.t(saved, b.describe(w, u)), false)
	} else {
		m := b.reply(w.Chat, "✅ <b>"+escape(moved.TaskCode)+"</b> · "+w.t(saved, b.describe(w, u)))
		b.remember(ctx, w.Chat, m.MessageID, AboutConfirm, refOf(moved))
	}
	b.showCard(ctx, w, moved, msgID, &u)
	b.afterChange(ctx, w, moved, u, false)
	b.reviewAfterChange(ctx, w, moved, u) // done asks for proof
	return true
}

// afterChange tells leaders and admins what the change did to a block and,
// for a new block, asks the officer to describe it. replay: the change was
// applied before a crash; the question is asked only if it is not pending.
func (b *Bot) afterChange(ctx context.Context, w who, a domain.Assignment, u domain.Update, replay bool) {
	b.alertBlock(ctx, a, u, w)
	if u.Kind != domain.SetStatus || u.After.Status != domain.Blocked || u.Before.Status == domain.Blocked || a.Status != domain.Blocked {
		return
	}
	if replay {
		if se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge); err != nil || (ok && se.Awaiting == "blocked_note" && se.AssignmentID == a.ID) {
			return
		}
	}
	b.prompt(ctx, w, a, "blocked_note")
}
