package bot

// Dates and edits: /setdue sets a due date on a conditional or unparsed
// task; /edittask changes a task's title, output or agencies. Every edit is
// recorded and shown in /task's history.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// editFields maps what an admin types to the field edited.
var editFields = map[string]string{
	"title": store.EditTitle, "ten": store.EditTitle, "tên": store.EditTitle,
	"output": store.EditOutput, "ketqua": store.EditOutput, "kếtquả": store.EditOutput,
	"lead": store.EditLead, "chutri": store.EditLead, "chủtrì": store.EditLead,
	"coord": store.EditCoord, "phoihop": store.EditCoord, "phốihợp": store.EditCoord,
}

func (w who) name() string {
	if w.Name != "" {
		return w.Name
	}
	return "@" + w.User
}

// cmdSetDue: /setdue <code> <date or phrase>.
func (b *Bot) cmdSetDue(ctx context.Context, w who, args string) {
	code, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	if code == "" || rest == "" || b.Plans == nil {
		b.reply(w.Chat, w.t("setdue.usage"))
		return
	}
	t, ok := b.taskFor(ctx, w, code)
	if !ok {
		return
	}
	switch t.Deadline.Kind {
	case deadline.Conditional, deadline.Unparsed, deadline.None:
	default:
		b.reply(w.Chat, w.t("setdue.has_deadline", escape(t.Code), escape(t.Deadline.Text)))
		return
	}
	var due deadline.Date
	if iso := isoDate(rest); iso != "" {
		due, _ = deadline.ParseDate(iso)
	} else if d := deadline.Parse(rest); d.Kind == deadline.Fixed {
		due = d.Due
	}
	if due.IsZero() {
		b.reply(w.Chat, w.t("setdue.unreadable", escape(rest)))
		return
	}
	if _, err := b.Plans.SetDueBy(ctx, t.Code, due, w.ID, w.name()); err != nil {
		b.fail(w, "set due", err)
		return
	}
	b.catalogChanged(ctx)
	b.reply(w.Chat, w.t("setdue.done", escape(t.Code), i18n.Date(due)))
}

// cmdEditTask: /edittask <code> title|output|lead|coord <value>.
func (b *Bot) cmdEditTask(ctx context.Context, w who, args string) {
	f := strings.Fields(args)
	if len(f) < 3 || b.Plans == nil {
		b.reply(w.Chat, w.t("edittask.usage"))
		return
	}
	field, ok := editFields[strings.ToLower(f[1])]
	if !ok {
		b.reply(w.Chat, w.t("edittask.usage"))
		return
	}
	value := strings.TrimSpace(args)[len(f[0]):]
	value = strings.TrimSpace(strings.TrimSpace(value)[len(f[1]):])
	if n := len([]rune(value)); n > maxNoteRunes {
		b.reply(w.Chat, w.t("err.note_too_long", n, maxNoteRunes))
		return
	}
	t, ok := b.taskFor(ctx, w, f[0])
	if !ok {
		return
	}
	_, n, err := b.Plans.EditTask(ctx, t.Code, field, value, w.ID, w.name())
	if errors.Is(err, store.ErrEditField) {
		b.reply(w.Chat, w.t("edittask.usage"))
		return
	}
	if err != nil {
		b.fail(w, "edit task", err)
		return
	}
	b.catalogChanged(ctx)
	b.reply(w.Chat, w.t("edittask.done", escape(t.Code), fieldText(w, field), escape(value), n.Inserted, n.Withdrawn))
}

// taskFor finds a task by code, telling the admin when there is none.
func (b *Bot) taskFor(ctx context.Context, w who, code string) (domain.Task, bool) {
	t, err := b.Catalog.Task(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		b.reply(w.Chat, w.t("task.unknown", escape(i18n.Shorten(code, 30))))
		return t, false
	}
	if err != nil {
		b.fail(w, "task", err)
		return t, false
	}
	return t, true
}

// editHistory adds a task's edits to /task's history.
func (b *Bot) editHistory(ctx context.Context, w who, sb *strings.Builder, code string) {
	if b.Plans == nil {
		return
	}
	edits, err := b.Plans.TaskEdits(ctx, code)
	if err != nil {
		b.log().Warn("task edits", "task", code, "err", err)
		return
	}
	if len(edits) == 0 {
		return
	}
	fmt.Fprintf(sb, "\n<b>%s</b>\n", w.t("edit.history"))
	for _, e := range edits {
		fmt.Fprintf(sb, "• %s — %s: %s: %s → %s\n", i18n.Time(e.At, b.Config.Location), escape(e.ByName), fieldText(w, e.Field),
			escape(i18n.Shorten(orElse(e.Before, "—"), 120)), escape(i18n.Shorten(e.After, 120)))
	}
}

// fieldText is the name of an edited field in w's language.
func fieldText(w who, field string) string {
	switch field {
	case store.EditTitle:
		return w.t("edit.field.title")
	case store.EditOutput:
		return w.t("edit.field.output")
	case store.EditLead:
		return w.t("edit.field.lead")
	case store.EditCoord:
		return w.t("edit.field.coord")
	case store.EditDue:
		return w.t("edit.field.due")
	}
	return field
}
