// Issue 8 point 1, the bot's side: the tests the next round makes pass. They
// assume the bot queues its pushes through a field
//
//	Outbox interface{ Enqueue(ctx context.Context, key string, out domain.Outgoing) (bool, error) }
//
// that *scheduler.Scheduler satisfies (scheduler.Enqueue), keyed by the
// update that caused them.
package bot

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"agencybot/scheduler"
	"agencybot/tgserver"
)

// resetOnce is a transport whose first n sends to chat die with a reset
// connection (what a proxy or a flaky link does); other requests pass.
type resetOnce struct {
	n    atomic.Int32
	chat int64
	next http.RoundTripper
}

func (r *resetOnce) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/sendMessage") && req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		if form.Get("chat_id") == strconv.FormatInt(r.chat, 10) && r.n.Add(-1) >= 0 {
			return nil, &netErr{syscall.ECONNRESET}
		}
	}
	return r.next.RoundTrip(req)
}

type netErr struct{ err error }

func (e *netErr) Error() string { return "read tcp: " + e.err.Error() }
func (e *netErr) Unwrap() error { return e.err }

// startOutbox restarts the harness's bot with its outbox's dispatcher
// running until the returned stop is called; client (nil: default) carries
// the Bot API requests; deps changes its dependencies and adjust the bot
// before it starts.
func (h *harness) startOutbox(client *http.Client, deps func(*Deps), adjust ...func(*Bot)) (stop func()) {
	h.t.Helper()
	h.stop()
	h.startWith(client, deps, adjust...)
	return h.stopSend
}

// replay handles again every update sent so far, as a bot restarted before
// it saved its offset does, queueing through sched's outbox.
func (h *harness) replay(sched *scheduler.Scheduler) {
	h.t.Helper()
	b, _ := h.wireWith(h.store, nil, func(d *Deps) { d.Outbox = sched })
	for _, u := range replayable(h.t.(*testing.T), h) {
		b.Runtime.HandleUpdate(context.Background(), u)
	}
}

// waitAlerts waits until the leader got n messages containing part.
func (h *harness) waitAlerts(u tgserver.User, part string, n int) []tgserver.Sent {
	h.t.Helper()
	match := func() []tgserver.Sent {
		var out []tgserver.Sent
		for _, s := range h.srv.SentTo(u.ID) {
			if strings.Contains(s.Text, part) {
				out = append(out, s)
			}
		}
		return out
	}
	if err := h.srv.WaitFor(h.ctx(), func([]tgserver.Sent) bool { return len(match()) >= n }); err != nil {
		h.t.Fatalf("%d message(s) with %q for %d: %v (got %d)", n, part, u.ID, err, len(match()))
	}
	return match()
}

// openCard links the officer and the leader and opens task 25-3's card.
func (h *harness) linkAndOpenCard() tgserver.Sent {
	h.t.Helper()
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	list := h.say(officer, "/tasks")
	_, sent := h.press(officer, list[len(list)-1].MessageID, buttonWith(h.t, list[len(list)-1], "25-3"))
	return sent[len(sent)-1]
}

// The block alert reaches the leaders exactly once through four 429s, four
// 502s and a reset connection.
func TestBlockAlertThroughFaultsArrivesOnce(t *testing.T) {
	for name, fault := range map[string]func(h *harness){
		"four 429s": func(h *harness) { h.srv.FailNext("sendMessage", 4, 429, 1) },
		"four 502s": func(h *harness) { h.srv.FailNext("sendMessage", 4, 502, 0) },
	} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			stop := h.startOutbox(nil, nil)
			defer stop()
			card := h.linkAndOpenCard()
			fault(h)
			h.press(officer, card.MessageID, buttonWith(t, card, "Gặp vướng mắc"))
			h.say(officer, "Chưa có kinh phí") // the description: the block's one alert carries it
			h.waitAlerts(leader, "Chưa có kinh phí", 1)
			h.later(blockWait + time.Minute)
			if got := h.waitAlerts(leader, "Vướng mắc: 25-3", 1); len(got) != 1 {
				t.Errorf("%d block alerts, want 1", len(got))
			}
		})
	}
	t.Run("reset connection", func(t *testing.T) {
		h := newHarness(t)
		rt := &resetOnce{next: http.DefaultTransport, chat: leader.ID}
		stop := h.startOutbox(&http.Client{Transport: rt, Timeout: 30 * time.Second}, nil)
		defer stop()
		card := h.linkAndOpenCard()
		rt.n.Store(1) // the alert's send is the next message to the leader
		h.press(officer, card.MessageID, buttonWith(t, card, "Gặp vướng mắc"))
		h.later(blockWait + time.Minute) // no description: the alert goes once its wait is over
		if got := h.waitAlerts(leader, "Vướng mắc: 25-3", 1); len(got) != 1 {
			t.Errorf("%d block alerts, want 1", len(got))
		}
		if rt.n.Load() >= 0 {
			t.Error("the reset was not injected")
		}
	})
}

