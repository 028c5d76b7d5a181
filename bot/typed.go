package bot

// Typed text that is not the answer to a question: a reply to a message
// about a task, a text typed with a task card open, a pasted invite code, or
// anything else. Every one gets somewhere: a change, a one-tap choice naming
// the task, or a hint saying how to reach a task.

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// VerbTyped is the one-tap choice for a typed text: Ref = the draft's key,
// Arg = "n<i>" (a note on the i-th task), "p<i>" (its progress) or "x" (drop it).
const VerbTyped = "t"

// maxChoiceTasks bounds the tasks a choice offers.
const maxChoiceTasks = 8

// parseProgress reads a progress figure: "60", "80%", "80 %".
func parseProgress(s string) (int, bool) {
	m := progressRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, err := strconv.Atoi(m[1])
	return v, err == nil && v >= 0 && v <= 100
}

// inviteRE is an invite code as the bot makes them (see store.CreateInvite),
// alone or in its link.
var inviteRE = regexp.MustCompile(`^(?:(?:https?://)?(?:t|telegram)\.me/[A-Za-z0-9_]+\?start=)?([A-HJ-NP-Za-hj-np-z2-9]{10})$`)

// pastedInvite tells whether a text is only an invite code (or its link).
// A code typed in lower case counts only for someone not linked yet: from a
// linked officer such a word is more likely a note.
func pastedInvite(text string, anyCase bool) (string, bool) {
	text = strings.TrimSpace(text)
	m := inviteRE.FindStringSubmatch(text)
	if m == nil || (!anyCase && text == strings.ToLower(text)) {
		return "", false
	}
	return strings.ToUpper(m[1]), true
}

// onReply handles a reply to a message recorded as being about tasks; it
// returns false when the replied-to message is about no task.
func (b *Bot) onReply(ctx context.Context, w who, m *tgbotapi.Message) bool {
	mine, recorded := b.aboutMine(ctx, w, m.ReplyToMessage)
	if !recorded {
		return false
	}
	if w.Agency() == "" {
		b.reply(w.Chat, w.t("hint.leader"))
		return true
	}
	switch len(mine) {
	case 0:
		b.reply(w.Chat, w.t("err.reply_which_task"))
	case 1:
		if v, ok := parseProgress(m.Text); ok {
			b.applyChange(ctx, w, mine[0], domain.Change{Kind: domain.SetProgress, Progress: &v}, "", 0)
			return true
		}
		note := strings.TrimSpace(m.Text)
		if n := len([]rune(note)); n > maxNoteRunes {
			b.reply(w.Chat, w.t("err.note_too_long", n, maxNoteRunes))
			return true
		}
		b.applyChange(ctx, w, mine[0], domain.Change{Kind: domain.AddNote, Note: note}, "", 0)
	default:
		b.offerChoice(ctx, w, m.Text, mine)
	}
	return true
}

// onLooseText handles text that answers no question and replies to no
// message about a task.
func (b *Bot) onLooseText(ctx context.Context, w who, m *tgbotapi.Message, se store.Session, open bool) {
	if w.Agency() == "" {
		b.reply(w.Chat, w.t("hint.leader"))
		return
	}
	if open && se.AssignmentID != "" {
		a, err := b.Assignments.Assignment(ctx, se.AssignmentID)
		if err == nil && a.AgencyKey == w.Agency() && !a.Withdrawn {
			b.offerChoice(ctx, w, m.Text, []domain.Assignment{a})
			return
		}
	}
	b.reply(w.Chat, w.t("hint.text"))
}

