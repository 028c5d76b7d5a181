package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/config"
	"agencybot/scheduler"
	"agencybot/store"
	"agencybot/store/storetest"
	"agencybot/testkit"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

// The bot tests run the real tgbotapi client against the in-repo Bot API
// server, on the embedded store (or MONGODB_URI), one database per test.
// Each test's database starts as a copy of seeded, the seeded plans read
// once per package run (a copy costs a fraction of SeedDefault).
var (
	testClient *mongo.Client
	seeded     *storetest.Template
)

func TestMain(m *testing.M) {
	os.Exit(storetest.Main(func() int {
		var err error
		if seeded, err = seedTemplate(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, "seed template:", err)
			return 1
		}
		return m.Run()
	}, &testClient))
}

// seedInstant is the instant the harness's clock starts at, and the seeding
// of the template with it.
var seedInstant = time.Date(2025, 12, 24, 8, 0, 0, 0, testkit.Location())

// seedTemplate seeds a database as SeedDefault does at seedInstant, reads
// it into a template and drops it.
func seedTemplate(ctx context.Context) (*storetest.Template, error) {
	name := storetest.DBName("template")
	st, err := store.New(ctx, testClient, name, func() time.Time { return seedInstant })
	if err != nil {
		return nil, err
	}
	defer st.Drop(ctx)
	if _, err := st.SeedDefault(ctx); err != nil {
		return nil, err
	}
	return storetest.Capture(ctx, testClient.Database(name))
}

const testToken = "123456789:AAtesttoken_abcdefghijklmnopqrstu"

// Users of the tests.
var (
	admin   = tgserver.User{ID: 1, FirstName: "Quản", LastName: "Trị", Username: "admin", LanguageCode: "vi"}
	officer = tgserver.User{ID: 100, FirstName: "Nguyễn", LastName: "An", Username: "an", LanguageCode: "vi"}
	other   = tgserver.User{ID: 200, FirstName: "Trần", LastName: "Bình", LanguageCode: "vi"}
	leader  = tgserver.User{ID: 300, FirstName: "Lê", LastName: "Lãnh Đạo", LanguageCode: "vi"}
	english = tgserver.User{ID: 400, FirstName: "John", LastName: "Smith", LanguageCode: "en-US"}
	nobody  = tgserver.User{ID: 999, FirstName: "Người", LastName: "Lạ", LanguageCode: "vi"}
)

// harness is one bot on its own database and fake Bot API server.
type harness struct {
	t      testing.TB
	srv    *tgserver.Server
	store  *store.Store
	cfg    config.Config
	now    time.Time       // the instant the test set (setNow)
	clock  *testkit.Moving // now, moving on with the elapsed time: the bot's and the store's clock
	cancel context.CancelFunc
	done   chan error
	logs   *testkit.LogBuffer
	// sched is the outbox of the running bot; dispatching says whether its
	// dispatcher runs (settle then also delivers what the update queued).
	sched       *scheduler.Scheduler
	dispatching bool
	stopSend    func()
}

// newHarness runs the test in parallel with the other tests that own their
// database: a test mostly waits (for the bot's answer, its polls), and
// nothing of a harness is shared but the database server. A test may make
// several harnesses.
func newHarness(t *testing.T) *harness {
	if _, again := parallel.LoadOrStore(t, true); !again {
		t.Cleanup(func() { parallel.Delete(t) })
		t.Parallel()
	}
	return newBenchHarness(t)
}

// parallel holds the tests that called t.Parallel through newHarness.
var parallel sync.Map

