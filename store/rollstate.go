package store

// The roll-up state: every plan, task, agency and current assignment, as the
// summaries, the chart and the exports need them, without reading every
// assignment each time.
//
// On the embedded backend a read of the whole assignments collection costs
// about 0.25 ms a document (FerretDB decodes each from JSON): some 25 s at
// 100,000 assignments. So the state is also kept as a snapshot — a few
// binary documents read by _id — plus a change log:
//
//   - every writer of an assignment, task, plan or agency first inserts a
//     note in rollup_changes saying what it is about to change (insert-only,
//     a unique _id: exactly once, constant cost);
//   - loading reads the change log (small: it is emptied as snapshots are
//     saved), then the snapshot, then re-reads by _id what the notes name;
//   - a refresh applies the notes written since the last one (and those of
//     the grace period before it, whose write may have landed after that
//     re-read), so the periodic refresh costs what changed, not the whole;
//   - saving a snapshot deletes the notes it includes.
//
// A note is written before its change, so a change is never missing from the
// log; a note whose write never happened (a crash between the two) costs
// one needless re-read. A full read (LoadRollupState(ctx, true)) rebuilds
// everything from the collections themselves; the bot does one after each
// start and once a day, so even a change made around a crash by a writer
// outside this code is picked up within a day.

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/domain"
	"agencybot/report"
)

// ChangeGrace is how long a writer may take between noting a change and
// making it. Notes younger than this are applied again at each refresh.
const ChangeGrace = 10 * time.Minute

// maxNotedIDs is the most assignment ids one note lists; a write touching
// more notes a full reload instead (a plan imported for 1,000 agencies).
const maxNotedIDs = 1000

// RollupState is the roll-up input of every plan: all plans (open or not),
// tasks, agencies and the current assignments, as of Upto.
type RollupState struct {
	Plans       []domain.Plan
	Tasks       []domain.Task
	Agencies    []domain.Agency
	Assignments []domain.Assignment
	// Upto is the wall-clock time (Unix nanoseconds) the change log was read
	// at: every change noted before Upto-ChangeGrace is in the state.
	Upto int64
	// From says how it was read: "snapshot" or "scan".
	From string
}

// changeNote is one entry of the change log.
type changeNote struct {
	ID          string   `bson:"_id"`
	At          int64    `bson:"at"`             // wall clock, Unix nanoseconds
	Assignments []string `bson:"a,omitempty"`    // these assignments change
	Task        string   `bson:"t,omitempty"`    // every assignment of this task changes
	Catalog     bool     `bson:"c,omitempty"`    // a plan, task or agency changes
	Full        bool     `bson:"full,omitempty"` // too much to name: reload everything
}

// noteChange records, before the write, what a write is about to change.
func (s *Store) noteChange(ctx context.Context, n changeNote) error {
	if len(n.Assignments) > maxNotedIDs {
		n.Assignments, n.Full = nil, true
	}
	n.At = s.wall().UnixNano()
	n.ID = fmt.Sprintf("%019d-%08x", n.At, rand.Uint32())
	if _, err := s.changeLog.InsertOne(ctx, n); err != nil {
		return fmt.Errorf("note the change for the summaries: %w", err)
	}
	return nil
}

// noteAssignments notes a change of these assignments.
func (s *Store) noteAssignments(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.noteChange(ctx, changeNote{Assignments: ids})
}

// noteCatalog notes a change of a plan, task or agency.
func (s *Store) noteCatalog(ctx context.Context) error {
	return s.noteChange(ctx, changeNote{Catalog: true})
}

// LoadRollupState reads the roll-up state: from the snapshot and the change
// log when there is a snapshot and full is false, else from the collections
// themselves (and then saves a snapshot).
func (s *Store) LoadRollupState(ctx context.Context, full bool) (RollupState, error) {
	if !full {
		for range 3 { // a snapshot replaced while being read is read again
			st, ok, err := s.loadSnapshot(ctx)
			if err != nil {
				return st, err
			}
			if ok {
				return st, nil
			}
		}
	}
	st, err := s.scanRollupState(ctx)
	if err != nil {
		return st, err
	}
	if err := s.SaveRollupState(ctx, st); err != nil {
		return st, err
	}
	return st, nil
}

// scanRollupState reads every plan, task, agency and current assignment.
func (s *Store) scanRollupState(ctx context.Context) (RollupState, error) {
	st := RollupState{Upto: s.wall().UnixNano(), From: "scan"}
	var err error
	if st.Plans, st.Tasks, st.Agencies, err = s.catalogState(ctx); err != nil {
		return st, err
	}
	if st.Assignments, err = s.currentAssignments(ctx); err != nil {
		return st, fmt.Errorf("read assignments: %w", err)
	}
	return st, nil
}

