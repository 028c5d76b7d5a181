package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/i18n"
	"agencybot/testkit"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

const testToken = "123456789:AAtesttoken_abcdefghijklmnopqrstu"

// memState is the poller's place and the processed markers in memory, and
// webhook mode's claims.
type memState struct {
	mu     sync.Mutex
	offset int
	done   map[int]bool
	claims map[int]string
}

func newMemState() *memState { return &memState{done: map[int]bool{}, claims: map[int]string{}} }

func (m *memState) Offset(context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.offset, nil
}

func (m *memState) SaveOffset(_ context.Context, next int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.offset = next
	return nil
}

func (m *memState) MarkProcessed(_ context.Context, id int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	was := m.done[id]
	m.done[id] = true
	return !was, nil
}

func (m *memState) Processed(_ context.Context, id int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.done[id], nil
}

func (m *memState) ProcessedSince(_ context.Context, offset int) (map[int]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[int]bool{}
	for id := range m.done {
		if id >= offset {
			out[id] = true
		}
	}
	return out, nil
}

func (m *memState) PruneProcessed(context.Context, time.Duration) (int64, error) { return 0, nil }

func (m *memState) WebhookSecret(context.Context) (string, error) { return "s3cret", nil }

func (m *memState) ClaimUpdate(_ context.Context, id int, owner string, _ time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.claims[id] != "" {
		return false, nil
	}
	m.claims[id] = owner
	return true, nil
}

func (m *memState) ReleaseUpdate(_ context.Context, id int, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.claims[id] == owner {
		delete(m.claims, id)
	}
	return nil
}

// recordingMetrics keeps what the runtime records.
type recordingMetrics struct {
	mu      sync.Mutex
	handled []string // kind, or kind+"!" when it failed
	reached int
}

func (m *recordingMetrics) UpdateHandled(kind string, _ time.Duration, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		kind += "!"
	}
	m.handled = append(m.handled, kind)
}

func (m *recordingMetrics) TelegramReached(time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reached++
}

// Polling errors back off exponentially up to a minute; a 429 waits exactly
// the retry_after Telegram asks for. (Moved from the bot's TestPollBackoff.)
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

// emptyAPI answers every getUpdates at once with nothing, ignoring the
// timeout; it ends the run after limit calls.
type emptyAPI struct {
	API
	calls  atomic.Int64
	limit  int64
	cancel context.CancelFunc
}

func (e *emptyAPI) Request(tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	return &tgbotapi.APIResponse{Ok: true, Result: []byte("true")}, nil
}
func (e *emptyAPI) Username() string { return "dongthap_tasks_bot" }
func (e *emptyAPI) Updates(ctx context.Context, _ int, _ time.Duration) ([]tgbotapi.Update, error) {
	if e.calls.Add(1) >= e.limit {
		e.cancel()
	}
	return nil, ctx.Err()
}

// Against an endpoint that ignores timeout, the runtime polls at most once a
// second: over a minute of (fake) time, at most 61 getUpdates. (Moved from
// the bot's TestEmptyPollsAreGentle.)
func TestEmptyPollsAreGentle(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	api := &emptyAPI{limit: 10000, cancel: cancel}
	var now atomic.Int64 // fake nanoseconds since start
	start := testkit.At()
	state := newMemState()
	rt := &Runtime{API: api, Offsets: state, Markers: state, Log: slog.New(slog.DiscardHandler), PollTimeout: 50 * time.Second,
		Clock:   func() time.Time { return start.Add(time.Duration(now.Load())) },
		Handler: HandlerFunc(func(context.Context, Update, Replier) error { return nil }),
		Sleep: func(ctx context.Context, d time.Duration) bool {
			if now.Add(int64(d)) >= int64(time.Minute) {
				cancel()
			}
			return ctx.Err() == nil
		}}
	if err := rt.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := api.calls.Load(); got > 61 {
		t.Errorf("%d getUpdates in a minute against an endpoint that ignores timeout, want at most 61", got)
	}
	if now.Load() < int64(time.Minute) {
		t.Errorf("the runtime waited %v in all, want a minute", time.Duration(now.Load()))
	}
}

// recorder records what the runtime sends, as the Bot API would answer.
type recorder struct {
	API
	mu   sync.Mutex
	reqs []tgbotapi.Chattable
}

func (r *recorder) Request(c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, c)
	return &tgbotapi.APIResponse{Ok: true, Result: []byte(`{"message_id":7}`)}, nil
}

