package bot

// The task card, its history, how an update is described, and /task.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/store"
)

func (b *Bot) cbOpen(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	a, ok := b.allowed(ctx, w, q, cb.Ref, false)
	if !ok {
		return
	}
	b.answer(q.ID, "", false)
	b.showCard(ctx, w, a, 0, nil)
}

// showCard shows an assignment's card; msgID > 0 edits that message. last
// is the update just made (nil when the card is opened: it then becomes the
// officer's open task, where evidence goes).
func (b *Bot) showCard(ctx context.Context, w who, a domain.Assignment, msgID int, last *domain.Update) {
	t, err := b.task(ctx, a.TaskCode)
	if err != nil {
		b.fail(w, "load task", err)
		return
	}
	text, kb := b.card(ctx, w, t, a, last)
	if last == nil && w.Agency() == a.AgencyKey {
		if err := b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID}); err != nil {
			b.log().Warn("save session", "err", err)
		}
	}
	b.putCard(ctx, w, a, msgID, last != nil, text, kb)
}

// card renders an assignment with its buttons (buttons only for its officers).
func (b *Bot) card(ctx context.Context, w who, t domain.Task, a domain.Assignment, last *domain.Update) (string, *tgbotapi.InlineKeyboardMarkup) {
	ag := b.agency(ctx, a.AgencyKey)
	light := b.policy().LightOf(a, b.today(), b.Config.Location)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s <b>%s</b> · %s\n\n", lightIcon(light), escape(t.Code), escape(ag.Name))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.task"), escape(t.Title))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.role"), w.t("role."+string(a.Role)))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.deadline"), dueText(w, t.Deadline.Text, a.Due, b.today(), a.Status))
	if t.Output != "" {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.output"), escape(t.Output))
	}
	fmt.Fprintf(&sb, "<b>%s</b> %s · %d%%\n", w.t("card.status"), statusText(w.Lang, a.Status), a.Progress)
	if why := b.whyYellow(w, a, light); why != "" {
		sb.WriteString(why + "\n")
	}
	if a.Note != "" {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.note"), escape(a.Note))
	}
	if last == nil {
		if u, err := b.Assignments.LastUpdate(ctx, a); err == nil {
			last = &u
		}
	}
	if last != nil {
		fmt.Fprintf(&sb, "<b>%s</b> %s — %s: %s\n", w.t("card.last"), i18n.Time(last.At, b.Config.Location),
			escape(last.OfficerName), b.describe(w, *last))
	} else {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.last"), w.t("card.never"))
	}
	if w.Agency() != a.AgencyKey {
		return sb.String(), nil
	}
	sb.WriteString("\n" + w.t("card.hint"))
	st := func(s domain.Status) tgbotapi.InlineKeyboardButton {
		label := statusText(w.Lang, s)
		if a.Status == s {
			label = "✓ " + label
		}
		return button(label, domain.Callback{Verb: domain.VerbStatus, Ref: a.Ref, Arg: string(s)})
	}
	pr := func(v int) tgbotapi.InlineKeyboardButton {
		label := itoa(v) + "%"
		if a.Progress == v {
			label = "✓ " + label
		}
		return button(label, domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: itoa(v)})
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(st(domain.NotStarted), st(domain.InProgress)),
		tgbotapi.NewInlineKeyboardRow(st(domain.Done), st(domain.Blocked)),
		tgbotapi.NewInlineKeyboardRow(pr(25), pr(50), pr(75), pr(100),
			button("✍️ %", domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: "ask"})),
		tgbotapi.NewInlineKeyboardRow(
			button("📝 "+w.t("btn.note"), domain.Callback{Verb: domain.VerbNote, Ref: a.Ref}),
			button("↩️ "+w.t("btn.correct"), domain.Callback{Verb: domain.VerbCorrect, Ref: a.Ref})),
		tgbotapi.NewInlineKeyboardRow(
			button("🕘 "+w.t("btn.history"), domain.Callback{Verb: domain.VerbHistory, Ref: a.Ref}),
			button("📋 "+w.t("btn.list"), domain.Callback{Verb: domain.VerbList, Ref: "0"})),
	)
	return sb.String(), &kb
}

// describe says what an update did, in the reader's language.
func (b *Bot) describe(w who, u domain.Update) string {
	switch u.Kind {
	case domain.SetStatus:
		return w.t("upd.status", statusText(w.Lang, u.After.Status))
	case domain.SetProgress:
		return w.t("upd.progress", u.After.Progress)
	case domain.AddNote:
		return w.t("upd.note", escape(i18n.Shorten(u.Note, 300)))
	case domain.AddEvidence:
		name := ""
		if u.Evidence != nil {
			name = u.Evidence.Name
		}
		return w.t("upd.evidence", escape(name))
	case domain.Correction:
		return b.describeCorrection(w, u)
	}
	return string(u.Kind)
}

