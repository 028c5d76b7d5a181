package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
)

// ErrDuplicate means the change was applied before (same source): the
// caller is replaying something already done.
var ErrDuplicate = errors.New("already applied")

// ErrWithdrawn means the assignment is no longer part of its plan: its
// history is kept, but nothing more is recorded on it.
var ErrWithdrawn = errors.New("assignment withdrawn from the plan")

// ErrNothingToCorrect means the officer has no update of their own that can be corrected.
var ErrNothingToCorrect = errors.New("nothing to correct")

// Change is what an officer asks to change on an assignment.
type Change struct {
	// SourceID identifies where the change came from ("tg:<update_id>"); a
	// change whose source is among the assignment's recent ones is refused
	// with ErrDuplicate. Empty: a fresh id is generated.
	SourceID    string
	OfficerID   int64
	OfficerName string
	Kind        domain.UpdateKind
	Status      domain.Status
	Progress    *int
	Note        string
	Evidence    *domain.Evidence
}

// maxNote bounds a stored note; the bot refuses longer ones with a message.
const maxNote = 8000

// keepSources is how many recent sources an assignment remembers.
const keepSources = 16

// stripes serialise writers of one assignment inside this process.
var stripes [64]sync.Mutex

func stripe(id string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(id))
	return &stripes[h.Sum32()%uint32(len(stripes))]
}

// Apply records a change as the next entry of the assignment's history and
// moves the assignment's current state with it.
//
// Without multi-document transactions the two writes are made safe by the
// history itself: the update is inserted first under the identity
// UpdateID(assignment, version), which exists once (a second writer of the
// same version gets a duplicate key and starts over); it carries the state
// after it. The assignment is then set to that state. A crash between the two
// leaves the assignment behind its history; every read through Assignment,
// and Repair at start, rolls it forward. All lookups are by _id, the one
// query the embedded backend answers without scanning a collection.
func (s *Store) Apply(ctx context.Context, assignmentID string, ch Change) (domain.Assignment, domain.Update, error) {
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
			if err := backoff(ctx, attempt); err != nil {
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
		if slices.Contains(a.Sources, ch.SourceID) {
			last, _ := s.LastUpdate(ctx, a)
			return a, last, ErrDuplicate
		}
		u := domain.Update{
			ID: domain.UpdateID(a.ID, a.Version+1), Source: ch.SourceID, AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey,
			OfficerID: ch.OfficerID, OfficerName: ch.OfficerName, At: s.now().UTC().Truncate(time.Millisecond),
			Kind: ch.Kind, Status: ch.Status, Progress: ch.Progress, Note: ch.Note, Evidence: ch.Evidence,
			Version: a.Version + 1, Before: a.State,
		}
		after := a.State
		switch ch.Kind {
		case domain.SetStatus:
			if !ch.Status.Valid() {
				return a, u, fmt.Errorf("status %q is not one of the reportable statuses", ch.Status)
			}
			after.Status = ch.Status
			if ch.Status == domain.Done {
				after.Progress = 100
			} else if ch.Status == domain.NotStarted {
				after.Progress = 0
			}
		case domain.SetProgress:
			if ch.Progress == nil || *ch.Progress < 0 || *ch.Progress > 100 {
				return a, u, errors.New("progress must be 0–100")
			}
			after.Progress = *ch.Progress
			switch {
			case after.Progress == 100:
				after.Status = domain.Done
			case after.Progress > 0 && (after.Status == domain.NotStarted || after.Status == domain.Done || after.Status == ""):
				after.Status = domain.InProgress
			}
		case domain.AddNote:
			if ch.Note == "" {
				return a, u, errors.New("empty note")
			}
			after.Note = ch.Note
		case domain.AddEvidence:
			if ch.Evidence == nil {
				return a, u, errors.New("no file")
			}
		case domain.Correction:
			last, err := s.correctable(ctx, a, ch.OfficerID)
			if err != nil {
				return a, u, err
			}
			u.Corrects = last.ID
			after = last.Before
		default:
			return a, u, fmt.Errorf("unknown change %q", ch.Kind)
		}
		u.After = after
		if _, err := s.updates.InsertOne(ctx, u); err != nil {
			if isDup(err) {
				continue // another writer took this version: read again and retry
			}
			return a, u, fmt.Errorf("record update of %s: %w", a.ID, err)
		}
		moved, err := s.rollForward(ctx, a, u)
		if err != nil {
			return a, u, err
		}
		if ch.Kind == domain.Correction {
			if _, err := s.updates.UpdateOne(ctx, bson.M{"_id": u.Corrects}, bson.M{"$set": bson.M{"corrected": true}}); err != nil {
				return moved, u, fmt.Errorf("mark %s corrected: %w", u.Corrects, err)
			}
		}
		return moved, u, nil
	}
}

// backoff waits a little, growing and jittered, before another attempt at a
// contended write.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(1+rand.IntN(1<<min(attempt, 6))) * time.Millisecond
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// correctable is the officer's latest update on the assignment, when it is
// the latest update of all and not itself a correction or corrected.
func (s *Store) correctable(ctx context.Context, a domain.Assignment, officer int64) (domain.Update, error) {
	last, err := s.LastUpdate(ctx, a)
	if errors.Is(err, ErrNotFound) {
		return last, ErrNothingToCorrect
	}
	if err != nil {
		return last, err
	}
	if last.OfficerID != officer || last.Kind == domain.Correction || last.Corrected {
		return last, ErrNothingToCorrect
	}
	return last, nil
}

// LastUpdate is the latest update of an assignment, if any.
func (s *Store) LastUpdate(ctx context.Context, a domain.Assignment) (domain.Update, error) {
	if a.Version == 0 {
		return domain.Update{}, ErrNotFound
	}
	return one[domain.Update](ctx, s.updates, bson.M{"_id": domain.UpdateID(a.ID, a.Version)})
}

// rollForward sets the assignment to the state after u (the update of the
// version after a's) and returns it.
func (s *Store) rollForward(ctx context.Context, a domain.Assignment, u domain.Update) (domain.Assignment, error) {
	sources := append(slices.Clone(a.Sources), u.Source)
	if len(sources) > keepSources {
		sources = sources[len(sources)-keepSources:]
	}
	a.State, a.Version, a.LastUpdate, a.ReportedAt, a.Sources = u.After, u.Version, u.ID, u.At, sources
	switch {
	case u.After.Status == domain.Done && u.Before.Status != domain.Done:
		a.DoneAt = u.At
	case u.After.Status != domain.Done:
		a.DoneAt = time.Time{}
	}
	set := bson.M{
		"status": a.Status, "progress": a.Progress, "note": a.Note, "version": a.Version,
		"last_update": a.LastUpdate, "reported_at": a.ReportedAt, "sources": a.Sources, "done_at": a.DoneAt,
	}
	if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": set}); err != nil {
		return a, fmt.Errorf("move %s to version %d: %w", a.ID, u.Version, err)
	}
	return a, nil
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

// Repair rolls forward every assignment whose history is ahead of it (after a
// crash between the two writes of Apply). It returns how many it moved.
func (s *Store) Repair(ctx context.Context) (int, error) {
	if _, err := s.RepairImports(ctx); err != nil {
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
