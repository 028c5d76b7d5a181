package domain

import (
	"errors"
	"fmt"
	"time"
)

// The ways a change can be refused by the rules of an assignment's state.
var (
	// ErrNoChange means the change would leave the state as it is (the
	// status or progress the assignment already has): nothing is recorded.
	ErrNoChange = errors.New("no change")
	// ErrNothingToCorrect means there is no update the officer may withdraw.
	ErrNothingToCorrect = errors.New("nothing to correct")
	// ErrInvalidChange means the change itself is malformed.
	ErrInvalidChange = errors.New("invalid change")
)

// Change is what someone asks to change on an assignment: the one type of
// a change, from the press or the typed answer that asks for it to the
// store's Apply. The Update that records it carries the same fields (who,
// what, from where) with its identity and the state before and after.
type Change struct {
	// SourceID identifies where the change came from ("tg:<update_id>"); a
	// change whose source was applied to the assignment before is refused
	// (store.ErrDuplicate), however many updates came in between. Empty: the
	// store gives it a fresh id.
	SourceID    string
	OfficerID   int64
	OfficerName string
	Kind        UpdateKind
	Status      Status
	Progress    *int
	Note        string
	Evidence    *Evidence
}

// Done tells whether a state counts as done (hoàn thành).
func (s State) Done() bool { return s.Status == Done }

// Next is the one rule of an assignment's state. Given the current state,
// a change and, for a correction, the assignment's latest update (nil when
// it has none), it returns the state after the change:
//
//   - a status moves progress with it: done is 100 %, not started is 0 %;
//   - a progress moves status with it: 100 % is done; above 0 % a task not
//     started (or done) is in progress; a blocked task stays blocked;
//   - a note replaces the note; evidence leaves the state as it is;
//   - a correction restores the state before the update it withdraws, which
//     must be the officer's own latest update and neither a correction nor
//     already corrected (ErrNothingToCorrect otherwise);
//   - a status or progress the assignment already has is ErrNoChange.
//
// Malformed changes are ErrInvalidChange.
func Next(cur State, ch Change, last *Update) (State, error) {
	officer := ch.OfficerID
	after := cur
	switch ch.Kind {
	case SetStatus:
		if !ch.Status.Valid() {
			return cur, fmt.Errorf("%w: status %q is not one of the reportable statuses", ErrInvalidChange, ch.Status)
		}
		after.Status = ch.Status
		switch ch.Status {
		case Done:
			after.Progress = 100
		case NotStarted:
			after.Progress = 0
		case Blocked, InProgress:
			if cur.Status == Done && cur.Progress == 100 {
				after.Progress = progressBeforeDone(last)
			}
		}
		if ch.Status == cur.Status {
			return cur, ErrNoChange
		}
	case SetProgress:
		if ch.Progress == nil || *ch.Progress < 0 || *ch.Progress > 100 {
			return cur, fmt.Errorf("%w: progress must be 0–100", ErrInvalidChange)
		}
		after.Progress = *ch.Progress
		switch {
		case after.Progress == 100:
			after.Status = Done
		case after.Progress > 0 && (cur.Status == NotStarted || cur.Status == Done || cur.Status == ""):
			after.Status = InProgress
		}
		if after == cur {
			return cur, ErrNoChange
		}
	case AddNote:
		if ch.Note == "" {
			return cur, fmt.Errorf("%w: empty note", ErrInvalidChange)
		}
		after.Note = ch.Note
	case AddEvidence:
		if ch.Evidence == nil {
			return cur, fmt.Errorf("%w: no file", ErrInvalidChange)
		}
	case Correction:
		if !Correctable(last, officer) {
			return cur, ErrNothingToCorrect
		}
		after = last.Before
	default:
		return cur, fmt.Errorf("%w: unknown change %q", ErrInvalidChange, ch.Kind)
	}
	return after, nil
}

// undoneProgress is the progress of a task taken out of done (blocked, or
// returned to in progress) when what was reported before is not known.
const undoneProgress = 90

// progressBeforeDone is the progress a task taken out of done goes back
// to: 100% means done, so a task no longer done cannot show it (issue 23,
// point 4). It is what was reported before it was marked done when last,
// its latest update, is that marking; else undoneProgress: most of the
// work stood when it was reported done.
func progressBeforeDone(last *Update) int {
	if last != nil && last.After.Status == Done && last.Before.Status != Done && last.Before.Progress < 100 {
		return last.Before.Progress
	}
	return undoneProgress
}

// Correctable tells whether an officer may withdraw last, the latest update
// of an assignment: it is theirs, and neither a correction nor corrected.
// So each officer can correct their own last update on each task, as long
// as nobody updated that task after them.
func Correctable(last *Update, officer int64) bool {
	return WhyNotCorrectable(last, officer) == CanCorrect
}

// CorrectBlock says why an update cannot be corrected (CanCorrect: it can).
type CorrectBlock int

// The reasons an officer cannot correct the latest update of a task.
const (
	CanCorrect       CorrectBlock = iota
	NothingReported               // the task has no update yet
	NotTheirs                     // the latest update is someone else's
	AlreadyCorrected              // the latest update is a correction, or was corrected
)

// WhyNotCorrectable is Correctable with the reason: what the officer is told.
func WhyNotCorrectable(last *Update, officer int64) CorrectBlock {
	switch {
	case last == nil:
		return NothingReported
	case last.Kind == Correction || last.Corrected:
		return AlreadyCorrected
	case last.OfficerID != officer:
		return NotTheirs
	}
	return CanCorrect
}

// Advance is the assignment after update u (its next version): its state,
// version, last report and the moment it was reported done, which is kept
// while it stays done and cleared when it is no longer done.
func (a Assignment) Advance(u Update) Assignment {
	switch {
	case u.After.Done() && !u.Before.Done():
		a.DoneAt = u.At
	case !u.After.Done():
		a.DoneAt = time.Time{}
	}
	a.State, a.Version, a.LastUpdate, a.ReportedAt = u.After, u.Version, u.ID, u.At
	return a
}
