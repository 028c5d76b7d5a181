package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// RunClaim says whether the caller may plan a run slot.
type RunClaim struct {
	Started bool // the caller holds the slot and plans it
	Attempt int  // 1 normally; more when taking over from a planner that died
	Done    bool // the slot was planned before
}

// StartRun claims a planning run slot ("reminders@2025-12-24T08:00") for
// owner. Of racing callers one starts it; a slot planned before is Done; a
// slot another planner holds (lease not expired) is neither. A planner that
// died is taken over once its lease expires, with the next attempt number;
// at once when it was this same owner (the instance restarted: one instance
// plans a slot once at a time).
func (s *Store) StartRun(ctx context.Context, slot, owner string, lease time.Duration) (RunClaim, error) {
	runs := s.runs
	now := s.now().UTC()
	for n := 1; n <= 20; n++ {
		ok, err := insert(ctx, runs, bson.M{
			"_id": slot + "#" + strconv.Itoa(n), "slot": slot, "attempt": n, "owner": owner,
			"at": now, "lease_until": now.Add(lease),
		})
		if err != nil {
			return RunClaim{}, fmt.Errorf("start run %s: %w", slot, err)
		}
		if ok {
			return RunClaim{Started: true, Attempt: n}, nil
		}
		if done, err := s.RunDone(ctx, slot); err != nil || done {
			return RunClaim{Done: done}, err
		}
		var cur struct {
			Owner      string    `bson:"owner"`
			LeaseUntil time.Time `bson:"lease_until"`
		}
		if err := runs.FindOne(ctx, bson.M{"_id": slot + "#" + strconv.Itoa(n)}).Decode(&cur); err != nil {
			return RunClaim{}, fmt.Errorf("read run %s: %w", slot, err)
		}
		if cur.LeaseUntil.After(now) && cur.Owner != owner {
			return RunClaim{}, nil // another planner is on it
		}
		// Its lease is over, or it is an earlier life of this instance
		// (killed and restarted): take it over.
	}
	return RunClaim{}, fmt.Errorf("run %s: too many attempts", slot)
}

// FinishRun records that a run slot was planned completely.
func (s *Store) FinishRun(ctx context.Context, slot string, attempt, planned int) error {
	_, err := insert(ctx, s.runs, bson.M{
		"_id": slot + "#done", "slot": slot, "attempt": attempt, "planned": planned, "at": s.now().UTC(),
	})
	if err != nil {
		return fmt.Errorf("finish run %s: %w", slot, err)
	}
	return nil
}

// RunDone tells whether a run slot was planned completely.
func (s *Store) RunDone(ctx context.Context, slot string) (bool, error) {
	return exists(ctx, s.runs, slot+"#done")
}

// RunStarted tells whether a run slot has a record at all.
func (s *Store) RunStarted(ctx context.Context, slot string) (bool, error) {
	return exists(ctx, s.runs, slot+"#1")
}
