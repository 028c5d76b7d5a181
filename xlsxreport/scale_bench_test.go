package xlsxreport

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/report"
	"agencybot/report/reporttest"
)

// The benchmark below runs only with -bench. It times Write alone, the
// input in memory and the history generated on the fly (reading both from
// the embedded store is store's BenchmarkScaleExcel): a province of
// AGENCYBOT_BENCH_AGENCIES agencies (default 1,000) × 100 tasks (100,000
// assignments) and AGENCYBOT_BENCH_UPDATES updates (default 1,000,000).
//
//	go test ./xlsxreport -run '^$' -bench WriteAtScale -benchtime 1x

var (
	benchOfficers = []string{"Nguyễn Văn Ánh", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thị Diễm", "Huỳnh Văn Đức", "Võ Thị Hương"}
	benchFiles    = []string{"bao-cao-quy-2.pdf", "quyet-dinh-12.pdf", "anh-hien-truong.jpg", "ke-hoach-trien-khai.docx"}
)

// scaleHistory generates n updates over the assignments of in, in time
// order, without holding them: the k-th update is assignment k mod len's
// (k div len)-th, 13 s after the one before; its kind cycles through
// status, progress, evidence and note.
func scaleHistory(in report.Input, n int) History {
	return func(fn func(domain.Update) error) error {
		as := in.Assignments
		start := in.Now.AddDate(0, -6, 0)
		kinds := []domain.UpdateKind{domain.SetProgress, domain.SetStatus, domain.AddEvidence, domain.AddNote}
		statuses := []domain.Status{domain.NotStarted, domain.InProgress, domain.Blocked, domain.InProgress}
		state := func(i, round int) domain.State {
			if round < 0 {
				return domain.State{Status: domain.NotStarted}
			}
			return domain.State{Status: statuses[(i+round)%4], Progress: min(95, 10*round+i%10), Note: reporttest.Notes[(i+round)%len(reporttest.Notes)]}
		}
		for k := range n {
			i, round := k%len(as), k/len(as)
			a := &as[i]
			u := domain.Update{ID: domain.UpdateID(a.ID, round+1), Source: "bench", AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey,
				OfficerID: int64(1000 + i%997), OfficerName: benchOfficers[(i+round)%len(benchOfficers)], At: start.Add(time.Duration(k) * 13 * time.Second),
				Kind: kinds[(i+round)%4], Version: round + 1, Before: state(i, round-1), After: state(i, round)}
			switch u.Kind {
			case domain.SetStatus:
				u.Status = u.After.Status
			case domain.SetProgress:
				p := u.After.Progress
				u.Progress = &p
			case domain.AddEvidence:
				u.Evidence = &domain.Evidence{Name: benchFiles[(i+round)%len(benchFiles)], Kind: "document"}
			case domain.AddNote:
				u.Note = u.After.Note
			}
			if err := fn(u); err != nil {
				return err
			}
		}
		return nil
	}
}

// BenchmarkWriteAtScale writes the Excel report of everything to a file:
// with the full history (AGENCYBOT_BENCH_UPDATES) and with a tenth of it,
// reporting for each the time, the peak heap in use (sampled every 50 ms),
// the heap the input takes before Write starts, and the file's size. The
// two peaks should be about equal: the history is streamed, so memory does
// not grow with it.
func BenchmarkWriteAtScale(b *testing.B) {
	loc := time.FixedZone("ICT", 7*3600)
	now := time.Date(2026, 6, 15, 8, 0, 0, 0, loc)
	in := reporttest.Province(reporttest.EnvInt("AGENCYBOT_BENCH_AGENCIES", 1000), now, loc)
	nUpdates := reporttest.EnvInt("AGENCYBOT_BENCH_UPDATES", 1_000_000)
	b.Logf("%d assignments", len(in.Assignments))
	for _, n := range []int{nUpdates / 10, nUpdates} {
		b.Run(fmt.Sprintf("updates=%d", n), func(b *testing.B) {
			hist := scaleHistory(in, n)
			runtime.GC()
			var m0 runtime.MemStats
			runtime.ReadMemStats(&m0) // the input alone, the floor of the peak
			heap := reporttest.SampleHeap()
			b.ReportAllocs()
			b.ResetTimer()
			var size int64
			for b.Loop() {
				f, err := os.CreateTemp(b.TempDir(), "*.xlsx")
				if err != nil {
					b.Fatal(err)
				}
				if err := Write(f, in, report.Filter{}, hist, Options{}); err != nil {
					b.Fatal(err)
				}
				st, err := f.Stat()
				if err != nil {
					b.Fatal(err)
				}
				size = st.Size()
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			inUse, live := heap.Stop()
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/export")
			b.ReportMetric(inUse, "MB-peak-heap")
			b.ReportMetric(live, "MB-peak-live-heap")
			b.ReportMetric(float64(size)/(1<<20), "MB-file")
			b.ReportMetric(float64(m0.HeapInuse)/(1<<20), "MB-heap-input")
		})
	}
}
