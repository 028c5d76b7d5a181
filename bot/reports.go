package bot

// /chart and /export: the roll-up as a PNG a leader reads on the phone, and
// as the Excel report in the plans' appendix layout. Both roll up the
// in-memory input (rollcache.go) with report.New, as /summary does.

import (
	"bytes"
	"context"
	"fmt"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/chart"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/xlsxreport"
)

func (b *Bot) cmdChart(ctx context.Context, w who, args string) {
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "chart", err)
		return
	}
	if f, ok := b.scopeOrAsk(ctx, w, in, "chart", args); ok {
		b.chartOf(w, in, f)
	}
}

func (b *Bot) sendChart(ctx context.Context, w who, f report.Filter) {
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "chart", err)
		return
	}
	b.chartOf(w, in, f)
}

// chartOf sends the chart of in narrowed by f as a photo with its caption.
func (b *Bot) chartOf(w who, in report.Input, f report.Filter) {
	s := report.New(in, f).Summary()
	var png bytes.Buffer
	if err := chart.Render(&png, s, chart.Options{Lang: string(w.Lang)}); err != nil {
		b.fail(w, "draw chart", err)
		return
	}
	p := tgbotapi.NewPhoto(w.Chat, tgbotapi.FileBytes{Name: "tien-do.png", Bytes: png.Bytes()})
	p.Caption = w.t("chart.caption", i18n.Date(s.Today), scopeTitle(w, s), s.Tasks, s.Assignments, len(s.Agencies))
	p.ParseMode = tgbotapi.ModeHTML
	if _, err := b.call(p); err != nil {
		b.reply(w.Chat, w.t("chart.failed"))
	}
}

func (b *Bot) cmdExport(ctx context.Context, w who, args string) {
	in, err := b.rollupInput(ctx, true)
	if err != nil {
		b.fail(w, "export", err)
		return
	}
	if f, ok := b.scopeOrAsk(ctx, w, in, "export", args); ok {
		b.exportOf(ctx, w, in, f)
	}
}

func (b *Bot) sendExport(ctx context.Context, w who, f report.Filter) {
	in, err := b.rollupInput(ctx, true)
	if err != nil {
		b.fail(w, "export", err)
		return
	}
	b.exportOf(ctx, w, in, f)
}

// maxDocument is the largest file the Bot API lets a bot send (50 MB).
var maxDocument = 50 << 20

// exportOf sends the Excel report of every plan narrowed by f as a
// document. With an outbox it is built in the background (reportjobs.go),
// so that other people's messages do not wait for it; without one (tools,
// tests) it is built and sent here.
func (b *Bot) exportOf(ctx context.Context, w who, in report.Input, f report.Filter) {
	if jobs, ok := b.reportJobs(); ok {
		b.queueExport(ctx, jobs, w, f)
		return
	}
	out, err := b.exportFile(ctx, w, in, f)
	if err != nil {
		b.fail(w, "export", err)
		return
	}
	if out.File == nil {
		b.reply(w.Chat, out.Text)
		return
	}
	d := tgbotapi.NewDocument(w.Chat, tgbotapi.FileBytes{Name: out.File.Name, Bytes: out.File.Data})
	d.Caption = out.Text
	d.ParseMode = tgbotapi.ModeHTML
	if _, err := b.call(d); err != nil {
		b.reply(w.Chat, w.t("export.failed"))
	}
}

// xlsxMIME is the content type of an .xlsx file.
const xlsxMIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportFile builds the Excel report of in narrowed by f, the history
// sheet streamed from the store: a document with its caption, or, when it
// is over what the Bot API lets a bot send, a text saying how to narrow it.
func (b *Bot) exportFile(ctx context.Context, w who, in report.Input, f report.Filter) (domain.Outgoing, error) {
	history := func(fn func(domain.Update) error) error { return b.History.EachUpdate(ctx, f.AgencyKey, fn) }
	var buf bytes.Buffer
	if err := xlsxreport.Write(&buf, in, f, history, xlsxreport.Options{Lang: string(w.Lang)}); err != nil {
		return domain.Outgoing{}, fmt.Errorf("write xlsx: %w", err)
	}
	if buf.Len() > maxDocument {
		return domain.Outgoing{ChatID: w.Chat, Text: w.t("export.too_big", (buf.Len()+(1<<20)-1)>>20, maxDocument>>20)}, nil
	}
	s := report.New(in, f).Summary()
	today := s.Today
	return domain.Outgoing{
		ChatID: w.Chat,
		Text:   w.t("export.caption", i18n.Date(today), scopeTitle(w, s), s.Tasks, s.Assignments, len(s.Agencies)),
		File: &domain.Attachment{Kind: domain.AttachDocument, MIME: xlsxMIME, Data: buf.Bytes(),
			Name: fmt.Sprintf("bao-cao-tien-do-%04d-%02d-%02d.xlsx", today.Year, int(today.Month), today.Day)},
	}, nil
}
