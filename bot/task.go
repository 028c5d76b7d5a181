package bot

// /task <code>: to its officers their card with buttons, to leaders and
// admins every assignment and the update history, to an officer of another
// agency the same, read-only.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/store"
)

// taskViewStore is what /task reads besides the roll-up (*store.Store).
type taskViewStore interface {
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
	History(ctx context.Context, taskCode string, limit int) ([]domain.Update, error)
}

type taskView struct {
	*core
	store      taskViewStore
	cards      *cards
	edits      *taskEdits
	extensions *extensions
}

// opened opens a task from a list's or an alert's button.
func (f *taskView) opened(ctx context.Context, w who, cb domain.Callback) error {
	w.answer("", false)
	return f.show(ctx, w, cb.Ref)
}

// show shows one task.
func (f *taskView) show(ctx context.Context, w who, args string) error {
	if args == "" {
		w.reply(w.t("task.usage"))
		return nil
	}
	code := strings.Fields(args)[0]
	readOnly := false
	t, err := f.catalog.store.Task(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		w.reply(w.t("task.unknown", escape(i18n.Shorten(code, 30))))
		return nil
	}
	if err != nil {
		return fmt.Errorf("task: %w", err)
	}
	if key := w.Agency(); key != "" && !w.Sees() {
		a, err := f.store.Assignment(ctx, domain.AssignmentID(t.Code, key))
		if err == nil && !a.Withdrawn {
			return f.cards.show(ctx, w, a, 0, nil)
		}
		readOnly = true // another agency's task: shown, not changed
	}
	in, err := f.agencyInput(ctx, "")
	if err != nil {
		return fmt.Errorf("task: %w", err)
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
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.deadline"), dueText(w, taskDueLabel(w, *view), view.Due, f.today(), view.Status))
		if t.Output != "" {
			fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.output"), escape(t.Output))
		}
		if view.LatestNote != "" {
			fmt.Fprintf(&sb, "<b>%s</b> %s (%s, %s)\n", w.t("card.note"), escape(view.LatestNote), escape(view.LatestNoteBy), i18n.Time(view.LatestNoteAt, f.cfg.Location))
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
				fmt.Fprintf(&sb, "%s %s — %s · %d%%\n", lightIcon(a.Light), escape(a.Agency.Name), shownStatus(w, a.Assignment.Status, a.Waiting), a.Assignment.Progress)
			}
		}
	}
	h, err := f.store.History(ctx, t.Code, 15)
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
			fmt.Fprintf(&sb, "• %s — %s (%s): %s\n", i18n.Time(u.At, f.cfg.Location), escape(u.OfficerName), escape(names[u.AgencyKey]), describe(w, u))
		}
	}
	f.edits.history(ctx, w, &sb, t.Code) // edits by coordinators
	if f.extensions.store != nil {
		f.extensions.history(ctx, w, &sb, t.Code, "") // extensions of its parts
	}
	w.replyKB(sb.String(), evidenceButtons(w, h))
	return nil
}
