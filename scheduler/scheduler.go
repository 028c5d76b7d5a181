// Package scheduler sends the reminders, the leadership digest and the
// admins' notices: it decides on a schedule (robfig/cron, in the province's
// time zone) what is due for whom, records every message in a persistent
// outbox before anything is sent, and dispatches the outbox within
// Telegram's rate limits, so that each reminder arrives once, on a working
// day, grouped into one message per person per run.
//
// Planning and dispatching are separate: a run (RunReminders, RunDigest)
// only writes to the outbox; Dispatch sends what the outbox holds. Both are
// safe to run on several instances against one database and to repeat after
// a crash: planned items are marked under unique keys, runs and send
// attempts are claimed under unique keys, and outcomes are recorded once.
package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/retry"
	"agencybot/store"
)

// Sender delivers one message; failures come back as *domain.SendError
// (bot.Sender does this).
type Sender interface {
	Send(ctx context.Context, m domain.Outgoing) error
}

// Catalog is what planning reads: plans, tasks, assignments, agencies and
// the people to tell.
type Catalog interface {
	OpenPlans(ctx context.Context) ([]domain.Plan, error)
	Tasks(ctx context.Context, planKey string) ([]domain.Task, error)
	AllAssignments(ctx context.Context) ([]domain.Assignment, error)
	Agencies(ctx context.Context) ([]domain.Agency, error)
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
	Leaders(ctx context.Context) ([]domain.Officer, error)
}

// People is what the dispatcher looks up and changes about a person.
type People interface {
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
	SetUnreachable(ctx context.Context, id int64, v bool) error
}

// RunLog records planning runs, one per scheduled slot.
type RunLog interface {
	StartRun(ctx context.Context, slot, owner string, lease time.Duration) (store.RunClaim, error)
	FinishRun(ctx context.Context, slot string, attempt, planned int) error
	RunStarted(ctx context.Context, slot string) (bool, error)
}

// ItemLog marks planned reminder items, each once.
type ItemLog interface {
	MarkItem(ctx context.Context, id, run, msg string) (bool, store.ItemMark, error)
	ItemMarked(ctx context.Context, id string) (bool, error)
}

// Outbox holds the messages to send and records their attempts and outcomes.
type Outbox interface {
	Enqueue(ctx context.Context, m store.OutboxMessage) (bool, error)
	EachPending(ctx context.Context, fn func(store.OutboxMessage) bool) error
	ClaimMessage(ctx context.Context, key string, n int, owner string, leaseUntil time.Time) (bool, error)
	MessageClaim(ctx context.Context, key string, n int) (store.OutboxClaim, bool, error)
	ReleaseMessage(ctx context.Context, key string, n int, r store.Release) error
	MarkPartSent(ctx context.Context, key string, part int) error
	PartSent(ctx context.Context, key string, part int) (bool, error)
	FinishMessage(ctx context.Context, m store.OutboxMessage, state string, attempt int, errText string) (bool, error)
	MessageOutcome(ctx context.Context, key string) (store.OutboxOutcome, bool, error)
	PruneOutbox(ctx context.Context, keys []string) error
	Superseded(ctx context.Context, m store.OutboxMessage) (bool, error)
	Pending(ctx context.Context, key string) (bool, error)
	LoadFile(ctx context.Context, m store.OutboxMessage) (store.OutboxMessage, error)
}

// DelayLog records the spells during which the outbox's oldest message
// waited too long, each begun and ended once (outage.go).
type DelayLog interface {
	DelaySpell(ctx context.Context, n int) (store.DelaySpell, bool, error)
	BeginDelay(ctx context.Context, d store.DelaySpell) (bool, error)
	EndDelay(ctx context.Context, n int, at time.Time) (bool, error)
}

// Store is everything the scheduler needs from the database; *store.Store
// satisfies it.
type Store interface {
	Catalog
	People
	RunLog
	ItemLog
	Outbox
	BatchLog
	Heartbeats
	Rollups
	DelayLog
	TargetLog
}

var _ Store = (*store.Store)(nil)

// Deps are the scheduler's dependencies.
type Deps struct {
	// Store is the database (required).
	Store Store
	// Rollups is the roll-up input the digest is computed from (default:
	// Store's; the bot passes its summaries, so that the digest reads what
	// /summary shows, from memory).
	Rollups Rollups
	// Sender delivers messages (required for Run and Dispatch).
	Sender Sender
	// Clock is the current time (default time.Now).
	Clock func() time.Time
	// Sleep waits d or until ctx ends (default: a timer). Tests pass one
	// that moves their clock forward.
	Sleep func(ctx context.Context, d time.Duration) error
	// Config holds the schedules, reminder days, rate limits, reporting
	// period, admins and time zone.
	Config config.Config
	// Holidays are the public holidays (default: seeds/holidays.json).
	Holidays []deadline.Date
	// Logger receives one line per run and per failure (default: discard).
	Logger *slog.Logger
	// Workers is how many messages are sent concurrently (default 8); the
	// rate limits hold whatever the number.
	Workers int
	// Instance names this process in claims (default: host name and a
	// random suffix).
	Instance string
	// Metrics records completed planning runs (optional).
	Metrics RunMetrics
}

