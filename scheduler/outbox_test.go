package scheduler

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/testkit"
)

// linkMany links n officers to agencies in turn, so a run has many messages.
func (e *env) linkMany(n int) []int64 {
	agencies := []string{"so-khcn", "so-tai-chinh", "cong-an-tinh", "vp-ubnd-tinh", "so-noi-vu"}
	var ids []int64
	for i := 0; i < n; i++ {
		id := int64(1000 + i)
		e.link(id, agencies[i%len(agencies)], "vi", "")
		ids = append(ids, id)
	}
	return ids
}

// assertOnce checks that every chat got exactly one message.
func assertOnce(t *testing.T, sent []domain.Outgoing, chats []int64) {
	t.Helper()
	count := map[int64]int{}
	for _, m := range sent {
		count[m.ChatID]++
	}
	for _, c := range chats {
		if count[c] != 1 {
			t.Errorf("chat %d got %d messages, want 1", c, count[c])
		}
	}
	for c, n := range count {
		if n != 1 {
			t.Errorf("chat %d got %d messages", c, n)
		}
	}
}

// Two instances on one database plan and dispatch the same run at once:
// every reminder goes out once.
func TestTwoInstancesSameRunSendEachOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := e.linkMany(10)
	a, b := e.s, e.newScheduler("B")
	at := at(2025, 12, 24, 8, 0)
	var wg sync.WaitGroup
	planned := make([]int, 2)
	for i, s := range []*Scheduler{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.RunReminders(e.ctx, at)
			if err != nil {
				t.Error(err)
			}
			planned[i] = n
			if err := s.Dispatch(e.ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// Whichever finished first may have left the other's last messages.
	for _, s := range []*Scheduler{a, b} {
		if err := s.Dispatch(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if planned[0]+planned[1] != 11 {
		t.Errorf("planned %v, want 11 in all (10 officers and the admin)", planned)
	}
	assertOnce(t, e.send.Sent(), append(ids, admin))
	// A third instance, later, finds nothing to do.
	c := e.newScheduler("C")
	if n, _ := c.RunReminders(e.ctx, at); n != 0 {
		t.Errorf("third instance planned %d", n)
	}
	if err := c.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	if len(e.send.Sent()) != 11 {
		t.Errorf("%d sent", len(e.send.Sent()))
	}
}

// A dispatcher stopped after k of n messages, then a new one on the same
// database: nothing is sent twice, nothing is lost. A claim left by an
// instance that died is taken over once its lease runs out.
func TestRestartMidDispatchDoublesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := e.linkMany(8)
	if _, err := e.s.RunReminders(e.ctx, at(2025, 12, 24, 8, 0)); err != nil {
		t.Fatal(err)
	}
	// An instance that died holding one message.
	dead := fmt.Sprintf("rem|2025-12-24T08:00|%d", ids[7])
	if ok, err := e.st.ClaimMessage(e.ctx, dead, 1, "dead", e.clock.Now().Add(sendLease)); !ok || err != nil {
		t.Fatalf("claim: %v %v", ok, err)
	}

	ctx, stop := context.WithCancel(e.ctx)
	const k = 3
	e.send.after = func(n int) {
		if n == k {
			stop()
		}
	}
	first := e.newScheduler("first")
	first.workers = 1
	if err := first.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.send.Sent()); n != k {
		t.Fatalf("first dispatcher sent %d, want %d", n, k)
	}
	e.send.after = nil

	second := e.newScheduler("second")
	if err := second.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.send.Sent()); n != 8 { // 9 messages, one held by the dead instance
		t.Fatalf("after restart %d sent, want 8", n)
	}
	e.clock.Set(e.clock.Now().Add(sendLease + time.Second))
	if err := second.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	assertOnce(t, e.send.Sent(), append(ids, admin))
	out, found, err := e.st.MessageOutcome(e.ctx, dead)
	if err != nil || !found || out.State != store.OutcomeSent || out.Attempt != 2 {
		t.Errorf("taken-over message: %+v %v %v", out, found, err)
	}
	if pending, _ := e.st.PendingMessages(e.ctx, 0); len(pending) != 0 {
		t.Errorf("%d messages left in the outbox", len(pending))
	}
}

