package bot

import (
	"context"
	"strings"
	"testing"

	"agencybot/domain"
	"agencybot/tgserver"
)

// The whole path an officer and a leader walk: invite → link → list → open →
// update → note → evidence → blocked alert → summary → task history.
func TestConversationInviteToSummary(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()

	got := h.say(nobody, "/tasks")
	if !strings.Contains(lastText(t, got), "chưa được liên kết") {
		t.Fatalf("unlinked user got %q", lastText(t, got))
	}

	h.link(officer, "Sở Y tế")
	welcome := h.srv.SentTo(officer.ID)
	if w := welcome[len(welcome)-1].Text; !strings.Contains(w, "Sở Y tế") || !strings.Contains(w, "/tasks") {
		t.Fatalf("welcome = %q", w)
	}
	if o, err := h.store.Officer(ctx, officer.ID); err != nil || o.AgencyKey != "so-y-te" {
		t.Fatalf("officer not linked: %+v %v", o, err)
	}
	h.link(leader, "lanhdao")

	// The list: most urgent first, with lights, codes and deadlines as written.
	list := h.say(officer, "/tasks")
	lt := lastText(t, list)
	if !strings.Contains(lt, "Sở Y tế") || !strings.Contains(lt, "🟡") || !strings.Contains(lt, "Trước 31/12/2025") {
		t.Fatalf("task list = %q", lt)
	}
	first := strings.Index(lt, "25-3")
	if first < 0 || strings.Index(lt, "25-1 ") >= 0 && strings.Index(lt, "25-1 ") < first {
		t.Errorf("due-soon task 25-3 should come before ongoing ones: %q", lt)
	}
	open := buttonWith(t, list[len(list)-1], "25-3")

	// Open the task card.
	_, sent := h.press(officer, list[len(list)-1].MessageID, open)
	card := sent[len(sent)-1]
	ct := plain(t, card)
	for _, want := range []string{"25-3", "Tập trung hoàn thành nhiệm vụ chuyển đổi số", "phối hợp", "Trước 31/12/2025", "còn 7 ngày", "Chưa triển khai · 0%", "chưa có cập nhật"} {
		if !strings.Contains(ct, want) {
			t.Errorf("card lacks %q:\n%s", want, ct)
		}
	}

	// Status by button: the card is redrawn in place.
	ans, sent := h.press(officer, card.MessageID, buttonWith(t, card, "Đang thực hiện"))
	if !strings.Contains(ans.Text, "Đang thực hiện") {
		t.Errorf("toast = %q", ans.Text)
	}
	edited := sent[len(sent)-1]
	if edited.Method != "editMessageText" || edited.MessageID != card.MessageID || !strings.Contains(plain(t, edited), "Đang thực hiện · 0%") {
		t.Errorf("card not redrawn in place: %s %d %q", edited.Method, edited.MessageID, plain(t, edited))
	}

	// Progress typed: text where a number is expected gets a polite answer.
	_, sent = h.press(officer, card.MessageID, buttonWith(t, card, "✍️"))
	if !strings.Contains(lastText(t, sent), "0 đến 100") {
		t.Fatalf("progress prompt = %q", lastText(t, sent))
	}
	if got := h.say(officer, "khoảng một nửa"); !strings.Contains(lastText(t, got), "phải là một số") {
		t.Errorf("non-number answer got %q", lastText(t, got))
	}
	h.say(officer, "60%")
	a, _ := h.store.Assignment(ctx, domain.AssignmentID("25-3", "so-y-te"))
	if a.Progress != 60 || a.Status != domain.InProgress {
		t.Fatalf("after typed progress: %+v", a.State)
	}

	// A note with markup in it is stored as typed and shown escaped.
	_, sent = h.press(officer, card.MessageID, buttonWith(t, card, "Thêm ghi chú"))
	note := "Đã họp <b>triển khai</b> & phân công"
	got = h.say(officer, note)
	if a, _ = h.store.Assignment(ctx, a.ID); a.Note != note {
		t.Errorf("note stored as %q", a.Note)
	}
	if c := got[len(got)-1]; !strings.Contains(plain(t, c), note) {
		t.Errorf("card does not show the note as typed: %q", plain(t, c))
	}

	// Evidence while the task is open; a file of the wrong kind is refused.
	n := len(h.srv.SentTo(officer.ID))
	h.settle(h.srv.SendDocument(officer, "bien-ban-hop.pdf", "application/pdf", []byte("%PDF-1.4 test"), "Biên bản họp"))
	if s := h.srv.SentTo(officer.ID)[n:]; !strings.Contains(plain(t, s[0]), "minh chứng bien-ban-hop.pdf") {
		t.Errorf("evidence answer = %q", plain(t, s[0]))
	}
	n = len(h.srv.SentTo(officer.ID))
	h.settle(h.srv.SendDocument(officer, "setup.exe", "application/octet-stream", []byte("MZ"), ""))
	if s := h.srv.SentTo(officer.ID)[n:]; !strings.Contains(s[0].Text, "không phải loại") {
		t.Errorf("exe answer = %q", s[0].Text)
	}
	hist, _ := h.store.AssignmentHistory(ctx, a.ID, 0)
	if len(hist) != 4 || hist[0].Evidence == nil || hist[0].Evidence.Name != "bien-ban-hop.pdf" || hist[0].Note != "Biên bản họp" {
		t.Fatalf("history after evidence: %d entries, latest %+v", len(hist), hist[0])
	}

	// Blocked: the officer is asked to describe it, and every leader gets
	// one alert carrying the description as soon as it comes — never the
	// older note (issue 20).
	ln := len(h.srv.SentTo(leader.ID))
	_, sent = h.press(officer, card.MessageID, buttonWith(t, card, "Gặp vướng mắc"))
	if !strings.Contains(lastText(t, sent), "mô tả") {
		t.Errorf("officer not asked to describe the block: %q", lastText(t, sent))
	}
	h.say(officer, "Chưa có kinh phí")
	alerts := h.srv.SentTo(leader.ID)[ln:]
	if len(alerts) != 1 || !strings.Contains(plain(t, alerts[0]), "Vướng mắc: 25-3") || !strings.Contains(plain(t, alerts[0]), "Sở Y tế") ||
		!strings.Contains(plain(t, alerts[0]), "Chưa có kinh phí") || strings.Contains(plain(t, alerts[0]), note) {
		t.Fatalf("leader alert = %v", alerts)
	}

	// Leadership views.
	sum := lastText(t, h.say(leader, "/summary"))
	for _, want := range []string{"Tổng hợp tiến độ", "40 nhiệm vụ", "Gặp vướng mắc 1", "🔴", "Chưa báo cáo trong 30 ngày"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if s := lastText(t, h.say(leader, "/summary Sở Y tế")); !strings.Contains(s, "Sở Y tế") {
		t.Errorf("summary for an agency: %q", s)
	}
	task := h.say(leader, "/task 25-3")
	tt := plain(t, task[len(task)-1])
	for _, want := range []string{"Lịch sử cập nhật", "Nguyễn An", "bien-ban-hop.pdf", "Sở Y tế"} {
		if !strings.Contains(tt, want) {
			t.Errorf("/task lacks %q:\n%s", want, tt)
		}
	}
	if s := lastText(t, h.say(leader, "/duesoon 7")); !strings.Contains(s, "25-3") {
		t.Errorf("/duesoon: %q", s)
	}
	if s := lastText(t, h.say(leader, "/overdue")); !strings.Contains(s, "Không có nhiệm vụ nào quá hạn") {
		t.Errorf("/overdue on 24 Dec 2025: %q", s)
	}
	// Officers cannot use leadership commands.
	if s := lastText(t, h.say(officer, "/summary")); !strings.Contains(s, "dành cho lãnh đạo") {
		t.Errorf("officer /summary: %q", s)
	}
}

// Paging through a long list, correcting the last update, adding a note by
// replying to the card, and a summary narrowed to a plan.
func TestPagingCorrectionReplyAndPlanSummary(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	list := h.say(officer, "/tasks")
	first := list[len(list)-1]
	if !strings.Contains(first.Text, "trang 1/") {
		t.Fatalf("a long list should be paged: %q", first.Text)
	}
	_, sent := h.press(officer, first.MessageID, buttonWith(t, first, "Sau"))
	page2 := sent[len(sent)-1]
	if page2.MessageID != first.MessageID || !strings.Contains(page2.Text, "trang 2/") || page2.Text == first.Text {
		t.Errorf("next page: %q", page2.Text)
	}

	_, sent = h.press(officer, page2.MessageID, buttonWith(t, first, "25-3"))
	card := sent[len(sent)-1]
	h.press(officer, card.MessageID, buttonWith(t, card, "75%"))
	h.press(officer, card.MessageID, buttonWith(t, card, "100%"))
	id := domain.AssignmentID("25-3", "so-y-te")
	if a, _ := h.store.Assignment(ctx, id); a.Status != domain.Done {
		t.Fatalf("100%% should mean done: %+v", a.State)
	}
	_, sent = h.press(officer, card.MessageID, buttonWith(t, card, "Sửa cập nhật"))
	confirm := sent[len(sent)-1]
	ans, _ := h.press(officer, confirm.MessageID, buttonWith(t, confirm, "Hoàn tác"))
	if a, _ := h.store.Assignment(ctx, id); a.Progress != 75 || a.Status != domain.InProgress {
		t.Errorf("after correction: %+v (answer %q)", a.State, ans.Text)
	}
	if ans, _ := h.press(officer, card.MessageID, buttonWith(t, card, "Sửa cập nhật")); !ans.ShowAlert {
		t.Errorf("a correction was corrected: %+v", ans)
	}

	// Replying to the card adds a note to its task.
	n := len(h.srv.SentTo(officer.ID))
	h.settle(h.srv.ReplyTo(officer, card.MessageID, "Ghi chú bằng trả lời"))
	if a, _ := h.store.Assignment(ctx, id); a.Note != "Ghi chú bằng trả lời" {
		t.Errorf("reply did not add a note: %q; bot said %v", a.Note, h.srv.SentTo(officer.ID)[n:])
	}

	if s := lastText(t, h.say(leader, "/summary 2026")); !strings.Contains(s, "19 nhiệm vụ") || strings.Contains(s, "Theo kế hoạch") {
		t.Errorf("/summary 2026: %q", s)
	}
	if s := lastText(t, h.say(leader, "/summary Sao Hỏa")); !strings.Contains(s, "Không tìm thấy") {
		t.Errorf("/summary unknown: %q", s)
	}
}

// /pause names a substitute of the same agency; /resume undoes it.
func TestPauseWithSubstitute(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	colleague := tgserver.User{ID: 101, FirstName: "Phạm", LastName: "Cúc", LanguageCode: "vi"}
	h.link(officer, "Sở Y tế")
	h.link(colleague, "Sở Y tế")
	h.link(other, "Sở Tài chính")
	if s := lastText(t, h.say(officer, "/pause abc")); !strings.Contains(s, "Cách dùng: /pause") {
		t.Errorf("bad /pause: %q", s)
	}
	got := h.say(officer, "/pause 7")
	choice := got[len(got)-1]
	if _, ok := buttons(choice)["👤 Trần Bình"]; ok {
		t.Error("an officer of another agency offered as substitute")
	}
	// A forged substitute from another agency is refused.
	if ans, _ := h.press(officer, choice.MessageID, VerbPause+"|7|200"); !ans.ShowAlert {
		t.Errorf("forged substitute accepted: %+v", ans)
	}
	n := len(h.srv.SentTo(colleague.ID))
	h.press(officer, choice.MessageID, buttonWith(t, choice, "Phạm Cúc"))
	o, _ := h.store.Officer(ctx, officer.ID)
	if o.Substitute != colleague.ID || !o.PausedUntil.After(h.now.AddDate(0, 0, 6)) {
		t.Errorf("paused officer: %+v", o)
	}
	if s := h.srv.SentTo(colleague.ID)[n:]; len(s) != 1 || !strings.Contains(s[0].Text, "thay Nguyễn An") {
		t.Errorf("substitute not told: %v", s)
	}
	h.say(officer, "/resume")
	if o, _ = h.store.Officer(ctx, officer.ID); !o.PausedUntil.IsZero() || o.Substitute != 0 {
		t.Errorf("after /resume: %+v", o)
	}
}
