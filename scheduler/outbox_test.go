package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// runFor drives the dispatch loop as Run does, on the fake clock: drain,
// then wait until a deferred message falls due, until the outbox is empty
// or d has passed; it returns the time taken. (The loop also looks every
// pollInterval for other instances' work; these tests have none.)
func (e *env) runFor(d time.Duration) time.Duration {
	e.t.Helper()
	start := e.clock.Now()
	for {
		next, err := e.s.drain(e.ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		if pending, _ := e.st.PendingMessages(e.ctx, 0); len(pending) == 0 || e.clock.Now().Sub(start) > d {
			return e.clock.Now().Sub(start)
		}
		wait := pollInterval
		if !next.IsZero() {
			wait = max(next.Sub(e.clock.Now()), 10*time.Millisecond)
		}
		e.clock.Advance(wait)
	}
}

// Temporary failures are retried with exponential backoff capped at 5
// minutes, for as long as it takes: a message that fails 30 times (for
// about two hours) then goes through is sent once, and one that fails
// twice is sent once too. Nothing is given up.
func TestTemporaryFailuresRetriedUntilAccepted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "")
	e.link(taiChin, "so-tai-chinh", "vi", "")
	e.cfg.AdminIDs = nil
	e.s = e.newScheduler("A")
	e.s.workers = 1 // one clock for all: sequential sends keep the waits exact
	var mu sync.Mutex
	var tries []time.Time
	e.send.fail = func(m domain.Outgoing, call int) error {
		if m.ChatID == taiChin {
			mu.Lock()
			tries = append(tries, e.clock.Now())
			mu.Unlock()
		}
		if (m.ChatID == taiChin && call < 30) || (m.ChatID == khcnVI && call < 2) {
			return &domain.SendError{Temporary: true, Err: errString("Bad Gateway")}
		}
		return nil
	}
	e.clock.Set(at(2025, 12, 24, 8, 0))
	e.s.ReminderJob().Run()
	took := e.runFor(6 * time.Hour)
	if n := len(e.send.To(khcnVI)); n != 1 {
		t.Errorf("after two failures: %d messages", n)
	}
	if n := len(e.send.To(taiChin)); n != 1 {
		t.Errorf("after 30 failures: %d messages", n)
	}
	key := "rem|2025-12-24T08:00|201"
	out, found, err := e.st.MessageOutcome(e.ctx, key)
	if err != nil || !found || out.State != store.OutcomeSent {
		t.Fatalf("outcome %+v %v %v", out, found, err)
	}
	if len(tries) != 31 {
		t.Errorf("%d tries, want 31", len(tries))
	}
	var gaps []time.Duration
	for i := 1; i < len(tries); i++ {
		gaps = append(gaps, tries[i].Sub(tries[i-1]))
	}
	for i, g := range gaps {
		want := sendBackoff.Delay(i + 1)
		if g < want || g > backoffCap+time.Second {
			t.Errorf("wait %d: %s, want %s (at most %s)", i+1, g, want, backoffCap)
		}
	}
	if st := e.s.Stats(); st.Failed != 0 {
		t.Errorf("stats %+v: something was given up", st)
	}
	if got := []time.Duration{sendBackoff.Delay(1), sendBackoff.Delay(2), sendBackoff.Delay(3), sendBackoff.Delay(8), sendBackoff.Delay(9), sendBackoff.Delay(30)}; got[0] != time.Second ||
		got[1] != 2*time.Second || got[2] != 4*time.Second || got[3] != 128*time.Second || got[4] != 256*time.Second || got[5] != 5*time.Minute {
		t.Errorf("backoff %v", got)
	}
	t.Logf("30 failures over %s, then sent once; waits %v", took.Round(time.Second), gaps)
}

