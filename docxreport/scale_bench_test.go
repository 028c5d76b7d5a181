package docxreport

import (
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	"agencybot/report/reporttest"
)

// BenchmarkWriteAtScale writes the report of the province of the benchmarks
// (reporttest.Province: AGENCYBOT_BENCH_AGENCIES agencies, default 1,000,
// each leading every one of 100 tasks: 100,000 assignments) to a file,
// the input in memory (reading it from the store is store's
// BenchmarkScaleSummaryAll), reporting the time, the peak heap in use
// (sampled every 50 ms), the heap the input takes before Write starts, and
// the file's size. Runs only with -bench:
//
//	go test ./docxreport -run '^$' -bench WriteAtScale -benchtime 3x
func BenchmarkWriteAtScale(b *testing.B) {
	loc := time.FixedZone("ICT", 7*3600)
	now := time.Date(2026, 6, 15, 8, 0, 0, 0, loc)
	in := reporttest.Province(reporttest.EnvInt("AGENCYBOT_BENCH_AGENCIES", 1000), now, loc)
	b.Logf("%d assignments", len(in.Assignments))
	runtime.GC()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	heap := reporttest.SampleHeap()
	b.ReportAllocs()
	b.ResetTimer()
	var size int64
	for b.Loop() {
		f, err := os.CreateTemp(b.TempDir(), "*.docx")
		if err != nil {
			b.Fatal(err)
		}
		if err := Write(f, in, Options{}); err != nil {
			b.Fatal(err)
		}
		if size, err = f.Seek(0, io.SeekCurrent); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	inUse, live := heap.Stop()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
	b.ReportMetric(inUse, "MB-peak-heap")
	b.ReportMetric(live, "MB-peak-live-heap")
	b.ReportMetric(float64(m0.HeapInuse)/(1<<20), "MB-heap-input")
	b.ReportMetric(float64(size)/(1<<10), "KB-file")
}
