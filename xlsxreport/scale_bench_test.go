package xlsxreport

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

// The benchmark below runs only with -bench. It times Write alone, the
// input in memory and the history generated on the fly (reading both from
// the embedded store is store's BenchmarkScaleExcel): a province of
// AGENCYBOT_BENCH_AGENCIES agencies (default 1,000) × 100 tasks (100,000
// assignments) and AGENCYBOT_BENCH_UPDATES updates (default 1,000,000).
//
//	go test ./xlsxreport -run '^$' -bench WriteAtScale -benchtime 1x

func benchEnv(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// scaleInput generates the province: two open plans of 50 tasks in 5
// sections, due every week from 120 days ago; every agency leads every
// task, in all four states, reported at various times (as bot's
// scaleInput).
func scaleInput(nAgencies int, now time.Time, loc *time.Location) report.Input {
	in := report.Input{Now: now, Loc: loc, Policy: domain.DefaultPolicy, Plans: []domain.Plan{
		{Key: "kh-2025", Code: "25", Year: 2025, Number: "/KH-UBND", Title: "Kế hoạch chuyển đổi số 2025", AppendixTitle: "PHỤ LỤC: DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025", Open: true, Seq: 0},
		{Key: "kh-2026", Code: "26", Year: 2026, Number: "45/KH-UBND", Title: "Kế hoạch khoa học, công nghệ 2026", Open: true, Seq: 1},
	}}
	today := deadline.DateOf(now.In(loc))
	for _, p := range in.Plans {
		for i := range 50 {
			sec := []string{"I", "II", "III", "IV", "V"}[i/10]
			due := today.AddDays(-120 + 7*i)
			in.Tasks = append(in.Tasks, domain.Task{Code: fmt.Sprintf("%s-%s.%d", p.Code, sec, i+1), PlanKey: p.Key, Section: sec,
				SectionTitle: "Phần " + sec, Number: fmt.Sprintf("%s.%d", sec, i+1), Title: fmt.Sprintf("Nhiệm vụ số %d: triển khai nền tảng số dùng chung của tỉnh", i+1), Seq: i,
				Lead: domain.Cell{Text: "Các sở, ban, ngành, địa phương", Group: agency.DepartmentsLocalities}, Output: "Báo cáo kết quả thực hiện",
				Deadline: deadline.Deadline{Text: "Trước " + due.String(), Kind: deadline.Fixed, Due: due}})
		}
	}
	statuses := []domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked}
	for ai := range nAgencies {
		key := fmt.Sprintf("xa-%04d", ai)
		in.Agencies = append(in.Agencies, domain.Agency{Key: key, Name: fmt.Sprintf("Ủy ban nhân dân xã Đồng Tháp %04d", ai), Kind: "commune"})
		for ti, t := range in.Tasks {
			id := domain.AssignmentID(t.Code, key)
			st := statuses[(ai+ti)%4]
			a := domain.Assignment{ID: id, Ref: domain.RefOf(id), TaskCode: t.Code, PlanKey: t.PlanKey, AgencyKey: key, Role: domain.Lead,
				Collective: true, Due: t.Deadline.Due, Kind: deadline.Fixed, Version: 1 + (ai+ti)%9, CreatedAt: now.AddDate(0, -8, 0)}
			a.Status = st
			a.Progress = (ai*7 + ti*13) % 95
			if (ai+ti)%5 != 0 {
				a.ReportedAt = now.Add(-time.Duration((ai*7+ti*13)%60) * 24 * time.Hour)
				a.Note = benchNotes[(ai+ti)%len(benchNotes)]
			}
			if st == domain.Done {
				a.Progress, a.DoneAt = 100, a.ReportedAt
			}
			in.Assignments = append(in.Assignments, a)
		}
	}
	return in
}

var (
	benchNotes = []string{
		"Đã ban hành Quyết định số 12/QĐ-UBND về việc triển khai",
		"Đang lấy ý kiến các phòng, ban chuyên môn",
		"Thiếu kinh phí, đề nghị Sở Tài chính hỗ trợ",
		"Hoàn thành đào tạo cán bộ, công chức cấp xã",
		"Chờ hướng dẫn của Sở Khoa học và Công nghệ",
	}
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
			return domain.State{Status: statuses[(i+round)%4], Progress: min(95, 10*round+i%10), Note: benchNotes[(i+round)%len(benchNotes)]}
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
	in := scaleInput(benchEnv("AGENCYBOT_BENCH_AGENCIES", 1000), now, loc)
	nUpdates := benchEnv("AGENCYBOT_BENCH_UPDATES", 1_000_000)
	b.Logf("%d assignments", len(in.Assignments))
	for _, n := range []int{nUpdates / 10, nUpdates} {
		b.Run(fmt.Sprintf("updates=%d", n), func(b *testing.B) {
			hist := scaleHistory(in, n)
			runtime.GC()
			var m0 runtime.MemStats
			runtime.ReadMemStats(&m0) // the input alone, the floor of the peak
			var peak atomic.Uint64
			stop, done := make(chan struct{}), make(chan struct{})
			go func() {
				defer close(done)
				var m runtime.MemStats
				t := time.NewTicker(50 * time.Millisecond)
				defer t.Stop()
				for {
					select {
					case <-stop:
						return
					case <-t.C:
						runtime.ReadMemStats(&m)
						if m.HeapInuse > peak.Load() {
							peak.Store(m.HeapInuse)
						}
					}
				}
			}()
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
			close(stop)
			<-done
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/export")
			b.ReportMetric(float64(peak.Load())/(1<<20), "MB-peak-heap")
			b.ReportMetric(float64(size)/(1<<20), "MB-file")
			b.ReportMetric(float64(m0.HeapInuse)/(1<<20), "MB-heap-input")
		})
	}
}
