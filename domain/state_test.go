package domain

import (
	"errors"
	"testing"
	"time"
)

func pct(v int) *int { return &v }

func TestNext(t *testing.T) {
	st := func(s Status, p int) State { return State{Status: s, Progress: p, Note: "n"} }
	mine := &Update{ID: "x#2", OfficerID: 7, Kind: SetProgress, Before: st(InProgress, 20), After: st(InProgress, 90)}
	cases := []struct {
		name string
		cur  State
		ch   Change
		last *Update
		want State
		err  error
	}{
		{"done sets 100 %", st(InProgress, 40), Change{Kind: SetStatus, Status: Done}, nil, st(Done, 100), nil},
		{"not started sets 0 %", st(Blocked, 40), Change{Kind: SetStatus, Status: NotStarted}, nil, st(NotStarted, 0), nil},
		// Issue 23, point 4: a task taken out of done does not show 100%: it
		// goes back to the progress reported before done, when the latest
		// update is that marking, else to 90%.
		{"out of done, history unknown", st(Done, 100), Change{Kind: SetStatus, Status: InProgress}, nil, st(InProgress, 90), nil},
		{"done then blocked: the progress before done", st(Done, 100), Change{Kind: SetStatus, Status: Blocked},
			&Update{Kind: SetStatus, Before: st(InProgress, 60), After: st(Done, 100)}, st(Blocked, 60), nil},
		{"done then a note, then blocked", st(Done, 100), Change{Kind: SetStatus, Status: Blocked},
			&Update{Kind: AddNote, Before: st(Done, 100), After: st(Done, 100)}, st(Blocked, 90), nil},
		{"blocked keeps progress", st(InProgress, 60), Change{Kind: SetStatus, Status: Blocked}, nil, st(Blocked, 60), nil},
		{"same status is no change", st(InProgress, 60), Change{Kind: SetStatus, Status: InProgress}, nil, st(InProgress, 60), ErrNoChange},
		{"blocked again is no change", st(Blocked, 60), Change{Kind: SetStatus, Status: Blocked}, nil, st(Blocked, 60), ErrNoChange},
		{"done again is no change", st(Done, 100), Change{Kind: SetStatus, Status: Done}, nil, st(Done, 100), ErrNoChange},
		{"unknown status", st(InProgress, 60), Change{Kind: SetStatus, Status: "finished"}, nil, st(InProgress, 60), ErrInvalidChange},
		{"100 % is done", st(InProgress, 60), Change{Kind: SetProgress, Progress: pct(100)}, nil, st(Done, 100), nil},
		{"progress starts a task", st(NotStarted, 0), Change{Kind: SetProgress, Progress: pct(25)}, nil, st(InProgress, 25), nil},
		{"progress below 100 reopens a done task", st(Done, 100), Change{Kind: SetProgress, Progress: pct(75)}, nil, st(InProgress, 75), nil},
		{"progress keeps a block", st(Blocked, 10), Change{Kind: SetProgress, Progress: pct(50)}, nil, st(Blocked, 50), nil},
		{"0 % keeps the status", st(InProgress, 50), Change{Kind: SetProgress, Progress: pct(0)}, nil, st(InProgress, 0), nil},
		{"same progress is no change", st(InProgress, 50), Change{Kind: SetProgress, Progress: pct(50)}, nil, st(InProgress, 50), ErrNoChange},
		{"progress over 100", st(InProgress, 50), Change{Kind: SetProgress, Progress: pct(101)}, nil, st(InProgress, 50), ErrInvalidChange},
		{"no progress", st(InProgress, 50), Change{Kind: SetProgress}, nil, st(InProgress, 50), ErrInvalidChange},
		{"note replaces the note", st(Blocked, 50), Change{Kind: AddNote, Note: "chờ kinh phí"}, nil, State{Status: Blocked, Progress: 50, Note: "chờ kinh phí"}, nil},
		{"empty note", st(Blocked, 50), Change{Kind: AddNote}, nil, st(Blocked, 50), ErrInvalidChange},
		{"evidence keeps the state", st(Done, 100), Change{Kind: AddEvidence, Evidence: &Evidence{Name: "qd.pdf"}}, nil, st(Done, 100), nil},
		{"evidence needs a file", st(Done, 100), Change{Kind: AddEvidence}, nil, st(Done, 100), ErrInvalidChange},
		{"correction restores the state before", st(InProgress, 90), Change{Kind: Correction}, mine, st(InProgress, 20), nil},
		{"nothing to correct", st(InProgress, 90), Change{Kind: Correction}, nil, st(InProgress, 90), ErrNothingToCorrect},
		{"another officer's update", st(InProgress, 90), Change{Kind: Correction}, &Update{OfficerID: 8, Kind: SetProgress}, st(InProgress, 90), ErrNothingToCorrect},
		{"a correction is not corrected", st(InProgress, 20), Change{Kind: Correction}, &Update{OfficerID: 7, Kind: Correction}, st(InProgress, 20), ErrNothingToCorrect},
		{"a corrected update is not corrected again", st(InProgress, 20), Change{Kind: Correction}, &Update{OfficerID: 7, Kind: SetProgress, Corrected: true}, st(InProgress, 20), ErrNothingToCorrect},
		{"unknown kind", st(InProgress, 20), Change{Kind: "rename"}, nil, st(InProgress, 20), ErrInvalidChange},
	}
	for _, c := range cases {
		c.ch.OfficerID = 7
		got, err := Next(c.cur, c.ch, c.last)
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.err)
		}
		if got != c.want {
			t.Errorf("%s: state = %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestAdvanceKeepsDoneAt(t *testing.T) {
	t1 := time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)
	t2 := t1.Add(48 * time.Hour)
	a := Assignment{ID: "a", State: State{Status: InProgress, Progress: 80}}
	a = a.Advance(Update{ID: "a#1", Version: 1, At: t1, Before: a.State, After: State{Status: Done, Progress: 100}})
	if !a.Done() || !a.DoneAt.Equal(t1) || a.Version != 1 || a.LastUpdate != "a#1" || !a.ReportedAt.Equal(t1) {
		t.Fatalf("after done: %+v", a)
	}
	a = a.Advance(Update{ID: "a#2", Version: 2, At: t2, Before: a.State, After: State{Status: Done, Progress: 100, Note: "xong"}})
	if !a.DoneAt.Equal(t1) || !a.ReportedAt.Equal(t2) {
		t.Errorf("a note on a done task moved DoneAt to %v", a.DoneAt)
	}
	a = a.Advance(Update{ID: "a#3", Version: 3, At: t2, Before: a.State, After: State{Status: InProgress, Progress: 90}})
	if a.Done() || !a.DoneAt.IsZero() {
		t.Errorf("reopened task keeps DoneAt %v", a.DoneAt)
	}
}

