// Package retry holds the program's one way to wait (Sleep: a pause that a
// cancelled context ends) and its one shape of retry policy (Backoff: waits
// that double from a base up to a cap, optionally jittered).
package retry

import (
	"context"
	"math/rand/v2"
	"time"
)

// Sleep waits d, or until ctx ends; it returns ctx.Err() when ctx ended
// first (or had ended already), nil otherwise. d <= 0 does not wait. The
// timer is stopped on return, so a loop that sleeps leaks nothing (unlike
// time.After in a select).
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Backoff is an exponential retry policy: the wait before the n-th retry
// is Base·2^(n-1), never more than Cap. With Jitter, the wait is drawn
// uniformly from Base, 2·Base, … up to that value, so that writers that
// collided do not collide again in step.
type Backoff struct {
	Base   time.Duration // the first wait; must be positive
	Cap    time.Duration // the longest wait; 0 = no cap
	Jitter bool
}

// Delay is the wait before retry n (n >= 1; smaller n count as 1).
func (b Backoff) Delay(n int) time.Duration {
	d := b.ceiling(n)
	if b.Jitter && d > b.Base {
		d = b.Base * time.Duration(1+rand.Int64N(int64(d/b.Base)))
	}
	return d
}

// ceiling is the wait before retry n without jitter.
func (b Backoff) ceiling(n int) time.Duration {
	n = max(n, 1)
	d := b.Base
	for i := 1; i < n; i++ {
		if b.Cap > 0 && d >= b.Cap {
			break
		}
		if d > (1<<62)/2 { // doubling again would overflow
			break
		}
		d *= 2
	}
	if b.Cap > 0 {
		d = min(d, b.Cap)
	}
	return d
}

// Sleep waits the delay before retry n, or until ctx ends (see Sleep).
func (b Backoff) Sleep(ctx context.Context, n int) error { return Sleep(ctx, b.Delay(n)) }
