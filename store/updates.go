package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/domain"
)

// ErrDuplicate means the update was applied before (same source id): the
// caller is replaying something already done.
var ErrDuplicate = errors.New("already applied")

// ErrNothingToCorrect means the officer has no update of their own that can be corrected.
var ErrNothingToCorrect = errors.New("nothing to correct")

// Change is what an officer asks to change on an assignment.
type Change struct {
	// SourceID identifies where the change came from ("tg:<update_id>"); a
	// second change with the same SourceID is refused with ErrDuplicate.
	// Empty: a fresh id is generated.
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
const maxNote = 4000

// Apply records a change as a new entry of the assignment's history and moves
// the assignment's current state with it.
//
// Without multi-document transactions the two writes are made safe by
// versioning: the update is inserted first under a unique (assignment,
// version) index, carrying the state after it; the assignment is then moved
// from version v to v+1 with a conditional update. A crash between the two
// leaves an update whose version is ahead of its assignment; every read
// through Assignment and the start-up Repair rolls it forward.
func (s *Store) Apply(ctx context.Context, assignmentID string, ch Change) (domain.Assignment, domain.Update, error) {
	if len(ch.Note) > maxNote {
		return domain.Assignment{}, domain.Update{}, fmt.Errorf("note of %d bytes: longer than %d", len(ch.Note), maxNote)
	}
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return domain.Assignment{}, domain.Update{}, fmt.Errorf("update %s: %w", assignmentID, err)
			}
		}
		a, err := s.Assignment(ctx, assignmentID)
		if err != nil {
			return a, domain.Update{}, err
		}
		u := domain.Update{
			ID: ch.SourceID, AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey,
			OfficerID: ch.OfficerID, OfficerName: ch.OfficerName, At: s.now().UTC().Truncate(time.Millisecond),
			Kind: ch.Kind, Status: ch.Status, Progress: ch.Progress, Note: ch.Note, Evidence: ch.Evidence,
			Version: a.Version + 1, Before: a.State,
		}
		if u.ID == "" {
			u.ID = bson.NewObjectID().Hex()
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
			if !isDup(err) {
				return a, u, fmt.Errorf("record update of %s: %w", a.ID, err)
			}
			if prev, err2 := one[domain.Update](ctx, s.updates, bson.M{"_id": u.ID}); err2 == nil {
				a, _ = s.Assignment(ctx, assignmentID)
				return a, prev, ErrDuplicate
			}
			continue // another writer took this version: read again and retry
		}
		if err := s.rollForward(ctx, a, u); err != nil {
			return a, u, err
		}
		if ch.Kind == domain.Correction {
			if _, err := s.updates.UpdateOne(ctx, bson.M{"_id": u.Corrects}, bson.M{"$set": bson.M{"corrected": true}}); err != nil {
				return a, u, fmt.Errorf("mark %s corrected: %w", u.Corrects, err)
			}
		}
		moved, err := s.Assignment(ctx, a.ID)
		return moved, u, err
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
	last, err := one[domain.Update](ctx, s.updates, bson.M{"assignment": a.ID, "version": a.Version})
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
	return one[domain.Update](ctx, s.updates, bson.M{"assignment": a.ID, "version": a.Version})
}

// rollForward moves the assignment from u.Version-1 to u.Version.
func (s *Store) rollForward(ctx context.Context, a domain.Assignment, u domain.Update) error {
	set := bson.M{
		"status": u.After.Status, "progress": u.After.Progress, "note": u.After.Note,
		"version": u.Version, "last_update": u.ID, "reported_at": u.At,
	}
	switch {
	case u.After.Status == domain.Done && u.Before.Status != domain.Done:
		set["done_at"] = u.At
	case u.After.Status != domain.Done:
		set["done_at"] = time.Time{}
	}
	_, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID, "version": u.Version - 1}, bson.M{"$set": set})
	if err != nil {
		return fmt.Errorf("move %s to version %d: %w", a.ID, u.Version, err)
	}
	return nil // matched 0: someone rolled it forward already
}

// Assignment reads an assignment, rolling it forward over any update that was
// recorded but not yet applied.
func (s *Store) Assignment(ctx context.Context, id string) (domain.Assignment, error) {
	a, err := one[domain.Assignment](ctx, s.assignments, bson.M{"_id": id})
	if err != nil {
		return a, fmt.Errorf("assignment %s: %w", id, err)
	}
	return s.settle(ctx, a)
}

func (s *Store) settle(ctx context.Context, a domain.Assignment) (domain.Assignment, error) {
	moved := false
	for {
		u, err := one[domain.Update](ctx, s.updates, bson.M{"assignment": a.ID, "version": a.Version + 1})
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil {
			return a, err
		}
		if err := s.rollForward(ctx, a, u); err != nil {
			return a, err
		}
		a.Version, moved = u.Version, true
	}
	if !moved {
		return a, nil
	}
	return one[domain.Assignment](ctx, s.assignments, bson.M{"_id": a.ID})
}

// Repair rolls forward every assignment whose history is ahead of it (after a
// crash between the two writes of Apply). It returns how many it moved.
func (s *Store) Repair(ctx context.Context) (int, error) {
	type ver struct {
		ID      string `bson:"_id"`
		Version int    `bson:"version"`
	}
	vs, err := all[ver](ctx, s.assignments, bson.M{}, options.Find().SetProjection(bson.M{"version": 1}))
	if err != nil {
		return 0, fmt.Errorf("list assignment versions: %w", err)
	}
	have := make(map[string]int, len(vs))
	for _, v := range vs {
		have[v.ID] = v.Version
	}
	type uv struct {
		Assignment string `bson:"assignment"`
		Version    int    `bson:"version"`
	}
	cur, err := s.updates.Find(ctx, bson.M{}, options.Find().SetProjection(bson.M{"assignment": 1, "version": 1}))
	if err != nil {
		return 0, fmt.Errorf("list update versions: %w", err)
	}
	defer cur.Close(ctx)
	behind := map[string]bool{}
	for cur.Next(ctx) {
		var u uv
		if err := cur.Decode(&u); err != nil {
			return 0, err
		}
		if u.Version > have[u.Assignment] {
			behind[u.Assignment] = true
		}
	}
	if err := cur.Err(); err != nil {
		return 0, err
	}
	for id := range behind {
		if _, err := s.Assignment(ctx, id); err != nil && !errors.Is(err, ErrNotFound) {
			return 0, err
		}
	}
	return len(behind), nil
}

// History lists the updates of a task (all its assignments), newest first.
func (s *Store) History(ctx context.Context, taskCode string, limit int) ([]domain.Update, error) {
	o := options.Find().SetSort(bson.D{{Key: "at", Value: -1}})
	if limit > 0 {
		o.SetLimit(int64(limit))
	}
	return all[domain.Update](ctx, s.updates, bson.M{"task": taskCode}, o)
}

// AssignmentHistory lists the updates of one assignment, newest first.
func (s *Store) AssignmentHistory(ctx context.Context, id string, limit int) ([]domain.Update, error) {
	o := options.Find().SetSort(bson.D{{Key: "version", Value: -1}})
	if limit > 0 {
		o.SetLimit(int64(limit))
	}
	return all[domain.Update](ctx, s.updates, bson.M{"assignment": id}, o)
}

// UpdatesSince lists every update at or after t, oldest first (summaries).
func (s *Store) UpdatesSince(ctx context.Context, t time.Time) ([]domain.Update, error) {
	return all[domain.Update](ctx, s.updates, bson.M{"at": bson.M{"$gte": t}}, options.Find().SetSort(bson.D{{Key: "at", Value: 1}}))
}
