package bot

// /chart and /export: the roll-up as a PNG a leader reads on the phone, and
// as the Excel report in the plans' appendix layout. Both roll up the
// input of package summaries with report.New, as /summary does.
//
// The Excel report is built in the background. The poll loop handles a
// batch of updates and waits for all of it before it asks for the next one,
// so a report built in its handler — the Excel report of the whole province
// is seconds of work and an upload of tens of megabytes — held up everybody
// else's messages for that long. The handler records the request
// (store/reportjobs.go) and returns; a goroutine builds the file and queues
// it in the outbox, which sends it with retries. A request a stop
// interrupted is taken up at the next start, and the leader gets the report
// once.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"agencybot/chart"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/store"
	"agencybot/telegram"
	"agencybot/xlsxreport"
)

// UpdateHistory streams the update history the Excel report's history
// sheet lists (*store.Store: store.EachUpdate).
type UpdateHistory interface {
	EachUpdate(ctx context.Context, agencyKey string, fn func(domain.Update) error) error
}

// ReportJobs keeps the reports being built until they are queued
// (*store.Store: store/reportjobs.go).
type ReportJobs interface {
	AddReportJob(ctx context.Context, j store.ReportJob) (bool, error)
	StartReportJob(ctx context.Context, key string) (store.ReportJob, error)
	ReportJobs(ctx context.Context) ([]store.ReportJob, error)
	FinishReportJob(ctx context.Context, key string) error
	Queued(ctx context.Context, key string) (bool, error)
}

type reports struct {
	*core
	history UpdateHistory
	jobs    ReportJobs
	targets targetStore

	jobsCtx context.Context // Run's: a stop interrupts a job, the next start resumes it
	one     sync.Mutex      // one report built at a time (each holds its file in memory)
	wg      sync.WaitGroup  // Run waits for the jobs before it returns
}

// chartOf sends the chart of in narrowed by fl as a photo with its caption.
func (f *reports) chartOf(w who, in report.Input, fl report.Filter) error {
	s := report.New(in, fl).Summary()
	var png bytes.Buffer
	if err := chart.Render(&png, s, chart.Options{Lang: string(w.Lang)}); err != nil {
		return fmt.Errorf("draw chart: %w", err)
	}
	caption := w.t("chart.caption", i18n.Date(s.Today), scopeTitle(w, s), i18n.Count(w.Lang, s.Tasks, "task"), i18n.Count(w.Lang, s.Assignments, "assignment"), i18n.Count(w.Lang, len(s.Agencies), "agency"))
	if err := w.out.SendFile(w.Chat, domain.Attachment{Kind: domain.AttachPhoto, Name: "tien-do.png", Data: png.Bytes()}, caption); err != nil {
		w.reply(w.t("chart.failed"))
		return nil
	}
	w.replyKB(w.t("chart.more"), chartButton(w, fl)) // the monthly view: bot/monthly.go
	return nil
}

// maxDocument is the largest file the Bot API lets a bot send (50 MB).
var maxDocument = 50 << 20

// exportOf records w's request for the Excel report of every plan narrowed
// by fl and starts building it. The same request handled again (a replay)
// starts nothing.
func (f *reports) exportOf(ctx context.Context, w who, _ report.Input, fl report.Filter) error {
	j := store.ReportJob{Key: pushKey("export", w.Source, w.Chat), Kind: "export", UserID: w.ID, Chat: w.Chat,
		Lang: string(w.Lang), Agency: fl.AgencyKey, Plan: fl.PlanKey}
	added, err := f.jobs.AddReportJob(ctx, j)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if !added {
		return nil
	}
	w.out.Action(w.Chat, telegram.ActionUploadDocument) // the phone shows "sending a file…" while it is built
	f.start(j.Key)
	return nil
}

