package bot

import (
	"strings"
	"testing"

	"agencybot/tgserver"
)

// In a group the bot answers only commands addressed to it by name, with
// the private-chat explanation; commands for other bots, bare commands and
// chatter get nothing.
func TestGroupAnswersOnlyItsOwnCommands(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	group := tgserver.Chat{ID: -4200, Type: "group", Title: "Nhóm Sở Y tế"}
	super := tgserver.Chat{ID: -1004200, Type: "supergroup", Title: "Điều hành"}
	for _, c := range []tgserver.Chat{group, super} {
		for _, text := range []string{"/tasks@OtherBot", "/start@other_helper_bot abc", "/tasks", "chào mọi người @dongthap_tasks_bot", "/help"} {
			h.settle(h.srv.SendTextIn(c, officer, text))
		}
		if s := h.srv.SentTo(c.ID); len(s) != 0 {
			t.Errorf("%s: the bot answered something not addressed to it: %v", c.Type, s)
		}
	}
	if s := h.srv.SentTo(officer.ID); len(s) == 0 {
		t.Fatal("setup: the officer's private chat is empty")
	}
	n := len(h.srv.SentTo(officer.ID))

	h.settle(h.srv.SendTextIn(group, officer, "/tasks@dongthap_tasks_bot"))
	s := h.srv.SentTo(group.ID)
	if len(s) != 1 {
		t.Fatalf("addressed command: %d answers", len(s))
	}
	got := plain(t, s[0])
	if !strings.Contains(got, "trò chuyện riêng") || !strings.Contains(got, "https://t.me/dongthap_tasks_bot") || strings.Contains(got, "25-") {
		t.Errorf("group answer = %q", got)
	}
	h.settle(h.srv.SendTextIn(super, english, "/summary@DongThap_Tasks_Bot"))
	if s := h.srv.SentTo(super.ID); len(s) != 1 || !strings.Contains(plain(t, s[0]), "only works in private chat") {
		t.Errorf("English group answer = %v", s)
	}
	if len(h.srv.SentTo(officer.ID)) != n {
		t.Error("a group command answered in the private chat")
	}
}
