package ops

import (
	"net/http"
	"strings"
	"time"
)

// Transport wraps the HTTP client of the Bot API: every answer from Telegram
// records that it is reachable, every request is counted by method and
// status, and every send* request (sendMessage, sendDocument, …, not
// sendChatAction) counts in agencybot_sends_total by outcome. The token in
// the request path is never looked at beyond its last segment, the method.
type Transport struct {
	Base    http.RoundTripper // default http.DefaultTransport
	Metrics *Metrics
	Clock   func() time.Time // default time.Now
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(r)
	if t.Metrics == nil {
		return resp, err
	}
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if !knownMethod(method) {
		method = "other"
	}
	code := 0
	if err == nil {
		code = resp.StatusCode
		now := time.Now
		if t.Clock != nil {
			now = t.Clock
		}
		if code < 500 {
			t.Metrics.TelegramReached(now())
		}
	}
	t.Metrics.apiCall(method, code)
	if strings.HasPrefix(method, "send") && method != "sendChatAction" {
		if code == 0 {
			t.Metrics.Sent(SendServer) // no answer: counted with the server errors
		} else {
			t.Metrics.Sent(SendOutcome(code))
		}
	}
	return resp, err
}

// knownMethod keeps the method label to Bot API method names (letters only,
// bounded length), so that nothing else can reach a label.
func knownMethod(m string) bool {
	if m == "" || len(m) > 40 {
		return false
	}
	for _, r := range m {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