// newBenchHarness is newHarness for tests and benchmarks alike.
func newBenchHarness(t testing.TB) *harness {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": testToken, "ADMIN_TELEGRAM_IDS": "1"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, cfg: cfg}
	h.setNow(seedInstant.In(cfg.Location))
	h.store, _ = seededStore(t, h.clock.Now)
	h.srv = tgtest.BotAPI(t, tgserver.Options{Token: testToken, BotUsername: "dongthap_tasks_bot"})
	h.cfg.APIEndpoint = h.srv.APIEndpoint()
	t.Cleanup(func() { // before the server closes (cleanups run last registered first)
		h.stop()
		_ = h.store.Drop(context.Background())
		if strings.Contains(h.logs.String(), testToken) {
			t.Error("the bot token appeared in the log")
		}
		if t.Failed() {
			t.Log("bot log:\n" + h.logs.String())
		}
	})
	h.logs = &testkit.LogBuffer{}
	h.start()
	return h
}

// seededStore is a store on a new database holding a copy of the template:
// the plans as SeedDefault wrote them at seedInstant.
func seededStore(t testing.TB, clock func() time.Time) (*store.Store, *mongo.Database) {
	t.Helper()
	name := storetest.DBName(t.Name())
	st, err := store.New(context.Background(), testClient, name, clock)
	if err != nil {
		t.Fatal(err)
	}
	db := testClient.Database(name)
	if err := seeded.CopyTo(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return st, db
}

// wire builds a bot and its outbox exactly as production does (Wire), on
// the harness's store, clock and log, with client (nil: default) carrying
// the Bot API requests. A panic in a handler fails the test.
func (h *harness) wire(client *http.Client) (*Bot, *scheduler.Scheduler) {
	h.t.Helper()
	return h.wireWith(h.store, client, nil)
}

// wireOn is wire on another store (a second instance's database).
func (h *harness) wireOn(st *store.Store, client *http.Client) (*Bot, *scheduler.Scheduler) {
	h.t.Helper()
	return h.wireWith(st, client, nil)
}

// wireWith is wire with the bot's dependencies changed by deps (nil: none)
// before it is built: a store that fails, another outbox.
func (h *harness) wireWith(st *store.Store, client *http.Client, deps func(*Deps)) (*Bot, *scheduler.Scheduler) {
	h.t.Helper()
	c := h.cfg
	c.TelegramToken = testToken
	b, sched, err := wire(Wiring{
		Config: c, Store: st, HTTPClient: client, Clock: h.clock.Now,
		Log: slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})), PollTimeout: 2 * time.Second, Instance: "bot-test",
		Sleep: h.clock.Sleep, // the outbox's waits (rate limits, retries) move the clock instead of the test waiting
	}, deps)
	if err != nil {
		h.t.Fatal(err)
	}
	b.Runtime.Panicked = func(id int, p any) { h.t.Errorf("update %d: a handler panicked: %v", id, p) }
	return b, sched
}

// start runs a bot and its outbox's dispatcher; stop and start again is a
// restart.
func (h *harness) start() { h.startWith(nil, nil) }

// startWith runs a bot wired as production does, its dependencies changed by
// deps (nil: none) and the bot by adjust before it starts.
func (h *harness) startWith(client *http.Client, deps func(*Deps), adjust ...func(*Bot)) {
	h.t.Helper()
	b, sched := h.wireWith(h.store, client, deps)
	for _, f := range adjust {
		f(b)
	}
	h.run(b, sched, true)
}

// run runs b and, with dispatch, sched's dispatcher (without it, what b
// queues stays in the outbox: a bot killed before it could send).
func (h *harness) run(b *Bot, sched *scheduler.Scheduler, dispatch bool) {
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done, h.sched, h.dispatching = cancel, make(chan error, 1), sched, dispatch
	go func() { h.done <- b.Run(ctx) }()
	h.stopSend = func() {}
	if dispatch {
		sctx, scancel := context.WithCancel(context.Background())
		sent := make(chan error, 1)
		go func() { sent <- sched.RunDispatcher(sctx) }()
		h.stopSend = sync.OnceFunc(func() {
			h.dispatching = false
			scancel()
			if err := <-sent; err != nil {
				h.t.Errorf("dispatcher: %v", err)
			}
		})
	}
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.stopSend()
	h.cancel()
	if err := <-h.done; err != nil {
		h.t.Errorf("bot Run returned %v", err)
	}
	h.cancel = nil
}

