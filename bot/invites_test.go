package bot

import (
	"strings"
	"testing"
	"time"

	"agencybot/tgserver"
)

// Issue 23, point 9: a coordinator lists the unused invites and cancels
// one with its button; the cancelled link then links nobody.
func TestInvitesListAndCancel(t *testing.T) {
	for _, tc := range []struct {
		u                                    tgserver.User
		header, cancelled, gone, unknown, no string
	}{
		{admin, "Mã mời chưa dùng: 2", "Đã hủy mã", "đã được dùng hoặc đã hủy", "Mã mời không đúng", "Không có mã mời nào"},
		{tgserver.User{ID: 1, FirstName: "Admin", LanguageCode: "en"}, "Unused invites: 2", "cancelled", "used or cancelled before", "not valid", "No invite is waiting"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			codeOf := func(sent []tgserver.Sent) string {
				for _, s := range sent {
					if m := startRE.FindStringSubmatch(s.Text); m != nil {
						return m[1]
					}
				}
				t.Fatalf("no invite in %v", sent)
				return ""
			}
			health := codeOf(h.say(tc.u, "/invite Sở Y tế"))
			lead := codeOf(h.say(tc.u, "/invite lanhdao"))
			used := codeOf(h.say(tc.u, "/invite Sở Tài chính"))
			h.say(other, "/start "+used)

			got := h.say(tc.u, "/invites")
			list := got[len(got)-1]
			t.Logf("/invites → %s", plain(t, list))
			txt := plain(t, list)
			if !strings.Contains(txt, tc.header) || !strings.Contains(txt, health) || !strings.Contains(txt, lead) || strings.Contains(txt, used) || !strings.Contains(txt, "Sở Y tế") {
				t.Fatalf("/invites: %q", txt)
			}
			ans, _ := h.press(tc.u, list.MessageID, buttonWith(t, list, health))
			if !strings.Contains(ans.Text, tc.cancelled) || !strings.Contains(ans.Text, health) {
				t.Errorf("cancel pop-up: %q", ans.Text)
			}
			m, _ := h.srv.Message(tc.u.ID, list.MessageID)
			if strings.Contains(m.Text, health) || !strings.Contains(m.Text, lead) {
				t.Errorf("the list after cancelling: %q", m.Text)
			}
			ans, _ = h.press(tc.u, list.MessageID, buttonWith(t, list, health))
			if !strings.Contains(ans.Text, tc.gone) {
				t.Errorf("second cancel: %q", ans.Text)
			}
			if s := plain(t, h.say(officer, "/start "+health)[0]); !strings.Contains(s, "Mã mời không đúng") {
				t.Errorf("the cancelled link: %q", s)
			}
			if o, err := h.store.Officer(h.ctx(), officer.ID); err == nil {
				t.Errorf("a cancelled invite linked %+v", o)
			}
			h.press(tc.u, list.MessageID, buttonWith(t, tgserver.Sent{ReplyMarkup: m.ReplyMarkup}, lead))
			if s := plain(t, h.say(tc.u, "/invites")[0]); !strings.Contains(s, tc.no) {
				t.Errorf("/invites with none left: %q", s)
			}
			if s := plain(t, h.say(officer, "/invites")[0]); strings.Contains(s, tc.header) {
				t.Errorf("a stranger listed the invites: %q", s)
			}
		})
	}
}

// Issue 23, point 9: wrong codes are limited per user: after five wrong
// codes in ten minutes the person is asked to wait, even with a right
// code, through a restart; another person is not held up; after the wait
// the right code links.
func TestWrongInviteCodesLimited(t *testing.T) {
	for _, tc := range []struct {
		u           tgserver.User
		wrong, wait string
	}{
		{nobody, "Mã mời không đúng", "Vui lòng đợi đến 24/12/2025 08:10"},
		{tgserver.User{ID: 998, FirstName: "Jane", LanguageCode: "en"}, "not valid", "Please wait until 24/12/2025 08:10"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			got := h.say(admin, "/invite Sở Y tế")
			right := startRE.FindStringSubmatch(lastText(t, got))[1]
			for i := 1; i <= 5; i++ {
				s := plain(t, h.say(tc.u, "/start WRONGCODE"+string(rune('0'+i)))[0])
				if !strings.Contains(s, tc.wrong) || (i == 5) != strings.Contains(s, tc.wait) {
					t.Errorf("wrong code %d: %q", i, s)
				}
				if i == 5 {
					t.Logf("fifth wrong code → %s", s)
				}
			}
			s := plain(t, h.say(tc.u, "/start "+right)[0])
			t.Logf("right code while waiting → %s", s)
			if !strings.Contains(s, tc.wait) {
				t.Errorf("a right code during the wait: %q", s)
			}
			h.stop()
			h.start()
			if s := plain(t, h.say(tc.u, right)[0]); !strings.Contains(s, tc.wait) { // pasted alone, after a restart
				t.Errorf("after a restart: %q", s)
			}
			if _, err := h.store.Officer(h.ctx(), tc.u.ID); err == nil {
				t.Error("linked during the wait")
			}
			if s := plain(t, h.say(other, "/start WRONGCODE9")[0]); strings.Contains(s, "đợi") {
				t.Errorf("another person was held up: %q", s)
			}
			h.setNow(h.now.Add(11 * time.Minute))
			h.say(tc.u, "/start "+right)
			if o, err := h.store.Officer(h.ctx(), tc.u.ID); err != nil || o.AgencyKey != "so-y-te" {
				t.Errorf("after the wait the right code did not link: %+v %v", o, err)
			}
		})
	}
}