// Temporary failures are retried with exponential backoff; after 8 the
// message is given up with the error recorded. A message that fails twice
// then goes through is sent once.
func TestTemporaryFailuresBackOffThenGiveUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "")
	e.link(taiChin, "so-tai-chinh", "vi", "")
	e.cfg.AdminIDs = nil
	e.s = e.newScheduler("A")
	e.s.workers = 1 // one clock for all: sequential sends keep the waits exact
	e.send.fail = func(m domain.Outgoing, call int) error {
		if m.ChatID == taiChin || (m.ChatID == khcnVI && call < 2) {
			return &domain.SendError{Temporary: true, Err: errString("Bad Gateway")}
		}
		return nil
	}
	start := e.clock.Now()
	e.day(at(2025, 12, 24, 8, 0))
	if n := len(e.send.To(khcnVI)); n != 1 {
		t.Errorf("after two failures: %d messages", n)
	}
	// Sở Tài chính: 1+2+4+8+16+32 s held; the 7th wait (64 s) is past the
	// claim's lease margin, so the message is released for later.
	key := "rem|2025-12-24T08:00|201"
	if _, found, _ := e.st.MessageOutcome(e.ctx, key); found {
		t.Fatal("given up too early")
	}
	for i := 0; i < 5; i++ {
		e.clock.Set(e.clock.Now().Add(backoffCap))
		if err := e.s.Dispatch(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	out, found, err := e.st.MessageOutcome(e.ctx, key)
	if err != nil || !found || out.State != store.OutcomeFailed || !strings.Contains(out.Error, "Bad Gateway") {
		t.Fatalf("outcome %+v %v %v", out, found, err)
	}
	if calls := e.send.calls[taiChin]; calls != maxFailures {
		t.Errorf("%d attempts, want %d", calls, maxFailures)
	}
	if waited := e.clock.Now().Sub(start); waited < 63*time.Second {
		t.Errorf("backoff waited %s", waited)
	}
	if got := []time.Duration{backoff(1), backoff(2), backoff(3), backoff(8), backoff(30)}; got[0] != time.Second ||
		got[1] != 2*time.Second || got[2] != 4*time.Second || got[3] != 128*time.Second || got[4] != backoffCap {
		t.Errorf("backoff %v", got)
	}
}

// A 429 is waited out (its Retry-After) before anything else is sent.
func TestTooManyRequestsWaitsRetryAfter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := e.linkMany(4)
	e.s.workers = 1 // a send already in flight when a 429 comes cannot be recalled
	var mu sync.Mutex
	var blockedUntil time.Time
	var early []string
	e.send.fail = func(m domain.Outgoing, call int) error {
		mu.Lock()
		defer mu.Unlock()
		now := e.clock.Now()
		if now.Before(blockedUntil) {
			early = append(early, fmt.Sprintf("%d at %s", m.ChatID, now))
		}
		if m.ChatID == ids[1] && call < 3 {
			blockedUntil = now.Add(5 * time.Second)
			return &domain.SendError{RetryAfter: 5 * time.Second, Err: errString("Too Many Requests: retry after 5")}
		}
		return nil
	}
	e.day(at(2025, 12, 24, 8, 0))
	assertOnce(t, e.send.Sent(), append(ids, admin))
	if len(early) > 0 {
		t.Errorf("sent during a Retry-After: %v", early)
	}
	if st := e.s.Stats(); st.TooMany != 3 || st.Sent != 5 {
		t.Errorf("stats %+v", st)
	}
}

// The limiter spaces sends: R per second overall after a small burst, one
// per second per chat, nothing before a 429's end.
func TestLimiterSpacing(t *testing.T) {
	t.Parallel()
	clock := testkit.NewManual(at(2025, 12, 24, 8, 0))
	l := newLimiter(30, 1, clock.Now)
	start := clock.Now()
	var last time.Time
	for i := 0; i < 90; i++ {
		last = l.reserve(int64(i))
	}
	// 90 sends at 30/s with a burst of 3: the last at (90-3)/30 s.
	if got, want := last.Sub(start), 87*time.Second/30; got < want-time.Millisecond || got > want+time.Millisecond {
		t.Errorf("90th send at +%s, want +%s", got, want)
	}
	c1, c2 := l.reserve(7777), l.reserve(7777)
	if c2.Sub(c1) < time.Second {
		t.Errorf("same chat twice %s apart", c2.Sub(c1))
	}
	l.block(start.Add(time.Minute))
	if got := l.reserve(8888); got.Before(start.Add(time.Minute)) {
		t.Errorf("reserved %s during a block", got)
	}
}

