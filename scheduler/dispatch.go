package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/retry"
	"agencybot/store"
)

// memo is what this instance knows of a message between drains.
type memo struct {
	attempt   int       // the last attempt number seen
	failures  int       // temporary failures so far
	abandoned int       // attempts whose holder died before ending them
	notBefore time.Time // not to be tried before
	finished  bool      // outcome recorded (pending removal from the outbox)
	inflight  bool      // a worker of this process is handling it
}

// outcome of one message in one drain.
type outcome int

const (
	finished outcome = iota // outcome recorded
	deferred                // to be retried later (memo says when)
	busy                    // another instance holds it
	stopped                 // ctx ended; given back
	broken                  // a database error; left as it is
)

// Dispatch sends what the outbox holds and is due now, and returns when
// nothing more can be sent now (messages waiting for a retry stay queued).
// It is the dispatcher of Run, exposed for tests and commands.
func (s *Scheduler) Dispatch(ctx context.Context) error {
	if s.send == nil {
		return errors.New("scheduler: Sender is required to dispatch")
	}
	_, err := s.drain(ctx)
	return err
}

// drain sends pending messages until none is left that can go now. It
// returns the earliest instant a deferred message falls due (zero if none).
//
// Messages stream from the outbox to the workers as they are read, so the
// first send does not wait for a long outbox to be read; finished messages
// are removed from the outbox at the end of each pass.
func (s *Scheduler) drain(ctx context.Context) (time.Time, error) {
	s.drainMu.Lock()
	defer s.drainMu.Unlock()
	defer s.startHeartbeat(ctx)()
	var next time.Time
	later := func(t time.Time) {
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for {
		if ctx.Err() != nil {
			return next, nil
		}
		s.queuedMeanwhile.Store(false)
		var (
			mu       sync.Mutex
			done     []string
			seen     = map[string]time.Time{} // key → when it was queued
			progress int
			jobs     = make(chan store.OutboxMessage)
			wg       sync.WaitGroup
		)
		work := func(m store.OutboxMessage) {
			r := s.handle(ctx, m)
			mu.Lock()
			defer mu.Unlock()
			switch r {
			case finished:
				progress++
				done = append(done, m.Key)
			case deferred, busy, broken:
				s.memoMu.Lock()
				later(s.memo[m.Key].notBefore)
				s.memoMu.Unlock()
			}
		}
		for w := 0; w < s.workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for m := range jobs {
					work(m)
				}
			}()
		}
		err := s.st.EachPending(ctx, func(m store.OutboxMessage) bool {
			if ctx.Err() != nil {
				return false
			}
			mu.Lock()
			seen[m.Key] = m.CreatedAt
			mu.Unlock()
			s.memoMu.Lock()
			st := s.memo[m.Key]
			s.memoMu.Unlock()
			now := s.clock()
			switch {
			case st.finished:
				mu.Lock()
				done = append(done, m.Key)
				mu.Unlock()
			case st.notBefore.After(now) || m.NotBefore.After(now):
				mu.Lock()
				later(maxTime(st.notBefore, m.NotBefore))
				mu.Unlock()
			case m.After != "" && s.waitsFor(ctx, m.After):
				mu.Lock()
				later(now.Add(time.Second)) // the message that goes first is still waiting
				mu.Unlock()
			default:
				if down, next := s.gate.state(); down {
					// Telegram failed last: nothing is handed out before the
					// next probe, and the probe is this message alone.
					if next.After(now) {
						mu.Lock()
						later(next)
						mu.Unlock()
						return true
					}
					work(m)
					return true
				}
				jobs <- m
			}
			return true
		})
		close(jobs)
		wg.Wait()
		complete := err == nil && ctx.Err() == nil
		if complete { // forget messages others finished and removed
			s.memoMu.Lock()
			for k := range s.memo {
				if _, ok := seen[k]; !ok {
					delete(s.memo, k)
				}
			}
			s.memoMu.Unlock()
		}
		if perr := s.prune(context.WithoutCancel(ctx), done); perr != nil && err == nil {
			err = perr
		}
		if err != nil {
			return next, err
		}
		if complete {
			s.watchDelay(ctx, stillWaiting(seen, done, delayKeyPrefix(s.currentSpell())+"begin|"))
		}
		// Another pass only for what this drain queued itself (notices to
		// the admins); other instances' work comes with the next wake or poll.
		if progress == 0 || ctx.Err() != nil || !s.queuedMeanwhile.Load() {
			return next, nil
		}
	}
}

