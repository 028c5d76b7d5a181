package bot

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/summaries"
	"agencybot/telegram"
)

// Small hand-written fakes of the bot's dependencies, for handler tests that
// need no database and no Bot API server. fakeStore puts together the few
// store methods these tests use; any other method (unexpected) panics, the
// runtime recovers it and tells Panicked, which fails the test.

// fakeTelegram records every request and answers each with success.
type fakeTelegram struct {
	telegram.API
	mu   sync.Mutex
	reqs []tgbotapi.Chattable
}

func (f *fakeTelegram) Request(c tgbotapi.Chattable) (*tgbotapi.APIResponse, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, c)
	return &tgbotapi.APIResponse{Ok: true, Result: []byte(`{"message_id":7}`)}, nil
}

func (f *fakeTelegram) Username() string { return "dongthap_tasks_bot" }

// texts are the texts of the messages sent and edited, in order.
func (f *fakeTelegram) texts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.reqs {
		switch m := c.(type) {
		case tgbotapi.MessageConfig:
			out = append(out, m.Text)
		case tgbotapi.EditMessageTextConfig:
			out = append(out, m.Text)
		}
	}
	return out
}

// callbacks are the answers to button presses, in order.
func (f *fakeTelegram) callbacks() []tgbotapi.CallbackConfig {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []tgbotapi.CallbackConfig
	for _, c := range f.reqs {
		if cb, ok := c.(tgbotapi.CallbackConfig); ok {
			out = append(out, cb)
		}
	}
	return out
}

// unexpected stands for every store method no fake implements: calling one
// panics (nil interface), which fails the test.
type unexpected struct{ Data }

// fakeStore is the bot's data on fakes.
type fakeStore struct {
	unexpected
	*fakePolls
	*fakePeople
	*fakeCatalog
	*fakeAssignments
	*fakeQuestions
	*fakeAbouts
}

// fakePolls remembers processed updates in memory.
type fakePolls struct {
	done map[int]bool
}

func (f *fakePolls) Processed(_ context.Context, id int) (bool, error) { return f.done[id], nil }
func (f *fakePolls) MarkProcessed(_ context.Context, id int) (bool, error) {
	was := f.done[id]
	f.done[id] = true
	return !was, nil
}

// fakePeople knows a fixed set of linked people.
type fakePeople struct {
	linked map[int64]domain.Officer
}

func (f *fakePeople) Officer(_ context.Context, id int64) (domain.Officer, error) {
	if o, ok := f.linked[id]; ok {
		return o, nil
	}
	return domain.Officer{}, store.ErrNotFound
}

func (f *fakePeople) TouchOfficer(_ context.Context, id int64, name, username, lang string) error {
	o := f.linked[id]
	o.Name, o.Username, o.Lang = name, username, lang
	f.linked[id] = o
	return nil
}

// fakeCatalog holds one task and its agency.
type fakeCatalog struct {
	task   domain.Task
	agency domain.Agency
}

func (f *fakeCatalog) Tasks(context.Context, string) ([]domain.Task, error) {
	return []domain.Task{f.task}, nil
}
func (f *fakeCatalog) Agencies(context.Context) ([]domain.Agency, error) {
	return []domain.Agency{f.agency}, nil
}

// fakeAssignments keeps one assignment and applies changes with the
// domain's rule, as the store does, recording each applied update.
type fakeAssignments struct {
	a       domain.Assignment
	applied []domain.Update
}

func (f *fakeAssignments) AssignmentIDByRef(_ context.Context, ref string) (string, error) {
	if ref != f.a.Ref {
		return "", store.ErrNotFound
	}
	return f.a.ID, nil
}

func (f *fakeAssignments) Apply(_ context.Context, id string, ch domain.Change) (domain.Assignment, domain.Update, error) {
	after, err := domain.Next(f.a.State, ch, nil)
	u := domain.Update{ID: domain.UpdateID(id, f.a.Version+1), Kind: ch.Kind, Status: ch.Status, Progress: ch.Progress,
		OfficerID: ch.OfficerID, OfficerName: ch.OfficerName, Version: f.a.Version + 1, Before: f.a.State, After: after}
	if err != nil {
		return f.a, u, err
	}
	f.a = f.a.Advance(u)
	f.applied = append(f.applied, u)
	return f.a, u, nil
}

func (f *fakeAssignments) Assignment(_ context.Context, id string) (domain.Assignment, error) {
	if id != f.a.ID {
		return domain.Assignment{}, store.ErrNotFound
	}
	return f.a, nil
}

// fakeQuestions keeps sessions in memory.
type fakeQuestions struct {
	by map[int64]store.Session
}

func (f *fakeQuestions) Session(_ context.Context, id int64, _ time.Duration) (store.Session, bool, error) {
	se, ok := f.by[id]
	return se, ok, nil
}

