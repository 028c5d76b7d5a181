package telegram

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
)

// Sender sends the program's own messages (reminders, digests, alerts: the
// outbox's) through the Bot API and classifies failures for the
// dispatcher. It sends one message per call and never retries by itself.
type Sender struct {
	API *tgbotapi.BotAPI
	// Sent, when set, is told of every message delivered, with the id
	// Telegram gave it (the bot records which tasks it is about, so that a
	// reply to it is a note on that task). A failure there costs only that
	// recognition, never a second send.
	Sent func(ctx context.Context, m domain.Outgoing, messageID int)
}

// NewSender connects a Sender (for the scheduler and its tests).
func NewSender(token, endpoint string, client *http.Client) (*Sender, error) {
	api, err := NewAPI(token, endpoint, client)
	if err != nil {
		return nil, err
	}
	return &Sender{API: api}, nil
}

// Send delivers m: a text message (sendMessage), or with m.File a photo
// (sendPhoto) or a document (sendDocument) with m.Text as its caption.
// Failures come back as *domain.SendError naming the method and chat:
// RetryAfter set for 429, Forbidden for 403, Temporary for 5xx and network
// errors.
func (s *Sender) Send(ctx context.Context, m domain.Outgoing) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var markup any
	if len(m.Buttons) > 0 {
		markup = inlineKeyboard(m.Buttons)
	}
	var (
		c      tgbotapi.Chattable
		method = "sendMessage"
	)
	switch {
	case m.File == nil:
		msg := tgbotapi.NewMessage(m.ChatID, m.Text)
		msg.ParseMode = tgbotapi.ModeHTML
		msg.DisableWebPagePreview = true
		msg.DisableNotification = m.Silent
		msg.ReplyMarkup = markup
		c = msg
	case len(m.File.Data) == 0:
		return &domain.SendError{Method: "send" + m.File.Kind, ChatID: m.ChatID, Err: errors.New("attachment without its bytes")}
	case m.File.Kind == domain.AttachPhoto:
		method = "sendPhoto"
		p := tgbotapi.NewPhoto(m.ChatID, tgbotapi.FileBytes{Name: m.File.Name, Bytes: m.File.Data})
		p.Caption, p.ParseMode, p.DisableNotification, p.ReplyMarkup = m.Text, tgbotapi.ModeHTML, m.Silent, markup
		c = p
	default:
		method = "sendDocument"
		d := tgbotapi.NewDocument(m.ChatID, tgbotapi.FileBytes{Name: m.File.Name, Bytes: m.File.Data})
		d.Caption, d.ParseMode, d.DisableNotification, d.ReplyMarkup = m.Text, tgbotapi.ModeHTML, m.Silent, markup
		c = d
	}
	sent, err := s.API.Send(c)
	if err := classify(err, s.API.Token); err != nil {
		se, _ := domain.AsSendError(err)
		se.Method, se.ChatID = method, m.ChatID
		return se
	}
	if s.Sent != nil {
		s.Sent(ctx, m, sent.MessageID)
	}
	return nil
}

// inlineKeyboard turns rows of domain buttons into Telegram's markup: the
// one place the project's keyboards become Telegram's.
func inlineKeyboard(rows [][]domain.Button) tgbotapi.InlineKeyboardMarkup {
	kb := make([][]tgbotapi.InlineKeyboardButton, 0, len(rows))
	for _, r := range rows {
		row := make([]tgbotapi.InlineKeyboardButton, 0, len(r))
		for _, b := range r {
			row = append(row, tgbotapi.NewInlineKeyboardButtonData(b.Text, b.Data))
		}
		kb = append(kb, row)
	}
	return tgbotapi.NewInlineKeyboardMarkup(kb...)
}

// classify maps a Bot API error to a *domain.SendError, with the token
// removed from any message (the HTTP client puts the URL, and so the token,
// into network errors).
func classify(err error, token string) error {
	if err == nil {
		return nil
	}
	clean := redactErr(err, token)
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		switch {
		case te.Code == 429 || te.RetryAfter > 0:
			ra := time.Duration(te.RetryAfter) * time.Second
			if ra <= 0 {
				ra = time.Second
			}
			return &domain.SendError{RetryAfter: ra, Err: clean}
		case te.Code == 403:
			return &domain.SendError{Forbidden: true, Err: clean}
		case te.Code >= 500:
			return &domain.SendError{Temporary: true, Err: clean}
		case te.Code == 0:
			// tgbotapi drops the error code of uploads (sendPhoto,
			// sendDocument): read Telegram's description instead.
			return classifyDescription(te.Message, clean)
		}
		return &domain.SendError{Err: clean}
	}
	return &domain.SendError{Temporary: true, Err: clean} // network, timeouts, unreadable answers
}

// classifyDescription classifies an error by Telegram's description alone
// ("Forbidden: bot was blocked by the user", "Too Many Requests: retry after
// 5", "Bad Request: …", "Bad Gateway"). What is not known to be final is
// temporary: retried a few times, then given up.
func classifyDescription(desc string, clean error) error {
	d := strings.ToLower(desc)
	switch {
	case strings.HasPrefix(d, "too many requests"):
		return &domain.SendError{RetryAfter: time.Second, Err: clean}
	case strings.HasPrefix(d, "forbidden"):
		return &domain.SendError{Forbidden: true, Err: clean}
	case strings.HasPrefix(d, "bad request"), strings.HasPrefix(d, "unauthorized"),
		strings.HasPrefix(d, "not found"), strings.HasPrefix(d, "conflict"),
		strings.HasPrefix(d, "request entity too large"):
		return &domain.SendError{Err: clean}
	}
	return &domain.SendError{Temporary: true, Err: clean}
}