func (s *Store) catalogState(ctx context.Context) ([]domain.Plan, []domain.Task, []domain.Agency, error) {
	plans, err := s.Plans(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read plans: %w", err)
	}
	tasks, err := s.Tasks(ctx, "")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read tasks: %w", err)
	}
	agencies, err := s.Agencies(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read agencies: %w", err)
	}
	return plans, tasks, agencies, nil
}

// loadSnapshot reads the change log, then the snapshot, and applies every
// note to it. ok is false when there is no snapshot or it changed while
// being read.
func (s *Store) loadSnapshot(ctx context.Context) (RollupState, bool, error) {
	upto := s.wall().UnixNano()
	notes, err := s.changeNotes(ctx)
	if err != nil {
		return RollupState{}, false, err
	}
	st, ok, err := s.readSnapshot(ctx, "")
	if err != nil || !ok {
		return st, false, err
	}
	st.From = "snapshot"
	st, err = s.applyNotes(ctx, st, notes)
	if err != nil {
		return st, false, err
	}
	st.Upto = upto
	return st, true, nil
}

// RefreshRollupState applies to st the changes noted since it was read and
// returns how many notes it applied. A note asking for a full reload makes
// it read everything.
func (s *Store) RefreshRollupState(ctx context.Context, st RollupState) (RollupState, int, error) {
	upto := s.wall().UnixNano()
	notes, err := s.changeNotes(ctx)
	if err != nil {
		return st, 0, err
	}
	since := st.Upto - int64(s.changeGrace)
	notes = slices.DeleteFunc(notes, func(n changeNote) bool { return n.At < since })
	if len(notes) == 0 {
		st.Upto = upto
		return st, 0, nil
	}
	if st, err = s.applyNotes(ctx, st, notes); err != nil {
		return st, 0, err
	}
	st.Upto = upto
	return st, len(notes), nil
}

// changeNotes lists the change log (a scan, of a collection that saving a
// snapshot keeps small).
func (s *Store) changeNotes(ctx context.Context) ([]changeNote, error) {
	notes, err := all[changeNote](ctx, s.changeLog, bson.M{})
	if err != nil {
		return nil, fmt.Errorf("read the change log: %w", err)
	}
	return notes, nil
}

// applyNotes re-reads what the notes name into a copy of st.
func (s *Store) applyNotes(ctx context.Context, st RollupState, notes []changeNote) (RollupState, error) {
	ids := map[string]bool{}
	catalog := false
	for _, n := range notes {
		if n.Full {
			fresh, err := s.scanRollupState(ctx)
			fresh.From = st.From
			return fresh, err
		}
		catalog = catalog || n.Catalog
		for _, id := range n.Assignments {
			ids[id] = true
		}
		if n.Task != "" {
			for _, a := range st.Assignments {
				if a.TaskCode == n.Task {
					ids[a.ID] = true
				}
			}
		}
	}
	if catalog {
		var err error
		if st.Plans, st.Tasks, st.Agencies, err = s.catalogState(ctx); err != nil {
			return st, err
		}
	}
	if len(ids) == 0 {
		return st, nil
	}
	pos := make(map[string]int, len(st.Assignments))
	for i, a := range st.Assignments {
		pos[a.ID] = i
	}
	as := slices.Clone(st.Assignments)
	gone := map[string]bool{}
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		a, err := one[domain.Assignment](ctx, s.assignments, bson.M{"_id": id}, options.FindOne().SetProjection(bson.M{"sources": 0}))
		if errors.Is(err, ErrNotFound) || (err == nil && a.Withdrawn) {
			gone[id] = true
			continue
		}
		if err != nil {
			return st, fmt.Errorf("re-read assignment %s: %w", id, err)
		}
		if i, ok := pos[id]; ok {
			as[i] = a
		} else {
			pos[id] = len(as)
			as = append(as, a)
		}
	}
	if len(gone) > 0 {
		as = slices.DeleteFunc(as, func(a domain.Assignment) bool { return gone[a.ID] })
	}
	st.Assignments = as
	return st, nil
}

// Input is the roll-up input from st on base (clock, zone, policy, reviews):
// the open plans, or every plan when allPlans.
func (st RollupState) Input(base report.Input, allPlans bool) report.Input {
	in := base
	in.Plans = nil
	for _, p := range st.Plans {
		if allPlans || p.Open {
			in.Plans = append(in.Plans, p)
		}
	}
	in.Tasks, in.Agencies, in.Assignments = st.Tasks, st.Agencies, st.Assignments
	return in
}
