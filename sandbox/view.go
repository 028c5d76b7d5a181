package sandbox

import (
	"encoding/json"
	"strings"

	"agencybot/tgserver"
)

// msgView is a message as the page draws it. Texts come as Telegram stores
// them, plain text plus entities, and the page builds the formatting from
// them with DOM nodes: nothing a user or the bot wrote is ever parsed as
// HTML by the browser.
type msgView struct {
	ID       int                      `json:"id"`
	Out      bool                     `json:"out"` // written by the persona
	Date     int64                    `json:"date"`
	Edited   bool                     `json:"edited"`
	Text     string                   `json:"text"`
	Entities []tgserver.MessageEntity `json:"entities,omitempty"`
	Photo    *fileView                `json:"photo,omitempty"`
	Document *fileView                `json:"document,omitempty"`
	Keyboard [][]buttonView           `json:"keyboard,omitempty"`
	ReplyTo  *replyView               `json:"reply_to,omitempty"`
	Sticker  string                   `json:"sticker,omitempty"`
}

type fileView struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Mime   string `json:"mime,omitempty"`
	Size   int    `json:"size,omitempty"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
}

type buttonView struct {
	Text string `json:"text"`
	Data string `json:"data,omitempty"`
	URL  string `json:"url,omitempty"`
}

type replyView struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
	Bot  bool   `json:"bot"`
}

func viewOf(m tgserver.Message) msgView {
	v := msgView{ID: m.MessageID, Date: m.Date, Edited: m.EditDate != 0, Text: m.Text, Entities: m.Entities}
	v.Out = m.From == nil || !m.From.IsBot
	if m.Caption != "" {
		v.Text, v.Entities = m.Caption, m.CaptionEntities
	}
	if n := len(m.Photo); n > 0 {
		p := m.Photo[n-1]
		v.Photo = &fileView{ID: p.FileID, Width: p.Width, Height: p.Height, Size: p.FileSize}
	}
	if d := m.Document; d != nil {
		v.Document = &fileView{ID: d.FileID, Name: d.FileName, Mime: d.MimeType, Size: d.FileSize}
	}
	if m.Sticker != nil {
		v.Sticker = m.Sticker.Emoji
	}
	if r := m.ReplyToMessage; r != nil {
		v.ReplyTo = &replyView{ID: r.MessageID, Text: preview(*r), Bot: r.From != nil && r.From.IsBot}
	}
	if len(m.ReplyMarkup) > 0 {
		var kb struct {
			InlineKeyboard [][]buttonView `json:"inline_keyboard"`
		}
		var raw struct {
			InlineKeyboard [][]struct {
				Text         string `json:"text"`
				CallbackData string `json:"callback_data"`
				URL          string `json:"url"`
			} `json:"inline_keyboard"`
		}
		if json.Unmarshal(m.ReplyMarkup, &raw) == nil {
			for _, row := range raw.InlineKeyboard {
				var r []buttonView
				for _, b := range row {
					r = append(r, buttonView{Text: b.Text, Data: b.CallbackData, URL: b.URL})
				}
				kb.InlineKeyboard = append(kb.InlineKeyboard, r)
			}
			v.Keyboard = kb.InlineKeyboard
		}
	}
	return v
}

// preview is the first line of a message, for the chat list and quotes.
func preview(m tgserver.Message) string {
	t := m.Text
	if t == "" {
		t = m.Caption
	}
	switch {
	case t != "":
	case len(m.Photo) > 0:
		t = "🖼 Ảnh"
	case m.Document != nil:
		t = "📄 " + m.Document.FileName
	case m.Sticker != nil:
		t = m.Sticker.Emoji
	}
	t, _, _ = strings.Cut(strings.TrimSpace(t), "\n")
	if r := []rune(t); len(r) > 80 {
		t = string(r[:79]) + "…"
	}
	return t
}