func (r *recorder) Username() string { return "dongthap_tasks_bot" }

func (r *recorder) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, c := range r.reqs {
		switch m := c.(type) {
		case tgbotapi.MessageConfig:
			out = append(out, m.Text)
		case tgbotapi.CallbackConfig:
			out = append(out, "pop-up: "+m.Text)
		}
	}
	return out
}

func textUpdate(id int, text string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{MessageID: id, Text: text,
		From: &tgbotapi.User{ID: 100, FirstName: "An", LanguageCode: "vi"}, Chat: &tgbotapi.Chat{ID: 100, Type: "private"}}}
}

// An update whose handling could not reach the database is answered 500 and
// not marked, so that Telegram delivers it again; that delivery is handled.
// (Moved from the bot's TestWebhookStorageErrorAnswers500, where the user's
// lookup failed: here the handler returns that error.)
func TestWebhookStorageErrorAnswers500(t *testing.T) {
	api, state, m := &recorder{}, newMemState(), &recordingMetrics{}
	var broken atomic.Bool
	broken.Store(true)
	rt := &Runtime{API: api, Markers: state, Hooks: state, Metrics: m, Log: slog.New(slog.DiscardHandler), Workers: 2,
		Handler: HandlerFunc(func(_ context.Context, u Update, out Replier) error {
			if broken.Load() {
				return fmt.Errorf("identify user %d: %w", u.From.ID, mongo.ErrClientDisconnected)
			}
			out.Send(u.Chat.ID, "xin chào", nil)
			return nil
		})}
	rt.serveWebhook("s3cret")
	raw, _ := json.Marshal(textUpdate(9, "xin chào"))
	deliver := func() int {
		req := httptest.NewRequest(http.MethodPost, "/telegram", bytes.NewReader(raw))
		req.Header.Set(SecretHeader, "s3cret")
		rec := httptest.NewRecorder()
		rt.WebhookHandler().ServeHTTP(rec, req)
		return rec.Code
	}
	if code := deliver(); code != http.StatusInternalServerError {
		t.Fatalf("with the database gone: HTTP %d, want 500", code)
	}
	if done, _ := state.Processed(context.Background(), 9); done {
		t.Fatal("an update that failed on the database was marked handled")
	}
	broken.Store(false)
	before := len(api.texts())
	if code := deliver(); code != http.StatusOK {
		t.Fatalf("redelivery: HTTP %d, want 200", code)
	}
	if done, _ := state.Processed(context.Background(), 9); !done || len(api.texts()) <= before {
		t.Errorf("redelivery: marked %v, %d new messages", done, len(api.texts())-before)
	}
	if m.reached != 2 || len(m.handled) != 2 || m.handled[0] != KindText+"!" || m.handled[1] != KindText {
		t.Errorf("metrics: reached %d, handled %q", m.reached, m.handled)
	}
}

// The middleware chain: an error the handler returns is told to the user in
// their language — in a pop-up when the press was not answered yet, in the
// chat when it was — and recorded as a failure; a panic is recovered,
// recorded as a failure and told to Panicked, and the next update is
// handled.
func TestChainTellsErrorsAndRecoversPanics(t *testing.T) {
	api, state, m := &recorder{}, newMemState(), &recordingMetrics{}
	var panics []int
	rt := &Runtime{API: api, Markers: state, Metrics: m, Log: slog.New(slog.DiscardHandler),
		Panicked: func(id int, _ any) { panics = append(panics, id) },
		Handler: HandlerFunc(func(_ context.Context, u Update, out Replier) error {
			switch {
			case u.Press != nil && u.Press.Data == "answered":
				out.Answer(u.Press.ID, "", false)
				return errors.New("after the answer")
			case u.Press != nil:
				return errors.New("before any answer")
			case u.Message.Text == "panic":
				panic("boom")
			}
			return errors.New("on a message")
		})}
	press := func(id int, data, lang string) tgbotapi.Update {
		return tgbotapi.Update{UpdateID: id, CallbackQuery: &tgbotapi.CallbackQuery{ID: fmt.Sprint("q", id), Data: data,
			From:    &tgbotapi.User{ID: 100, LanguageCode: lang},
			Message: &tgbotapi.Message{MessageID: 5, Chat: &tgbotapi.Chat{ID: 100, Type: "private"}}}}
	}
	ctx := context.Background()
	for _, u := range []tgbotapi.Update{textUpdate(1, "xin chào"), press(2, "x", "en"), press(3, "answered", "vi"), textUpdate(4, "panic"), textUpdate(5, "lại")} {
		rt.HandleUpdate(ctx, u)
	}
	vi, en := i18n.T(i18n.VI, "err.internal"), PlainText(i18n.T(i18n.EN, "err.internal"))
	want := []string{vi, "pop-up: " + en, "pop-up: ", vi, vi}
	if got := api.texts(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("told %q, want %q", got, want)
	}
	if got := strings.Join(m.handled, ","); got != "text!,callback!,callback!,text!,text!" {
		t.Errorf("metrics %s", got)
	}
	if len(panics) != 1 || panics[0] != 4 {
		t.Errorf("Panicked told of %v, want [4]", panics)
	}
	for id := 1; id <= 5; id++ {
		if done, _ := state.Processed(ctx, id); !done {
			t.Errorf("update %d is not marked handled", id)
		}
	}
}

