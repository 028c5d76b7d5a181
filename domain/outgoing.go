package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Outgoing is a message the program sends on its own initiative (a
// reminder, a digest, an alert), independent of the Telegram library.
type Outgoing struct {
	ChatID  int64      `bson:"chat_id" json:"chat_id"`
	Text    string     `bson:"text" json:"text"` // HTML, user text escaped
	Buttons [][]Button `bson:"buttons,omitempty" json:"buttons,omitempty"`
	Silent  bool       `bson:"silent" json:"silent"` // information only: disable_notification
}

// Button is an inline button carrying callback data.
type Button struct {
	Text string `bson:"text" json:"text"`
	Data string `bson:"data" json:"data"`
}

// SendError classifies a failed send so the dispatcher knows what to do.
type SendError struct {
	RetryAfter time.Duration // Telegram said 429: wait this long
	Forbidden  bool          // 403: the user blocked the bot
	Temporary  bool          // 5xx or network: retry with backoff
	Err        error
}

func (e *SendError) Error() string {
	switch {
	case e.RetryAfter > 0:
		return fmt.Sprintf("rate limited, retry after %s: %v", e.RetryAfter, e.Err)
	case e.Forbidden:
		return fmt.Sprintf("forbidden: %v", e.Err)
	case e.Temporary:
		return fmt.Sprintf("temporary failure: %v", e.Err)
	}
	return fmt.Sprintf("send failed: %v", e.Err)
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
	VerbOpen     = "o" // open an assignment: Ref = assignment ref
	VerbStatus   = "s" // set status: Arg = status
	VerbProgress = "p" // set progress: Arg = 0..100, or "ask" to type it
	VerbNote     = "n" // add a note (ForceReply)
	VerbCorrect  = "c" // correct the last update
	VerbList     = "l" // list page: Ref = page number
	VerbInvite   = "i" // choose an agency for an invite: Ref = agency key
	VerbHistory  = "h" // show an assignment's history
)
