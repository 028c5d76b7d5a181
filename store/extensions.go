package store

// Extensions (gia hạn): an agency asks for more time on its part of a task,
// with a proposed date and a reason; the approver approves it (the date
// asked or another) or refuses it with a reason, once. An approved
// extension moves the part's date (Assignment.Due) and keeps the plan's
// (Assignment.DueOriginal); the task's own date does not change. Every
// request stays on record: who asked, who decided, when, the old and the
// new date.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/deadline"
	"agencybot/domain"
)

// The states of an extension.
const (
	ExtensionPending  = "pending"
	ExtensionApproved = "approved"
	ExtensionRefused  = "refused"
)

// Errors of extensions.
var (
	// ErrExtensionDecided: the extension was approved or refused already.
	ErrExtensionDecided = errors.New("extension already decided")
	// ErrExtensionPending: another request of the part waits for a decision.
	ErrExtensionPending = errors.New("an extension of this part waits for a decision")
)

// Extension is one request for more time on an assignment, or a
// coordinator's own change of a dated part's date (Direct, approved as it
// is made).
type Extension struct {
	// ID is ExtensionID(assignment, key): the request's identity follows
	// from the update that made it, so its replay makes nothing new.
	ID           string        `bson:"_id" json:"-"`
	Key          string        `bson:"key" json:"-"` // the update id that made it (button data names it)
	AssignmentID string        `bson:"assignment" json:"-"`
	TaskCode     string        `bson:"task" json:"-"`
	AgencyKey    string        `bson:"agency" json:"-"`
	From         deadline.Date `bson:"from" json:"from"`   // the part's date when asked
	Asked        deadline.Date `bson:"asked" json:"asked"` // the date asked for
	To           deadline.Date `bson:"to" json:"to"`       // the date approved (zero unless approved)
	Reason       string        `bson:"reason" json:"reason"`
	Late         bool          `bson:"late" json:"late"` // asked once From had passed
	Direct       bool          `bson:"direct" json:"direct"`
	RequestedBy  int64         `bson:"requested_by" json:"-"`
	RequestName  string        `bson:"requested_name" json:"requested_by"`
	RequestedAt  time.Time     `bson:"requested_at" json:"requested_at"`
	State        string        `bson:"state" json:"decision"`
	DecidedBy    int64         `bson:"decided_by,omitempty" json:"-"`
	DecidedName  string        `bson:"decided_name,omitempty" json:"decided_by,omitempty"`
	DecidedAt    time.Time     `bson:"decided_at,omitempty" json:"at,omitempty"`
	Refusal      string        `bson:"refusal,omitempty" json:"refusal,omitempty"` // the reason of a refusal
	// DecidedKey is the update that decided it: its replay after a crash is
	// recognised and finishes the decision instead of being refused.
	DecidedKey string `bson:"decided_key,omitempty" json:"-"`
}

// ExtensionID is the identity of the extension of an assignment asked by
// update key.
func ExtensionID(assignmentID, key string) string { return assignmentID + "@" + key }

// RequestExtension records a request (e.State is set to pending). Its
// replay (the same ID) returns the request recorded; another request of
// the part still waiting is ErrExtensionPending, with that one.
func (s *Store) RequestExtension(ctx context.Context, e Extension) (Extension, error) {
	e.ID = ExtensionID(e.AssignmentID, e.Key)
	if old, err := one[Extension](ctx, s.extensions, bson.M{"_id": e.ID}); err == nil {
		return old, nil
	} else if !errors.Is(err, ErrNotFound) {
		return e, err
	}
	if p, ok, err := s.PendingExtension(ctx, e.AssignmentID); err != nil {
		return e, err
	} else if ok {
		return p, ErrExtensionPending
	}
	e.State = ExtensionPending
	e.RequestedAt = s.now().UTC().Truncate(time.Millisecond)
	if _, err := s.extensions.InsertOne(ctx, e); err != nil && !isDup(err) {
		return e, fmt.Errorf("record extension of %s: %w", e.AssignmentID, err)
	}
	return one[Extension](ctx, s.extensions, bson.M{"_id": e.ID})
}

// Extension reads one extension.
func (s *Store) Extension(ctx context.Context, assignmentID, key string) (Extension, error) {
	return one[Extension](ctx, s.extensions, bson.M{"_id": ExtensionID(assignmentID, key)})
}

// Extensions lists an assignment's extensions, oldest first. (A scan on the
// embedded backend, of a collection of a few per part: asked when a card's
// request starts, for /task and the export; never per reminder.)
func (s *Store) Extensions(ctx context.Context, assignmentID string) ([]Extension, error) {
	return all[Extension](ctx, s.extensions, bson.M{"assignment": assignmentID}, options.Find().SetSort(bson.D{{Key: "requested_at", Value: 1}, {Key: "_id", Value: 1}}))
}

// TaskExtensions lists the extensions of a task's parts, oldest first.
func (s *Store) TaskExtensions(ctx context.Context, code string) ([]Extension, error) {
	return all[Extension](ctx, s.extensions, bson.M{"task": code}, options.Find().SetSort(bson.D{{Key: "requested_at", Value: 1}, {Key: "_id", Value: 1}}))
}

