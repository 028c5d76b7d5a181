package bot

import (
	"context"
	"strconv"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// firstPress claims the choice message a button is on: the first press
// goes on, any later press (of any of its buttons) is told it was done and
// changes nothing. The message loses its buttons.
func (b *Bot) firstPress(ctx context.Context, w who, q *tgbotapi.CallbackQuery) bool {
	if b.Abouts == nil || q.Message == nil {
		return true
	}
	key := "choice:" + strconv.FormatInt(q.Message.Chat.ID, 10) + ":" + itoa(q.Message.MessageID)
	ok, err := b.Abouts.ClaimOnce(ctx, key)
	if err != nil {
		b.log().Error("claim a choice", "err", err)
		b.answer(q.ID, w.t("err.internal"), true)
		return false
	}
	if !ok {
		b.answer(q.ID, w.t("ok.choice_done"), true)
		b.stripButtons(q.Message.Chat.ID, q.Message.MessageID)
		return false
	}
	return true
}
