package store

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/domain"
	"agencybot/report"
)

// RollupInput reads what a roll-up needs into base (which carries the
// clock, zone, policy and review flags): the open plans (every plan when
// allPlans), every task, every agency and the current assignments.
//
// For the whole province it is the roll-up state (rollstate.go): the
// snapshot and the change log, read by _id, or every collection once when
// there is no snapshot yet. For one agency (agencyKey not empty) it is the
// snapshot's catalog and the agency's bucket (snapshot.go) with the notes
// that concern them; without a snapshot, the catalog and the agency's
// assignments read by _id from the tasks that name it or its group. The updates are not
// read: the assignments carry their folded state (status, progress, note,
// ReportedAt, DoneAt); evidence counts come from [Store.EachUpdate].
func (s *Store) RollupInput(ctx context.Context, base report.Input, agencyKey string, allPlans bool) (report.Input, error) {
	in := base
	var err error
	if in.Review, err = s.Waiting(ctx); err != nil { // issue 10: completions waiting for review
		return in, fmt.Errorf("read reviews: %w", err)
	}
	if in.Extended == nil { // extensions are recorded: the outputs show "đã gia hạn" (the parts say which)
		in.Extended = map[string]bool{}
	}
	if agencyKey == "" {
		st, err := s.LoadRollupState(ctx, false)
		if err != nil {
			return in, err
		}
		return st.Input(in, allPlans), nil
	}
	if st, ok, err := s.loadAgencySnapshot(ctx, agencyKey); err != nil {
		return in, err
	} else if ok {
		if !slices.ContainsFunc(st.Agencies, func(a domain.Agency) bool { return a.Key == agencyKey }) {
			return in, fmt.Errorf("agency %s: %w", agencyKey, ErrNotFound)
		}
		return st.Input(in, allPlans), nil
	}
	if allPlans {
		in.Plans, err = s.Plans(ctx)
	} else {
		in.Plans, err = s.OpenPlans(ctx)
	}
	if err != nil {
		return in, fmt.Errorf("read plans: %w", err)
	}
	if in.Tasks, err = s.Tasks(ctx, ""); err != nil {
		return in, fmt.Errorf("read tasks: %w", err)
	}
	if in.Agencies, err = s.Agencies(ctx); err != nil {
		return in, fmt.Errorf("read agencies: %w", err)
	}
	var ag domain.Agency
	found := false
	for _, a := range in.Agencies {
		if a.Key == agencyKey {
			ag, found = a, true
			break
		}
	}
	if !found {
		return in, fmt.Errorf("agency %s: %w", agencyKey, ErrNotFound)
	}
	if in.Assignments, err = s.AssignmentsOf(ctx, ag, in.Tasks); err != nil {
		return in, fmt.Errorf("read assignments of %s: %w", agencyKey, err)
	}
	return in, nil
}

// currentAssignments reads every assignment once, without the replay
// sources, and keeps the current ones. Filtering in Go costs nothing more:
// the embedded backend scans for {withdrawn: false} anyway. A large batch
// saves the embedded backend's per-batch cost (measured: a third to a half
// of the time at 5,000 to 15,000 assignments); MongoDB caps each batch at
// 16 MB whatever is asked.
func (s *Store) currentAssignments(ctx context.Context) ([]domain.Assignment, error) {
	cur, err := s.assignments.Find(ctx, bson.M{}, options.Find().SetProjection(bson.M{"sources": 0}).SetBatchSize(100_000))
	if err != nil {
		return nil, err
	}
	defer cur.Close(ctx)
	var out []domain.Assignment
	for cur.Next(ctx) {
		var a domain.Assignment
		if err := cur.Decode(&a); err != nil {
			return nil, err
		}
		if !a.Withdrawn {
			out = append(out, a)
		}
	}
	return out, cur.Err()
}
