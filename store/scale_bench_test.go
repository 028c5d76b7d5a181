package store

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"testing"
	"time"

	"agencybot/agency"
	"agencybot/chart"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
	"agencybot/report/reporttest"
	"agencybot/xlsxreport"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// The benchmarks below run only with -bench (make test stays fast). They
// generate, once per run, a province of AGENCYBOT_BENCH_AGENCIES agencies
// (default 1,000) × 100 tasks each (one lead assignment per agency per
// task: 100,000 assignments) and AGENCYBOT_BENCH_UPDATES updates (default
// 1,000,000), with bulk inserts, into the embedded store; then time what
// /summary, one agency's summary, /chart and the Excel export do, reads
// included.

var (
	scaleOnce  sync.Once
	scaleStore *Store
	scaleErr   error
	scaleNow   = time.Date(2026, 6, 15, 8, 0, 0, 0, testLoc)
)

func scaleFixture(b *testing.B) *Store {
	b.Helper()
	scaleOnce.Do(func() {
		start := time.Now()
		scaleStore, scaleErr = generateScale(context.Background(), reporttest.EnvInt("AGENCYBOT_BENCH_AGENCIES", 1000), reporttest.EnvInt("AGENCYBOT_BENCH_UPDATES", 1_000_000))
		fmt.Fprintf(os.Stderr, "scale fixture generated in %s\n", time.Since(start).Round(time.Second))
	})
	if scaleErr != nil {
		b.Fatal(scaleErr)
	}
	return scaleStore
}