func (f *fakeQuestions) SaveSession(_ context.Context, se store.Session) error {
	f.by[se.UserID] = se
	return nil
}

// fakeAbouts keeps the live cards and what messages are about in memory.
type fakeAbouts struct {
	live   map[string]int
	abouts []store.MessageAbout
}

func (f *fakeAbouts) LiveCard(_ context.Context, chat int64, id string) (int, error) {
	return f.live[itoa64(chat)+" "+id], nil
}

func (f *fakeAbouts) SetLiveCard(_ context.Context, chat int64, id string, msg int) error {
	f.live[itoa64(chat)+" "+id] = msg
	return nil
}

func (f *fakeAbouts) RecordAbout(_ context.Context, m store.MessageAbout) error {
	f.abouts = append(f.abouts, m)
	return nil
}

// fakeOutbox records what the bot queued, once per key as the real one.
type fakeOutbox struct {
	mu     sync.Mutex
	queued map[string]domain.Outgoing
	order  []string
}

func (f *fakeOutbox) Enqueue(_ context.Context, key string, out domain.Outgoing) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queued == nil {
		f.queued = map[string]domain.Outgoing{}
	}
	if _, ok := f.queued[key]; ok {
		return false, nil
	}
	f.queued[key] = out
	f.order = append(f.order, key)
	return true, nil
}

// onFakes is the data of a bot on fakes: one officer of Sở Y tế (id 100,
// in language lang) with task 25-3 in progress at 40 %, and a leader (300).
func onFakes(lang string) *fakeStore {
	id := domain.AssignmentID("25-3", "so-y-te")
	return &fakeStore{
		fakePolls: &fakePolls{done: map[int]bool{}},
		fakePeople: &fakePeople{linked: map[int64]domain.Officer{
			100: {TelegramID: 100, Role: domain.RoleOfficer, AgencyKey: "so-y-te", Name: "Nguyễn An", Lang: lang, Active: true},
			300: {TelegramID: 300, Role: domain.RoleLeader, Name: "Lê Lãnh Đạo", Lang: lang, Active: true},
		}},
		fakeCatalog: &fakeCatalog{task: domain.Task{Code: "25-3", Title: "Xây dựng kế hoạch"}, agency: domain.Agency{Key: "so-y-te", Name: "Sở Y tế"}},
		fakeAssignments: &fakeAssignments{a: domain.Assignment{ID: id, Ref: domain.RefOf(id), TaskCode: "25-3", AgencyKey: "so-y-te", Role: domain.Lead,
			State: domain.State{Status: domain.InProgress, Progress: 40}}},
		fakeQuestions: &fakeQuestions{by: map[int64]store.Session{}},
		fakeAbouts:    &fakeAbouts{live: map[string]int{}},
	}
}

// fakeBot is a bot on data (onFakes, or a wrapper of it): no coordinators'
// store (imports and reviews are not available), no database, the Bot API
// a recorder.
func fakeBot(t *testing.T, data Data) (*Bot, *fakeTelegram) {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": testToken, "ADMIN_TELEGRAM_IDS": "1"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	tg := &fakeTelegram{}
	b := New(Deps{
		Data: data, API: tg, Config: cfg, Outbox: &fakeOutbox{},
		Clock:     func() time.Time { return time.Date(2025, 12, 24, 8, 0, 0, 0, cfg.Location) },
		Summaries: summaries.New(summaries.Options{}), // never loaded: the fakes read no roll-up
		Log:       slog.New(slog.DiscardHandler),
	})
	b.Runtime.Panicked = func(id int, p any) { t.Errorf("update %d: a handler panicked: %v", id, p) }
	return b, tg
}

func fakeUser(id int64, lang string) *tgbotapi.User {
	names := map[int64]string{100: "Nguyễn An", 300: "Lê Lãnh Đạo"}
	first, last, _ := strings.Cut(names[id], " ")
	return &tgbotapi.User{ID: id, FirstName: first, LastName: last, LanguageCode: lang}
}

func typed(id int, from *tgbotapi.User, text string) tgbotapi.Update {
	name, _, _ := strings.Cut(text, " ")
	return tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{MessageID: id, From: from, Text: text,
		Chat:     &tgbotapi.Chat{ID: from.ID, Type: "private"},
		Entities: []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(name)}}}}
}

func pressing(id int, from *tgbotapi.User, data string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: id, CallbackQuery: &tgbotapi.CallbackQuery{ID: "q" + itoa(id), From: from, Data: data,
		Message: &tgbotapi.Message{MessageID: 5, Chat: &tgbotapi.Chat{ID: from.ID, Type: "private"}}}}
}

