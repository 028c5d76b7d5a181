package telegram

import (
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
)

// Keyboard is an inline keyboard: rows of buttons (nil: none).
type Keyboard = [][]domain.Button

// Replier is how features answer: every text is HTML (user text escaped),
// cut into several messages when longer than Telegram allows; the ids
// returned are of the message sent or shown (0 when it failed). Sends
// that fail are logged once, without the token, and retried through 429s,
// 5xx and dropped connections.
type Replier interface {
	// Send sends text to chat, with kb (nil: none) under its last part.
	Send(chat int64, text string, kb Keyboard) int
	// Ask sends a question whose answer the user types (ForceReply), with
	// placeholder in the input field.
	Ask(chat int64, text, placeholder string) int
	// Edit replaces message msgID's text and keyboard; when that fails
	// (the message is gone) or the text is too long for one message, it
	// sends the text anew. It returns the id of the message shown.
	Edit(chat int64, msgID int, text string, kb Keyboard) int
	// Strip takes the buttons away from a message.
	Strip(chat int64, msgID int)
	// Answer answers a button press (plain text, never HTML; alert shows a
	// dialog instead of a toast).
	Answer(pressID, text string, alert bool)
	// SendFile sends a photo or a document with an HTML caption.
	SendFile(chat int64, f domain.Attachment, caption string) error
	// Action shows "sending a file…" in chat (ActionUploadDocument).
	Action(chat int64, action string)
	// SetMenu sets the command menu of one chat (0: the default menu, for
	// users in language lang; "" every language).
	SetMenu(chat int64, lang string, cmds []Command) error
}

// Command is one entry of a command menu.
type Command struct{ Name, Description string }

// ActionUploadDocument is the chat action shown while a file is prepared.
const ActionUploadDocument = tgbotapi.ChatUploadDocument

// maxSendTries bounds retries of one interactive reply (429s, 5xx and
// dropped connections).
const maxSendTries = 4

// MaxMessage is Telegram's limit for a message text (in UTF-16 units, after
// HTML parsing; we count the raw HTML, which is never shorter).
const MaxMessage = 4096

// sender is the Replier on the Bot API.
type sender struct {
	api API
	log *slog.Logger
}

// call performs one Bot API request. Failures are classified as the
// outbox's sends are (classify): a 429 is waited out, a 5xx or a dropped
// connection is retried briefly, anything else (400, 403) is final. Errors
// are logged once here, with the token removed.
func (s *sender) call(c tgbotapi.Chattable) (tgbotapi.Message, error) {
	var err error
	for try := 0; try < maxSendTries; try++ {
		var resp *tgbotapi.APIResponse
		resp, err = s.api.Request(c)
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
		s.log.Warn("bot API call failed", "request", fmt.Sprintf("%T", c), "err", err)
	}
	return tgbotapi.Message{}, err
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func isNotModified(err error) bool {
	return err != nil && strings.Contains(err.Error(), "message is not modified")
}

// markup is kb as Telegram's, nil when there is none.
func markup(kb Keyboard) *tgbotapi.InlineKeyboardMarkup {
	if len(kb) == 0 {
		return nil
	}
	m := inlineKeyboard(kb)
	return &m
}

func (s *sender) Send(chat int64, text string, kb Keyboard) int {
	parts := splitMessage(text, MaxMessage)
	var last tgbotapi.Message
	for i, part := range parts {
		m := tgbotapi.NewMessage(chat, part)
		m.ParseMode = tgbotapi.ModeHTML
		m.DisableWebPagePreview = true
		if i == len(parts)-1 && len(kb) > 0 {
			m.ReplyMarkup = *markup(kb)
		}
		last, _ = s.call(m)
	}
	return last.MessageID
}

func (s *sender) Ask(chat int64, text, placeholder string) int {
	m := tgbotapi.NewMessage(chat, text)
	m.ParseMode = tgbotapi.ModeHTML
	m.ReplyMarkup = tgbotapi.ForceReply{ForceReply: true, InputFieldPlaceholder: placeholder, Selective: true}
	msg, _ := s.call(m)
	return msg.MessageID
}

func (s *sender) Edit(chat int64, msgID int, text string, kb Keyboard) int {
	if i18n.UTF16Len(text) <= MaxMessage {
		e := tgbotapi.NewEditMessageText(chat, msgID, text)
		e.ParseMode = tgbotapi.ModeHTML
		e.DisableWebPagePreview = true
		e.ReplyMarkup = markup(kb)
		if _, err := s.call(e); err == nil || isNotModified(err) {
			return msgID
		}
	}
	return s.Send(chat, text, kb) // too long, or the message is gone: send it anew
}

func (s *sender) Strip(chat int64, msgID int) {
	e := tgbotapi.NewEditMessageReplyMarkup(chat, msgID, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	_, _ = s.call(e)
}

func (s *sender) Answer(id, text string, alert bool) {
	c := tgbotapi.NewCallback(id, PlainText(text)) // pop-ups are plain text, never HTML
	c.ShowAlert = alert
	_, _ = s.call(c)
}

func (s *sender) SendFile(chat int64, f domain.Attachment, caption string) error {
	var file tgbotapi.RequestFileData = tgbotapi.FileBytes{Name: f.Name, Bytes: f.Data}
	if f.FileID != "" { // a file Telegram has: sent again by its id
		file = tgbotapi.FileID(f.FileID)
	}
	var c tgbotapi.Chattable
	if f.Kind == domain.AttachPhoto {
		p := tgbotapi.NewPhoto(chat, file)
		p.Caption, p.ParseMode = caption, tgbotapi.ModeHTML
		c = p
	} else {
		d := tgbotapi.NewDocument(chat, file)
		d.Caption, d.ParseMode = caption, tgbotapi.ModeHTML
		c = d
	}
	_, err := s.call(c)
	return err
}

func (s *sender) Action(chat int64, action string) {
	if _, err := s.call(tgbotapi.NewChatAction(chat, action)); err != nil {
		s.log.Debug("chat action", "err", err)
	}
}

func (s *sender) SetMenu(chat int64, lang string, cmds []Command) error {
	list := make([]tgbotapi.BotCommand, 0, len(cmds))
	for _, c := range cmds {
		list = append(list, tgbotapi.BotCommand{Command: c.Name, Description: c.Description})
	}
	var c tgbotapi.Chattable
	if chat == 0 {
		c = tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), lang, list...)
	} else {
		c = tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(chat), list...)
	}
	_, err := s.call(c)
	return err
}

