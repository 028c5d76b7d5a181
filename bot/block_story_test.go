package bot

// Issue 8 point 2: leaders and admins hear the whole story of a block,
// through the outbox, and never a second "blocked" alert for one block.

import (
	"strings"
	"testing"
	"time"

	"agencybot/tgserver"
)

// cardNow is the task card's latest version (it is redrawn in place).
func (h *harness) cardNow(card tgserver.Sent) tgserver.Sent {
	h.t.Helper()
	all := h.srv.SentTo(officer.ID)
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].MessageID == card.MessageID {
			return all[i]
		}
	}
	return card
}

// count is how many messages to u contain part.
func (h *harness) count(u tgserver.User, part string) int {
	var n int
	for _, s := range h.srv.SentTo(u.ID) {
		if strings.Contains(s.Text, part) {
			n++
		}
	}
	return n
}

// Reported, described after /cancel as a later note, unblocked, the unblock
// undone: the leader and the admin hear each step once, and "⚠️ Vướng mắc"
// only once — the block's alert waits for the description and carries it
// (issue 20), and nothing more comes once its wait is over.
func TestBlockStoryReachesLeadersAndAdmins(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	card := h.linkAndOpenCard()
	press := func(label string) {
		t.Helper()
		h.press(officer, card.MessageID, buttonWith(t, h.cardNow(card), label))
	}
	press("Gặp vướng mắc")
	for _, u := range []tgserver.User{leader, admin} {
		if n := h.count(u, "Vướng mắc: 25-3"); n != 0 {
			t.Errorf("%d: the block alert went before the description could come", u.ID)
		}
	}
	h.say(officer, "/cancel") // no description now
	press("Thêm ghi chú")
	h.say(officer, "Chưa có kinh phí")
	for _, u := range []tgserver.User{leader, admin} {
		got := h.waitAlerts(u, "Vướng mắc: 25-3", 1)
		if !strings.Contains(got[0].Text, "Chưa có kinh phí") {
			t.Errorf("%d: the block alert %q does not carry the description", u.ID, got[0].Text)
		}
	}
	press("Đang thực hiện")
	for _, u := range []tgserver.User{leader, admin} {
		h.waitAlerts(u, "Hết vướng mắc: 25-3", 1)
	}
	h.undoLast(officer, card) // the unblock undone: blocked again
	h.later(blockWait + time.Minute)
	for _, u := range []tgserver.User{leader, admin} {
		h.waitAlerts(u, "Vẫn vướng mắc: 25-3", 1)
		if n := h.count(u, "⚠️ <b>Vướng mắc: 25-3"); n != 1 {
			t.Errorf("%d: %d \"blocked\" alerts for one block, want 1", u.ID, n)
		}
		if n := h.count(u, "Chưa có kinh phí"); n != 1 {
			t.Errorf("%d: the description arrived %d times, want 1", u.ID, n)
		}
	}
}

// A block report undone at once: the leaders hear of the block (without a
// description, once its wait is over) and then that it was withdrawn —
// never the withdrawal first.
func TestBlockUndoneIsAnnounced(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	card := h.linkAndOpenCard()
	h.press(officer, card.MessageID, buttonWith(t, h.cardNow(card), "Gặp vướng mắc"))
	h.undoLast(officer, card)
	if n := h.count(leader, "Rút lại báo vướng mắc: 25-3"); n != 0 {
		t.Error("the withdrawal went before the block's alert")
	}
	h.later(blockWait + time.Minute)
	for _, u := range []tgserver.User{leader, admin} {
		h.waitAlerts(u, "Rút lại báo vướng mắc: 25-3", 1)
		got := h.waitAlerts(u, "ng mắc: 25-3", 2) // the block's, then the withdrawal
		if len(got) != 2 || !strings.Contains(got[0].Text, "⚠️") || !strings.Contains(got[0].Text, "chưa mô tả") || !strings.Contains(got[1].Text, "Rút lại") {
			t.Errorf("%d got %q then %q", u.ID, got[0].Text, got[1].Text)
		}
	}
}

// undoLast corrects the officer's latest update from the card: the button,
// then "Hoàn tác" on the confirmation it shows.
func (h *harness) undoLast(u tgserver.User, card tgserver.Sent) {
	h.t.Helper()
	_, sent := h.press(u, card.MessageID, buttonWith(h.t, h.cardNow(card), "Sửa cập nhật gần nhất"))
	confirm := sent[len(sent)-1]
	h.press(u, confirm.MessageID, buttonWith(h.t, confirm, "Hoàn tác"))
}