// A message whose sends keep stopping the process (its attempts claimed and
// never ended) is given up after maxAbandoned of them, so that it cannot
// stop the dispatcher for ever; fewer such attempts, after any number of
// released ones (an outage), and it is sent once. An instance that knows
// nothing of a message tried for hours goes on from its latest attempts.
func TestAttemptsThatNeverEndedGiveUpOnlyAPoisonMessage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.cfg.AdminIDs = nil
	e.s = e.newScheduler("A")
	now := e.clock.Now()
	queue := func(key string, chat int64) {
		out := domain.Outgoing{ChatID: chat, Text: "Thông báo " + key}
		if _, err := e.st.Enqueue(e.ctx, store.OutboxMessage{Key: key, Kind: store.MessageAlert, ChatID: chat, Out: &out}); err != nil {
			t.Fatal(err)
		}
	}
	// dead leaves attempts from..to claimed by a dead instance, not released.
	dead := func(key string, from, to int) {
		for n := from; n <= to; n++ {
			if ok, err := e.st.ClaimMessage(e.ctx, key, n, "dead", now.Add(-time.Minute)); !ok || err != nil {
				t.Fatalf("claim %s#%d: %v %v", key, n, ok, err)
			}
		}
	}
	// outage leaves attempts from..to released after a temporary failure.
	outage := func(key string, from, to int) {
		for n := from; n <= to; n++ {
			if ok, err := e.st.ClaimMessage(e.ctx, key, n, "B", now.Add(-time.Minute)); !ok || err != nil {
				t.Fatal(ok, err)
			}
			if err := e.st.ReleaseMessage(e.ctx, key, n, store.Release{NotBefore: now.Add(-time.Second), Failures: n, Error: "Bad Gateway"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	queue("poison", 1)
	dead("poison", 1, maxAbandoned)
	queue("poison-after-outage", 2)
	outage("poison-after-outage", 1, 60)
	dead("poison-after-outage", 61, 60+maxAbandoned)
	queue("killed-twice", 3)
	dead("killed-twice", 1, 2)
	queue("outage-then-killed", 4)
	outage("outage-then-killed", 1, 90)
	dead("outage-then-killed", 91, 90+maxAbandoned-1)

	if err := e.s.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]struct {
		state   string
		attempt int
		sent    int
	}{
		"poison":              {store.OutcomeFailed, maxAbandoned, 0},
		"poison-after-outage": {store.OutcomeFailed, 60 + maxAbandoned, 0},
		"killed-twice":        {store.OutcomeSent, 3, 1},
		"outage-then-killed":  {store.OutcomeSent, 90 + maxAbandoned, 1},
	} {
		out, found, err := e.st.MessageOutcome(e.ctx, key)
		if err != nil || !found || out.State != want.state || out.Attempt != want.attempt {
			t.Errorf("%s: outcome %s at attempt %d (%v %v), want %s at %d", key, out.State, out.Attempt, found, err, want.state, want.attempt)
		}
		if n := len(e.send.To(out.Message.ChatID)); n != want.sent {
			t.Errorf("%s: sent %d times, want %d", key, n, want.sent)
		}
		if want.state == store.OutcomeFailed && !strings.Contains(out.Error, "never ended") {
			t.Errorf("%s: error %q", key, out.Error)
		}
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

// A chat that waits for its own limit (the admin getting several notices)
// does not hold up the sends to other chats, and however the chats mix, no
// second has more sends than the rate and its burst allow, nor any chat two
// sends within a second. (The buckets count in floating point: a chat's
// spacing may come out a microsecond short of the second.)
func TestLimiterChatWaitDoesNotHoldUpOthers(t *testing.T) {
	t.Parallel()
	clock := testkit.NewManual(at(2025, 12, 24, 8, 0))
	l := newLimiter(30, 1, clock.Now)
	start := clock.Now()
	a1, a2 := l.reserve(1), l.reserve(1)
	if a1 != start || a2.Sub(a1) < time.Second-time.Microsecond {
		t.Errorf("chat 1 at +%s and +%s", a1.Sub(start), a2.Sub(start))
	}
	if b := l.reserve(2); b != start {
		t.Errorf("chat 2 waited %s behind chat 1's own limit", b.Sub(start))
	}

	var sends []time.Time
	last := map[int64]time.Time{}
	for i := range 300 {
		chat := int64(100 + i)
		if i%4 == 0 {
			chat = 7777 // every fourth message to one chat
		}
		if i%50 == 49 {
			clock.Advance(700 * time.Millisecond) // the dispatcher comes back later
		}
		s := l.reserve(chat)
		if p, ok := last[chat]; ok && s.Sub(p) < time.Second-time.Microsecond {
			t.Fatalf("chat %d twice within %s", chat, s.Sub(p))
		}
		last[chat] = s
		sends = append(sends, s)
	}
	slices.SortFunc(sends, func(a, b time.Time) int { return a.Compare(b) })
	for i, s := range sends {
		n := 0
		for _, u := range sends[i:] {
			if u.Sub(s) >= time.Second {
				break
			}
			n++
		}
		if n > 30+3 {
			t.Fatalf("%d sends in the second from +%s; the limit is 30/s with a burst of 3", n, s.Sub(start))
		}
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
	parts := render(m, false)
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
	if again := render(m, false); len(again) != len(parts) || again[1].Text != parts[1].Text {
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
	parts := render(m, false)
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

// The notices of a delay are queued once whatever the number of instances
// watching the outbox and however often they restart (a restart reads the
// spell back from the database): one notice that messages wait, one that it
// is over, to each admin.
func TestDelayToldOnceAcrossInstancesAndRestarts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := e.linkMany(3)
	var down atomic.Bool
	down.Store(true)
	e.send.fail = func(m domain.Outgoing, call int) error {
		if down.Load() {
			return &domain.SendError{Temporary: true, Err: errString("Bad Gateway")}
		}
		return nil
	}
	if _, err := e.s.RunReminders(e.ctx, at(2025, 12, 24, 8, 0)); err != nil {
		t.Fatal(err)
	}
	instances := []*Scheduler{e.s, e.newScheduler("B")}
	for step := 0; step < 12; step++ { // an hour, an instance restarted every 15 minutes
		if step%3 == 2 {
			instances[step%2] = e.newScheduler(fmt.Sprint("restart-", step))
		}
		for _, s := range instances {
			if _, err := s.drain(e.ctx); err != nil {
				t.Fatal(err)
			}
		}
		e.clock.Advance(5 * time.Minute)
	}
	if n := len(e.send.Sent()); n != 0 {
		t.Fatalf("%d sent while down", n)
	}
	down.Store(false)
	for step := 0; step < 12; step++ {
		for _, s := range instances {
			if _, err := s.drain(e.ctx); err != nil {
				t.Fatal(err)
			}
		}
		e.clock.Advance(time.Minute)
	}
	assertOnce(t, e.send.To(ids[0]), []int64{ids[0]})
	var delayed, cleared int
	for _, m := range e.send.To(admin) {
		switch {
		case strings.Contains(m.Text, "đang bị chậm"):
			delayed++
			if cleared > 0 {
				t.Error("the end of the delay came before the delay")
			}
		case strings.Contains(m.Text, "bình thường trở lại"):
			cleared++
		}
	}
	if delayed != 1 || cleared != 1 {
		t.Errorf("the admin was told of the delay %d times and of its end %d times, want once each", delayed, cleared)
	}
	if d, ok, err := e.st.DelaySpell(e.ctx, 1); err != nil || !ok || d.Cleared.IsZero() || !d.Since.Equal(at(2025, 12, 24, 8, 0)) {
		t.Errorf("spell 1: %+v %v %v", d, ok, err)
	}
	if _, ok, _ := e.st.DelaySpell(e.ctx, 2); ok {
		t.Error("a second spell was recorded")
	}
}

// A reminder or digest sent after its day says so in its first line, in
// the reader's language; the parts of a long reminder are cut the same
// whether it is late or not (a message resumed part-way stays whole); an
// alert is never marked.
func TestLateMessagesAreMarked(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var items []store.OutboxItem
	for i := 0; i < 100; i++ {
		items = append(items, store.OutboxItem{ID: fmt.Sprint(i), Kind: KindPeriodic, Assignment: fmt.Sprint(i), Task: fmt.Sprint("X-", i),
			Title: strings.Repeat("nhiệm vụ ", 12), Deadline: "Thường xuyên", Period: "m2025-12"})
	}
	for lang, mark := range map[string]string{"vi": "(gửi trễ do sự cố kết nối)", "en": "(sent late because of a connection problem)"} {
		m := store.OutboxMessage{Key: "big", Kind: store.MessageReminder, ChatID: khcnVI, Lang: lang, Day: date(2025, 12, 24), Items: items}
		onTime, late := render(m, false), render(m, true)
		if len(onTime) < 3 || len(late) != len(onTime) {
			t.Fatalf("%s: %d parts on time, %d late", lang, len(onTime), len(late))
		}
		for i := range late {
			first, rest, _ := strings.Cut(late[i].Text, "\n")
			wantFirst, wantRest, _ := strings.Cut(onTime[i].Text, "\n")
			if first != wantFirst+i18n.T(i18n.For(lang), "reminder.late") || rest != wantRest || !strings.Contains(first, mark) {
				t.Errorf("%s part %d: late %q, on time %q", lang, i, first, wantFirst)
			}
			if n := i18n.UTF16Len(late[i].Text); n > 4096 {
				t.Errorf("%s part %d: %d UTF-16 units", lang, i, n)
			}
		}
	}
	digest := store.OutboxMessage{Kind: store.MessageDigest, ChatID: leader, Lang: "vi", Day: date(2025, 12, 24),
		Out: &domain.Outgoing{ChatID: leader, Text: "📊 <b>Tổng hợp tuần</b> · 24/12/2025\nNhiệm vụ: <b>40</b>"}}
	alert := store.OutboxMessage{Kind: store.MessageAlert, ChatID: leader, Out: &domain.Outgoing{ChatID: leader, Text: "⚠️ Vướng mắc"}}
	e.clock.Set(at(2025, 12, 24, 23, 59))
	if e.s.late(digest) || e.s.late(alert) {
		t.Error("late on its own day")
	}
	e.clock.Set(at(2025, 12, 25, 0, 1))
	if !e.s.late(digest) || e.s.late(alert) {
		t.Errorf("the next day: digest late %v, alert late %v", e.s.late(digest), e.s.late(alert))
	}
	if got := render(digest, true)[0].Text; got != "📊 <b>Tổng hợp tuần</b> · 24/12/2025 <i>(gửi trễ do sự cố kết nối)</i>\nNhiệm vụ: <b>40</b>" {
		t.Errorf("late digest %q", got)
	}
}