// generateScale writes the generated province with InsertMany batches.
func generateScale(ctx context.Context, nAgencies, nUpdates int) (*Store, error) {
	s, err := New(ctx, testClient, "bench_scale", func() time.Time { return scaleNow })
	if err != nil {
		return nil, err
	}
	_ = s.Drop(ctx)
	if s, err = New(ctx, testClient, "bench_scale", func() time.Time { return scaleNow }); err != nil {
		return nil, err
	}
	const tasksPerPlan, sections = 50, 5
	plans := []domain.Plan{
		{Key: "kh-2025", Code: "25", Year: 2025, Number: "/KH-UBND", Title: "Kế hoạch chuyển đổi số 2025", Open: true, Seq: 0},
		{Key: "kh-2026", Code: "26", Year: 2026, Number: "45/KH-UBND", Title: "Kế hoạch khoa học, công nghệ 2026", Open: true, Seq: 1},
	}
	var docs []any
	for _, p := range plans {
		docs = append(docs, p)
	}
	if _, err := s.plans.InsertMany(ctx, docs); err != nil {
		return nil, err
	}
	today := deadline.DateOf(scaleNow.In(testLoc))
	var tasks []domain.Task
	docs = docs[:0]
	for _, p := range plans {
		for i := range tasksPerPlan {
			sec := []string{"I", "II", "III", "IV", "V"}[i*sections/tasksPerPlan]
			due := today.AddDays(-120 + 7*i)
			t := domain.Task{Code: fmt.Sprintf("%s-%s.%d", p.Code, sec, i+1), PlanKey: p.Key, Section: sec, SectionTitle: "Phần " + sec,
				Number: fmt.Sprintf("%s.%d", sec, i+1), Title: fmt.Sprintf("Nhiệm vụ số %d của các cơ quan, địa phương", i+1), Seq: i,
				Lead: domain.Cell{Text: "Các sở, ban, ngành, địa phương", Group: agency.DepartmentsLocalities}, Output: "Báo cáo",
				Deadline: deadline.Deadline{Text: "Trước " + due.String(), Kind: deadline.Fixed, Due: due}}
			tasks = append(tasks, t)
			docs = append(docs, t)
		}
	}
	if _, err := s.tasks.InsertMany(ctx, docs); err != nil {
		return nil, err
	}
	docs = docs[:0]
	for i := range nAgencies {
		name := fmt.Sprintf("Ủy ban nhân dân xã Đồng Tháp %04d", i)
		docs = append(docs, agencyDoc(fmt.Sprintf("xa-%04d", i), name, "commune", nil, "added"))
	}
	if _, err := s.agencies.InsertMany(ctx, docs); err != nil {
		return nil, err
	}
	// Assignments: every agency leads every task; updates are spread over
	// them, each assignment's history contiguous from version 1.
	perAssign := nUpdates / (nAgencies * len(tasks))
	extra := nUpdates % (nAgencies * len(tasks))
	statuses := []domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked}
	var adocs, udocs []any
	flush := func(force bool) error {
		if len(adocs) >= 5000 || (force && len(adocs) > 0) {
			if _, err := s.assignments.InsertMany(ctx, adocs); err != nil {
				return err
			}
			adocs = adocs[:0]
		}
		if len(udocs) >= 5000 || (force && len(udocs) > 0) {
			if _, err := s.updates.InsertMany(ctx, udocs); err != nil {
				return err
			}
			udocs = udocs[:0]
		}
		return nil
	}
	n := 0
	for ai := range nAgencies {
		ag := fmt.Sprintf("xa-%04d", ai)
		for ti, t := range tasks {
			a := newAssignment(t, ag, domain.Lead, true)
			a.CreatedAt = scaleNow.AddDate(0, -8, 0)
			k := perAssign
			if n < extra {
				k++
			}
			n++
			st := domain.State{Status: domain.NotStarted}
			at := scaleNow.AddDate(0, -7, 0)
			for v := 1; v <= k; v++ {
				before := st
				kind := domain.SetProgress
				switch {
				case v == k:
					st.Status = statuses[(ai+ti)%4]
					kind = domain.SetStatus
					if st.Status == domain.Done {
						st.Progress = 100
					}
				case v%3 == 0:
					kind = domain.AddEvidence
				default:
					st.Status, st.Progress = domain.InProgress, min(95, st.Progress+10)
				}
				at = at.Add(time.Duration(1+(ai*7+ti*13+v)%5) * 24 * time.Hour)
				u := domain.Update{ID: domain.UpdateID(a.ID, v), Source: "bench", AssignmentID: a.ID, TaskCode: t.Code, AgencyKey: ag,
					OfficerID: int64(1000 + ai), OfficerName: "Cán bộ " + ag, At: at.UTC(), Kind: kind, Version: v, Before: before, After: st}
				if kind == domain.AddEvidence {
					u.Evidence = &domain.Evidence{Name: "bao-cao.pdf", Kind: "document"}
				}
				udocs = append(udocs, u)
			}
			a.State, a.Version = st, k
			if k > 0 {
				a.LastUpdate, a.ReportedAt = domain.UpdateID(a.ID, k), at.UTC()
				if st.Status == domain.Done {
					a.DoneAt = at.UTC()
				}
			}
			adocs = append(adocs, a)
			if err := flush(false); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(true); err != nil {
		return nil, err
	}
	return s, nil
}

func scaleBase() report.Input {
	return report.Input{Now: scaleNow, Loc: testLoc, Policy: domain.DefaultPolicy}
}

// scaleSnapshot makes sure the summaries' snapshot exists (the first load
// after the province was generated reads everything and saves it).
func scaleSnapshot(b *testing.B, s *Store) {
	b.Helper()
	if _, err := s.LoadRollupState(context.Background(), false); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkScaleSummaryAll is /summary for the whole province read cold, as
// after a start: the reviews, the change log and the snapshot (read by
// _id), then the roll-up. The bot then keeps the input in memory (bot's
// BenchmarkSummaryAtScale).
func BenchmarkScaleSummaryAll(b *testing.B) {
	s := scaleFixture(b)
	scaleSnapshot(b, s)
	ctx := context.Background()
	var n int
	scaleLoop(b, "s/summary", 1, func() error {
		in, err := s.RollupInput(ctx, scaleBase(), "", false)
		n = report.Summarize(in, report.Filter{}).Assignments
		return err
	})
	b.ReportMetric(float64(n), "assignments")
}

// scaleLoop runs fn b.N times, stopping at its first error, and reports the
// time of one run in unit: seconds times per ("s/summary" with 1,
// "ms/rollup" with 1000).
func scaleLoop(b *testing.B, unit string, per float64, fn func() error) {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()*per/float64(b.N), unit)
}

// scaleChanges applies n updates through Apply, as officers would.
func scaleChanges(b *testing.B, s *Store, n int) {
	b.Helper()
	for i := range n {
		id := domain.AssignmentID(fmt.Sprintf("26-III.%d", 21+i%10), fmt.Sprintf("xa-%04d", i*7%reporttest.EnvInt("AGENCYBOT_BENCH_AGENCIES", 1000)))
		if _, _, err := s.Apply(context.Background(), id, domain.Change{OfficerID: 9, OfficerName: "Cán bộ", Kind: domain.AddNote, Note: fmt.Sprintf("Ghi chú %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScaleSummaryAfterChanges is the same after 100 updates since the
// snapshot: each assignment is re-read by _id from the change log.
func BenchmarkScaleSummaryAfterChanges(b *testing.B) {
	s := scaleFixture(b)
	scaleSnapshot(b, s)
	ctx := context.Background()
	scaleChanges(b, s, 100)
	scaleLoop(b, "s/summary", 1, func() error {
		in, err := s.RollupInput(ctx, scaleBase(), "", false)
		report.Summarize(in, report.Filter{})
		return err
	})
}

// BenchmarkScaleFullRead reads every plan, task, agency and assignment from
// the collections (no snapshot): what the first start after an upgrade, and
// the bot's daily background re-read, cost.
func BenchmarkScaleFullRead(b *testing.B) {
	s := scaleFixture(b)
	ctx := context.Background()
	scaleLoop(b, "s/read", 1, func() error {
		_, err := s.scanRollupState(ctx)
		return err
	})
}

// BenchmarkScaleHistorySeal builds the history archive from the updates
// collection (the first export after an upgrade or a restore): one read of
// every update. Run it alone (-bench HistorySeal): once sealed, the fixture
// has an archive.
func BenchmarkScaleHistorySeal(b *testing.B) {
	s := scaleFixture(b)
	ctx := context.Background()
	var n int
	scaleLoop(b, "s/seal", 1, func() error {
		if _, err := s.archiveHead.DeleteOne(ctx, bson.M{"_id": "head"}); err != nil {
			return err
		}
		h, _, err := s.SealHistory(ctx)
		n = h.Count
		return err
	})
	b.ReportMetric(float64(n), "updates")
}

// BenchmarkScaleSnapshotSave encodes and writes the snapshot (after a full
// read, or a refresh that found changes).
func BenchmarkScaleSnapshotSave(b *testing.B) {
	s := scaleFixture(b)
	ctx := context.Background()
	st, err := s.LoadRollupState(ctx, false)
	if err != nil {
		b.Fatal(err)
	}
	scaleLoop(b, "s/save", 1, func() error {
		st.Upto++
		return s.SaveRollupState(ctx, st)
	})
}

// BenchmarkScaleSummaryAgency is /summary for one agency: its assignments
// are read by _id (100 lookups), the catalog once.
func BenchmarkScaleSummaryAgency(b *testing.B) {
	s := scaleFixture(b)
	ctx := context.Background()
	var n int
	scaleLoop(b, "ms/summary", 1000, func() error {
		in, err := s.RollupInput(ctx, scaleBase(), "xa-0050", false)
		n = report.Summarize(in, report.Filter{AgencyKey: "xa-0050"}).Assignments
		return err
	})
	if n != 100 {
		b.Fatalf("agency summary counted %d assignments, want 100", n)
	}
}

// BenchmarkScaleRollupPure is the roll-up alone, the input already read.
func BenchmarkScaleRollupPure(b *testing.B) {
	s := scaleFixture(b)
	in, err := s.RollupInput(context.Background(), scaleBase(), "", false)
	if err != nil {
		b.Fatal(err)
	}
	scaleLoop(b, "ms/rollup", 1000, func() error {
		report.Summarize(in, report.Filter{})
		return nil
	})
}

// BenchmarkScaleChart is /chart for the whole province, reads included.
func BenchmarkScaleChart(b *testing.B) {
	s := scaleFixture(b)
	scaleSnapshot(b, s)
	ctx := context.Background()
	scaleLoop(b, "s/chart", 1, func() error {
		in, err := s.RollupInput(ctx, scaleBase(), "", false)
		if err != nil {
			return err
		}
		return chart.Render(io.Discard, report.Summarize(in, report.Filter{}), chart.Options{})
	})
}

// BenchmarkScaleExcel is the Excel export of everything, the history of
// every update streamed; it reports the peak heap in use, and the peak of
// what the garbage collector found reachable, sampled while it
// runs (the figure that must not grow with the history).
func BenchmarkScaleExcel(b *testing.B) {
	s := scaleFixture(b)
	scaleSnapshot(b, s)
	ctx := context.Background()
	start := time.Now()
	if _, _, err := s.SealHistory(ctx); err != nil { // the first export after an upgrade: BenchmarkScaleHistorySeal
		b.Fatal(err)
	}
	b.Logf("history archive sealed in %s", time.Since(start).Round(time.Second))
	scaleChanges(b, s, 100) // then sealed by _id inside the timed export
	heap := reporttest.SampleHeap()
	b.ReportAllocs()
	b.ResetTimer()
	var size int64
	for b.Loop() {
		in, err := s.RollupInput(ctx, scaleBase(), "", true)
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.CreateTemp(b.TempDir(), "*.xlsx")
		if err != nil {
			b.Fatal(err)
		}
		hist := func(fn func(domain.Update) error) error { return s.EachUpdate(ctx, "", fn) }
		if err := xlsxreport.Write(f, in, report.Filter{}, hist, xlsxreport.Options{}); err != nil {
			b.Fatal(err)
		}
		st, _ := f.Stat()
		size = st.Size()
		f.Close()
	}
	b.StopTimer()
	inUse, live := heap.Stop()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/export")
	b.ReportMetric(inUse, "MB-peak-heap")
	b.ReportMetric(live, "MB-peak-live-heap") // what the last GC found reachable
	b.ReportMetric(float64(size)/(1<<20), "MB-file")
}

// BenchmarkScaleSweep lists the ids of the snapshot's and the archive's
// documents to delete what a kill left (store/sweep.go): the bot's round
// soon after a start and then daily. Nothing is left here, so it measures
// the listing.
func BenchmarkScaleSweep(b *testing.B) {
	s := scaleFixture(b)
	ctx := context.Background()
	scaleSnapshot(b, s)
	if _, _, err := s.SealHistory(ctx); err != nil { // the first export: BenchmarkScaleHistorySeal
		b.Fatal(err)
	}
	scaleLoop(b, "s/sweep", 1, func() error {
		_, err := s.SweepDerived(ctx)
		return err
	})
}
