package bot

// The roll-up input kept in memory: /summary, /overdue, /duesoon, /chart and
// /export roll up from it instead of reading every assignment per request
// (at 100,000 assignments the embedded store takes about half a minute to
// read them all; the roll-up itself takes a tenth of a second). It is read
// from the store's snapshot at the first request, refreshed from the change
// log (store/rollstate.go) in the background, and read in full once after a
// start and then daily.

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"agencybot/domain"
	"agencybot/report"
	"agencybot/store"
)

// Reports is the one assembly of the roll-up input and the update history
// (*store.Store implements it: store.RollupInput, store.EachUpdate).
type Reports interface {
	RollupInput(ctx context.Context, base report.Input, agencyKey string, allPlans bool) (report.Input, error)
	EachUpdate(ctx context.Context, agencyKey string, fn func(domain.Update) error) error
}

// RollupRefresh is how old the in-memory input may grow before the next
// request refreshes it in the background from the change log (changes made
// by another process — seeding, import, a second instance — appear within
// this time plus one refresh, which reads only what changed). Changes made
// through this bot are applied to it at once.
var RollupRefresh = 2 * time.Minute

// rollCache is the roll-up input of every plan, loaded once (lazily), kept
// current with every assignment Apply returns, and refreshed in the
// background once older than RollupRefresh.
type rollCache struct {
	mu        sync.Mutex
	loaded    bool
	at        time.Time // when the loaded snapshot was read
	plans     []domain.Plan
	tasks     []domain.Task
	agencies  []domain.Agency
	as        []domain.Assignment
	pos       map[string]int // assignment id → index in as
	shared    bool           // as was handed to a reader: copy before writing
	reloading bool
	recent    map[string]domain.Assignment // applied while a reload runs
	upto      int64                        // the change log is applied up to here (store.RollupState.Upto)
	fullAt    time.Time                    // when everything was last read from the collections

	loadMu sync.Mutex // one load at a time
}

// RollupStates keeps the roll-up input as a snapshot and a change log
// (*store.Store: store/rollstate.go), so that a start reads a few documents
// and a refresh reads only what changed.
type RollupStates interface {
	LoadRollupState(ctx context.Context, full bool) (store.RollupState, error)
	RefreshRollupState(ctx context.Context, st store.RollupState) (store.RollupState, int, error)
	SaveRollupState(ctx context.Context, st store.RollupState) error
}

// RollupFullEvery is how often the in-memory input is read again in full
// from the collections (and once soon after a start from the snapshot),
// rather than refreshed from the change log.
var RollupFullEvery = 24 * time.Hour

// reports is the roll-up source: the store.
func (b *Bot) reports() (Reports, error) {
	if r, ok := b.Assignments.(Reports); ok {
		return r, nil
	}
	return nil, errors.New("the assignments store does not assemble roll-up input")
}

// rollupInput is the roll-up input as of now: the open plans, or every plan
// when allPlans (the exports), from memory.
func (b *Bot) rollupInput(ctx context.Context, allPlans bool) (report.Input, error) {
	in := report.Base(b.Config, b.now())
	// Completions waiting for review change with every /review decision and
	// are few: read them fresh rather than from the cached copy.
	if b.Plans != nil {
		w, err := b.Plans.Waiting(ctx)
		if err != nil {
			return in, err
		}
		in.Review = w
	}
	c := &b.rolls
	c.mu.Lock()
	loaded := c.loaded
	c.mu.Unlock()
	if !loaded {
		if err := b.loadRollups(ctx); err != nil {
			return in, err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.reloading && (time.Since(c.at) > RollupRefresh || c.fullDue()) {
		c.reloading, c.recent = true, map[string]domain.Assignment{}
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Minute)
			defer cancel()
			if err := b.loadRollups(ctx); err != nil {
				b.log().Warn("reload roll-up input", "err", err)
				c.mu.Lock()
				c.reloading, c.recent = false, nil
				c.mu.Unlock()
			}
		}()
	}
	st := store.RollupState{Plans: c.plans, Tasks: c.tasks, Agencies: c.agencies, Assignments: c.as}
	in = st.Input(in, allPlans)
	c.shared = true
	return in, nil
}

// HistoryKeeper seals the update history's archive, if one was built, with
// what the change log names since (*store.Store: store/history.go).
type HistoryKeeper interface {
	KeepHistory(ctx context.Context) error
}

// DerivedSweeper deletes the snapshot chunks and history segments a kill
// left unlisted (*store.Store: store/sweep.go).
type DerivedSweeper interface {
	SweepDerived(ctx context.Context) (int, error)
}

