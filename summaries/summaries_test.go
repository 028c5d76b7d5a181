package summaries

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/planimport"
	"agencybot/report"
	"agencybot/store"
	"agencybot/store/storetest"
)

// The summaries' tests run on the embedded store (or MONGODB_URI), one
// database per test.
var testClient *mongo.Client

func TestMain(m *testing.M) { os.Exit(storetest.Main(m.Run, &testClient)) }

// seeded is a store with the seeded plans, on its own database, its clock
// at 08:00 on 24 December 2025.
func seeded(t *testing.T) (*store.Store, report.Input, *mongo.Database) {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": "123456789:AAtesttoken_abcdefghijklmnopqrstu"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 12, 24, 8, 0, 0, 0, cfg.Location)
	name := storetest.DBName(t.Name())
	s, err := store.New(context.Background(), testClient, name, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()) })
	if _, err := s.SeedDefault(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, report.Base(cfg, now), testClient.Database(name)
}

func ctxOf(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// The roll-up input in memory: a change through this process counts at
// once, one made by another process after the refresh, and a change applied
// while a reload runs is not lost to it. (Moved from the bot's
// TestRollupCacheFollowsChanges.)
func TestRollupCacheFollowsChanges(t *testing.T) {
	st, base, _ := seeded(t)
	ctx := ctxOf(t)
	sums := New(Options{Store: st})
	count := func() map[domain.Status]int {
		in, err := sums.RollupInput(ctx, base, "", false)
		if err != nil {
			t.Fatal(err)
		}
		return report.New(in, report.Filter{AgencyKey: "so-y-te"}).Summary().ByStatus
	}
	before := count()
	id := domain.AssignmentID("25-3", "so-y-te")
	apply := func(s domain.Status) domain.Assignment {
		a, _, err := st.Apply(ctx, id, domain.Change{OfficerID: 7, OfficerName: "X", Kind: domain.SetStatus, Status: s})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}

	// Another process: not seen until the refresh.
	apply(domain.Blocked)
	if c := count(); c[domain.Blocked] != before[domain.Blocked] {
		t.Fatalf("served a change of another process before any refresh: %v", c)
	}
	sums.mu.Lock()
	sums.at = time.Time{} // older than the refresh interval
	sums.mu.Unlock()
	count() // starts the reload in the background
	for {
		sums.mu.Lock()
		busy := sums.reloading
		sums.mu.Unlock()
		if !busy {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the reload did not finish")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if c := count(); c[domain.Blocked] != before[domain.Blocked]+1 {
		t.Errorf("after the refresh the other process's block is missing: %v", c)
	}

	// Through this process, while a reload runs: the newer state wins.
	sums.mu.Lock()
	sums.reloading, sums.recent = true, map[string]domain.Assignment{}
	sums.mu.Unlock()
	done := apply(domain.Done)
	sums.Applied(done)
	stale := done
	stale.Version--
	stale.Status = domain.Blocked
	sums.Applied(stale) // an older copy arriving late changes nothing
	if err := sums.load(ctx, false); err != nil {
		t.Fatal(err)
	}
	if c := count(); c[domain.Blocked] != before[domain.Blocked] || c[domain.Done] != before[domain.Done]+1 {
		t.Errorf("after a local change during a reload: %v (before %v)", c, before)
	}
}

// Changed brings the input up to date before it returns: a plan imported
// and a task's due date set are counted by the next roll-up, with no
// refresh interval passed. Nothing read yet: nothing to do.
func TestChangedBeforeTheWriterAnswers(t *testing.T) {
	st, base, _ := seeded(t)
	ctx := ctxOf(t)
	sums := New(Options{Store: st, Refresh: time.Hour})
	if err := sums.Changed(ctx); err != nil {
		t.Fatalf("Changed with nothing in memory: %v", err)
	}
	tasks := func() int {
		in, err := sums.RollupInput(ctx, base, "", false)
		if err != nil {
			t.Fatal(err)
		}
		return report.New(in, report.Filter{}).Summary().Tasks
	}
	n := tasks()
	table, err := planimport.Parse("p.csv", []byte("TT;Tên nhiệm vụ;Cơ quan chủ trì;Thời gian hoàn thành\n1;Nhiệm vụ thử;Sở Y tế;Lúc nào thuận tiện\n2;Nhiệm vụ khác;Sở Y tế;Quý I/2027\n"), planimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportPlan(ctx, planimport.Meta{Number: "90/KH-UBND", Date: "2027-02-10", Title: "Thử"}, table, false); err != nil {
		t.Fatal(err)
	}
	if got := tasks(); got != n {
		t.Fatalf("the import was counted before Changed (%d → %d): the test does not show what Changed does", n, got)
	}
	if err := sums.Changed(ctx); err != nil {
		t.Fatal(err)
	}
	if got := tasks(); got != n+2 {
		t.Errorf("after the import and Changed: %d tasks, want %d+2", got, n)
	}
	overdue := func() int {
		in, err := sums.RollupInput(ctx, base, "", false)
		if err != nil {
			t.Fatal(err)
		}
		return len(report.Overdue(in, report.Filter{}))
	}
	late := overdue()
	due, _ := deadline.ParseDate("2025-12-01")
	if _, err := st.SetDueBy(ctx, "27-1", due, 1, "Quản Trị"); err != nil {
		t.Fatal(err)
	}
	if err := sums.Changed(ctx); err != nil {
		t.Fatal(err)
	}
	if got := overdue(); got != late+1 {
		t.Errorf("after /setdue and Changed: %d overdue, want %d+1", got, late)
	}
}

// TestKeepWithoutAnyoneAsking: the background round reads the summaries'
// input at start, takes in a change another process made (seeding, an
// import, the command line) without anybody asking for a summary, and
// deletes what a kill left of a history seal. (Moved from the bot's
// TestKeepRollupsWithoutAnyoneAsking.)
func TestKeepWithoutAnyoneAsking(t *testing.T) {
	st, base, db := seeded(t)
	ctx := ctxOf(t)
	now := base.Now
	// A seal killed two hours before this test's instant (and so more than
	// an hour before any machine time now), after writing its segment and
	// before listing it in the archive's head.
	orphan := fmt.Sprintf("%019d-%08x", now.Add(-2*time.Hour).UnixNano(), 1)
	archive := db.Collection("history_archive")
	if _, err := archive.InsertOne(ctx, bson.M{"_id": orphan, "data": []byte("a segment nobody listed")}); err != nil {
		t.Fatal(err)
	}

	sums := New(Options{Store: st, Upkeep: st, Refresh: 20 * time.Millisecond})
	bctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- sums.Keep(bctx) }()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("Keep returned %v", err)
		}
	}()

	id := domain.AssignmentID("25-3", "so-y-te")
	inMemory := func() (domain.Status, bool) {
		sums.mu.Lock()
		defer sums.mu.Unlock()
		i, ok := sums.pos[id]
		if !sums.loaded || !ok {
			return "", false
		}
		return sums.st.Assignments[i].Status, true
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
	if _, _, err := st.Apply(ctx, id, domain.Change{OfficerID: 5, Kind: domain.SetStatus, Status: domain.Done}); err != nil {
		t.Fatal(err)
	}
	wait("another process's change in memory", func() bool { s, _ := inMemory(); return s == domain.Done })
	wait("the orphaned segment deleted", func() bool {
		n, err := archive.CountDocuments(ctx, bson.M{"_id": orphan})
		return err == nil && n == 0
	})
}
