package scheduler

import (
	"context"
	"strconv"
	"sync"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// When Telegram fails (5xx, a network error), no message is given up: each
// is tried again with a backoff of at most backoffCap. So that an outage of
// hours does not turn into every queued message knocking on its own, the
// dispatcher then holds all sends (the gate): it tries one message at a
// time (a probe), at growing intervals up to backoffCap, and lets the
// others go as soon as one gets through. Any answer from Telegram (a
// success, a 429, a 400, a 403) opens the gate: Telegram is there.

// gate holds the sends of this instance while Telegram fails temporarily.
type gate struct {
	mu       sync.Mutex
	failures int       // consecutive temporary failures; 0 when Telegram answers
	until    time.Time // no send before this while failures > 0
}

// failed records a temporary failure at now and returns when to try again.
// Failures that come while the gate is already closed (sends that were in
// flight together) count once.
func (g *gate) failed(now time.Time) time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.failures == 0 || !g.until.After(now) {
		g.failures++
		g.until = now.Add(sendBackoff.Delay(g.failures))
	}
	return g.until
}

// answered records that Telegram answered (whatever it said).
func (g *gate) answered() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failures, g.until = 0, time.Time{}
}

// state tells whether Telegram failed last (down) and when the next try may
// go.
func (g *gate) state() (down bool, next time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.failures > 0, g.until
}

// A message that has waited more than delayAlarm means the outbox is stuck
// (Telegram down, a chat that keeps failing): the admins are told once, and
// once more when nothing has waited that long any more. The notices go
// through the outbox like everything else: while Telegram is down they wait
// with the rest and arrive when it is back, the delay first, its end after
// (the end is noticed only once the delay notices have left the outbox),
// each saying when, so that both still make sense when read late.

// delayWatch is what this instance knows of the spells of delay.
type delayWatch struct {
	mu     sync.Mutex
	loaded bool
	last   store.DelaySpell // the latest spell (N 0: none yet)
}

// waiting is what a drain saw of the outbox: the messages still waiting
// after it, and the oldest of them.
type waiting struct {
	count      int
	oldest     time.Time
	oldestKey  string
	delayNotes bool // notices of the current spell still wait
}

// watchDelay compares the outbox's oldest waiting message with delayAlarm
// and records (and tells) the start or the end of a spell of delay.
func (s *Scheduler) watchDelay(ctx context.Context, w waiting) {
	s.delay.mu.Lock()
	defer s.delay.mu.Unlock()
	now := s.clock()
	if err := s.loadSpell(ctx); err != nil {
		s.log.Warn("outbox delay watch", "err", err)
		return
	}
	last := s.delay.last
	open := last.N > 0 && last.Cleared.IsZero()
	late := w.count > 0 && now.Sub(w.oldest) > delayAlarm
	switch {
	case late && !open:
		d := store.DelaySpell{N: last.N + 1, Since: w.oldest, Opened: now, Waiting: w.count}
		// The notices first, then the record: a crash in between queues
		// them again under the same keys, which adds nothing.
		s.noticeDelay(ctx, d, "outbox.delayed")
		ok, err := s.st.BeginDelay(ctx, d)
		if err != nil {
			s.log.Warn("outbox delay watch", "err", err)
			return
		}
		if ok {
			s.log.Warn("outbox delayed: the oldest message has waited too long; the admins are told",
				"waiting", w.count, "oldest", w.oldestKey, "since", w.oldest, "spell", d.N)
		}
		s.delay.loaded = false // read it back (another instance may have begun it)
	case open && !late && !w.delayNotes:
		d := last
		d.Cleared = now
		s.noticeDelay(ctx, d, "outbox.cleared")
		ok, err := s.st.EndDelay(ctx, d.N, now)
		if err != nil {
			s.log.Warn("outbox delay watch", "err", err)
			return
		}
		if ok {
			s.log.Info("outbox delay over; the admins are told", "spell", d.N, "since", d.Since)
		}
		s.delay.loaded = false
	}
}

// loadSpell reads the latest spell of delay: once per process, and again
// after each change (other instances share the spells).
func (s *Scheduler) loadSpell(ctx context.Context) error {
	if s.delay.loaded {
		return nil
	}
	var cur store.DelaySpell                 // N 0: none yet
	for n := max(s.delay.last.N, 1); ; n++ { // spells are few; go on from the last one known
		d, ok, err := s.st.DelaySpell(ctx, n)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		cur = d
	}
	s.delay.last, s.delay.loaded = cur, true
	return nil
}

// currentSpell is the number of the latest spell known (0: none).
func (s *Scheduler) currentSpell() int {
	s.delay.mu.Lock()
	defer s.delay.mu.Unlock()
	return s.delay.last.N
}

// delayKeyPrefix starts the keys of spell n's notices.
func delayKeyPrefix(n int) string { return "delay|" + strconv.Itoa(n) + "|" }

// noticeDelay queues, for each admin, the notice that spell d began (key
// "outbox.delayed") or ended ("outbox.cleared").
func (s *Scheduler) noticeDelay(ctx context.Context, d store.DelaySpell, key string) {
	kind := "begin"
	if key == "outbox.cleared" {
		kind = "end"
	}
	for _, admin := range s.cfg.AdminIDs {
		l := s.langOf(ctx, admin)
		var text string
		if kind == "begin" {
			text = i18n.N(l, key, d.Waiting, d.Waiting, i18n.Time(d.Since, s.loc))
		} else {
			text = i18n.T(l, key, i18n.Time(d.Since, s.loc), i18n.Time(d.Cleared, s.loc))
		}
		out := domain.Outgoing{ChatID: admin, Text: text, Silent: kind == "end"}
		if _, err := s.st.Enqueue(ctx, store.OutboxMessage{
			Key: delayKeyPrefix(d.N) + kind + "|" + strconv.FormatInt(admin, 10), Kind: store.MessageNotice,
			ChatID: admin, Lang: string(l), Out: &out,
		}); err != nil {
			s.log.Error("queue outbox delay notice", "admin", admin, "err", err)
		}
		s.queuedMeanwhile.Store(true)
	}
	s.Wake()
}
