package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
	"agencybot/retry"
)

// ErrDuplicate means the change was applied before (same source): the
// caller is replaying something already done.
var ErrDuplicate = errors.New("already applied")

// ErrWithdrawn means the assignment is no longer part of its plan: its
// history is kept, but nothing more is recorded on it.
var ErrWithdrawn = errors.New("assignment withdrawn from the plan")

// maxNote bounds a stored note; the bot refuses longer ones with a message.
const maxNote = 8000

// stripes serialise writers of one assignment inside this process.
var stripes [64]sync.Mutex

func stripe(id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(id))
	return &stripes[h.Sum32()%uint32(len(stripes))]
}

// sourceKey is the identity of the marker saying that source was applied to
// an assignment.
func sourceKey(assignmentID, source string) string { return assignmentID + " " + source }

// Apply records a change as the next entry of the assignment's history and
// moves the assignment's current state with it. What the change does to the
// state is domain.Next's; a change that would leave it as it is returns
// domain.ErrNoChange and records nothing.
//
// Without multi-document transactions the writes are made safe by the
// history itself: the update is inserted first under the identity
// UpdateID(assignment, version), which exists once (a second writer of the
// same version gets a duplicate key and starts over); it carries the state
// after it and its source, which the unique index one_update_per_source
// (assignment, source) lets into the history once — so that insert is at
// the same time the claim of the version and the proof that the source was
// not applied before. Then the update a correction withdraws is marked
// corrected and the assignment is set to the new state (rollForward). A
// crash after the first write leaves the assignment behind its history; the
// next Apply of any process, and Repair at start, roll it forward with the
// same steps. All lookups are by _id, the one query the embedded backend
// answers without scanning a collection. A press thus costs one read and,
// with the summaries' note, three writes.
//
// Where the index could not be built (a history of an older version that
// repeats a source: see ensureSourceIndex) the source is also marked in
// applied_sources and looked up there first, as before the index.
func (s *Store) Apply(ctx context.Context, assignmentID string, ch domain.Change) (domain.Assignment, domain.Update, error) {
	if len(ch.Note) > maxNote {
		return domain.Assignment{}, domain.Update{}, fmt.Errorf("note of %d bytes: longer than %d", len(ch.Note), maxNote)
	}
	if ch.SourceID == "" {
		ch.SourceID = bson.NewObjectID().Hex()
	}
	mu := stripe(assignmentID)
	mu.Lock()
	defer mu.Unlock()
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := contended.Sleep(ctx, attempt+1); err != nil {
				return domain.Assignment{}, domain.Update{}, fmt.Errorf("update %s: %w", assignmentID, err)
			}
		}
		a, err := s.Assignment(ctx, assignmentID)
		if err == nil && attempt > 0 {
			a, err = s.settle(ctx, a) // another process may have left a version behind
		}
		if err != nil {
			return a, domain.Update{}, err
		}
		if a.Withdrawn {
			return a, domain.Update{}, fmt.Errorf("%s: %w", a.ID, ErrWithdrawn)
		}
		if s.markSources {
			if done, err := s.applied(ctx, a.ID, ch.SourceID); err != nil {
				return a, domain.Update{}, err
			} else if done {
				last, _ := s.LastUpdate(ctx, a)
				return a, last, ErrDuplicate
			}
		}
		var last *domain.Update
		if ch.Kind == domain.Correction || ch.Kind == domain.SetStatus && a.Status == domain.Done { // leaving done: the progress before it (domain.Next)
			if l, err := s.LastUpdate(ctx, a); err == nil {
				last = &l
			} else if !errors.Is(err, ErrNotFound) {
				return a, domain.Update{}, err
			}
		}
		after, err := domain.Next(a.State, ch, last)
		u := domain.Update{
			ID: domain.UpdateID(a.ID, a.Version+1), Source: ch.SourceID, AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey,
			OfficerID: ch.OfficerID, OfficerName: ch.OfficerName, At: s.now().UTC().Truncate(time.Millisecond),
			Kind: ch.Kind, Status: ch.Status, Progress: ch.Progress, Note: ch.Note, Evidence: ch.Evidence,
			Version: a.Version + 1, Before: a.State, After: after,
		}
		if err != nil {
			// A change replayed after it was applied (the process was killed
			// before the update was marked processed) usually changes nothing
			// now: it is a duplicate when it is the latest update.
			if latest, lerr := s.LastUpdate(ctx, a); lerr == nil && latest.Source == ch.SourceID {
				return a, latest, ErrDuplicate
			}
			return a, u, err
		}
		if last != nil {
			u.Corrects = last.ID
		}
		if _, err := s.updates.InsertOne(ctx, u); err != nil {
			if !isDup(err) {
				return a, u, fmt.Errorf("record update of %s: %w", a.ID, err)
			}
			taken, err := one[domain.Update](ctx, s.updates, bson.M{"_id": u.ID})
			switch {
			case err == nil && taken.Source == ch.SourceID: // ours, recorded before a crash: finish it
				moved, err := s.rollForward(ctx, a, taken)
				if err != nil {
					return moved, taken, err
				}
				return moved, taken, ErrDuplicate
			case err == nil:
				continue // another writer took this version: read again and retry
			case errors.Is(err, ErrNotFound): // the version is free, so the source was applied before
				latest, _ := s.LastUpdate(ctx, a)
				return a, latest, ErrDuplicate
			default:
				return a, u, fmt.Errorf("record update of %s: %w", a.ID, err)
			}
		}
		moved, err := s.rollForward(ctx, a, u)
		return moved, u, err
	}
}

