package bot

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agencybot/domain"
	"agencybot/store"
	"agencybot/tgserver"
)

// heldHistory is the store with the update history held back until gate
// is closed: an Excel report that takes as long as a test needs.
type heldHistory struct {
	*store.Store
	gate    chan struct{}
	reading chan struct{} // a report has started reading the history
	end     chan struct{} // closed when the test ends, so that a bot that waits here can stop
}

func (g heldHistory) EachUpdate(ctx context.Context, agencyKey string, fn func(domain.Update) error) error {
	select {
	case g.reading <- struct{}{}:
	default:
	}
	select {
	case <-g.gate:
	case <-g.end:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Store.EachUpdate(ctx, agencyKey, fn)
}

// startHeld restarts the harness's bot with an outbox, its history behind
// gate; stop stops the dispatcher.
func (h *harness) startHeld(gate chan struct{}) (held heldHistory, stop func()) {
	h.t.Helper()
	held = heldHistory{Store: h.store, gate: gate, reading: make(chan struct{}, 1), end: make(chan struct{})}
	h.t.Cleanup(func() { close(held.end) })
	return held, h.startOutbox(nil, func(d *Deps) { d.Data = held })
}

// documents is what the bot sent u as documents.
func documents(h *harness, u tgserver.User) []tgserver.Sent {
	var out []tgserver.Sent
	for _, s := range h.srv.SentTo(u.ID) {
		if s.Method == "sendDocument" {
			out = append(out, s)
		}
	}
	return out
}

// waitDocuments waits until u has n documents.
func waitDocuments(h *harness, u tgserver.User, n int) []tgserver.Sent {
	h.t.Helper()
	if err := h.srv.WaitFor(h.ctx(), func([]tgserver.Sent) bool { return len(documents(h, u)) >= n }); err != nil {
		h.t.Fatalf("%d document(s) for %d: %v (got %d)", n, u.ID, err, len(documents(h, u)))
	}
	return documents(h, u)
}

// TestExportDoesNotHoldUpOthers: while a leader's Excel report is being
// built, the bot goes on answering everybody; the report arrives once,
// through the outbox. A stop while it is built leaves the request, and the
// next start delivers it, once; a request whose report was queued just
// before a stop is not sent again.
func TestExportDoesNotHoldUpOthers(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	ctx := context.Background()

	gate := make(chan struct{})
	held, stop := h.startHeld(gate)
	h.say(leader, "/export")
	<-held.reading
	if s := lastText(t, h.say(officer, "/tasks")); !strings.Contains(s, "Sở Y tế") {
		t.Errorf("an officer's /tasks while a report is built: %q", s)
	}
	uploading := false
	for _, a := range h.srv.ChatActions() {
		uploading = uploading || a.ChatID == leader.ID && a.Action == "upload_document"
	}
	if !uploading {
		t.Errorf("the leader's phone was not told a file is coming: %v", h.srv.ChatActions())
	}
	if n := len(documents(h, leader)); n != 0 {
		t.Fatalf("%d documents before the report was built", n)
	}
	close(gate)
	doc := waitDocuments(h, leader, 1)[0]
	if !strings.HasSuffix(doc.FileName, ".xlsx") || !strings.Contains(doc.Caption, "24/12/2025") {
		t.Errorf("the report: %q %q", doc.FileName, doc.Caption)
	}
	f, _ := h.srv.File(doc.FileID)
	if _, err := excelize.OpenReader(bytes.NewReader(f.Content)); err != nil {
		t.Errorf("the report is not an xlsx: %v", err)
	}
	// In English for a leader whose Telegram is in English.
	h.link(english, "lanhdao")
	h.say(english, "/export")
	if en := waitDocuments(h, english, 1)[0]; !strings.Contains(en.Caption, "Progress report (Excel)") {
		t.Errorf("the English report's caption: %q", en.Caption)
	}
	stop()

	// Stopped while the report of plan 2025 is built: the request stays.
	held, stop = h.startHeld(make(chan struct{}))
	h.say(leader, "/export 2025")
	<-held.reading
	h.stop()
	stop()
	if jobs, err := h.store.ReportJobs(ctx); err != nil || len(jobs) != 1 || jobs[0].Plan == "" {
		t.Fatalf("after a stop mid-report the jobs are %+v (%v), want the plan's", jobs, err)
	}
	// Started again: it is built and sent, once.
	open := make(chan struct{})
	close(open)
	_, stop = h.startHeld(open)
	docs := waitDocuments(h, leader, 2)
	if docs[1].Caption == docs[0].Caption {
		t.Errorf("the resumed report is not the plan's: %q", docs[1].Caption)
	}
	if err := h.srv.WaitFor(h.ctx(), func([]tgserver.Sent) bool {
		jobs, err := h.store.ReportJobs(ctx)
		return err == nil && len(jobs) == 0
	}); err != nil {
		t.Fatalf("the resumed job is not finished: %v", err)
	}
	stop()

	// Stopped after the report was queued, before its request was deleted:
	// the next start finds it queued and sends nothing more.
	j := store.ReportJob{Key: "export|9999|300", Kind: "export", UserID: leader.ID, Chat: leader.ID, Lang: "vi"}
	if _, err := h.store.AddReportJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.StartReportJob(ctx, j.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.Enqueue(ctx, store.OutboxMessage{Key: j.AttemptKey(1), Kind: store.MessageAlert, ChatID: leader.ID,
		Out: &domain.Outgoing{ChatID: leader.ID, Text: "Báo cáo (lần 1)", File: &domain.Attachment{Kind: domain.AttachDocument, Name: "bao-cao.xlsx", Data: f.Content}}}); err != nil {
		t.Fatal(err)
	}
	_, stop = h.startHeld(open)
	defer stop()
	waitDocuments(h, leader, 3)
	if err := h.srv.WaitFor(h.ctx(), func([]tgserver.Sent) bool {
		jobs, err := h.store.ReportJobs(ctx)
		return err == nil && len(jobs) == 0
	}); err != nil {
		t.Fatalf("the job whose report was queued is not finished: %v", err)
	}
	if again, err := h.store.Queued(ctx, j.AttemptKey(2)); err != nil || again {
		t.Errorf("the queued report was built again (%v)", err)
	}
	h.stop()
	if n := len(documents(h, leader)); n != 3 {
		t.Errorf("the leader got %d documents, want 3: a queued report was built and sent again", n)
	}
}
