package bot

import (
	"errors"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Polling errors back off exponentially up to a minute; a 429 waits exactly
// the retry_after Telegram asks for.
func TestPollBackoff(t *testing.T) {
	netErr := errors.New("connection refused")
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute}
	for fails, w := range want {
		if got := pollBackoff(netErr, fails); got != w {
			t.Errorf("after %d failures: %s, want %s", fails, got, w)
		}
	}
	tooMany := &tgbotapi.Error{Code: 429, Message: "Too Many Requests", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 17}}
	if got := pollBackoff(tooMany, 5); got != 17*time.Second {
		t.Errorf("429: %s", got)
	}
}