// Scheduler plans and sends reminders; create it with New.
type Scheduler struct {
	st       Store
	send     Sender
	clock    func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
	cfg      config.Config
	loc      *time.Location
	cal      calendar
	log      *slog.Logger
	workers  int
	instance string
	metrics  RunMetrics
	rollups  Rollups

	reminderSched cron.Schedule
	digestSched   cron.Schedule
	annualMonth   time.Month
	annualDay     int

	lim   *limiter
	gate  gate // holds the sends while Telegram fails (outage.go)
	delay delayWatch
	wake  chan struct{}
	hb    heartbeat // this instance's beats while it holds claims

	drainMu sync.Mutex // one drain at a time per instance
	memoMu  sync.Mutex
	memo    map[string]memo // what this instance knows of outbox messages

	sent, tooMany, failed, lateSent atomic.Int64
	queuedMeanwhile                 atomic.Bool // the dispatcher itself queued messages (notices) during a drain
}

// Timing of runs and sends.
const (
	planLease    = 10 * time.Minute // a planner silent this long is taken over
	sendLease    = 2 * time.Minute  // a claimed message unsent this long is reclaimed
	leaseMargin  = 30 * time.Second // never hold a claim this close to its lease's end
	maxAbandoned = 5                // attempts whose holder died before ending them, before a message is given up
	backoffBase  = time.Second
	backoffCap   = 5 * time.Minute  // the longest wait between two tries of a message (and two probes of Telegram)
	delayAlarm   = 10 * time.Minute // the oldest message waiting longer: the admins are told
	pollInterval = 30 * time.Second // the dispatch loop looks at the outbox at least this often
	jobTimeout   = 10 * time.Minute
)

// New checks the configuration and builds a Scheduler.
func New(d Deps) (*Scheduler, error) {
	if d.Store == nil {
		return nil, errors.New("scheduler: Store is required")
	}
	s := &Scheduler{
		st: d.Store, send: d.Sender, clock: d.Clock, sleep: d.Sleep, cfg: d.Config, log: d.Logger,
		workers: d.Workers, instance: d.Instance, metrics: d.Metrics, wake: make(chan struct{}, 1), memo: map[string]memo{},
		rollups: d.Rollups,
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.rollups == nil {
		s.rollups = d.Store
	}
	if s.sleep == nil {
		s.sleep = retry.Sleep
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.workers <= 0 {
		s.workers = 8
	}
	if s.instance == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		s.instance = host + "-" + hex.EncodeToString(b)
	}
	s.loc = d.Config.Location
	if s.loc == nil {
		loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
		if err != nil {
			return nil, fmt.Errorf("scheduler: time zone: %w", err)
		}
		s.loc = loc
	}
	hol := d.Holidays
	if hol == nil {
		var err error
		if hol, err = seedHolidays(); err != nil {
			return nil, fmt.Errorf("scheduler: %w", err)
		}
	}
	s.cal = newCalendar(hol)

	r := &s.cfg.Reminders
	s.reminderSched, s.digestSched = r.Schedule, r.DigestSchedule
	if s.reminderSched == nil || s.digestSched == nil {
		return nil, errors.New("scheduler: the REMINDER_CRON and DIGEST_CRON schedules must be parsed (use config.Load)")
	}
	ad, err := time.Parse("01-02", r.AnnualReport)
	if err != nil {
		return nil, fmt.Errorf("scheduler: ANNUAL_REPORT_DATE %q must be MM-DD: %w", r.AnnualReport, err)
	}
	s.annualMonth, s.annualDay = ad.Month(), ad.Day()
	if len(r.DaysBefore) == 0 || r.EscalateDays <= 0 || r.ReportDay < 1 || r.ReportDay > 28 {
		return nil, errors.New("scheduler: reminder days, escalation days and report day must be set (use config.Load)")
	}
	if r.RatePerSecond <= 0 || r.ChatPerSecond <= 0 {
		return nil, errors.New("scheduler: SEND_RATE and SEND_RATE_PER_CHAT must be positive")
	}
	if s.cfg.ReportPeriod != string(domain.Quarterly) {
		s.cfg.ReportPeriod = string(domain.Monthly)
	}
	s.lim = newLimiter(r.RatePerSecond, r.ChatPerSecond, s.clock)
	return s, nil
}

// Run schedules the reminder and digest runs, catches up the latest missed
// run of each, and dispatches the outbox until ctx is cancelled. It returns
// after the running jobs and sends have finished.
func (s *Scheduler) Run(ctx context.Context) error {
	if s.send == nil {
		return errors.New("scheduler: Sender is required to run")
	}
	c := cron.New(cron.WithLocation(s.loc), cron.WithChain(cron.Recover(cronLogger{s.log})))
	c.Schedule(s.reminderSched, s.ReminderJob())
	c.Schedule(s.digestSched, s.DigestJob())
	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		s.dispatchLoop(ctx)
	}()
	s.catchUp(ctx)
	c.Start()
	s.log.Info("scheduler started", "reminders", s.cfg.Reminders.Cron, "digest", s.cfg.Reminders.DigestCron,
		"tz", s.loc.String(), "instance", s.instance)
	<-ctx.Done()
	<-c.Stop().Done()
	<-loopDone
	s.log.Info("scheduler stopped")
	return nil
}