// /help and the menu of an English officer come from the command table,
// and a leader's /invite is refused: no database involved.
func TestHelpAndRefusalOnFakes(t *testing.T) {
	b, tg := fakeBot(t, onFakes("en"))
	ctx := context.Background()
	b.Runtime.HandleUpdate(ctx, typed(1, fakeUser(100, "en"), "/help"))
	got := tg.texts()
	if len(got) != 1 || !strings.Contains(got[0], "Focal officer") || !strings.Contains(got[0], "/tasks — your agency's tasks") ||
		strings.Contains(got[0], "/invite") {
		t.Fatalf("officer /help: %q", got)
	}
	b.Runtime.HandleUpdate(ctx, typed(2, fakeUser(300, "vi"), "/moi Sở Y tế"))
	if got := tg.texts(); len(got) != 2 || got[1] != i18n.T(i18n.VI, "err.admins_only") {
		t.Errorf("leader /moi (alias of /invite): %q", got[1:])
	}
	b.Runtime.HandleUpdate(ctx, typed(2, fakeUser(300, "vi"), "/moi Sở Y tế")) // a replay
	if n := len(tg.texts()); n != 2 {
		t.Errorf("a replayed command was answered again (%d messages)", n)
	}
}

// Pressing the status a task already has records nothing and says so;
// another status is recorded and the card redrawn with it.
func TestSameStatusRecordsNothingOnFakes(t *testing.T) {
	data := onFakes("vi")
	b, tg := fakeBot(t, data)
	as := data.fakeAssignments
	ctx := context.Background()
	ref := as.a.Ref
	b.Runtime.HandleUpdate(ctx, pressing(1, fakeUser(100, "vi"), domain.Callback{Verb: domain.VerbStatus, Ref: ref, Arg: string(domain.InProgress)}.Encode()))
	cbs := tg.callbacks()
	if len(cbs) != 1 || cbs[0].Text != i18n.T(i18n.VI, "ok.no_change") || !cbs[0].ShowAlert {
		t.Fatalf("same status: answers %+v", cbs)
	}
	if len(as.applied) != 0 || len(tg.texts()) != 0 {
		t.Fatalf("same status recorded %d updates and sent %q", len(as.applied), tg.texts())
	}
	b.Runtime.HandleUpdate(ctx, pressing(2, fakeUser(100, "vi"), domain.Callback{Verb: domain.VerbStatus, Ref: ref, Arg: string(domain.Done)}.Encode()))
	if len(as.applied) != 1 || as.a.Status != domain.Done || as.a.Progress != 100 {
		t.Fatalf("done: applied %d, state %+v", len(as.applied), as.a.State)
	}
	cbs = tg.callbacks()
	if len(cbs) != 2 || cbs[1].ShowAlert || !strings.Contains(cbs[1].Text, "Hoàn thành") {
		t.Errorf("done: answer %+v", cbs[len(cbs)-1])
	}
	if texts := tg.texts(); len(texts) != 1 || !strings.Contains(texts[0], "Hoàn thành · 100%") {
		t.Errorf("card after done: %q", texts)
	}
}

func typedText(id int, from *tgbotapi.User, text string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: id, Message: &tgbotapi.Message{MessageID: id, From: from, Text: text,
		Chat: &tgbotapi.Chat{ID: from.ID, Type: "private"}}}
}

// The bot asks for a progress figure and waits: a bad answer is explained
// and the question stays; a good one is recorded and ends the question.
func TestTypedProgressOnFakes(t *testing.T) {
	data := onFakes("vi")
	b, tg := fakeBot(t, data)
	as := data.fakeAssignments
	ctx := context.Background()
	an := fakeUser(100, "vi")
	b.Runtime.HandleUpdate(ctx, pressing(1, an, domain.Callback{Verb: domain.VerbProgress, Ref: as.a.Ref, Arg: "ask"}.Encode()))
	q := data.fakeQuestions
	if se := q.by[100]; se.Awaiting != "progress" || se.AssignmentID != as.a.ID {
		t.Fatalf("after the ✍️ press the question is %+v", se)
	}
	b.Runtime.HandleUpdate(ctx, typedText(2, an, "khoảng một nửa"))
	if texts := tg.texts(); texts[len(texts)-1] != i18n.T(i18n.VI, "err.progress_number") || len(as.applied) != 0 || q.by[100].Awaiting != "progress" {
		t.Fatalf("a bad answer: %q, applied %d, question %+v", texts[len(texts)-1], len(as.applied), q.by[100])
	}
	b.Runtime.HandleUpdate(ctx, typedText(3, an, "55 %"))
	if len(as.applied) != 1 || as.a.Progress != 55 || as.a.Status != domain.InProgress {
		t.Fatalf("after 55 %%: applied %d, state %+v", len(as.applied), as.a.State)
	}
	if q.by[100].Awaiting != "" {
		t.Errorf("the question is still open: %+v", q.by[100])
	}
	texts := tg.texts()
	if len(texts) < 2 || !strings.Contains(texts[len(texts)-2], "55%") || !strings.Contains(texts[len(texts)-1], "Đang thực hiện · 55%") {
		t.Errorf("after 55 %%: %q", texts)
	}
}
