// Package summaries owns the roll-up input every figure leadership sees is
// computed from — /summary, /overdue, /duesoon, /chart, /export, an
// officer's /tasks, the weekly digest and the command line's exports — and
// keeps it in memory, so that they agree and none of them reads every
// assignment per request (at 100,000 assignments the embedded store takes
// about half a minute to read them all; the roll-up itself takes a tenth of
// a second).
//
// The input is read from the store's snapshot at the first request (or at
// start, by Keep), kept current by the writers of this process — Applied
// with every assignment Apply returns, Changed after a plan, task or agency
// changed — before they answer, refreshed from the store's change log
// (store/rollstate.go) in the background for what other processes write,
// and read in full once after a start and then daily.
package summaries

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"agencybot/domain"
	"agencybot/report"
	"agencybot/store"
)

// Store is the roll-up state in the database (*store.Store:
// store/rollstate.go, store/rollup.go, store/review.go).
type Store interface {
	// LoadRollupState reads the state from the snapshot and the change log
	// (full: from the collections themselves).
	LoadRollupState(ctx context.Context, full bool) (store.RollupState, error)
	// RefreshRollupState applies the changes noted since st was read.
	RefreshRollupState(ctx context.Context, st store.RollupState) (store.RollupState, int, error)
	// SaveRollupState saves st as the snapshot, trimming the change log.
	SaveRollupState(ctx context.Context, st store.RollupState) error
	// RollupInput reads one agency's input by _id, before the whole is in
	// memory (an officer's first /tasks does not wait for the province's).
	RollupInput(ctx context.Context, base report.Input, agencyKey string, allPlans bool) (report.Input, error)
	// Waiting lists the completions waiting for review (read fresh: they
	// change with every /review decision and are few).
	Waiting(ctx context.Context) (map[string]bool, error)
}

// Upkeep is what the background round (Keep) does besides refreshing the
// input (*store.Store: store/history.go, store/sweep.go).
type Upkeep interface {
	// KeepHistory seals the update history's archive, if one was built,
	// with what the change log names since.
	KeepHistory(ctx context.Context) error
	// SweepDerived deletes the snapshot chunks and history segments a kill
	// left unlisted.
	SweepDerived(ctx context.Context) (int, error)
}

// The defaults of Options.
const (
	// DefaultRefresh is how old the input may grow before the next request
	// refreshes it in the background from the change log: what another
	// process writes (seeding, an import on the command line, a second
	// instance) appears within this time plus one refresh, which reads only
	// what changed. What this process writes is in the input at once.
	DefaultRefresh = 2 * time.Minute
	// DefaultFullEvery is how often the input is read again in full from
	// the collections (and once soon after a start from the snapshot),
	// rather than refreshed from the change log.
	DefaultFullEvery = 24 * time.Hour
)

// Options are what New builds the summaries from.
type Options struct {
	// Store is the roll-up state in the database (required).
	Store Store
	// Upkeep is sealed and swept by Keep (nil: Keep only refreshes).
	Upkeep Upkeep
	// Log receives one line per problem (nil: discarded).
	Log *slog.Logger
	// Refresh and FullEvery replace DefaultRefresh and DefaultFullEvery
	// (tests).
	Refresh, FullEvery time.Duration
}

// Summaries is the roll-up input of every plan, in memory. Its ages are
// measured on the machine's clock (how long ago it was read), never on the
// clock the figures are judged by, which comes with each request's base.
type Summaries struct {
	store     Store
	upkeep    Upkeep
	log       *slog.Logger
	refresh   time.Duration
	fullEvery time.Duration

	mu        sync.Mutex
	loaded    bool
	at        time.Time // when the loaded state was read
	st        store.RollupState
	pos       map[string]int // assignment id → index in st.Assignments
	shared    bool           // st.Assignments was handed to a reader: copy before writing
	reloading bool
	recent    map[string]domain.Assignment // applied while a load runs
	fullAt    time.Time                    // when everything was last read from the collections

	loadMu sync.Mutex // one load at a time
}

