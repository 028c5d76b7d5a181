package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
	"agencybot/testkit"
)

// A press killed after its update was recorded and before the assignment
// moved: handled again, the change is finished once and called a
// duplicate — the unique index of sources, not a marker, recognises it.
func TestReplayAfterKillBetweenTheWritesFinishesOnce(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	a, _ := s.Assignment(ctx, id)
	ch := domain.Change{SourceID: "tg:7", OfficerID: 1, Kind: domain.SetStatus, Status: domain.InProgress}
	after, err := domain.Next(a.State, ch, nil)
	if err != nil {
		t.Fatal(err)
	}
	u := domain.Update{ID: domain.UpdateID(id, a.Version+1), Source: ch.SourceID, AssignmentID: id, TaskCode: "25-3", AgencyKey: "so-khcn",
		Kind: ch.Kind, Status: ch.Status, Version: a.Version + 1, Before: a.State, After: after}
	if _, err := s.updates.InsertOne(ctx, u); err != nil { // the first write, then the kill
		t.Fatal(err)
	}
	moved, got, err := s.Apply(ctx, id, ch)
	if !errors.Is(err, ErrDuplicate) {
		t.Fatalf("replay: err = %v, want ErrDuplicate", err)
	}
	if got.Source != ch.SourceID || moved.Version != a.Version+1 || moved.Status != domain.InProgress {
		t.Errorf("replay returned update %q (source %q), assignment v%d %s; want the recorded one and v%d in progress", got.ID, got.Source, moved.Version, moved.Status, a.Version+1)
	}
	if stored, _ := s.Assignment(ctx, id); stored.Version != a.Version+1 || stored.Status != domain.InProgress {
		t.Errorf("stored assignment v%d %s after the replay", stored.Version, stored.Status)
	}
	if h, _ := s.AssignmentHistory(ctx, id, 0); len(h) != 1 {
		t.Errorf("history has %d entries, want 1", len(h))
	}
	// Replayed once more, now that it is the state: still a duplicate, not
	// "no change" (the bot finishes what followed a duplicate of its own).
	if _, got, err := s.Apply(ctx, id, ch); !errors.Is(err, ErrDuplicate) || got.Source != ch.SourceID {
		t.Errorf("second replay: err = %v, update source %q", err, got.Source)
	}
	var markers int64
	if markers, err = s.sources.CountDocuments(ctx, bson.M{}); err != nil || markers != 0 {
		t.Errorf("%d markers in applied_sources (%v): the index makes them needless", markers, err)
	}
}

// A history written before the index that repeats a source cannot be given
// the unique index: the store says so by marking sources as before, and a
// replay is still recognised.
func TestHistoryRepeatingASourceKeepsTheMarkers(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	if err := s.updates.Indexes().DropOne(ctx, "one_update_per_source"); err != nil {
		t.Fatal(err)
	}
	id := domain.AssignmentID("25-3", "so-khcn")
	for v := 1; v <= 2; v++ { // two processes applied "tg:1" before the index existed
		u := domain.Update{ID: domain.UpdateID(id, v), Source: "tg:1", AssignmentID: id, TaskCode: "25-3", AgencyKey: "so-khcn", Kind: domain.AddNote, Note: "x", Version: v}
		if _, err := s.updates.InsertOne(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	again, err := New(ctx, testClient, s.db.Name(), s.now)
	if err != nil {
		t.Fatalf("open a store on the history: %v", err)
	}
	if !again.markSources {
		t.Fatal("the store did not notice that the history repeats a source")
	}
	ch := domain.Change{SourceID: "tg:2", OfficerID: 1, Kind: domain.AddNote, Note: "Đã gửi dự thảo"}
	if _, _, err := again.Apply(ctx, id, ch); err != nil {
		t.Fatal(err)
	}
	if _, _, err := again.Apply(ctx, id, ch); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("replay: err = %v, want ErrDuplicate", err)
	}
	if h, _ := again.AssignmentHistory(ctx, id, 0); len(h) != 3 {
		t.Errorf("history has %d entries, want the 2 before and 1 new", len(h))
	}
}

// The officer is read once per minute, not per press: what this store
// writes is seen at once, what another process writes within officerTTL.
func TestOfficerReadThroughTheCache(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, testLoc)
	wall := testkit.NewMoving(start)
	s.wall = wall.Now
	o := domain.Officer{TelegramID: 100, Role: domain.RoleOfficer, AgencyKey: "so-y-te", Active: true, Name: "Nguyễn An"}
	if err := s.SaveOfficer(ctx, o); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Officer(ctx, 100); err != nil || got.AgencyKey != "so-y-te" {
		t.Fatalf("officer: %+v, %v", got, err)
	}
	if _, err := s.RevokeOfficer(ctx, 100); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Officer(ctx, 100); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoked through this store, still found: %v", err)
	}
	other, err := New(ctx, testClient, s.db.Name(), s.now) // the command line, say
	if err != nil {
		t.Fatal(err)
	}
	o.AgencyKey = "so-tai-chinh"
	if err := other.SaveOfficer(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Officer(ctx, 100); !errors.Is(err, ErrNotFound) {
		t.Errorf("linked again by another process: seen before officerTTL (%v)", err)
	}
	wall.Set(start.Add(officerTTL + time.Second))
	if got, err := s.Officer(ctx, 100); err != nil || got.AgencyKey != "so-tai-chinh" {
		t.Errorf("after officerTTL: %+v, %v; want the other process's link", got, err)
	}
}
