package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/scheduler"
	"agencybot/testkit"
	"agencybot/tgserver"
)

// Issue 20: a push may wait (NotBefore), give way to another message
// (Unless), or be covered by a later one of its group (Group); each is
// decided when it falls due, and nothing is sent twice.
func TestPushWaitsGivesWayAndGroups(t *testing.T) {
	t.Parallel()
	srv, sender := fakeAPI(t, tgserver.Options{})
	clock := testkit.NewManual(testkit.At())
	st := scheduler.NewTestStore(t, clock.Now)
	s, err := scheduler.New(scheduler.Deps{Store: st, Sender: sender, Config: loadConfig(t, map[string]string{}), Workers: 2,
		Clock: clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	at := clock.Now().Add(3 * time.Minute)
	queue := func(key string, out domain.Outgoing) {
		t.Helper()
		if ok, err := s.Enqueue(ctx, key, out); !ok || err != nil {
			t.Fatalf("enqueue %s: %v %v", key, ok, err)
		}
	}
	texts := func(chat int64) string {
		var b []string
		for _, m := range srv.SentTo(chat) {
			b = append(b, m.Text)
		}
		return strings.Join(b, " | ")
	}
	// 501: an alert that waits, then gives way to the description that came.
	queue("block|b1|501", domain.Outgoing{ChatID: 501, Text: "blocked, no description", NotBefore: at, Unless: []string{"blockdesc|b1|501"}})
	// 502: an alert that waits and nothing came: sent when due.
	queue("block|b2|502", domain.Outgoing{ChatID: 502, Text: "blocked, no description", NotBefore: at, Unless: []string{"blockdesc|b2|502"}})
	// 503: three notices of one group; only the last (which lists all) goes.
	for i, text := range []string{"one", "one, two", "one, two, three"} {
		clock.Advance(time.Second)
		queue("wait|u"+string(rune('1'+i))+"|503", domain.Outgoing{ChatID: 503, Text: text, NotBefore: clock.Now().Add(2 * time.Minute), Group: "wait|503"})
	}
	if err := s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Sent()); n != 0 {
		t.Fatalf("%d messages sent before they were due: %s %s %s", n, texts(501), texts(502), texts(503))
	}
	queue("blockdesc|b1|501", domain.Outgoing{ChatID: 501, Text: "blocked: no money"})
	if err := s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	if got := texts(501); got != "blocked: no money" {
		t.Errorf("501 got %q before the wait ended", got)
	}
	clock.Set(at.Add(time.Minute))
	for i := 0; i < 2; i++ { // a second pass finds nothing more
		if err := s.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := texts(501); got != "blocked: no money" {
		t.Errorf("501 got %q, want the description alone", got)
	}
	if got := texts(502); got != "blocked, no description" {
		t.Errorf("502 got %q, want the alert once its wait ended", got)
	}
	if got := texts(503); got != "one, two, three" {
		t.Errorf("503 got %q, want the last of the group alone", got)
	}
}
