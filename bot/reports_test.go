package bot

import (
	"bytes"
	"context"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/domain"
	"agencybot/tgserver"
)

// summaryFigures are the numbers a leader reads in /summary.
type summaryFigures struct {
	tasks, work, agencies int
	green, yellow, red    int
	onTime, late, within  int
	overdue, blocked      int
}

var (
	workRE   = regexp.MustCompile(`(\d+) nhiệm vụ — (\d+) phần việc của (\d+) cơ quan`)
	lightsRE = regexp.MustCompile(`🟢 (\d+) · 🟡 (\d+) · 🔴 (\d+)`)
	groupsRE = regexp.MustCompile(`Xong đúng hạn (\d+) · Xong trễ hạn (\d+) · Chưa xong, còn trong hạn (\d+) · Chưa xong, đã quá hạn (\d+)`)
	blockRE  = regexp.MustCompile(`Gặp vướng mắc (\d+)`)
)

func figuresOf(t *testing.T, text string) summaryFigures {
	t.Helper()
	n := func(re *regexp.Regexp) []int {
		m := re.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("summary lacks %s:\n%s", re, text)
		}
		var out []int
		for _, s := range m[1:] {
			v, _ := strconv.Atoi(s)
			out = append(out, v)
		}
		return out
	}
	w, l, g, b := n(workRE), n(lightsRE), n(groupsRE), n(blockRE)
	return summaryFigures{tasks: w[0], work: w[1], agencies: w[2], green: l[0], yellow: l[1], red: l[2],
		onTime: g[0], late: g[1], within: g[2], overdue: g[3], blocked: b[0]}
}

