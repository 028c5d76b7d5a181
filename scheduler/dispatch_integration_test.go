package scheduler_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/scheduler"
	"agencybot/store"
	"agencybot/telegram"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

const token = "123456789:AAbcdefghijklmnopqrstuvwxyz0123456789"

var vn, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// fakeAPI starts the in-repo Bot API server and connects the real client.
func fakeAPI(t testing.TB, opts tgserver.Options) (*tgserver.Server, *telegram.Sender) {
	t.Helper()
	opts.Token = token
	srv := tgtest.BotAPI(t, opts)
	sender, err := telegram.NewSender(token, srv.APIEndpoint(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return srv, sender
}

func loadConfig(t testing.TB, vars map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// perChat counts sendMessage calls per chat.
func perChat(sent []tgserver.Sent) map[int64]int {
	n := map[int64]int{}
	for _, s := range sent {
		if s.Method == "sendMessage" {
			n[s.ChatID]++
		}
	}
	return n
}

// A storm of 429s and a server limit far tighter than ours, through the real
// tgbotapi client: every message arrives exactly once, none is given up; a
// user who blocked the bot is marked unreachable and the admins are told.
func TestDispatchThrough429StormDeliversEachOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, sender := fakeAPI(t, tgserver.Options{})
	st := scheduler.NewTestStore(t, time.Now)
	if _, err := st.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	const adminID = 900001
	agencies := []string{"so-khcn", "so-tai-chinh", "cong-an-tinh", "vp-ubnd-tinh", "so-noi-vu", "so-y-te"}
	var chats []int64
	for i, a := range agencies {
		id := int64(7000 + i)
		chats = append(chats, id)
		if err := st.SaveOfficer(ctx, domain.Officer{TelegramID: id, Role: domain.RoleOfficer, AgencyKey: a, Active: true, Lang: "vi", Name: "Cán bộ " + a}); err != nil {
			t.Fatal(err)
		}
	}
	blocked := chats[len(chats)-1]
	srv.BlockUser(blocked)
	s, err := scheduler.New(scheduler.Deps{Store: st, Sender: sender, Config: loadConfig(t, map[string]string{
		"ADMIN_TELEGRAM_IDS": fmt.Sprint(adminID), "SEND_RATE": "30", "SEND_RATE_PER_CHAT": "1",
	}), Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.RunReminders(ctx, time.Date(2025, 12, 24, 8, 0, 0, 0, vn))
	if err != nil || n != len(chats)+1 {
		t.Fatalf("planned %d, %v; want %d", n, err, len(chats)+1)
	}
	srv.FailNext("sendMessage", 12, 429, 1) // the storm
	srv.SetRateLimit(3, 1)                  // and a server far stricter than our 30/s
	if err := s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	// Delivered: every officer but the one who blocked the bot, the admin's
	// no-officer notice and the admin's notice about the block.
	want := len(chats) - 1 + 2
	if err := srv.WaitFor(ctx, func(sent []tgserver.Sent) bool { return len(sent) >= want }); err != nil {
		t.Fatalf("waiting for %d messages: %v", want, err)
	}
	counts := perChat(srv.Sent())
	for _, c := range chats[:len(chats)-1] {
		if counts[c] != 1 {
			t.Errorf("chat %d got %d messages", c, counts[c])
		}
	}
	if counts[adminID] != 2 || counts[blocked] != 0 || len(srv.Sent()) != want {
		t.Errorf("admin %d, blocked %d, total %d (want 2, 0, %d)", counts[adminID], counts[blocked], len(srv.Sent()), want)
	}
	stats := srv.Stats()
	if stats.TooMany < 12 || int64(stats.TooMany) != s.Stats().TooMany {
		t.Errorf("server answered %d 429s, dispatcher waited out %d", stats.TooMany, s.Stats().TooMany)
	}
	if o, err := st.Officer(ctx, blocked); err != nil || !o.Unreachable {
		t.Errorf("blocked officer %+v %v", o, err)
	}
	var notice bool
	for _, m := range srv.SentTo(adminID) {
		notice = notice || (strings.Contains(m.Text, "Không gửi được nhắc việc") && m.DisableNotification)
	}
	if !notice {
		t.Error("the admin was not told of the block")
	}
	for _, c := range chats[:len(chats)-1] {
		key := fmt.Sprintf("rem|2025-12-24T08:00|%d", c)
		if out, found, err := st.MessageOutcome(ctx, key); err != nil || !found || out.State != store.OutcomeSent {
			t.Errorf("%s: %+v %v %v", key, out, found, err)
		}
	}
	// Again: nothing more.
	if err := s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.RunReminders(ctx, time.Date(2025, 12, 24, 8, 0, 0, 0, vn)); n != 0 || len(srv.Sent()) != want {
		t.Errorf("second pass planned %d, total %d", n, len(srv.Sent()))
	}
}

// BenchmarkDispatchRate sends N messages to distinct chats from the real
// store (embedded FerretDB) through the real client to the fake server, with
// the dispatcher's limit and the server's both at R messages per second.
func BenchmarkDispatchRate(b *testing.B) {
	const (
		rate = 300
		n    = 3000
	)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		srv, sender := fakeAPI(b, tgserver.Options{GlobalPerSecond: rate, PerChatPerSecond: 1})
		st := scheduler.NewTestStore(b, time.Now)
		for j := 0; j < n; j++ {
			chat := int64(10_000_000 + j)
			out := domain.Outgoing{ChatID: chat, Text: fmt.Sprintf("<b>Thông báo</b> số %d", j), Silent: true}
			if _, err := st.Enqueue(ctx, store.OutboxMessage{Key: fmt.Sprintf("bench|%d", j), Kind: store.MessageNotice, ChatID: chat, Out: &out}); err != nil {
				b.Fatal(err)
			}
		}
		s, err := scheduler.New(scheduler.Deps{Store: st, Sender: sender, Workers: 16, Config: loadConfig(b, map[string]string{
			"SEND_RATE": fmt.Sprint(rate), "SEND_RATE_PER_CHAT": "1",
		})})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		if err := s.Dispatch(ctx); err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		cancel()

		sent := srv.Sent()
		dups := 0
		for _, c := range perChat(sent) {
			dups += c - 1
		}
		got := float64(len(sent)) / elapsed.Seconds()
		tooMany := srv.Stats().TooMany
		b.ReportMetric(got, "msgs/s")
		b.ReportMetric(float64(tooMany), "429s")
		b.ReportMetric(float64(dups), "duplicates")
		if len(sent) != n || got < 0.9*rate || tooMany != 0 || dups != 0 {
			b.Fatalf("sent %d of %d at %.1f msgs/s (want ≥ %.0f), %d 429s, %d duplicates", len(sent), n, got, 0.9*rate, tooMany, dups)
		}
	}
}