// ReminderJob is the cron job of the reminder run: it plans the run at the
// current time and wakes the dispatcher.
func (s *Scheduler) ReminderJob() cron.Job {
	return cron.FuncJob(func() {
		ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
		defer cancel()
		if _, err := s.RunReminders(ctx, s.clock()); err != nil {
			s.log.Error("reminder run", "err", err)
		}
	})
}

// DigestJob is the cron job of the leadership digest.
func (s *Scheduler) DigestJob() cron.Job {
	return cron.FuncJob(func() {
		ctx, cancel := context.WithTimeout(context.Background(), jobTimeout)
		defer cancel()
		if _, err := s.RunDigest(ctx, s.clock()); err != nil {
			s.log.Error("digest run", "err", err)
		}
	})
}

// Wake asks the dispatcher to look at the outbox now (after something was
// queued). It never blocks.
func (s *Scheduler) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// catchUp plans the most recent slot of each schedule if it never ran (the
// bot was down): the latest only, once.
func (s *Scheduler) catchUp(ctx context.Context) {
	now := s.clock()
	jctx := context.WithoutCancel(ctx)
	if at, ok := s.lastSlot(s.reminderSched, now); ok {
		if n, err := s.RunReminders(jctx, at); err != nil {
			s.log.Error("catch up reminder run", "slot", at, "err", err)
		} else if n > 0 {
			s.log.Info("caught up reminder run", "slot", at, "messages", n)
		}
	}
	if at, ok := s.lastSlot(s.digestSched, now); ok {
		if n, err := s.RunDigest(jctx, at); err != nil {
			s.log.Error("catch up digest", "slot", at, "err", err)
		} else if n > 0 {
			s.log.Info("caught up digest", "slot", at, "messages", n)
		}
	}
}

// lastSlot is the latest instant of sched at or before now, looking back 8
// days (robfig/cron has no Prev).
func (s *Scheduler) lastSlot(sched cron.Schedule, now time.Time) (time.Time, bool) {
	var last time.Time
	for t := sched.Next(now.In(s.loc).Add(-8 * 24 * time.Hour)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		last = t
	}
	return last, !last.IsZero()
}

// dispatchLoop drains the outbox when woken, when a deferred message falls
// due, and every pollInterval (to pick up work of other instances).
func (s *Scheduler) dispatchLoop(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-t.C:
		}
		next, err := s.drain(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("dispatch", "err", err)
		}
		wait := pollInterval
		if !next.IsZero() {
			wait = min(wait, max(next.Sub(s.clock()), 10*time.Millisecond))
		}
		t.Reset(wait)
	}
}

// DispatchStats counts what this instance's dispatcher did.
type DispatchStats struct {
	Sent    int64 // messages (parts) delivered
	TooMany int64 // 429 answers waited out
	Failed  int64 // messages given up (blocked, permanent errors, a message that stopped the process each time)
	Late    int64 // reminders and digests delivered after their day, marked late
}

// Stats returns the dispatcher's counters.
func (s *Scheduler) Stats() DispatchStats {
	return DispatchStats{Sent: s.sent.Load(), TooMany: s.tooMany.Load(), Failed: s.failed.Load(), Late: s.lateSent.Load()}
}

// slotKey names a scheduled instant in the province's time zone.
func (s *Scheduler) slotKey(at time.Time) string { return at.In(s.loc).Format("2006-01-02T15:04") }

// cronLogger routes robfig/cron's messages to slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
