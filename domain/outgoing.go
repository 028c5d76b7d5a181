package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Outgoing is a message the program sends on its own initiative (a
// reminder, a digest, an alert), independent of the Telegram library.
//
// With File set it is a photo or a document, and Text is its caption (HTML
// as well). Telegram allows 1024 characters of caption; a longer Text is
// sent first as a message of its own, with the buttons, and the file follows
// without a caption (see docs/outbox.md).
type Outgoing struct {
	ChatID  int64       `bson:"chat_id" json:"chat_id"`
	Text    string      `bson:"text" json:"text"` // HTML, user text escaped
	Buttons [][]Button  `bson:"buttons,omitempty" json:"buttons,omitempty"`
	Silent  bool        `bson:"silent" json:"silent"` // information only: disable_notification
	File    *Attachment `bson:"file,omitempty" json:"file,omitempty"`

	// When and whether a push goes (issue 20), kept by the outbox beside
	// the message: not before NotBefore (zero: at once); skipped when, at
	// send time, a message keyed by one of Unless has been queued; of the
	// messages of one Group, one is skipped when a later one was queued
	// (the later one's text covers it).
	// After names a message that goes first: while it waits in the
	// outbox, this one waits too.
	NotBefore time.Time `bson:"-" json:"not_before,omitempty"`
	Unless    []string  `bson:"-" json:"unless,omitempty"`
	Group     string    `bson:"-" json:"group,omitempty"`
	After     string    `bson:"-" json:"after,omitempty"`
}

// Attachment kinds: how Telegram shows the file.
const (
	AttachPhoto    = "photo"    // sendPhoto: shown inline, recompressed by Telegram (≤ 10 MB)
	AttachDocument = "document" // sendDocument: kept byte for byte (≤ 50 MB)
)

// Attachment is the file of a photo or document message. Data holds the
// bytes while the message is built and sent; in the outbox they are kept
// apart (store: outbox_files) and Data is empty in the message document.
type Attachment struct {
	Kind string `bson:"kind" json:"kind"` // AttachPhoto or AttachDocument
	// Name is the file name the recipient sees; Telegram infers the type
	// from its extension.
	Name string `bson:"name" json:"name"`
	// MIME is the content type ("image/png", "application/vnd.openxmlformats-
	// officedocument.spreadsheetml.sheet"); a Name without an extension gets
	// the type's usual one when queued.
	MIME string `bson:"mime,omitempty" json:"mime,omitempty"`
	// Size is len(Data), kept when Data is stored apart.
	Size int    `bson:"size" json:"size"`
	Data []byte `bson:"-" json:"-"`
	// FileID, when set, is a file Telegram already has (evidence an
	// officer sent), sent again by its id instead of Data (issue 20).
	FileID string `bson:"-" json:"-"`
}

// Telegram's limits on what a bot uploads.
const (
	MaxPhotoBytes    = 10 << 20
	MaxDocumentBytes = 50 << 20
	MaxCaptionChars  = 1024
)

// Check tells what is wrong with an attachment before it is queued.
func (a *Attachment) Check() error {
	switch {
	case a.Kind != AttachPhoto && a.Kind != AttachDocument:
		return fmt.Errorf("attachment %q: kind %q is neither %q nor %q", a.Name, a.Kind, AttachPhoto, AttachDocument)
	case len(a.Data) == 0:
		return fmt.Errorf("attachment %q is empty", a.Name)
	case a.Kind == AttachPhoto && len(a.Data) > MaxPhotoBytes:
		return fmt.Errorf("photo %q is %d bytes; Telegram takes at most %d", a.Name, len(a.Data), MaxPhotoBytes)
	case len(a.Data) > MaxDocumentBytes:
		return fmt.Errorf("document %q is %d bytes; Telegram takes at most %d", a.Name, len(a.Data), MaxDocumentBytes)
	}
	return nil
}

// Button is an inline button carrying callback data.
type Button struct {
	Text string `bson:"text" json:"text"`
	Data string `bson:"data" json:"data"`
}

// SendError classifies a failed send so the dispatcher knows what to do.
// Its text names the Bot API method and the chat, never the token.
type SendError struct {
	Method     string        // sendMessage, sendPhoto, sendDocument
	ChatID     int64         // the chat the send was for
	RetryAfter time.Duration // Telegram said 429: wait this long
	Forbidden  bool          // 403: the user blocked the bot
	Temporary  bool          // 5xx or network: retry with backoff
	Err        error
}

func (e *SendError) Error() string {
	where := ""
	if e.Method != "" {
		where = fmt.Sprintf("%s to chat %d: ", e.Method, e.ChatID)
	}
	switch {
	case e.RetryAfter > 0:
		return fmt.Sprintf("%srate limited, retry after %s: %v", where, e.RetryAfter, e.Err)
	case e.Forbidden:
		return fmt.Sprintf("%sforbidden: %v", where, e.Err)
	case e.Temporary:
		return fmt.Sprintf("%stemporary failure: %v", where, e.Err)
	}
	return fmt.Sprintf("%ssend failed: %v", where, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// AsSendError extracts a *SendError from err.
func AsSendError(err error) (*SendError, bool) {
	var se *SendError
	ok := errors.As(err, &se)
	return se, ok
}

// Callback is what an inline button asks for. It is encoded into Telegram's
// 64-byte callback data as "verb|ref|arg" and always re-checked on the server.
type Callback struct {
	Verb string // what to do: open, status, progress, note, correct, page, …
	Ref  string // assignment Ref, page number or invite choice
	Arg  string // status value, progress figure, …
}

// Encode renders the callback data.
func (c Callback) Encode() string {
	s := c.Verb + "|" + c.Ref
	if c.Arg != "" {
		s += "|" + c.Arg
	}
	return s
}

// ParseCallback reads callback data; ok is false for anything malformed.
func ParseCallback(data string) (Callback, bool) {
	if data == "" || len(data) > 64 {
		return Callback{}, false
	}
	parts := strings.Split(data, "|")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" {
		return Callback{}, false
	}
	c := Callback{Verb: parts[0], Ref: parts[1]}
	if len(parts) == 3 {
		c.Arg = parts[2]
	}
	return c, true
}

// Verbs of the buttons the bot and the reminders put under messages.
const (
	VerbOpen     = "o"  // open an assignment: Ref = assignment ref
	VerbStatus   = "s"  // set status: Arg = status
	VerbProgress = "p"  // set progress: Arg = 0..100, or "ask" to type it
	VerbNote     = "n"  // add a note (ForceReply)
	VerbCorrect  = "c"  // correct the last update
	VerbList     = "l"  // list page: Ref = page number
	VerbInvite   = "i"  // choose an agency for an invite: Ref = agency key
	VerbHistory  = "h"  // show an assignment's history
	VerbTarget   = "ct" // a target's buttons (bot/targets.go): Ref = target id ("-": a list), Arg = o open, r report, y<year>, d today, c correct, u<version> confirmed, k keep, m the agency's, g chart
	VerbReport   = "rp" // ask for the report upward (.docx): Ref = its period ("2026-Q4"); under the digest
)