// offerChoice keeps a typed text and asks, with one tap, what it is: a note
// or (when it reads as a figure) the progress of the task named, or which
// of several tasks it is for.
func (b *Bot) offerChoice(ctx context.Context, w who, text string, as []domain.Assignment) {
	text = strings.TrimSpace(text)
	if n := len([]rune(text)); n > maxNoteRunes {
		b.reply(w.Chat, w.t("err.note_too_long", n, maxNoteRunes))
		return
	}
	if b.Abouts == nil {
		b.reply(w.Chat, w.t("hint.text"))
		return
	}
	if len(as) > maxChoiceTasks {
		as = as[:maxChoiceTasks]
	}
	key := strings.TrimPrefix(w.Source, "tg:")
	d := store.Draft{Key: key, UserID: w.ID, Text: text}
	for _, a := range as {
		d.Refs = append(d.Refs, refOf(a))
	}
	if err := b.Abouts.SaveDraft(ctx, d); err != nil {
		b.fail(w, "save draft", err)
		return
	}
	v, isNum := parseProgress(text)
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, a := range as {
		var row []tgbotapi.InlineKeyboardButton
		if isNum {
			row = append(row, button(w.t("typed.btn_progress", v, a.TaskCode), domain.Callback{Verb: VerbTyped, Ref: key, Arg: "p" + itoa(i)}))
		}
		row = append(row, button(w.t("typed.btn_note", a.TaskCode), domain.Callback{Verb: VerbTyped, Ref: key, Arg: "n" + itoa(i)}))
		rows = append(rows, row)
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(w.t("typed.btn_drop"), domain.Callback{Verb: VerbTyped, Ref: key, Arg: "x"})))
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	head := w.t("typed.choose_many", escape(i18n.Shorten(text, 200)))
	if len(as) == 1 {
		head = w.t("typed.choose_one", escape(i18n.Shorten(text, 200)), escape(as[0].TaskCode))
	}
	b.replyKB(w.Chat, head, &kb)
}

// cbTyped applies the choice made for a typed text, once.
func (b *Bot) cbTyped(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if b.Abouts == nil {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	d, err := b.Abouts.Draft(ctx, cb.Ref)
	if err != nil || d.UserID != w.ID || cb.Arg == "" {
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			b.log().Error("load draft", "err", err)
		}
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	if d.Used {
		b.answer(q.ID, w.t("ok.choice_done"), true)
		b.stripButtons(w.Chat, msgID)
		return
	}
	if cb.Arg == "x" {
		if _, err := b.Abouts.UseDraft(ctx, d.Key); err != nil {
			b.answer(q.ID, w.t("err.internal"), true)
			return
		}
		b.answer(q.ID, w.t("typed.dropped"), false)
		b.editOrSend(w.Chat, msgID, w.t("typed.dropped"), nil)
		return
	}
	i, err := strconv.Atoi(cb.Arg[1:])
	if err != nil || i < 0 || i >= len(d.Refs) || (cb.Arg[0] != 'n' && cb.Arg[0] != 'p') {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	a, ok := b.allowed(ctx, w, q, d.Refs[i], true)
	if !ok {
		return
	}
	if used, err := b.Abouts.UseDraft(ctx, d.Key); err != nil {
		b.answer(q.ID, w.t("err.internal"), true)
		return
	} else if !used {
		b.answer(q.ID, w.t("ok.choice_done"), true)
		return
	}
	// The change is the typed text's: its source is the text's update, so
	// it is applied once however often the choice arrives.
	src := w
	src.Source = "tg:" + d.Key
	var done string
	if cb.Arg[0] == 'p' {
		v, ok := parseProgress(d.Text)
		if !ok {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		b.applyChange(ctx, src, a, domain.Change{Kind: domain.SetProgress, Progress: &v}, q.ID, 0)
		done = w.t("typed.chosen", escape(a.TaskCode), w.t("upd.progress", v))
	} else {
		b.applyChange(ctx, src, a, domain.Change{Kind: domain.AddNote, Note: d.Text}, q.ID, 0)
		done = w.t("typed.chosen", escape(a.TaskCode), w.t("upd.note", escape(i18n.Shorten(d.Text, 300))))
	}
	b.editOrSend(w.Chat, msgID, done, nil)
	b.remember(ctx, w.Chat, msgID, AboutConfirm, refOf(a))
}

// refOf is an assignment's button ref.
func refOf(a domain.Assignment) string {
	if a.Ref != "" {
		return a.Ref
	}
	return domain.RefOf(a.ID)
}
