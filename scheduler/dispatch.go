package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"agencybot/domain"
	"agencybot/retry"
	"agencybot/store"
)

// memo is what this instance knows of a message between drains.
type memo struct {
	attempt   int       // the last attempt number seen
	failures  int       // temporary failures so far
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
			seen     = map[string]bool{}
			progress int
			jobs     = make(chan store.OutboxMessage)
			wg       sync.WaitGroup
		)
		for w := 0; w < s.workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for m := range jobs {
					r := s.handle(ctx, m)
					mu.Lock()
					switch r {
					case finished:
						progress++
						done = append(done, m.Key)
					case deferred, busy, broken:
						s.memoMu.Lock()
						later(s.memo[m.Key].notBefore)
						s.memoMu.Unlock()
					}
					mu.Unlock()
				}
			}()
		}
		err := s.st.EachPending(ctx, func(m store.OutboxMessage) bool {
			if ctx.Err() != nil {
				return false
			}
			seen[m.Key] = true
			s.memoMu.Lock()
			st := s.memo[m.Key]
			s.memoMu.Unlock()
			switch {
			case st.finished:
				mu.Lock()
				done = append(done, m.Key)
				mu.Unlock()
			case st.notBefore.After(s.clock()):
				mu.Lock()
				later(st.notBefore)
				mu.Unlock()
			default:
				jobs <- m
			}
			return true
		})
		close(jobs)
		wg.Wait()
		if err == nil && ctx.Err() == nil { // forget messages others finished and removed
			s.memoMu.Lock()
			for k := range s.memo {
				if !seen[k] {
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
		// Another pass only for what this drain queued itself (notices to
		// the admins); other instances' work comes with the next wake or poll.
		if progress == 0 || ctx.Err() != nil || !s.queuedMeanwhile.Load() {
			return next, nil
		}
	}
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
	n, failures := st.attempt, st.failures
	now := s.clock()
	var leaseUntil time.Time
	// Claim the next attempt; an attempt someone else holds or released
	// tells what to do.
	for {
		n++
		if n > maxClaims {
			return s.finish(ctx, m, n-1, store.OutcomeFailed, fmt.Sprintf("given up after %d attempts", n-1))
		}
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
		c, found, err := s.st.MessageClaim(ctx, m.Key, n)
		if err != nil {
			return s.broken(ctx, m, err)
		}
		switch {
		case !found:
			continue
		case c.Released:
			failures = c.Failures
			if c.NotBefore.After(now) {
				s.setMemo(m.Key, func(x *memo) { x.attempt, x.failures, x.notBefore = n, failures, c.NotBefore })
				return deferred
			}
		case c.LeaseUntil.After(now):
			gone, until := s.holderGone(ctx, c, now)
			if !gone {
				s.setMemo(m.Key, func(x *memo) { x.attempt, x.failures, x.notBefore = n-1, failures, until })
				return busy
			}
			s.log.Info("taking back the claim of an instance that is gone", "key", m.Key, "owner", c.Owner, "attempt", n)
		}
		// Released and due, or its holder is gone (lease over, no
		// heartbeat, or an earlier life of this instance): next attempt.
	}
	s.setMemo(m.Key, func(x *memo) { x.attempt, x.failures = n, failures })

	full, err := s.st.LoadFile(ctx, m)
	if err != nil { // the database failing, or a file gone: retried, then given up
		failures++
		if failures >= maxFailures {
			return s.finish(ctx, m, n, store.OutcomeFailed, err.Error())
		}
		s.log.Warn("load the file of a message", "key", m.Key, "chat", m.ChatID, "err", err)
		return s.release(ctx, m, n, now.Add(sendBackoff.Delay(failures)), failures, err)
	}
	parts := withCaptions(render(full))
	if len(parts) == 0 {
		return s.finish(ctx, m, n, store.OutcomeSkipped, "")
	}
	for i, out := range parts {
		if len(parts) > 1 && n > 1 {
			sent, err := s.st.PartSent(ctx, m.Key, i)
			if err != nil {
				return s.release(ctx, m, n, now, failures, err)
			}
			if sent {
				continue
			}
		}
		if r, ok := s.sendPart(ctx, m, n, &failures, leaseUntil, out); !ok {
			return r
		}
		if len(parts) > 1 {
			if err := s.st.MarkPartSent(context.WithoutCancel(ctx), m.Key, i); err != nil {
				s.log.Error("record part sent", "key", m.Key, "part", i, "err", err)
			}
		}
	}
	return s.finish(ctx, m, n, store.OutcomeSent, "")
}

// sendPart sends one Telegram message within the rate limits, waiting out
// 429s and retrying temporary failures while the claim's lease allows. ok is
// false when the message's handling ended (with the outcome returned).
func (s *Scheduler) sendPart(ctx context.Context, m store.OutboxMessage, n int, failures *int, leaseUntil time.Time, out domain.Outgoing) (outcome, bool) {
	holdUntil := leaseUntil.Add(-leaseMargin)
	for {
		at := s.lim.reserve(out.ChatID)
		if at.After(holdUntil) {
			return s.release(ctx, m, n, at, *failures, errors.New("waiting for the rate limit")), false
		}
		if err := s.sleep(ctx, at.Sub(s.clock())); err != nil {
			return s.release(ctx, m, n, s.clock(), *failures, err), false
		}
		if b := s.lim.blocked(); b.After(s.clock()) {
			continue // a 429 came meanwhile: wait it out
		}
		err := s.send.Send(ctx, out)
		if err == nil {
			s.sent.Add(1)
			return finished, true
		}
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return s.release(ctx, m, n, s.clock(), *failures, err), false
		}
		se, isSendErr := domain.AsSendError(err)
		s.log.Warn("send failed", "method", methodOf(out, se), "chat", out.ChatID, "key", m.Key, "attempt", n, "err", err)
		switch {
		case isSendErr && se.RetryAfter > 0:
			s.tooMany.Add(1)
			s.lim.block(s.clock().Add(se.RetryAfter))
		case isSendErr && se.Forbidden:
			return s.forbidden(ctx, m, n, err), false
		case !isSendErr || se.Temporary:
			*failures++
			s.setMemo(m.Key, func(x *memo) { x.failures = *failures })
			if *failures >= maxFailures {
				return s.finish(ctx, m, n, store.OutcomeFailed, err.Error()), false
			}
			retry := s.clock().Add(sendBackoff.Delay(*failures))
			s.log.Info("will retry", "key", m.Key, "failures", *failures, "retry_at", retry)
			if retry.After(holdUntil) {
				return s.release(ctx, m, n, retry, *failures, err), false
			}
			if err := s.sleep(ctx, retry.Sub(s.clock())); err != nil {
				return s.release(ctx, m, n, s.clock(), *failures, err), false
			}
		default: // refused for good (400 and the like): retrying cannot help
			return s.finish(ctx, m, n, store.OutcomeFailed, err.Error()), false
		}
	}
}

// sendBackoff is the wait after the n-th temporary failure: 1s, 2s, 4s, …
// up to backoffCap.
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
func (s *Scheduler) release(ctx context.Context, m store.OutboxMessage, n int, notBefore time.Time, failures int, cause error) outcome {
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	text := ""
	if cause != nil {
		text = cause.Error()
	}
	if err := s.st.ReleaseMessage(c, m.Key, n, notBefore, failures, text); err != nil {
		s.log.Error("release message", "key", m.Key, "err", err)
		return broken
	}
	s.setMemo(m.Key, func(x *memo) { x.attempt, x.failures, x.notBefore = n, failures, notBefore })
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
