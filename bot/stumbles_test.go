package bot

import (
	"strings"
	"testing"

	"agencybot/tgserver"
)

// Issue 23: what new users stumbled on.

// Point 1: a greeting, an emoji or a sticker typed with a card open is not
// offered as a note: a short answer says how to write one; a real sentence
// still is offered.
func TestStrayTextIsNoNote(t *testing.T) {
	for _, tc := range []struct {
		u            tgserver.User
		stray        []string
		hint, choose string
	}{
		{officer, []string{"xin chào", "👍", "🙏🙏🙏", "Chào bạn!", "ok", "cảm ơn ạ"}, "Để ghi chú", "Dùng cho nhiệm vụ"},
		{english, []string{"hello", "👍", "🙏🙏🙏", "Hi!", "thanks", "ok"}, "To add a note", "What is it for task"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			h.link(tc.u, "Sở Y tế")
			h.openCard(tc.u, "25-3")
			for _, s := range tc.stray {
				got := h.say(tc.u, s)
				c := got[len(got)-1]
				t.Logf("%q → %s", s, plain(t, c))
				if strings.Contains(c.Text, tc.choose) || len(buttons(c)) > 0 || !strings.Contains(plain(t, c), tc.hint) || !strings.Contains(plain(t, c), "25-3") {
					t.Errorf("%q was answered %q %v", s, c.Text, buttons(c))
				}
			}
			n := len(h.srv.SentTo(tc.u.ID))
			h.settle(h.srv.SendSticker(tc.u))
			for _, s := range h.srv.SentTo(tc.u.ID)[n:] {
				if strings.Contains(s.Text, tc.choose) || len(buttons(s)) > 0 {
					t.Errorf("a sticker was offered as a note: %q", s.Text)
				}
			}
			if a := h.assignment("25-3", "so-y-te"); a.Version != 0 {
				t.Errorf("stray text changed the task: %+v", a.State)
			}
			got := h.say(tc.u, "Chào anh, đã họp xong với các đơn vị")
			if c := got[len(got)-1]; !strings.Contains(c.Text, tc.choose) {
				t.Errorf("a real sentence was not offered as a note: %q", c.Text)
			}
		})
	}
}

// Point 2: answers that mislead. "/duesoon 400" names the range of days;
// "/invite xyz" points to /addagency; a note of spaces only is "empty", not
// a storage error, and logs no error.
func TestMisleadingAnswers(t *testing.T) {
	for _, tc := range []struct {
		u                     tgserver.User
		days, add, empty, bad string
	}{
		{officer, "từ 1 đến 365", "/addagency", "Ghi chú trống", "lỗi lưu trữ"},
		{english, "from 1 to 365", "/addagency", "The note is empty", "storage"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			lead := leader
			if tc.u.ID == english.ID {
				lead = english
			}
			h.link(lead, "lanhdao")
			for _, days := range []string{"/duesoon 400", "/duesoon 0", "/duesoon -3"} {
				s := plain(t, h.say(lead, days)[0])
				t.Logf("%s → %s", days, s)
				if !strings.Contains(s, tc.days) || strings.Contains(s, "«400»") {
					t.Errorf("%s: %q", days, s)
				}
			}
			if s := plain(t, h.say(lead, "/duesoon 365")[0]); strings.Contains(s, tc.days) {
				t.Errorf("/duesoon 365 refused: %q", s)
			}

			ad := admin
			if tc.u.ID == english.ID {
				ad = tgserver.User{ID: 1, FirstName: "Admin", LanguageCode: "en"}
			}
			s := plain(t, h.say(ad, "/invite xyz")[0])
			t.Logf("/invite xyz → %s", s)
			if !strings.Contains(s, tc.add) || strings.Contains(s, "agencybot agency add") {
				t.Errorf("/invite xyz: %q", s)
			}

			off := tgserver.User{ID: 150, FirstName: "Võ", LastName: "Hà", LanguageCode: tc.u.LanguageCode}
			h.link(off, "Sở Y tế")
			card := h.openCard(off, "25-3")
			for _, send := range []func() int{
				func() int { return h.srv.SendText(off, "   ") },
				func() int { return h.srv.ReplyTo(off, card.MessageID, "  \n ") },
			} {
				n := len(h.srv.SentTo(off.ID))
				h.settle(send())
				got := h.srv.SentTo(off.ID)[n:]
				s := plain(t, got[len(got)-1])
				t.Logf("spaces → %s", s)
				if !strings.Contains(s, tc.empty) || strings.Contains(s, tc.bad) || len(buttons(got[len(got)-1])) > 0 {
					t.Errorf("a note of spaces: %q", s)
				}
			}
			if a := h.assignment("25-3", "so-y-te"); a.Version != 0 {
				t.Errorf("spaces changed the task: %+v", a.State)
			}
			if strings.Contains(h.logs.String(), "level=ERROR") {
				t.Errorf("an error was logged:\n%s", h.logs.String())
			}
		})
	}
}
