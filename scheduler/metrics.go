package scheduler

import "time"

// RunMetrics records each planning run this instance completed: the job
// ("reminders", "digest"), the messages it queued and when it finished.
// cmd/ wires *ops.Metrics.
type RunMetrics interface {
	RunPlanned(job string, messages int, at time.Time)
}

// planned records a completed run of job.
func (s *Scheduler) planned(job string, messages int) {
	if s.metrics != nil {
		s.metrics.RunPlanned(job, messages, s.clock())
	}
}