func (b *Bot) showHistory(ctx context.Context, w who, a domain.Assignment) {
	h, err := b.Assignments.AssignmentHistory(ctx, a.ID, 20)
	if err != nil {
		b.fail(w, "history", err)
		return
	}
	var sb strings.Builder
	sb.WriteString(w.t("history.header", escape(a.TaskCode)) + "\n")
	if len(h) == 0 {
		sb.WriteString(w.t("card.never"))
	}
	for _, u := range h {
		mark := ""
		if u.Corrected {
			mark = " " + w.t("history.corrected")
		}
		fmt.Fprintf(&sb, "• %s — %s: %s%s\n", i18n.Time(u.At, b.Config.Location), escape(u.OfficerName), b.describe(w, u), mark)
	}
	b.reply(w.Chat, sb.String())
}

// cmdTask shows one task: to its officers their card with buttons, to
// leaders and admins every assignment and the update history.
func (b *Bot) cmdTask(ctx context.Context, w who, args string) {
	if args == "" {
		b.reply(w.Chat, w.t("task.usage"))
		return
	}
	code := strings.Fields(args)[0]
	readOnly := false
	t, err := b.Catalog.Task(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		b.reply(w.Chat, w.t("task.unknown", escape(i18n.Shorten(code, 30))))
		return
	}
	if err != nil {
		b.fail(w, "task", err)
		return
	}
	if key := w.Agency(); key != "" && !w.Sees() {
		a, err := b.Assignments.Assignment(ctx, domain.AssignmentID(t.Code, key))
		if err == nil && !a.Withdrawn {
			b.showCard(ctx, w, a, 0, nil)
			return
		}
		readOnly = true // another agency's task: shown, not changed
	}
	in, err := b.agencyInput(ctx, "")
	if err != nil {
		b.fail(w, "task", err)
		return
	}
	var view *report.TaskView
	for _, v := range report.Tasks(in, report.Filter{PlanKey: t.PlanKey}) {
		if v.Task.Code == t.Code {
			view = &v
			break
		}
	}
	var sb strings.Builder
	if readOnly {
		sb.WriteString(w.t("task.read_only") + "\n\n")
	}
	if view == nil { // its plan is closed
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", escape(t.Code), escape(t.Title))
	} else {
		fmt.Fprintf(&sb, "%s <b>%s</b> · %s · %d%%\n\n", lightIcon(view.Light), escape(t.Code), statusText(w.Lang, view.Status), view.Progress)
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.task"), escape(t.Title))
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.deadline"), dueText(w, t.Deadline.Text, view.Due, b.today(), view.Status))
		if t.Output != "" {
			fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.output"), escape(t.Output))
		}
		if view.LatestNote != "" {
			fmt.Fprintf(&sb, "<b>%s</b> %s (%s, %s)\n", w.t("card.note"), escape(view.LatestNote), escape(view.LatestNoteBy), i18n.Time(view.LatestNoteAt, b.Config.Location))
		}
		for _, part := range []struct {
			key string
			as  []report.AssignmentView
		}{{"task.lead", view.Lead}, {"task.coordinating", view.Coordinating}} {
			if len(part.as) == 0 {
				continue
			}
			fmt.Fprintf(&sb, "\n<b>%s</b>\n", w.t(part.key))
			for _, a := range part.as {
				fmt.Fprintf(&sb, "%s %s — %s · %d%%\n", lightIcon(a.Light), escape(a.Agency.Name), statusText(w.Lang, a.Assignment.Status), a.Assignment.Progress)
			}
		}
	}
	h, err := b.Assignments.History(ctx, t.Code, 15)
	if err == nil {
		fmt.Fprintf(&sb, "\n<b>%s</b>\n", w.t("task.history"))
		if len(h) == 0 {
			sb.WriteString(w.t("card.never") + "\n")
		}
		names := map[string]string{}
		for _, a := range in.Agencies {
			names[a.Key] = a.Name
		}
		for _, u := range h {
			fmt.Fprintf(&sb, "• %s — %s (%s): %s\n", i18n.Time(u.At, b.Config.Location), escape(u.OfficerName), escape(names[u.AgencyKey]), b.describe(w, u))
		}
	}
	b.editHistory(ctx, w, &sb, t.Code) // issue 10: edits by coordinators
	b.reply(w.Chat, sb.String())
}
