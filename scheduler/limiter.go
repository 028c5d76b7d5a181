package scheduler

import (
	"sync"
	"time"
)

// limiter spaces sends to stay under Telegram's limits: rate messages per
// second overall and chatRate per chat. It is a pair of token buckets in
// their "virtual scheduling" form (GCRA): each bucket keeps the theoretical
// time its next token is due, and a reservation books a token from both at
// the earliest instant both allow. A 429 blocks everything until its
// Retry-After has passed.
//
// The limiter only computes instants; callers sleep (with an injectable
// sleeper), so tests drive it with a fake clock.
type limiter struct {
	now func() time.Time

	mu           sync.Mutex
	global       gcra
	chatInterval time.Duration
	chats        map[int64]time.Time // theoretical arrival time per chat
	blockedUntil time.Time
}

// gcra is one bucket: interval between tokens, tolerance = (burst-1) ×
// interval, and the theoretical arrival time of the next token.
type gcra struct {
	interval, tolerance time.Duration
	tat                 time.Time
}

// newLimiter allows rate messages per second overall, with bursts of a tenth
// of a second's worth (at least one), and chatRate per chat without bursts.
func newLimiter(rate, chatRate float64, now func() time.Time) *limiter {
	burst := max(1, int(rate/10))
	iv := time.Duration(float64(time.Second) / rate)
	return &limiter{
		now:          now,
		global:       gcra{interval: iv, tolerance: time.Duration(burst-1) * iv},
		chatInterval: time.Duration(float64(time.Second) / chatRate),
		chats:        map[int64]time.Time{},
	}
}

// reserve books a send to chat and returns the instant it may happen.
func (l *limiter) reserve(chat int64) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at := now
	if t := l.global.tat.Add(-l.global.tolerance); t.After(at) {
		at = t
	}
	if t := l.chats[chat]; t.After(at) {
		at = t
	}
	if l.blockedUntil.After(at) {
		at = l.blockedUntil
	}
	l.global.tat = maxTime(l.global.tat, at).Add(l.global.interval)
	l.chats[chat] = maxTime(l.chats[chat], at).Add(l.chatInterval)
	if len(l.chats) > 4096 {
		for c, t := range l.chats {
			if t.Before(now) {
				delete(l.chats, c)
			}
		}
	}
	return at
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