// pressReplier is the Replier of one update: it notes whether the press
// was answered, so that an error the handler returns is told in a pop-up
// when it was not, and in the chat when it was.
type pressReplier struct {
	Replier
	answered atomic.Bool
}

func (p *pressReplier) Answer(id, text string, alert bool) {
	p.answered.Store(true)
	p.Replier.Answer(id, text, alert)
}

// MaxPopup is how long a callback answer may be (Telegram: 200 characters).
const MaxPopup = 200

var tagRE = regexp.MustCompile(`<[^>]*>`)

// PlainText turns a text of the catalogue (HTML: tags, escaped user text)
// into the plain text a pop-up shows: tags dropped, entities decoded, cut to
// what a pop-up holds. Every callback answer goes through it.
func PlainText(s string) string {
	s = html.UnescapeString(tagRE.ReplaceAllString(s, ""))
	s = strings.TrimSpace(s)
	if i18n.UTF16Len(s) <= MaxPopup {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && i18n.UTF16Len(string(r))+1 > MaxPopup {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// splitMessage cuts text into parts of at most limit UTF-16 units, on line
// boundaries, so no HTML tag is ever cut (every line closes its own tags). A
// single line longer than the limit loses its markup and is cut at spaces.
func splitMessage(text string, limit int) []string {
	if i18n.UTF16Len(text) <= limit {
		return []string{text}
	}
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.TrimRight(cur.String(), "\n"); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.Split(text, "\n") {
		l := i18n.UTF16Len(line) + 1
		if l > limit {
			flush()
			plain := html.EscapeString(html.UnescapeString(tagRE.ReplaceAllString(line, "")))
			for _, chunk := range cutWords(plain, limit-1) {
				parts = append(parts, chunk)
			}
			continue
		}
		if curLen+l > limit {
			flush()
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		curLen += l
	}
	flush()
	return parts
}

// cutWords splits escaped plain text at spaces into chunks of at most limit
// UTF-16 units, never inside an HTML entity.
func cutWords(s string, limit int) []string {
	var out []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wl := i18n.UTF16Len(w) + 1
		if n+wl > limit && n > 0 {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
		for wl > limit { // one enormous "word": cut at a rune boundary outside entities
			r := []rune(w)
			cut := limit - 1
			if cut > len(r) {
				cut = len(r)
			}
			if i := strings.LastIndex(string(r[:cut]), "&"); i >= 0 && !strings.Contains(string(r[:cut])[i:], ";") {
				cut = len([]rune(string(r[:cut])[:i]))
			}
			out = append(out, string(r[:cut]))
			w = string(r[cut:])
			wl = i18n.UTF16Len(w) + 1
		}
		if n > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
		n += wl
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}
