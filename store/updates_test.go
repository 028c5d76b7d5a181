package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
)

func intp(v int) *int { return &v }

func TestApplyRecordsHistoryAndMovesState(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	steps := []domain.Change{
		{OfficerID: 1, OfficerName: "An", Kind: domain.SetStatus, Status: domain.InProgress},
		{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(60)},
		{OfficerID: 1, Kind: domain.AddNote, Note: "Đã trình dự thảo <b>kế hoạch</b>"},
		{OfficerID: 1, Kind: domain.AddEvidence, Evidence: &domain.Evidence{FileID: "F1", Name: "baocao.pdf", Size: 1234, Kind: "document"}},
		{OfficerID: 1, Kind: domain.SetStatus, Status: domain.Blocked},
	}
	for _, ch := range steps {
		if _, _, err := s.Apply(ctx, id, ch); err != nil {
			t.Fatalf("apply %s: %v", ch.Kind, err)
		}
	}
	a, err := s.Assignment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != domain.Blocked || a.Progress != 60 || a.Note != "Đã trình dự thảo <b>kế hoạch</b>" || a.Version != 5 {
		t.Errorf("state = %+v version %d", a.State, a.Version)
	}
	h, _ := s.AssignmentHistory(ctx, id, 0)
	if len(h) != 5 || h[0].Kind != domain.SetStatus || h[1].Evidence == nil || h[1].Evidence.Name != "baocao.pdf" {
		t.Fatalf("history = %+v", h)
	}
	if h[0].Before.Status != domain.InProgress || h[0].After.Status != domain.Blocked {
		t.Errorf("last entry before/after = %+v / %+v", h[0].Before, h[0].After)
	}
	// Bad input changes nothing.
	for _, ch := range []domain.Change{
		{Kind: domain.SetProgress, Progress: intp(101)},
		{Kind: domain.SetStatus, Status: "finished"},
		{Kind: domain.AddNote},
	} {
		if _, _, err := s.Apply(ctx, id, ch); err == nil {
			t.Errorf("%+v accepted", ch)
		}
	}
	// The status it already has records nothing.
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.SetStatus, Status: domain.Blocked}); !errors.Is(err, domain.ErrNoChange) {
		t.Errorf("blocked again: %v, want domain.ErrNoChange", err)
	}
	if a2, _ := s.Assignment(ctx, id); a2.Version != 5 {
		t.Errorf("rejected changes moved the version to %d", a2.Version)
	}
	if _, _, err := s.Apply(ctx, "25-3/nobody", steps[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown assignment: %v", err)
	}
}

func TestApplySameSourceTwiceAppliesOnce(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	ch := domain.Change{SourceID: "tg:42", OfficerID: 1, Kind: domain.SetProgress, Progress: intp(30)}
	if _, _, err := s.Apply(ctx, id, ch); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, id, ch); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("replay: err = %v, want ErrDuplicate", err)
	}
	h, _ := s.AssignmentHistory(ctx, id, 0)
	if len(h) != 1 {
		t.Errorf("history has %d entries after a replay", len(h))
	}
}

func TestCorrectLastUpdate(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(20)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(90)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 2, Kind: domain.Correction}); !errors.Is(err, domain.ErrNothingToCorrect) {
		t.Errorf("another officer corrected: %v", err)
	}
	a, u, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.Correction})
	if err != nil {
		t.Fatal(err)
	}
	if a.Progress != 20 || u.Corrects == "" {
		t.Errorf("after correction progress %d corrects %q", a.Progress, u.Corrects)
	}
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.Correction}); !errors.Is(err, domain.ErrNothingToCorrect) {
		t.Errorf("a correction was corrected: %v", err)
	}
	h, _ := s.AssignmentHistory(ctx, id, 0)
	if len(h) != 3 || !h[1].Corrected {
		t.Errorf("history: %d entries, corrected flag %v", len(h), h[1].Corrected)
	}
}

