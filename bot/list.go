package bot

// The task list (/tasks) and its pages.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// pageSize is how many tasks one page of /tasks shows.
const pageSize = 8

// cmdTasks lists the officer's agency's open assignments, most urgent first.
// msgID > 0 edits that message (paging) instead of sending a new one.
func (b *Bot) cmdTasks(ctx context.Context, w who, page, msgID int) {
	key := w.Agency()
	if key == "" {
		b.reply(w.Chat, w.t("tasks.not_officer"))
		return
	}
	in, err := b.agencyInput(ctx, key)
	if err != nil {
		b.fail(w, "list tasks", err)
		return
	}
	items := report.AgencyTasks(in, key)
	ag, _ := b.Catalog.Agency(ctx, key)
	if len(items) == 0 {
		b.reply(w.Chat, w.t("tasks.none", escape(ag.Name)))
		return
	}
	pages := (len(items) + pageSize - 1) / pageSize
	page = max(0, min(page, pages-1))
	var sb strings.Builder
	sb.WriteString(w.t("tasks.header", escape(ag.Name), len(items)))
	if pages > 1 {
		sb.WriteString(" " + w.t("tasks.page", page+1, pages))
	}
	sb.WriteString("\n\n")
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, it := range items[page*pageSize : min(len(items), (page+1)*pageSize)] {
		a, t := it.Assignment, it.Task
		fmt.Fprintf(&sb, "%s <b>%s</b> %s\n    ⏱ %s\n", lightIcon(it.Light), escape(t.Code), escape(i18n.Shorten(t.Title, 90)),
			dueText(w, t.Deadline.Text, a.Due, b.today(), a.Status))
		label := fmt.Sprintf("%s %s · %s", lightIcon(it.Light), t.Code, i18n.Shorten(t.Title, 28))
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(label, domain.Callback{Verb: domain.VerbOpen, Ref: a.Ref})))
	}
	if pages > 1 {
		var nav []tgbotapi.InlineKeyboardButton
		if page > 0 {
			nav = append(nav, button("◀️ "+w.t("btn.prev"), domain.Callback{Verb: domain.VerbList, Ref: itoa(page - 1)}))
		}
		if page < pages-1 {
			nav = append(nav, button(w.t("btn.next")+" ▶️", domain.Callback{Verb: domain.VerbList, Ref: itoa(page + 1)}))
		}
		rows = append(rows, nav)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	if msgID > 0 {
		b.edit(w.Chat, msgID, sb.String(), &kb)
		return
	}
	b.replyKB(w.Chat, sb.String(), &kb)
}

func button(text string, cb domain.Callback) tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardButtonData(text, cb.Encode())
}

func (b *Bot) cbList(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	page, err := strconv.Atoi(cb.Ref)
	if err != nil || page < 0 || page > 1000 {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	b.answer(q.ID, "", false)
	b.cmdTasks(ctx, w, page, msgID)
}
