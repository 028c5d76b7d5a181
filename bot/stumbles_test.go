package bot

import (
	"context"
	"strings"
	"testing"

	"agencybot/domain"
	"agencybot/telegram"
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

// Point 3: a reply to a reminder of several tasks, saved to one chosen
// task, keeps the other tasks' buttons: the officer goes on with the next
// one; each task gets the text once; "ignore" ends the choice.
func TestReplyToManyKeepsTheOthers(t *testing.T) {
	for _, tc := range []struct {
		u                tgserver.User
		note, next, done string
	}{
		{officer, "ghi chú cho ", "còn nói về các nhiệm vụ", "đã được thực hiện"},
		{english, "note on ", "also about the tasks below", "already made"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			ctx := context.Background()
			h.link(tc.u, "Sở Y tế")
			as, err := h.store.AgencyAssignments(ctx, "so-y-te")
			if err != nil || len(as) < 3 {
				t.Fatalf("assignments of Sở Y tế: %d %v", len(as), err)
			}
			as = as[:3]
			sender, err := telegram.NewSender(testToken, h.cfg.APIEndpoint, nil)
			if err != nil {
				t.Fatal(err)
			}
			sender.Sent = func(ctx context.Context, m domain.Outgoing, id int) {
				_ = RecordSent(ctx, h.store, m, id, AboutReminder)
			}
			out := domain.Outgoing{ChatID: tc.u.ID, Text: "⏰ Nhắc việc"}
			for _, a := range as {
				out.Buttons = append(out.Buttons, []domain.Button{{Text: a.TaskCode, Data: domain.Callback{Verb: domain.VerbOpen, Ref: a.Ref}.Encode()}})
			}
			if err := sender.Send(ctx, out); err != nil {
				t.Fatal(err)
			}
			rem, _ := h.srv.LastMessage(tc.u.ID)
			n := len(h.srv.SentTo(tc.u.ID))
			h.settle(h.srv.ReplyTo(tc.u, rem.MessageID, "Đã gửi báo cáo quý IV"))
			got := h.srv.SentTo(tc.u.ID)[n:]
			c := got[len(got)-1]

			h.press(tc.u, c.MessageID, buttonWith(t, c, tc.note+as[1].TaskCode))
			if a := h.assignment(as[1].TaskCode, "so-y-te"); a.Note != "Đã gửi báo cáo quý IV" {
				t.Fatalf("note on the chosen task: %q", a.Note)
			}
			m, _ := h.srv.Message(tc.u.ID, c.MessageID)
			t.Logf("after the first choice: %s %s", m.Text, m.ReplyMarkup)
			left := tgserver.Sent{ReplyMarkup: m.ReplyMarkup}
			if _, ok := buttons(left)[""]; ok || len(buttons(left)) != 3 || !strings.Contains(m.Text, tc.next) {
				t.Fatalf("after one choice, the other tasks' buttons should stay: %q %v", m.Text, buttons(left))
			}
			for text := range buttons(left) {
				if strings.Contains(text, as[1].TaskCode) {
					t.Errorf("the chosen task's button stayed: %q", text)
				}
			}
			h.press(tc.u, c.MessageID, buttonWith(t, left, tc.note+as[2].TaskCode))
			if a := h.assignment(as[2].TaskCode, "so-y-te"); a.Note != "Đã gửi báo cáo quý IV" {
				t.Errorf("note on the next task: %q", a.Note)
			}
			ans, _ := h.press(tc.u, c.MessageID, buttonWith(t, c, tc.note+as[1].TaskCode))
			if !strings.Contains(ans.Text, tc.done) {
				t.Errorf("the first task's button pressed again: %q", ans.Text)
			}
			if a := h.assignment(as[1].TaskCode, "so-y-te"); a.Version != 1 {
				t.Errorf("the note was saved %d times", a.Version)
			}
			m, _ = h.srv.Message(tc.u.ID, c.MessageID)
			h.press(tc.u, c.MessageID, buttonWith(t, tgserver.Sent{ReplyMarkup: m.ReplyMarkup}, "✖️"))
			ans, _ = h.press(tc.u, c.MessageID, buttonWith(t, c, tc.note+as[0].TaskCode))
			if a := h.assignment(as[0].TaskCode, "so-y-te"); a.Version != 0 || !strings.Contains(ans.Text, tc.done) {
				t.Errorf("after ignore, the first task got the text: %+v (%q)", a.State, ans.Text)
			}
		})
	}
}