// stillWaiting is what a drain leaves waiting of the messages it saw:
// those not finished. notes is the key prefix of the current spell's delay
// notices.
func stillWaiting(seen map[string]time.Time, done []string, notes string) waiting {
	finished := make(map[string]bool, len(done))
	for _, k := range done {
		finished[k] = true
	}
	var w waiting
	for k, at := range seen {
		if finished[k] {
			continue
		}
		w.count++
		if w.oldest.IsZero() || at.Before(w.oldest) {
			w.oldest, w.oldestKey = at, k
		}
		if strings.HasPrefix(k, notes) {
			w.delayNotes = true
		}
	}
	return w
}

// prune removes finished messages from the outbox and forgets them.
func (s *Scheduler) prune(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	if err := s.st.PruneOutbox(ctx, keys); err != nil {
		return err
	}
	s.memoMu.Lock()
	for _, k := range keys {
		delete(s.memo, k)
	}
	s.memoMu.Unlock()
	return nil
}

func (s *Scheduler) setMemo(key string, f func(*memo)) {
	s.memoMu.Lock()
	defer s.memoMu.Unlock()
	m := s.memo[key]
	f(&m)
	s.memo[key] = m
}

// handle claims a message, sends it and records the outcome.
func (s *Scheduler) handle(ctx context.Context, m store.OutboxMessage) outcome {
	s.memoMu.Lock()
	st := s.memo[m.Key]
	if st.inflight { // never two senders of one message in this process
		s.memoMu.Unlock()
		return busy
	}
	st.inflight = true
	s.memo[m.Key] = st
	s.memoMu.Unlock()
	defer s.setMemo(m.Key, func(x *memo) { x.inflight = false })
	s.beat(ctx, false)
	n, t := st.attempt, tries{failures: st.failures, abandoned: st.abandoned}
	fresh := st.attempt == 0 // nothing known here of its attempts (a start, another instance's message)
	now := s.clock()
	var leaseUntil time.Time
	// Claim the next attempt; an attempt someone else holds or released
	// tells what to do.
	for {
		n++
		leaseUntil = now.Add(sendLease)
		ok, err := s.st.ClaimMessage(ctx, m.Key, n, s.instance, leaseUntil)
		if err != nil {
			return s.broken(ctx, m, err)
		}
		if ok {
			break
		}
		if _, found, err := s.st.MessageOutcome(ctx, m.Key); err != nil {
			return s.broken(ctx, m, err)
		} else if found {
			s.setMemo(m.Key, func(x *memo) { x.finished = true })
			return finished
		}
		if fresh { // it was tried before: go on from its latest attempts, not through them all
			fresh = false
			from, err := s.resumeFrom(ctx, m.Key)
			if err != nil {
				return s.broken(ctx, m, err)
			}
			if from > n {
				n = from - 1
				continue
			}
		}
		c, found, err := s.st.MessageClaim(ctx, m.Key, n)
		if err != nil {
			return s.broken(ctx, m, err)
		}
		switch {
		case !found:
			continue
		case c.Released:
			t = tries{failures: c.Failures, abandoned: c.Abandoned}
			if c.NotBefore.After(now) {
				s.setMemo(m.Key, func(x *memo) {
					x.attempt, x.failures, x.abandoned, x.notBefore = n, t.failures, t.abandoned, c.NotBefore
				})
				return deferred
			}
			continue
		case c.LeaseUntil.After(now):
			gone, until := s.holderGone(ctx, c, now)
			if !gone {
				s.setMemo(m.Key, func(x *memo) { x.attempt, x.failures, x.abandoned, x.notBefore = n-1, t.failures, t.abandoned, until })
				return busy
			}
			s.log.Info("taking back the claim of an instance that is gone", "key", m.Key, "owner", c.Owner, "attempt", n)
		}
		// Its holder is gone (lease over, no heartbeat, or an earlier life
		// of this instance) without ending it: killed, or crashed by this
		// very message. A message that stops the process each time it is
		// sent would stop it for ever; after maxAbandoned such attempts it
		// is given up. Temporary failures never give a message up.
		t.abandoned++
		if t.abandoned >= maxAbandoned {
			return s.finish(ctx, m, n, store.OutcomeFailed,
				fmt.Sprintf("given up: %d attempts at sending it never ended (the process stopped while sending it)", t.abandoned))
		}
	}
	s.setMemo(m.Key, func(x *memo) { x.attempt, x.failures, x.abandoned = n, t.failures, t.abandoned })

	full, err := s.st.LoadFile(ctx, m)
	if errors.Is(err, store.ErrFileGone) { // retrying cannot bring it back
		return s.finish(ctx, m, n, store.OutcomeFailed, err.Error())
	}
	if err != nil { // the database failing: retried like a temporary failure
		t.failures++
		s.log.Warn("load the file of a message", "key", m.Key, "chat", m.ChatID, "err", err)
		return s.release(ctx, m, n, now.Add(sendBackoff.Delay(t.failures)), t, err)
	}
	if len(m.Unless) > 0 || m.Group != "" { // checked once claimed: nobody sends it meanwhile
		gone, err := s.st.Superseded(ctx, m)
		if err != nil {
			t.failures++
			return s.release(ctx, m, n, now.Add(sendBackoff.Delay(t.failures)), t, err)
		}
		if gone {
			return s.finish(ctx, m, n, store.OutcomeSkipped, "")
		}
	}
	late := s.late(full)
	parts := withCaptions(render(full, late))
	if len(parts) == 0 {
		return s.finish(ctx, m, n, store.OutcomeSkipped, "")
	}
	for i, out := range parts {
		if len(parts) > 1 && n > 1 {
			sent, err := s.st.PartSent(ctx, m.Key, i)
			if err != nil {
				return s.release(ctx, m, n, now, t, err)
			}
			if sent {
				continue
			}
		}
		if r, ok := s.sendPart(ctx, m, n, &t, leaseUntil, out); !ok {
			return r
		}
		if len(parts) > 1 {
			if err := s.st.MarkPartSent(context.WithoutCancel(ctx), m.Key, i); err != nil {
				s.log.Error("record part sent", "key", m.Key, "part", i, "err", err)
			}
		}
	}
	if late {
		s.lateSent.Add(1)
		s.log.Info("sent after its day, marked late", "key", m.Key, "chat", m.ChatID, "day", i18n.Date(m.Day))
	}
	return s.finish(ctx, m, n, store.OutcomeSent, "")
}