// setNow sets the harness's clock to t (it then moves on with the elapsed
// time, so that the outbox's retries fall due).
func (h *harness) setNow(t time.Time) {
	h.now = t
	if h.clock == nil {
		h.clock = testkit.NewMoving(t)
	} else {
		h.clock.Set(t)
	}
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	h.t.Cleanup(cancel)
	return ctx
}

// settle waits until the bot has handled update id.
func (h *harness) settle(id int) {
	h.t.Helper()
	if err := h.srv.WaitConfirmed(h.ctx(), id); err != nil {
		h.t.Fatalf("update %d not handled: %v", id, err)
	}
	if h.dispatching { // what the update queued is sent before the test looks
		if err := h.sched.Dispatch(h.ctx()); err != nil {
			h.t.Fatalf("dispatch after update %d: %v", id, err)
		}
	}
}

// say sends a text and returns what the bot sent to that chat in answer.
func (h *harness) say(u tgserver.User, text string) []tgserver.Sent {
	h.t.Helper()
	n := len(h.srv.SentTo(u.ID))
	h.settle(h.srv.SendText(u, text))
	return h.srv.SentTo(u.ID)[n:]
}

// press presses a button by its data on a message and returns the bot's
// answer to the callback and what it sent or edited in the chat.
func (h *harness) press(u tgserver.User, msgID int, data string) (tgserver.CallbackAnswer, []tgserver.Sent) {
	h.t.Helper()
	n, c := len(h.srv.SentTo(u.ID)), len(h.srv.Callbacks())
	h.settle(h.srv.PressButton(u, msgID, data))
	cbs := h.srv.Callbacks()
	if len(cbs) <= c {
		h.t.Fatalf("button %q was not answered", data)
	}
	return cbs[len(cbs)-1], h.srv.SentTo(u.ID)[n:]
}

// lastText is the plain text of the last message the bot sent in the list.
func lastText(t testing.TB, sent []tgserver.Sent) string {
	t.Helper()
	if len(sent) == 0 {
		t.Fatal("the bot sent nothing")
	}
	return sent[len(sent)-1].Text
}

// buttons lists the inline buttons (text → data) of a sent message.
func buttons(s tgserver.Sent) map[string]string {
	var kb struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
		} `json:"inline_keyboard"`
	}
	_ = json.Unmarshal(s.ReplyMarkup, &kb)
	out := map[string]string{}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			out[b.Text] = b.CallbackData
		}
	}
	return out
}

// buttonWith finds the data of the button whose text contains part.
func buttonWith(t testing.TB, s tgserver.Sent, part string) string {
	t.Helper()
	for text, data := range buttons(s) {
		if strings.Contains(text, part) {
			return data
		}
	}
	t.Fatalf("no button containing %q in %v", part, buttons(s))
	return ""
}

var startRE = regexp.MustCompile(`start=([A-Z0-9]+)`)

// link invites u for an agency (or as leader) through the admin and opens the link.
func (h *harness) link(u tgserver.User, agency string) {
	h.t.Helper()
	got := h.say(admin, "/invite "+agency)
	var m []string
	for _, s := range got { // an outbox notice may arrive in between
		if mm := startRE.FindStringSubmatch(s.Text); mm != nil {
			m = mm
		}
	}
	if m == nil {
		h.t.Fatalf("no invite link in %q", lastText(h.t, got))
	}
	h.say(u, "/start "+m[1])
}

// plain is the text of a sent message without its markup, as a user sees it.
func plain(t testing.TB, s tgserver.Sent) string {
	t.Helper()
	p, _, err := tgserver.ParseHTML(s.Text)
	if err != nil {
		t.Fatalf("the bot sent invalid HTML %q: %v", s.Text, err)
	}
	return p
}
