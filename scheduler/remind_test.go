package scheduler

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"agencybot/domain"
	"agencybot/store"
)

// killedPlanner is the store of a planner killed while it queues a run: the
// first `after` batches of messages are queued, then the process dies, right
// after it marked the items of the next (nothing more reaches the database).
// With halfMarks the process dies in the middle of the next batch's marks
// instead (the first half of them written); with halfMsgs in the middle of
// its messages (the first half of them queued), as a batch cut by a kill
// on a backend that applies an unordered insert document by document.
type killedPlanner struct {
	*store.Store
	after, calls, markCalls int
	halfMarks, halfMsgs     bool
}

func (k *killedPlanner) MarkItems(ctx context.Context, marks []store.ItemMark) ([]bool, error) {
	if k.markCalls++; k.halfMarks && k.markCalls > k.after {
		if _, err := k.Store.MarkItems(ctx, marks[:len(marks)/2]); err != nil {
			return nil, err
		}
		return nil, errKilled
	}
	return k.Store.MarkItems(ctx, marks)
}

func (k *killedPlanner) EnqueueNew(ctx context.Context, msgs []store.OutboxMessage) ([]bool, error) {
	if k.calls++; k.calls > k.after {
		if k.halfMsgs {
			if _, err := k.Store.EnqueueNew(ctx, msgs[:len(msgs)/2]); err != nil {
				return nil, err
			}
		}
		return nil, errKilled
	}
	return k.Store.EnqueueNew(ctx, msgs)
}

// byChat is what each chat was sent.
func byChat(sent []domain.Outgoing) map[int64][]domain.Outgoing {
	out := map[int64][]domain.Outgoing{}
	for _, m := range sent {
		out[m.ChatID] = append(out[m.ChatID], m)
	}
	return out
}

// A run is marked and queued in chunks (25 messages, then 100). A planner
// killed between a chunk's marks and its messages loses nothing and doubles
// nothing: restarted (the same instance takes its slot back at once), it
// queues what is missing, and every officer gets exactly the message a run
// without a kill sends them.
func TestPlannerKilledMidRunQueuesEachOnce(t *testing.T) {
	t.Parallel()
	day := at(2025, 12, 24, 8, 0)
	ref := newEnv(t)
	ids := ref.linkMany(160) // three chunks: 25, 100, 35
	want := byChat(ref.day(day))
	if len(want) != len(ids)+1 {
		t.Fatalf("the run without a kill reached %d chats, want %d officers and the admin", len(want), len(ids))
	}
	chunks := []int{25, 100, 35}
	for _, kill := range []struct {
		after               int
		halfMarks, halfMsgs bool
	}{{0, false, false}, {1, false, false}, {2, false, false}, {0, true, false}, {1, true, false}, {2, false, true}, {1, false, true}} {
		after := kill.after
		t.Run(fmt.Sprintf("killed after %d chunks, half marks %v, half messages %v", after, kill.halfMarks, kill.halfMsgs), func(t *testing.T) {
			e := newEnv(t)
			e.linkMany(160)
			e.clock.Set(day)
			dying, err := New(Deps{Store: &killedPlanner{Store: e.st, after: after, halfMarks: kill.halfMarks, halfMsgs: kill.halfMsgs},
				Sender: e.send, Clock: e.clock.Now, Sleep: e.clock.Sleep, Config: e.cfg, Workers: 4, Instance: "A"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := dying.RunReminders(e.ctx, day); !errors.Is(err, errKilled) {
				t.Fatalf("the dying planner: %v", err)
			}
			queuedBefore := 0
			for _, n := range chunks[:after] {
				queuedBefore += n
			}
			if kill.halfMsgs {
				queuedBefore += chunks[after] / 2
			}
			n, err := e.s.RunReminders(e.ctx, day) // restarted: instance "A" again
			if err != nil || n != len(ids)+1-queuedBefore {
				t.Fatalf("restarted planner queued %d, %v; want %d", n, err, len(ids)+1-queuedBefore)
			}
			if err := e.s.Dispatch(e.ctx); err != nil {
				t.Fatal(err)
			}
			got := byChat(e.send.Sent())
			for chat, w := range want {
				if !reflect.DeepEqual(got[chat], w) {
					t.Errorf("chat %d got %d messages %+v, want %+v", chat, len(got[chat]), got[chat], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d chats reached, want %d", len(got), len(want))
			}
			if n, _ := e.s.RunReminders(e.ctx, day); n != 0 {
				t.Errorf("the slot planned again: %d messages", n)
			}
		})
	}
}

// With two reminder slots a day, the second finds every item of the first
// marked and queues nothing for those who were told at 08:00; an officer
// linked in between gets the day's items at 14:00, once.
func TestSecondSlotOfTheDayQueuesOnlyWhatIsNew(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "REMINDER_CRON", "0 8,14 * * 1-5")
	ids := e.linkMany(30)
	morning := e.day(at(2025, 12, 24, 8, 0))
	assertOnce(t, morning, append(ids, admin))
	e.link(khcnEN, "so-khcn", "en", "Late Officer")
	afternoon := e.day(at(2025, 12, 24, 14, 0))
	if len(afternoon) != 1 || afternoon[0].ChatID != khcnEN {
		t.Fatalf("the 14:00 slot sent %d messages %+v; want one, to the officer linked at noon", len(afternoon), afternoon)
	}
	// The newcomer hears of what a colleague of the same agency heard of
	// in the morning (in English).
	var colleague domain.Outgoing
	for _, m := range morning {
		if m.ChatID == ids[0] { // linkMany gives the first to so-khcn
			colleague = m
		}
	}
	if got, want := codes(afternoon[0].Text), codes(colleague.Text); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("the newcomer heard of %v, the colleague of %v", got, want)
	}
}
