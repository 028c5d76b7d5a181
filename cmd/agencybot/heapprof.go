//go:build heapprof

// Built with -tags heapprof, the program writes a heap profile to the file
// AGENCYBOT_HEAPPROF names, 60 seconds after it starts: how the idle
// process's memory (issue 25) was looked at.
//
//	go build -tags heapprof -o /tmp/agencybot ./cmd/agencybot
//	AGENCYBOT_HEAPPROF=/tmp/heap.pprof /tmp/agencybot run
//	go tool pprof -sample_index=inuse_space -top /tmp/heap.pprof
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func init() {
	path := os.Getenv("AGENCYBOT_HEAPPROF")
	if path == "" {
		return
	}
	runtime.MemProfileRate = 4096 // every allocation of 4 KiB and a sample of the smaller
	go func() {
		time.Sleep(60 * time.Second)
		runtime.GC()
		f, err := os.Create(path)
		if err != nil {
			return
		}
		defer f.Close()
		_ = pprof.Lookup("heap").WriteTo(f, 0)
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		_ = os.WriteFile(path+".txt", []byte(fmt.Sprintf(
			"HeapAlloc %d\nHeapInuse %d\nHeapIdle %d\nHeapReleased %d\nHeapSys %d\nStackInuse %d\nMSpanInuse %d\nGCSys %d\nOtherSys %d\nSys %d\nNumGoroutine %d\n",
			m.HeapAlloc, m.HeapInuse, m.HeapIdle, m.HeapReleased, m.HeapSys, m.StackInuse, m.MSpanInuse, m.GCSys, m.OtherSys, m.Sys, runtime.NumGoroutine())), 0o600)
	}()
}