// /summary, /chart and /export give the same figures, and a change an
// officer makes through the bot shows in the next summary at once (the
// roll-up input kept in memory is updated from Apply).
func TestSummaryChartAndExportAgree(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	h.link(english, "lanhdao")

	before := figuresOf(t, lastText(t, h.say(leader, "/summary")))
	if before.tasks != 40 || before.green+before.yellow+before.red != 40 || before.onTime+before.late+before.within+before.overdue != 40 {
		t.Fatalf("seeded summary: %+v", before)
	}

	// The officer reports a block on 25-3 (yellow: due in 7 days) by button.
	card := h.say(officer, "/task 25-3")
	ln := len(h.srv.SentTo(leader.ID))
	h.press(officer, card[len(card)-1].MessageID, buttonWith(t, card[len(card)-1], "Gặp vướng mắc"))
	h.later(blockWait + time.Minute) // no description: the alert goes once its wait is over
	// The leader's alert opens the task in one tap.
	alerts := h.srv.SentTo(leader.ID)[ln:]
	if len(alerts) != 1 {
		t.Fatalf("leader alerts: %v", alerts)
	}
	_, opened := h.press(leader, alerts[0].MessageID, buttonWith(t, alerts[0], "Mở nhiệm vụ 25-3"))
	if s := plain(t, opened[len(opened)-1]); !strings.Contains(s, "25-3") || !strings.Contains(s, "Sở Y tế — Gặp vướng mắc") {
		t.Errorf("task opened from the alert: %q", s)
	}
	sumText := lastText(t, h.say(leader, "/summary"))
	after := figuresOf(t, sumText)
	if after.red != before.red+1 || after.yellow != before.yellow-1 || after.blocked != before.blocked+1 {
		t.Errorf("the block is not counted at once: before %+v, after %+v", before, after)
	}

	// The chart: a PNG a phone shows full width, its caption the same counts.
	sent := h.say(leader, "/chart")
	photo := photoIn(sent) // a line with the monthly view's button follows it
	if photo == nil {
		t.Fatalf("/chart sent no photo: %v", sent)
	}
	work := workRE.FindString(sumText)
	if !strings.Contains(photo.Caption, work) || !strings.Contains(photo.Caption, "24/12/2025") || !strings.Contains(photo.Caption, "Biểu đồ tiến độ") {
		t.Errorf("chart caption %q lacks %q and the date", photo.Caption, work)
	}
	f, ok := h.srv.File(photo.FileID)
	if !ok {
		t.Fatal("the chart file is not stored")
	}
	img, err := png.Decode(bytes.NewReader(f.Content))
	if err != nil {
		t.Fatalf("chart is not a PNG: %v", err)
	}
	if w := img.Bounds().Dx(); w < 1000 {
		t.Errorf("chart is %d px wide; a phone screen needs about 1080", w)
	}

	// The Excel report: its "Tổng hợp" total row has the summary's figures.
	// It is built off the poll loop and arrives through the outbox.
	h.say(leader, "/export")
	docs := waitDocuments(h, leader, 1)
	doc := docs[len(docs)-1]
	if doc.Method != "sendDocument" || !strings.HasSuffix(doc.FileName, ".xlsx") || !strings.Contains(doc.Caption, work) {
		t.Fatalf("/export sent %s %q %q", doc.Method, doc.FileName, doc.Caption)
	}
	df, _ := h.srv.File(doc.FileID)
	x, err := excelize.OpenReader(bytes.NewReader(df.Content))
	if err != nil {
		t.Fatalf("not an xlsx: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	var total []string
	for _, r := range rows {
		if len(r) >= 10 && r[0] == "Tổng cộng" {
			total = r
		}
	}
	if total == nil {
		t.Fatalf("no total row in %v", rows)
	}
	want := []int{after.tasks, after.onTime, after.late, after.within, after.overdue, 0, after.green, after.yellow, after.red}
	for i, w := range want {
		if got, _ := strconv.Atoi(total[i+1]); got != w {
			t.Errorf("xlsx total column %d = %s, /summary %d", i+2, total[i+1], w)
		}
	}
	if hist, err := x.GetRows("Lịch sử cập nhật"); err != nil || !strings.Contains(strings.Join(flatten(hist), "|"), "25-3") {
		t.Errorf("history sheet lacks the block on 25-3: %v", err)
	}

	// In English: the captions and the workbook's sheets.
	sent = h.say(english, "/chart")
	if p := photoIn(sent); p == nil || !strings.Contains(p.Caption, "Progress chart") || !strings.Contains(p.Caption, "assignments for") {
		t.Errorf("English chart: %v", sent)
	}
	h.say(english, "/export 2026")
	edocs := waitDocuments(h, english, 1)
	d := edocs[len(edocs)-1]
	if d.Method != "sendDocument" || !strings.Contains(d.Caption, "Progress report") || !strings.Contains(d.Caption, "Plan 2026") {
		t.Fatalf("English export: %s %q", d.Method, d.Caption)
	}
	df, _ = h.srv.File(d.FileID)
	xe, err := excelize.OpenReader(bytes.NewReader(df.Content))
	if err != nil {
		t.Fatal(err)
	}
	defer xe.Close()
	if idx, _ := xe.GetSheetIndex("Summary"); idx < 0 {
		t.Errorf("English workbook sheets: %v", xe.GetSheetList())
	}

	// A report over what Telegram lets a bot send: the leader is told how to
	// narrow it, in their language, instead of a failed upload.
	defer func(n int) { maxDocument = n }(maxDocument)
	maxDocument = 2000
	// (The report is built off the poll loop: the answer comes through the outbox.)
	h.say(leader, "/export")
	if s := lastText(t, h.waitAlerts(leader, "quá giới hạn", 1)); !strings.Contains(s, "/export 2025") {
		t.Errorf("too big a report: %q", s)
	}
	h.say(english, "/export")
	if s := lastText(t, h.waitAlerts(english, "over the", 1)); !strings.Contains(s, "Please narrow it") {
		t.Errorf("too big a report, English: %q", s)
	}

	// Officers may not.
	if s := lastText(t, h.say(officer, "/chart")); !strings.Contains(s, "dành cho lãnh đạo") {
		t.Errorf("officer /chart: %q", s)
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// Leaders narrow /summary, /overdue, /duesoon, /chart by agency, plan or
// both; a plan named as the bot names it; several matches offer buttons;
// lists carry buttons that open the task.
func TestLeadersNarrowAndOpen(t *testing.T) {
	h := newHarness(t)
	h.link(leader, "lanhdao")
	h.link(english, "lanhdao")

	plan := lastText(t, h.say(leader, "/summary 2026"))
	if s := lastText(t, h.say(leader, "/summary Kế hoạch năm 2026")); figuresOf(t, s) != figuresOf(t, plan) || !strings.Contains(s, "Kế hoạch năm 2026") {
		t.Errorf("/summary Kế hoạch năm 2026 differs from /summary 2026:\n%s\n---\n%s", s, plan)
	}
	both := lastText(t, h.say(leader, "/summary Sở Y tế 2026"))
	agency := lastText(t, h.say(leader, "/summary Sở Y tế"))
	fb, fa, fp := figuresOf(t, both), figuresOf(t, agency), figuresOf(t, plan)
	if !strings.Contains(both, "Sở Y tế · Kế hoạch năm 2026") || fb.tasks == 0 || fb.tasks >= fa.tasks || fb.tasks >= fp.tasks {
		t.Errorf("/summary Sở Y tế 2026 (%d tasks) should be fewer than the agency's (%d) and the plan's (%d):\n%s", fb.tasks, fa.tasks, fp.tasks, both)
	}
	if s := lastText(t, h.say(leader, "/summary 2026 Sở Y tế")); figuresOf(t, s) != fb {
		t.Errorf("plan first gives other figures:\n%s", s)
	}

	// A partial name: buttons, and pressing one runs the summary for it.
	sent := h.say(leader, "/summary sở t")
	choice := sent[len(sent)-1]
	if !strings.Contains(choice.Text, "Có nhiều cơ quan khớp") || len(buttons(choice)) < 2 {
		t.Fatalf("several agencies: %q %v", choice.Text, buttons(choice))
	}
	_, got := h.press(leader, choice.MessageID, buttonWith(t, choice, "Sở Tư pháp"))
	if s := lastText(t, got); !strings.Contains(s, "Tổng hợp tiến độ") || !strings.Contains(s, "Sở Tư pháp") {
		t.Errorf("after choosing Sở Tư pháp: %q", s)
	}
	if s := lastText(t, h.say(leader, "/summary Bộ Quốc phòng xyz")); !strings.Contains(s, "Không tìm thấy cơ quan hoặc kế hoạch") {
		t.Errorf("unknown scope: %q", s)
	}

	// Overdue in March 2026, narrowed, with buttons that open a task.
	h.setNow(time.Date(2026, 3, 10, 8, 0, 0, 0, h.cfg.Location))
	all := h.say(leader, "/overdue")
	one := h.say(leader, "/overdue Sở Y tế")
	if n, m := strings.Count(lastText(t, all), "⏱"), strings.Count(lastText(t, one), "⏱"); m == 0 || m >= n {
		t.Errorf("/overdue Sở Y tế lists %d of %d", m, n)
	}
	list := one[len(one)-1]
	if !strings.Contains(list.Text, "Sở Y tế") {
		t.Errorf("narrowed list does not say its scope: %q", list.Text)
	}
	data := buttonWith(t, list, "🔎")
	code := strings.TrimPrefix(data, VerbTask+"|")
	_, opened := h.press(leader, list.MessageID, data)
	if s := plain(t, opened[len(opened)-1]); !strings.Contains(s, code) || !strings.Contains(s, "Sở Y tế") {
		t.Errorf("opening %s from the list: %q", code, s)
	}
	soon := h.say(leader, "/duesoon 60 2026")
	if s := lastText(t, soon); !strings.Contains(s, "60 ngày") || !strings.Contains(s, "Kế hoạch năm 2026") {
		t.Errorf("/duesoon 60 2026: %q", s)
	}

	// English: a plan as the bot labels it in English.
	if s := lastText(t, h.say(english, "/summary Plan 2026")); !strings.Contains(s, "Progress summary") || !strings.Contains(s, "Plan 2026") ||
		!strings.Contains(s, "assignments for") || !strings.Contains(s, "not done, still within the deadline") {
		t.Errorf("English /summary Plan 2026: %q", s)
	}
	if s := lastText(t, h.say(english, "/overdue nowhere-agency")); !strings.Contains(s, "No agency or plan matches") {
		t.Errorf("English unknown scope: %q", s)
	}
}

// /help and the summary say what the lights mean; the groups read as
// counts of tasks against the deadline; a card says why it is yellow; an
// officer views another agency's task read-only.
func TestLightsExplainedAndReadOnlyTask(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	h.link(english, "Sở Y tế")

	for _, u := range []tgserver.User{officer, leader} {
		help := lastText(t, h.say(u, "/help"))
		for _, want := range []string{"🟢 đúng tiến độ", "🟡 sắp đến hạn, hoặc chưa báo cáo trong kỳ này", "🔴 quá hạn hoặc gặp vướng mắc"} {
			if !strings.Contains(help, want) {
				t.Errorf("%s's /help lacks %q", u.FirstName, want)
			}
		}
	}
	if help := lastText(t, h.say(english, "/help")); !strings.Contains(help, "🟡 due soon, or not reported this period") {
		t.Errorf("English /help: %q", help)
	}
	sum := lastText(t, h.say(leader, "/summary"))
	for _, want := range []string{"phần việc của", "Theo thời hạn:", "Chưa xong, còn trong hạn", "Trạng thái:", "🔴 quá hạn hoặc gặp vướng mắc"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if strings.Contains(sum, "lượt phân công") || strings.Contains(sum, "Đang thực hiện trong hạn") {
		t.Errorf("summary still has jargon:\n%s", sum)
	}

	// Why yellow: 25-3 is due in 7 days; an ongoing task is yellow for want of a report.
	if s := plain(t, h.say(officer, "/task 25-3")[0]); !strings.Contains(s, "Vì sao vàng: sắp đến hạn (còn 7 ngày)") {
		t.Errorf("card of 25-3: %q", s)
	}
	all, err := h.store.AllAssignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ongoing, foreign string
	for _, a := range all {
		if a.AgencyKey == "so-y-te" && a.Due.IsZero() && ongoing == "" {
			ongoing = a.TaskCode
		}
	}
	tasks, _ := h.store.Tasks(ctx, "")
	for _, tk := range tasks {
		if _, err := h.store.Assignment(ctx, domain.AssignmentID(tk.Code, "so-y-te")); err != nil && foreign == "" {
			foreign = tk.Code
		}
	}
	if ongoing == "" || foreign == "" {
		t.Fatalf("seed has no ongoing task of Sở Y tế (%q) or none without it (%q)", ongoing, foreign)
	}
	if s := plain(t, h.say(officer, "/task "+ongoing)[0]); !strings.Contains(s, "Vì sao vàng: chưa báo cáo trong kỳ này (từ 01/12/2025)") {
		t.Errorf("card of ongoing %s: %q", ongoing, s)
	}
	if s := plain(t, h.say(english, "/task "+ongoing)[0]); !strings.Contains(s, "Why yellow: not reported this period") {
		t.Errorf("English card of ongoing %s: %q", ongoing, s)
	}

	// Another agency's task: shown read-only, with no buttons.
	got := h.say(officer, "/task "+foreign)
	if s := plain(t, got[len(got)-1]); !strings.Contains(s, "Chỉ xem") || !strings.Contains(s, foreign) || strings.Contains(s, "không có quyền") {
		t.Errorf("officer viewing %s: %q", foreign, s)
	}
	if len(buttons(got[len(got)-1])) != 0 {
		t.Errorf("read-only view has buttons: %v", buttons(got[len(got)-1]))
	}
	if s := lastText(t, h.say(english, "/task "+foreign)); !strings.Contains(s, "View only") {
		t.Errorf("English read-only: %q", s)
	}
}