// No update of any shape stops the process: a message without a chat, a
// press without a sender or a message, an edit without a chat — in polling
// mode, where the lane is chosen before handling, and by webhook. Each is
// handled (and marked), and the next update is answered.
func TestUpdatesWithoutChatOrSenderDoNotStopTheRuntime(t *testing.T) {
	odd := []string{
		`{"message":{"message_id":1,"date":1,"text":"no chat"}}`,
		`{"callback_query":{"id":"q","data":"o|x"}}`,
		`{"callback_query":{"id":"q","data":"o|x","from":{"id":100,"is_bot":false,"first_name":"A"}}}`,
		`{"edited_message":{"message_id":1,"date":1,"text":"no chat"}}`,
		`{"message":{"message_id":1,"date":1,"text":"/x","entities":[{"type":"bot_command","offset":0,"length":40}],"chat":{"id":100,"type":"private"}}}`,
	}
	var handled atomic.Int32
	handler := HandlerFunc(func(_ context.Context, u Update, out Replier) error {
		handled.Add(1)
		if u.Message != nil && u.Chat != nil && u.Message.Text == "hello" {
			out.Send(u.Chat.ID, "hi", nil)
		}
		return nil
	})

	t.Run("polling", func(t *testing.T) {
		srv := tgtest.BotAPI(t, tgserver.Options{Token: testToken, BotUsername: "dongthap_tasks_bot"})
		client, err := Connect(testToken, srv.APIEndpoint(), nil)
		if err != nil {
			t.Fatal(err)
		}
		state := newMemState()
		handled.Store(0)
		rt := &Runtime{API: client, Offsets: state, Markers: state, Handler: handler, Log: slog.New(slog.DiscardHandler), PollTimeout: time.Second}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- rt.Run(ctx) }()
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}()
		var last int
		for _, raw := range odd {
			last = srv.PushRaw(json.RawMessage(raw))
		}
		wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
		defer stop()
		if err := srv.WaitConfirmed(wait, last); err != nil {
			t.Fatalf("the odd updates were not confirmed: %v", err)
		}
		n := len(srv.SentTo(100))
		hello := srv.SendText(tgserver.User{ID: 100, FirstName: "An", LanguageCode: "vi"}, "hello")
		if err := srv.WaitConfirmed(wait, hello); err != nil {
			t.Fatalf("the next update was not handled: %v", err)
		}
		if got := srv.SentTo(100)[n:]; len(got) != 1 || got[0].Text != "hi" {
			t.Errorf("after the odd updates the bot answered %v", got)
		}
		for i := last - len(odd) + 1; i <= last; i++ {
			if done, _ := state.Processed(ctx, i); !done {
				t.Errorf("odd update %d is not marked handled", i)
			}
		}
	})

	t.Run("webhook", func(t *testing.T) {
		state := newMemState()
		handled.Store(0)
		rt := &Runtime{API: &recorder{}, Markers: state, Hooks: state, Handler: handler, Log: slog.New(slog.DiscardHandler), Workers: 2}
		rt.serveWebhook("s3cret")
		for i, raw := range odd {
			if code := postRaw(rt, raw, 100+i); code != http.StatusOK {
				t.Errorf("odd update %s: HTTP %d", raw, code)
			}
			if done, _ := state.Processed(context.Background(), 100+i); !done {
				t.Errorf("odd update %s is not marked handled", raw)
			}
		}
	})
}

