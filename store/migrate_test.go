package store

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
	"agencybot/store/embedded"
)

// targetStore starts a second embedded server on its own data directory,
// standing in for the MongoDB deployment a migration goes to.
func targetStore(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	emb, err := embedded.Start(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emb.Stop() })
	c, err := Connect(ctx, emb.URI, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	s, err := New(ctx, c, "agencybot", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func byName(rs []MigrateResult) map[string]MigrateResult {
	m := map[string]MigrateResult{}
	for _, r := range rs {
		m[r.Name] = r
	}
	return m
}

// A migration copies every document of every collection to another server,
// with the indexes; run again it copies nothing; after the source changed it
// copies only the difference and the two sides are equal again.
func TestMigrateCopiesEverythingOnceAndResumes(t *testing.T) {
	src := busy(t)
	dst := targetStore(t)
	ctx := context.Background()

	rs, err := src.MigrateTo(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, r := range rs {
		if r.Copied != int(r.Source) || r.Present != 0 || r.Replaced != 0 || r.Removed != 0 {
			t.Errorf("first run, %s: %+v", r.Name, r)
		}
		total += r.Copied
	}
	if n := sameData(t, everything(t, src), everything(t, dst)); n != total || n < 500 {
		t.Errorf("compared %d documents, copied %d", n, total)
	}
	ixs, err := listIndexes(ctx, dst.db.Collection("agencies"))
	if err != nil || len(ixs) != 1 || !ixs[0].Unique || ixs[0].Keys[0].Field != "norm" {
		t.Errorf("target agencies indexes: %+v %v", ixs, err)
	}

	// Again: nothing is copied twice.
	rs, err = src.MigrateTo(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Copied != 0 || r.Present != int(r.Source) || r.Replaced != 0 || r.Removed != 0 {
			t.Errorf("second run, %s: %+v", r.Name, r)
		}
	}

	// The bot ran on meanwhile: a new update, a moved assignment, a pruned
	// outbox message.
	id := domain.AssignmentID("25-3", "so-khcn")
	if _, _, err := src.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.SetProgress, Progress: intp(80)}); err != nil {
		t.Fatal(err)
	}
	if err := src.PruneOutbox(ctx, []string{"rem|a|1"}); err != nil {
		t.Fatal(err)
	}
	rs, err = src.MigrateTo(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	got := byName(rs)
	if r := got["updates"]; r.Copied != 1 || r.Present != 3 {
		t.Errorf("updates: %+v", r)
	}
	if r := got["assignments"]; r.Replaced != 1 || r.Copied != 0 {
		t.Errorf("assignments: %+v", r)
	}
	if r := got["outbox"]; r.Removed != 1 || r.Present != 1 {
		t.Errorf("outbox: %+v", r)
	}
	sameData(t, everything(t, src), everything(t, dst))
	a, err := dst.Assignment(ctx, id)
	if err != nil || a.Progress != 80 || a.Version != 4 {
		t.Errorf("target assignment %+v %v", a, err)
	}
}

// Verification compares the two sides: a target document changed behind the
// migration's back is found and set right by the next run.
func TestMigrateRepairsATamperedTarget(t *testing.T) {
	src := busy(t)
	dst := targetStore(t)
	ctx := context.Background()
	if _, err := src.MigrateTo(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.db.Collection("bot_state").UpdateOne(ctx, bson.M{"_id": "offset"}, bson.M{"$set": bson.M{"value": 5}}); err != nil {
		t.Fatal(err)
	}
	if _, err := dst.db.Collection("tasks").InsertOne(ctx, bson.M{"_id": "99-1", "at": time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	rs, err := src.MigrateTo(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	got := byName(rs)
	if got["bot_state"].Replaced != 1 || got["tasks"].Removed != 1 {
		t.Errorf("bot_state %+v, tasks %+v", got["bot_state"], got["tasks"])
	}
	if off, _ := dst.Offset(ctx); off != 1001 {
		t.Errorf("offset %d", off)
	}
}
