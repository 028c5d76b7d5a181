package bot

import (
	"strings"
	"testing"

	"agencybot/domain"
)

// /invite with more matches than fit says how many more and how to narrow;
// with none it says how an agency is added. /officers counts officers and
// leaders apart and offers buttons for a partial name.
func TestCoordinatorInviteAndOfficers(t *testing.T) {
	h := newHarness(t)
	got := h.say(admin, "/invite Sở")
	choice := got[len(got)-1]
	text := plain(t, choice)
	if n := len(buttons(choice)); n != maxAgencyChoices {
		t.Errorf("/invite Sở: %d buttons, want %d", n, maxAgencyChoices)
	}
	if !strings.Contains(text, "còn 1 cơ quan khác khớp với «Sở»") || !strings.Contains(text, "Gõ thêm chữ trong tên để thu hẹp, ví dụ /invite Sở") {
		t.Errorf("/invite Sở = %q", text)
	}
	// The one not shown is the example, and it narrows to a link.
	example := text[strings.LastIndex(text, "ví dụ ")+len("ví dụ "):]
	if _, shown := buttons(choice)[strings.TrimPrefix(example, "/invite ")]; shown {
		t.Errorf("the example %q is one of the buttons", example)
	}
	if got := lastText(t, h.say(admin, example)); !strings.Contains(got, "start=") {
		t.Errorf("%s = %q", example, got)
	}

	got = h.say(admin, "/invite Xã Mỹ An")
	if text := plain(t, got[0]); !strings.Contains(text, "Không tìm thấy cơ quan nào khớp với «Xã Mỹ An»") ||
		!strings.Contains(text, "/addagency") || strings.Contains(text, "agencybot agency add") || !strings.Contains(text, "/invite lại") { // a phone user adds it in the chat (issue 23)
		t.Errorf("/invite with no match = %q", text)
	}

	h.link(officer, "Sở Y tế")
	h.link(other, "Sở Y tế")
	h.link(leader, "lanhdao")
	all := plain(t, h.say(admin, "/officers")[0])
	if !strings.Contains(all, "Cán bộ đầu mối: 2 · Lãnh đạo: 1") || !strings.Contains(all, "Nguyễn An") || !strings.Contains(all, "Lê Lãnh Đạo") {
		t.Errorf("/officers = %q", all)
	}
	got = h.say(admin, "/officers Sở")
	choice = got[len(got)-1]
	if text := plain(t, choice); !strings.Contains(text, "Xem cán bộ của cơ quan nào?") || !strings.Contains(text, "còn 1 cơ quan khác") {
		t.Errorf("/officers Sở = %q", text)
	}
	_, sent := h.press(admin, choice.MessageID, buttonWith(t, choice, "Sở Y tế"))
	if text := plain(t, sent[len(sent)-1]); !strings.Contains(text, "Sở Y tế — cán bộ đầu mối: 2") ||
		!strings.Contains(text, "Trần Bình") || strings.Contains(text, "Lê Lãnh Đạo") {
		t.Errorf("officers of Sở Y tế = %q", text)
	}
	if text := plain(t, h.say(admin, "/officers tư pháp")[0]); !strings.Contains(text, "Sở Tư pháp — cán bộ đầu mối: 0") ||
		!strings.Contains(text, "/invite Sở Tư pháp") {
		t.Errorf("officers of Sở Tư pháp = %q", text)
	}
	if ans, _ := h.press(officer, choice.MessageID, buttonWith(t, choice, "Sở Y tế")); !ans.ShowAlert {
		t.Errorf("an officer pressed the admins' button: %+v", ans)
	}

	// English.
	adminEN := admin
	adminEN.LanguageCode = "en"
	if text := plain(t, h.say(adminEN, "/officers")[0]); !strings.Contains(text, "Focal officers: 2 · Leaders: 1") {
		t.Errorf("English /officers = %q", text)
	}
	got = h.say(adminEN, "/invite Sở")
	if text := plain(t, got[len(got)-1]); !strings.Contains(text, "1 more agency matches «Sở»") || !strings.Contains(text, "Type more of the name") {
		t.Errorf("English /invite Sở = %q", text)
	}
	if text := plain(t, h.say(adminEN, "/invite Xã Mỹ An")[0]); !strings.Contains(text, "No agency matches") || !strings.Contains(text, "/addagency") {
		t.Errorf("English no match = %q", text)
	}
}

