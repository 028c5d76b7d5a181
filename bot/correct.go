package bot

// Correcting the last update: the officer sees what will be undone and
// confirms; the toast says exactly what changed; then the bot offers to
// enter the right value.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// correctStore reads what a correction would withdraw (*store.Store).
type correctStore interface {
	LastUpdate(ctx context.Context, a domain.Assignment) (domain.Update, error)
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
}

type correcting struct {
	*core
	store   correctStore
	changes *changes
	once    *oneShot
}

// ask shows what "correct my last update" would undo and asks to confirm;
// when nothing can be corrected it says which update could be.
func (f *correcting) ask(ctx context.Context, w who, ref string) error {
	a, ok, err := f.changes.cards.viewable(ctx, w, ref)
	if !ok {
		return err
	}
	last, err := f.last(ctx, a)
	if err != nil {
		return fmt.Errorf("last update of %s: %w", a.ID, err)
	}
	switch domain.WhyNotCorrectable(last, w.ID) {
	case domain.NothingReported:
		w.answer(w.t("correct.none", a.TaskCode), true)
		return nil
	case domain.NotTheirs:
		w.answer(w.t("correct.not_theirs", a.TaskCode, i18n.Shorten(last.OfficerName, 30), i18n.Shorten(plainText(describe(w, *last)), 40)), true)
		return nil
	case domain.AlreadyCorrected:
		w.answer(w.t("correct.already", a.TaskCode), true)
		return nil
	}
	w.answer("", false)
	var sb strings.Builder
	sb.WriteString(w.t("correct.confirm", escape(a.TaskCode), describe(w, *last), i18n.Time(last.At, f.cfg.Location)))
	sb.WriteString("\n" + w.t("correct.after", statusText(w.Lang, last.Before.Status), last.Before.Progress))
	if last.Before.Note != last.After.Note {
		if last.Before.Note == "" {
			sb.WriteString("\n" + w.t("correct.note_removed", escape(i18n.Shorten(last.After.Note, 200))))
		} else {
			sb.WriteString("\n" + w.t("correct.note_back", escape(i18n.Shorten(last.Before.Note, 200))))
		}
	}
	kb := [][]domain.Button{{
		button("↩️ "+w.t("correct.yes"), domain.Callback{Verb: VerbUndo, Ref: a.Ref, Arg: itoa(last.Version)}),
		button("✖️ "+w.t("correct.no"), domain.Callback{Verb: VerbUndo, Ref: a.Ref, Arg: "x"})}}
	m := w.replyKB(sb.String(), kb)
	f.changes.cards.abouts.remember(ctx, w.Chat, m, AboutConfirm, a.Ref)
	return nil
}

func (f *correcting) last(ctx context.Context, a domain.Assignment) (*domain.Update, error) {
	u, err := f.store.LastUpdate(ctx, a)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// undo withdraws the update the officer confirmed, once, then offers to
// enter the right value in the same message.
func (f *correcting) undo(ctx context.Context, w who, cb domain.Callback) error {
	msgID := w.pressed()
	if cb.Arg == "x" {
		w.answer(w.t("correct.kept"), false)
		w.edit(msgID, w.t("correct.kept"), nil)
		return nil
	}
	version, err := strconv.Atoi(cb.Arg)
	if err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	a, ok, err := f.changes.cards.viewable(ctx, w, cb.Ref)
	if !ok {
		return err
	}
	if a.AgencyKey != w.Agency() {
		w.answer(w.t("err.not_yours"), true)
		return nil
	}
	if ok, err := f.once.first(ctx, w); !ok {
		return err
	}
	last, err := f.last(ctx, a)
	if err != nil {
		return fmt.Errorf("last update of %s: %w", a.ID, err)
	}
	if last == nil || last.Version != version || !domain.Correctable(last, w.ID) {
		w.answer(w.t("correct.moved_on", a.TaskCode), true)
		w.strip(msgID)
		return nil
	}
	withdrawn := *last
	_, applyErr := f.changes.apply(ctx, w, a, domain.Change{Kind: domain.Correction}, 0)
	cur, err := f.store.Assignment(ctx, a.ID)
	if err != nil || cur.Version == a.Version {
		return applyErr // not applied: apply said why
	}
	text := w.t("correct.done", escape(a.TaskCode), describe(w, withdrawn)) + "\n" + w.t("correct.now", statusText(w.Lang, cur.Status), cur.Progress)
	var rows [][]domain.Button
	switch withdrawn.Kind {
	case domain.SetStatus:
		text += "\n\n" + w.t("correct.enter_status")
		var row []domain.Button
		for _, s := range []domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked} {
			if s != withdrawn.After.Status {
				row = append(row, button(statusText(w.Lang, s), domain.Callback{Verb: domain.VerbStatus, Ref: a.Ref, Arg: string(s)}))
			}
		}
		rows = append(rows, row)
	case domain.SetProgress:
		text += "\n\n" + w.t("correct.enter_progress")
		rows = append(rows, []domain.Button{button("✍️ "+w.t("correct.type_progress"), domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: "ask"})})
	case domain.AddNote:
		text += "\n\n" + w.t("correct.enter_note")
		rows = append(rows, []domain.Button{button("📝 "+w.t("btn.note"), domain.Callback{Verb: domain.VerbNote, Ref: a.Ref})})
	case domain.AddEvidence:
		text += "\n\n" + w.t("correct.enter_evidence")
	}
	w.edit(msgID, text, rows)
	return applyErr
}
