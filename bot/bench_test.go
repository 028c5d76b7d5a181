package bot

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
	"agencybot/store/storetest"
)

// BenchmarkStatusUpdates measures status updates end to end: a button press
// goes through the fake Bot API server to the bot, is applied on the
// embedded store, answered and the card redrawn, and the next press waits for
// that. It reports updates per second and the 99th-percentile latency.
func BenchmarkStatusUpdates(b *testing.B) {
	h := newBenchHarness(b)
	h.link(officer, "Sở Y tế")
	list := h.say(officer, "/tasks")
	_, sent := h.press(officer, list[len(list)-1].MessageID, buttonWith(h.t, list[len(list)-1], "25-3"))
	card := sent[len(sent)-1]
	ref := domain.RefOf(domain.AssignmentID("25-3", "so-y-te"))
	statuses := []domain.Status{domain.InProgress, domain.NotStarted}
	n := max(b.N, 300)
	lat := make([]time.Duration, 0, n)
	b.ResetTimer()
	commands0 := storetest.Commands.Count()
	start := time.Now()
	for i := 0; i < n; i++ {
		var names func() map[string]int
		if i == n-1 {
			names = storetest.Commands.Record()
		}
		data := domain.Callback{Verb: domain.VerbStatus, Ref: ref, Arg: string(statuses[i%2])}.Encode()
		t0 := time.Now()
		id := h.srv.PressButton(officer, card.MessageID, data)
		if err := h.srv.WaitConfirmed(context.Background(), id); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		if names != nil {
			b.Logf("the commands of one press: %v", names())
		}
	}
	elapsed := time.Since(start)
	commands := storetest.Commands.Count() - commands0
	b.StopTimer()
	floor := floorP50(b, h, n)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p99 := lat[(len(lat)*99)/100-1]
	b.ReportMetric(float64(n)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	b.ReportMetric(float64(commands)/float64(n), "commands/op")
	b.ReportMetric(float64(floor.Microseconds())/1000, "floor-p50_ms")
	b.ReportMetric(float64(lat[len(lat)/2])/float64(floor), "x-floor")
	a, _ := h.store.Assignment(context.Background(), domain.AssignmentID("25-3", "so-y-te"))
	if a.Version != n {
		b.Fatalf("%d presses, %d updates recorded", n, a.Version)
	}
}

// floorP50 is the median time of the least a press could write: the
// update record inserted and the assignment set to its state by _id — the
// same documents a press writes (the seeded assignment, an update carrying
// the states before and after), on the server the bot uses, in a database
// of its own.
func floorP50(b *testing.B, h *harness, n int) time.Duration {
	ctx := context.Background()
	a, err := h.store.Assignment(ctx, domain.AssignmentID("25-3", "so-y-te"))
	if err != nil {
		b.Fatal(err)
	}
	db := testClient.Database(storetest.DBName(b.Name() + "_floor"))
	defer func() { _ = db.Drop(ctx) }()
	updates, current := db.Collection("updates"), db.Collection("assignments")
	a.Version = 0
	if _, err := current.InsertOne(ctx, a); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, n)
	for i := range n {
		t0 := time.Now()
		before, after := a.State, a.State
		after.Status = []domain.Status{domain.InProgress, domain.NotStarted}[i%2]
		u := domain.Update{ID: domain.UpdateID(a.ID, i+1), Source: fmt.Sprintf("tg:%d", i), AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey,
			OfficerID: officer.ID, OfficerName: "Nguyễn An", At: t0.UTC(), Kind: domain.SetStatus, Status: after.Status,
			Version: i + 1, Before: before, After: after}
		if _, err := updates.InsertOne(ctx, u); err != nil {
			b.Fatal(err)
		}
		a = a.Advance(u)
		set := bson.M{"status": a.Status, "progress": a.Progress, "note": a.Note, "version": a.Version,
			"last_update": a.LastUpdate, "reported_at": a.ReportedAt, "done_at": a.DoneAt}
		if _, err := current.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": set}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	return lat[len(lat)/2]
}
