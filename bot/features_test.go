package bot

// Handler logic on fakes of each feature's small interfaces: no database,
// no Bot API server, no Telegram types — a feature is built with what it
// declares it needs and answers through a recording Replier.

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/summaries"
	"agencybot/telegram"
)

// sentText is one message a feature sent or edited.
type sentText struct {
	chat int64
	edit int // the message edited (0: a new one)
	text string
	kb   telegram.Keyboard
}

// popup is one answer to a press.
type popup struct {
	text  string
	alert bool
}

// recordingReplier records what a feature answers.
type recordingReplier struct {
	sent    []sentText
	popups  []popup
	menus   map[int64][]string
	next    int
	asked   []string
	strips  []int
	actions []string
}

func (r *recordingReplier) id() int { r.next++; return 1000 + r.next }

func (r *recordingReplier) Send(chat int64, text string, kb telegram.Keyboard) int {
	r.sent = append(r.sent, sentText{chat: chat, text: text, kb: kb})
	return r.id()
}
func (r *recordingReplier) Ask(chat int64, text, _ string) int {
	r.asked = append(r.asked, text)
	return r.id()
}
func (r *recordingReplier) Edit(chat int64, msgID int, text string, kb telegram.Keyboard) int {
	r.sent = append(r.sent, sentText{chat: chat, edit: msgID, text: text, kb: kb})
	return msgID
}
func (r *recordingReplier) Strip(_ int64, msgID int) { r.strips = append(r.strips, msgID) }
func (r *recordingReplier) Answer(_, text string, alert bool) {
	r.popups = append(r.popups, popup{telegram.PlainText(text), alert})
}
func (r *recordingReplier) SendFile(int64, domain.Attachment, string) error { return nil }
func (r *recordingReplier) Action(_ int64, a string)                        { r.actions = append(r.actions, a) }
func (r *recordingReplier) SetMenu(chat int64, _ string, cmds []telegram.Command) error {
	if r.menus == nil {
		r.menus = map[int64][]string{}
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	r.menus[chat] = names
	return nil
}

// people is a fixed set of linked people (officerFinder, and the lists the
// features read).
type people map[int64]domain.Officer

func (p people) Officer(_ context.Context, id int64) (domain.Officer, error) {
	if o, ok := p[id]; ok {
		return o, nil
	}
	return domain.Officer{}, store.ErrNotFound
}

func (p people) Officers(_ context.Context, agencyKey string) ([]domain.Officer, error) {
	var out []domain.Officer
	for _, id := range []int64{100, 101, 102, 300} { // in a fixed order
		if o, ok := p[id]; ok && (agencyKey == "" || o.AgencyKey == agencyKey) {
			out = append(out, o)
		}
	}
	return out, nil
}

// onlyAgencies is a catalog of agencies only.
type onlyAgencies struct{ catalogStore }

func (onlyAgencies) Agency(_ context.Context, key string) (domain.Agency, error) {
	if key == "so-y-te" {
		return domain.Agency{Key: key, Name: "Sở Y tế"}, nil
	}
	return domain.Agency{}, store.ErrNotFound
}

// claims is a one-shot store in memory.
type claims map[string]bool

func (c claims) ClaimOnce(_ context.Context, key string) (bool, error) {
	if c[key] {
		return false, nil
	}
	c[key] = true
	return true, nil
}

func linkedPeople() people {
	return people{
		100: {TelegramID: 100, Role: domain.RoleOfficer, AgencyKey: "so-y-te", Name: "Nguyễn An", Lang: "vi"},
		101: {TelegramID: 101, Role: domain.RoleOfficer, AgencyKey: "so-y-te", Name: "Trần Bình", Lang: "en"},
		102: {TelegramID: 102, Role: domain.RoleOfficer, AgencyKey: "so-tu-phap", Name: "Lê Cường", Lang: "vi"},
		300: {TelegramID: 300, Role: domain.RoleLeader, Name: "Lê Lãnh Đạo", Lang: "vi"},
	}
}

// testCore is what every feature shares, on fakes: the clock at 08:00 on
// 24 December 2025, an outbox that records, the people above.
func testCore(t *testing.T, p people) (*core, *fakeOutbox) {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": testToken, "ADMIN_TELEGRAM_IDS": "1"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	out := &fakeOutbox{}
	c := &core{cfg: cfg, log: slog.New(slog.DiscardHandler), outbox: out, people: p, sums: summaries.New(summaries.Options{}),
		clock:   func() time.Time { return time.Date(2025, 12, 24, 8, 0, 0, 0, cfg.Location) },
		botName: func() string { return "dongthap_tasks_bot" }}
	c.catalog = &catalog{store: onlyAgencies{}, sums: c.sums, log: c.log}
	return c, out
}

// whoOn is a linked person answering through r (pressing the button on
// message 5 when press is set).
func whoOn(p people, id int64, r telegram.Replier, press bool) who {
	o := p[id]
	w := who{ID: id, Name: o.Name, Lang: i18n.For(o.Lang), Officer: &o, Chat: id, Source: "tg:42", out: r}
	if press {
		w.press = &telegram.Press{ID: "q", MessageID: 5}
	}
	return w
}

// pauses records the pauses set.
type pauses struct {
	people
	set  map[int64]time.Time
	subs map[int64]int64
	fail error
}

func (p *pauses) Pause(_ context.Context, id int64, until time.Time, sub int64) error {
	if p.fail != nil {
		return p.fail
	}
	p.set[id], p.subs[id] = until, sub
	return nil
}

// /pause offers the colleagues of the same agency (not the officer, not
// another agency's, not a leader) and "no substitute"; the choice pauses
// until the end of the last day in the province, tells the substitute in
// their language through the outbox, works once, and forged data changes
// nothing.
func TestPauseOnFakes(t *testing.T) {
	p := linkedPeople()
	c, out := testCore(t, p)
	st := &pauses{people: p, set: map[int64]time.Time{}, subs: map[int64]int64{}}
	f := &pausing{core: c, store: st, once: &oneShot{core: c, store: claims{}}}
	ctx := context.Background()

	r := &recordingReplier{}
	if err := f.pause(ctx, whoOn(p, 100, r, false), "7"); err != nil {
		t.Fatal(err)
	}
	if len(r.sent) != 1 || len(r.sent[0].kb) != 2 || !strings.Contains(r.sent[0].kb[0][0].Text, "Trần Bình") ||
		r.sent[0].kb[1][0].Data != (domain.Callback{Verb: VerbPause, Ref: "7", Arg: "0"}).Encode() {
		t.Fatalf("/pause 7 offered %+v", r.sent)
	}
	if err := f.pause(ctx, whoOn(p, 100, r, false), "91"); err != nil || !strings.Contains(r.sent[1].text, "90") {
		t.Errorf("/pause 91: %v %q", err, r.sent[1].text)
	}

	r = &recordingReplier{}
	for _, forged := range []domain.Callback{{Verb: VerbPause, Ref: "7", Arg: "102"}, {Verb: VerbPause, Ref: "7", Arg: "100"},
		{Verb: VerbPause, Ref: "0", Arg: "0"}, {Verb: VerbPause, Ref: "x", Arg: "0"}} {
		if err := f.confirmed(ctx, whoOn(p, 100, r, true), forged); err != nil {
			t.Fatal(err)
		}
	}
	if len(st.set) != 0 || len(r.popups) != 4 || !r.popups[0].alert {
		t.Fatalf("forged presses paused %v, answered %+v", st.set, r.popups)
	}

	r = &recordingReplier{}
	if err := f.confirmed(ctx, whoOn(p, 100, r, true), domain.Callback{Verb: VerbPause, Ref: "7", Arg: "101"}); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 1, 1, 0, 0, 0, 0, c.cfg.Location) // the end of Wednesday 31/12/2025
	if !st.set[100].Equal(want) || st.subs[100] != 101 {
		t.Errorf("paused until %v with %d, want %v with 101", st.set[100], st.subs[100], want)
	}
	if len(r.sent) != 1 || r.sent[0].edit != 5 || !strings.Contains(r.sent[0].text, "31/12/2025") || !strings.Contains(r.sent[0].text, "Trần Bình") {
		t.Errorf("the choice message became %+v", r.sent)
	}
	told, ok := out.queued["substitute|42|101"]
	if !ok || !strings.Contains(told.Text, "Nguyễn An") || told.Text != i18n.T(i18n.EN, "pause.you_substitute", "Nguyễn An", "31/12/2025") {
		t.Errorf("the substitute was told %q (queued %v)", told.Text, out.order)
	}
	if err := f.confirmed(ctx, whoOn(p, 100, r, true), domain.Callback{Verb: VerbPause, Ref: "3", Arg: "0"}); err != nil {
		t.Fatal(err)
	}
	if st.subs[100] != 101 || r.popups[len(r.popups)-1].text != i18n.T(i18n.VI, "ok.choice_done") {
		t.Errorf("a second press on the same choice changed the pause (%d) or answered %+v", st.subs[100], r.popups)
	}

	// A storage failure is returned (the runtime tells the person) and
	// the press is not answered here.
	st.fail = errors.New("disk full")
	r = &recordingReplier{}
	f.once = &oneShot{core: c, store: claims{}}
	if err := f.confirmed(ctx, whoOn(p, 100, r, true), domain.Callback{Verb: VerbPause, Ref: "7", Arg: "0"}); err == nil || len(r.popups) != 0 {
		t.Errorf("a failed pause: err %v, answered %+v", err, r.popups)
	}
}

