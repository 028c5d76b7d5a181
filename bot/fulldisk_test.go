package bot

// Issue 24 point 3: the open question survives a failed write. The store
// below refuses the writes of an officer's conversation (a full disk), then
// takes them again.

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"agencybot/domain"
	"agencybot/store"
	"agencybot/tgserver"
)

var errDiskFull = errors.New("(InternalError) database or disk is full (13)")

// refusingWrites is the store with the writes of a conversation refused
// while full is set (a change, a session, a typed text's draft), or only
// the sessions' while sessionsFull is set.
type refusingWrites struct {
	*store.Store
	full, sessionsFull atomic.Bool
}

func (r *refusingWrites) Apply(ctx context.Context, id string, ch domain.Change) (domain.Assignment, domain.Update, error) {
	if r.full.Load() {
		return domain.Assignment{}, domain.Update{}, errDiskFull
	}
	return r.Store.Apply(ctx, id, ch)
}

func (r *refusingWrites) SaveSession(ctx context.Context, se store.Session) error {
	if r.full.Load() || r.sessionsFull.Load() {
		return errDiskFull
	}
	return r.Store.SaveSession(ctx, se)
}

func (r *refusingWrites) SaveDraft(ctx context.Context, d store.Draft) error {
	if r.full.Load() {
		return errDiskFull
	}
	return r.Store.SaveDraft(ctx, d)
}

// notesOn counts the notes with text on the assignment.
func notesOn(t *testing.T, h *harness, aid, text string) int {
	t.Helper()
	hist, err := h.store.AssignmentHistory(context.Background(), aid, 200)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	for _, u := range hist {
		if u.Kind == domain.AddNote && u.Note == text {
			n++
		}
	}
	return n
}

// anyHas tells whether one of the messages contains part.
func anyHas(sent []tgserver.Sent, part string) bool {
	for _, s := range sent {
		if strings.Contains(s.Text, part) {
			return true
		}
	}
	return false
}

func saidBack(t *testing.T, sent []tgserver.Sent) string {
	var b strings.Builder
	for _, s := range sent {
		b.WriteString("  bot: " + strings.ReplaceAll(plain(t, s), "\n", " / ") + "\n")
	}
	return b.String()
}

// The disk is full when the officer presses «Thêm ghi chú» and while they
// type the note: the question is asked (no "something went wrong"), the
// note is refused with "send it again", and the question stays open, so
// the text they send once the disk has room is stored as the note, once —
// not read as loose text. (Before: the prompt's session was refused, the
// officer saw the question and "Xin lỗi, hệ thống đang gặp sự cố", the
// note typed was loose text, and so was the text after the disk freed.)
func TestQuestionAskedOnAFullDiskStaysOpen(t *testing.T) {
	h := newHarness(t)
	st := &refusingWrites{Store: h.store}
	stop := h.startOutbox(nil, func(d *Deps) { d.Data = st })
	defer stop()
	card := h.linkAndOpenCard()
	aid := cardAssignment(t, h)
	var log strings.Builder

	st.full.Store(true)
	_, asked := h.press(officer, card.MessageID, buttonWith(t, h.cardNow(card), "Thêm ghi chú"))
	log.WriteString("(đĩa đầy) officer: [📝 Thêm ghi chú]\n" + saidBack(t, asked))
	if !anyHas(asked, "Nhập ghi chú cho nhiệm vụ") {
		t.Fatalf("the note was not asked for: %q", lastText(t, asked))
	}
	for _, s := range asked {
		if strings.Contains(s.Text, "gặp sự cố") {
			t.Errorf("the officer was told something went wrong although the question was asked: %q", s.Text)
		}
	}
	for _, typed := range []string{"Chưa có kinh phí", "Chưa có kinh phí (gửi lại)"} {
		got := h.say(officer, typed)
		log.WriteString("(đĩa đầy) officer: " + typed + "\n" + saidBack(t, got))
		if !anyHas(got, "Chưa lưu được") {
			t.Errorf("the note typed on a full disk got %q, want the polite \"send it again\"", lastText(t, got))
		}
	}
	if n := notesOn(t, h, aid, "Chưa có kinh phí"); n != 0 {
		t.Fatalf("a note was stored on a full disk (%d)", n)
	}

	st.full.Store(false)
	const note = "Chưa có kinh phí, chờ Sở Tài chính"
	got := h.say(officer, note)
	log.WriteString("(đĩa trống lại) officer: " + note + "\n" + saidBack(t, got))
	t.Log("transcript:\n" + log.String())
	if !anyHas(got, "Đã lưu: ghi chú") {
		t.Errorf("the text after the disk freed got %q, want it stored as the note", lastText(t, got))
	}
	if n := notesOn(t, h, aid, note); n != 1 {
		t.Errorf("the note after the disk freed was stored %d times, want 1", n)
	}
	if n := h.count(officer, "Bạn vừa gõ") + h.count(officer, "Bot chưa hiểu"); n != 0 {
		t.Errorf("%d texts were read as loose text", n)
	}
	if se, ok, err := h.store.Session(context.Background(), officer.ID, sessionAge); err != nil || (ok && (se.Awaiting != "" || se.Draft != "")) {
		t.Errorf("the question is still open in the store after its answer: %+v %v", se, err)
	}
}

// The note is stored but the question cannot be closed (only the session's
// write is refused): the next text is not taken as a second note. (Before:
// the question stayed open in the store and the next text became a note.)
func TestQuestionClosedThoughItsWriteFailed(t *testing.T) {
	h := newHarness(t)
	st := &refusingWrites{Store: h.store}
	stop := h.startOutbox(nil, func(d *Deps) { d.Data = st })
	defer stop()
	card := h.linkAndOpenCard()
	aid := cardAssignment(t, h)
	h.press(officer, card.MessageID, buttonWith(t, h.cardNow(card), "Thêm ghi chú"))

	st.sessionsFull.Store(true)
	if got := h.say(officer, "Đã gửi dự thảo"); !anyHas(got, "Đã lưu: ghi chú") {
		t.Fatalf("the note got %q, want it stored", lastText(t, got))
	}
	st.sessionsFull.Store(false)
	got := h.say(officer, "Họp chiều nay")
	if n := notesOn(t, h, aid, "Họp chiều nay"); n != 0 {
		t.Errorf("the text after the answered question was stored as a second note (%d)", n)
	}
	if !anyHas(got, "Bạn vừa gõ") {
		t.Errorf("the text after the answered question got %q, want the loose text's offer", lastText(t, got))
	}
	if n := notesOn(t, h, aid, "Đã gửi dự thảo"); n != 1 {
		t.Errorf("the note was stored %d times, want 1", n)
	}
	if se, ok, err := h.store.Session(context.Background(), officer.ID, sessionAge); err != nil || (ok && se.Awaiting != "") {
		t.Errorf("the question is still open in the store once it takes writes: %+v %v", se, err)
	}
}
