package reporttest

import (
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"time"
)

// Heap samples the heap every 50 ms until Stop: the peak in use, and the
// peak of what the garbage collector last found reachable (the figure that
// must not grow with the history in the export benchmarks).
type Heap struct {
	inUse, live atomic.Uint64
	stop, done  chan struct{}
}

// SampleHeap starts sampling.
func SampleHeap() *Heap {
	h := &Heap{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		var m runtime.MemStats
		live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				runtime.ReadMemStats(&m)
				metrics.Read(live)
				if v := live[0].Value.Uint64(); v > h.live.Load() {
					h.live.Store(v)
				}
				if m.HeapInuse > h.inUse.Load() {
					h.inUse.Store(m.HeapInuse)
				}
			}
		}
	}()
	return h
}

// Stop ends sampling and returns the peaks in MB.
func (h *Heap) Stop() (inUseMB, liveMB float64) {
	close(h.stop)
	<-h.done
	return float64(h.inUse.Load()) / (1 << 20), float64(h.live.Load()) / (1 << 20)
}
