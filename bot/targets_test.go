package bot

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"agencybot/deadline"
	"agencybot/docxreport/docxtest"
	"agencybot/domain"
	"agencybot/tgserver"
)

// lastWith is the last message in sent whose text contains part.
func lastWith(t *testing.T, sent []tgserver.Sent, part string) tgserver.Sent {
	t.Helper()
	for i := len(sent) - 1; i >= 0; i-- {
		if strings.Contains(sent[i].Text, part) {
			return sent[i]
		}
	}
	var texts []string
	for _, s := range sent {
		texts = append(texts, s.Text)
	}
	t.Fatalf("no message with %q in %q", part, texts)
	return tgserver.Sent{}
}

// reportTarget reports a value of a target of the officer's agency from
// its card: the button, the year, then the typed value, source and date.
func (h *harness) reportTarget(u tgserver.User, card tgserver.Sent, year, value, source, date string) []tgserver.Sent {
	h.t.Helper()
	t := h.t.(*testing.T)
	_, sent := h.press(u, card.MessageID, buttonWith(t, card, "Báo cáo số liệu"))
	years := lastWith(t, sent, "của năm nào")
	h.press(u, years.MessageID, buttonWith(t, years, year))
	h.say(u, value)
	h.say(u, source)
	return h.say(u, date)
}

// targetCard opens /target q and returns the card.
func (h *harness) targetCard(u tgserver.User, q string) tgserver.Sent {
	h.t.Helper()
	return lastWith(h.t.(*testing.T), h.say(u, "/target "+q), "(26-CT")
}

