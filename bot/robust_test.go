package bot

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/tgserver"
)

// Bad input gets a clear answer or silence, never a crash, and changes nothing.
func TestBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.link(officer, "Sở Y tế")
	h.link(other, "Sở Tài chính")
	id := domain.AssignmentID("25-3", "so-y-te")

	if s := lastText(t, h.say(officer, "/frobnicate")); !strings.Contains(s, "Không có lệnh /frobnicate") {
		t.Errorf("unknown command: %q", s)
	}
	n := len(h.srv.SentTo(officer.ID))
	h.settle(h.srv.SendSticker(officer))
	if s := h.srv.SentTo(officer.ID)[n:]; len(s) != 1 || !strings.Contains(s[0].Text, "chỉ nhận tin nhắn chữ") {
		t.Errorf("sticker: %v", s)
	}
	msg := h.srv.SentTo(officer.ID)[n].MessageID
	_ = msg
	n = len(h.srv.SentTo(officer.ID))
	h.settle(h.srv.EditText(officer, h.srv.SentTo(officer.ID)[0].MessageID, "sửa"))
	if s := h.srv.SentTo(officer.ID)[n:]; len(s) != 1 || !strings.Contains(s[0].Text, "tin nhắn đã sửa") {
		t.Errorf("edited message: %v", s)
	}
	before := len(h.srv.Sent())
	h.settle(h.srv.ChannelPost(tgserver.Chat{ID: -100500, Type: "channel", Title: "Kênh"}, "/summary"))
	group := tgserver.Chat{ID: -42, Type: "supergroup", Title: "Nhóm Sở Y tế"}
	h.settle(h.srv.SendTextIn(group, officer, "chào mọi người"))
	if len(h.srv.Sent()) != before {
		t.Errorf("the bot answered a channel post or group chatter")
	}
	h.settle(h.srv.SendTextIn(group, officer, "/tasks@dongthap_tasks_bot")) // only commands addressed to the bot by name get an answer (group_test.go)
	if s := h.srv.SentTo(group.ID); len(s) != 1 || !strings.Contains(s[0].Text, "trò chuyện riêng") || strings.Contains(s[0].Text, "25-") {
		t.Errorf("group command: %v", s)
	}
	h.settle(h.srv.PushRaw(json.RawMessage(`{"my_chat_member":{"chat":{"id":100,"type":"private"},"from":{"id":100,"is_bot":false,"first_name":"A"},"date":1,"old_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"b"},"status":"member"},"new_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"b"},"status":"kicked"}}}`)))
	h.settle(h.srv.PushRaw(json.RawMessage(`{"poll":{"id":"p","question":"?","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}`)))

	// Forged and stale buttons: an alert, and nothing changes.
	list := h.say(officer, "/tasks")
	card := list[len(list)-1]
	otherRef := domain.RefOf(domain.AssignmentID("25-3", "so-tai-chinh"))
	for _, data := range []string{
		domain.Callback{Verb: domain.VerbStatus, Ref: otherRef, Arg: "done"}.Encode(),             // another agency's task
		domain.Callback{Verb: domain.VerbStatus, Ref: "nosuchref", Arg: "done"}.Encode(),          // unknown
		domain.Callback{Verb: domain.VerbStatus, Ref: domain.RefOf(id), Arg: "finished"}.Encode(), // bad status
		domain.Callback{Verb: domain.VerbProgress, Ref: domain.RefOf(id), Arg: "250"}.Encode(),    // bad number
		"garbage", "x|y|z|w", strings.Repeat("a", 64),
	} {
		ans, _ := h.press(officer, card.MessageID, data)
		if !ans.ShowAlert || ans.Text == "" {
			t.Errorf("button %q: answer %+v, want a polite alert", data, ans)
		}
	}
	if a, _ := h.store.Assignment(ctx, domain.AssignmentID("25-3", "so-tai-chinh")); a.Version != 0 {
		t.Errorf("a forged button changed another agency's assignment: %+v", a)
	}
	if a, _ := h.store.Assignment(ctx, id); a.Version != 0 {
		t.Errorf("bad buttons changed the assignment: %+v", a)
	}
	// A revoked officer's old buttons are refused.
	if _, err := h.store.RevokeOfficer(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	ans, _ := h.press(other, card.MessageID, domain.Callback{Verb: domain.VerbStatus, Ref: otherRef, Arg: "done"}.Encode())
	if !ans.ShowAlert {
		t.Errorf("revoked officer's button: %+v", ans)
	}

	// A 10,000-character note is refused with the limit, and the bot keeps waiting.
	_, sent := h.press(officer, card.MessageID, buttonWith(t, list[len(list)-1], "25-3"))
	card = sent[len(sent)-1]
	h.press(officer, card.MessageID, buttonWith(t, card, "Thêm ghi chú"))
	if s := lastText(t, h.say(officer, strings.Repeat("dài ", 2500))); !strings.Contains(s, "quá dài (9999 ký tự, tối đa 2000)") {
		t.Errorf("long note: %q", s)
	}
	if a, _ := h.store.Assignment(ctx, id); a.Note != "" {
		t.Errorf("long note stored")
	}
	h.say(officer, "Ngắn gọn")
	if a, _ := h.store.Assignment(ctx, id); a.Note != "Ngắn gọn" {
		t.Errorf("note after a refused one: %q", a.Note)
	}
	// Leader and admin commands refuse officers.
	for _, cmd := range []string{"/invite Sở Y tế", "/officers", "/revoke 100", "/overdue", "/duesoon"} {
		if s := lastText(t, h.say(officer, cmd)); !strings.Contains(s, "dành cho") {
			t.Errorf("%s by an officer: %q", cmd, s)
		}
	}
	if s := lastText(t, h.say(officer, "/task 99-9")); !strings.Contains(s, "Không có nhiệm vụ mã") {
		t.Errorf("/task unknown: %q", s)
	}
}

