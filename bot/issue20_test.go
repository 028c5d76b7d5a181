package bot

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/domain"
	"agencybot/tgserver"
)

// later moves the harness's clock on by d and lets the outbox send what
// fell due meanwhile.
func (h *harness) later(d time.Duration) {
	h.t.Helper()
	h.setNow(h.clock.Now().Add(d))
	if h.sched != nil {
		if err := h.sched.Dispatch(h.ctx()); err != nil {
			h.t.Fatalf("dispatch: %v", err)
		}
		h.sched.Wake() // what waited for a message sent just now (After) goes too
	}
}

// story collects what a story showed, for the lead's note (go test -v).
type story struct {
	t     *testing.T
	lines []string
}

func (tr *story) add(who, text string) {
	tr.lines = append(tr.lines, who+": "+strings.ReplaceAll(strings.TrimSpace(text), "\n", "\n    "))
}

func (tr *story) log() { tr.t.Log("transcript:\n" + strings.Join(tr.lines, "\n")) }

// Issue 20 points 1 and 2: a completion proven by a number typed first and
// then a file with a caption and a photo, in any order while it waits; the
// card shows it waiting; the coordinator is told once (through the
// outbox, after the batch wait), opens /review from the notice and each
// file from there, accepts; the officer is told once it is accepted.
func TestProofNoticeReviewFileAccepted(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	tr := &story{t: t}
	defer tr.log()
	card := h.linkAndOpenCard()
	id := domain.AssignmentID("25-3", "so-y-te")

	_, sent := h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	tr.add("Cán bộ", "[bấm Hoàn thành]")
	tr.add("Bot", plain(t, sent[len(sent)-1]))
	got := h.say(officer, "Quyết định số 123/QĐ-UBND ngày 05/11/2026")
	tr.add("Cán bộ", "Quyết định số 123/QĐ-UBND ngày 05/11/2026")
	tr.add("Bot", plain(t, got[0]))
	got = h.sendDoc(officer, "quyet-dinh-123.pdf", []byte("%PDF-1.4 quyết định"), "Bản ký số")
	tr.add("Cán bộ", "[gửi tệp quyet-dinh-123.pdf, chú thích «Bản ký số»]")
	tr.add("Bot", plain(t, got[0]))
	n := len(h.srv.SentTo(officer.ID))
	h.settle(h.srv.SendPhoto(officer, []byte("not really a jpeg"), "Công văn số 45/SYT-VP"))
	got = h.srv.SentTo(officer.ID)[n:]
	tr.add("Cán bộ", "[gửi ảnh, chú thích «Công văn số 45/SYT-VP»]")
	tr.add("Bot", plain(t, got[0]))

	r, err := h.store.ReviewOf(h.ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	if r.ProofText() != "Quyết định số 123/QĐ-UBND ngày 05/11/2026; Bản ký số; Công văn số 45/SYT-VP" || len(r.Docs) != 2 {
		t.Fatalf("the proof kept: %q, %d files %+v", r.ProofText(), len(r.Docs), r.Docs)
	}
	if r.Docs[0].Name != "quyet-dinh-123.pdf" || r.Docs[1].Name != "25-3_so-y-te_24-12-2025.jpg" || r.Docs[1].Caption != "Công văn số 45/SYT-VP" {
		t.Errorf("the files kept: %+v", r.Docs)
	}
	now := plain(t, h.cardNow(card))
	if !strings.Contains(now, "⏳ Chờ duyệt kết quả · 100%") || strings.Contains(now, "Hoàn thành ·") || !strings.Contains(now, "Bản ký số") || !strings.Contains(now, "123/QĐ-UBND") {
		t.Errorf("the officer's card while it waits:\n%s", now)
	}

	// The coordinator: nothing before the batch wait, then one notice.
	if n := h.count(admin, "Chờ duyệt: 25-3"); n != 0 {
		t.Errorf("the coordinator was told before the batch wait")
	}
	h.later(reviewBatch + time.Second)
	notice := h.waitAlerts(admin, "Chờ duyệt: 25-3", 1)[0]
	tr.add("Bot → Sở KH&CN", plain(t, notice))
	_, sent = h.press(admin, notice.MessageID, buttonWith(t, notice, "Mở danh sách chờ duyệt"))
	item := sent[len(sent)-1]
	tr.add("Sở KH&CN", "[bấm Mở danh sách chờ duyệt]")
	tr.add("Bot", plain(t, item))
	if text := plain(t, item); !strings.Contains(text, "123/QĐ-UBND") || !strings.Contains(text, "2 tệp") || !strings.Contains(text, "quyet-dinh-123.pdf — Bản ký số") || !strings.Contains(text, "25-3_so-y-te_24-12-2025.jpg") {
		t.Fatalf("/review item:\n%s", text)
	}
	_, sent = h.press(admin, item.MessageID, buttonWith(t, item, "quyet-dinh-123.pdf"))
	tr.add("Sở KH&CN", "[bấm 📎 quyet-dinh-123.pdf]")
	var file *tgserver.Sent
	for i := range sent {
		if sent[i].Method == "sendDocument" {
			file = &sent[i]
		}
	}
	if file == nil {
		t.Fatalf("the file was not sent: %+v", sent)
	}
	tr.add("Bot", "[tệp "+file.FileName+"] "+file.Caption)
	if f, ok := h.srv.File(file.FileID); !ok || string(f.Content) != "%PDF-1.4 quyết định" || file.FileID != r.Docs[0].FileID {
		t.Errorf("the coordinator got another file: %q", file.FileID)
	}
	_, sent = h.press(admin, item.MessageID, buttonWith(t, item, "25-3_so-y-te"))
	if len(sent) == 0 || sent[len(sent)-1].Method != "sendPhoto" {
		t.Errorf("the photo was not sent: %+v", sent)
	}

	_, sent = h.press(admin, item.MessageID, buttonWith(t, item, "Chấp nhận"))
	tr.add("Sở KH&CN", "[bấm ✅ Chấp nhận]")
	tr.add("Bot", plain(t, sent[len(sent)-1]))
	told := h.waitAlerts(officer, "công nhận hoàn thành", 1)
	tr.add("Bot → cán bộ", plain(t, told[0]))
	if text := plain(t, told[0]); !strings.Contains(text, "✅ Nhiệm vụ 25-3") || !strings.Contains(text, "đã được Sở KH&CN công nhận hoàn thành") {
		t.Errorf("the officer was told %q", text)
	}
	h.later(reviewBatch) // nothing more comes
	if n := h.count(officer, "công nhận hoàn thành"); n != 1 {
		t.Errorf("the officer was told %d times, want 1", n)
	}
	if n := h.count(admin, "Chờ duyệt: 25-3"); n != 1 {
		t.Errorf("the coordinator was told %d times, want 1", n)
	}
	if text := h.cardText(h.say(officer, "/task 25-3")); !strings.Contains(text, "Hoàn thành · 100%") || strings.Contains(text, "Chờ duyệt") {
		t.Errorf("the card once accepted:\n%s", text)
	}
}

// cardText is the plain text of the card among what the bot sent.
func (h *harness) cardText(sent []tgserver.Sent) string {
	h.t.Helper()
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Method == "sendMessage" || sent[i].Method == "editMessageText" {
			if text := plain(h.t, sent[i]); strings.Contains(text, "Tình trạng") {
				return text
			}
		}
	}
	h.t.Fatalf("no card among %+v", sent)
	return ""
}

