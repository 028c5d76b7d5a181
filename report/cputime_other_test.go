//go:build !unix

package report_test

import "time"

// cpuTime is unknown here: BenchmarkRollupGrowth then reports no cpu-x-10x.
func cpuTime() time.Duration { return 0 }
