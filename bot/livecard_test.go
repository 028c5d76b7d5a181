package bot

import (
	"context"
	"strings"
	"testing"

	"agencybot/domain"
	"agencybot/tgserver"
)

// Point 3: one live card per task. Opening the task again takes the
// buttons away from the older card; a change made by typing redraws the
// card the officer was using instead of sending another one.
func TestOneLiveCardPerTask(t *testing.T) {
	for _, tc := range []struct {
		u                tgserver.User
		typeProgress, ok string
	}{{officer, "✍️", "Đã lưu"}, {english, "✍️", "Saved"}} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			h.link(tc.u, "Sở Y tế")
			old := h.openCard(tc.u, "25-3")
			n := len(h.srv.SentTo(tc.u.ID))
			card := h.openCard(tc.u, "25-3")
			stripped := false
			for _, s := range h.srv.SentTo(tc.u.ID)[n:] {
				stripped = stripped || s.Method == "editMessageReplyMarkup" && s.MessageID == old.MessageID
			}
			if m, _ := h.srv.Message(tc.u.ID, old.MessageID); !stripped || len(m.ReplyMarkup) > 0 && strings.Contains(string(m.ReplyMarkup), "callback_data") {
				t.Errorf("the older card kept its buttons: %s", m.ReplyMarkup)
			}

			_, _ = h.press(tc.u, card.MessageID, buttonWith(t, card, tc.typeProgress))
			n = len(h.srv.SentTo(tc.u.ID))
			h.say(tc.u, "45")
			sent := h.srv.SentTo(tc.u.ID)[n:]
			if a := h.assignment("25-3", "so-y-te"); a.Progress != 45 {
				t.Fatalf("typed progress: %+v", a.State)
			}
			if countMethod(sent, "sendMessage") != 1 || !strings.Contains(plain(t, sent[0]), tc.ok) {
				t.Errorf("want one confirmation and no new card: %v", sent)
			}
			m, _ := h.srv.Message(tc.u.ID, card.MessageID)
			if !strings.Contains(m.Text, "45%") || !strings.Contains(string(m.ReplyMarkup), "callback_data") {
				t.Errorf("the card in use was not redrawn with its buttons: %q", m.Text)
			}
			// The confirmation is about the task too: a reply to it is a note.
			h.settle(h.srv.ReplyTo(tc.u, sent[0].MessageID, "Theo báo cáo quý"))
			if a := h.assignment("25-3", "so-y-te"); a.Note != "Theo báo cáo quý" {
				t.Errorf("reply to the confirmation: note %q", a.Note)
			}
		})
	}
}

// Point 3: the agency choice under /invite and the substitute choice under
// /pause work once; a second press creates nothing and says it was done.
func TestOneShotChoices(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	got := h.say(admin, "/invite Sở")
	choice := got[len(got)-1]
	if len(buttons(choice)) < 2 {
		t.Fatalf("/invite Sở should offer a choice: %q", choice.Text)
	}
	var datas []string
	for _, d := range buttons(choice) {
		datas = append(datas, d)
	}
	_, sent := h.press(admin, choice.MessageID, datas[0])
	if !strings.Contains(lastText(t, sent), "start=") {
		t.Fatalf("first press: %v", sent)
	}
	for _, d := range datas[:2] {
		ans, sent := h.press(admin, choice.MessageID, d)
		if !ans.ShowAlert || !strings.Contains(ans.Text, "đã được thực hiện") {
			t.Errorf("second press answered %q", ans.Text)
		}
		for _, s := range sent {
			if strings.Contains(s.Text, "start=") {
				t.Errorf("a second press made another invite: %q", s.Text)
			}
		}
	}

	colleague := tgserver.User{ID: 101, FirstName: "Phạm", LastName: "Cúc", LanguageCode: "vi"}
	h.link(officer, "Sở Y tế")
	h.link(colleague, "Sở Y tế")
	got = h.say(officer, "/pause 3")
	pick := got[len(got)-1]
	n := len(h.srv.SentTo(colleague.ID))
	h.press(officer, pick.MessageID, buttonWith(t, pick, "Phạm Cúc"))
	ans, _ := h.press(officer, pick.MessageID, buttonWith(t, pick, "Phạm Cúc"))
	if !strings.Contains(ans.Text, "đã được thực hiện") {
		t.Errorf("second pause press: %q", ans.Text)
	}
	ans, _ = h.press(officer, pick.MessageID, VerbPause+"|3|0")
	if !strings.Contains(ans.Text, "đã được thực hiện") {
		t.Errorf("other button after the choice: %q", ans.Text)
	}
	if s := h.srv.SentTo(colleague.ID)[n:]; len(s) != 1 {
		t.Errorf("the substitute was told %d times", len(s))
	}
	if o, _ := h.store.Officer(ctx, officer.ID); o.Substitute != colleague.ID {
		t.Errorf("the pause changed on a second press: %+v", o)
	}
}