// TestTargetsReportedFromTheCard: the officer of the agency responsible
// reaches its targets from /tasks, reports a value step by step (a value
// not a number, a date to come are refused politely and the question
// waits; a restart in the middle loses nothing), and the leader's /targets
// at a pinned 24/12/2026 shows the two values against this year's numbers
// with their lights; in English too. The card keeps the history.
func TestTargetsReportedFromTheCard(t *testing.T) {
	h := newHarness(t)
	h.setNow(time.Date(2026, 12, 24, 8, 0, 0, 0, h.cfg.Location))
	h.link(officer, "Sở Khoa học và Công nghệ")
	h.link(leader, "lanhdao")
	h.link(english, "lanhdao")

	list := h.say(officer, "/tasks")
	mine := buttonWith(t, list[len(list)-1], "Chỉ tiêu của cơ quan (5)")
	_, sent := h.press(officer, list[len(list)-1].MessageID, mine)
	overview := lastWith(t, sent, "5 chỉ tiêu")
	_, sent = h.press(officer, overview.MessageID, buttonWith(t, overview, "📊 5"))
	card := lastWith(t, sent, "Chỉ tiêu 5")
	if p := plain(t, card); !strings.Contains(p, "Nguồn nhân lực nghiên cứu") || !strings.Contains(p, "Các mốc: 2026: 9,5 người/1 vạn dân") ||
		!strings.Contains(p, "Chưa có số liệu nào được báo cáo") || !strings.Contains(p, "Cơ quan chủ trì: Sở Khoa học và Công nghệ") {
		t.Errorf("the card before any value:\n%s", p)
	}

	_, sent = h.press(officer, card.MessageID, buttonWith(t, card, "Báo cáo số liệu"))
	years := lastWith(t, sent, "của năm nào")
	if b := buttons(years); len(b) != 1 || b["2026"] == "" {
		t.Errorf("years offered for a target tracked from 2026: %v", b)
	}
	h.press(officer, years.MessageID, buttons(years)["2026"])
	if s := lastText(t, h.say(officer, "khoảng chín")); !strings.Contains(s, "Chưa đọc được số liệu") {
		t.Errorf("a value that is no number: %q", s)
	}
	if s := lastText(t, h.say(officer, "9,6")); !strings.Contains(s, "Nguồn số liệu?") {
		t.Errorf("after the value: %q", s)
	}
	h.stop() // a restart between two answers
	h.start()
	if s := lastText(t, h.say(officer, "Cục Thống kê, số liệu 2026")); !strings.Contains(s, "Ngày của số liệu") {
		t.Errorf("after the source, across a restart: %q", s)
	}
	if s := lastText(t, h.say(officer, "31/12/2026")); !strings.Contains(s, "không được sau hôm nay (24/12/2026)") {
		t.Errorf("a date to come: %q", s)
	}
	sent = h.say(officer, "20/12/2026")
	if s := lastWith(t, sent, "Đã ghi").Text; !strings.Contains(s, "năm 2026: <b>9,6</b> (nguồn: Cục Thống kê, số liệu 2026)") {
		t.Errorf("recorded: %q", s)
	}
	if p := plain(t, lastWith(t, sent, "Chỉ tiêu 5")); !strings.Contains(p, "Đúng lộ trình") ||
		!strings.Contains(p, "năm 2026: 9,6; nguồn: Cục Thống kê, số liệu 2026, ngày 20/12/2026 (Nguyễn An)") {
		t.Errorf("the card after the value:\n%s", p)
	}
	// Typing afterwards answers no question any more.
	if s := lastText(t, h.say(officer, "21/12/2026")); strings.Contains(s, "Đã ghi") {
		t.Errorf("a second date recorded a second value: %q", s)
	}

	// The second value: innovation, 35% in 2026 (the plan asks more than 40% by 2030).
	h.reportTarget(officer, h.targetCard(officer, "1"), "2026", "35", "Khảo sát doanh nghiệp 2026", "22/12/2026")

	got := lastWith(t, h.say(leader, "/targets"), "Chỉ tiêu")
	text := plain(t, got)
	t.Log("/targets as a leader sees it:\n" + text)
	for _, want := range []string{
		"5 chỉ tiêu: 🟢 1 đúng lộ trình · 🔴 1 chậm · ⚪ 3 chưa có số liệu năm nay",
		"🔴 1. Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo (%)\n    năm 2026: 35 · mốc kế tiếp: 40 · mục tiêu năm 2030: trên 40%",
		"🟢 5. Nguồn nhân lực nghiên cứu",
		"năm 2026: 9,6 · mốc năm 2026: 9,5 người/1 vạn dân · mục tiêu năm 2030: 12 người trên một vạn dân",
		"⚪ 4. Chỉ số chuyển đổi số cấp tỉnh (chỉ số)\n    chưa có số liệu năm 2026 · mốc kế tiếp: 0,75 · mục tiêu năm 2030: ≥ 0,75",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the leader's /targets lacks %q:\n%s", want, text)
		}
	}
	// A leader sees the card but may not report.
	_, sent = h.press(leader, got.MessageID, buttonWith(t, got, "📊 5"))
	lc := lastWith(t, sent, "Chỉ tiêu 5")
	if _, ok := buttons(lc)["✍️ Báo cáo số liệu"]; ok {
		t.Error("a leader's card offers to report")
	}
	ans, _ := h.press(leader, lc.MessageID, domain.Callback{Verb: domain.VerbTarget, Ref: "26-CT5", Arg: "y2026"}.Encode())
	if !ans.ShowAlert || !strings.Contains(ans.Text, "Chỉ cán bộ đầu mối") || strings.Contains(ans.Text, "<") {
		t.Errorf("a leader's forged report button: %+v", ans)
	}

	en := plain(t, lastWith(t, h.say(english, "/targets"), "Targets"))
	t.Log("/targets in English:\n" + en)
	for _, want := range []string{"5 targets: 🟢 1 on track · 🔴 1 behind · ⚪ 3 no figure this year", "2026: 9.6 · milestone for 2026: 9,5 người/1 vạn dân"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English /targets lacks %q:\n%s", want, en)
		}
	}
	if p := plain(t, h.targetCard(english, "nhân lực")); !strings.Contains(p, "History of figures") || !strings.Contains(p, "2026: 9.6; source: Cục Thống kê, số liệu 2026, dated 20/12/2026") {
		t.Errorf("the English card:\n%s", p)
	}
	if s := lastText(t, h.say(leader, "/target không có")); !strings.Contains(s, "Không tìm thấy chỉ tiêu") {
		t.Errorf("/target of nothing: %q", s)
	}
}

