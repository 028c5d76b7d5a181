package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"agencybot/testkit"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

// Credentials in TELEGRAM_API_ENDPOINT reach neither the log of a run nor
// the error when the Bot API cannot be reached; credentials in MONGODB_URI
// reach neither when the database cannot be reached.
func TestCredentialsStayOutOfLogsAndErrors(t *testing.T) {
	const (
		token   = "123456789:AAredact_abcdefghijklmnopqrstuvwxy"
		tgUser  = "proxyuser7"
		tgPass  = "proxy-pass-Q9"
		dbUser  = "dbadmin7"
		dbPass  = "db-pass-W4"
		secrets = "AAredact|" + tgUser + "|" + tgPass + "|" + dbUser + "|" + dbPass
	)
	leaks := func(what, text string) {
		t.Helper()
		for _, s := range strings.Split(secrets, "|") {
			if strings.Contains(text, s) {
				t.Errorf("%s contains %q:\n%s", what, s, text)
			}
		}
	}
	withCreds := func(u string) string { return strings.Replace(u, "://", "://"+tgUser+":"+tgPass+"@", 1) }

	t.Run("run", func(t *testing.T) {
		srv := tgtest.BotAPI(t, tgserver.Options{Token: token, BotUsername: "redact_bot"})
		env := testEnv(t, map[string]string{
			"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_ENDPOINT": withCreds(srv.URL()),
			"ADMIN_TELEGRAM_IDS": "7", "LOG_LEVEL": "debug",
		})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var logs testkit.LogBuffer
		done := make(chan error, 1)
		go func() { done <- execute(ctx, []string{"run"}, sys(&logs, &logs, env)) }()
		wait, stop := context.WithTimeout(context.Background(), 90*time.Second)
		defer stop()
		id := srv.SendText(tgserver.User{ID: 7, FirstName: "An", LanguageCode: "vi"}, "/start")
		if err := srv.WaitConfirmed(wait, id); err != nil {
			t.Fatalf("the bot did not handle the update: %v\n%s", err, logs.String())
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("run: %v", err)
		}
		l := logs.String()
		if !strings.Contains(l, "connected to Telegram") || !strings.Contains(l, strings.TrimPrefix(srv.URL(), "http://")) {
			t.Errorf("the log does not say where it connected:\n%s", l)
		}
		leaks("the log", l)
	})

	t.Run("endpoint down", func(t *testing.T) {
		env := testEnv(t, map[string]string{"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_ENDPOINT": withCreds("http://127.0.0.1:1")})
		var logs testkit.LogBuffer
		err := execute(context.Background(), []string{"run"}, sys(&logs, &logs, env))
		if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
			t.Fatalf("run against a closed port: %v", err)
		}
		leaks("the error", err.Error())
		leaks("the log", logs.String())
	})

	t.Run("database down", func(t *testing.T) {
		env := testEnv(t, map[string]string{
			"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_ENDPOINT": withCreds("http://127.0.0.1:1"),
			"MONGODB_URI": "mongodb://" + dbUser + ":" + dbPass + "@127.0.0.1:1/?authSource=admin&connectTimeoutMS=300",
		})
		var logs testkit.LogBuffer
		err := execute(context.Background(), []string{"run"}, sys(&logs, &logs, env))
		if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
			t.Fatalf("run against a closed database port: %v", err)
		}
		leaks("the error", err.Error())
		leaks("the log", logs.String())
	})
}