// revokes unlinks people.
type revokes struct {
	people
	revoked []int64
}

func (r *revokes) RevokeOfficer(_ context.Context, id int64) (bool, error) {
	if _, ok := r.people[id]; !ok {
		return false, nil
	}
	r.revoked = append(r.revoked, id)
	return true, nil
}

// /revoke reads the id, says whom it revoked and what they were, tells
// them through the outbox in their language, and puts their menu back to a
// newcomer's; an unknown id or a malformed one changes nothing.
func TestRevokeOnFakes(t *testing.T) {
	p := linkedPeople()
	c, out := testCore(t, p)
	st := &revokes{people: p}
	f := &officers{core: c, store: st, menus: &menus{core: c, store: p}}
	ctx := context.Background()
	admin := who{ID: 1, Name: "Quản Trị", Lang: i18n.VI, Admin: true, Chat: 1, Source: "tg:42"}
	r := &recordingReplier{}
	admin.out = r
	for _, arg := range []string{"", "abc", "-5", "999"} {
		if err := f.revoke(ctx, admin, arg); err != nil {
			t.Fatal(err)
		}
	}
	if len(st.revoked) != 0 || len(out.order) != 0 || len(r.sent) != 4 || !strings.Contains(r.sent[3].text, "999") {
		t.Fatalf("bad /revoke arguments revoked %v, queued %v, answered %+v", st.revoked, out.order, r.sent)
	}
	if err := f.revoke(ctx, admin, " 101 "); err != nil {
		t.Fatal(err)
	}
	if len(st.revoked) != 1 || st.revoked[0] != 101 {
		t.Fatalf("revoked %v", st.revoked)
	}
	if last := r.sent[len(r.sent)-1].text; !strings.Contains(last, "Trần Bình") || !strings.Contains(last, "Sở Y tế") {
		t.Errorf("/revoke answered %q", last)
	}
	if n, ok := out.queued["revoked|42|101"]; !ok || n.Text != i18n.T(i18n.EN, "revoked.notice", i18n.T(i18n.EN, "whoami.officer", "Sở Y tế")) {
		t.Errorf("the revoked officer was told %q", n.Text)
	}
	if got := strings.Join(r.menus[101], ","); got != "start,whoami,help" {
		t.Errorf("the revoked officer's menu is %s", got)
	}
}