// tries are the counts an attempt carries on from the attempts before it.
type tries struct {
	failures  int // temporary failures (they set the backoff)
	abandoned int // attempts whose holder died before ending them
}

// resumeFrom is the attempt of a message to look at first when this
// instance knows nothing of it: the latest one its holder released (whose
// release carries the counts so far), or, when the latest attempts were
// never released, the first of those (at most maxAbandoned back, each
// counted as abandoned by the claim loop). A message retried through an
// outage has had an attempt every few minutes; walking through them all
// at every start would cost a lookup each.
func (s *Scheduler) resumeFrom(ctx context.Context, key string) (int, error) {
	last, err := s.lastAttempt(ctx, key)
	if err != nil {
		return 0, err
	}
	n := last
	for ; n >= 1 && last-n < maxAbandoned; n-- {
		c, found, err := s.st.MessageClaim(ctx, key, n)
		if err != nil {
			return 0, err
		}
		if found && c.Released {
			return n, nil
		}
	}
	return max(n+1, 1), nil
}

// lastAttempt is the number of a message's latest attempt (0: none).
// Attempts are numbered 1, 2, … without gaps (attempt n is claimed only
// once n-1 exists), so doubling then halving finds it in a few lookups.
func (s *Scheduler) lastAttempt(ctx context.Context, key string) (int, error) {
	has := func(n int) (bool, error) {
		_, found, err := s.st.MessageClaim(ctx, key, n)
		return found, err
	}
	lo, hi := 0, 1 // attempt lo exists (or is 0); hi is the next to look at
	for {
		ok, err := has(hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		lo, hi = hi, 2*hi
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		ok, err := has(mid)
		if err != nil {
			return 0, err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// late tells whether a scheduled message (a reminder, the digest) goes out
// after the day it was planned for: Telegram was down, or the bot was. It
// is still sent, marked as late: its items were planned once and no later
// run repeats them, so dropping it would lose them; its header names its
// day, and the mark says why it comes now.
func (s *Scheduler) late(m store.OutboxMessage) bool {
	if m.Day.IsZero() || (m.Kind != store.MessageReminder && m.Kind != store.MessageDigest) {
		return false
	}
	return deadline.DateOf(s.clock().In(s.loc)).After(m.Day)
}

// sendPart sends one Telegram message within the rate limits, waiting out
// 429s and retrying temporary failures while the claim's lease allows. ok is
// false when the message's handling ended (with the outcome returned).
func (s *Scheduler) sendPart(ctx context.Context, m store.OutboxMessage, n int, t *tries, leaseUntil time.Time, out domain.Outgoing) (outcome, bool) {
	holdUntil := leaseUntil.Add(-leaseMargin)
	for {
		at := s.lim.reserve(out.ChatID)
		wait := errors.New("waiting for the rate limit")
		if _, next := s.gate.state(); next.After(at) {
			at, wait = next, errors.New("waiting for Telegram to answer again")
		}
		if at.After(holdUntil) {
			return s.release(ctx, m, n, at, *t, wait), false
		}
		if err := s.sleep(ctx, at.Sub(s.clock())); err != nil {
			return s.release(ctx, m, n, s.clock(), *t, err), false
		}
		if b := s.lim.blocked(); b.After(s.clock()) {
			continue // a 429 came meanwhile: wait it out
		}
		if _, next := s.gate.state(); next.After(s.clock()) {
			continue // another send failed meanwhile: wait for the next try
		}
		err := s.send.Send(ctx, out)
		if err == nil {
			s.gate.answered()
			s.sent.Add(1)
			return finished, true
		}
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return s.release(ctx, m, n, s.clock(), *t, err), false
		}
		se, isSendErr := domain.AsSendError(err)
		s.log.Warn("send failed", "method", methodOf(out, se), "chat", out.ChatID, "key", m.Key, "attempt", n, "err", err)
		switch {
		case isSendErr && se.RetryAfter > 0:
			s.gate.answered()
			s.tooMany.Add(1)
			s.lim.block(s.clock().Add(se.RetryAfter))
		case isSendErr && se.Forbidden:
			s.gate.answered()
			return s.forbidden(ctx, m, n, err), false
		case !isSendErr || se.Temporary:
			// Retried until Telegram takes it, however long that is: the
			// message's own backoff, and the gate's for all of them.
			now := s.clock()
			t.failures++
			s.setMemo(m.Key, func(x *memo) { x.failures = t.failures })
			retry := maxTime(now.Add(sendBackoff.Delay(t.failures)), s.gate.failed(now))
			s.log.Info("will retry", "key", m.Key, "failures", t.failures, "retry_at", retry)
			if retry.After(holdUntil) {
				return s.release(ctx, m, n, retry, *t, err), false
			}
			if err := s.sleep(ctx, retry.Sub(s.clock())); err != nil {
				return s.release(ctx, m, n, s.clock(), *t, err), false
			}
		default: // refused for good (400 and the like): retrying cannot help
			s.gate.answered()
			return s.finish(ctx, m, n, store.OutcomeFailed, err.Error()), false
		}
	}
}

// sendBackoff is the wait after the n-th temporary failure: 1s, 2s, 4s, …
// up to backoffCap (5 minutes), for ever.
var sendBackoff = retry.Backoff{Base: backoffBase, Cap: backoffCap}

// finish records a message's outcome. It survives ctx's end: a message sent
// must be recorded as sent.
func (s *Scheduler) finish(ctx context.Context, m store.OutboxMessage, n int, state, errText string) outcome {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := s.st.FinishMessage(c, m, state, n, errText); err != nil {
		s.log.Error("record outcome", "key", m.Key, "state", state, "err", err)
		return broken
	}
	if state == store.OutcomeFailed {
		s.failed.Add(1)
		s.log.Warn("message given up", "key", m.Key, "chat", m.ChatID, "err", errText)
	}
	s.setMemo(m.Key, func(x *memo) { x.finished = true })
	return finished
}

// release gives attempt n back, to be tried again from notBefore (by this
// instance or another).
func (s *Scheduler) release(ctx context.Context, m store.OutboxMessage, n int, notBefore time.Time, t tries, cause error) outcome {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	text := ""
	if cause != nil {
		text = cause.Error()
	}
	if err := s.st.ReleaseMessage(c, m.Key, n, store.Release{NotBefore: notBefore, Failures: t.failures, Abandoned: t.abandoned, Error: text}); err != nil {
		s.log.Error("release message", "key", m.Key, "err", err)
		return broken
	}
	s.setMemo(m.Key, func(x *memo) { x.attempt, x.failures, x.abandoned, x.notBefore = n, t.failures, t.abandoned, notBefore })
	if ctx.Err() != nil {
		return stopped
	}
	return deferred
}

// broken logs a database error; the message stays as it is, to be retried
// by a later drain (its claim, if any, expires).
func (s *Scheduler) broken(ctx context.Context, m store.OutboxMessage, err error) outcome {
	if ctx.Err() != nil {
		return stopped
	}
	s.log.Error("outbox", "key", m.Key, "err", err)
	s.setMemo(m.Key, func(x *memo) { x.notBefore = s.clock().Add(sendLease) })
	return broken
}

// waitsFor tells whether the message keyed key is still waiting to be sent
// (a message with After goes once the one it names has; a database error
// holds it for the next pass).
func (s *Scheduler) waitsFor(ctx context.Context, key string) bool {
	p, err := s.st.Pending(ctx, key)
	if err != nil {
		s.log.Warn("look up the message that goes first", "key", key, "err", err)
		return true
	}
	return p
}
