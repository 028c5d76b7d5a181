package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/store"
	"agencybot/tgserver"
)

// lastWith is the last message the bot sent u whose text contains part.
func (h *harness) lastWith(u tgserver.User, part string) tgserver.Sent {
	h.t.Helper()
	sent := h.srv.SentTo(u.ID)
	for i := len(sent) - 1; i >= 0; i-- {
		if strings.Contains(plain(h.t, sent[i]), part) {
			return sent[i]
		}
	}
	h.t.Fatalf("nothing sent to %s contains %q", u.FirstName, part)
	return tgserver.Sent{}
}

// countWith counts the messages sent to u whose text contains part.
func (h *harness) countWith(u tgserver.User, part string) int {
	n := 0
	for _, s := range h.srv.SentTo(u.ID) {
		if strings.Contains(plain(h.t, s), part) {
			n++
		}
	}
	return n
}

// extTranscript logs what a person saw, as they saw it.
func extTranscript(t *testing.T, who string, sent ...tgserver.Sent) {
	t.Helper()
	for _, s := range sent {
		line := plain(t, s)
		var labels []string
		for text := range buttons(s) {
			labels = append(labels, "["+text+"]")
		}
		if len(labels) > 0 {
			line += "\n  " + strings.Join(sortedStrings(labels), " ")
		}
		t.Logf("→ %s:\n%s", who, line)
	}
}

func sortedStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

// cardOf is the card of code the bot shows u on /task.
func (h *harness) cardOf(u tgserver.User, code string) tgserver.Sent {
	h.t.Helper()
	for _, s := range h.say(u, "/task "+code) {
		if len(buttons(s)) > 0 {
			return s
		}
	}
	h.t.Fatalf("no card of %s for %s", code, u.FirstName)
	return tgserver.Sent{}
}

// askExtension presses "Xin gia hạn" on the officer's card of code and
// types the date and the reason; it returns what the bot answered last.
func (h *harness) askExtension(u tgserver.User, code, date, reason string) []tgserver.Sent {
	h.t.Helper()
	c := h.cardOf(u, code)
	ans, sent := h.press(u, c.MessageID, buttonWith(h.t, c, "Xin gia hạn"))
	if ans.Text != "" {
		return []tgserver.Sent{{Text: ans.Text}}
	}
	out := append([]tgserver.Sent{c}, sent...)
	out = append(out, h.say(u, date)...)
	return append(out, h.say(u, reason)...)
}

