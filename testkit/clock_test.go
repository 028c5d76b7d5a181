package testkit

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Sleeping on a Manual clock moves it at once; a cancelled context leaves
// it where it was and says so.
func TestManualSleepMovesTheClock(t *testing.T) {
	t0 := time.Date(2025, 12, 24, 8, 0, 0, 0, Location())
	m := NewManual(t0)
	if err := m.Sleep(context.Background(), 90*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := m.Now(); !got.Equal(t0.Add(90 * time.Second)) {
		t.Errorf("after sleeping 90 s the clock reads %s", got)
	}
	if err := m.Sleep(context.Background(), -time.Second); err != nil || !m.Now().Equal(t0.Add(90*time.Second)) {
		t.Errorf("a negative sleep moved the clock to %s (%v)", m.Now(), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v", err)
	}
	if got := m.Now(); !got.Equal(t0.Add(90 * time.Second)) {
		t.Errorf("a cancelled sleep moved the clock to %s", got)
	}
}

// Sleeping on a Moving clock moves it forward at once by the wait, without
// waiting; a cancelled context leaves it where it was and says so.
func TestMovingSleepMovesTheClock(t *testing.T) {
	t0 := time.Date(2025, 12, 24, 8, 0, 0, 0, Location())
	m := NewMoving(t0)
	if err := m.Sleep(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	// An hour ahead, plus the little real time the test took (far below one).
	if got := m.Now().Sub(t0); got < time.Hour || got >= 2*time.Hour {
		t.Errorf("after sleeping an hour the clock is %s ahead", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	before := m.Now()
	if err := m.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep on a cancelled context = %v, want context.Canceled", err)
	}
	if got := m.Now().Sub(before); got >= time.Hour {
		t.Errorf("a cancelled sleep moved the clock by %s", got)
	}
}