// English-speaking users get English; the default is Vietnamese.
func TestEnglishUser(t *testing.T) {
	h := newHarness(t)
	if s := lastText(t, h.say(english, "/start")); !strings.Contains(s, "not linked") {
		t.Errorf("english unlinked: %q", s)
	}
	h.link(english, "Công an")
	list := h.say(english, "/tasks")
	if s := lastText(t, list); !strings.Contains(s, "Tasks of Công an tỉnh") || !strings.Contains(s, "days left") {
		t.Errorf("english list: %q", s)
	}
	// Someone marked unreachable (they had blocked the bot) who writes again can be reached.
	if err := h.store.SetUnreachable(context.Background(), english.ID, true); err != nil {
		t.Fatal(err)
	}
	_, sent := h.press(english, list[len(list)-1].MessageID, buttonWith(t, list[len(list)-1], "25-3"))
	if o, _ := h.store.Officer(context.Background(), english.ID); o.Unreachable {
		t.Error("an officer who writes to the bot is still marked unreachable")
	}
	if s := plain(t, sent[len(sent)-1]); !strings.Contains(s, "Deadline:") || !strings.Contains(s, "lead") || !strings.Contains(s, "Not started") {
		t.Errorf("english card: %q", s)
	}
}

// Invites: single use, expiry, unknown codes; the admin picks among several matches.
func TestInvites(t *testing.T) {
	h := newHarness(t)
	got := h.say(admin, "/invite Sở")
	if s := lastText(t, got); !strings.Contains(s, "Có nhiều cơ quan") {
		t.Fatalf("ambiguous invite: %q", s)
	}
	_, sent := h.press(admin, got[len(got)-1].MessageID, buttonWith(t, got[len(got)-1], "Sở Nội vụ"))
	m := startRE.FindStringSubmatch(lastText(t, sent))
	if m == nil || !strings.Contains(lastText(t, sent), "https://t.me/dongthap_tasks_bot?start=") {
		t.Fatalf("invite link: %q", lastText(t, sent))
	}
	if s := lastText(t, h.say(officer, "/start "+m[1])); !strings.Contains(s, "Sở Nội vụ") {
		t.Errorf("link: %q", s)
	}
	if s := lastText(t, h.say(other, "/start "+m[1])); !strings.Contains(s, "đã được sử dụng") {
		t.Errorf("used code: %q", s)
	}
	if s := lastText(t, h.say(other, "/start NOSUCHCODE")); !strings.Contains(s, "không đúng") {
		t.Errorf("unknown code: %q", s)
	}
	got = h.say(admin, "/invite khoa hoc cong nghe") // typed without diacritics
	m = startRE.FindStringSubmatch(lastText(t, got))
	if m == nil || !strings.Contains(lastText(t, got), "Sở Khoa học và Công nghệ") {
		t.Fatalf("invite without diacritics: %q", lastText(t, got))
	}
	h.setNow(h.now.Add(8 * 24 * 60 * 60 * 1e9)) // 8 days later: the 7-day code expired
	if s := lastText(t, h.say(other, "/start "+m[1])); !strings.Contains(s, "hết hạn") {
		t.Errorf("expired code: %q", s)
	}
	if s := lastText(t, h.say(admin, "/officers")); !strings.Contains(s, "Nguyễn An") || !strings.Contains(s, "chưa có cán bộ") {
		t.Errorf("/officers: %q", s)
	}
	if s := lastText(t, h.say(admin, "/revoke 100")); !strings.Contains(s, "Đã thu hồi") {
		t.Errorf("/revoke: %q", s)
	}
	if s := lastText(t, h.say(officer, "/tasks")); !strings.Contains(s, "chưa được liên kết") {
		t.Errorf("revoked officer: %q", s)
	}
	if s := lastText(t, h.say(officer, "/whoami")); !strings.Contains(s, "<code>100</code>") {
		t.Errorf("/whoami: %q", s)
	}
}

