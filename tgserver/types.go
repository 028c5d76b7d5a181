package tgserver

import (
	"encoding/json"
	"time"
)

// User is a Telegram user as it appears in updates ("from" fields).
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a Telegram chat. Type is "private", "group", "supergroup" or
// "channel"; when empty it is inferred from the ID (positive: private,
// "-100…": supergroup, other negative: group).
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
}

// MessageEntity is a special entity in a text (bold, bot_command, text_link,
// …). Offset and Length are in UTF-16 code units.
type MessageEntity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

// Document is a general file attached to a message.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

// Sticker is a sticker attached to a message.
type Sticker struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Type         string `json:"type"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	IsAnimated   bool   `json:"is_animated"`
	IsVideo      bool   `json:"is_video"`
	Emoji        string `json:"emoji,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

// Message is a message as Telegram stores and reports it. The JSON form is
// what the Bot API returns; RawText and ParseMode are server-side extras.
type Message struct {
	MessageID       int             `json:"message_id"`
	From            *User           `json:"from,omitempty"`
	SenderChat      *Chat           `json:"sender_chat,omitempty"`
	Date            int64           `json:"date"`
	Chat            Chat            `json:"chat"`
	ReplyToMessage  *Message        `json:"reply_to_message,omitempty"`
	EditDate        int64           `json:"edit_date,omitempty"`
	Text            string          `json:"text,omitempty"`
	Entities        []MessageEntity `json:"entities,omitempty"`
	Document        *Document       `json:"document,omitempty"`
	Photo           []PhotoSize     `json:"photo,omitempty"`
	Sticker         *Sticker        `json:"sticker,omitempty"`
	Caption         string          `json:"caption,omitempty"`
	CaptionEntities []MessageEntity `json:"caption_entities,omitempty"`
	// ReplyMarkup is the inline keyboard attached to the message (Telegram
	// only attaches inline keyboards to messages; reply keyboards are
	// tracked per chat, see Server.Keyboard).
	ReplyMarkup json.RawMessage `json:"reply_markup,omitempty"`

	// RawText is the text (or caption) exactly as the bot sent it, before
	// entity parsing. Empty for messages sent by users.
	RawText string `json:"-"`
	// ParseMode is the parse_mode the bot used for RawText.
	ParseMode string `json:"-"`
}

// Sent records one successful bot call that produced, changed or deleted a
// message.
type Sent struct {
	// Method is the Bot API method, e.g. "sendMessage" or "deleteMessage".
	Method string
	// ChatID is the chat the call targeted.
	ChatID int64
	// MessageID is the message produced, edited or deleted.
	MessageID int
	// Text is the text parameter exactly as sent (HTML not parsed); empty
	// for calls without text.
	Text string
	// ParseMode is the parse_mode parameter.
	ParseMode string
	// ReplyMarkup is the reply_markup parameter (compact JSON), if any.
	ReplyMarkup json.RawMessage
	// DisableNotification is the disable_notification parameter.
	DisableNotification bool
	// ReplyToMessageID is the message the bot replied to, if any.
	ReplyToMessageID int
	// FileName is the name of the uploaded (or reused) file for
	// sendDocument and sendPhoto.
	FileName string
	// FileID is the file_id of the sent document or largest photo size.
	FileID string
	// Caption is the caption parameter as sent.
	Caption string
	// At is the server clock when the call was handled.
	At time.Time
	// Params holds every non-file request parameter as received.
	Params map[string]string
}

// CallbackAnswer records an answerCallbackQuery call.
type CallbackAnswer struct {
	ID        string
	Text      string
	ShowAlert bool
	URL       string
	CacheTime int
	At        time.Time
}

// BotCommand is one entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// ChatAction records a sendChatAction call.
type ChatAction struct {
	ChatID int64
	Action string
	At     time.Time
}

// Stats are counters over the server's lifetime.
type Stats struct {
	// Requests counts every HTTP request to the Bot API (any outcome,
	// file downloads excluded).
	Requests int
	// Sends counts successful message sends (sendMessage, sendDocument,
	// sendPhoto).
	Sends int
	// Edits counts successful editMessageText/editMessageReplyMarkup calls.
	Edits int
	// Deletes counts successful deleteMessage calls.
	Deletes int
	// TooMany counts 429 responses, injected or from rate limiting.
	TooMany int
	// ServerErrors counts injected 5xx responses.
	ServerErrors int
	// Forbidden counts 403 responses (blocked users and injected).
	Forbidden int
	// Errors counts every response with ok=false.
	Errors int
	// Updates counts updates pushed by the incoming side.
	Updates int
	// FileDownloads counts successful GET /file/bot<token>/… requests.
	FileDownloads int
	// ActivePolls is not a counter but the number of getUpdates long polls
	// currently waiting for updates.
	ActivePolls int
}

// StoredFile is a file known to the server (uploaded by the bot or sent by
// a simulated user).
type StoredFile struct {
	FileID       string
	FileUniqueID string
	// FilePath is the path getFile reports and the download endpoint serves.
	FilePath string
	FileName string
	MimeType string
	Size     int
	// Width and Height are the dimensions of photos (0 when unknown).
	Width   int
	Height  int
	Content []byte
}
