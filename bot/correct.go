package bot

// Correcting the last update: the officer sees what will be undone and
// confirms; the toast says exactly what changed; then the bot offers to
// enter the right value.

import (
	"context"
	"errors"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// VerbUndo confirms a correction: Ref = assignment ref, Arg = the version of
// the update to withdraw, or "x" to keep it.
const VerbUndo = "u"

// askCorrect shows what "correct my last update" would undo and asks to
// confirm; when nothing can be corrected it says which update could be.
func (b *Bot) askCorrect(ctx context.Context, w who, q *tgbotapi.CallbackQuery, ref string) {
	a, ok := b.allowed(ctx, w, q, ref, false)
	if !ok {
		return
	}
	last, err := b.lastUpdate(ctx, a)
	if err != nil {
		b.log().Error("last update", "assignment", a.ID, "err", err)
		b.answer(q.ID, w.t("err.internal"), true)
		return
	}
	switch domain.WhyNotCorrectable(last, w.ID) {
	case domain.NothingReported:
		b.answer(q.ID, w.t("correct.none", a.TaskCode), true)
		return
	case domain.NotTheirs:
		b.answer(q.ID, w.t("correct.not_theirs", a.TaskCode, i18n.Shorten(last.OfficerName, 30), i18n.Shorten(plainText(b.describe(w, *last)), 40)), true)
		return
	case domain.AlreadyCorrected:
		b.answer(q.ID, w.t("correct.already", a.TaskCode), true)
		return
	}
	b.answer(q.ID, "", false)
	var sb strings.Builder
	sb.WriteString(w.t("correct.confirm", escape(a.TaskCode), b.describe(w, *last), i18n.Time(last.At, b.Config.Location)))
	sb.WriteString("\n" + w.t("correct.after", statusText(w.Lang, last.Before.Status), last.Before.Progress))
	if last.Before.Note != last.After.Note {
		if last.Before.Note == "" {
			sb.WriteString("\n" + w.t("correct.note_removed", escape(i18n.Shorten(last.After.Note, 200))))
		} else {
			sb.WriteString("\n" + w.t("correct.note_back", escape(i18n.Shorten(last.Before.Note, 200))))
		}
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		button("↩️ "+w.t("correct.yes"), domain.Callback{Verb: VerbUndo, Ref: a.Ref, Arg: itoa(last.Version)}),
		button("✖️ "+w.t("correct.no"), domain.Callback{Verb: VerbUndo, Ref: a.Ref, Arg: "x"})))
	m := b.replyKB(w.Chat, sb.String(), &kb)
	b.remember(ctx, w.Chat, m.MessageID, AboutConfirm, a.Ref)
}

func (b *Bot) lastUpdate(ctx context.Context, a domain.Assignment) (*domain.Update, error) {
	u, err := b.Assignments.LastUpdate(ctx, a)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// cbUndo withdraws the update the officer confirmed, once, then offers to
// enter the right value in the same message.
func (b *Bot) cbUndo(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if cb.Arg == "x" {
		b.answer(q.ID, w.t("correct.kept"), false)
		b.editOrSend(w.Chat, msgID, w.t("correct.kept"), nil)
		return
	}
	version, err := strconv.Atoi(cb.Arg)
	if err != nil {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	a, ok := b.allowed(ctx, w, q, cb.Ref, false)
	if !ok {
		return
	}
	if a.AgencyKey != w.Agency() {
		b.answer(q.ID, w.t("err.not_yours"), true)
		return
	}
	if !b.firstPress(ctx, w, q) {
		return
	}
	last, err := b.lastUpdate(ctx, a)
	if err != nil {
		b.answer(q.ID, w.t("err.internal"), true)
		return
	}
	if last == nil || last.Version != version || !domain.Correctable(last, w.ID) {
		b.answer(q.ID, w.t("correct.moved_on", a.TaskCode), true)
		b.stripButtons(w.Chat, msgID)
		return
	}
	withdrawn := *last
	b.applyChange(ctx, w, a, domain.Change{Kind: domain.Correction}, q.ID, 0)
	cur, err := b.Assignments.Assignment(ctx, a.ID)
	if err != nil || cur.Version == a.Version {
		return // not applied: applyChange said why
	}
	text := w.t("correct.done", escape(a.TaskCode), b.describe(w, withdrawn)) + "\n" + w.t("correct.now", statusText(w.Lang, cur.Status), cur.Progress)
	var rows [][]tgbotapi.InlineKeyboardButton
	switch withdrawn.Kind {
	case domain.SetStatus:
		text += "\n\n" + w.t("correct.enter_status")
		var row []tgbotapi.InlineKeyboardButton
		for _, s := range []domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked} {
			if s != withdrawn.After.Status {
				row = append(row, button(statusText(w.Lang, s), domain.Callback{Verb: domain.VerbStatus, Ref: a.Ref, Arg: string(s)}))
			}
		}
		rows = append(rows, row)
	case domain.SetProgress:
		text += "\n\n" + w.t("correct.enter_progress")
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button("✍️ "+w.t("correct.type_progress"), domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: "ask"})))
	case domain.AddNote:
		text += "\n\n" + w.t("correct.enter_note")
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button("📝 "+w.t("btn.note"), domain.Callback{Verb: domain.VerbNote, Ref: a.Ref})))
	case domain.AddEvidence:
		text += "\n\n" + w.t("correct.enter_evidence")
	}
	var kb *tgbotapi.InlineKeyboardMarkup
	if len(rows) > 0 {
		k := tgbotapi.NewInlineKeyboardMarkup(rows...)
		kb = &k
	}
	b.editOrSend(w.Chat, msgID, text, kb)
}

// describeCorrection says exactly what a correction changed: status,
// progress and note, each from → to (a removed note named).
func (b *Bot) describeCorrection(w who, u domain.Update) string {
	var parts []string
	if u.Before.Status != u.After.Status {
		parts = append(parts, w.t("undo.status", statusText(w.Lang, u.Before.Status), statusText(w.Lang, u.After.Status)))
	}
	if u.Before.Progress != u.After.Progress {
		parts = append(parts, w.t("undo.progress", u.Before.Progress, u.After.Progress))
	}
	switch {
	case u.Before.Note == u.After.Note:
	case u.After.Note == "":
		parts = append(parts, w.t("undo.note_removed", escape(i18n.Shorten(u.Before.Note, 120))))
	default:
		parts = append(parts, w.t("undo.note_back", escape(i18n.Shorten(u.After.Note, 120))))
	}
	if len(parts) == 0 {
		return w.t("undo.nothing")
	}
	return w.t("undo.head") + " " + strings.Join(parts, "; ")
}
