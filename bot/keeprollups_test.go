package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/store"
	"agencybot/store/storetest"
)

// TestKeepRollupsWithoutAnyoneAsking: the bot's background round reads the
// summaries' input at start, takes in a change another process made
// (seeding, an import, the command line) without anybody asking for a
// summary, and deletes what a kill left of a history seal.
func TestKeepRollupsWithoutAnyoneAsking(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg, err := config.Load(func(k string) string { return map[string]string{"TELEGRAM_BOT_TOKEN": testToken}[k] })
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 12, 24, 8, 0, 0, 0, cfg.Location)
	name := storetest.DBName(t.Name())
	s, err := store.New(ctx, testClient, name, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()) })
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	// A seal killed two hours before this test's instant (and so more than
	// an hour before any machine time now), after writing its segment and
	// before listing it in the archive's head.
	orphan := fmt.Sprintf("%019d-%08x", now.Add(-2*time.Hour).UnixNano(), 1)
	archive := testClient.Database(name).Collection("history_archive")
	if _, err := archive.InsertOne(ctx, bson.M{"_id": orphan, "data": []byte("a segment nobody listed")}); err != nil {
		t.Fatal(err)
	}

	defer func(r time.Duration) { RollupRefresh = r }(RollupRefresh)
	RollupRefresh = 20 * time.Millisecond
	b := onStore(&Bot{Config: cfg, Clock: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, s)
	bctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- b.KeepRollups(bctx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("KeepRollups returned %v", err)
		}
	}()

	id := domain.AssignmentID("25-3", "so-y-te")
	inMemory := func() (domain.Status, bool) {
		c := &b.rolls
		c.mu.Lock()
		defer c.mu.Unlock()
		i, ok := c.pos[id]
		if !c.loaded || !ok {
			return "", false
		}
		return c.as[i].Status, true
	}
	wait := func(what string, ok func() bool) {
		t.Helper()
		for !ok() {
			select {
			case <-ctx.Done():
				t.Fatalf("waited in vain for %s", what)
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	wait("the summaries' input read at start", func() bool { _, ok := inMemory(); return ok })
	if _, _, err := s.Apply(ctx, id, store.Change{OfficerID: 5, Kind: domain.SetStatus, Status: domain.Done}); err != nil {
		t.Fatal(err)
	}
	wait("another process's change in memory", func() bool { st, _ := inMemory(); return st == domain.Done })
	wait("the orphaned segment deleted", func() bool {
		n, err := archive.CountDocuments(ctx, bson.M{"_id": orphan})
		return err == nil && n == 0
	})
}
