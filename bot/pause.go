package bot

import (
	"context"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
)

// VerbPause is the button that confirms a pause: Ref = days, Arg = substitute id (0 = none).
const VerbPause = "z"

// maxPauseDays bounds /pause.
const maxPauseDays = 90

// cmdPause pauses the officer's reminders for some days, asking which
// colleague receives them meanwhile.
func (b *Bot) cmdPause(ctx context.Context, w who, args string) {
	if w.Agency() == "" {
		b.reply(w.Chat, w.t("tasks.not_officer"))
		return
	}
	days, err := strconv.Atoi(strings.TrimSpace(args))
	if err != nil || days < 1 || days > maxPauseDays {
		b.reply(w.Chat, w.t("pause.usage", maxPauseDays))
		return
	}
	colleagues, err := b.People.Officers(ctx, w.Agency())
	if err != nil {
		b.fail(w, "officers", err)
		return
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, o := range colleagues {
		if o.TelegramID == w.ID || o.Role != domain.RoleOfficer {
			continue
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button("👤 "+i18n.Shorten(o.Name, 40),
			domain.Callback{Verb: VerbPause, Ref: itoa(days), Arg: strconv.FormatInt(o.TelegramID, 10)})))
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(w.t("pause.no_substitute"), domain.Callback{Verb: VerbPause, Ref: itoa(days), Arg: "0"})))
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	b.replyKB(w.Chat, w.t("pause.choose", days), &kb)
}

func (b *Bot) cbPause(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	days, err1 := strconv.Atoi(cb.Ref)
	sub, err2 := strconv.ParseInt(cb.Arg, 10, 64)
	if err1 != nil || err2 != nil || days < 1 || days > maxPauseDays || w.Agency() == "" {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	subName := ""
	if sub != 0 {
		o, err := b.People.Officer(ctx, sub)
		if err != nil || o.AgencyKey != w.Agency() || o.Role != domain.RoleOfficer || sub == w.ID {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		subName = o.Name
	}
	if !b.firstPress(ctx, w, q) { // one pause per choice
		return
	}
	until := b.pauseEnd(days)
	if err := b.People.Pause(ctx, w.ID, until, sub); err != nil {
		b.answer(q.ID, w.t("err.internal"), true)
		return
	}
	b.answer(q.ID, "", false)
	text := w.t("pause.until_day", b.pauseDay(until))
	if sub != 0 {
		text += "\n" + w.t("pause.substitute", escape(subName))
		b.reply(sub, b.textFor(ctx, sub, "pause.you_substitute", escape(w.Name), b.pauseDay(until)))
	}
	b.edit(w.Chat, msgID, text, nil)
}

// textFor renders a text in another linked user's language.
func (b *Bot) textFor(ctx context.Context, id int64, key string, args ...any) string {
	lang := ""
	if o, err := b.People.Officer(ctx, id); err == nil {
		lang = o.Lang
	}
	return who{Lang: i18n.For(lang)}.t(key, args...)
}