// Command menus are set per language and per role; a failure does not stop the bot.
func TestCommandMenus(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.say(officer, "/help")
	// The menus of the people already known are set in the background at
	// start; wait until the admin's has arrived.
	cmds := h.srv.Commands()
	for deadline := time.Now().Add(30 * time.Second); len(cmds["chat:1/"]) == 0 && time.Now().Before(deadline); cmds = h.srv.Commands() {
		time.Sleep(20 * time.Millisecond)
	}
	if len(cmds["default/vi"]) == 0 || len(cmds["default/en"]) == 0 || cmds["default/en"][0].Description == cmds["default/vi"][0].Description {
		t.Errorf("default menus: %v", cmds)
	}
	var officerMenu []string
	for k, v := range cmds {
		if strings.HasPrefix(k, "chat:100/") {
			for _, c := range v {
				officerMenu = append(officerMenu, c.Command)
			}
		}
	}
	if !strings.Contains(strings.Join(officerMenu, ","), "tasks") || strings.Contains(strings.Join(officerMenu, ","), "invite") {
		t.Errorf("officer menu: %v", officerMenu)
	}
	var adminMenu string
	for k, v := range cmds {
		if strings.HasPrefix(k, "chat:1/") {
			for _, c := range v {
				adminMenu += c.Command + ","
			}
		}
	}
	if !strings.Contains(adminMenu, "invite") {
		t.Errorf("admin menu: %q", adminMenu)
	}
	// A failing setMyCommands at start is logged, and the bot works on.
	h.stop()
	h.srv.FailNext("setMyCommands", 50, 500, 0)
	h.start()
	if s := lastText(t, h.say(officer, "/tasks")); !strings.Contains(s, "Sở Y tế") {
		t.Errorf("bot after failing menus: %q", s)
	}
}

// Telegram's 429s and 5xx are waited out; the reply still arrives once.
func TestRateLimitedRepliesArriveOnce(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.srv.FailNext("sendMessage", 1, 429, 1)
	h.srv.FailNext("getUpdates", 2, 502, 0)
	got := h.say(officer, "/whoami")
	var ok []tgserver.Sent
	for _, s := range got {
		if strings.Contains(s.Text, "Mã Telegram") {
			ok = append(ok, s)
		}
	}
	if len(ok) != 1 {
		t.Errorf("whoami answered %d times after a 429", len(ok))
	}
}

// An update without a chat (or a press without a sender) does not stop the
// bot: before the runtime's one recover covered the lane choice, the first
// of these stopped the process. The next message is answered.
func TestUpdateWithoutChatDoesNotStopTheBot(t *testing.T) {
	h := newHarness(t)
	h.settle(h.srv.PushRaw(json.RawMessage(`{"message":{"message_id":1,"date":1,"text":"no chat"}}`)))
	h.settle(h.srv.PushRaw(json.RawMessage(`{"callback_query":{"id":"q","data":"o|x"}}`)))
	if got := h.say(officer, "/help"); len(got) == 0 {
		t.Fatal("no answer after an update without a chat")
	}
}
