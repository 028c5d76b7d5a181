package ops

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"
)

// Data is what the metrics and the readiness checks read from the database;
// *store.Store satisfies it.
type Data interface {
	Ping(ctx context.Context) error
	OutboxBacklog(ctx context.Context) (depth int, oldest time.Time, err error)
	RunFinished(ctx context.Context, slot string) (at time.Time, planned int, ok bool, err error)
}

// Job is a scheduled planning job whose runs the database records under
// "<Name>@<slot in Location, 2006-01-02T15:04>" (as the scheduler names
// them): "reminders" on REMINDER_CRON, "digest" on DIGEST_CRON.
type Job struct {
	Name     string
	Schedule cron.Schedule
	Location *time.Location
}

// Slot is the run record's name for the slot at at.
func (j Job) Slot(at time.Time) string {
	return j.Name + "@" + at.In(j.Location).Format("2006-01-02T15:04")
}

// lookBack is how far back slots are looked for (the scheduler catches up
// the latest slot of the last 8 days).
const lookBack = 8 * 24 * time.Hour

// slots lists the job's slots in (now-lookBack, now], newest first, at most
// limit of them.
func (j Job) slots(now time.Time, limit int) []time.Time {
	var all []time.Time
	for t := j.Schedule.Next(now.In(j.Location).Add(-lookBack)); !t.IsZero() && !t.After(now); t = j.Schedule.Next(t) {
		all = append(all, t)
	}
	out := make([]time.Time, 0, min(limit, len(all)))
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, all[i])
	}
	return out
}

// lastFinished finds the latest slot of the job that was planned completely.
func (j Job) lastFinished(ctx context.Context, d Data, now time.Time) (slot time.Time, at time.Time, planned int, ok bool, err error) {
	for _, s := range j.slots(now, 20) {
		at, planned, ok, err := d.RunFinished(ctx, j.Slot(s))
		if err != nil || ok {
			return s, at, planned, ok, err
		}
	}
	return time.Time{}, time.Time{}, 0, false, nil
}

// dataCollector reads the outbox and the planning runs on every scrape.
type dataCollector struct {
	m     *Metrics
	data  Data
	jobs  []Job
	clock func() time.Time

	depth, oldest, lastSuccess, lastPlanned, scrapeErr *prometheus.Desc
}

// WatchData adds the metrics read from the database on each scrape: outbox
// depth and the age of its oldest message, and per job the last successful
// run and how many messages it queued. Jobs recorded with JobSucceeded (the
// backup, say) report their last success too.
func (m *Metrics) WatchData(data Data, jobs []Job, clock func() time.Time) error {
	if clock == nil {
		clock = time.Now
	}
	return m.Register(&dataCollector{
		m: m, data: data, jobs: jobs, clock: clock,
		depth:       prometheus.NewDesc("agencybot_outbox_depth", "Messages in the outbox waiting to be sent.", nil, nil),
		oldest:      prometheus.NewDesc("agencybot_outbox_oldest_age_seconds", "Age of the oldest message waiting in the outbox (0 when none waits).", nil, nil),
		lastSuccess: prometheus.NewDesc("agencybot_job_last_success_timestamp_seconds", "When a job last finished successfully (Unix time), by job.", []string{"job"}, nil),
		lastPlanned: prometheus.NewDesc("agencybot_job_last_run_messages", "Messages queued by the job's last completed run (any instance), by job.", []string{"job"}, nil),
		scrapeErr:   prometheus.NewDesc("agencybot_data_scrape_errors", "1 when reading the database for this scrape failed.", nil, nil),
	})
}

func (c *dataCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.depth, c.oldest, c.lastSuccess, c.lastPlanned, c.scrapeErr} {
		ch <- d
	}
}

func (c *dataCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := scrapeContext()
	defer cancel()
	now := c.clock()
	failed := 0.0
	if depth, oldest, err := c.data.OutboxBacklog(ctx); err != nil {
		failed = 1
	} else {
		age := 0.0
		if depth > 0 {
			age = max(now.Sub(oldest).Seconds(), 0)
		}
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(depth))
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age)
	}
	done := c.m.jobs()
	for _, j := range c.jobs {
		_, at, planned, ok, err := j.lastFinished(ctx, c.data, now)
		if err != nil {
			failed = 1
			continue
		}
		if ok {
			ch <- prometheus.MustNewConstMetric(c.lastPlanned, prometheus.GaugeValue, float64(planned), j.Name)
			if at.After(done[j.Name]) {
				done[j.Name] = at
			}
		}
	}
	for job, at := range done {
		ch <- prometheus.MustNewConstMetric(c.lastSuccess, prometheus.GaugeValue, float64(at.UnixNano())/1e9, job)
	}
	ch <- prometheus.MustNewConstMetric(c.scrapeErr, prometheus.GaugeValue, failed)
}

// ScheduleCheck is ready unless the job's latest slot older than grace has
// no completed run. A slot before the process started gets grace from the
// start (the scheduler catches it up then).
func ScheduleCheck(j Job, d Data, started time.Time, grace time.Duration, clock func() time.Time) Check {
	if clock == nil {
		clock = time.Now
	}
	return Check{Name: j.Name, Run: func(ctx context.Context) error {
		now := clock()
		for _, s := range j.slots(now, 1) {
			due := s
			if started.After(due) {
				due = started
			}
			if now.Sub(due) < grace {
				return nil // the run may still be under way
			}
			_, _, ok, err := d.RunFinished(ctx, j.Slot(s))
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("the run of %s was missed", s.In(j.Location).Format("2006-01-02 15:04"))
			}
		}
		return nil
	}}
}
