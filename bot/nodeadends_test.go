package bot

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/telegram"
	"agencybot/tgserver"
)

// Issue 9, points 1–4: replies, pop-ups, typed text, one live card,
// one-shot choices and corrections, as an officer meets them.

// openCard opens a task's card with /task and returns it.
func (h *harness) openCard(u tgserver.User, code string) tgserver.Sent {
	h.t.Helper()
	got := h.say(u, "/task "+code)
	var c tgserver.Sent
	for _, s := range got {
		if s.Method == "sendMessage" {
			c = s
		}
	}
	if len(buttons(c)) == 0 {
		h.t.Fatalf("/task %s: no card with buttons: %q", code, c.Text)
	}
	return c
}

func (h *harness) assignment(code, agency string) domain.Assignment {
	h.t.Helper()
	a, err := h.store.Assignment(context.Background(), domain.AssignmentID(code, agency))
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// countMethod counts the calls of a method among sent.
func countMethod(sent []tgserver.Sent, method string) int {
	n := 0
	for _, s := range sent {
		if s.Method == method {
			n++
		}
	}
	return n
}

// Point 1: replying to the welcome or /help (which shows "/task 25-3") is
// not a note on 25-3; the text still gets somewhere (a hint).
func TestReplyToHelpIsNoNote(t *testing.T) {
	for _, tc := range []struct {
		u    tgserver.User
		hint string
	}{{officer, "Thêm ghi chú"}, {english, "Add a note"}} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			h.link(tc.u, "Sở Y tế")
			all := h.srv.SentTo(tc.u.ID)
			welcome := all[len(all)-1]
			if !strings.Contains(welcome.Text, "/task 25-3") {
				t.Fatalf("the welcome should show the example /task 25-3: %q", welcome.Text)
			}
			help := h.say(tc.u, "/help")
			for _, m := range []tgserver.Sent{welcome, help[len(help)-1]} {
				n := len(h.srv.SentTo(tc.u.ID))
				h.settle(h.srv.ReplyTo(tc.u, m.MessageID, "Xin cảm ơn"))
				got := h.srv.SentTo(tc.u.ID)[n:]
				if a := h.assignment("25-3", "so-y-te"); a.Note != "" || a.Version != 0 {
					t.Fatalf("a reply to %q changed 25-3: %+v", i18n.Shorten(m.Text, 40), a.State)
				}
				if txt := lastText(t, got); !strings.Contains(txt, tc.hint) {
					t.Errorf("reply to the welcome/help got %q, want the hint naming %q", txt, tc.hint)
				}
			}
		})
	}
}

// Point 1: a reminder the outbox sent, recorded with RecordSent, is about
// its tasks: a reply to a one-task reminder is a note on it, "80%" sets the
// progress; a reply to a reminder of two tasks asks which.
func TestReplyToReminder(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.link(officer, "Sở Y tế")
	as, err := h.store.AgencyAssignments(ctx, "so-y-te")
	if err != nil || len(as) < 2 {
		t.Fatalf("assignments of Sở Y tế: %d %v", len(as), err)
	}
	a1, a2 := h.assignment("25-3", "so-y-te"), as[0]
	if a2.ID == a1.ID {
		a2 = as[1]
	}
	sender, err := telegram.NewSender(testToken, h.cfg.APIEndpoint, nil)
	if err != nil {
		t.Fatal(err)
	}
	sender.Sent = func(ctx context.Context, m domain.Outgoing, id int) { // as Wire wires it: the outbox's sender records what it sent
		_ = RecordSent(ctx, h.store, m, id, AboutReminder)
	}
	send := func(refs ...domain.Assignment) int {
		out := domain.Outgoing{ChatID: officer.ID, Text: "⏰ <b>Nhắc việc</b> 25-3 26-I.1"}
		for _, a := range refs {
			out.Buttons = append(out.Buttons, []domain.Button{{Text: a.TaskCode, Data: domain.Callback{Verb: domain.VerbOpen, Ref: a.Ref}.Encode()}})
		}
		if err := sender.Send(ctx, out); err != nil {
			t.Fatal(err)
		}
		m, _ := h.srv.LastMessage(officer.ID)
		return m.MessageID
	}
	one := send(a1)
	h.settle(h.srv.ReplyTo(officer, one, "Đã trình dự thảo"))
	if a := h.assignment("25-3", "so-y-te"); a.Note != "Đã trình dự thảo" {
		t.Fatalf("reply to the reminder: note = %q", a.Note)
	}
	h.settle(h.srv.ReplyTo(officer, one, "80%"))
	if a := h.assignment("25-3", "so-y-te"); a.Progress != 80 || a.Status != domain.InProgress {
		t.Fatalf("reply 80%% to the reminder: %+v", a.State)
	}

	two := send(a1, a2)
	n := len(h.srv.SentTo(officer.ID))
	h.settle(h.srv.ReplyTo(officer, two, "Chờ ý kiến Sở Tài chính"))
	choice := h.srv.SentTo(officer.ID)[n:]
	c := choice[len(choice)-1]
	if !strings.Contains(c.Text, "nhiều nhiệm vụ") {
		t.Fatalf("a reply to a two-task reminder should ask which: %q", c.Text)
	}
	h.press(officer, c.MessageID, buttonWith(t, c, "ghi chú cho "+a2.TaskCode))
	if a := h.assignment(a2.TaskCode, "so-y-te"); a.Note != "Chờ ý kiến Sở Tài chính" {
		t.Errorf("note on the chosen task: %q", a.Note)
	}
	if a := h.assignment("25-3", "so-y-te"); a.Note != "Đã trình dự thảo" {
		t.Errorf("the other task changed: %q", a.Note)
	}
	// A message with no task button records nothing.
	if err := RecordSent(ctx, h.store, domain.Outgoing{ChatID: officer.ID, Text: "25-3"}, 12345, AboutAlert); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := h.store.About(ctx, officer.ID, 12345); ok {
		t.Error("a message without task buttons was recorded as about a task")
	}
}