// xlsxMIME is the content type of an .xlsx file.
const xlsxMIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportFile builds the Excel report of in narrowed by fl, the history
// sheet streamed from the store: a document with its caption, or, when it
// is over what the Bot API lets a bot send, a text saying how to narrow it.
func (f *reports) exportFile(ctx context.Context, w who, in report.Input, fl report.Filter) (domain.Outgoing, error) {
	history := func(fn func(domain.Update) error) error { return f.history.EachUpdate(ctx, fl.AgencyKey, fn) }
	var err error
	if in.Targets, err = f.targetRows(ctx, w); err != nil {
		return domain.Outgoing{}, err
	}
	var buf bytes.Buffer
	if err := xlsxreport.Write(&buf, in, fl, history, xlsxreport.Options{Lang: string(w.Lang)}); err != nil {
		return domain.Outgoing{}, fmt.Errorf("write xlsx: %w", err)
	}
	if buf.Len() > maxDocument {
		return domain.Outgoing{ChatID: w.Chat, Text: w.t("export.too_big", (buf.Len()+(1<<20)-1)>>20, maxDocument>>20)}, nil
	}
	s := report.New(in, fl).Summary()
	today := s.Today
	return domain.Outgoing{
		ChatID: w.Chat,
		Text:   w.t("export.caption", i18n.Date(today), scopeTitle(w, s), i18n.Count(w.Lang, s.Tasks, "task"), i18n.Count(w.Lang, s.Assignments, "assignment"), i18n.Count(w.Lang, len(s.Agencies), "agency")),
		File: &domain.Attachment{Kind: domain.AttachDocument, MIME: xlsxMIME, Data: buf.Bytes(),
			Name: fmt.Sprintf("bao-cao-tien-do-%04d-%02d-%02d.xlsx", today.Year, int(today.Month), today.Day)},
	}, nil
}

// maxReportAttempts is how many starts a job gets: one that a stop (an
// out-of-memory kill, say) interrupted that often is given up, and the
// leader told.
const maxReportAttempts = 3

// resume remembers ctx for the jobs and takes up those a stop interrupted.
func (f *reports) resume(ctx context.Context) {
	f.jobsCtx = ctx
	pending, err := f.jobs.ReportJobs(ctx)
	if err != nil {
		f.log.Warn("list the reports being built", "err", err)
		return
	}
	for _, j := range pending {
		f.start(j.Key)
	}
}

// wait waits for the jobs started.
func (f *reports) wait() { f.wg.Wait() }

func (f *reports) start(key string) {
	ctx := f.jobsCtx
	if ctx == nil { // handled outside Run (tools, tests)
		ctx = context.Background()
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		f.run(ctx, key)
	}()
}

// run builds the job's report and queues it under this attempt's key, then
// deletes the job. An error other than a stop is told to the leader; after
// a stop the job stays for the next start.
func (f *reports) run(ctx context.Context, key string) {
	f.one.Lock()
	defer f.one.Unlock()
	j, err := f.jobs.StartReportJob(ctx, key)
	if errors.Is(err, store.ErrNotFound) {
		return // finished meanwhile
	}
	if err != nil {
		if ctx.Err() == nil {
			f.log.Error("start a report", "job", key, "err", err)
		}
		return
	}
	// An earlier attempt stopped after it queued the report: it is on its way.
	for n := 1; n < j.Attempt; n++ {
		queued, err := f.jobs.Queued(ctx, j.AttemptKey(n))
		if err != nil {
			f.log.Error("look up a report's earlier attempt", "job", key, "err", err)
			return
		}
		if queued {
			f.finish(ctx, key)
			return
		}
	}
	w := who{ID: j.UserID, Chat: j.Chat, Lang: i18n.For(j.Lang), Source: key}
	var out domain.Outgoing
	if j.Attempt > maxReportAttempts {
		out = domain.Outgoing{ChatID: j.Chat, Text: w.t("export.failed")}
	} else {
		in, err := f.rollupInput(ctx, j.Kind != "report")
		if err == nil && j.Kind == "report" {
			out, err = f.reportFile(ctx, w, in, report.Filter{AgencyKey: j.Agency, PlanKey: j.Plan}, j.Period)
		} else if err == nil {
			out, err = f.exportFile(ctx, w, in, report.Filter{AgencyKey: j.Agency, PlanKey: j.Plan})
		}
		if err != nil {
			if ctx.Err() != nil {
				return // stopped: the next start builds it again
			}
			f.log.Error("build a report", "job", key, "err", err)
			out = domain.Outgoing{ChatID: j.Chat, Text: w.t("export.failed")}
		}
	}
	if _, err := f.outbox.Enqueue(ctx, j.AttemptKey(j.Attempt), out); err != nil {
		if ctx.Err() == nil {
			f.log.Error("queue a report", "job", key, "err", err)
		}
		return
	}
	f.finish(ctx, key)
}

func (f *reports) finish(ctx context.Context, key string) {
	if err := f.jobs.FinishReportJob(ctx, key); err != nil && ctx.Err() == nil {
		f.log.Error("finish a report", "job", key, "err", err)
	}
}
