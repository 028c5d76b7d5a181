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

// editStore sets due dates and edits tasks, each edit recorded
// (*store.Store: store/taskedits.go; nil: not available).
type editStore interface {
	SetDueBy(ctx context.Context, code string, due deadline.Date, by int64, byName string) (domain.Task, error)
	EditTask(ctx context.Context, code, field, value string, by int64, byName string) (domain.Task, store.Counts, error)
	TaskEdits(ctx context.Context, code string) ([]store.TaskEdit, error)
}

type taskEdits struct {
	*core
	store      editStore // nil: not available
	extensions *extensions
}

// editFields maps what an admin types to the field edited.
var editFields = map[string]string{
	"title": store.EditTitle, "ten": store.EditTitle, "tên": store.EditTitle,
	"output": store.EditOutput, "ketqua": store.EditOutput, "kếtquả": store.EditOutput,
	"lead": store.EditLead, "chutri": store.EditLead, "chủtrì": store.EditLead,
	"coord": store.EditCoord, "phoihop": store.EditCoord, "phốihợp": store.EditCoord,
}

// setDue: /setdue <code> <date or phrase>.
func (f *taskEdits) setDue(ctx context.Context, w who, args string) error {
	code, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	rest = strings.TrimSpace(rest)
	if code == "" || rest == "" || f.store == nil {
		w.reply(w.t("setdue.usage"))
		return nil
	}
	t, ok, err := f.taskFor(ctx, w, code)
	if !ok {
		return err
	}
	switch t.Deadline.Kind {
	case deadline.Conditional, deadline.Unparsed, deadline.None:
	default:
		// A task with the plan's date: an extension of its parts, with a
		// reason (extensions.go): the date, then the reason.
		due, reason := dateThenReason(rest)
		if due.IsZero() {
			w.reply(w.t("setdue.unreadable", escape(rest)))
			return nil
		}
		if f.extensions == nil || f.extensions.store == nil {
			w.reply(w.t("setdue.has_deadline", escape(t.Code), escape(t.Deadline.Text)))
			return nil
		}
		return f.extensions.setDueDated(ctx, w, t, due, reason)
	}
	due := readDate(rest)
	if due.IsZero() {
		w.reply(w.t("setdue.unreadable", escape(rest)))
		return nil
	}
	if _, err := f.store.SetDueBy(ctx, t.Code, due, w.ID, w.name()); err != nil {
		return fmt.Errorf("set due: %w", err)
	}
	f.catalog.changed(ctx)
	w.reply(w.t("setdue.done", escape(t.Code), i18n.Date(due)))
	return nil
}

// dateThenReason splits "<date or phrase> <reason>": the shortest run of
// leading words that reads as a date, then the rest.
func dateThenReason(s string) (deadline.Date, string) {
	words := strings.Fields(s)
	for k := 1; k <= len(words); k++ {
		if d := readDate(strings.Join(words[:k], " ")); !d.IsZero() {
			return d, strings.TrimSpace(strings.Join(words[k:], " "))
		}
	}
	return deadline.Date{}, ""
}

// edit: /edittask <code> title|output|lead|coord <value>.
func (f *taskEdits) edit(ctx context.Context, w who, args string) error {
	words := strings.Fields(args)
	if len(words) < 3 || f.store == nil {
		w.reply(w.t("edittask.usage"))
		return nil
	}
	field, ok := editFields[strings.ToLower(words[1])]
	if !ok {
		w.reply(w.t("edittask.usage"))
		return nil
	}
	value := strings.TrimSpace(args)[len(words[0]):]
	value = strings.TrimSpace(strings.TrimSpace(value)[len(words[1]):])
	if n := len([]rune(value)); n > maxNoteRunes {
		w.reply(w.t("err.note_too_long", n, maxNoteRunes))
		return nil
	}
	t, ok, err := f.taskFor(ctx, w, words[0])
	if !ok {
		return err
	}
	_, n, err := f.store.EditTask(ctx, t.Code, field, value, w.ID, w.name())
	if errors.Is(err, store.ErrEditField) {
		w.reply(w.t("edittask.usage"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("edit task: %w", err)
	}
	f.catalog.changed(ctx)
	w.reply(w.t("edittask.done", escape(t.Code), fieldText(w, field), escape(value), n.Inserted, n.Withdrawn))
	return nil
}

// taskFor finds a task by code, telling the admin when there is none.
func (f *taskEdits) taskFor(ctx context.Context, w who, code string) (domain.Task, bool, error) {
	t, err := f.catalog.store.Task(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		w.reply(w.t("task.unknown", escape(i18n.Shorten(code, 30))))
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("task: %w", err)
	}
	return t, true, nil
}

// history adds a task's edits to /task's history.
func (f *taskEdits) history(ctx context.Context, w who, sb *strings.Builder, code string) {
	if f.store == nil {
		return
	}
	edits, err := f.store.TaskEdits(ctx, code)
	if err != nil {
		f.log.Warn("task edits", "task", code, "err", err)
		return
	}
	if len(edits) == 0 {
		return
	}
	fmt.Fprintf(sb, "\n<b>%s</b>\n", w.t("edit.history"))
	for _, e := range edits {
		fmt.Fprintf(sb, "• %s — %s: %s: %s → %s\n", i18n.Time(e.At, f.cfg.Location), escape(e.ByName), fieldText(w, e.Field),
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