// openTasks opens the cards of the first n tasks of u's /tasks list.
func (h *harness) openTasks(u tgserver.User, n int) []tgserver.Sent {
	h.t.Helper()
	list := h.say(u, "/tasks")
	msg := list[len(list)-1]
	var cards []tgserver.Sent
	for text, data := range buttons(msg) {
		if len(cards) == n {
			break
		}
		if !strings.HasPrefix(data, domain.VerbOpen+"|") {
			continue
		}
		_, sent := h.press(u, msg.MessageID, data)
		if len(sent) == 0 {
			h.t.Fatalf("%q opened nothing", text)
		}
		cards = append(cards, sent[len(sent)-1])
	}
	if len(cards) < n {
		h.t.Fatalf("%d cards opened, want %d", len(cards), n)
	}
	return cards
}

// Issue 20 point 2: completions reported close together reach the
// coordinator as one message naming them all; one reported later gets a
// message of its own. The acceptance reaches each officer of the agency in
// their language.
func TestCompletionsCloseTogetherAreOneNotice(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	h.link(officer, "Sở Y tế")
	h.link(english, "Sở Y tế")
	cards := h.openTasks(officer, 3)
	done := func(c tgserver.Sent) string {
		t.Helper()
		_, sent := h.press(officer, c.MessageID, buttonWith(t, c, "Hoàn thành"))
		h.say(officer, "Báo cáo số 7/BC-SYT ngày 20/12/2025")
		return strings.Fields(plain(t, sent[0]))[1] // the task code on the card
	}
	first := done(cards[0])
	h.later(time.Minute)
	second := done(cards[1])
	h.later(reviewBatch + time.Second)
	got := h.waitAlerts(admin, "mới báo hoàn thành", 1)
	if text := plain(t, got[0]); !strings.Contains(text, "2 nhiệm vụ mới báo hoàn thành") || !strings.Contains(text, first) || !strings.Contains(text, second) {
		t.Errorf("the grouped notice:\n%s", text)
	}
	if n := h.count(admin, "Chờ duyệt: "); n != 0 {
		t.Errorf("%d single notices besides the grouped one", n)
	}
	third := done(cards[2])
	h.later(reviewBatch + time.Second)
	one := h.waitAlerts(admin, "Chờ duyệt: "+third, 1)
	if text := plain(t, one[0]); strings.Contains(text, first) || !strings.Contains(text, "Tổng số đang chờ duyệt: 3") {
		t.Errorf("the later notice:\n%s", text)
	}
	if n := h.count(admin, "mới báo hoàn thành"); n != 1 {
		t.Errorf("%d grouped notices, want 1", n)
	}

	// Accepted: each officer of the agency is told, in their language.
	got = h.say(admin, "/review")
	for _, item := range got {
		if strings.Contains(item.Text, "<b>"+first+"</b>") {
			h.press(admin, item.MessageID, buttonWith(t, item, "Chấp nhận"))
		}
	}
	h.waitAlerts(officer, "đã được Sở KH&amp;CN công nhận hoàn thành", 1)
	en := h.waitAlerts(english, "was accepted as completed", 1)
	if text := plain(t, en[0]); !strings.Contains(text, "Task "+first) {
		t.Errorf("the English officer was told %q", text)
	}
}

