package bot

import (
	"context"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/reporttest"
	"agencybot/store"
	"agencybot/summaries"
)

// scaleSource is the store with the roll-up input replaced by a generated
// province of 1,000 agencies × 100 tasks (100,000 assignments), so that the
// benchmarks below time what the bot does once the input is in memory. The
// cold load — store.RollupInput over 100,000 assignments on the embedded
// store — is store's BenchmarkScaleSummaryAll (docs/reports.md).
type scaleSource struct {
	*store.Store
	in report.Input
}

func (s scaleSource) RollupInput(_ context.Context, base report.Input, _ string, _ bool) (report.Input, error) {
	in := base
	in.Plans, in.Tasks, in.Agencies = s.in.Plans, s.in.Tasks, s.in.Agencies
	in.Assignments = append([]domain.Assignment(nil), s.in.Assignments...)
	return in, nil
}

func (s scaleSource) LoadRollupState(context.Context, bool) (store.RollupState, error) {
	return store.RollupState{Plans: s.in.Plans, Tasks: s.in.Tasks, Agencies: s.in.Agencies,
		Assignments: append([]domain.Assignment(nil), s.in.Assignments...), From: "scan"}, nil
}

func (s scaleSource) RefreshRollupState(_ context.Context, st store.RollupState) (store.RollupState, int, error) {
	return st, 0, nil
}

func (s scaleSource) SaveRollupState(context.Context, store.RollupState) error { return nil }

func (s scaleSource) EachUpdate(context.Context, string, func(domain.Update) error) error { return nil }

// BenchmarkSummaryAtScale times, at 100,000 assignments with the roll-up
// input warm in memory, what a leader waits for: the full /summary and one
// agency's (rolled up, rendered and sent to the Bot API server), /chart,
// and a summary right after an officer's change was applied to the input.
func BenchmarkSummaryAtScale(b *testing.B) {
	h := newBenchHarness(b)
	nAgencies := reporttest.EnvInt("AGENCYBOT_BENCH_AGENCIES", 1000)
	src := scaleSource{Store: h.store, in: reporttest.Province(nAgencies, h.now, h.cfg.Location)}
	bt, _ := h.wireWith(h.store, nil, func(d *Deps) { d.Summaries = summaries.New(summaries.Options{Store: src}) })
	w := who{ID: leader.ID, Chat: leader.ID, Lang: i18n.VI, Admin: true, out: bt.Runtime.Out()}
	ctx := context.Background()
	start := time.Now()
	if _, err := bt.rollupInput(ctx, false); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d assignments; loading them from an in-memory source took %s (from the embedded store: see store's BenchmarkScaleSummaryAll)",
		len(src.in.Assignments), time.Since(start))
	agencyKey := src.in.Agencies[nAgencies/2].Key
	run := func(name string, fn func()) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			for range b.N {
				fn()
			}
			b.ReportMetric(float64(time.Since(start).Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
	view := func(cmd string, f report.Filter) {
		if err := bt.leaders.run(ctx, w, cmd, f, 0); err != nil {
			b.Fatal(err)
		}
	}
	run("full", func() { view("summary", report.Filter{}) })
	run("agency", func() { view("summary", report.Filter{AgencyKey: agencyKey}) })
	run("chart", func() { view("chart", report.Filter{}) })
	run("agency_chart", func() { view("chart", report.Filter{AgencyKey: agencyKey}) })
	i := 0
	run("apply_then_full", func() {
		a := src.in.Assignments[i%len(src.in.Assignments)]
		a.Version += 100 + i
		a.Status = domain.Blocked
		bt.Summaries.Applied(a)
		view("summary", report.Filter{})
		i++
	})
	if sent := h.srv.SentTo(leader.ID); len(sent) == 0 || sent[len(sent)-1].Method == "" {
		b.Fatal("nothing reached the Bot API server")
	}
}
