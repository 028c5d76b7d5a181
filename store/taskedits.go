package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/planimport"
)

// The fields of a task a coordinator may edit.
const (
	EditTitle  = "title"
	EditOutput = "output"
	EditLead   = "lead"
	EditCoord  = "coord"
	EditDue    = "due"
)

// ErrEditField means the field cannot be edited.
var ErrEditField = errors.New("unknown task field")

// TaskEdit is one edit of a task by a coordinator: who, when, the field,
// and its text before and after.
type TaskEdit struct {
	ID     string    `bson:"_id"`
	Task   string    `bson:"task"`
	Field  string    `bson:"field"`
	Before string    `bson:"before"`
	After  string    `bson:"after"`
	By     int64     `bson:"by"`
	ByName string    `bson:"by_name"`
	At     time.Time `bson:"at"`
}

func (s *Store) recordEdit(ctx context.Context, e TaskEdit) error {
	e.At = s.now().UTC().Truncate(time.Millisecond)
	e.ID = e.Task + "@" + strconv.FormatInt(e.At.UnixNano(), 36) + "/" + e.Field
	if _, err := s.taskEdits.InsertOne(ctx, e); err != nil && !isDup(err) {
		return fmt.Errorf("record edit of %s: %w", e.Task, err)
	}
	return nil
}

// TaskEdits lists a task's edits, newest first.
func (s *Store) TaskEdits(ctx context.Context, code string) ([]TaskEdit, error) {
	return all[TaskEdit](ctx, s.taskEdits, bson.M{"task": code}, options.Find().SetSort(bson.D{{Key: "at", Value: -1}}))
}

// SetDueBy sets a task's due date by hand, as SetDue does (its assignments
// move with it, and reminders count from it), and records the edit.
func (s *Store) SetDueBy(ctx context.Context, code string, due deadline.Date, by int64, byName string) (domain.Task, error) {
	t, err := s.Task(ctx, code)
	if err != nil {
		return t, err
	}
	before := t.Deadline.Text
	if d := t.Due(); !d.IsZero() {
		before = d.String()
	}
	if err := s.SetDue(ctx, t.Code, due); err != nil {
		return t, err
	}
	t.DueSet = due
	return t, s.recordEdit(ctx, TaskEdit{Task: t.Code, Field: EditDue, Before: before, After: due.String(), By: by, ByName: byName})
}

// EditTask changes a task's title, output, lead or coordinating agencies
// (the cell's text, read by the one assignee parser against the agencies
// registered now) and records the edit. Changing the agencies gives new
// agencies their assignments and withdraws those no longer named (history
// kept), as an update of the plan does.
func (s *Store) EditTask(ctx context.Context, code, field, value string, by int64, byName string) (domain.Task, Counts, error) {
	var n Counts
	t, err := s.Task(ctx, code)
	if err != nil {
		return t, n, err
	}
	var before string
	set := bson.M{"updated_at": s.now().UTC()}
	switch field {
	case EditTitle:
		before, t.Title, set["title"] = t.Title, value, value
	case EditOutput:
		before, t.Output, set["output"] = t.Output, value, value
	case EditLead, EditCoord:
		ix, err := s.AgencyIndex(ctx)
		if err != nil {
			return t, n, err
		}
		cell := planimport.Cell(value, ix)
		if field == EditLead {
			before, t.Lead, set["lead"] = t.Lead.Text, cell, cell
		} else {
			before, t.Coordinating, set["coordinating"] = t.Coordinating.Text, cell, cell
		}
	default:
		return t, n, fmt.Errorf("%w: %q", ErrEditField, field)
	}
	if err := s.noteCatalog(ctx); err != nil {
		return t, n, err
	}
	if _, err := s.tasks.UpdateOne(ctx, bson.M{"_id": t.Code}, bson.M{"$set": set}); err != nil {
		return t, n, fmt.Errorf("edit task %s: %w", t.Code, err)
	}
	if field == EditLead || field == EditCoord {
		agencies, err := s.Agencies(ctx)
		if err != nil {
			return t, n, err
		}
		existing, err := all[domain.Assignment](ctx, s.assignments, bson.M{"task": t.Code})
		if err != nil {
			return t, n, err
		}
		if err := s.syncAssignments(ctx, t, agencies, existing, &n); err != nil {
			return t, n, fmt.Errorf("assignments of %s: %w", t.Code, err)
		}
	}
	return t, n, s.recordEdit(ctx, TaskEdit{Task: t.Code, Field: field, Before: before, After: value, By: by, ByName: byName})
}