// Issue 20 point 2: while a completion waits for review, every view shows
// the same state for it — the officer's card, /task, /summary and the Excel
// (the chart is drawn from the same roll-up as /summary): waiting, not
// done, and red once its date has passed (domain.Judged).
func TestWaitingCompletionShownAlikeEverywhere(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	card := h.linkAndOpenCard()
	h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	h.say(officer, "Quyết định số 123/QĐ-UBND ngày 05/11/2026")
	h.sendDoc(officer, "quyet-dinh.pdf", []byte("%PDF-1.4"), "Bản ký số")
	h.later(17 * 24 * time.Hour) // 10/01/2026: the date (31/12/2025) has passed

	mine := h.cardText(h.say(officer, "/task 25-3"))
	if !strings.HasPrefix(mine, "🔴 25-3") || !strings.Contains(mine, "⏳ Chờ duyệt kết quả · 100%") || !strings.Contains(mine, "quá hạn") {
		t.Errorf("the officer's card:\n%s", mine)
	}
	task := plain(t, h.say(admin, "/task 25-3")[0])
	if !strings.Contains(task, "🔴 Sở Y tế — ⏳ Chờ duyệt kết quả · 100%") {
		t.Errorf("/task:\n%s", task)
	}
	sum := lastText(t, h.say(leader, "/summary Sở Y tế"))
	f := figuresOf(t, sum)
	if f.onTime+f.late != 0 || f.overdue == 0 || !strings.Contains(sum, "Chờ duyệt kết quả: 1") {
		t.Errorf("/summary counts it as done, or not overdue:\n%s", sum)
	}

	h.say(leader, "/export")
	docs := waitDocuments(h, leader, 1)
	df, _ := h.srv.File(docs[len(docs)-1].FileID)
	x, err := excelize.OpenReader(bytes.NewReader(df.Content))
	if err != nil {
		t.Fatalf("not an xlsx: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows("Chi tiết theo cơ quan")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 8 && r[1] == "3" && r[3] == "Sở Y tế" && strings.Contains(r[0], "2025") {
			found = true
			if r[6] != "Chờ duyệt kết quả" || !strings.Contains(strings.ToLower(r[8]), "quá hạn") || strings.Contains(r[8], "Đã hoàn thành") {
				t.Errorf("the Excel row: %q", r)
			}
		}
	}
	if !found {
		t.Errorf("no Excel row of 25-3 for Sở Y tế among %d rows", len(rows))
	}
	hist, err := x.GetRows("Lịch sử cập nhật")
	if err != nil || !strings.Contains(strings.Join(flatten(hist), "|"), "quyet-dinh.pdf — Bản ký số") {
		t.Errorf("the Excel history lacks the caption (%v)", err)
	}
}