// TestTargetValueCorrected: the officer withdraws their latest value after
// seeing what it is, once (a second press changes nothing), the history
// keeps both entries, the light goes back to "no data", and the card offers
// to report the right value.
func TestTargetValueCorrected(t *testing.T) {
	h := newHarness(t)
	h.setNow(time.Date(2026, 12, 24, 8, 0, 0, 0, h.cfg.Location))
	h.link(officer, "Sở Khoa học và Công nghệ")
	h.link(other, "Sở Khoa học và Công nghệ")
	h.reportTarget(officer, h.targetCard(officer, "5"), "2026", "9,1", "Cục Thống kê", "20/12/2026")

	// A colleague may not withdraw it.
	card := h.targetCard(other, "5")
	if _, ok := buttons(card)["↩️ Sửa số liệu vừa báo cáo"]; ok {
		t.Error("a colleague is offered to correct someone else's value")
	}
	ans, _ := h.press(other, card.MessageID, domain.Callback{Verb: domain.VerbTarget, Ref: "26-CT5", Arg: "c"}.Encode())
	if !ans.ShowAlert || !strings.Contains(ans.Text, "Nguyễn An") {
		t.Errorf("a colleague's correction: %+v", ans)
	}

	card = h.targetCard(officer, "5")
	if !strings.Contains(plain(t, card), "Chậm so với lộ trình") {
		t.Errorf("9,1 against 9,5 is not behind:\n%s", plain(t, card))
	}
	_, sent := h.press(officer, card.MessageID, buttonWith(t, card, "Sửa số liệu"))
	confirm := lastWith(t, sent, "Rút lại số liệu")
	if !strings.Contains(plain(t, confirm), "năm 2026: 9,1") {
		t.Errorf("the confirmation does not say what is withdrawn: %q", confirm.Text)
	}
	yes := buttonWith(t, confirm, "Hoàn tác")
	_, sent = h.press(officer, confirm.MessageID, yes)
	if s := lastText(t, sent); !strings.Contains(s, "Đã rút lại số liệu năm 2026: 9,1") {
		t.Errorf("after the correction: %q", s)
	}
	if again, _ := h.press(officer, confirm.MessageID, yes); !strings.Contains(again.Text, "đã") {
		t.Errorf("the second press: %+v", again)
	}
	hist, err := h.store.TargetHistory(context.Background(), "26-CT5", 0)
	if err != nil || len(hist) != 2 || hist[0].Kind != domain.CorrectionValue || !hist[1].Corrected {
		t.Fatalf("history after one correction (and a second press): %+v, %v", hist, err)
	}
	p := plain(t, h.targetCard(officer, "5"))
	if !strings.Contains(p, "Chưa có số liệu năm nay") || !strings.Contains(p, "Nguyễn An rút lại số liệu năm 2026") || !strings.Contains(p, "9,1") {
		t.Errorf("the card after the correction:\n%s", p)
	}
	t.Log("card after a correction:\n" + p)

	// The right value, from the button under the correction, dated today by its button.
	corrected := lastWith(t, h.srv.SentTo(officer.ID), "Đã rút lại số liệu năm 2026")
	_, sent = h.press(officer, corrected.MessageID, buttonWith(t, corrected, "Báo cáo số liệu"))
	years := lastWith(t, sent, "của năm nào")
	h.press(officer, years.MessageID, buttons(years)["2026"])
	h.say(officer, "9,5")
	ask := lastWith(t, h.say(officer, "Cục Thống kê, số liệu chính thức"), "Ngày của số liệu")
	_, sent = h.press(officer, ask.MessageID, buttonWith(t, ask, "Hôm nay, 24/12/2026"))
	if s := lastWith(t, sent, "Đã ghi").Text; !strings.Contains(s, "<b>9,5</b>") {
		t.Errorf("the value entered again: %q", s)
	}
	if hist, _ := h.store.TargetHistory(context.Background(), "26-CT5", 0); len(hist) != 3 || hist[0].Date != (deadline.Date{Year: 2026, Month: 12, Day: 24}) {
		t.Errorf("history after the right value: %+v", hist)
	}
	if p := plain(t, h.targetCard(officer, "5")); !strings.Contains(p, "Đúng lộ trình") {
		t.Errorf("9,5 meets the milestone 9,5:\n%s", p)
	}
}