// /revoke answers with the person's name and agency, and tells them.
func TestCoordinatorRevokeNamesAndTells(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.link(english, "Sở Tài chính")
	n := len(h.srv.SentTo(officer.ID))
	got := plain(t, h.say(admin, "/revoke 100")[0])
	if !strings.Contains(got, "Đã thu hồi liên kết của Nguyễn An — Cán bộ đầu mối của Sở Y tế (mã 100)") || !strings.Contains(got, "đã được báo") {
		t.Errorf("/revoke = %q", got)
	}
	told := h.srv.SentTo(officer.ID)[n:]
	if len(told) != 1 || !strings.Contains(plain(t, told[0]), "Liên kết của bạn (Cán bộ đầu mối của Sở Y tế) đã được quản trị viên Sở KH&CN thu hồi") {
		t.Errorf("the revoked officer was told %v", told)
	}
	if got := lastText(t, h.say(officer, "/tasks")); !strings.Contains(got, "chưa được liên kết") {
		t.Errorf("revoked officer's /tasks = %q", got)
	}
	if got := plain(t, h.say(admin, "/revoke 100")[0]); !strings.Contains(got, "Không có ai đang liên kết với mã 100") {
		t.Errorf("second /revoke = %q", got)
	}
	// The revoked person's menu is a newcomer's again.
	if menu := h.srv.Commands()["chat:100/"]; len(menu) == 0 || menu[0].Command != "start" {
		t.Errorf("revoked officer's menu = %v", h.srv.Commands())
	}

	// In English, for an English officer.
	n = len(h.srv.SentTo(english.ID))
	h.say(admin, "/revoke 400")
	told = h.srv.SentTo(english.ID)[n:]
	if len(told) != 1 || !strings.Contains(plain(t, told[0]), "Your link (Focal officer of Sở Tài chính) was revoked") {
		t.Errorf("the English officer was told %v", told)
	}
}

// An officer who opens another agency's invite is asked to confirm the
// move; keeping changes nothing and leaves the invite unused; moving links
// them to the new agency and the admins are told.
func TestCoordinatorMoveAsksAndTellsAdmins(t *testing.T) {
	h := newHarness(t)
	ctx := h.ctx()
	h.link(officer, "Sở Y tế")
	inv := startRE.FindStringSubmatch(lastText(t, h.say(admin, "/invite Sở Tài chính")))[1]

	ask := h.say(officer, "/start "+inv)
	q := ask[len(ask)-1]
	if text := plain(t, q); !strings.Contains(text, "Bạn đang là Cán bộ đầu mối của Sở Y tế") || !strings.Contains(text, "thành Cán bộ đầu mối của Sở Tài chính") {
		t.Errorf("move question = %q", text)
	}
	if o, _ := h.store.Officer(ctx, officer.ID); o.AgencyKey != "so-y-te" {
		t.Errorf("moved before confirming: %+v", o)
	}
	_, sent := h.press(officer, q.MessageID, buttonWith(t, q, "Giữ nguyên"))
	if text := plain(t, sent[len(sent)-1]); !strings.Contains(text, "Bạn vẫn là Cán bộ đầu mối của Sở Y tế") {
		t.Errorf("keep = %q", text)
	}
	if iv, _ := h.store.Invite(ctx, inv); iv.UsedBy != 0 {
		t.Errorf("keeping used the invite: %+v", iv)
	}

	ask = h.say(officer, "/start "+inv)
	q = ask[len(ask)-1]
	an := len(h.srv.SentTo(admin.ID))
	_, sent = h.press(officer, q.MessageID, buttonWith(t, q, "Chuyển sang Sở Tài chính"))
	if text := plain(t, sent[len(sent)-1]); !strings.Contains(text, "cán bộ đầu mối của Sở Tài chính") {
		t.Errorf("after moving = %q", text)
	}
	if o, _ := h.store.Officer(ctx, officer.ID); o.AgencyKey != "so-tai-chinh" || o.Role != domain.RoleOfficer {
		t.Errorf("not moved: %+v", o)
	}
	var notice string
	for _, s := range h.srv.SentTo(admin.ID)[an:] {
		if strings.Contains(plain(t, s), "đã chuyển từ") {
			notice = plain(t, s)
		}
	}
	if !strings.Contains(notice, "Nguyễn An (mã 100) đã chuyển từ Cán bộ đầu mối của Sở Y tế sang Cán bộ đầu mối của Sở Tài chính bằng mã mời "+inv) {
		t.Errorf("admins' notice = %q", notice)
	}
	// A second press moves nothing and tells the admins nothing more.
	an = len(h.srv.SentTo(admin.ID))
	_, sent = h.press(officer, q.MessageID, buttonWith(t, q, "Chuyển sang Sở Tài chính"))
	if text := lastText(t, sent); !strings.Contains(text, "đã dùng mã mời này") {
		t.Errorf("second press = %q", text)
	}
	if extra := h.srv.SentTo(admin.ID)[an:]; len(extra) != 0 {
		t.Errorf("admins told again: %v", extra)
	}
	if buttons(sent[0]) != nil && len(buttons(sent[0])) != 0 {
		t.Errorf("the question kept its buttons: %v", buttons(sent[0]))
	}

	// An English officer gets the question in English.
	h.link(english, "Sở Tư pháp")
	inv = startRE.FindStringSubmatch(lastText(t, h.say(admin, "/invite lanhdao")))[1]
	ask = h.say(english, "/start "+inv)
	if text := plain(t, ask[len(ask)-1]); !strings.Contains(text, "You are Focal officer of Sở Tư pháp") || !strings.Contains(text, "makes you Provincial leadership") {
		t.Errorf("English move question = %q", text)
	}
	buttonWith(t, ask[len(ask)-1], "Keep as is")
}
