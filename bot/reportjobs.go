package bot

// Reports built in the background. The poll loop handles a batch of
// updates and waits for all of it before it asks for the next one, so a
// report built in its handler — the Excel report of the whole province is
// seconds of work and an upload of tens of megabytes — held up everybody
// else's messages for that long. The handler now records the request
// (store/reportjobs.go) and returns; a goroutine builds the file and queues
// it in the outbox, which sends it with retries. A request a stop
// interrupted is taken up at the next start, and the leader gets the report
// once.

import (
	"context"
	"errors"
	"sync"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/store"
)

// ReportJobs keeps the reports being built until they are queued
// (*store.Store: store/reportjobs.go).
type ReportJobs interface {
	AddReportJob(ctx context.Context, j store.ReportJob) (bool, error)
	StartReportJob(ctx context.Context, key string) (store.ReportJob, error)
	ReportJobs(ctx context.Context) ([]store.ReportJob, error)
	FinishReportJob(ctx context.Context, key string) error
	Queued(ctx context.Context, key string) (bool, error)
}

// maxReportAttempts is how many starts a job gets: one that a stop (an
// out-of-memory kill, say) interrupted that often is given up, and the
// leader told.
const maxReportAttempts = 3

// jobRunner runs the jobs of one Bot: one report at a time (each holds its
// file in memory), stopped with Run.
type jobRunner struct {
	ctx context.Context // Run's: a stop interrupts a job, the next start resumes it
	one sync.Mutex      // one report built at a time
	wg  sync.WaitGroup  // Run waits for the jobs before it returns
}

// reportJobs is the job store.
func (b *Bot) reportJobs() (ReportJobs, bool) {
	j, ok := b.Assignments.(ReportJobs)
	return j, ok
}

// resumeReportJobs remembers ctx for the jobs and takes up those a stop
// interrupted.
func (b *Bot) resumeReportJobs(ctx context.Context) {
	b.jobs.ctx = ctx
	jobs, ok := b.reportJobs()
	if !ok {
		return
	}
	pending, err := jobs.ReportJobs(ctx)
	if err != nil {
		b.log().Warn("list the reports being built", "err", err)
		return
	}
	for _, j := range pending {
		b.startReportJob(jobs, j.Key)
	}
}

// queueExport records w's request for the Excel report narrowed by f and
// starts building it. The same request handled again (a replay) starts
// nothing.
func (b *Bot) queueExport(ctx context.Context, jobs ReportJobs, w who, f report.Filter) {
	j := store.ReportJob{Key: pushKey("export", w.Source, w.Chat), Kind: "export", UserID: w.ID, Chat: w.Chat,
		Lang: string(w.Lang), Agency: f.AgencyKey, Plan: f.PlanKey}
	added, err := jobs.AddReportJob(ctx, j)
	if err != nil {
		b.fail(w, "export", err)
		return
	}
	if !added {
		return
	}
	// The phone shows "sending a file…" while it is built.
	if _, err := b.call(tgbotapi.NewChatAction(w.Chat, tgbotapi.ChatUploadDocument)); err != nil {
		b.log().Debug("chat action", "err", err)
	}
	b.startReportJob(jobs, j.Key)
}

func (b *Bot) startReportJob(jobs ReportJobs, key string) {
	ctx := b.jobs.ctx
	if ctx == nil { // handled outside Run (tools, tests)
		ctx = context.Background()
	}
	b.jobs.wg.Add(1)
	go func() {
		defer b.jobs.wg.Done()
		b.runReportJob(ctx, jobs, key)
	}()
}

// runReportJob builds the job's report and queues it under this attempt's
// key, then deletes the job. An error other than a stop is told to the
// leader; after a stop the job stays for the next start.
func (b *Bot) runReportJob(ctx context.Context, jobs ReportJobs, key string) {
	b.jobs.one.Lock()
	defer b.jobs.one.Unlock()
	j, err := jobs.StartReportJob(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return // finished meanwhile
	}
	if err != nil {
		if ctx.Err() == nil {
			b.log().Error("start a report", "job", key, "err", err)
		}
		return
	}
	// An earlier attempt stopped after it queued the report: it is on its way.
	for n := 1; n < j.Attempt; n++ {
		queued, err := jobs.Queued(ctx, j.AttemptKey(n))
		if err != nil {
			b.log().Error("look up a report's earlier attempt", "job", key, "err", err)
			return
		}
		if queued {
			b.finishReportJob(ctx, jobs, key)
			return
		}
	}
	w := who{ID: j.UserID, Chat: j.Chat, Lang: i18n.For(j.Lang), Source: key}
	var out domain.Outgoing
	if j.Attempt > maxReportAttempts {
		out = domain.Outgoing{ChatID: j.Chat, Text: w.t("export.failed")}
	} else {
		in, err := b.rollupInput(ctx, true)
		if err == nil {
			out, err = b.exportFile(ctx, w, in, report.Filter{AgencyKey: j.Agency, PlanKey: j.Plan})
		}
		if err != nil {
			if ctx.Err() != nil {
				return // stopped: the next start builds it again
			}
			b.log().Error("build a report", "job", key, "err", err)
			out = domain.Outgoing{ChatID: j.Chat, Text: w.t("export.failed")}
		}
	}
	if _, err := b.Outbox.Enqueue(ctx, j.AttemptKey(j.Attempt), out); err != nil {
		if ctx.Err() == nil {
			b.log().Error("queue a report", "job", key, "err", err)
		}
		return
	}
	b.finishReportJob(ctx, jobs, key)
}

func (b *Bot) finishReportJob(ctx context.Context, jobs ReportJobs, key string) {
	if err := jobs.FinishReportJob(ctx, key); err != nil && ctx.Err() == nil {
		b.log().Error("finish a report", "job", key, "err", err)
	}
}