// TestChartTargetsPage: "/chart chỉ tiêu" and the button under /targets
// send the targets' page as a PNG.
func TestChartTargetsPage(t *testing.T) {
	h := newHarness(t)
	h.setNow(time.Date(2026, 12, 24, 8, 0, 0, 0, h.cfg.Location))
	h.link(officer, "Sở Khoa học và Công nghệ")
	h.link(leader, "lanhdao")
	h.reportTarget(officer, h.targetCard(officer, "5"), "2026", "9,6", "Cục Thống kê, số liệu 2026", "20/12/2026")
	sent := h.say(leader, "/chart chỉ tiêu")
	photo := sent[len(sent)-1]
	if photo.Method != "sendPhoto" || !strings.Contains(photo.Caption, "Chỉ tiêu: thực hiện so với lộ trình") || !strings.Contains(photo.Caption, "24/12/2026, 5 chỉ tiêu") {
		t.Fatalf("/chart chỉ tiêu sent %s %q", photo.Method, photo.Caption)
	}
	f, _ := h.srv.File(photo.FileID)
	img, err := png.Decode(bytes.NewReader(f.Content))
	if err != nil || img.Bounds().Dx() < 600 {
		t.Fatalf("the page is not a PNG of a phone's width: %v", err)
	}
	if d := os.Getenv("AGENCYBOT_CHART_OUT"); d != "" { // to look at it
		_ = os.WriteFile(filepath.Join(d, "targets.png"), f.Content, 0o600)
	}
	list := lastWith(t, h.say(leader, "/targets"), "Chỉ tiêu")
	_, sent = h.press(leader, list.MessageID, buttonWith(t, list, "Biểu đồ chỉ tiêu"))
	if sent[len(sent)-1].Method != "sendPhoto" {
		t.Errorf("the chart button sent %s", sent[len(sent)-1].Method)
	}
}

// TestReportUpwardFromTheChat: /report with a period is built in the
// background and arrives once through the outbox as a .docx named by its
// period, with the targets' section carrying the value reported; a period
// it cannot read is answered politely and queues nothing; in English for
// an English leader (the national heading stays Vietnamese); a request a
// stop interrupted is delivered after the restart.
func TestReportUpwardFromTheChat(t *testing.T) {
	h := newHarness(t)
	h.setNow(time.Date(2026, 12, 24, 8, 0, 0, 0, h.cfg.Location))
	h.link(officer, "Sở Khoa học và Công nghệ")
	h.link(leader, "lanhdao")
	h.link(english, "lanhdao")
	h.reportTarget(officer, h.targetCard(officer, "5"), "2026", "9,6", "Cục Thống kê, số liệu 2026", "20/12/2026")
	ctx := context.Background()

	if s := lastText(t, h.say(leader, "/report quý 4")); !strings.Contains(s, "Không đọc được kỳ báo cáo «quý 4»") {
		t.Errorf("a period it cannot read: %q", s)
	}
	if s := lastText(t, h.say(officer, "/report")); !strings.Contains(s, "lãnh đạo") {
		t.Errorf("an officer's /report: %q", s)
	}
	if s := lastText(t, h.say(leader, "/report 2026-Q4")); !strings.Contains(s, "Đang soạn báo cáo quý IV năm 2026") {
		t.Errorf("the answer to /report: %q", s)
	}
	doc := waitDocuments(h, leader, 1)[0]
	t.Logf("/report 2026-Q4 → %s\n%s", doc.FileName, doc.Caption)
	if doc.FileName != "bao-cao-2026-q4.docx" || !strings.Contains(doc.Caption, "Dự thảo báo cáo") || !strings.Contains(doc.Caption, "quý IV năm 2026 (số liệu ngày 24/12/2026)") {
		t.Errorf("the report: %q %q", doc.FileName, doc.Caption)
	}
	f, _ := h.srv.File(doc.FileID)
	d, err := docxtest.Read(f.Content)
	if err != nil {
		t.Fatalf("the report does not open: %v", err)
	}
	text := d.Text()
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "quý IV năm 2026", "3. Kết quả thực hiện các chỉ tiêu"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	rows := d.TableWith("Chỉ tiêu")
	found := false
	for _, r := range rows {
		found = found || strings.HasPrefix(r[0], "Nguồn nhân lực") && strings.Contains(strings.Join(r, "|"), "9,6 (2026) — Đúng lộ trình")
	}
	if !found {
		t.Errorf("the targets' table does not carry the value reported: %v", rows)
	}
	if jobs, err := h.store.ReportJobs(ctx); err != nil || len(jobs) != 0 {
		t.Errorf("jobs left after delivery: %+v %v", jobs, err)
	}

	h.say(english, "/report 2026")
	en := waitDocuments(h, english, 1)[0]
	fe, _ := h.srv.File(en.FileID)
	de, err := docxtest.Read(fe.Content)
	if err != nil || en.FileName != "bao-cao-2026.docx" || !strings.Contains(en.Caption, "Draft report") {
		t.Fatalf("the English report: %q %q %v", en.FileName, en.Caption, err)
	}
	if et := de.Text(); !strings.Contains(et, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") || !strings.Contains(et, "REPORT") || !strings.Contains(et, "3. Targets") {
		t.Errorf("the English report's heading or targets section is missing")
	}

	// Stopped before it is built: the request stays, the restart delivers it once.
	gate := make(chan struct{})
	held, stop := h.startHeld(gate)
	h.say(leader, "/report 2026-11")
	<-held.reading
	h.stop()
	stop()
	if jobs, err := h.store.ReportJobs(ctx); err != nil || len(jobs) != 1 || jobs[0].Kind != "report" || jobs[0].Period != "2026-11" {
		t.Fatalf("after a stop mid-report the jobs are %+v (%v)", jobs, err)
	}
	h.start()
	docs := waitDocuments(h, leader, 2)
	if docs[1].FileName != "bao-cao-2026-11.docx" {
		t.Errorf("after the restart: %q", docs[1].FileName)
	}
	h.stop()
	h.start()
	h.say(leader, "/whoami")
	if n := len(documents(h, leader)); n != 2 {
		t.Errorf("%d reports after another restart, want 2", n)
	}
}

