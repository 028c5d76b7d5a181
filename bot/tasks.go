package bot

// The task list (/tasks) and its pages.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// pageSize is how many tasks one page of /tasks shows.
const pageSize = 8

// taskList reads the roll-up and the catalog only.
type taskList struct {
	*core
	targets targetStore
}

// list lists the officer's agency's open assignments, most urgent first.
// msgID > 0 edits that message (paging) instead of sending a new one.
func (f *taskList) list(ctx context.Context, w who, page, msgID int) error {
	key := w.Agency()
	if key == "" {
		w.reply(w.t("tasks.not_officer"))
		return nil
	}
	in, err := f.agencyInput(ctx, key)
	if err != nil {
		return fmt.Errorf("list tasks: %w", err)
	}
	items := report.AgencyTasks(in, key)
	ag, _ := f.catalog.store.Agency(ctx, key)
	if len(items) == 0 {
		var rows [][]domain.Button
		if row := f.targetsRow(ctx, w); row != nil {
			rows = append(rows, row)
		}
		w.replyKB(w.t("tasks.none", escape(ag.Name)), rows)
		return nil
	}
	pages := (len(items) + pageSize - 1) / pageSize
	page = max(0, min(page, pages-1))
	var sb strings.Builder
	sb.WriteString(w.t("tasks.header", escape(ag.Name), len(items)))
	if pages > 1 {
		sb.WriteString(" " + w.t("tasks.page", page+1, pages))
	}
	sb.WriteString("\n\n")
	var rows [][]domain.Button
	for _, it := range items[page*pageSize : min(len(items), (page+1)*pageSize)] {
		a, t := it.Assignment, it.Task
		fmt.Fprintf(&sb, "%s <b>%s</b> %s\n    ⏱ %s\n", lightIcon(it.Light), escape(t.Code), escape(i18n.Shorten(t.Title, 90)),
			dueText(w, t.Deadline.Text, a.Due, f.today(), a.Status))
		label := fmt.Sprintf("%s %s · %s", lightIcon(it.Light), t.Code, i18n.Shorten(t.Title, 28))
		rows = append(rows, []domain.Button{button(label, domain.Callback{Verb: domain.VerbOpen, Ref: a.Ref})})
	}
	if pages > 1 {
		var nav []domain.Button
		if page > 0 {
			nav = append(nav, button("◀️ "+w.t("btn.prev"), domain.Callback{Verb: domain.VerbList, Ref: itoa(page - 1)}))
		}
		if page < pages-1 {
			nav = append(nav, button(w.t("btn.next")+" ▶️", domain.Callback{Verb: domain.VerbList, Ref: itoa(page + 1)}))
		}
		rows = append(rows, nav)
	}
	if row := f.targetsRow(ctx, w); row != nil {
		rows = append(rows, row)
	}
	if msgID > 0 {
		w.edit(msgID, sb.String(), rows)
		return nil
	}
	w.replyKB(sb.String(), rows)
	return nil
}

// targetsRow is the button to the agency's targets (chỉ tiêu) under
// /tasks, when the agency reports some.
func (f *taskList) targetsRow(ctx context.Context, w who) []domain.Button {
	if f.targets == nil {
		return nil
	}
	list, err := f.targets.Targets(ctx)
	if err != nil {
		f.log.Warn("targets under /tasks", "err", err)
		return nil
	}
	n := 0
	for _, t := range list {
		if t.Agency == w.Agency() {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return []domain.Button{button("📊 "+w.t("ct.btn_mine", n), domain.Callback{Verb: domain.VerbTarget, Ref: "-", Arg: "m"})}
}

// page turns a page of /tasks in place.
func (f *taskList) page(ctx context.Context, w who, cb domain.Callback) error {
	page, err := strconv.Atoi(cb.Ref)
	if err != nil || page < 0 || page > 1000 {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	w.answer("", false)
	return f.list(ctx, w, page, w.pressed())
}