// KeepRollups runs until ctx ends. It reads the roll-up input into memory
// at start (from the snapshot: about half a second at 100,000
// assignments), so that the first summary, and an officer's first /tasks,
// are served from memory; the full read from the collections follows in the
// background. Then, every RollupRefresh, it refreshes the input and seals
// the history archive even when nobody asks for a summary, so that the
// change log stays short and another process's changes are in memory
// before anyone asks. At its first round and then every RollupFullEvery it
// also deletes what a kill left of a snapshot save or a seal. Failures are
// logged; the next round tries again.
func (b *Bot) KeepRollups(ctx context.Context) error {
	start := time.Now()
	if _, err := b.rollupInput(ctx, false); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		b.log().Warn("read the roll-up input at start", "err", err)
	} else {
		b.log().Info("summaries ready", "took", time.Since(start).Round(time.Millisecond))
	}
	t := time.NewTicker(RollupRefresh)
	defer t.Stop()
	var swept time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if _, err := b.rollupInput(ctx, false); err != nil && ctx.Err() == nil {
			b.log().Warn("refresh the roll-up input", "err", err)
		}
		if k, ok := b.Assignments.(HistoryKeeper); ok {
			if err := k.KeepHistory(ctx); err != nil && ctx.Err() == nil {
				b.log().Warn("seal the update history", "err", err)
			}
		}
		if sw, ok := b.Assignments.(DerivedSweeper); ok && time.Since(swept) > RollupFullEvery {
			swept = time.Now()
			if n, err := sw.SweepDerived(ctx); err != nil && ctx.Err() == nil {
				b.log().Warn("delete what a stop left of the summaries' snapshot or the history archive", "err", err)
			} else if n > 0 {
				b.log().Info("deleted what a stop left of the summaries' snapshot or the history archive", "documents", n)
			}
		}
	}
}

// fullDue tells whether the next reload reads everything: once soon after a
// start from the snapshot, then every RollupFullEvery.
func (c *rollCache) fullDue() bool {
	return c.loaded && (c.fullAt.IsZero() || time.Since(c.fullAt) > RollupFullEvery)
}

// loadRollups reads the input through the store — the first time from the
// snapshot, then the changes since, or everything when a full read is due —
// and installs it, keeping any assignment applied meanwhile that is newer
// than what was read.
func (b *Bot) loadRollups(ctx context.Context) error {
	r, err := b.reports()
	if err != nil {
		return err
	}
	c := &b.rolls
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	c.mu.Lock()
	if c.loaded && !c.reloading { // loaded by another request meanwhile
		c.mu.Unlock()
		return nil
	}
	if c.recent == nil {
		c.recent = map[string]domain.Assignment{}
	}
	loaded, full := c.loaded, c.fullDue()
	prev := store.RollupState{Plans: c.plans, Tasks: c.tasks, Agencies: c.agencies, Assignments: c.as, Upto: c.upto}
	c.mu.Unlock()
	start := time.Now()
	var st store.RollupState
	if rs, ok := r.(RollupStates); ok {
		var n int
		switch {
		case !loaded:
			st, err = rs.LoadRollupState(ctx, false)
		case full:
			st, err = rs.LoadRollupState(ctx, true)
		default:
			if st, n, err = rs.RefreshRollupState(ctx, prev); err == nil && n > 0 {
				err = rs.SaveRollupState(ctx, st)
			}
		}
	} else {
		var in report.Input
		in, err = r.RollupInput(ctx, report.Input{}, "", true)
		st = store.RollupState{Plans: in.Plans, Tasks: in.Tasks, Agencies: in.Agencies, Assignments: in.Assignments, From: "scan"}
	}
	if err != nil {
		return err
	}
	b.log().Debug("roll-up input read", "from", st.From, "assignments", len(st.Assignments), "took", time.Since(start).Round(time.Millisecond))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.plans, c.tasks, c.agencies, c.as, c.upto = st.Plans, st.Tasks, st.Agencies, st.Assignments, st.Upto
	if st.From == "scan" && (full || !loaded) {
		c.fullAt = start
	}
	c.pos = make(map[string]int, len(c.as))
	for i, a := range c.as {
		c.pos[a.ID] = i
	}
	c.shared = true // the store may share the slices with its snapshot
	for _, a := range c.recent {
		c.putLocked(a)
	}
	c.recent, c.reloading, c.loaded, c.at = nil, false, true, start
	return nil
}

// noteApplied puts an assignment Apply returned into the in-memory input,
// so the next summary counts it.
func (b *Bot) noteApplied(a domain.Assignment) {
	c := &b.rolls
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.recent != nil {
		if old, ok := c.recent[a.ID]; !ok || old.Version <= a.Version {
			c.recent[a.ID] = a
		}
	}
	if c.loaded {
		c.putLocked(a)
	}
}

// putLocked replaces (or adds) one assignment unless the one held is newer.
func (c *rollCache) putLocked(a domain.Assignment) {
	i, ok := c.pos[a.ID]
	if ok && c.as[i].Version > a.Version {
		return
	}
	if c.shared { // a reader holds the slice: write a copy
		c.as, c.shared = slices.Clone(c.as), false
	}
	if a.Withdrawn {
		if ok {
			c.as = slices.Delete(c.as, i, i+1)
			delete(c.pos, a.ID)
			for j := i; j < len(c.as); j++ {
				c.pos[c.as[j].ID] = j
			}
		}
		return
	}
	if ok {
		c.as[i] = a
		return
	}
	c.pos[a.ID] = len(c.as)
	c.as = append(c.as, a)
}