// WhyNotCorrectable says which update an officer may withdraw: their own
// latest update of the task, neither a correction nor corrected.
func TestWhyNotCorrectable(t *testing.T) {
	mine := func(kind UpdateKind, corrected bool) *Update {
		return &Update{OfficerID: 7, Kind: kind, Corrected: corrected}
	}
	for _, tc := range []struct {
		name string
		last *Update
		want CorrectBlock
	}{
		{"no update yet", nil, NothingReported},
		{"own progress", mine(SetProgress, false), CanCorrect},
		{"own status", mine(SetStatus, false), CanCorrect},
		{"own note", mine(AddNote, false), CanCorrect},
		{"own evidence", mine(AddEvidence, false), CanCorrect},
		{"own update already corrected", mine(SetProgress, true), AlreadyCorrected},
		{"own correction", mine(Correction, false), AlreadyCorrected},
		{"a colleague's update", &Update{OfficerID: 8, Kind: SetProgress}, NotTheirs},
		{"a colleague's correction", &Update{OfficerID: 8, Kind: Correction}, AlreadyCorrected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := WhyNotCorrectable(tc.last, 7); got != tc.want {
				t.Errorf("WhyNotCorrectable = %d, want %d", got, tc.want)
			}
			if got := Correctable(tc.last, 7); got != (tc.want == CanCorrect) {
				t.Errorf("Correctable = %v", got)
			}
		})
	}
}

// Issue 20: the one rule of a completion waiting for review.
func TestJudgedWhileAReviewWaits(t *testing.T) {
	done := Assignment{State: State{Status: Done, Progress: 100}, DoneAt: time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)}
	if j, w := Judged(done, true, true); !w || j.Status != InProgress || !j.DoneAt.IsZero() || j.Progress != 100 {
		t.Errorf("required and waiting: %+v %v, want in progress at 100%% and waiting", j.State, w)
	}
	if j, w := Judged(done, true, false); !w || j.Status != Done {
		t.Errorf("not required: %+v %v, want done and waiting", j.State, w)
	}
	if j, w := Judged(done, false, true); w || j.Status != Done {
		t.Errorf("no review: %+v %v, want done", j.State, w)
	}
	open := Assignment{State: State{Status: InProgress, Progress: 50}}
	if _, w := Judged(open, true, true); w {
		t.Error("an open assignment does not wait for review")
	}
}
