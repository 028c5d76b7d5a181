package bot

import (
	"strings"
	"testing"
	"time"

	"agencybot/tgserver"
)

// /pause ends at the end of a day; /whoami shows the pause and its
// substitute (and, to the substitute, whom they stand in for); /resume tells
// the substitute, and says so when nothing was paused.
func TestPauseToEndOfDayWhoamiResume(t *testing.T) {
	h := newHarness(t)
	ctx := h.ctx()
	h.link(officer, "Sở Y tế")
	h.link(other, "Sở Y tế")

	// Nothing paused yet: /resume says so and changes nothing.
	if got := plain(t, h.say(officer, "/resume")[0]); !strings.Contains(got, "không bị tạm dừng") {
		t.Errorf("resume with nothing paused = %q", got)
	}
	if got := plain(t, h.say(officer, "/whoami")[0]); strings.Contains(got, "tạm dừng") {
		t.Errorf("whoami shows a pause that is not there: %q", got)
	}

	// 24/12/2025 08:00: /pause 7 lasts to the end of 31/12/2025.
	choice := h.say(officer, "/pause 7")
	sn := len(h.srv.SentTo(other.ID))
	_, sent := h.press(officer, choice[0].MessageID, buttonWith(t, choice[0], "Trần Bình"))
	if got := plain(t, sent[len(sent)-1]); !strings.Contains(got, "đến hết ngày 31/12/2025") || !strings.Contains(got, "Trần Bình") {
		t.Errorf("pause answer = %q", got)
	}
	o, _ := h.store.Officer(ctx, officer.ID)
	if want := time.Date(2026, 1, 1, 0, 0, 0, 0, h.cfg.Location); !o.PausedUntil.Equal(want) || o.Substitute != other.ID {
		t.Errorf("stored pause until %v (want %v), substitute %d", o.PausedUntil.In(h.cfg.Location), want, o.Substitute)
	}
	if s := h.srv.SentTo(other.ID)[sn:]; len(s) != 1 || !strings.Contains(plain(t, s[0]), "thay Nguyễn An đến hết ngày 31/12/2025") {
		t.Errorf("substitute told %v", s)
	}

	// /whoami shows the pause and the substitute; the substitute sees whom they stand in for.
	if got := plain(t, h.say(officer, "/whoami")[0]); !strings.Contains(got, "tạm dừng nhắc việc đến hết ngày 31/12/2025") || !strings.Contains(got, "người nhận thay: Trần Bình") {
		t.Errorf("whoami during the pause = %q", got)
	}
	if got := plain(t, h.say(other, "/whoami")[0]); !strings.Contains(got, "thay Nguyễn An đến hết ngày 31/12/2025") {
		t.Errorf("substitute's whoami = %q", got)
	}

	// /resume ends it and tells the substitute.
	sn = len(h.srv.SentTo(other.ID))
	if got := plain(t, h.say(officer, "/resume")[0]); !strings.Contains(got, "nhận nhắc việc trở lại") || !strings.Contains(got, "Trần Bình") {
		t.Errorf("resume = %q", got)
	}
	if s := h.srv.SentTo(other.ID)[sn:]; len(s) != 1 || !strings.Contains(plain(t, s[0]), "Nguyễn An đã nhận nhắc việc trở lại") {
		t.Errorf("substitute not told of the resume: %v", s)
	}
	if o, _ = h.store.Officer(ctx, officer.ID); o.PausedUntil.After(h.now) || o.Substitute != 0 {
		t.Errorf("still paused after resume: %+v", o)
	}
	sn = len(h.srv.SentTo(other.ID))
	if got := plain(t, h.say(officer, "/resume")[0]); !strings.Contains(got, "không bị tạm dừng") {
		t.Errorf("second resume = %q", got)
	}
	if got := plain(t, h.say(other, "/whoami")[0]); strings.Contains(got, "thay Nguyễn An") {
		t.Errorf("substitute still shown standing in: %q", got)
	}
	if n := len(h.srv.SentTo(other.ID)) - sn; n != 1 { // the /whoami answer only
		t.Errorf("substitute got %d messages after a resume with nothing paused", n)
	}

	// A pause has passed at midnight after its last day, not before.
	h.say(officer, "/pause 1")
	choice = h.srv.SentTo(officer.ID)
	h.press(officer, choice[len(choice)-1].MessageID, buttonWith(t, choice[len(choice)-1], "Không cần"))
	h.setNow(time.Date(2025, 12, 25, 23, 59, 0, 0, h.cfg.Location))
	if got := plain(t, h.say(officer, "/whoami")[0]); !strings.Contains(got, "đến hết ngày 25/12/2025, không có người nhận thay") {
		t.Errorf("whoami late on the last day = %q", got)
	}
	h.setNow(time.Date(2025, 12, 26, 0, 0, 0, 0, h.cfg.Location))
	if got := plain(t, h.say(officer, "/resume")[0]); !strings.Contains(got, "không bị tạm dừng") {
		t.Errorf("resume after the pause ran out = %q", got)
	}
}

// The same in English.
func TestPauseEnglish(t *testing.T) {
	h := newHarness(t)
	en2 := tgserver.User{ID: 401, FirstName: "Mary", LastName: "Jones", LanguageCode: "en"}
	h.link(english, "Sở Y tế")
	h.link(en2, "Sở Y tế")
	if got := plain(t, h.say(english, "/resume")[0]); !strings.Contains(got, "not paused") {
		t.Errorf("resume with nothing paused = %q", got)
	}
	choice := h.say(english, "/pause 3")
	_, sent := h.press(english, choice[0].MessageID, buttonWith(t, choice[0], "Mary"))
	if got := plain(t, sent[len(sent)-1]); !strings.Contains(got, "until the end of 27/12/2025") {
		t.Errorf("pause answer = %q", got)
	}
	if got := plain(t, h.say(english, "/whoami")[0]); !strings.Contains(got, "paused until the end of 27/12/2025; substitute: Mary Jones") {
		t.Errorf("whoami = %q", got)
	}
	if got := plain(t, h.say(en2, "/whoami")[0]); !strings.Contains(got, "on behalf of John Smith until the end of 27/12/2025") {
		t.Errorf("substitute's whoami = %q", got)
	}
	sn := len(h.srv.SentTo(en2.ID))
	if got := plain(t, h.say(english, "/resume")[0]); !strings.Contains(got, "Mary Jones has been told") {
		t.Errorf("resume = %q", got)
	}
	if s := h.srv.SentTo(en2.ID)[sn:]; len(s) != 1 || !strings.Contains(plain(t, s[0]), "John Smith receives reminders again") {
		t.Errorf("substitute told %v", s)
	}
}