// Without the coordinators' store the features that need it say they are
// not available, and change nothing.
func TestCoordinatorsFeaturesUnavailableOnFakes(t *testing.T) {
	c, _ := testCore(t, linkedPeople())
	ctx := context.Background()
	r := &recordingReplier{}
	admin := who{ID: 1, Lang: i18n.VI, Admin: true, Chat: 1, Source: "tg:42", out: r}
	im := &imports{core: c}
	if err := im.start(ctx, admin, importPlan, "77/KH-UBND"); err != nil {
		t.Fatal(err)
	}
	rv := &reviews{core: c}
	if err := rv.list(ctx, admin); err != nil {
		t.Fatal(err)
	}
	if took, err := im.text(ctx, admin, "77/KH-UBND"); took || err != nil {
		t.Errorf("an import's text was taken without imports: %v %v", took, err)
	}
	for i, s := range r.sent {
		if s.text != i18n.T(i18n.VI, "import.unavailable") {
			t.Errorf("answer %d: %q", i, s.text)
		}
	}
	if len(r.sent) != 2 {
		t.Errorf("%d answers, want 2", len(r.sent))
	}
}

// The router's tables on their own: a command or a button someone may not
// use is refused with the table's text, someone not linked is told so, an
// unknown verb is a stale button — and no handler runs (the features are
// not even built).
func TestTablesRefuseOnFakes(t *testing.T) {
	b := &Bot{}
	ctx := context.Background()
	p := linkedPeople()
	r := &recordingReplier{}
	officer, leader := whoOn(p, 100, r, true), whoOn(p, 300, r, true)
	stranger := who{ID: 9, Lang: i18n.VI, Chat: 9, out: r, press: &telegram.Press{ID: "q"}}
	steps := []func() error{
		func() error { return b.runCommand(ctx, officer, "invite", "Sở Y tế") },
		func() error { return b.runCommand(ctx, leader, "tasks", "") },
		func() error { return b.runCommand(ctx, stranger, "summary", "") },
		func() error { return b.runCommand(ctx, officer, "frobnicate", "") },
		func() error { return b.runVerb(ctx, officer, domain.Callback{Verb: VerbScope, Ref: "so-y-te"}) },
		func() error { return b.runVerb(ctx, leader, domain.Callback{Verb: domain.VerbInvite, Ref: "so-y-te"}) },
		func() error { return b.runVerb(ctx, stranger, domain.Callback{Verb: domain.VerbOpen, Ref: "x"}) },
		func() error { return b.runVerb(ctx, officer, domain.Callback{Verb: "nosuchverb"}) },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	vi := func(key string, args ...any) string { return i18n.T(i18n.VI, key, args...) }
	wantSent := []string{vi("err.admins_only"), vi("tasks.not_officer"), vi("notlinked", int64(9)), vi("err.unknown_command", "frobnicate")}
	wantPopups := []string{vi("err.leaders_only"), vi("err.admins_only"), vi("notlinked.short"), vi("err.stale_button")}
	if len(r.sent) != len(wantSent) || len(r.popups) != len(wantPopups) {
		t.Fatalf("sent %+v, answered %+v", r.sent, r.popups)
	}
	for i, w := range wantSent {
		if r.sent[i].text != w {
			t.Errorf("message %d = %q, want %q", i, r.sent[i].text, w)
		}
	}
	for i, w := range wantPopups {
		if r.popups[i].text != telegram.PlainText(w) || !r.popups[i].alert {
			t.Errorf("pop-up %d = %+v, want the alert %q", i, r.popups[i], w)
		}
	}
}
