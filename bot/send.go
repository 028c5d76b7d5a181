package bot

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
)

// maxSendTries bounds retries of one interactive reply (429s, 5xx and
// dropped connections).
const maxSendTries = 4

// call performs one Bot API request. Failures are classified as the
// outbox's sends are (classify): a 429 is waited out, a 5xx or a dropped
// connection is retried briefly, anything else (400, 403) is final. Errors
// are logged once here, with the token removed.
func (b *Bot) call(c tgbotapi.Chattable) (tgbotapi.Message, error) {
	var err error
	for try := 0; try < maxSendTries; try++ {
		var resp *tgbotapi.APIResponse
		resp, err = b.API.Request(c)
		if err == nil {
			var m tgbotapi.Message
			if resp != nil && len(resp.Result) > 0 && resp.Result[0] == '{' {
				_ = jsonUnmarshal(resp.Result, &m)
			}
			return m, nil
		}
		se, _ := domain.AsSendError(classify(err, ""))
		switch {
		case se.RetryAfter > 0:
			time.Sleep(se.RetryAfter)
		case se.Temporary:
			time.Sleep(time.Duration(200*(try+1)) * time.Millisecond)
		default:
			try = maxSendTries // 400/403: retrying will not help
		}
	}
	if err != nil && !isNotModified(err) {
		b.log().Warn("bot API call failed", "request", fmt.Sprintf("%T", c), "err", err)
	}
	return tgbotapi.Message{}, err
}

func isNotModified(err error) bool {
	return err != nil && strings.Contains(err.Error(), "message is not modified")
}

// reply sends an HTML text to a chat, split into several messages when it is
// longer than Telegram allows. It returns the last message sent.
func (b *Bot) reply(chat int64, text string) tgbotapi.Message {
	var last tgbotapi.Message
	for _, part := range splitMessage(text, maxMessage) {
		m := tgbotapi.NewMessage(chat, part)
		m.ParseMode = tgbotapi.ModeHTML
		m.DisableWebPagePreview = true
		last, _ = b.call(m)
	}
	return last
}

// replyKB sends a text with an inline keyboard (kept on the last part).
func (b *Bot) replyKB(chat int64, text string, kb *tgbotapi.InlineKeyboardMarkup) tgbotapi.Message {
	parts := splitMessage(text, maxMessage)
	var last tgbotapi.Message
	for i, part := range parts {
		m := tgbotapi.NewMessage(chat, part)
		m.ParseMode = tgbotapi.ModeHTML
		m.DisableWebPagePreview = true
		if i == len(parts)-1 && kb != nil {
			m.ReplyMarkup = *kb
		}
		last, _ = b.call(m)
	}
	return last
}

// ask sends a question whose answer the user types (ForceReply).
func (b *Bot) ask(chat int64, text, placeholder string) tgbotapi.Message {
	m := tgbotapi.NewMessage(chat, text)
	m.ParseMode = tgbotapi.ModeHTML
	m.ReplyMarkup = tgbotapi.ForceReply{ForceReply: true, InputFieldPlaceholder: placeholder, Selective: true}
	msg, _ := b.call(m)
	return msg
}

// edit replaces a message's text and keyboard; when the text is too long for
// one message it sends a new one instead.
func (b *Bot) edit(chat int64, msgID int, text string, kb *tgbotapi.InlineKeyboardMarkup) {
	if i18n.UTF16Len(text) > maxMessage {
		b.replyKB(chat, text, kb)
		return
	}
	e := tgbotapi.NewEditMessageText(chat, msgID, text)
	e.ParseMode = tgbotapi.ModeHTML
	e.DisableWebPagePreview = true
	e.ReplyMarkup = kb
	if _, err := b.call(e); err != nil && !isNotModified(err) {
		b.replyKB(chat, text, kb) // the message may be gone: send it anew
	}
}

// answer answers a button press; alert shows a dialog instead of a toast.
func (b *Bot) answer(id, text string, alert bool) {
	c := tgbotapi.NewCallback(id, plainText(text)) // pop-ups are plain text, never HTML
	c.ShowAlert = alert
	_, _ = b.call(c)
}

func itoa(v int) string { return strconv.Itoa(v) }

// fail tells the user something went wrong on our side and logs why.
func (b *Bot) fail(w who, what string, err error) {
	b.log().Error(what, "user", w.ID, "err", err)
	b.reply(w.Chat, w.t("err.internal"))
}
