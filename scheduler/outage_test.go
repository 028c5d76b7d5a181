package scheduler_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/scheduler"
	"agencybot/store"
	"agencybot/telegram"
	"agencybot/testkit"
	"agencybot/tgserver"
)

// cutOff is an HTTP transport that, while down, sends every request to a
// port nobody listens on: the real client gets a real "connection refused".
type cutOff struct {
	down atomic.Bool
	base http.RoundTripper
}

func (c *cutOff) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.down.Load() {
		r = r.Clone(r.Context())
		r.URL.Host = "127.0.0.1:1"
	}
	return c.base.RoundTrip(r)
}

// try is one send the dispatcher made.
type try struct {
	at   time.Time
	chat int64
	ok   bool
}

// tries records every send the dispatcher makes, at the fake clock's time.
type tries struct {
	snd   *telegram.Sender
	clock *testkit.Manual
	mu    sync.Mutex
	log   []try
}

func (r *tries) Send(ctx context.Context, m domain.Outgoing) error {
	err := r.snd.Send(ctx, m)
	r.mu.Lock()
	r.log = append(r.log, try{at: r.clock.Now(), chat: m.ChatID, ok: err == nil})
	r.mu.Unlock()
	return err
}

func (r *tries) all() []try {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]try(nil), r.log...)
}

// Issue 24, point 1: Telegram is down for six hours — three answering 502,
// three unreachable (connection refused) — from 22:00 on a working day,
// while a reminder run and an alert every half hour are queued. Nothing is
// given up: when Telegram is back every message arrives exactly once; the
// reminders, now a day late, say so (in each person's language); the
// admins are told once that messages are delayed and once that it is over,
// both when Telegram is back, in that order. While it is down the
// dispatcher tries one message at a time, never more than 5 minutes apart.
func TestSixHourOutageDeliversEachOnce(t *testing.T) {
	t.Parallel()
	for _, workers := range []int{1, 8} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			t.Parallel()
			sixHourOutage(t, workers)
		})
	}
}