// postRaw delivers raw, given update id id, to rt's webhook with the secret
// s3cret, and returns the answer's HTTP status.
func postRaw(rt *Runtime, raw string, id int) int {
	var obj map[string]any
	_ = json.Unmarshal([]byte(raw), &obj)
	obj["update_id"] = id
	body, _ := json.Marshal(obj)
	req := httptest.NewRequest(http.MethodPost, "/telegram", bytes.NewReader(body))
	req.Header.Set(SecretHeader, "s3cret")
	rec := httptest.NewRecorder()
	rt.WebhookHandler().ServeHTTP(rec, req)
	return rec.Code
}

// resetProxy forwards to the Bot API server, but drops the connection (a TCP
// reset) on the first n sendMessage requests after reading them.
func resetProxy(t *testing.T, target string, n int32) *httptest.Server {
	t.Helper()
	host := strings.TrimPrefix(target, "http://")
	host = host[:strings.Index(host, "/")]
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: "http", Host: host})
	left := n
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/sendMessage") && atomic.AddInt32(&left, -1) >= 0 {
			_, _ = io.ReadAll(r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // close with RST
			}
			_ = conn.Close()
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

// A reply whose connection is reset is sent again, like after a 5xx, and
// arrives once. (Moved from the bot's TestReplySurvivesResetConnection.)
func TestReplySurvivesResetConnection(t *testing.T) {
	srv := tgtest.BotAPI(t, tgserver.Options{Token: testToken, BotUsername: "dongthap_tasks_bot"})
	officer := tgserver.User{ID: 100, FirstName: "Nguyễn", LastName: "An", LanguageCode: "vi"}
	srv.SendText(officer, "/help") // the chat exists
	proxy := resetProxy(t, srv.APIEndpoint(), 2)
	endpoint := proxy.URL + "/bot%s/%s"
	api, err := NewAPI(testToken, srv.APIEndpoint(), nil)
	if err != nil {
		t.Fatal(err)
	}
	api.SetAPIEndpoint(endpoint)
	rt := &Runtime{API: NewClient(api, endpoint), Log: slog.New(slog.DiscardHandler)}
	n := len(srv.SentTo(officer.ID))
	rt.Out().Send(officer.ID, "Kiểm tra kết nối", nil)
	sent := srv.SentTo(officer.ID)[n:]
	if len(sent) != 1 || sent[0].Text != "Kiểm tra kết nối" {
		t.Fatalf("after two reset connections the runtime sent %d messages: %v", len(sent), sent)
	}
}

// The token never reaches a log line or an error message, even when the
// HTTP client puts the request URL into its error. (Moved from the bot's
// TestTokenRedacted.)
func TestTokenRedacted(t *testing.T) {
	_, err := http.Get("http://127.0.0.1:1/bot" + testToken + "/getUpdates")
	if err == nil || !strings.Contains(err.Error(), testToken) {
		t.Fatalf("expected a network error naming the URL, got %v", err)
	}
	red := redactErr(err, testToken)
	if strings.Contains(red.Error(), testToken) || !strings.Contains(red.Error(), "<token>") {
		t.Errorf("redacted: %v", red)
	}
	if !errors.Is(red, err) {
		t.Error("redaction lost the error chain")
	}
	if c := classify(err, testToken); strings.Contains(c.Error(), testToken) {
		t.Errorf("classified error leaks the token: %v", c)
	}
	if _, err := NewAPI(testToken, "http://127.0.0.1:1/bot%s/%s", nil); err == nil || strings.Contains(err.Error(), testToken) {
		t.Errorf("NewAPI error: %v", err)
	}
}

// (Moved from the bot's TestSplitMessageKeepsMarkupWhole.)
func TestSplitMessageKeepsMarkupWhole(t *testing.T) {
	var lines []string
	for i := 0; i < 400; i++ {
		lines = append(lines, "• <b>Sở "+strings.Repeat("Khoa học ", 2)+"</b> — <i>&lt;ghi chú&gt;</i> "+fmt.Sprint(i))
	}
	lines = append(lines, "<b>"+strings.Repeat("rất dài &amp; ", 900)+"</b>")
	parts := splitMessage(strings.Join(lines, "\n"), MaxMessage)
	if len(parts) < 3 {
		t.Fatalf("%d parts", len(parts))
	}
	total := 0
	for _, p := range parts {
		if i18n.UTF16Len(p) > MaxMessage {
			t.Errorf("part of %d units", i18n.UTF16Len(p))
		}
		if _, _, err := tgserver.ParseHTML(p); err != nil {
			t.Errorf("part is not valid HTML: %v", err)
		}
		total += strings.Count(p, "• ")
	}
	if total != 400 {
		t.Errorf("lines lost or doubled: %d", total)
	}
}