// New builds the summaries on o.Store; nothing is read until the first
// request (or Keep).
func New(o Options) *Summaries {
	s := &Summaries{store: o.Store, upkeep: o.Upkeep, log: o.Log, refresh: o.Refresh, fullEvery: o.FullEvery}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.refresh <= 0 {
		s.refresh = DefaultRefresh
	}
	if s.fullEvery <= 0 {
		s.fullEvery = DefaultFullEvery
	}
	return s
}

// RollupInput is the roll-up input on base (clock, zone, policy): the open
// plans, or every plan when allPlans, with the completions waiting for
// review read fresh. With agencyKey set, before the whole input is in
// memory, only that agency's is read (by _id); once it is in memory the
// whole is served, which the callers narrow with their filter.
func (s *Summaries) RollupInput(ctx context.Context, base report.Input, agencyKey string, allPlans bool) (report.Input, error) {
	s.mu.Lock()
	loaded := s.loaded
	s.mu.Unlock()
	if agencyKey != "" && !loaded {
		return s.store.RollupInput(ctx, base, agencyKey, allPlans)
	}
	in := base
	w, err := s.store.Waiting(ctx)
	if err != nil {
		return in, err
	}
	in.Review = w
	if in.Extended == nil { // extensions are recorded: the outputs show "đã gia hạn" (the parts say which)
		in.Extended = map[string]bool{}
	}
	if !loaded {
		if err := s.load(ctx, false); err != nil {
			return in, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.reloading && (time.Since(s.at) > s.refresh || s.fullDue()) {
		s.reloading, s.recent = true, map[string]domain.Assignment{}
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Minute)
			defer cancel()
			if err := s.load(ctx, false); err != nil {
				s.log.Warn("reload roll-up input", "err", err)
				s.mu.Lock()
				s.reloading, s.recent = false, nil
				s.mu.Unlock()
			}
		}()
	}
	in = s.st.Input(in, allPlans)
	s.shared = true
	return in, nil
}

// Applied puts assignments Apply returned into the input, so that the next
// summary counts them; an older copy never overwrites a newer one. Every
// writer of an assignment in this process calls it before it answers.
func (s *Summaries) Applied(as ...domain.Assignment) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range as {
		if s.recent != nil {
			if old, ok := s.recent[a.ID]; !ok || old.Version <= a.Version {
				s.recent[a.ID] = a
			}
		}
		if s.loaded {
			s.putLocked(a)
		}
	}
}

// Changed brings the input in memory up to date with the change log now,
// waiting for it: a writer that changed plans, tasks or agencies (an import,
// an agency added or renamed, a due date set, a task edited) calls it before
// it answers, so that what it answers with is what every summary shows. An
// import notes "read everything", so after one this reads every assignment
// (about 25 s at 100,000 on the embedded store). Nothing in memory yet:
// nothing to do, the first request reads it fresh.
func (s *Summaries) Changed(ctx context.Context) error {
	s.mu.Lock()
	loaded := s.loaded
	s.mu.Unlock()
	if !loaded {
		return nil
	}
	return s.load(ctx, true)
}