// entityRE finds HTML entities and the bot's markup tags (<b>, </b>, <code>
// used as markup, <a href…>); a pop-up's "<code>" from &lt;code&gt; is text,
// which the comparison with the parsed message tells apart.
var entityRE = regexp.MustCompile(`&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);|</?b>|</?i>|</code>|<a\s`)

// Point 1: pop-ups are plain text. Every text of both catalogues, as a
// callback answer (with user text such as `Sở KH&CN "x"` in it), shows what
// the same text shows as a message, with no HTML tag or entity, and fits a
// pop-up; answer is the only place that answers callbacks; and the
// admins-only pop-up reads "Sở KH&CN".
func TestPopupsArePlainText(t *testing.T) {
	checked := 0
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		for _, key := range i18n.Keys(l) {
			raw := i18n.T(l, key)
			args := make([]any, 0, 6)
			for _, verb := range regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`).FindAllString(raw, -1) {
				switch verb[len(verb)-1] {
				case 'd':
					args = append(args, 7)
				case 's', 'v', 'q':
					args = append(args, escape(`Sở KH&CN "x"`))
				}
			}
			src := i18n.T(l, key, args...)
			p := plainText(src)
			if entityRE.MatchString(p) {
				t.Errorf("%s %s as a pop-up: %q", l, key, p)
			}
			if i18n.UTF16Len(p) > telegram.MaxPopup {
				t.Errorf("%s %s: pop-up of %d characters", l, key, i18n.UTF16Len(p))
			}
			shown, _, err := tgserver.ParseHTML(src)
			if err != nil {
				t.Errorf("%s %s is not valid HTML: %v", l, key, err)
				continue
			}
			shown = strings.TrimSpace(shown)
			if want := strings.TrimSuffix(p, "…"); !strings.HasPrefix(shown, want) {
				t.Errorf("%s %s: pop-up %q differs from the message %q", l, key, p, shown)
			}
			checked++
		}
	}
	if checked < 400 {
		t.Errorf("only %d texts checked", checked)
	}
	files := map[string]int{}
	for _, f := range append(goSources(t, "."), goSources(t, "../telegram")...) {
		if n := strings.Count(f.src, "NewCallback("); n > 0 {
			files[f.name] += n
		}
	}
	if len(files) != 1 || files["../telegram/reply.go"] != 1 {
		t.Errorf("callback answers must all go through Answer in telegram/reply.go: %v", files)
	}

	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	list := h.say(officer, "/tasks")
	ans, _ := h.press(officer, list[len(list)-1].MessageID, domain.Callback{Verb: domain.VerbInvite, Ref: "so-y-te"}.Encode())
	if !strings.Contains(ans.Text, "(Sở KH&CN)") || entityRE.MatchString(ans.Text) {
		t.Errorf("admins-only pop-up = %q", ans.Text)
	}
	// Every pop-up the flows of this file produce is plain.
	for _, c := range h.srv.Callbacks() {
		if entityRE.MatchString(c.Text) {
			t.Errorf("pop-up with markup: %q", c.Text)
		}
	}
}

// Point 2: with a card open, typed text gets a one-tap choice naming the
// task (a note; the progress when it reads as a figure); the choice works
// once; a reply of "80%" to the card sets the progress.
func TestTypedTextWithCardOpen(t *testing.T) {
	for _, tc := range []struct {
		u                          tgserver.User
		note, progress, done, hint string
	}{
		{officer, "ghi chú cho 25-3", "tiến độ 60% cho 25-3", "đã được thực hiện", "Dùng cho nhiệm vụ"},
		{english, "note on 25-3", "progress 60% on 25-3", "already made", "What is it for task"},
	} {
		t.Run(tc.u.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			h.link(tc.u, "Sở Y tế")
			card := h.openCard(tc.u, "25-3")

			got := h.say(tc.u, "Đã họp với các đơn vị")
			c := got[len(got)-1]
			if !strings.Contains(c.Text, tc.hint) || !strings.Contains(plain(t, c), "25-3") {
				t.Fatalf("choice = %q", c.Text)
			}
			if _, ok := buttons(c)["📈"]; len(buttons(c)) != 2 || ok {
				t.Errorf("a text that is no figure gets note and ignore only: %v", buttons(c))
			}
			ans, sent := h.press(tc.u, c.MessageID, buttonWith(t, c, tc.note))
			if a := h.assignment("25-3", "so-y-te"); a.Note != "Đã họp với các đơn vị" {
				t.Fatalf("note = %q (pop-up %q)", a.Note, ans.Text)
			}
			// The card the officer was using is redrawn; no new card.
			if countMethod(sent, "sendMessage") != 0 {
				t.Errorf("a new message was sent for a typed note: %v", sent)
			}
			redrawn := false
			for _, s := range sent {
				redrawn = redrawn || s.Method == "editMessageText" && s.MessageID == card.MessageID && strings.Contains(s.Text, "Đã họp với các đơn vị")
			}
			if !redrawn {
				t.Errorf("the open card was not updated in place: %v", sent)
			}
			// A second press does nothing and says it was done.
			ans, _ = h.press(tc.u, c.MessageID, buttonWith(t, c, tc.note))
			if !strings.Contains(ans.Text, tc.done) {
				t.Errorf("second press: %q", ans.Text)
			}
			if a := h.assignment("25-3", "so-y-te"); a.Version != 1 {
				t.Errorf("the note was saved %d times", a.Version)
			}

			got = h.say(tc.u, "60")
			c = got[len(got)-1]
			h.press(tc.u, c.MessageID, buttonWith(t, c, tc.progress))
			if a := h.assignment("25-3", "so-y-te"); a.Progress != 60 {
				t.Fatalf("progress by choice = %d", a.Progress)
			}

			n := len(h.srv.SentTo(tc.u.ID))
			h.settle(h.srv.ReplyTo(tc.u, card.MessageID, "80%"))
			sent = h.srv.SentTo(tc.u.ID)[n:]
			if a := h.assignment("25-3", "so-y-te"); a.Progress != 80 || a.Note != "Đã họp với các đơn vị" {
				t.Fatalf("reply 80%% to the card: %+v", a.State)
			}
			if countMethod(sent, "editMessageText") != 1 || countMethod(sent, "sendMessage") != 1 {
				t.Errorf("reply 80%%: want the card edited and one confirmation, got %v", sent)
			}
			if txt := plain(t, sent[0]); !strings.Contains(txt, "25-3") || !strings.Contains(txt, "80%") {
				t.Errorf("confirmation = %q", txt)
			}
		})
	}
}

// Point 2: text the bot cannot place gets a hint naming the note button and
// replying; a leader is pointed to the leaders' commands; an invite code
// pasted without /start links.
func TestTypedTextHints(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	h.link(english, "Sở Tài chính")
	for _, tc := range []struct {
		u         tgserver.User
		want, not []string
	}{
		{officer, []string{"📝 Thêm ghi chú", "trả lời"}, nil},
		{english, []string{"📝 Add a note", "reply"}, nil},
		{leader, []string{"/summary", "/overdue", "/duesoon"}, []string{"/tasks"}},
		{admin, []string{"/summary"}, []string{"/tasks"}},
	} {
		txt := plain(t, h.say(tc.u, "Chào bot")[0])
		for _, w := range tc.want {
			if !strings.Contains(txt, w) {
				t.Errorf("%s typing text got %q, want %q", tc.u.FirstName, txt, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(txt, w) {
				t.Errorf("%s typing text got %q, which names %q", tc.u.FirstName, txt, w)
			}
		}
	}

	for _, tc := range []struct {
		u    tgserver.User
		form func(code string) string
		want string
	}{
		{nobody, func(c string) string { return c }, "Sở Y tế"},
		{tgserver.User{ID: 998, FirstName: "Jane", LanguageCode: "en"}, func(c string) string { return "https://t.me/dongthap_tasks_bot?start=" + c }, "Sở Y tế"},
		{tgserver.User{ID: 997, FirstName: "Lan", LanguageCode: "vi"}, strings.ToLower, "Sở Y tế"},
	} {
		m := startRE.FindStringSubmatch(lastText(t, h.say(admin, "/invite Sở Y tế")))
		got := h.say(tc.u, tc.form(m[1]))
		if o, err := h.store.Officer(context.Background(), tc.u.ID); err != nil || o.AgencyKey != "so-y-te" {
			t.Errorf("pasted code %q did not link: %v %v", tc.form(m[1]), o, err)
		}
		if !strings.Contains(lastText(t, got), tc.want) {
			t.Errorf("after pasting the code: %q", lastText(t, got))
		}
	}
}

type goSource struct{ name, src string }

// goSources reads the non-test Go files of the package in dir.
func goSources(t *testing.T, dir string) []goSource {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var out []goSource
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, goSource{f, string(src)})
	}
	return out
}
