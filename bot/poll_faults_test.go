package bot

// Issue 8 points 6-8: Telegram's update-id reset and a second poller (409),
// end to end; an endpoint that ignores the long-poll timeout is the
// runtime's (telegram.TestEmptyPollsAreGentle).

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/telegram"
)

// After Telegram restarts its update ids at a lower number, 50 presses and
// a /tasks are all handled — with the bot running through the reset and
// with a restart — and the reset is logged once.
func TestUpdateIDResetLosesNothing(t *testing.T) {
	for _, restart := range []bool{false, true} {
		name := "running"
		if restart {
			name = "restart"
		}
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			h.srv.SetUpdateID(900000) // ids before the week of silence
			card := h.linkAndOpenCard()
			if restart {
				h.stop()
			} else {
				h.quiet()
			}
			h.srv.SetUpdateID(5) // the week of silence: ids restart lower
			if restart {
				h.start()
			}
			before := len(h.srv.Callbacks())
			data := buttonWith(t, card, "Gặp vướng mắc")
			var last int
			for range 50 {
				last = h.srv.PressButton(officer, card.MessageID, data)
			}
			h.settle(last)
			if got := len(h.srv.Callbacks()) - before; got != 50 {
				t.Errorf("%d of 50 presses answered after the reset", got)
			}
			if got := h.say(officer, "/tasks"); len(got) == 0 {
				t.Error("/tasks got no answer after the reset")
			}
			if n := strings.Count(h.logs.String(), "restarted its update ids"); n != 1 {
				t.Errorf("the reset was logged %d times, want 1", n)
			}
			// The presses were applied once: one block, the other 49 "no change".
			hist, err := h.store.AssignmentHistory(context.Background(), cardAssignment(t, h), 100)
			if err != nil {
				t.Fatal(err)
			}
			var blocks int
			for _, u := range hist {
				if u.Kind == domain.SetStatus && u.Status == domain.Blocked {
					blocks++
				}
			}
			if blocks != 1 {
				t.Errorf("%d blocked updates in the history, want 1", blocks)
			}
		})
	}
}

// A replay after a crash is still recognised when ids are below the stored
// offset (the batch handled, the offset saved, the kill before Telegram was
// told): nothing is applied twice and no reset is logged.
func TestReplayBelowStoredOffsetIsNotAReset(t *testing.T) {
	h := newHarness(t)
	card := h.linkAndOpenCard()
	h.stop()
	id := h.srv.PressButton(officer, card.MessageID, buttonWith(t, card, "Gặp vướng mắc"))
	b, _ := h.wire(nil)
	ups := replayable(t, h)
	b.Runtime.HandleUpdate(context.Background(), ups[len(ups)-1]) // handled, then killed
	if err := h.store.SaveOffset(context.Background(), id+1); err != nil {
		t.Fatal(err)
	}
	n := len(h.srv.Callbacks())
	h.start()
	h.say(officer, "/tasks")
	if got := len(h.srv.Callbacks()) - n; got != 0 {
		t.Errorf("the replayed press was answered %d more times", got)
	}
	if strings.Contains(h.logs.String(), "restarted its update ids") {
		t.Error("a replay was logged as an id reset")
	}
}

// quiet waits until the running bot has confirmed everything and polls on
// with nothing to confirm (the poll after an empty one), as after a week
// without updates.
func (h *harness) quiet() {
	h.t.Helper()
	ctx := h.ctx()
	start := h.srv.Stats().Requests
	for {
		st := h.srv.Stats()
		if st.Requests >= start+2 && st.ActivePolls == 1 && h.srv.PendingUpdates() == 0 {
			return
		}
		select {
		case <-ctx.Done():
			h.t.Fatal("the bot did not poll on")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// cardAssignment is the id of the officer's assignment on task 25-3.
func cardAssignment(t *testing.T, h *harness) string {
	t.Helper()
	o, err := h.store.Officer(context.Background(), officer.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.AssignmentID("25-3", o.AgencyKey)
}

// A 409 at start ends Run with ErrConflict, a one-line error.
func TestConflictAtStartExits(t *testing.T) {
	h := newHarness(t)
	h.stop()
	h.srv.FailNext("getUpdates", 1, 409, 0)
	b, _ := h.wire(nil)
	b.Runtime.PollTimeout = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	err := b.Run(ctx)
	if !errors.Is(err, telegram.ErrConflict) {
		t.Fatalf("Run = %v, want ErrConflict", err)
	}
	if strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), testToken) {
		t.Errorf("error %q is not one clean line", err)
	}
}

// A 409 during a run is logged once, the admins are told once through the
// outbox, nothing is handled meanwhile, and handling resumes after it.
func TestConflictDuringRunPausesAndResumes(t *testing.T) {
	h := newHarness(t)
	var waits atomic.Int32 // the poller's waits between conflicting polls, not slept
	stop := h.startOutbox(nil, nil, func(b *Bot) {
		b.Runtime.Sleep = func(ctx context.Context, d time.Duration) bool {
			if d == telegram.ConflictPoll {
				waits.Add(1)
			}
			return ctx.Err() == nil
		}
	})
	defer stop()
	h.link(officer, "Sở Y tế")
	h.srv.FailNext("getUpdates", 3, 409, 0)
	h.say(officer, "/tasks") // the poll in flight takes it; the next ones meet the conflict
	h.waitAlerts(admin, "Một chương trình khác", 1)
	got := h.say(officer, "/tasks") // handled once the conflict clears
	if len(got) == 0 {
		t.Fatal("/tasks was not answered after the conflict cleared")
	}
	if got := h.waitAlerts(admin, "Một chương trình khác", 1); len(got) != 1 {
		t.Errorf("the admin was told %d times, want 1", len(got))
	}
	if n := strings.Count(h.logs.String(), "409 Conflict"); n != 1 {
		t.Errorf("the conflict was logged %d times, want 1", n)
	}
	if !strings.Contains(h.logs.String(), "handling resumes") {
		t.Error("the end of the conflict was not logged")
	}
	if n := waits.Load(); n != 3 {
		t.Errorf("the poller waited %d times between conflicting polls, want 3 (one per 409)", n)
	}
}
