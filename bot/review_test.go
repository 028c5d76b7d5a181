package bot

import (
	"strings"
	"testing"

	"agencybot/domain"
	"agencybot/report"
)

// waitingReview tells whether the roll-up input counts the assignment as
// waiting for review.
func (h *harness) waitingReview(id string) bool {
	h.t.Helper()
	in, err := h.store.RollupInput(h.ctx(), report.Input{}, "", false)
	if err != nil {
		h.t.Fatal(err)
	}
	return in.Review[id]
}

func TestReviewAcceptAndReturn(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	id := domain.AssignmentID("25-3", "so-y-te")

	list := h.say(officer, "/tasks")
	_, sent := h.press(officer, list[len(list)-1].MessageID, buttonWith(t, list[len(list)-1], "25-3"))
	card := sent[len(sent)-1]

	// Done asks for the output; a text without a number is not one.
	_, sent = h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	if !strings.Contains(lastText(t, sent), "số và ngày văn bản") {
		t.Fatalf("done did not ask for proof: %q", lastText(t, sent))
	}
	if got := h.say(officer, "xong rồi"); !strings.Contains(lastText(t, got), "Vui lòng ghi số và ngày") {
		t.Errorf("a proof without a number got %q", lastText(t, got))
	}
	h.say(officer, "Quyết định số 123/QĐ-UBND ngày 05/11/2026")
	if !h.waitingReview(id) {
		t.Fatal("the roll-up does not count the completion as waiting for review")
	}
	// REVIEW_REQUIRED is on by default: the summary says it waits, and does
	// not count it as done yet.
	if sum := lastText(t, h.say(admin, "/summary Sở Y tế")); !strings.Contains(sum, "Chờ duyệt kết quả: 1") || !strings.Contains(sum, "chưa tính là hoàn thành") || !strings.Contains(sum, "Hoàn thành 0") {
		t.Errorf("the summary while the completion waits:\n%s", sum)
	}

	got := h.say(admin, "/review")
	item := got[len(got)-1]
	if text := plain(t, item); !strings.Contains(text, "25-3") || !strings.Contains(text, "123/QĐ-UBND") || !strings.Contains(text, "Sở Y tế") {
		t.Fatalf("/review item %q", text)
	}
	_, sent = h.press(admin, item.MessageID, buttonWith(t, item, "Chấp nhận"))
	if !strings.Contains(plain(t, sent[len(sent)-1]), "được chấp nhận") {
		t.Fatalf("accept answered %q", sent[len(sent)-1].Text)
	}
	if h.waitingReview(id) {
		t.Error("an accepted completion still waits")
	}
	if ans, _ := h.press(admin, item.MessageID, buttonWith(t, item, "Chấp nhận")); !strings.Contains(ans.Text, "đã được duyệt") {
		t.Errorf("second accept answered %q", ans.Text)
	}
	if got := h.say(admin, "/review"); !strings.Contains(lastText(t, got), "Không có nhiệm vụ nào chờ duyệt") {
		t.Errorf("/review after accepting: %q", lastText(t, got))
	}

	// Again done, the proof a file this time; the coordinator returns it.
	h.press(officer, card.MessageID, buttonWith(t, card, "Đang thực hiện"))
	h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	h.sendDoc(officer, "quyet-dinh.pdf", []byte("%PDF-1.4 quyết định"), "")
	got = h.say(admin, "/review")
	item = got[len(got)-1]
	if text := plain(t, item); !strings.Contains(text, "1 tệp") {
		t.Fatalf("/review item with a file: %q", text)
	}
	_, sent = h.press(admin, item.MessageID, buttonWith(t, item, "Trả lại"))
	if !strings.Contains(lastText(t, sent), "Lý do trả lại") {
		t.Fatalf("return asks %q", lastText(t, sent))
	}
	before := len(h.srv.SentTo(officer.ID))
	if got := h.say(admin, "Thiếu chữ ký của lãnh đạo <sở>"); !strings.Contains(lastText(t, got), "Đã trả lại") {
		t.Fatalf("return answered %q", lastText(t, got))
	}
	a, err := h.store.Assignment(h.ctx(), id)
	if err != nil || a.Status != domain.InProgress {
		t.Fatalf("returned assignment: %+v %v", a.State, err)
	}
	if h.waitingReview(id) {
		t.Error("a returned completion still waits")
	}
	told := h.srv.SentTo(officer.ID)[before:]
	if len(told) == 0 {
		t.Fatal("the officer was not told")
	}
	notice := told[len(told)-1]
	if text := plain(t, notice); !strings.Contains(text, "25-3") || !strings.Contains(text, "Thiếu chữ ký của lãnh đạo <sở>") {
		t.Fatalf("officer told %q", text)
	}
	_, sent = h.press(officer, notice.MessageID, buttonWith(t, notice, "Mở nhiệm vụ"))
	opened := false
	for _, s := range sent { // the card, sent anew or redrawn (other calls may come with it)
		text := plain(t, s)
		opened = opened || strings.Contains(text, "Đang thực hiện") && strings.Contains(text, "Thiếu chữ ký")
	}
	if !opened {
		t.Errorf("the opened card is not among %+v", sent)
	}
}