// Point 4: correcting shows what will be undone and asks; the toast says
// exactly what changed (a removed note included); the bot then offers to
// enter the right value; a second confirm does nothing.
func TestCorrectionConfirms(t *testing.T) {
	for _, tc := range []struct {
		u                                                         tgserver.User
		correct, undo, willRemove, toast, enter, done, keep, kept string
	}{
		{officer, "Sửa cập nhật", "Hoàn tác", "Ghi chú «Họp lần 1» sẽ bị bỏ", "bỏ ghi chú «Họp lần 1»", "Viết lại ghi chú", "đã được thực hiện", "Giữ nguyên", "không sửa gì"},
		{english, "Correct my", "Undo", "The note «Họp lần 1» will be removed", "note «Họp lần 1» removed", "Write the right note", "already made", "Keep it", "nothing was corrected"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			h.link(tc.u, "Sở Y tế")
			card := h.openCard(tc.u, "25-3")
			h.press(tc.u, card.MessageID, buttonWith(t, card, "25%"))
			h.press(tc.u, card.MessageID, buttonWith(t, card, "📝"))
			h.say(tc.u, "Họp lần 1")

			// Keep it: nothing changes.
			_, sent := h.press(tc.u, card.MessageID, buttonWith(t, card, tc.correct))
			confirm := sent[len(sent)-1]
			if txt := plain(t, confirm); !strings.Contains(txt, "25-3") || !strings.Contains(txt, "Họp lần 1") || !strings.Contains(txt, tc.willRemove) {
				t.Fatalf("confirmation = %q", txt)
			}
			_, sent = h.press(tc.u, confirm.MessageID, buttonWith(t, confirm, tc.keep))
			if a := h.assignment("25-3", "so-y-te"); a.Note != "Họp lần 1" || !strings.Contains(lastText(t, sent), tc.kept) {
				t.Fatalf("keep: %+v %q", a.State, lastText(t, sent))
			}

			_, sent = h.press(tc.u, card.MessageID, buttonWith(t, card, tc.correct))
			confirm = sent[len(sent)-1]
			ans, sent := h.press(tc.u, confirm.MessageID, buttonWith(t, confirm, tc.undo))
			a := h.assignment("25-3", "so-y-te")
			if a.Note != "" || a.Progress != 25 {
				t.Fatalf("after undo: %+v", a.State)
			}
			if !strings.Contains(ans.Text, tc.toast) {
				t.Errorf("toast = %q, want %q", ans.Text, tc.toast)
			}
			offer, _ := h.srv.Message(tc.u.ID, confirm.MessageID)
			if !strings.Contains(offer.Text, tc.enter) || !strings.Contains(string(offer.ReplyMarkup), domain.VerbNote+"|") {
				t.Errorf("no offer to enter the right value: %q %s", offer.Text, offer.ReplyMarkup)
			}
			if m, _ := h.srv.Message(tc.u.ID, card.MessageID); strings.Contains(m.Text, "Họp lần 1") && !strings.Contains(m.Text, "25%") {
				t.Errorf("the card was not redrawn: %q", m.Text)
			}
			ans, _ = h.press(tc.u, confirm.MessageID, buttonWith(t, confirm, tc.undo))
			if !strings.Contains(ans.Text, tc.done) || h.assignment("25-3", "so-y-te").Version != a.Version {
				t.Errorf("second undo: %q", ans.Text)
			}
			// The offer works: the right note is typed in.
			_, _ = h.press(tc.u, confirm.MessageID, domain.Callback{Verb: domain.VerbNote, Ref: a.Ref}.Encode())
			h.say(tc.u, "Họp lần 2")
			if a := h.assignment("25-3", "so-y-te"); a.Note != "Họp lần 2" {
				t.Errorf("right note: %q", a.Note)
			}
		})
	}
}

// Point 4: a progress correction's toast names the change; an officer can
// correct their last update on each task; when someone else updated after
// them, the message says whose update is the latest and which one they can
// correct.
func TestCorrectionPerTaskAndWhose(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	colleague := tgserver.User{ID: 101, FirstName: "Phạm", LastName: "Cúc", LanguageCode: "vi"}
	h.link(officer, "Sở Y tế")
	h.link(colleague, "Sở Y tế")
	as, _ := h.store.AgencyAssignments(ctx, "so-y-te")
	second := as[0].TaskCode
	if second == "25-3" {
		second = as[1].TaskCode
	}
	c1 := h.openCard(officer, "25-3")
	h.press(officer, c1.MessageID, buttonWith(t, c1, "25%"))
	h.press(officer, c1.MessageID, buttonWith(t, c1, "50%"))
	c2 := h.openCard(officer, second)
	h.press(officer, c2.MessageID, buttonWith(t, c2, "75%"))

	// The first task's last update is still the officer's to correct.
	_, sent := h.press(officer, c1.MessageID, buttonWith(t, c1, "Sửa cập nhật"))
	confirm := sent[len(sent)-1]
	ans, _ := h.press(officer, confirm.MessageID, buttonWith(t, confirm, "Hoàn tác"))
	if a := h.assignment("25-3", "so-y-te"); a.Progress != 25 {
		t.Fatalf("correcting 25-3 after updating %s: %+v (%q)", second, a.State, ans.Text)
	}
	if !strings.Contains(ans.Text, "tiến độ 50% → 25%") {
		t.Errorf("toast = %q", ans.Text)
	}

	// A colleague updates the second task after the officer.
	cc := h.openCard(colleague, second)
	h.press(colleague, cc.MessageID, buttonWith(t, cc, "100%"))
	ans, _ = h.press(officer, c2.MessageID, buttonWith(t, c2, "Sửa cập nhật"))
	if !ans.ShowAlert || !strings.Contains(ans.Text, "Phạm Cúc") || !strings.Contains(ans.Text, "cập nhật gần nhất của chính mình trên mỗi nhiệm vụ") {
		t.Errorf("not theirs: %q", ans.Text)
	}
	if a := h.assignment(second, "so-y-te"); a.Progress != 100 {
		t.Errorf("the colleague's update was undone: %+v", a.State)
	}
}
