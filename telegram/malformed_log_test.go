package telegram

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"agencybot/testkit"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

// A handler that trusts every update to have a chat and a sender — as the
// bot's code did when issue 24 was filed — panics on the shapes a
// self-hosted Bot API server or a proxy may send. Each such update is logged
// once, as one JSON record when LOG_FORMAT=json (the stack a field of it,
// never raw lines on stderr), confirmed (offset past it / HTTP 200, marked
// handled), and the next update is answered.
func TestMalformedUpdatesLoggedOnceAsJSON(t *testing.T) {
	odd := []string{
		`{"message":{"message_id":1,"date":1,"text":"no chat"}}`,
		`{"message":{"message_id":2,"date":1,"text":"no sender","chat":{"id":100,"type":"private"}}}`,
		`{"callback_query":{"id":"q","data":"o|x"}}`,
		`{"edited_message":{"message_id":1,"date":1,"text":"no chat"}}`,
	}
	trusting := HandlerFunc(func(_ context.Context, u Update, out Replier) error {
		out.Send(u.Chat.ID, "hi "+u.From.Lang, nil) // nil chat or sender: a panic
		return nil
	})
	check := func(t *testing.T, logs *testkit.LogBuffer, ids []int) {
		t.Helper()
		per := map[int]int{}
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatalf("a log line is not one JSON record: %q", line)
			}
			if rec["msg"] == "panic while handling an update" {
				if _, ok := rec["stack"].(string); !ok {
					t.Errorf("the panic's record has no stack field: %v", rec)
				}
				per[int(rec["update_id"].(float64))]++
			}
		}
		for _, id := range ids {
			if per[id] != 1 {
				t.Errorf("update %d logged %d times, want once (records %v)", id, per[id], per)
			}
		}
	}

	t.Run("polling", func(t *testing.T) {
		srv := tgtest.BotAPI(t, tgserver.Options{Token: testToken, BotUsername: "dongthap_tasks_bot"})
		client, err := Connect(testToken, srv.APIEndpoint(), nil)
		if err != nil {
			t.Fatal(err)
		}
		logs := &testkit.LogBuffer{}
		state := newMemState()
		rt := &Runtime{API: client, Offsets: state, Markers: state, Handler: trusting,
			Log: slog.New(slog.NewJSONHandler(logs, nil)), PollTimeout: time.Second}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- rt.Run(ctx) }()
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}()
		var ids []int
		for _, raw := range odd {
			ids = append(ids, srv.PushRaw(json.RawMessage(raw)))
		}
		wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
		defer stop()
		if err := srv.WaitConfirmed(wait, ids[len(ids)-1]); err != nil {
			t.Fatalf("the malformed updates were not confirmed: %v", err)
		}
		hello := srv.SendText(tgserver.User{ID: 100, FirstName: "An", LanguageCode: "vi"}, "hello")
		if err := srv.WaitConfirmed(wait, hello); err != nil {
			t.Fatalf("the next update was not handled: %v", err)
		}
		if got := srv.SentTo(100); len(got) == 0 || got[len(got)-1].Text != "hi vi" {
			t.Errorf("after the malformed updates the bot answered %v", got)
		}
		for _, id := range ids {
			if ok, _ := state.Processed(ctx, id); !ok {
				t.Errorf("malformed update %d is not marked handled: it would come back at every restart", id)
			}
		}
		check(t, logs, ids)
	})

	t.Run("webhook", func(t *testing.T) {
		logs := &testkit.LogBuffer{}
		state := newMemState()
		rt := &Runtime{API: &recorder{}, Markers: state, Hooks: state, Handler: trusting,
			Log: slog.New(slog.NewJSONHandler(logs, nil)), Workers: 2}
		rt.serveWebhook("s3cret")
		var ids []int
		for i, raw := range odd {
			ids = append(ids, 200+i)
			if code := postRaw(rt, raw, 200+i); code != http.StatusOK {
				t.Errorf("malformed update %s: HTTP %d, want 200 (Telegram would send it again and again)", raw, code)
			}
			if ok, _ := state.Processed(context.Background(), 200+i); !ok {
				t.Errorf("malformed update %s is not marked handled", raw)
			}
		}
		check(t, logs, ids)
	})
}
