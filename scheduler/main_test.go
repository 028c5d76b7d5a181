package scheduler

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/store"
	"agencybot/store/storetest"
	"agencybot/testkit"
)

// The scheduler tests share one embedded FerretDB (or MONGODB_URI) per
// package; each test has its own database holding the real plans, and a
// fixed clock that only the test (and the fake sleeper) moves.
var testClient *mongo.Client

func TestMain(m *testing.M) {
	os.Exit(storetest.Main(func() int {
		if err := seedTemplate(); err != nil {
			fmt.Fprintln(os.Stderr, "seed template:", err)
			return 1
		}
		return m.Run()
	}, &testClient))
}

// template holds the documents SeedDefault writes, seeded once per package
// run and copied into each test's database (a copy costs a fraction of a
// seeding, which matters under the race detector).
var template = map[string][]any{}

var seededCollections = []string{"agencies", "plans", "tasks", "assignments"}

func seedTemplate() error {
	ctx := context.Background()
	name := storetest.DBName("template")
	st, err := store.New(ctx, testClient, name, func() time.Time { return at(2025, 12, 24, 8, 0) })
	if err != nil {
		return err
	}
	defer st.Drop(ctx)
	if _, err := st.SeedDefault(ctx); err != nil {
		return err
	}
	for _, c := range seededCollections {
		cur, err := testClient.Database(name).Collection(c).Find(ctx, bson.M{})
		if err != nil {
			return err
		}
		var docs []bson.Raw
		if err := cur.All(ctx, &docs); err != nil {
			return err
		}
		for _, d := range docs {
			template[c] = append(template[c], d)
		}
	}
	return nil
}

// seeded gives a store a copy of the seeded plans.
func seeded(ctx context.Context, st *store.Store, dbName string) error {
	for _, c := range seededCollections {
		if _, err := testClient.Database(dbName).Collection(c).InsertMany(ctx, template[c]); err != nil {
			return fmt.Errorf("copy %s: %w", c, err)
		}
	}
	if empty, err := st.Empty(ctx); err != nil || empty {
		return fmt.Errorf("copied plans missing (%v)", err)
	}
	return nil
}

var vn = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}()

// at is an instant in the province's time zone.
func at(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, vn) }

// fakeSender records what is sent; fail, when set, can refuse a send.
type fakeSender struct {
	mu   sync.Mutex
	sent []domain.Outgoing
	// fail is asked before each send with the message and the number of
	// earlier calls for its chat; a non-nil error refuses the send.
	fail  func(m domain.Outgoing, call int) error
	calls map[int64]int
	// after is called after each successful send with the count so far.
	after func(n int)
}

func (f *fakeSender) Send(ctx context.Context, m domain.Outgoing) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	if f.calls == nil {
		f.calls = map[int64]int{}
	}
	call := f.calls[m.ChatID]
	f.calls[m.ChatID]++
	fail := f.fail
	f.mu.Unlock()
	if fail != nil {
		if err := fail(m, call); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.sent = append(f.sent, m)
	n, after := len(f.sent), f.after
	f.mu.Unlock()
	if after != nil {
		after(n)
	}
	return nil
}

// Sent returns the messages sent so far.
func (f *fakeSender) Sent() []domain.Outgoing {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.sent)
}

// To returns the messages sent to one chat.
func (f *fakeSender) To(chat int64) []domain.Outgoing {
	var out []domain.Outgoing
	for _, m := range f.Sent() {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

// Test people.
const (
	khcnVI  int64 = 101 // Sở Khoa học và Công nghệ, Vietnamese
	khcnEN  int64 = 102 // Sở Khoa học và Công nghệ, English
	taiChin int64 = 201 // Sở Tài chính
	congAn  int64 = 301 // Công an tỉnh
	leader  int64 = 501
	admin   int64 = 900001
)

// env is one test's world: a seeded database, a clock, a sender, a scheduler.
type env struct {
	t     *testing.T
	ctx   context.Context
	st    *store.Store
	clock *testkit.Manual // sleeping on it moves it forward at once
	send  *fakeSender
	cfg   config.Config
	s     *Scheduler
}

// newEnv seeds a database and builds a scheduler at 08:00 on 24 Dec 2025.
// extra environment variables change the configuration.
func newEnv(t *testing.T, extra ...string) *env {
	t.Helper()
	ctx := context.Background()
	clock := testkit.NewManual(at(2025, 12, 24, 8, 0))
	name := storetest.DBName(t.Name())
	st, err := store.New(ctx, testClient, name, clock.Now)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Drop(context.Background()) })
	if err := seeded(ctx, st, name); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"ADMIN_TELEGRAM_IDS": fmt.Sprint(admin)}
	for i := 0; i+1 < len(extra); i += 2 {
		vars[extra[i]] = extra[i+1]
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	e := &env{t: t, ctx: ctx, st: st, clock: clock, send: &fakeSender{}, cfg: cfg}
	e.s = e.newScheduler("A")
	return e
}

// newScheduler builds another scheduler instance on the same database.
func (e *env) newScheduler(instance string) *Scheduler {
	e.t.Helper()
	s, err := New(Deps{Store: e.st, Sender: e.send, Clock: e.clock.Now, Sleep: e.clock.Sleep, Config: e.cfg,
		Workers: 4, Instance: instance})
	if err != nil {
		e.t.Fatalf("new scheduler: %v", err)
	}
	return s
}

// link makes a Telegram user an officer of an agency.
func (e *env) link(id int64, agencyKey, lang, name string) {
	e.t.Helper()
	o := domain.Officer{TelegramID: id, Role: domain.RoleOfficer, AgencyKey: agencyKey, Active: true, Lang: lang, Name: name}
	if err := e.st.SaveOfficer(e.ctx, o); err != nil {
		e.t.Fatal(err)
	}
}

// lead makes a Telegram user a leader.
func (e *env) lead(id int64, lang string) {
	e.t.Helper()
	o := domain.Officer{TelegramID: id, Role: domain.RoleLeader, Active: true, Lang: lang, Name: fmt.Sprint("Leader ", id)}
	if err := e.st.SaveOfficer(e.ctx, o); err != nil {
		e.t.Fatal(err)
	}
}

// day runs the reminder job at t (as cron would) and dispatches; it returns
// what was sent by this step.
func (e *env) day(t time.Time) []domain.Outgoing {
	e.t.Helper()
	before := len(e.send.Sent())
	e.clock.Set(t)
	e.s.ReminderJob().Run()
	if err := e.s.Dispatch(e.ctx); err != nil {
		e.t.Fatalf("dispatch: %v", err)
	}
	return e.send.Sent()[before:]
}

// report records a status report on an assignment at instant t.
func (e *env) report(assignmentID string, t time.Time, status domain.Status) {
	e.t.Helper()
	prev := e.clock.Now()
	e.clock.Set(t)
	defer e.clock.Set(prev)
	if _, _, err := e.st.Apply(e.ctx, assignmentID, domain.Change{OfficerID: khcnVI, Kind: domain.SetStatus, Status: status}); err != nil {
		e.t.Fatal(err)
	}
}

// codes lists the task codes a reminder text names (the bold codes).
func codes(text string) []string {
	var out []string
	for _, part := range strings.Split(text, "• <b>")[1:] {
		code, _, _ := strings.Cut(part, "</b>")
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

func ofChat(ms []domain.Outgoing, chat int64) []domain.Outgoing {
	var out []domain.Outgoing
	for _, m := range ms {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

func date(y int, m time.Month, d int) deadline.Date { return deadline.Date{Year: y, Month: m, Day: d} }