// AllExtensions lists every extension, by assignment then oldest first (the
// export).
func (s *Store) AllExtensions(ctx context.Context) ([]Extension, error) {
	return all[Extension](ctx, s.extensions, bson.M{}, options.Find().SetSort(bson.D{{Key: "assignment", Value: 1}, {Key: "requested_at", Value: 1}, {Key: "_id", Value: 1}}))
}

// PendingExtension is the request of an assignment waiting for a decision.
func (s *Store) PendingExtension(ctx context.Context, assignmentID string) (Extension, bool, error) {
	list, err := all[Extension](ctx, s.extensions, bson.M{"assignment": assignmentID, "state": ExtensionPending})
	if err != nil || len(list) == 0 {
		return Extension{}, false, err
	}
	return list[0], true, nil
}

// ApprovedExtensions counts an assignment's approved extensions.
func (s *Store) ApprovedExtensions(ctx context.Context, assignmentID string) (int, error) {
	n, err := s.extensions.CountDocuments(ctx, bson.M{"assignment": assignmentID, "state": ExtensionApproved})
	if err != nil {
		return 0, fmt.Errorf("count extensions of %s: %w", assignmentID, err)
	}
	return int(n), nil
}

// Decision is an approver's decision on an extension.
type Decision struct {
	Approve bool
	To      deadline.Date // the date approved (approve)
	Refusal string        // the reason (refuse)
	By      int64
	ByName  string
	Key     string // the update that decides: its replay is recognised
}

// DecideExtension approves or refuses a pending extension, once: a second
// decision is ErrExtensionDecided (with the extension as decided), except
// the replay of the same update, which finishes the first. Approved, the
// part gets the new date (see applyExtension); the assignment returned is
// the part as it is then.
func (s *Store) DecideExtension(ctx context.Context, assignmentID, key string, d Decision) (Extension, domain.Assignment, error) {
	id := ExtensionID(assignmentID, key)
	state, set := ExtensionRefused, bson.M{"refusal": d.Refusal}
	if d.Approve {
		state, set = ExtensionApproved, bson.M{"to": d.To}
	}
	set["state"], set["decided_by"], set["decided_name"], set["decided_key"] = state, d.By, d.ByName, d.Key
	set["decided_at"] = s.now().UTC().Truncate(time.Millisecond)
	res, err := s.extensions.UpdateOne(ctx, bson.M{"_id": id, "state": ExtensionPending}, bson.M{"$set": set})
	if err != nil {
		return Extension{}, domain.Assignment{}, fmt.Errorf("decide extension %s: %w", id, err)
	}
	e, err := one[Extension](ctx, s.extensions, bson.M{"_id": id})
	if err != nil {
		return e, domain.Assignment{}, err
	}
	if res.MatchedCount == 0 && (e.DecidedKey != d.Key || d.Key == "") {
		return e, domain.Assignment{}, ErrExtensionDecided
	}
	if e.State != ExtensionApproved {
		a, err := s.Assignment(ctx, assignmentID)
		return e, a, err
	}
	a, err := s.applyExtension(ctx, e)
	return e, a, err
}

// ExtendDirect records a coordinator's change of a dated part's date as an
// extension approved by them, and applies it. Its replay (the same key)
// applies the one recorded.
func (s *Store) ExtendDirect(ctx context.Context, e Extension) (Extension, domain.Assignment, error) {
	e.ID = ExtensionID(e.AssignmentID, e.Key)
	now := s.now().UTC().Truncate(time.Millisecond)
	e.State, e.Direct, e.To = ExtensionApproved, true, e.Asked
	e.RequestedAt, e.DecidedAt, e.DecidedBy, e.DecidedName, e.DecidedKey = now, now, e.RequestedBy, e.RequestName, e.Key
	if _, err := s.extensions.InsertOne(ctx, e); err != nil && !isDup(err) {
		return e, domain.Assignment{}, fmt.Errorf("record extension of %s: %w", e.AssignmentID, err)
	}
	e, err := one[Extension](ctx, s.extensions, bson.M{"_id": e.ID})
	if err != nil {
		return e, domain.Assignment{}, err
	}
	a, err := s.applyExtension(ctx, e)
	return e, a, err
}

// applyExtension gives the part the approved date: Due becomes e.To,
// DueOriginal keeps the plan's date, Extensions counts the approved ones.
// Written as values, so applying it twice changes nothing more.
func (s *Store) applyExtension(ctx context.Context, e Extension) (domain.Assignment, error) {
	a, err := s.Assignment(ctx, e.AssignmentID)
	if err != nil {
		return a, err
	}
	n, err := s.ApprovedExtensions(ctx, a.ID)
	if err != nil {
		return a, err
	}
	if a.DueOriginal.IsZero() {
		a.DueOriginal = a.Due
		if a.DueOriginal.IsZero() {
			a.DueOriginal = e.From
		}
	}
	a.Due, a.Extensions = e.To, n
	if err := s.noteAssignments(ctx, a.ID); err != nil {
		return a, err
	}
	if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": bson.M{
		"due": a.Due, "due_original": a.DueOriginal, "extensions": a.Extensions}}); err != nil {
		return a, fmt.Errorf("extend %s: %w", a.ID, err)
	}
	return a, nil
}
