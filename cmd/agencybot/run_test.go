package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"agencybot/tgserver"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// `agencybot run` against a Bot API server (TELEGRAM_API_ENDPOINT): with no
// database configured it starts the embedded one, seeds it, answers users,
// and exits cleanly when its context ends; the token never reaches the log.
func TestRunServesTelegramAndStopsCleanly(t *testing.T) {
	const token = "123456789:AAruntest_abcdefghijklmnopqrstuvw"
	srv := tgserver.New(tgserver.Options{Token: token, BotUsername: "run_test_bot"})
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	env := testEnv(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":    token,
		"TELEGRAM_API_ENDPOINT": srv.URL(),
		"ADMIN_TELEGRAM_IDS":    "7",
		"LOG_LEVEL":             "debug",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs lockedBuffer
	done := make(chan error, 1)
	go func() { done <- execute(ctx, []string{"run"}, &logs, &logs, env) }()

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