// Point 5: an older "set progress 60%" pressed when the progress is 60%
// already: the message and the pop-up both say nothing changed.
func TestOldProgressChoiceAgreesWithItsToast(t *testing.T) {
	for _, tc := range []struct {
		u                     tgserver.User
		set, same, saved, pop string
	}{
		{officer, "Đặt tiến độ 60%", "đã là 60%", "đã lưu", "không có gì thay đổi"},
		{english, "Set progress 60%", "already 60%", "saved", "nothing changed"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			h.link(tc.u, "Sở Y tế")
			h.openCard(tc.u, "25-3")
			got := h.say(tc.u, "60")
			older := got[len(got)-1]
			got = h.say(tc.u, "60%")
			newer := got[len(got)-1]
			h.press(tc.u, newer.MessageID, buttonWith(t, newer, tc.set))
			if a := h.assignment("25-3", "so-y-te"); a.Progress != 60 {
				t.Fatalf("progress = %d", a.Progress)
			}
			ans, _ := h.press(tc.u, older.MessageID, buttonWith(t, older, tc.set))
			m, _ := h.srv.Message(tc.u.ID, older.MessageID)
			t.Logf("older choice pressed: pop-up %q, message %q", ans.Text, m.Text)
			if !strings.Contains(ans.Text, tc.pop) || strings.Contains(m.Text, tc.saved) || !strings.Contains(m.Text, tc.same) {
				t.Errorf("pop-up %q and message %q disagree", ans.Text, m.Text)
			}
			if a := h.assignment("25-3", "so-y-te"); a.Version != 1 {
				t.Errorf("version %d after a press that changed nothing", a.Version)
			}
		})
	}
}

// Point 4: numbers that confuse. Done then blocked goes back to the
// progress reported before done (100% means done); a returned completion
// says why its progress is what it is; a far deadline shows its date, not
// "còn 1833 ngày".
func TestNumbersThatConfuse(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	card := h.openCard(officer, "25-3")
	h.press(officer, card.MessageID, buttonWith(t, card, "50%"))
	h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	h.say(officer, "/cancel") // no proof now
	h.press(officer, card.MessageID, buttonWith(t, card, "Gặp vướng mắc"))
	a := h.assignment("25-3", "so-y-te")
	m, _ := h.srv.Message(officer.ID, card.MessageID)
	t.Logf("done → blocked: %s", lineWith(m.Text, "Tình trạng"))
	if a.Status != "blocked" || a.Progress != 50 || !strings.Contains(m.Text, "Gặp vướng mắc · 50%") {
		t.Errorf("done → blocked: %+v, card %q", a.State, m.Text)
	}

	got := plain(t, h.say(leader, "/task 26-V.3")[0])
	t.Logf("/task 26-V.3: %s", lineWith(got, "Thời hạn"))
	if !strings.Contains(got, "2026 - 2030 · hạn 31/12/2030") || strings.Contains(got, "còn 18") {
		t.Errorf("far deadline: %q", got)
	}
	if s := plain(t, h.say(leader, "/task 25-3")[0]); !strings.Contains(s, "còn 7 ngày") {
		t.Errorf("a near deadline lost its days: %q", s)
	}

	// A return: the officer is told why the progress is not 100%.
	h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	h.say(officer, "Quyết định số 123/QĐ-UBND ngày 05/11/2026")
	list := h.say(admin, "/review")
	item := list[len(list)-1]
	h.press(admin, item.MessageID, buttonWith(t, item, "Trả lại"))
	before := len(h.srv.SentTo(officer.ID))
	h.say(admin, "Thiếu chữ ký")
	told := h.srv.SentTo(officer.ID)[before:]
	if len(told) == 0 {
		t.Fatal("the officer was not told of the return")
	}
	notice := plain(t, told[len(told)-1])
	t.Logf("return → %s", notice)
	a = h.assignment("25-3", "so-y-te")
	if !strings.Contains(notice, "Tiến độ: "+itoa(a.Progress)+"%") || !strings.Contains(notice, "không để 100%") || a.Progress == 100 {
		t.Errorf("the return did not say why the progress is %d: %q", a.Progress, notice)
	}
}

// lineWith is the line of text that contains part (all of text: none).
func lineWith(text, part string) string {
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, part) {
			return l
		}
	}
	return text
}
