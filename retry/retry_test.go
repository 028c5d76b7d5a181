package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSleepReturnsNilAfterTheWait(t *testing.T) {
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("Sleep = %v", err)
	}
	if err := Sleep(context.Background(), 0); err != nil {
		t.Fatalf("Sleep(0) = %v", err)
	}
	if err := Sleep(context.Background(), -time.Second); err != nil {
		t.Fatalf("Sleep(-1s) = %v", err)
	}
}

// A cancelled context ends the wait with its error, whether it ended before
// the call, during it, or by its deadline; a zero wait on an ended context
// reports it too, so a retry loop stops.
func TestSleepStopsWithTheContext(t *testing.T) {
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, d := range []time.Duration{0, time.Hour} {
		if err := Sleep(done, d); !errors.Is(err, context.Canceled) {
			t.Errorf("Sleep(cancelled, %s) = %v", d, err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Sleep(ctx, time.Hour) }()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep cancelled meanwhile = %v", err)
	}

	dl, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	if err := Sleep(dl, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Sleep past its deadline = %v", err)
	}
}

// The policies the program uses give the waits they gave before they moved
// here.
func TestBackoffDelays(t *testing.T) {
	for _, c := range []struct {
		name string
		b    Backoff
		want []time.Duration // for n = 1, 2, …
	}{
		{"outbox send (scheduler)", Backoff{Base: time.Second, Cap: 10 * time.Minute},
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second,
				64 * time.Second, 128 * time.Second, 256 * time.Second, 512 * time.Second, 10 * time.Minute, 10 * time.Minute}},
		{"failed poll (bot)", Backoff{Base: time.Second, Cap: time.Minute},
			[]time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, time.Minute, time.Minute}},
		{"webhook delivery (tgserver)", Backoff{Base: 10 * time.Millisecond, Cap: time.Second},
			[]time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond,
				160 * time.Millisecond, 320 * time.Millisecond, 640 * time.Millisecond, time.Second, time.Second}},
	} {
		for i, want := range c.want {
			if got := c.b.Delay(i + 1); got != want {
				t.Errorf("%s: Delay(%d) = %s, want %s", c.name, i+1, got, want)
			}
		}
	}
	b := Backoff{Base: time.Second, Cap: time.Minute}
	if got := b.Delay(0); got != time.Second {
		t.Errorf("Delay(0) = %s, want the first wait", got)
	}
	if got := b.Delay(1 << 30); got != time.Minute {
		t.Errorf("Delay(huge) = %s, want the cap", got)
	}
	uncapped := Backoff{Base: time.Second}
	if got := uncapped.Delay(200); got <= 0 || got < uncapped.Delay(40) {
		t.Errorf("uncapped Delay(200) = %s: overflowed", got)
	}
}

// With jitter every wait is a whole number of Bases from Base up to the
// unjittered wait, and every such value comes up (the store's contended
// writes: 1–2 ms, 1–4 ms, … 1–64 ms).
func TestBackoffJitter(t *testing.T) {
	b := Backoff{Base: time.Millisecond, Cap: 64 * time.Millisecond, Jitter: true}
	for n := 1; n <= 8; n++ {
		ceiling := Backoff{Base: b.Base, Cap: b.Cap}.Delay(n)
		seen := map[time.Duration]bool{}
		for range 4000 {
			d := b.Delay(n)
			if d < b.Base || d > ceiling || d%b.Base != 0 {
				t.Fatalf("Delay(%d) = %s, want a multiple of %s in [%s, %s]", n, d, b.Base, b.Base, ceiling)
			}
			seen[d] = true
		}
		if n <= 4 && len(seen) != int(ceiling/b.Base) {
			t.Errorf("Delay(%d) drew %d distinct waits, want all %d", n, len(seen), ceiling/b.Base)
		}
	}
}

func TestBackoffSleepStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (Backoff{Base: time.Hour}).Sleep(ctx, 3); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep = %v", err)
	}
	if err := (Backoff{Base: time.Millisecond}).Sleep(context.Background(), 1); err != nil {
		t.Errorf("Sleep = %v", err)
	}
}
