package store

import (
	"context"
	"testing"
	"time"
)

// The backlog counts messages without an outcome, and the oldest of them.
func TestOutboxBacklogAndRunFinished(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if d, o, err := s.OutboxBacklog(ctx); err != nil || d != 0 || !o.IsZero() {
		t.Fatalf("empty backlog = %d, %v, %v", d, o, err)
	}
	t0 := now.UTC()
	for i, key := range []string{"a", "b", "c"} {
		if _, err := s.Enqueue(ctx, OutboxMessage{Key: key, Kind: MessageNotice, ChatID: 1, CreatedAt: t0.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	// "a" is finished but not pruned yet: it no longer waits.
	if _, err := s.FinishMessage(ctx, OutboxMessage{Key: "a"}, OutcomeSent, 1, ""); err != nil {
		t.Fatal(err)
	}
	d, o, err := s.OutboxBacklog(ctx)
	if err != nil || d != 2 || !o.Equal(t0.Add(time.Minute)) {
		t.Fatalf("backlog = %d, %v, %v; want 2 from %v", d, o, err, t0.Add(time.Minute))
	}

	slot := "reminders@2025-12-24T08:00"
	if _, _, ok, err := s.RunFinished(ctx, slot); ok || err != nil {
		t.Fatalf("unplanned slot finished: %v %v", ok, err)
	}
	c, err := s.StartRun(ctx, slot, "me", time.Minute)
	if err != nil || !c.Started {
		t.Fatal(c, err)
	}
	if err := s.FinishRun(ctx, slot, c.Attempt, 12); err != nil {
		t.Fatal(err)
	}
	at, n, ok, err := s.RunFinished(ctx, slot)
	if err != nil || !ok || n != 12 || !at.Equal(t0) {
		t.Fatalf("RunFinished = %v %d %v %v", at, n, ok, err)
	}
}
