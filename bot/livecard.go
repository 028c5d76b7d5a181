package bot

// One live card per task and chat: a change made by typing redraws the card
// the officer was using; a newly sent card takes the buttons away from the
// previous one, so no older card offers buttons with stale figures.

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
)

// putCard shows a rendered card: in message msgID when set; else, after a
// change (changed), in the live card of the task; else as a new message.
// The card shown becomes the live one and the previous live card loses its
// buttons.
func (b *Bot) putCard(ctx context.Context, w who, a domain.Assignment, msgID int, changed bool, text string, kb *tgbotapi.InlineKeyboardMarkup) {
	live := 0
	if kb != nil && b.Abouts != nil {
		var err error
		if live, err = b.Abouts.LiveCard(ctx, w.Chat, a.ID); err != nil {
			b.log().Warn("load live card", "err", err)
		}
	}
	if msgID == 0 && changed {
		msgID = live
	}
	var shown int
	if msgID > 0 {
		shown = b.editOrSend(w.Chat, msgID, text, kb)
	} else {
		shown = b.replyKB(w.Chat, text, kb).MessageID
	}
	ref := a.Ref
	if ref == "" {
		ref = domain.RefOf(a.ID)
	}
	b.remember(ctx, w.Chat, shown, AboutCard, ref)
	if kb == nil || b.Abouts == nil || shown == 0 {
		return
	}
	if live != 0 && live != shown {
		b.stripButtons(w.Chat, live)
	}
	if live != shown {
		if err := b.Abouts.SetLiveCard(ctx, w.Chat, a.ID, shown); err != nil {
			b.log().Warn("save live card", "err", err)
		}
	}
}

// editOrSend replaces a message's text and keyboard and returns its id; when
// that fails (the message is gone, or the text too long for one message) it
// sends the text anew and returns the new message's id.
func (b *Bot) editOrSend(chat int64, msgID int, text string, kb *tgbotapi.InlineKeyboardMarkup) int {
	if i18n.UTF16Len(text) <= maxMessage {
		e := tgbotapi.NewEditMessageText(chat, msgID, text)
		e.ParseMode = tgbotapi.ModeHTML
		e.DisableWebPagePreview = true
		e.ReplyMarkup = kb
		if _, err := b.call(e); err == nil || isNotModified(err) {
			return msgID
		}
	}
	return b.replyKB(chat, text, kb).MessageID
}

// stripButtons takes the inline keyboard away from a message.
func (b *Bot) stripButtons(chat int64, msgID int) {
	e := tgbotapi.NewEditMessageReplyMarkup(chat, msgID, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	_, _ = b.call(e)
}