// Messages are HTML with the plans' text escaped; too many items for one
// message are split in parts, each under Telegram's limit, each with its
// own buttons.
func TestRenderEscapesAndSplits(t *testing.T) {
	t.Parallel()
	var items []store.OutboxItem
	for i := 0; i < 120; i++ {
		items = append(items, store.OutboxItem{
			ID: fmt.Sprint(i), Kind: KindPreDeadline, Assignment: fmt.Sprintf("T-%d/a", i), Ref: fmt.Sprintf("ref%d", i),
			Task: fmt.Sprintf("T-%d", i), Title: "Xây dựng <quy chế> & \"hướng dẫn\" " + strings.Repeat("về khoa học công nghệ ", 5),
			Agency: "a", Deadline: "Trước 31/12/2025", Due: deadline.Date{Year: 2025, Month: 12, Day: 31}, Days: 7,
		})
	}
	m := store.OutboxMessage{Key: "k", Kind: store.MessageReminder, ChatID: 1, Lang: "vi", Day: date(2025, 12, 24),
		AgencyName: "Sở KH&CN", Items: items}
	parts := render(m)
	if len(parts) < 2 {
		t.Fatalf("%d parts", len(parts))
	}
	seen := 0
	for i, p := range parts {
		if n := i18n.UTF16Len(p.Text); n > 4096 {
			t.Errorf("part %d: %d UTF-16 units", i, n)
		}
		if strings.Contains(p.Text, "<quy") || !strings.Contains(p.Text, "&lt;quy chế&gt; &amp; &#34;hướng dẫn&#34;") ||
			!strings.Contains(p.Text, "Sở KH&amp;CN") {
			t.Errorf("part %d not escaped:\n%s", i, p.Text)
		}
		if !strings.Contains(p.Text, fmt.Sprintf("(%d/%d)", i+1, len(parts))) {
			t.Errorf("part %d has no part number", i)
		}
		n := len(codes(p.Text))
		if want := min(n, maxItemButtons) + map[bool]int{true: 1}[n > maxItemButtons]; len(p.Buttons) != want {
			t.Errorf("part %d: %d items, %d button rows", i, n, len(p.Buttons))
		}
		seen += n
	}
	if seen != 120 {
		t.Errorf("%d items rendered", seen)
	}
	if again := render(m); len(again) != len(parts) || again[1].Text != parts[1].Text {
		t.Error("rendering is not deterministic")
	}
}

// A message in several parts resumes after a restart at the first part not
// yet sent.
func TestPartsResumeAfterRestart(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var items []store.OutboxItem
	for i := 0; i < 100; i++ {
		items = append(items, store.OutboxItem{ID: fmt.Sprint(i), Kind: KindPeriodic, Assignment: fmt.Sprint(i), Task: fmt.Sprint("X-", i),
			Title: strings.Repeat("nhiệm vụ ", 12), Deadline: "Thường xuyên", Period: "m2026-01"})
	}
	m := store.OutboxMessage{Key: "big", Kind: store.MessageReminder, ChatID: khcnVI, Lang: "vi", Day: date(2026, 1, 20), Items: items}
	parts := render(m)
	if len(parts) < 3 {
		t.Fatalf("%d parts", len(parts))
	}
	if _, err := e.st.Enqueue(e.ctx, m); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(e.ctx)
	e.send.after = func(n int) {
		if n == 2 {
			stop()
		}
	}
	if err := e.s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	e.send.after = nil
	if err := e.newScheduler("B").Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	sent := e.send.To(khcnVI)
	if len(sent) != len(parts) {
		t.Fatalf("%d parts sent, want %d", len(sent), len(parts))
	}
	for i := range parts {
		if sent[i].Text != parts[i].Text {
			t.Errorf("part %d differs or repeats", i)
		}
	}
}