// Issue 20 point 6: a block alert never quotes an older note; with no
// description it goes once its wait is over, saying so; a block resolved by
// pressing 100% is announced as an unblock is.
func TestBlockAlertNoOlderNoteAndResolvedBy100(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	card := h.linkAndOpenCard()
	press := func(label string) {
		t.Helper()
		h.press(officer, card.MessageID, buttonWith(t, h.cardNow(card), label))
	}
	press("Thêm ghi chú")
	h.say(officer, "Đã họp triển khai tháng 11")
	press("Gặp vướng mắc")
	h.say(officer, "/cancel")
	h.later(blockWait + time.Minute)
	for _, u := range []tgserver.User{leader, admin} {
		got := h.waitAlerts(u, "Vướng mắc: 25-3", 1)
		if len(got) != 1 || strings.Contains(got[0].Text, "họp triển khai") || !strings.Contains(got[0].Text, "chưa mô tả vướng mắc sau 3 phút") {
			t.Errorf("%d: block alerts %+v", u.ID, got)
		}
	}
	press("100%")
	for _, u := range []tgserver.User{leader, admin} {
		got := h.waitAlerts(u, "Hết vướng mắc: 25-3", 1)
		if !strings.Contains(got[0].Text, "Hoàn thành") {
			t.Errorf("%d: the unblock by 100%% says %q", u.ID, got[0].Text)
		}
	}
	h.later(blockWait) // nothing more
	if n := h.count(leader, "Vướng mắc: 25-3"); n != 1 {
		t.Errorf("%d block alerts, want 1", n)
	}
}

// Issue 20 point 1: the file first, then the number, then another file
// after the card was opened again (the question no longer open): all of it
// is the proof, kept once each; a text without a number once proof is given
// is not taken as proof; and a coordinator opens the file from /task.
func TestProofInAnyOrderWhileItWaits(t *testing.T) {
	h := newHarness(t)
	card := h.linkAndOpenCard()
	id := domain.AssignmentID("25-3", "so-y-te")
	h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	h.sendDoc(officer, "bao-cao.pdf", []byte("%PDF-1.4 báo cáo"), "")
	h.say(officer, "Báo cáo số 7/BC-SYT ngày 20/12/2025")
	if got := h.say(officer, "cảm ơn"); strings.Contains(lastText(t, got), "Vui lòng ghi số") {
		t.Errorf("a text without a number after the proof was nagged: %q", lastText(t, got))
	}
	h.say(officer, "/task 25-3") // the card again: the question is closed
	h.sendDoc(officer, "phu-luc.xlsx", []byte("PK phụ lục"), "Phụ lục kèm theo")
	h.say(officer, "Công văn số 45/SYT-VP ngày 22/12/2025")
	r, err := h.store.ReviewOf(h.ctx(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.ProofText(); got != "Báo cáo số 7/BC-SYT ngày 20/12/2025; Phụ lục kèm theo; Công văn số 45/SYT-VP ngày 22/12/2025" || len(r.Docs) != 2 {
		t.Errorf("the proof: %q, %d files", got, len(r.Docs))
	}
	item := h.say(admin, "/review")
	if text := plain(t, item[len(item)-1]); !strings.Contains(text, "2 tệp") || !strings.Contains(text, "bao-cao.pdf") || !strings.Contains(text, "phu-luc.xlsx — Phụ lục kèm theo") {
		t.Errorf("/review:\n%s", text)
	}

	// /task for the coordinator: the caption in the history, a button per file.
	got := h.say(admin, "/task 25-3")
	task := got[len(got)-1]
	if text := plain(t, task); !strings.Contains(text, "minh chứng phu-luc.xlsx — Phụ lục kèm theo") {
		t.Errorf("/task history lacks the caption:\n%s", text)
	}
	_, sent := h.press(admin, task.MessageID, buttonWith(t, task, "phu-luc.xlsx"))
	if len(sent) == 0 || sent[len(sent)-1].Method != "sendDocument" {
		t.Fatalf("the file was not sent from /task: %+v", sent)
	}
	if f, ok := h.srv.File(sent[len(sent)-1].FileID); !ok || string(f.Content) != "PK phụ lục" {
		t.Errorf("another file was sent from /task")
	}
}
