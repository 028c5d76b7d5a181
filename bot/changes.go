package bot

// Applying an officer's change to an assignment, from a button or a typed
// answer, and what follows it: the card redrawn, the leaders alerted about
// a block, the officer asked to describe it, a completion's proof asked for.

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/store"
)

// changeStore applies changes (*store.Store: store/updates.go).
type changeStore interface {
	Apply(ctx context.Context, assignmentID string, ch domain.Change) (domain.Assignment, domain.Update, error)
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
}

type changes struct {
	*core
	store     changeStore
	sessions  sessionStore
	cards     *cards
	alerts    *alerts
	questions *questions
	reviews   *reviews
}

// status sets the status pressed on a card.
func (f *changes) status(ctx context.Context, w who, cb domain.Callback) error {
	a, ok := f.mine(ctx, w, cb.Ref)
	if !ok {
		return nil
	}
	s := domain.Status(cb.Arg)
	if !s.Valid() {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	_, err := f.apply(ctx, w, a, domain.Change{Kind: domain.SetStatus, Status: s}, w.pressed())
	return err
}

// progress sets the progress pressed on a card, or asks for it ("ask").
func (f *changes) progress(ctx context.Context, w who, cb domain.Callback) error {
	a, ok := f.mine(ctx, w, cb.Ref)
	if !ok {
		return nil
	}
	if cb.Arg == "ask" {
		w.answer("", false)
		return f.questions.prompt(ctx, w, a, "progress")
	}
	v, err := strconv.Atoi(cb.Arg)
	if err != nil || v < 0 || v > 100 {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	_, err = f.apply(ctx, w, a, domain.Change{Kind: domain.SetProgress, Progress: &v}, w.pressed())
	return err
}

// note asks for a note on the assignment pressed.
func (f *changes) note(ctx context.Context, w who, cb domain.Callback) error {
	a, ok := f.mine(ctx, w, cb.Ref)
	if !ok {
		return nil
	}
	w.answer("", false)
	return f.questions.prompt(ctx, w, a, "note")
}

// mine checks that the person may change the assignment a button names:
// its agency's officers only. Changes need no read here: the identity tells
// the agency, and Apply reads the assignment (refusing a withdrawn one)
// anyway. Stale or forged data gets an alert and changes nothing.
func (f *changes) mine(ctx context.Context, w who, ref string) (domain.Assignment, bool) {
	id, err := f.refs.id(ctx, ref)
	if err != nil {
		if !isNotFound(err) {
			f.log.Error("load assignment", "ref", ref, "err", err)
		}
		w.answer(w.t("err.stale_button"), true)
		return domain.Assignment{}, false
	}
	task, agency, _ := strings.Cut(id, "/")
	if w.Agency() == "" || agency != w.Agency() {
		w.answer(w.t("err.not_yours"), true)
		return domain.Assignment{}, false
	}
	return domain.Assignment{ID: id, Ref: ref, TaskCode: task, AgencyKey: agency}, true
}

// apply records a change and answers: a toast for a button press (w.press)
// and the card redrawn in place (msgID) or sent anew. settled tells whether
// the change is settled (stored now or before, or refused for good); false:
// a storage error, the person was asked to try again. err is a failure of
// what follows a stored change (the card, the questions after it).
func (f *changes) apply(ctx context.Context, w who, a domain.Assignment, ch domain.Change, msgID int) (settled bool, err error) {
	settled, _, err = f.applyTold(ctx, w, a, ch, msgID)
	return settled, err
}

// applyTold is apply telling also whether the change was made (now or
// before): false when the assignment already was so (domain.ErrNoChange),
// so that what the caller writes agrees with the pop-up.
func (f *changes) applyTold(ctx context.Context, w who, a domain.Assignment, ch domain.Change, msgID int) (settled, made bool, err error) {
	ch.SourceID, ch.OfficerID, ch.OfficerName = w.Source, w.ID, w.Name
	if ch.OfficerName == "" {
		ch.OfficerName = "@" + w.User
	}
	pressed := w.press != nil
	moved, u, err := f.store.Apply(ctx, a.ID, ch)
	if err == nil {
		f.sums.Applied(moved) // the summaries count it at once
	}
	switch {
	case errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrWithdrawn):
		if pressed {
			w.answer(w.t("err.stale_button"), true)
		} else {
			w.reply(w.t("err.stale_prompt"))
		}
		return true, false, nil
	case errors.Is(err, store.ErrDuplicate):
		if pressed {
			w.answer(w.t("ok.already"), false)
		}
		if u.Source == ch.SourceID && ch.SourceID != "" { // killed after applying it: finish what followed
			var askErr error
			if f.reviews.afterChange(ctx, w, moved, u, true) {
				askErr = f.reviews.askProof(ctx, w, moved)
			}
			return true, true, errors.Join(f.after(ctx, w, moved, u, true), askErr)
		}
		return true, true, nil
	case errors.Is(err, domain.ErrNoChange):
		if pressed {
			w.answer(w.t("ok.no_change"), true)
		} else {
			w.reply(w.t("ok.no_change"))
		}
		return true, false, nil
	case errors.Is(err, domain.ErrNothingToCorrect):
		if pressed {
			w.answer(w.t("err.nothing_to_correct"), true)
		} else {
			w.reply(w.t("err.nothing_to_correct"))
		}
		return true, false, nil
	case err != nil:
		f.log.Error("apply change", "assignment", a.ID, "kind", ch.Kind, "err", err)
		if pressed {
			w.answer(w.t("err.internal"), true)
		} else {
			w.reply(w.t("err.save_retry")) // what they typed is kept by the caller
		}
		return false, false, nil
	}
	saved := "ok.saved"
	if ch.Kind == domain.Correction {
		saved = "ok.corrected"
	}
	if pressed {
		w.answer(w.t(saved, describe(w, u)), false)
	} else {
		m := w.reply("✅ <b>" + escape(moved.TaskCode) + "</b> · " + w.t(saved, describe(w, u)))
		f.cards.abouts.remember(ctx, w.Chat, m, AboutConfirm, refOf(moved))
	}
	ask := f.reviews.afterChange(ctx, w, moved, u, false) // before the card, which shows the review waiting
	cardErr := f.cards.show(ctx, w, moved, msgID, &u)
	var askErr error
	if ask { // done asks for proof
		askErr = f.reviews.askProof(ctx, w, moved)
	}
	return true, true, errors.Join(cardErr, f.after(ctx, w, moved, u, false), askErr)
}

// after tells leaders and admins what the change did to a block and, for a
// new block, asks the officer to describe it. replay: the change was
// applied before a crash; the question is asked only if it is not pending.
func (f *changes) after(ctx context.Context, w who, a domain.Assignment, u domain.Update, replay bool) error {
	f.alerts.block(ctx, a, u, w)
	if u.Kind != domain.SetStatus || u.After.Status != domain.Blocked || u.Before.Status == domain.Blocked || a.Status != domain.Blocked {
		return nil
	}
	if replay {
		if se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge); err != nil || (ok && se.Awaiting == "blocked_note" && se.AssignmentID == a.ID) {
			return nil
		}
	}
	return f.questions.prompt(ctx, w, a, "blocked_note")
}
