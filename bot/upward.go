package bot

// /report: the report upward (báo cáo, docxreport) as a .docx draft the
// coordinator edits and signs, for a period ("/report 2026-Q4", 2026-H1,
// 2026, 2026-11; the current quarter by default). Built in the background
// and delivered through the outbox as /export is (reports.go), so it
// survives a restart and arrives once. Also the targets' chart page.

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"agencybot/chart"
	"agencybot/docxreport"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
	"agencybot/store"
	"agencybot/telegram"
)

// docxMIME is the content type of a .docx file.
const docxMIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// reportOf answers /report [period]: records the request and starts
// building it. A period it cannot read is answered with the forms it can.
func (f *reports) reportOf(ctx context.Context, w who, args string) error {
	p := upward.QuarterOf(f.today())
	if a := strings.TrimSpace(args); a != "" {
		var err error
		if p, err = upward.ParsePeriod(a); err != nil {
			w.reply(w.t("rp.bad_period", escape(i18n.Shorten(a, 40))))
			return nil
		}
	}
	j := store.ReportJob{Key: pushKey("report", w.Source, w.Chat), Kind: "report", UserID: w.ID, Chat: w.Chat,
		Lang: string(w.Lang), Period: strings.ToUpper(p.Slug())}
	added, err := f.jobs.AddReportJob(ctx, j)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if !added {
		return nil
	}
	w.reply(w.t("rp.building", p.Label(w.Lang)))
	w.out.Action(w.Chat, telegram.ActionUploadDocument)
	f.start(j.Key)
	return nil
}

// reportPressed is the digest's button: the report of the period it names.
func (f *reports) reportPressed(ctx context.Context, w who, cb domain.Callback) error {
	if _, err := upward.ParsePeriod(cb.Ref); err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	w.answer(w.t("rp.building_short"), false)
	return f.reportOf(ctx, w, cb.Ref)
}

// reportFile builds the report upward of in narrowed by fl for the period
// named: the proof of the completions folded from the history, the targets
// with their values.
func (f *reports) reportFile(ctx context.Context, w who, in report.Input, fl report.Filter, period string) (domain.Outgoing, error) {
	p, err := upward.ParsePeriod(period)
	if err != nil {
		p = upward.QuarterOf(f.today())
	}
	if err := f.history.EachUpdate(ctx, fl.AgencyKey, in.FoldProof()); err != nil {
		return domain.Outgoing{}, fmt.Errorf("read the history: %w", err)
	}
	if in.Targets, err = f.targetRows(ctx, w); err != nil {
		return domain.Outgoing{}, err
	}
	var buf bytes.Buffer
	if err := docxreport.Write(&buf, in, docxreport.Options{Lang: string(w.Lang), Issuer: f.cfg.ReportIssuer, Filter: fl, Period: p}); err != nil {
		return domain.Outgoing{}, fmt.Errorf("write docx: %w", err)
	}
	if buf.Len() > maxDocument {
		return domain.Outgoing{ChatID: w.Chat, Text: w.t("export.too_big", (buf.Len()+(1<<20)-1)>>20, maxDocument>>20)}, nil
	}
	s := report.New(in, fl).Summary()
	return domain.Outgoing{
		ChatID: w.Chat,
		Text:   w.t("rp.caption", p.Label(w.Lang), i18n.Date(s.Today), s.Tasks, len(in.Targets)),
		File: &domain.Attachment{Kind: domain.AttachDocument, MIME: docxMIME, Data: buf.Bytes(),
			Name: upward.FileName(in, fl, p, ".docx")},
	}, nil
}

// targetRows are the targets' rows of the report and its Excel
// (report.Input.Targets) in w's language.
func (f *reports) targetRows(ctx context.Context, w who) ([]report.Target, error) {
	if f.targets == nil {
		return nil, nil
	}
	recs, err := f.targets.TargetRecords(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the targets: %w", err)
	}
	return docxreport.TargetsOf(docxRecords(recs), w.Lang, f.today()), nil
}

func docxRecords(recs []store.TargetRecord) []docxreport.TargetRecord {
	out := make([]docxreport.TargetRecord, len(recs))
	for i, r := range recs {
		out[i] = docxreport.TargetRecord{Target: r.Target, History: r.History}
	}
	return out
}

// targetsChart sends the targets' chart page: each target's values
// against the plan's path (chart.RenderTargets), with the lights /targets
// shows.
func (f *reports) targetsChart(ctx context.Context, w who) error {
	recs, err := f.targets.TargetRecords(ctx)
	if err != nil {
		return fmt.Errorf("targets chart: %w", err)
	}
	in := make([]chart.TargetInput, len(recs))
	for i, r := range recs {
		in[i] = chart.TargetInput{Target: r.Target, History: r.History}
	}
	today := f.today()
	var png bytes.Buffer
	if err := chart.RenderTargets(&png, chart.TargetFiguresOf(in, today), string(w.Lang)); err != nil {
		return fmt.Errorf("draw targets chart: %w", err)
	}
	caption := w.t("ct.chart_caption", i18n.Date(today), len(recs))
	if err := w.out.SendFile(w.Chat, domain.Attachment{Kind: domain.AttachPhoto, Name: "chi-tieu.png", Data: png.Bytes()}, caption); err != nil {
		w.reply(w.t("chart.failed"))
	}
	return nil
}