// TestDigestReportButton: the digest's button asks for the quarter's
// report, which arrives as the command's does; an officer pressing it is
// refused, a forged period is a stale button.
func TestDigestReportButton(t *testing.T) {
	h := newHarness(t)
	h.setNow(time.Date(2026, 12, 28, 8, 0, 0, 0, h.cfg.Location))
	h.link(leader, "lanhdao")
	h.link(officer, "Sở Y tế")
	msg := h.say(leader, "/whoami")
	ans, _ := h.press(leader, msg[len(msg)-1].MessageID, domain.Callback{Verb: domain.VerbReport, Ref: "2026-Q4"}.Encode())
	if ans.ShowAlert || !strings.Contains(ans.Text, "Đang soạn báo cáo") {
		t.Errorf("the press: %+v", ans)
	}
	if doc := waitDocuments(h, leader, 1)[0]; doc.FileName != "bao-cao-2026-q4.docx" {
		t.Errorf("the report of the button: %q", doc.FileName)
	}
	if ans, _ := h.press(leader, msg[len(msg)-1].MessageID, domain.Callback{Verb: domain.VerbReport, Ref: "quý 9"}.Encode()); !ans.ShowAlert {
		t.Errorf("a forged period: %+v", ans)
	}
	om := h.say(officer, "/whoami")
	if ans, _ := h.press(officer, om[len(om)-1].MessageID, domain.Callback{Verb: domain.VerbReport, Ref: "2026-Q4"}.Encode()); !ans.ShowAlert {
		t.Errorf("an officer's press: %+v", ans)
	}
	if n := len(documents(h, officer)); n != 0 {
		t.Errorf("an officer got %d reports", n)
	}
}

// TestTargetAnswersReplayed: each typed step of a value handled twice (a
// process killed before it marked the update handled) moves the question
// on once, and the value is recorded once; the replays send nothing.
func TestTargetAnswersReplayed(t *testing.T) {
	h := newHarness(t)
	h.setNow(time.Date(2026, 12, 24, 8, 0, 0, 0, h.cfg.Location))
	h.link(officer, "Sở Khoa học và Công nghệ")
	card := h.targetCard(officer, "5")
	_, sent := h.press(officer, card.MessageID, buttonWith(t, card, "Báo cáo số liệu"))
	years := lastWith(t, sent, "của năm nào")
	h.press(officer, years.MessageID, buttons(years)["2026"])
	h.say(officer, "9,6")
	h.stop()

	ctx := context.Background()
	b, _ := h.wireWith(h.store, nil, func(d *Deps) { d.Data = unmarked{h.store} })
	for i, text := range []string{"Cục Thống kê, số liệu 2026", "20/12/2026"} {
		up := typedAt(9001+i, text)
		b.Runtime.HandleUpdate(ctx, up)
		n := len(h.srv.SentTo(officer.ID))
		b.Runtime.HandleUpdate(ctx, up)
		if got := h.srv.SentTo(officer.ID)[n:]; len(got) != 0 {
			t.Errorf("the replay of %q sent %q", text, lastText(t, got))
		}
	}
	hist, err := h.store.TargetHistory(ctx, "26-CT5", 0)
	if err != nil || len(hist) != 1 || hist[0].Value != 9.6 || hist[0].DataSource != "Cục Thống kê, số liệu 2026" || hist[0].Date != (deadline.Date{Year: 2026, Month: 12, Day: 20}) {
		t.Fatalf("history after the replays: %+v %v", hist, err)
	}
}
