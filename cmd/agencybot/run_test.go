package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"agencybot/testkit"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

// `agencybot run` against a Bot API server (TELEGRAM_API_ENDPOINT): with no
// database configured it starts the embedded one, seeds it, answers users,
// and exits cleanly when its context ends; the token never reaches the log.
func TestRunServesTelegramAndStopsCleanly(t *testing.T) {
	const token = "123456789:AAruntest_abcdefghijklmnopqrstuvw"
	srv := tgtest.BotAPI(t, tgserver.Options{Token: token, BotUsername: "run_test_bot"})
	env := testEnv(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":    token,
		"TELEGRAM_API_ENDPOINT": srv.URL(),
		"ADMIN_TELEGRAM_IDS":    "7",
		"LOG_LEVEL":             "debug",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs testkit.LogBuffer
	done := make(chan error, 1)
	go func() { done <- execute(ctx, []string{"run"}, sys(&logs, &logs, env)) }()

	wait, stop := context.WithTimeout(context.Background(), 90*time.Second)
	defer stop()
	admin := tgserver.User{ID: 7, FirstName: "Điều", LastName: "Phối", LanguageCode: "vi"}
	id := srv.SendText(admin, "/invite Sở Tư pháp")
	if err := srv.WaitConfirmed(wait, id); err != nil {
		t.Fatalf("the bot did not handle the update: %v\n%s", err, logs.String())
	}
	sent := srv.SentTo(admin.ID)
	if len(sent) == 0 || !strings.Contains(sent[len(sent)-1].Text, "https://t.me/run_test_bot?start=") {
		t.Fatalf("invite answer: %v", sent)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-wait.Done():
		t.Fatal("run did not stop")
	}
	l := logs.String()
	if strings.Contains(l, token) || strings.Contains(l, "AAruntest") {
		t.Error("the token is in the log")
	}
	if !strings.Contains(l, "embedded FerretDB") || !strings.Contains(l, "seeded the plans") {
		t.Errorf("the log does not say which database is used:\n%s", l)
	}
}

// With no token, `agencybot run` is the sandbox: the console says so, gives
// the page's address and how to connect a real bot; the page answers, the
// real bot code replies to a persona through the built-in Bot API server,
// and the data lives in its own database, never MONGODB_DATABASE.
func TestRunWithoutTokenStartsSandbox(t *testing.T) {
	env := testEnv(t, map[string]string{"SANDBOX_ADDR": "127.0.0.1:0", "LOG_LEVEL": "info"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs testkit.LogBuffer
	done := make(chan error, 1)
	go func() { done <- execute(ctx, []string{"run"}, sys(&logs, &logs, env)) }()

	wait, stop := context.WithTimeout(context.Background(), 90*time.Second)
	defer stop()
	var page string
	for page == "" {
		if _, rest, ok := strings.Cut(logs.String(), "Open http://"); ok {
			page = "http://" + strings.Fields(rest)[0]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run ended before the sandbox was ready: %v\n%s", err, logs.String())
		case <-wait.Done():
			t.Fatalf("no sandbox address in the console:\n%s", logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	l := logs.String()
	for _, want := range []string{"SANDBOX", "@BotFather", "TELEGRAM_BOT_TOKEN=<token>", "agencybot_sandbox", "make run"} {
		if !strings.Contains(l, want) {
			t.Errorf("console lacks %q:\n%s", want, l)
		}
	}
	if strings.Contains(l, "name=agencybot ") {
		t.Errorf("the sandbox opened the real database:\n%s", l)
	}

	post := func(path, body string) {
		req, _ := http.NewRequestWithContext(wait, http.MethodPost, page+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Sandbox", "1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %s", path, resp.Status)
		}
	}
	post("/api/send", `{"id":7001,"text":"/whoami"}`)
	var chat struct {
		Messages []struct {
			Out  bool   `json:"out"`
			Text string `json:"text"`
		} `json:"messages"`
		Commands []struct {
			Command string `json:"command"`
		} `json:"commands"`
	}
	for {
		resp, err := http.Get(page + "/api/chat?id=7001")
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&chat)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		// The menus are set in the background as the bot starts (the page
		// redraws the menu when it changes), so the admin menu may arrive
		// just after the first answer: wait for both.
		menu := ""
		for _, c := range chat.Commands {
			menu += "/" + c.Command + " "
		}
		answered := len(chat.Messages) >= 2 && !chat.Messages[len(chat.Messages)-1].Out
		if answered && strings.Contains(menu, "/invite") {
			break
		}
		select {
		case <-wait.Done():
			if !answered {
				t.Fatalf("the bot did not answer the coordinator: %+v\n%s", chat, logs.String())
			}
			t.Fatalf("the coordinator's command menu is %q, want the admin menu with /invite", menu)
		case <-time.After(100 * time.Millisecond):
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run returned %v", err)
		}
	case <-wait.Done():
		t.Fatal("the sandbox did not stop")
	}
}

// The page listens on loopback only unless SANDBOX_ALLOW_REMOTE=1.
func TestSandboxRefusesRemoteAddressWithoutSetting(t *testing.T) {
	var out, errb bytes.Buffer
	err := execute(context.Background(), []string{"run"}, sys(&out, &errb, testEnv(t, map[string]string{"SANDBOX_ADDR": "0.0.0.0:8080"})))
	if err == nil || !strings.Contains(err.Error(), "SANDBOX_ALLOW_REMOTE=1") {
		t.Errorf("err = %v", err)
	}
}