func sixHourOutage(t *testing.T, workers int) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	start := time.Date(2025, 12, 24, 22, 0, 0, 0, vn) // a Wednesday
	clock := testkit.NewManual(start)
	srv := tgserver.New(tgserver.Options{Token: token, Clock: clock.Now})
	if _, err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	wire := &cutOff{base: http.DefaultTransport.(*http.Transport).Clone()}
	api, err := telegram.NewSender(token, srv.APIEndpoint(), &http.Client{Transport: wire, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	rec := &tries{snd: api, clock: clock}

	st := scheduler.NewTestStore(t, clock.Now)
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	const (
		adminVI  = 900001
		adminEN  = 900002
		leader   = 500001
		officers = 24
	)
	agencies := []string{"so-khcn", "so-tai-chinh", "cong-an-tinh", "vp-ubnd-tinh", "so-noi-vu", "so-y-te"}
	var chats []int64
	english := int64(7000)
	for i := 0; i < officers; i++ {
		id := int64(7000 + i)
		lang := "vi"
		if id == english {
			lang = "en"
		}
		chats = append(chats, id)
		if err := st.SaveOfficer(ctx, domain.Officer{TelegramID: id, Role: domain.RoleOfficer, AgencyKey: agencies[i%len(agencies)], Active: true, Lang: lang, Name: fmt.Sprint("Cán bộ ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for id, lang := range map[int64]string{adminEN: "en", leader: "vi"} {
		if err := st.SaveOfficer(ctx, domain.Officer{TelegramID: id, Role: domain.RoleLeader, Active: true, Lang: lang, Name: fmt.Sprint("Lãnh đạo ", id)}); err != nil {
			t.Fatal(err)
		}
	}
	s, err := scheduler.New(scheduler.Deps{Store: st, Sender: rec, Clock: clock.Now, Sleep: clock.Sleep, Workers: workers, Instance: "A",
		Config: loadConfig(t, map[string]string{"ADMIN_TELEGRAM_IDS": fmt.Sprintf("%d,%d", adminVI, adminEN)})})
	if err != nil {
		t.Fatal(err)
	}

	// Down: 502 for three hours, then unreachable for three.
	srv.FailNext("", 1<<30, http.StatusBadGateway, 0)
	planned, err := s.RunReminders(ctx, start)
	if err != nil || planned < officers {
		t.Fatalf("planned %d, %v", planned, err)
	}
	unreachableAt, back := start.Add(3*time.Hour), start.Add(6*time.Hour)
	nextAlert, alerts := start.Add(15*time.Minute), 0
	drain := func() time.Time {
		t.Helper()
		next, err := s.DrainOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return next
	}
	next := drain()
	for clock.Now().Before(back) {
		// Wait as the dispatch loop does: until a deferred message falls
		// due; an alert queued meanwhile wakes it. (The loop also looks
		// every PollInterval, for other instances' work: there is none.)
		wait := scheduler.PollInterval
		if !next.IsZero() {
			wait = max(next.Sub(clock.Now()), 10*time.Millisecond)
		}
		wake := clock.Now().Add(wait)
		for _, at := range []time.Time{nextAlert, unreachableAt, back} {
			if at.After(clock.Now()) && at.Before(wake) {
				wake = at
			}
		}
		clock.Set(wake)
		if !clock.Now().Before(unreachableAt) && !wire.down.Load() && clock.Now().Before(back) {
			srv.ClearFaults()
			wire.down.Store(true)
		}
		if !clock.Now().Before(back) {
			wire.down.Store(false) // Telegram is back
		}
		if !clock.Now().Before(nextAlert) && clock.Now().Before(back) {
			alerts++
			out := domain.Outgoing{ChatID: leader, Text: fmt.Sprintf("⚠️ Vướng mắc số %d", alerts)}
			if _, err := s.Enqueue(ctx, fmt.Sprintf("block|%d|%d", alerts, leader), out); err != nil {
				t.Fatal(err)
			}
			nextAlert = nextAlert.Add(30 * time.Minute)
		}
		next = drain()
	}
	if n := len(srv.Sent()); n != 0 {
		t.Fatalf("%d messages got through while Telegram was down", n)
	}
	outageTries := rec.all()
	// Back: the dispatch loop goes on until the outbox is empty.
	for i := 0; ; i++ {
		pending, err := st.PendingMessages(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) == 0 {
			break
		}
		if i > 200 {
			t.Fatalf("%d messages still waiting %s after Telegram came back", len(pending), clock.Now().Sub(back))
		}
		wait := scheduler.PollInterval
		if !next.IsZero() {
			wait = max(next.Sub(clock.Now()), 10*time.Millisecond)
		}
		clock.Advance(wait)
		next = drain()
	}
	recovered := clock.Now().Sub(back)

	// Every message exactly once.
	sent := srv.Sent()
	count := map[int64]int{}
	for _, m := range sent {
		count[m.ChatID]++
	}
	for _, c := range chats {
		if count[c] != 1 {
			t.Errorf("officer %d got %d reminders, want 1", c, count[c])
		}
	}
	if count[leader] != alerts {
		t.Errorf("the leader got %d of %d alerts", count[leader], alerts)
	}
	seenAlert := map[string]int{}
	for _, m := range srv.SentTo(leader) {
		seenAlert[m.Text]++
		if strings.Contains(m.Text, "gửi trễ") {
			t.Errorf("an alert marked late: %q", m.Text)
		}
	}
	for i := 1; i <= alerts; i++ {
		if n := seenAlert[fmt.Sprintf("⚠️ Vướng mắc số %d", i)]; n != 1 {
			t.Errorf("alert %d arrived %d times", i, n)
		}
	}
	// The reminders are a day late and say so, in each person's language.
	for _, c := range chats {
		for _, m := range srv.SentTo(c) {
			mark := "(gửi trễ do sự cố kết nối)"
			if c == english {
				mark = "(sent late because of a connection problem)"
			}
			first, _, _ := strings.Cut(m.Text, "\n")
			if !strings.Contains(first, mark) || !strings.Contains(first, "24/12/2025") {
				t.Errorf("reminder to %d (sent %s) heads %q, want its day and %q", c, m.At.Format("02/01 15:04"), first, mark)
			}
		}
	}
	// The admins: the run's notice, then the delay, then its end, once each,
	// all after Telegram came back.
	for admin, want := range map[int64][]string{
		adminVI: {"Tin nhắn của bot đang bị chậm", "Bot đã gửi tin nhắn bình thường trở lại"},
		adminEN: {"The bot's messages are delayed", "The bot's messages are going out normally again"},
	} {
		var order []int
		for _, m := range srv.SentTo(admin) {
			if m.At.Before(back) {
				t.Errorf("admin %d got %q at %s, while Telegram was down", admin, m.Text, m.At)
			}
			for j, w := range want {
				if strings.Contains(m.Text, w) {
					order = append(order, j)
				}
			}
		}
		if len(order) != 2 || order[0] != 0 || order[1] != 1 {
			t.Errorf("admin %d: delay notices in order %v, want [0 1] (the delay, then its end)", admin, order)
		}
		if len(srv.SentTo(admin)) != 3 {
			t.Errorf("admin %d got %d messages, want 3 (the run's no-officer notice, the delay, its end)", admin, len(srv.SentTo(admin)))
		}
	}
	for _, m := range srv.SentTo(adminVI) {
		if strings.Contains(m.Text, "đang bị chậm") && !strings.Contains(m.Text, "24/12/2025 22:00") {
			t.Errorf("the delay notice does not say since when: %q", m.Text)
		}
	}

	// Nothing given up; while down, one try at a time, at most 5 minutes apart.
	if stats := s.Stats(); stats.Failed != 0 || stats.Late != int64(officers) {
		t.Errorf("stats %+v: want nothing failed and %d reminders late", stats, officers)
	}
	var gap time.Duration
	for i := 1; i < len(outageTries); i++ {
		if d := outageTries[i].at.Sub(outageTries[i-1].at); d > gap {
			gap = d
		}
	}
	if workers == 1 && gap > scheduler.BackoffCap {
		t.Errorf("%s between two tries while Telegram was down; the cap is %s", gap, scheduler.BackoffCap)
	}
	tail := outageTries[len(outageTries)-1]
	if back.Sub(tail.at) > scheduler.BackoffCap {
		t.Errorf("the last try while down was at %s, more than %s before Telegram came back", tail.at, scheduler.BackoffCap)
	}
	total := len(chats) + alerts + 3*2 // reminders, alerts, and per admin the no-officer notice and the two delay notices
	if len(sent) != total {
		t.Errorf("%d messages delivered, want %d", len(sent), total)
	}
	t.Logf("workers %d: Telegram down 6 h (3 h of 502, 3 h unreachable) from %s: %d messages queued (%d reminders, %d alerts, %d admin notices); "+
		"%d tries while down (largest gap %s); all delivered %s after it came back: %d delivered, %d doubled, %d lost, %d given up, %d marked late",
		workers, start.Format("02/01/2006 15:04"), total, len(chats), alerts, 6, len(outageTries), gap, recovered,
		len(sent), len(sent)-countDistinct(sent), total-countDistinct(sent), s.Stats().Failed, s.Stats().Late)
	for _, c := range chats {
		key := fmt.Sprintf("rem|2025-12-24T22:00|%d", c)
		if out, found, err := st.MessageOutcome(ctx, key); err != nil || !found || out.State != store.OutcomeSent {
			t.Errorf("%s: %+v %v %v", key, out, found, err)
		}
	}
}

// countDistinct counts the distinct (chat, text) pairs delivered.
func countDistinct(sent []tgserver.Sent) int {
	seen := map[string]bool{}
	for _, m := range sent {
		seen[fmt.Sprint(m.ChatID, "|", m.Text)] = true
	}
	return len(seen)
}