// applied tells whether source was applied to the assignment before, by
// its marker (where the history has no unique index of sources).
func (s *Store) applied(ctx context.Context, assignmentID, source string) (bool, error) {
	err := s.sources.FindOne(ctx, bson.M{"_id": sourceKey(assignmentID, source)}).Err()
	if isNoDocs(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up source %s of %s: %w", source, assignmentID, err)
	}
	return true, nil
}

// contended is the wait before another attempt at a contended write: a
// little, growing and jittered (1 ms, then 1–2, 1–4 … 1–64 ms).
var contended = retry.Backoff{Base: time.Millisecond, Cap: 64 * time.Millisecond, Jitter: true}

// LastUpdate is the latest update of an assignment, if any.
func (s *Store) LastUpdate(ctx context.Context, a domain.Assignment) (domain.Update, error) {
	if a.Version == 0 {
		return domain.Update{}, ErrNotFound
	}
	return one[domain.Update](ctx, s.updates, bson.M{"_id": domain.UpdateID(a.ID, a.Version)})
}

// rollForward finishes update u (the update of the version after a's) and
// sets the assignment to the state after it.
func (s *Store) rollForward(ctx context.Context, a domain.Assignment, u domain.Update) (domain.Assignment, error) {
	if err := s.finish(ctx, u); err != nil {
		return a, err
	}
	a = a.Advance(u)
	set := bson.M{
		"status": a.Status, "progress": a.Progress, "note": a.Note, "version": a.Version,
		"last_update": a.LastUpdate, "reported_at": a.ReportedAt, "done_at": a.DoneAt,
	}
	if err := s.noteAssignments(ctx, a.ID); err != nil {
		return a, err
	}
	if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": set}); err != nil {
		return a, fmt.Errorf("move %s to version %d: %w", a.ID, u.Version, err)
	}
	return a, nil
}