// A crash between recording an update and moving the assignment leaves the
// assignment behind; reads and Repair roll it forward.
func TestRollForwardAfterCrash(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	a, _ := s.Assignment(ctx, id)
	u := domain.Update{ID: domain.UpdateID(id, a.Version+1), Source: "crashed", AssignmentID: id, TaskCode: "25-3", AgencyKey: "so-khcn", Kind: domain.SetProgress,
		Progress: intp(55), Version: a.Version + 1, Before: a.State, After: domain.State{Status: domain.InProgress, Progress: 55}}
	if _, err := s.updates.InsertOne(ctx, u); err != nil {
		t.Fatal(err)
	}
	n, err := s.Repair(ctx)
	if err != nil || n != 1 {
		t.Fatalf("repair moved %d, %v", n, err)
	}
	var raw domain.Assignment
	if err := s.assignments.FindOne(ctx, bson.M{"_id": id}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if raw.Progress != 55 || raw.Version != 1 || raw.LastUpdate != domain.UpdateID(id, 1) {
		t.Errorf("stored assignment after repair: %+v", raw)
	}
}

// Racing writers on one assignment: every change lands once, in one order.
// (Each sets a progress the assignment never had — 1 to n — so that none is
// refused as no change whichever goes first.)
func TestConcurrentUpdatesAllLand(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	const n = 24
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, err := s.Apply(ctx, id, domain.Change{SourceID: fmt.Sprintf("w%d", i), OfficerID: int64(i), Kind: domain.SetProgress, Progress: intp(i + 1)})
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	a, _ := s.Assignment(ctx, id)
	h, _ := s.AssignmentHistory(ctx, id, 0)
	if a.Version != n || len(h) != n {
		t.Fatalf("version %d, history %d; want %d", a.Version, len(h), n)
	}
	for i, u := range h {
		if u.Version != n-i {
			t.Fatalf("history versions not contiguous at %d: %d", i, u.Version)
		}
		if i > 0 && u.After != h[i-1].Before {
			t.Fatalf("entry %d's after-state is not the next entry's before-state", u.Version)
		}
	}
	if a.Progress != *h[0].Progress {
		t.Errorf("assignment progress %d, last update %d", a.Progress, *h[0].Progress)
	}
}

// A replay is recognised however many other updates landed on the
// assignment between the original and the replay (it used to remember only
// its last 16 sources).
func TestReplayRecognisedAfterManyOtherUpdates(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	orig := domain.Change{SourceID: "tg:1000", OfficerID: 1, Kind: domain.SetProgress, Progress: intp(10)}
	if _, _, err := s.Apply(ctx, id, orig); err != nil {
		t.Fatal(err)
	}
	const between = 40
	for i := 0; i < between; i++ {
		ch := domain.Change{SourceID: fmt.Sprintf("tg:%d", 2000+i), OfficerID: 2, Kind: domain.SetProgress, Progress: intp(20 + i)}
		if _, _, err := s.Apply(ctx, id, ch); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := s.Apply(ctx, id, orig); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("replay after %d other updates: err = %v, want ErrDuplicate", between, err)
	}
	a, _ := s.Assignment(ctx, id)
	if a.Version != between+1 || a.Progress != 20+between-1 {
		t.Errorf("after the replay: version %d progress %d; want %d and %d", a.Version, a.Progress, between+1, 20+between-1)
	}
}

// A crash after the correction was recorded but before the update it
// withdraws was marked corrected: Repair at start finishes the correction,
// whether or not the assignment had moved yet.
func TestRepairFinishesHalfDoneCorrection(t *testing.T) {
	for _, moved := range []bool{false, true} {
		t.Run(fmt.Sprintf("assignment moved %v", moved), func(t *testing.T) {
			s := seeded(t)
			ctx := context.Background()
			id := domain.AssignmentID("25-3", "so-khcn")
			if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(20)}); err != nil {
				t.Fatal(err)
			}
			a, last, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(90)})
			if err != nil {
				t.Fatal(err)
			}
			// The half-done correction: recorded, the withdrawn update unmarked.
			c := domain.Update{ID: domain.UpdateID(id, a.Version+1), Source: "tg:77", AssignmentID: id, TaskCode: "25-3", AgencyKey: "so-khcn",
				OfficerID: 1, Kind: domain.Correction, Corrects: last.ID, Version: a.Version + 1, Before: a.State, After: last.Before}
			if _, err := s.updates.InsertOne(ctx, c); err != nil {
				t.Fatal(err)
			}
			if moved {
				if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"version": c.Version, "progress": 20, "last_update": c.ID}}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Repair(ctx); err != nil {
				t.Fatal(err)
			}
			h, _ := s.AssignmentHistory(ctx, id, 0)
			if len(h) != 3 || h[0].Kind != domain.Correction || !h[1].Corrected {
				t.Fatalf("after repair: %d entries, newest %s, withdrawn update marked corrected: %v", len(h), h[0].Kind, len(h) > 1 && h[1].Corrected)
			}
			if got, _ := s.Assignment(ctx, id); got.Progress != 20 || got.Version != 3 {
				t.Errorf("assignment after repair: progress %d version %d", got.Progress, got.Version)
			}
			// The replayed correction is recognised, not applied again.
			if _, _, err := s.Apply(ctx, id, domain.Change{SourceID: "tg:77", OfficerID: 1, Kind: domain.Correction}); !errors.Is(err, ErrDuplicate) {
				t.Errorf("replayed correction: %v", err)
			}
		})
	}
}
