package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Of racing claimers of one attempt, one wins; a released attempt, an
// expired lease and a recorded outcome read back as written; a finished
// message is not queued again.
func TestOutboxClaimsAndOutcomes(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	m := OutboxMessage{Key: "rem|2025-12-24T08:00|101", Kind: MessageReminder, ChatID: 101,
		Items: []OutboxItem{{ID: "pre_deadline|25-3/so-khcn|2025-12-31/d7|101", Kind: "pre_deadline", Task: "25-3", Days: 7}}}
	if ok, err := s.Enqueue(ctx, m); !ok || err != nil {
		t.Fatalf("enqueue: %v %v", ok, err)
	}
	if ok, _ := s.Enqueue(ctx, m); ok {
		t.Error("queued twice")
	}
	var wins sync.WaitGroup
	won := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wins.Add(1)
		go func() {
			defer wins.Done()
			ok, err := s.ClaimMessage(ctx, m.Key, 1, fmt.Sprint("w", i), now.Add(2*time.Minute))
			if err != nil {
				t.Error(err)
			}
			if ok {
				won <- fmt.Sprint("w", i)
			}
		}()
	}
	wins.Wait()
	close(won)
	if n := len(won); n != 1 {
		t.Fatalf("%d claimers won", n)
	}
	if err := s.ReleaseMessage(ctx, m.Key, 1, Release{NotBefore: now.Add(time.Minute), Failures: 3, Abandoned: 2, Error: "Bad Gateway"}); err != nil {
		t.Fatal(err)
	}
	c, found, err := s.MessageClaim(ctx, m.Key, 1)
	if err != nil || !found || !c.Released || c.Failures != 3 || c.Abandoned != 2 || c.Error != "Bad Gateway" || !c.NotBefore.Equal(now.Add(time.Minute)) {
		t.Errorf("claim %+v %v %v", c, found, err)
	}
	if _, found, _ := s.MessageClaim(ctx, m.Key, 2); found {
		t.Error("attempt 2 exists")
	}
	pending, err := s.PendingMessages(ctx, 0)
	if err != nil || len(pending) != 1 || len(pending[0].Items) != 1 || pending[0].Items[0].Days != 7 {
		t.Fatalf("pending %+v %v", pending, err)
	}
	if ok, err := s.FinishMessage(ctx, m, OutcomeSent, 2, ""); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if ok, _ := s.FinishMessage(ctx, m, OutcomeFailed, 3, "late"); ok {
		t.Error("second outcome recorded")
	}
	if err := s.PruneOutbox(ctx, []string{m.Key}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Enqueue(ctx, m); ok {
		t.Error("a finished message was queued again")
	}
	out, found, err := s.MessageOutcome(ctx, m.Key)
	if err != nil || !found || out.State != OutcomeSent || out.Message.ChatID != 101 {
		t.Errorf("outcome %+v %v %v", out, found, err)
	}
	if p, _ := s.PendingMessages(ctx, 0); len(p) != 0 {
		t.Errorf("%d left", len(p))
	}
}

// A run slot is planned once; a planner that died is taken over after its
// lease; item marks are first-wins.
func TestRunsAndItemMarks(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	slot := "reminders@2025-12-24T08:00"
	c, err := s.StartRun(ctx, slot, "a", 10*time.Minute)
	if err != nil || !c.Started || c.Attempt != 1 {
		t.Fatalf("first: %+v %v", c, err)
	}
	if c, _ := s.StartRun(ctx, slot, "b", 10*time.Minute); c.Started || c.Done {
		t.Errorf("while a plans: %+v", c)
	}
	*now = now.Add(11 * time.Minute) // a died
	c, err = s.StartRun(ctx, slot, "b", 10*time.Minute)
	if err != nil || !c.Started || c.Attempt != 2 {
		t.Fatalf("takeover: %+v %v", c, err)
	}
	if err := s.FinishRun(ctx, slot, 2, 5); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.StartRun(ctx, slot, "c", 10*time.Minute); c.Started || !c.Done {
		t.Errorf("after finish: %+v", c)
	}
	id := "overdue|25-3/so-khcn|2025-12-31/w0|101"
	if ok, _, err := s.MarkItem(ctx, id, slot, "m1"); !ok || err != nil {
		t.Fatal(ok, err)
	}
	ok, prev, err := s.MarkItem(ctx, id, "other", "m2")
	if ok || err != nil || prev.Run != slot || prev.Msg != "m1" {
		t.Errorf("second mark: %v %+v %v", ok, prev, err)
	}
}

// A planning slot held by a live planner is left to it; the same owner
// restarted (killed mid-plan) takes it over at once, another one only after
// the lease.
func TestStartRunTakesBackOwnSlot(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	const slot = "reminders@2025-12-24T08:00"
	if c, err := s.StartRun(ctx, slot, "A", 10*time.Minute); err != nil || !c.Started || c.Attempt != 1 {
		t.Fatalf("first claim %+v %v", c, err)
	}
	if c, err := s.StartRun(ctx, slot, "B", 10*time.Minute); err != nil || c.Started {
		t.Fatalf("another planner took a live slot: %+v %v", c, err)
	}
	if c, err := s.StartRun(ctx, slot, "A", 10*time.Minute); err != nil || !c.Started || c.Attempt != 2 {
		t.Fatalf("the same planner restarted: %+v %v", c, err)
	}
	*now = now.Add(11 * time.Minute)
	if c, err := s.StartRun(ctx, slot, "B", 10*time.Minute); err != nil || !c.Started || c.Attempt != 3 {
		t.Fatalf("after the lease: %+v %v", c, err)
	}
}
