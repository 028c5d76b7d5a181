package store

// What a press reads and writes again and again, kept in memory: who the
// sender is (officers), which message is the live card of a task in a chat
// (live_cards) and what a message is about (message_about). A button press
// read the first two and rewrote the third each time — three of the ten
// commands a press cost (issue 25).
//
// Each cache belongs to one *Store and sees every write made through it:
// writes go to the database first and then to the cache, so the cache never
// holds what the database does not. Other writers are other processes: the
// command line (agencybot link/revoke while the bot runs), a restore or a
// migration (which clear the caches of the store they write through). For
// them officers expire after officerTTL; live cards and message records are
// written only by the bot, of which one instance runs at a time (the
// instance lock), so they do not expire. A restart starts empty.
//
// MongoDB would serve these reads by _id as cheaply as its network allows;
// the caches pay most on the embedded backend, where each command is a
// round trip through FerretDB's decoding on the process's one connection.

import (
	"sync"
	"time"

	"agencybot/domain"
)

// officerTTL bounds how long a change made to an officer by another
// process (the command line) may go unseen by the bot.
const officerTTL = time.Minute

// cacheLimit bounds each cache; a full cache is emptied and fills again.
const cacheLimit = 20_000

// memo is a bounded map guarded by a mutex. gen counts what was
// forgotten, so that a value read from the database before a write and
// offered after it (putRead) is not kept.
type memo[K comparable, V any] struct {
	mu  sync.Mutex
	m   map[K]V
	gen uint64
}

func (c *memo[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// stamp is taken before a read of the database whose result putRead keeps.
func (c *memo[K, V]) stamp() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps what was just written to the database.
func (c *memo[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.store(k, v)
}

// putRead keeps what was read from the database after stamp, unless
// something was forgotten since: then it may be older than a write.
func (c *memo[K, V]) putRead(k K, v V, stamp uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == stamp {
		c.store(k, v)
	}
}

func (c *memo[K, V]) store(k K, v V) {
	if c.m == nil || len(c.m) >= cacheLimit {
		c.m = make(map[K]V)
	}
	c.m[k] = v
}

// forget drops k, after a write of it to the database.
func (c *memo[K, V]) forget(k K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
	c.gen++
}

func (c *memo[K, V]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
	c.gen++
}

// cachedOfficer is an officer as read at a time (Found false: no such
// officer then).
type cachedOfficer struct {
	Officer domain.Officer
	Found   bool
	At      time.Time
}

// caches are a store's in-memory copies.
type caches struct {
	officers  memo[int64, cachedOfficer]
	liveCards memo[string, int]          // "<chat>:<assignment>" → message
	abouts    memo[string, MessageAbout] // "<chat>:<message>" → what it is about (At unset)
}

// forgetAll empties the caches: the database was written around the store
// (a restore, a migration into it).
func (c *caches) forgetAll() {
	c.officers.clear()
	c.liveCards.clear()
	c.abouts.clear()
}
