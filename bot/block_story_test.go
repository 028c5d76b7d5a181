package bot

// Issue 8 point 2: leaders and admins hear the whole story of a block,
// through the outbox, and never a second "blocked" alert for one block.

import (
	"strings"
	"testing"

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
// only once.
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
		h.waitAlerts(u, "Vướng mắc: 25-3", 1)
	}
	h.say(officer, "/cancel") // no description now
	press("Thêm ghi chú")
	h.say(officer, "Chưa có kinh phí")
	for _, u := range []tgserver.User{leader, admin} {
		h.waitAlerts(u, "Chưa có kinh phí", 1)
	}
	press("Đang thực hiện")
	for _, u := range []tgserver.User{leader, admin} {
		h.waitAlerts(u, "Hết vướng mắc: 25-3", 1)
	}
	h.undoLast(officer, card) // the unblock undone: blocked again
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

// A block report undone at once: the leaders hear that it was withdrawn.
func TestBlockUndoneIsAnnounced(t *testing.T) {
	h := newHarness(t)
	stop := h.startOutbox(nil, nil)
	defer stop()
	card := h.linkAndOpenCard()
	h.press(officer, card.MessageID, buttonWith(t, h.cardNow(card), "Gặp vướng mắc"))
	h.waitAlerts(leader, "Vướng mắc: 25-3", 1)
	h.undoLast(officer, card)
	h.waitAlerts(leader, "Rút lại báo vướng mắc: 25-3", 1)
	h.waitAlerts(admin, "Rút lại báo vướng mắc: 25-3", 1)
}

// undoLast corrects the officer's latest update from the card: the button,
// then "Hoàn tác" on the confirmation it shows.
func (h *harness) undoLast(u tgserver.User, card tgserver.Sent) {
	h.t.Helper()
	_, sent := h.press(u, card.MessageID, buttonWith(h.t, h.cardNow(card), "Sửa cập nhật gần nhất"))
	confirm := sent[len(sent)-1]
	h.press(u, confirm.MessageID, buttonWith(h.t, confirm, "Hoàn tác"))
}