func partOf(t *testing.T, h *harness, id string) domain.Assignment {
	t.Helper()
	a, err := h.store.Assignment(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustDate(t *testing.T, iso string) deadline.Date {
	t.Helper()
	d, err := deadline.ParseDate(iso)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// An extension asked, approved with another date; a second one refused; a
// third approved, after which the limit (2) refuses a fourth; a decision
// pressed again is told as taken. Then what the leader's /summary and
// /overdue say. The test's log is the transcript of the note.
func TestExtensionAskedApprovedRefusedAndLimited(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Khoa học và Công nghệ")
	h.link(leader, "lanhdao")
	id := domain.AssignmentID("25-10", "so-khcn") // "Trong tháng 12/2025": 31/12/2025, Sở KH&CN leads alone

	// The card offers it; the date is asked, then the reason.
	c := h.cardOf(officer, "25-10")
	_, sent := h.press(officer, c.MessageID, buttonWith(t, c, "Xin gia hạn"))
	extTranscript(t, "cán bộ (thẻ)", c)
	extTranscript(t, "cán bộ", sent...)
	if !strings.Contains(lastText(t, sent), "31/12/2025") {
		t.Fatalf("the date prompt: %q", lastText(t, sent))
	}
	if got := h.say(officer, "khi nào xong"); !strings.Contains(plain(t, got[len(got)-1]), "Không đọc được ngày") {
		t.Errorf("an unreadable date: %q", lastText(t, got))
	}
	if got := h.say(officer, "15/12/2025"); !strings.Contains(plain(t, got[len(got)-1]), "phải sau thời hạn hiện tại (31/12/2025)") {
		t.Errorf("an earlier date: %q", lastText(t, got))
	}
	got := h.say(officer, "Quý I/2026")
	extTranscript(t, "cán bộ", got...)
	if !strings.Contains(plain(t, got[len(got)-1]), "Lý do xin gia hạn đến 31/03/2026") {
		t.Fatalf("the reason prompt: %q", lastText(t, got))
	}
	got = h.say(officer, "Chờ ý kiến góp ý của các sở, ngành")
	extTranscript(t, "cán bộ", got...)
	if !strings.Contains(plain(t, got[len(got)-1]), "Đã gửi đề nghị gia hạn nhiệm vụ 25-10 đến 31/03/2026") {
		t.Fatalf("the request sent: %q", lastText(t, got))
	}

	// The coordinator gets it through the outbox, and approves another date.
	req := h.lastWith(admin, "Đề nghị gia hạn")
	extTranscript(t, "Sở KH&CN", req)
	for _, want := range []string{"25-10", "Sở Khoa học và Công nghệ", "Nguyễn An", "Thời hạn hiện tại: 31/12/2025", "Đề nghị: 31/03/2026", "Chờ ý kiến góp ý", "Đã gia hạn: 0/2"} {
		if !strings.Contains(plain(t, req), want) {
			t.Errorf("the request lacks %q:\n%s", want, plain(t, req))
		}
	}
	if h.countWith(leader, "Đề nghị gia hạn") != 0 {
		t.Error("a leader got the request; the coordinators decide by default")
	}
	_, sent = h.press(admin, req.MessageID, buttonWith(t, req, "Đồng ý ngày khác"))
	extTranscript(t, "Sở KH&CN", sent...)
	got = h.say(admin, "28/02/2026")
	extTranscript(t, "Sở KH&CN", got...)
	if !strings.Contains(plain(t, got[len(got)-1]), "31/12/2025 → 28/02/2026") {
		t.Fatalf("approved with another date: %q", lastText(t, got))
	}
	told := h.lastWith(officer, "đã được Quản Trị đồng ý")
	extTranscript(t, "cán bộ", told)
	if !strings.Contains(plain(t, told), "thời hạn mới 28/02/2026 (trước đây 31/12/2025)") {
		t.Errorf("the officer was told %q", plain(t, told))
	}
	if a := partOf(t, h, id); a.Due != mustDate(t, "2026-02-28") || a.DueOriginal != mustDate(t, "2025-12-31") || a.Extensions != 1 {
		t.Errorf("the part: due %s, original %s, extensions %d", a.Due, a.DueOriginal, a.Extensions)
	}
	if task, _ := h.store.Task(h.ctx(), "25-10"); task.Due() != mustDate(t, "2025-12-31") {
		t.Errorf("the plan's date moved: %s", task.Due())
	}
	if text := plain(t, h.cardOf(officer, "25-10")); !strings.Contains(text, "28/02/2026 (đã gia hạn 1 lần; theo kế hoạch: 31/12/2025)") {
		t.Errorf("the card after the extension:\n%s", text)
	}

	// Pressed again: already decided.
	if ans, _ := h.press(admin, req.MessageID, buttonWith(t, req, "Đồng ý")); !strings.Contains(ans.Text, "đã được Quản Trị quyết định (đồng ý)") || strings.Contains(ans.Text, "<") {
		t.Errorf("a second press answered %q", ans.Text)
	}

	// A second request, refused with a reason.
	got = h.askExtension(officer, "25-10", "30/04/2026", "Thiếu kinh phí")
	extTranscript(t, "cán bộ", got[1:]...)
	req2 := h.lastWith(admin, "Đề nghị: 30/04/2026")
	extTranscript(t, "Sở KH&CN", req2)
	if !strings.Contains(plain(t, req2), "Thời hạn hiện tại: 28/02/2026") || !strings.Contains(plain(t, req2), "Đã gia hạn: 1/2") {
		t.Errorf("the second request:\n%s", plain(t, req2))
	}
	_, sent = h.press(admin, req2.MessageID, buttonWith(t, req2, "Từ chối"))
	extTranscript(t, "Sở KH&CN", sent...)
	got = h.say(admin, "Đã gia hạn một lần, đề nghị hoàn thành đúng hạn mới")
	extTranscript(t, "Sở KH&CN", got...)
	refused := h.lastWith(officer, "đã bị Quản Trị từ chối")
	extTranscript(t, "cán bộ", refused)
	if !strings.Contains(plain(t, refused), "Lý do: Đã gia hạn một lần") || !strings.Contains(plain(t, refused), "Thời hạn vẫn là 28/02/2026") {
		t.Errorf("the refusal told: %q", plain(t, refused))
	}
	if a := partOf(t, h, id); a.Due != mustDate(t, "2026-02-28") || a.Extensions != 1 {
		t.Errorf("after the refusal: due %s, extensions %d", a.Due, a.Extensions)
	}

	// A third, approved as asked; then the limit.
	h.askExtension(officer, "25-10", "31/03/2026", "Chờ Ủy ban phê duyệt")
	req3 := h.lastWith(admin, "Đề nghị: 31/03/2026")
	h.press(admin, req3.MessageID, buttonWith(t, req3, "✅ Đồng ý"))
	if a := partOf(t, h, id); a.Due != mustDate(t, "2026-03-31") || a.Extensions != 2 {
		t.Errorf("after the third: due %s, extensions %d", a.Due, a.Extensions)
	}
	got = h.askExtension(officer, "25-10", "", "")
	if !strings.Contains(got[0].Text, "đã được gia hạn 2 lần, là số lần tối đa") || strings.Contains(got[0].Text, "<") {
		t.Errorf("past the limit: %q", got[0].Text)
	}

	// /task shows the history: who asked, who decided, when, the dates.
	hist := plain(t, h.say(admin, "/task 25-10")[0])
	for _, want := range []string{"Gia hạn", "Nguyễn An (Sở Khoa học và Công nghệ) xin gia hạn 31/12/2025 → 31/03/2026: Chờ ý kiến", "Quản Trị: đồng ý → 28/02/2026",
		"xin gia hạn 28/02/2026 → 30/04/2026: Thiếu kinh phí", "Quản Trị: từ chối: Đã gia hạn một lần"} {
		if !strings.Contains(hist, want) {
			t.Errorf("/task lacks %q:\n%s", want, hist)
		}
	}

	// Counting on 10/04/2026: 25-10 is judged against 31/03/2026 (10 days
	// late), the tasks of 31/12/2025 are 100 days late.
	h.setNow(time.Date(2026, 4, 10, 8, 0, 0, 0, h.cfg.Location))
	sum := h.say(leader, "/summary")
	extTranscript(t, "lãnh đạo", sum[len(sum)-1])
	if text := plain(t, sum[len(sum)-1]); !strings.Contains(text, "trong đó đã gia hạn: 1") {
		t.Errorf("/summary:\n%s", text)
	}
	over := h.say(leader, "/overdue")
	extTranscript(t, "lãnh đạo", over[len(over)-1])
	text := plain(t, over[len(over)-1])
	if !strings.Contains(text, "25-10") || !strings.Contains(text, "31/03/2026 (đã gia hạn; theo kế hoạch: 31/12/2025) · quá hạn 10 ngày") {
		t.Errorf("/overdue does not judge 25-10 by its new date:\n%s", text)
	}
	if !strings.Contains(text, "Phần việc quá hạn: ≤ 30 ngày: ") || strings.Contains(text, "> 90 ngày: 0") {
		t.Errorf("/overdue by age:\n%s", text)
	}
}

// EXTENSION_APPROVER=leaders: the leaders get the request, not the
// coordinators; two leaders press, one decision holds, the other is told.
func TestExtensionDecidedByLeadersOnce(t *testing.T) {
	h := newHarness(t)
	h.stop()
	h.cfg.ExtensionApprover = config.ExtensionByLeaders
	h.start()
	h.link(officer, "Sở Khoa học và Công nghệ")
	h.link(leader, "lanhdao")
	h.link(other, "lanhdao")
	h.setNow(time.Date(2026, 1, 5, 8, 0, 0, 0, h.cfg.Location)) // past the date (31/12/2025): the request says it came late
	got := h.askExtension(officer, "25-10", "31/01/2026", "Chờ số liệu")
	if text := plain(t, got[1]); !strings.Contains(text, "thời hạn 31/12/2025 đã qua") {
		t.Errorf("the late prompt: %q", text)
	}
	if h.countWith(admin, "Đề nghị gia hạn") != 0 {
		t.Error("the coordinator got the request; the leaders decide")
	}
	mine, theirs := h.lastWith(leader, "Đề nghị gia hạn"), h.lastWith(other, "Đề nghị gia hạn")
	if !strings.Contains(plain(t, mine), "Đề nghị gia hạn (gửi sau hạn)") {
		t.Errorf("the late request: %q", plain(t, mine))
	}
	if _, sent := h.press(leader, mine.MessageID, buttonWith(t, mine, "✅ Đồng ý")); !strings.Contains(lastText(t, sent), "31/12/2025 → <b>31/01/2026</b>") {
		t.Errorf("the leader's approval: %q", lastText(t, sent))
	}
	if ans, _ := h.press(other, theirs.MessageID, buttonWith(t, theirs, "Từ chối")); !strings.Contains(ans.Text, "đã được Lê Lãnh Đạo quyết định (đồng ý)") {
		t.Errorf("the second leader's press: %q", ans.Text)
	}
	if n := h.countWith(officer, "đã được Lê Lãnh Đạo đồng ý"); n != 1 {
		t.Errorf("the officer was told %d times", n)
	}
	if a := partOf(t, h, domain.AssignmentID("25-10", "so-khcn")); a.Due != mustDate(t, "2026-01-31") || a.Extensions != 1 {
		t.Errorf("the part: due %s, extensions %d", a.Due, a.Extensions)
	}
	// A coordinator cannot decide it.
	if ans, _ := h.press(admin, mine.MessageID, buttonWith(t, mine, "✅ Đồng ý")); !strings.Contains(ans.Text, "Chỉ người duyệt gia hạn") {
		t.Errorf("the coordinator's press: %q", ans.Text)
	}
}

// crashAfterRequest stands for a kill -9 right after the request is stored,
// before the approvers are queued and the question closed.
type crashAfterRequest struct {
	*store.Store
}

func (c crashAfterRequest) RequestExtension(ctx context.Context, e store.Extension) (store.Extension, error) {
	got, err := c.Store.RequestExtension(ctx, e)
	if err == nil {
		panic(killed{})
	}
	return got, err
}

// A kill between storing the request and sending it, then a restart that
// replays the update, and another restart before the decision: the request
// is stored and sent once, and decided after the restarts.
func TestExtensionSurvivesKillBeforeDecision(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Khoa học và Công nghệ")
	c := h.cardOf(officer, "25-10")
	h.press(officer, c.MessageID, buttonWith(t, c, "Xin gia hạn"))
	h.say(officer, "31/01/2026")
	h.stop()

	ctx := context.Background()
	first, _ := h.wireWith(h.store, nil, func(d *Deps) { d.Data, d.Plans = unmarked{h.store}, crashAfterRequest{h.store} })
	first.Runtime.Panicked = nil // the kill is a panic, on purpose
	first.Runtime.HandleUpdate(ctx, typedAt(700001, "Chờ số liệu của các xã"))
	if list, _ := h.store.Extensions(ctx, domain.AssignmentID("25-10", "so-khcn")); len(list) != 1 {
		t.Fatalf("after the kill: %d requests stored, want 1", len(list))
	}
	restarted, _ := h.wire(nil)
	restarted.Runtime.HandleUpdate(ctx, typedAt(700001, "Chờ số liệu của các xã")) // the replay: the offset was not saved
	restarted.Runtime.HandleUpdate(ctx, typedAt(700001, "Chờ số liệu của các xã")) // and once more, marked by now

	h.start() // restarted again before anyone decides; the outbox sends what was queued
	h.say(admin, "/help")
	if n := h.countWith(admin, "Đề nghị gia hạn"); n != 1 {
		t.Fatalf("the coordinator got the request %d times, want 1", n)
	}
	if list, _ := h.store.Extensions(ctx, domain.AssignmentID("25-10", "so-khcn")); len(list) != 1 || list[0].Reason != "Chờ số liệu của các xã" {
		t.Fatalf("requests after the replays: %+v", list)
	}
	if se, ok, _ := h.store.Session(ctx, officer.ID, sessionAge); ok && se.Awaiting != "" {
		t.Errorf("the question is still open: %+v", se)
	}
	req := h.lastWith(admin, "Đề nghị gia hạn")
	h.press(admin, req.MessageID, buttonWith(t, req, "✅ Đồng ý"))
	if n := h.countWith(officer, "đã được Quản Trị đồng ý"); n != 1 {
		t.Errorf("the officer was told %d times", n)
	}
	if a := partOf(t, h, domain.AssignmentID("25-10", "so-khcn")); a.Due != mustDate(t, "2026-01-31") {
		t.Errorf("the part's date after the decision: %s", a.Due)
	}
}

// /setdue on a dated task is an extension of its open parts, with the
// reason asked when not given; on a conditional task the card shows the
// date set.
func TestSetDueOnDatedTaskExtends(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Khoa học và Công nghệ")
	got := h.say(admin, "/setdue 25-10 31/01/2026")
	if !strings.Contains(plain(t, got[len(got)-1]), "vui lòng nhập lý do") {
		t.Fatalf("setdue without a reason: %q", lastText(t, got))
	}
	got = h.say(admin, "Theo đề nghị của Sở")
	if !strings.Contains(plain(t, got[len(got)-1]), "Đã gia hạn nhiệm vụ 25-10: 31/12/2025 → 31/01/2026 cho 1 cơ quan") {
		t.Fatalf("setdue with the reason: %q", lastText(t, got))
	}
	if n := h.countWith(officer, "đã gia hạn nhiệm vụ 25-10: thời hạn mới 31/01/2026"); n != 1 {
		t.Errorf("the officer was told %d times", n)
	}
	// The reason on the same line; a phrase for the date.
	got = h.say(admin, "/setdue 25-10 Quý I/2026 Chờ hướng dẫn của Bộ")
	if !strings.Contains(plain(t, got[len(got)-1]), "31/01/2026 → 31/03/2026") || !strings.Contains(plain(t, got[len(got)-1]), "Chờ hướng dẫn của Bộ") {
		t.Fatalf("setdue with a phrase and a reason: %q", lastText(t, got))
	}
	a := partOf(t, h, domain.AssignmentID("25-10", "so-khcn"))
	if a.Due != mustDate(t, "2026-03-31") || a.DueOriginal != mustDate(t, "2025-12-31") || a.Extensions != 2 {
		t.Errorf("the part: due %s, original %s, extensions %d", a.Due, a.DueOriginal, a.Extensions)
	}
	// Reminders are planned from the new date: 7 days before 31/03/2026,
	// none 7 days before the plan's 31/12/2025.
	if got := h.remindersOn(time.Date(2026, 3, 24, 8, 0, 0, 0, h.cfg.Location), "25-10"); len(got) == 0 || got[0].Kind != "pre_deadline" || got[0].Days != 7 || got[0].Agency != "so-khcn" {
		t.Errorf("reminders before the new date: %+v", got)
	}
	for _, l := range h.remindersOn(time.Date(2025, 12, 24, 8, 0, 0, 0, h.cfg.Location), "25-10") {
		if l.Kind == "pre_deadline" && l.Agency == "so-khcn" {
			t.Errorf("a reminder counted from the plan's date: %+v", l)
		}
	}

	// A conditional task: the card shows the date set beside the phrase.
	h.link(other, "Sở Tài chính") // 25-5: "Theo tiến độ thực hiện của Đề án…", led by Sở Tài chính
	h.say(admin, "/setdue 25-5 30/06/2026")
	if text := plain(t, h.cardOf(other, "25-5")); !strings.Contains(text, "30/06/2026 (Theo tiến độ thực hiện") {
		t.Errorf("the card of a conditional task with a date set:\n%s", text)
	}
}

// In English: the card's button, the questions, the notice of the decision;
// the coordinator reads the request in Vietnamese. The card's history lists
// the part's extension.
func TestExtensionInEnglish(t *testing.T) {
	h := newHarness(t)
	h.link(english, "Sở Khoa học và Công nghệ")
	c := h.cardOf(english, "25-10")
	_, sent := h.press(english, c.MessageID, buttonWith(t, c, "Ask for more time"))
	if !strings.Contains(lastText(t, sent), "Type the new date you ask for") {
		t.Fatalf("the date prompt: %q", lastText(t, sent))
	}
	if got := h.say(english, "31/01/2026"); !strings.Contains(lastText(t, got), "Why do you need until 31/01/2026?") {
		t.Fatalf("the reason prompt: %q", lastText(t, got))
	}
	if got := h.say(english, "Waiting for the survey"); !strings.Contains(lastText(t, got), "was sent") {
		t.Fatalf("sent: %q", lastText(t, got))
	}
	req := h.lastWith(admin, "Đề nghị gia hạn")
	h.press(admin, req.MessageID, buttonWith(t, req, "✅ Đồng ý"))
	told := h.lastWith(english, "was approved by Quản Trị")
	if !strings.Contains(plain(t, told), "new due date 31/01/2026 (was 31/12/2025)") {
		t.Errorf("told: %q", plain(t, told))
	}
	c = h.cardOf(english, "25-10")
	if text := plain(t, c); !strings.Contains(text, "31/01/2026 (extended 1 time; in the plan: 31/12/2025)") {
		t.Errorf("the card:\n%s", text)
	}
	_, sent = h.press(english, c.MessageID, buttonWith(t, c, "History"))
	if text := plain(t, sent[len(sent)-1]); !strings.Contains(text, "Extensions") || !strings.Contains(text, "asked to extend 31/12/2025 → 31/01/2026: Waiting for the survey") || !strings.Contains(text, "Quản Trị: approved → 31/01/2026") {
		t.Errorf("the card's history:\n%s", text)
	}
}
