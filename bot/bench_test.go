package bot

import (
	"context"
	"sort"
	"testing"
	"time"

	"agencybot/domain"
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
	start := time.Now()
	for i := 0; i < n; i++ {
		data := domain.Callback{Verb: domain.VerbStatus, Ref: ref, Arg: string(statuses[i%2])}.Encode()
		t0 := time.Now()
		id := h.srv.PressButton(officer, card.MessageID, data)
		if err := h.srv.WaitConfirmed(context.Background(), id); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p99 := lat[(len(lat)*99)/100-1]
	b.ReportMetric(float64(n)/elapsed.Seconds(), "updates/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
	a, _ := h.store.Assignment(context.Background(), domain.AssignmentID("25-3", "so-y-te"))
	if a.Version != n {
		b.Fatalf("%d presses, %d updates recorded", n, a.Version)
	}
}
