package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"agencybot/testkit"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

// With TELEGRAM_WEBHOOK_URL, `run` registers the webhook instead of polling
// and serves it on HTTP_ADDR beside /metrics (Telegram reaches it through a
// TLS proxy; the test posts to HTTP_ADDR as that proxy would): requests
// without the secret get 401, an update with it is answered and counted;
// stopping leaves the webhook in place.
func TestRunWebhookMode(t *testing.T) {
	const token = "123456789:AAhooktest_abcdefghijklmnopqrstuvw"
	const hookURL = "https://bot.example.gov.vn/telegram"
	srv := tgtest.BotAPI(t, tgserver.Options{Token: token, BotUsername: "hook_test_bot"})
	addr := freeAddr(t)
	env := testEnv(t, map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_ENDPOINT": srv.URL(), "ADMIN_TELEGRAM_IDS": "7",
		"HTTP_ADDR": addr, "TELEGRAM_WEBHOOK_URL": hookURL, "LOG_LEVEL": "info",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs testkit.LogBuffer
	done := make(chan error, 1)
	go func() { done <- execute(ctx, []string{"run"}, sys(io.Discard, &logs, env)) }()

	wait, stop := context.WithTimeout(context.Background(), 120*time.Second)
	defer stop()
	for {
		ch := srv.Changes()
		if srv.Webhook().URL == hookURL {
			break
		}
		select {
		case <-ch:
		case err := <-done:
			t.Fatalf("run ended: %v\n%s", err, logs.String())
		case <-wait.Done():
			t.Fatalf("no webhook registered\n%s", logs.String())
		}
	}
	wh := srv.Webhook()
	raw, _ := json.Marshal(map[string]any{"update_id": 77, "message": map[string]any{
		"message_id": 1, "date": 1766538000, "text": "/invite Sở Tư pháp",
		"entities": []map[string]any{{"type": "bot_command", "offset": 0, "length": 7}},
		"from":     map[string]any{"id": 7, "first_name": "Điều", "language_code": "vi"},
		"chat":     map[string]any{"id": 7, "type": "private"},
	}})
	post := func(secret string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram", strings.NewReader(string(raw)))
		if secret != "" {
			req.Header.Set(tgserver.SecretHeader, secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The answers to the update are the invites; what else the coordinator
	// gets (a caught-up reminder run's notice) depends on the day.
	invites := func() []tgserver.Sent {
		var out []tgserver.Sent
		for _, s := range srv.SentTo(7) {
			if strings.Contains(s.Text, "https://t.me/hook_test_bot?start=") {
				out = append(out, s)
			}
		}
		return out
	}
	if code := post("not-the-secret"); code != http.StatusUnauthorized || len(invites()) != 0 {
		t.Fatalf("wrong secret: HTTP %d, %d answers", code, len(invites()))
	}
	if code := post(wh.Secret); code != http.StatusOK {
		t.Fatalf("with the secret: HTTP %d\n%s", code, logs.String())
	}
	if sent := invites(); len(sent) != 1 {
		t.Fatalf("answers %v", srv.SentTo(7))
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`agencybot_updates_handled_total{kind="command",result="ok"} 1`, `agencybot_update_duration_seconds_count{kind="command"} 1`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if srv.Calls("getUpdates") != 0 {
		t.Errorf("webhook mode polled %d times", srv.Calls("getUpdates"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	if srv.Webhook().URL != hookURL || srv.Calls("deleteWebhook") != 0 {
		t.Errorf("stopping removed the webhook: %+v, %d deleteWebhook calls", srv.Webhook(), srv.Calls("deleteWebhook"))
	}
	if strings.Contains(logs.String(), "AAhooktest") || strings.Contains(logs.String(), wh.Secret) {
		t.Error("the token or the webhook secret is in the log")
	}
}
