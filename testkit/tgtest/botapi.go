// Package tgtest starts the in-repo Bot API server for tests (apart from
// testkit, which tgserver's own tests import).
package tgtest

import (
	"testing"

	"agencybot/tgserver"
)

// BotAPI starts the in-repo Bot API server (package tgserver) with opts for
// one test and closes it when the test ends: the real tgbotapi client talks
// to srv.APIEndpoint() (the bot, the outbox's sender) or srv.URL() (the
// TELEGRAM_API_ENDPOINT of `agencybot run`).
func BotAPI(t testing.TB, opts tgserver.Options) *tgserver.Server {
	t.Helper()
	srv := tgserver.New(opts)
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}
