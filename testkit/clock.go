// Package testkit holds what the tests of several packages share: the
// instant they pin the clock to and the clocks built on it (clock.go), the
// log buffer they read the program's log from (log.go), and the in-repo Bot
// API server started for one test (botapi.go).
package testkit

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh loads on any machine
)

// AtEnv names the variable that moves the pinned instant: `make
// test-clocks` runs the tests that start the whole program with it set to
// a Wednesday 10:00, a Sunday 23:59 and 31 December 23:59:30.
const AtEnv = "AGENCYBOT_TEST_AT"

// DefaultAt is the instant tests pin the clock to when AtEnv is not set:
// Wednesday 2 December 2026, 10:00 in Đồng Tháp (after the day's 08:00
// reminder slot, so a catch-up run happens as it would in production).
var DefaultAt = time.Date(2026, 12, 2, 10, 0, 0, 0, Location())

// Location is Asia/Ho_Chi_Minh.
func Location() *time.Location {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(fmt.Sprintf("testkit: time zone: %v", err))
	}
	return loc
}

// At is the pinned instant: AtEnv (RFC 3339) when set, else DefaultAt. A
// malformed value panics, so that a mistyped run cannot pass on the default.
func At() time.Time {
	v := os.Getenv(AtEnv)
	if v == "" {
		return DefaultAt
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		panic(fmt.Sprintf("testkit: %s=%q is not RFC 3339 (e.g. 2026-12-02T10:00:00+07:00): %v", AtEnv, v, err))
	}
	return t.In(Location())
}

// Pinned is a clock that reads t0 when it is made and then moves on with
// the real elapsed time (the monotonic clock), so that the date and hour
// the program sees are t0's while its timers, leases and rate limits still
// run. It never reads the wall clock's date.
func Pinned(t0 time.Time) func() time.Time {
	start := time.Now() // only for its monotonic reading: elapsed time
	return func() time.Time { return t0.Add(time.Since(start)) }
}

// Manual is a clock that moves only when told (Set, Advance); safe for
// concurrent use.
type Manual struct {
	mu sync.Mutex
	t  time.Time
}

// NewManual is a Manual clock reading t.
func NewManual(t time.Time) *Manual { return &Manual{t: t} }

// Now reads the clock.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

// Set moves the clock to t.
func (m *Manual) Set(t time.Time) {
	m.mu.Lock()
	m.t = t
	m.mu.Unlock()
}

// Sleep is the waits of the code under test on this clock: it moves the
// clock forward by d at once, unless ctx has ended (its error).
func (m *Manual) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		m.Advance(d)
	}
	return nil
}

// Advance moves the clock forward by d and returns the new reading.
func (m *Manual) Advance(d time.Duration) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = m.t.Add(d)
	return m.t
}

// Moving is a clock set to an instant that then moves on with the real
// elapsed time until it is set again: the date a test chose, with retries,
// leases and rate limits that still fall due. Safe for concurrent use.
type Moving struct {
	mu    sync.Mutex
	base  time.Time
	since time.Time // a monotonic reading taken at the last Set
}

// NewMoving is a Moving clock reading t now.
func NewMoving(t time.Time) *Moving {
	m := &Moving{}
	m.Set(t)
	return m
}

// Set makes the clock read t now.
func (m *Moving) Set(t time.Time) {
	m.mu.Lock()
	m.base, m.since = t, time.Now()
	m.mu.Unlock()
}

// Now reads the clock.
func (m *Moving) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.base.Add(time.Since(m.since))
}

// Sleep is the waits of the code under test on this clock: it moves the
// clock forward by d at once (and it goes on moving with the elapsed time),
// unless ctx has ended (its error). A retry or a rate limit's wait then
// falls due without the test waiting for it.
func (m *Moving) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		m.mu.Lock()
		m.base = m.base.Add(d)
		m.mu.Unlock()
	}
	return nil
}
