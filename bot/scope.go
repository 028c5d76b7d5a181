package bot

// What a leader types after /summary, /overdue, /duesoon, /chart and
// /export: an agency, a plan, or both ("Sở Y tế 2026", "Kế hoạch năm 2026
// Sở Tư pháp"); a partial name that matches several agencies offers buttons.

import (
	"context"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// VerbScope is the button that picks one agency for a leader's command:
// Ref = agency key, Arg = command name + "~" + plan key.
const VerbScope = "sc"

// VerbTask is the button that opens a task (read-only for a leader, or an
// officer's card of another agency): Ref = task code.
const VerbTask = "tk"

// scope is the result of reading a leader's argument.
type scope struct {
	f       report.Filter
	choices []agency.Agency // several agencies match: ask
	ok      bool
}

// parseScope reads arg against the plans in and the agency index: the
// plan may be written before or after the agency, as a year, code, number
// or as the bot names it ("Kế hoạch năm 2026").
func (b *Bot) parseScope(ctx context.Context, in report.Input, arg string) (scope, error) {
	words := strings.Fields(arg)
	if len(words) == 0 {
		return scope{ok: true}, nil
	}
	var f report.Filter
	rest := words
	// the longest plan phrase at the end, else at the start
	found := false
	for k := len(words); k >= 1 && !found; k-- {
		if pf, ok := report.ParseScope(in.Plans, nil, strings.Join(words[len(words)-k:], " ")); ok && pf.PlanKey != "" {
			f.PlanKey, rest, found = pf.PlanKey, words[:len(words)-k], true
		} else if pf, ok := report.ParseScope(in.Plans, nil, strings.Join(words[:k], " ")); ok && pf.PlanKey != "" {
			f.PlanKey, rest, found = pf.PlanKey, words[k:], true
		}
	}
	if len(rest) == 0 {
		return scope{f: f, ok: true}, nil
	}
	ix, err := b.Catalog.AgencyIndex(ctx)
	if err != nil {
		return scope{}, err
	}
	name := strings.Join(rest, " ")
	if a, ok := ix.Match(name); ok {
		f.AgencyKey = a.Key
		return scope{f: f, ok: true}, nil
	}
	hits := ix.Search(name)
	switch {
	case len(hits) == 0:
		return scope{}, nil
	case len(hits) == 1:
		f.AgencyKey = hits[0].Key
		return scope{f: f, ok: true}, nil
	}
	if len(hits) > 10 {
		hits = hits[:10]
	}
	return scope{f: f, choices: hits}, nil
}

// scopeOrAsk reads the argument of a leader's command; when it names
// nothing it says so, when it names several agencies it offers them as
// buttons (pressing one runs cmd again for that agency); ok is false then.
func (b *Bot) scopeOrAsk(ctx context.Context, w who, in report.Input, cmd, arg string) (report.Filter, bool) {
	sc, err := b.parseScope(ctx, in, arg)
	if err != nil {
		b.fail(w, cmd+" scope", err)
		return report.Filter{}, false
	}
	if sc.ok {
		return sc.f, true
	}
	if len(sc.choices) == 0 {
		b.reply(w.Chat, w.t("scope.unknown", escape(i18n.Shorten(arg, 60)), cmd))
		return report.Filter{}, false
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, h := range sc.choices {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(i18n.Shorten(h.Name, 60),
			domain.Callback{Verb: VerbScope, Ref: h.Key, Arg: cmd + "~" + sc.f.PlanKey})))
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	b.replyKB(w.Chat, w.t("scope.choose", escape(i18n.Shorten(arg, 60))), &kb)
	return report.Filter{}, false
}

// cbScope runs a leader's command for the agency picked from the buttons.
func (b *Bot) cbScope(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback) {
	if w.audience()&Leaders == 0 {
		b.answer(q.ID, w.t("err.leaders_only"), true)
		return
	}
	cmd, planKey, _ := strings.Cut(cb.Arg, "~")
	if _, err := b.Catalog.Agency(ctx, cb.Ref); err != nil {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	b.answer(q.ID, "", false)
	f := report.Filter{AgencyKey: cb.Ref, PlanKey: planKey}
	switch cmd {
	case "summary":
		b.summary(ctx, w, f)
	case "overdue":
		b.overdue(ctx, w, f)
	case "duesoon":
		b.dueSoon(ctx, w, f, b.Config.SoonDays)
	case "chart":
		b.sendChart(ctx, w, f)
	case "export":
		b.sendExport(ctx, w, f)
	}
}

// cbTask opens a task from a list's or an alert's button.
func (b *Bot) cbTask(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback) {
	b.answer(q.ID, "", false)
	b.cmdTask(ctx, w, cb.Ref)
}

// taskButtons are one button per task (at most 20) that opens it.
func taskButtons(views []report.TaskView) *tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	for i, v := range views {
		if i == 20 {
			break
		}
		row = append(row, button("🔎 "+v.Task.Code, domain.Callback{Verb: VerbTask, Ref: v.Task.Code}))
		if len(row) == 4 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb
}

// openTaskKB is the one button under an alert that opens its task.
func openTaskKB(w who, code string) *tgbotapi.InlineKeyboardMarkup {
	kb := inlineKeyboard(openTaskButtons(w, code))
	return &kb
}

// openTaskButtons is openTaskKB as domain buttons, for messages that go
// through the outbox.
func openTaskButtons(w who, code string) [][]domain.Button {
	return [][]domain.Button{{{Text: "🔎 " + w.t("btn.open_task", code), Data: domain.Callback{Verb: VerbTask, Ref: code}.Encode()}}}
}
