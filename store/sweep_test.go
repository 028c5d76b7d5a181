package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/domain"
	"agencybot/testkit"
)

// TestSweepDeletesWhatAKillLeft: the chunks of a snapshot save and the
// segment of a history seal that were killed before their head was
// replaced are deleted once they are an hour old, and nothing else is: the
// snapshot and the archive read the same afterwards, and a save or seal
// under way (younger) keeps its documents.
func TestSweepDeletesWhatAKillLeft(t *testing.T) {
	s := seeded(t)
	// The ids of derived documents start with the writer's machine time:
	// pin it, so that "an hour old" is a fixed instant's.
	at := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s.wall = testkit.NewMoving(at).Now
	ctx := context.Background()
	if _, _, err := s.Apply(ctx, domain.AssignmentID("25-3", "so-y-te"), domain.Change{OfficerID: 5, Kind: domain.SetStatus, Status: domain.Done}); err != nil {
		t.Fatal(err)
	}
	full, err := s.LoadRollupState(ctx, true) // saves the snapshot
	if err != nil {
		t.Fatal(err)
	}
	sameHistory(t, s, "before") // builds the archive

	count := func(c *mongo.Collection) int64 {
		t.Helper()
		n, err := c.CountDocuments(ctx, bson.M{})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	snapshotDocs, archiveDocs := count(s.snapshots), count(s.archive)

	old := fmt.Sprintf("%019d-%08x", at.Add(-2*time.Hour).UnixNano(), 7)
	fresh := fmt.Sprintf("%019d-%08x", s.wall().UnixNano(), 7)
	for _, gen := range []string{old, fresh} {
		if _, err := s.writePart(ctx, gen, "catalog", full.Plans); err != nil {
			t.Fatal(err)
		}
		if _, err := s.archive.InsertOne(ctx, segmentDoc{ID: gen, Data: []byte("a segment nobody listed")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.archive.InsertOne(ctx, bson.M{"_id": "not-ours", "data": "x"}); err != nil {
		t.Fatal(err)
	}

	n, err := s.SweepDerived(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("swept %d documents, want 2 (the old chunk and the old segment)", n)
	}
	if got := count(s.snapshots); got != snapshotDocs+1 {
		t.Errorf("the snapshot collection has %d documents after the sweep, want %d (its own and the fresh chunk)", got, snapshotDocs+1)
	}
	if got := count(s.archive); got != archiveDocs+2 {
		t.Errorf("the archive has %d documents after the sweep, want %d (its own, the fresh segment and one not of ours)", got, archiveDocs+2)
	}
	for _, c := range []struct {
		coll *mongo.Collection
		id   string
	}{{s.snapshots, fresh + "/catalog/0"}, {s.archive, fresh}, {s.archive, "not-ours"}} {
		if n, _ := c.coll.CountDocuments(ctx, bson.M{"_id": c.id}); n != 1 {
			t.Errorf("%s was swept", c.id)
		}
	}

	st, err := s.LoadRollupState(ctx, false)
	if err != nil || st.From != "snapshot" {
		t.Fatalf("after the sweep the state is read from %q (%v), want the snapshot", st.From, err)
	}
	if d := sameState(st, full); d != "" {
		t.Errorf("the snapshot after the sweep: %s", d)
	}
	sameHistory(t, s, "after")
	if n, err := s.SweepDerived(ctx); n != 0 || err != nil {
		t.Errorf("a second sweep deleted %d (%v)", n, err)
	}
}