// finish makes the writes that go with a recorded update, each idempotent:
// the update a correction withdraws is marked corrected, and, where the
// history has no unique index of sources, the update's source is marked
// applied to the assignment.
func (s *Store) finish(ctx context.Context, u domain.Update) error {
	if u.Kind == domain.Correction && u.Corrects != "" {
		if _, err := s.updates.UpdateOne(ctx, bson.M{"_id": u.Corrects}, bson.M{"$set": bson.M{"corrected": true}}); err != nil {
			return fmt.Errorf("mark %s corrected: %w", u.Corrects, err)
		}
	}
	if !s.markSources {
		return nil
	}
	_, err := s.sources.InsertOne(ctx, bson.M{"_id": sourceKey(u.AssignmentID, u.Source), "update": u.ID, "at": u.At})
	if err != nil && !isDup(err) {
		return fmt.Errorf("mark source %s of %s: %w", u.Source, u.AssignmentID, err)
	}
	return nil
}

// Assignment reads an assignment. Its state is current: an update recorded
// but not applied (a process died between Apply's two writes) is rolled
// forward by Repair at start, and by the next Apply of any process.
func (s *Store) Assignment(ctx context.Context, id string) (domain.Assignment, error) {
	a, err := one[domain.Assignment](ctx, s.assignments, bson.M{"_id": id})
	if err != nil {
		return a, fmt.Errorf("assignment %s: %w", id, err)
	}
	return a, nil
}

// settle rolls a forward over recorded updates beyond its version.
func (s *Store) settle(ctx context.Context, a domain.Assignment) (domain.Assignment, error) {
	for {
		u, err := one[domain.Update](ctx, s.updates, bson.M{"_id": domain.UpdateID(a.ID, a.Version+1)})
		if errors.Is(err, ErrNotFound) {
			return a, nil
		}
		if err != nil {
			return a, err
		}
		if a, err = s.rollForward(ctx, a, u); err != nil {
			return a, err
		}
	}
}

// Repair finishes what a crash left half done: it rolls forward every
// assignment whose history is ahead of it, and finishes a correction whose
// withdrawn update was not marked corrected. It returns how many assignments
// it repaired.
func (s *Store) Repair(ctx context.Context) (int, error) {
	if _, err := s.RepairImports(ctx); err != nil {
		return 0, err
	}
	if _, err := s.RepairTargets(ctx); err != nil {
		return 0, err
	}
	list, err := s.AllAssignments(ctx)
	if err != nil {
		return 0, fmt.Errorf("list assignments: %w", err)
	}
	n := 0
	for _, a := range list {
		moved, err := s.settle(ctx, a)
		if err != nil {
			return n, err
		}
		if moved.Version != a.Version {
			n++
			continue
		}
		if a.Version == 0 {
			continue
		}
		last, err := s.LastUpdate(ctx, a)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		if last.Kind != domain.Correction {
			continue
		}
		withdrawn, err := one[domain.Update](ctx, s.updates, bson.M{"_id": last.Corrects})
		if err != nil && !errors.Is(err, ErrNotFound) {
			return n, err
		}
		if err == nil && !withdrawn.Corrected {
			if err := s.finish(ctx, last); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// AssignmentHistory lists the updates of one assignment, newest first, at
// most limit (0: all).
func (s *Store) AssignmentHistory(ctx context.Context, id string, limit int) ([]domain.Update, error) {
	a, err := s.Assignment(ctx, id)
	if err == nil {
		a, err = s.settle(ctx, a)
	}
	if err != nil {
		return nil, err
	}
	var out []domain.Update
	for v := a.Version; v >= 1 && (limit <= 0 || len(out) < limit); v-- {
		u, err := one[domain.Update](ctx, s.updates, bson.M{"_id": domain.UpdateID(id, v)})
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return out, err
		}
		out = append(out, u)
	}
	return out, nil
}

// History lists the latest updates of a task (all its assignments), newest
// first, at most limit.
func (s *Store) History(ctx context.Context, taskCode string, limit int) ([]domain.Update, error) {
	as, err := s.TaskAssignments(ctx, taskCode)
	if err != nil {
		return nil, err
	}
	var out []domain.Update
	for _, a := range as {
		if a.Version == 0 {
			continue
		}
		h, err := s.AssignmentHistory(ctx, a.ID, limit)
		if err != nil {
			return nil, err
		}
		out = append(out, h...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