// Killed right after the press (the update applied, the alert queued, not
// yet sent): after the restart the alert arrives once, the officer is
// still asked to describe the block, and a replay of the press sends
// nothing new.
func TestBlockAlertAfterKillArrivesOnce(t *testing.T) {
	h := newHarness(t)
	card := h.linkAndOpenCard()
	h.stop()
	// The bot handles the press with no dispatcher running: as if killed
	// before it could send.
	b, sched := h.wire(nil)
	h.run(b, sched, false)
	id := h.srv.PressButton(officer, card.MessageID, buttonWith(t, card, "Gặp vướng mắc"))
	h.settle(id)
	h.stop()
	for _, s := range h.srv.SentTo(leader.ID) {
		if strings.Contains(s.Text, "Vướng mắc") {
			t.Fatalf("the alert reached the leader without a dispatcher: %q", s.Text)
		}
	}
	h.replay(sched) // the offset was not saved before the kill
	stop := h.startOutbox(nil, nil)
	defer stop()
	h.later(blockWait + time.Minute)
	if got := h.waitAlerts(leader, "Vướng mắc: 25-3", 1); len(got) != 1 {
		t.Errorf("%d block alerts after the kill, want 1", len(got))
	}
	h.say(officer, "/tasks") // everything before it was handled
	if got := h.waitAlerts(leader, "Vướng mắc: 25-3", 1); len(got) != 1 {
		t.Errorf("%d block alerts after the replay, want 1", len(got))
	}
	var asked int
	for _, s := range h.srv.SentTo(officer.ID) {
		if strings.Contains(s.Text, "mô tả") {
			asked++
		}
	}
	if asked != 1 {
		t.Errorf("the officer was asked to describe the block %d times, want 1", asked)
	}
}

// The admin is told once that an invite was used, through four 502s.
func TestInviteUsedNoticeThroughOutbox(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	got := h.say(admin, "/invite Sở Y tế")
	m := startRE.FindStringSubmatch(lastText(t, got))
	if m == nil {
		t.Fatal("no invite link")
	}
	h.srv.FailNext("sendMessage", 4, 502, 0)
	h.say(officer, "/start "+m[1])
	if got := h.waitAlerts(admin, "đã dùng mã mời", 1); len(got) != 1 {
		t.Errorf("%d invite-used notices, want 1", len(got))
	}
}

// The substitute is told once, also when the bot is killed right after the
// officer's choice and the press is replayed.
func TestSubstituteNoticeOnceAfterKill(t *testing.T) {
	h := newHarness(t)
	colleague := tgserver.User{ID: 101, FirstName: "Phạm", LastName: "Cúc", LanguageCode: "vi"}
	h.link(officer, "Sở Y tế")
	h.link(colleague, "Sở Y tế")
	got := h.say(officer, "/pause 7")
	choice := got[len(got)-1]
	h.stop()
	id := h.srv.PressButton(officer, choice.MessageID, buttonWith(t, choice, "Phạm Cúc"))
	stop := h.startOutbox(nil, nil)
	h.settle(id)
	h.waitAlerts(colleague, "thay Nguyễn An", 1)
	stop()
	h.stop()
	_, sched := h.wire(nil)
	h.replay(sched) // killed before the offset was saved
	stop = h.startOutbox(nil, nil)
	defer stop()
	h.say(officer, "/tasks")
	if got := h.waitAlerts(colleague, "thay Nguyễn An", 1); len(got) != 1 {
		t.Errorf("the substitute was told %d times, want 1", len(got))
	}
}
