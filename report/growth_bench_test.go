package report_test

import (
	"testing"
	"time"

	"agencybot/report"
	"agencybot/report/reporttest"
)

// benchNow is the generated provinces' clock: a Monday morning in June.
var benchNow = time.Date(2026, 6, 15, 8, 0, 0, 0, time.FixedZone("ICT", 7*60*60))

// BenchmarkRollupGrowth rolls up the generated province at 10,000 and at
// 100,000 assignments (100 and 1,000 agencies × 100 tasks), alternating the
// two in every iteration so that both see the same machine, and reports the
// time of each and x-10x, the ratio of the two: a linear roll-up costs about
// ×10 for ten times the data (issue 25 asks for at most ×11).
//
//	go test ./report -run '^$' -bench RollupGrowth -benchtime 20x -count 3
func BenchmarkRollupGrowth(b *testing.B) {
	small := reporttest.Province(100, benchNow, benchNow.Location())
	large := reporttest.Province(1000, benchNow, benchNow.Location())
	var tSmall, tLarge time.Duration
	roll := func(in report.Input, want int) time.Duration {
		start := time.Now()
		if n := report.Summarize(in, report.Filter{}).Assignments; n != want {
			b.Fatalf("rolled up %d assignments, want %d", n, want)
		}
		return time.Since(start)
	}
	roll(small, 10_000) // warm both once: the first run pays for page faults
	roll(large, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tSmall += roll(small, 10_000)
		tLarge += roll(large, 100_000)
	}
	n := float64(b.N)
	b.ReportMetric(tSmall.Seconds()*1000/n, "10k-ms/op")
	b.ReportMetric(tLarge.Seconds()*1000/n, "100k-ms/op")
	b.ReportMetric(float64(tLarge)/float64(tSmall), "x-10x")
}
