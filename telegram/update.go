package telegram

import (
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Update is one Telegram update in the project's own terms: what the
// features see. Telegram's own types stay in this package.
type Update struct {
	// ID is Telegram's update_id.
	ID int
	// Kind sorts the update for the metrics: KindCommand, KindText,
	// KindCallback, KindFile or KindOther.
	Kind string
	// From is who sent it (nil: nobody, as in a channel post).
	From *User
	// Chat is where it happened: the message's chat, or the chat of the
	// message whose button was pressed (nil when Telegram gave none).
	Chat *Chat
	// Message is a message someone sent (or edited: Edited), nil otherwise.
	Message *Message
	// Edited tells that Message is an edit of an earlier message.
	Edited bool
	// Press is a button press (callback query), nil otherwise.
	Press *Press
}

// The kinds of update the metrics count (agencybot_updates_handled_total).
const (
	KindCommand  = "command"
	KindText     = "text"
	KindCallback = "callback"
	KindFile     = "file"
	KindOther    = "other"
)

// User is a Telegram user.
type User struct {
	ID        int64
	FirstName string
	LastName  string
	Username  string
	// Lang is the language of the user's Telegram ("vi", "en-US", "").
	Lang  string
	IsBot bool
}

// FullName is the user's first and last name.
func (u User) FullName() string { return strings.TrimSpace(u.FirstName + " " + u.LastName) }

// Chat is a chat.
type Chat struct {
	ID int64
	// Private tells a one-to-one chat with the bot (not a group or channel).
	Private bool
}

// Message is a message a user sent.
type Message struct {
	ID      int
	Text    string
	Caption string
	// Command is the command the message starts with, without the slash
	// and the @bot ("" when it is no command); Named tells that a bot is
	// named after it, To which ("/tasks@other_bot": "other_bot"); Args is
	// the text after it.
	Command string
	Named   bool
	To      string
	Args    string
	// ReplyTo is the id of the message this one replies to (0: none).
	ReplyTo int
	// Document is a file sent as a document; Photo the largest size of a
	// photo (nil when there is none).
	Document *File
	Photo    *File
}

// File is a file a user sent.
type File struct {
	ID       string
	UniqueID string
	Name     string
	MIME     string
	Size     int64
}

// Press is a button press.
type Press struct {
	// ID answers it (Replier.Answer).
	ID string
	// Data is the button's callback data.
	Data string
	// MessageID is the message the button is on (0: unknown).
	MessageID int
}

// Convert turns a tgbotapi update into the project's Update. It expects a
// well-formed update: the runtime calls it inside its recover.
func Convert(u tgbotapi.Update) Update {
	out := Update{ID: u.UpdateID, Kind: KindOther}
	switch {
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		out.Kind = KindCallback
		out.From = userOf(q.From)
		out.Press = &Press{ID: q.ID, Data: q.Data}
		if q.Message != nil {
			out.Press.MessageID = q.Message.MessageID
			out.Chat = chatOf(q.Message.Chat)
		}
	case u.Message != nil:
		out.Message, out.From, out.Chat = messageOf(u.Message), userOf(u.Message.From), chatOf(u.Message.Chat)
		out.Kind = kindOf(out.Message)
	case u.EditedMessage != nil:
		out.Message, out.From, out.Chat = messageOf(u.EditedMessage), userOf(u.EditedMessage.From), chatOf(u.EditedMessage.Chat)
		out.Edited = true
	case u.ChannelPost != nil:
		out.Chat = chatOf(u.ChannelPost.Chat)
	}
	return out
}

func kindOf(m *Message) string {
	switch {
	case m.Command != "":
		return KindCommand
	case m.Document != nil || m.Photo != nil:
		return KindFile
	case m.Text != "":
		return KindText
	}
	return KindOther
}

func userOf(u *tgbotapi.User) *User {
	if u == nil {
		return nil
	}
	return &User{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Username: u.UserName, Lang: u.LanguageCode, IsBot: u.IsBot}
}

func chatOf(c *tgbotapi.Chat) *Chat {
	if c == nil {
		return nil
	}
	return &Chat{ID: c.ID, Private: c.IsPrivate()}
}

func messageOf(m *tgbotapi.Message) *Message {
	out := &Message{ID: m.MessageID, Text: m.Text, Caption: m.Caption}
	if m.IsCommand() {
		out.Command, out.Args = m.Command(), m.CommandArguments()
		_, out.To, out.Named = strings.Cut(m.CommandWithAt(), "@")
	}
	if m.ReplyToMessage != nil {
		out.ReplyTo = m.ReplyToMessage.MessageID
	}
	if d := m.Document; d != nil {
		out.Document = &File{ID: d.FileID, UniqueID: d.FileUniqueID, Name: d.FileName, MIME: d.MimeType, Size: int64(d.FileSize)}
	}
	if len(m.Photo) > 0 {
		p := m.Photo[len(m.Photo)-1] // the largest size
		out.Photo = &File{ID: p.FileID, UniqueID: p.FileUniqueID, Name: "photo.jpg", MIME: "image/jpeg", Size: int64(p.FileSize)}
	}
	return out
}

// chatKey is the chat an update's lane is chosen by: a press goes by its
// sender (as a message would), anything else by its chat (0 when none).
func chatKey(u tgbotapi.Update) int64 {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return u.Message.Chat.ID
	case u.EditedMessage != nil && u.EditedMessage.Chat != nil:
		return u.EditedMessage.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.From != nil:
		return u.CallbackQuery.From.ID
	case u.ChannelPost != nil && u.ChannelPost.Chat != nil:
		return u.ChannelPost.Chat.ID
	}
	return 0
}
