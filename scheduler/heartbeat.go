package scheduler

import (
	"context"
	"sync"
	"time"

	"agencybot/store"
)

// Heartbeats decides when a claim on a message may be taken back from an
// instance that is gone.
type Heartbeats interface {
	Beat(ctx context.Context, instance string, at time.Time) error
	LastBeat(ctx context.Context, instance string) (time.Time, bool, error)
}

// While it drains the outbox (the only time it holds claims) an instance
// beats every beatInterval; a holder whose last beat is beatStale old is
// gone (killed, frozen, cut off) and its claims are taken back at once. A
// claim of this very instance id that this process is not sending is from
// an earlier life of it (killed and restarted): taken back at once too.
const (
	beatInterval = 2 * time.Second
	beatStale    = 10 * time.Second
)

// heartbeat is an instance's beating state.
type heartbeat struct {
	mu   sync.Mutex
	last time.Time // the clock at the last beat written
}

// beat writes a beat now (when force) or when the last is half an
// interval old by the scheduler's clock (tests move it in jumps).
func (s *Scheduler) beat(ctx context.Context, force bool) {
	now := s.clock()
	s.hb.mu.Lock()
	due := force || now.Sub(s.hb.last) >= beatInterval/2 || now.Before(s.hb.last)
	if due {
		s.hb.last = now
	}
	s.hb.mu.Unlock()
	if !due {
		return
	}
	if err := s.st.Beat(ctx, s.instance, now); err != nil && ctx.Err() == nil {
		s.log.Warn("heartbeat", "err", err)
	}
}

// startHeartbeat beats now and every beatInterval until the returned stop
// is called.
func (s *Scheduler) startHeartbeat(ctx context.Context) (stop func()) {
	s.beat(ctx, true)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(beatInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				s.beat(ctx, true)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// holderGone tells whether the holder of a claim (not released, lease not
// over) is gone, so that the claim may be taken back now; if not, until is
// when to look again.
func (s *Scheduler) holderGone(ctx context.Context, c store.OutboxClaim, now time.Time) (gone bool, until time.Time) {
	if c.Owner == s.instance {
		return true, now // an earlier life of this instance: handle keeps one sender per message here
	}
	beat, found, err := s.st.LastBeat(ctx, c.Owner)
	if err != nil || !found { // unknown: wait for the lease
		return false, c.LeaseUntil
	}
	stale := beat.Add(beatStale)
	if !stale.After(now) {
		return true, now
	}
	return false, minTime(stale, c.LeaseUntil)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