// Keep runs until ctx ends. It reads the input into memory at start (from
// the snapshot: about half a second at 100,000 assignments), so that the
// first summary, and an officer's first /tasks, are served from memory; the
// full read from the collections follows in the background. Then, every
// refresh interval, it refreshes the input and seals the history archive
// even when nobody asks for a summary, so that the change log stays short
// and another process's changes are in memory before anyone asks. At its
// first round and then every FullEvery it also deletes what a kill left of a
// snapshot save or a seal. Failures are logged; the next round tries again.
func (s *Summaries) Keep(ctx context.Context) error {
	start := time.Now()
	base := report.Input{}
	if _, err := s.RollupInput(ctx, base, "", false); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		s.log.Warn("read the roll-up input at start", "err", err)
	} else {
		s.log.Info("summaries ready", "took", time.Since(start).Round(time.Millisecond))
	}
	t := time.NewTicker(s.refresh)
	defer t.Stop()
	var swept time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		if _, err := s.RollupInput(ctx, base, "", false); err != nil && ctx.Err() == nil {
			s.log.Warn("refresh the roll-up input", "err", err)
		}
		if s.upkeep == nil {
			continue
		}
		if err := s.upkeep.KeepHistory(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("seal the update history", "err", err)
		}
		if time.Since(swept) > s.fullEvery {
			swept = time.Now()
			if n, err := s.upkeep.SweepDerived(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("delete what a stop left of the summaries' snapshot or the history archive", "err", err)
			} else if n > 0 {
				s.log.Info("deleted what a stop left of the summaries' snapshot or the history archive", "documents", n)
			}
		}
	}
}

// fullDue tells whether the next reload reads everything: once soon after a
// start from the snapshot, then every fullEvery.
func (s *Summaries) fullDue() bool {
	return s.loaded && (s.fullAt.IsZero() || time.Since(s.fullAt) > s.fullEvery)
}

// load reads the input through the store — the first time from the
// snapshot, then the changes since, or everything when a full read is due —
// and installs it, keeping any assignment applied meanwhile that is newer
// than what was read. force: read even when nothing asked for a reload
// (Changed).
func (s *Summaries) load(ctx context.Context, force bool) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	s.mu.Lock()
	if s.loaded && !s.reloading && !force { // loaded by another request meanwhile
		s.mu.Unlock()
		return nil
	}
	if s.recent == nil {
		s.recent = map[string]domain.Assignment{}
	}
	s.reloading = s.loaded
	loaded, full := s.loaded, s.fullDue() && !force
	prev := s.st
	s.mu.Unlock()
	start := time.Now()
	var (
		st  store.RollupState
		n   int
		err error
	)
	switch {
	case !loaded:
		st, err = s.store.LoadRollupState(ctx, false)
	case full:
		st, err = s.store.LoadRollupState(ctx, true)
	default:
		if st, n, err = s.store.RefreshRollupState(ctx, prev); err == nil && n > 0 {
			err = s.store.SaveRollupState(ctx, st)
		}
	}
	if err != nil {
		if force || !loaded { // a background reload resets these itself
			s.mu.Lock()
			s.reloading, s.recent = false, nil
			s.mu.Unlock()
		}
		return err
	}
	s.log.Debug("roll-up input read", "from", st.From, "assignments", len(st.Assignments), "took", time.Since(start).Round(time.Millisecond))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st = st
	if st.From == "scan" && (full || !loaded) {
		s.fullAt = start
	}
	s.pos = make(map[string]int, len(st.Assignments))
	for i, a := range st.Assignments {
		s.pos[a.ID] = i
	}
	s.shared = true // the store may share the slices with its snapshot
	s.loaded = true
	for _, a := range s.recent {
		s.putLocked(a)
	}
	s.recent, s.reloading, s.at = nil, false, start
	return nil
}

// putLocked replaces (or adds) one assignment unless the one held is newer.
func (s *Summaries) putLocked(a domain.Assignment) {
	as := s.st.Assignments
	i, ok := s.pos[a.ID]
	if ok && as[i].Version > a.Version {
		return
	}
	if s.shared { // a reader holds the slice: write a copy
		as, s.shared = slices.Clone(as), false
	}
	defer func() { s.st.Assignments = as }()
	if a.Withdrawn {
		if ok {
			as = slices.Delete(as, i, i+1)
			delete(s.pos, a.ID)
			for j := i; j < len(as); j++ {
				s.pos[as[j].ID] = j
			}
		}
		return
	}
	if ok {
		as[i] = a
		return
	}
	s.pos[a.ID] = len(as)
	as = append(as, a)
}
