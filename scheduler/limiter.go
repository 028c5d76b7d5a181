package scheduler

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter spaces sends to stay under Telegram's limits: rate messages per
// second overall and chatRate per chat, each a token bucket
// (golang.org/x/time/rate). A reservation takes the overall token first and
// then the chat's at the instant the overall one allows, so the overall
// bucket — what a run to many chats waits on — is booked exactly. A 429
// blocks everything until its Retry-After has passed.
//
// The limiter only computes instants (the buckets' ReserveN at the
// injected clock's time, never their Wait); callers sleep (with an
// injectable sleeper), so tests drive it with a fake clock.
type limiter struct {
	now func() time.Time

	mu           sync.Mutex
	global       *rate.Limiter
	chatRate     rate.Limit
	chats        map[int64]*rate.Limiter
	blockedUntil time.Time
}

// newLimiter allows rate messages per second overall, with bursts of a tenth
// of a second's worth (at least one), and chatRate per chat without bursts.
func newLimiter(perSecond, chatPerSecond float64, now func() time.Time) *limiter {
	return &limiter{
		now:      now,
		global:   rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond/10))),
		chatRate: rate.Limit(chatPerSecond),
		chats:    map[int64]*rate.Limiter{},
	}
}

// reserve books a send to chat and returns the instant it may happen.
//
// The buckets are only ever asked about instants that do not go back
// (now, or the end of a block, whichever is later; then the overall
// bucket's answer): a bucket asked about an earlier instant than before
// would count the time in between twice.
func (l *limiter) reserve(chat int64) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at := maxTime(now, l.blockedUntil)
	at = at.Add(l.global.ReserveN(at, 1).DelayFrom(at))
	c := l.chats[chat]
	if c == nil {
		if len(l.chats) >= 4096 { // forget the chats whose bucket is full again
			for id, b := range l.chats {
				if b.TokensAt(now) >= 1 {
					delete(l.chats, id)
				}
			}
		}
		c = rate.NewLimiter(l.chatRate, 1)
		l.chats[chat] = c
	}
	return at.Add(c.ReserveN(at, 1).DelayFrom(at))
}

// block stops all sends until t (Telegram answered 429 with Retry-After).
func (l *limiter) block(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.After(l.blockedUntil) {
		l.blockedUntil = t
	}
}

// blocked returns the instant sends may resume after a 429 (zero or past
// when they may go now).
func (l *limiter) blocked() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.blockedUntil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
