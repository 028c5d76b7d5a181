package scheduler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"agencybot/config"
	"agencybot/domain"
	"agencybot/store"
	"agencybot/store/storetest"
	"agencybot/testkit"
)

var errKilled = errors.New("killed")

// killable is a store as seen by a process that can be killed: once dead,
// nothing it asks of the database happens any more, so its claims stay as
// they were, unreleased, as after kill -9.
type killable struct {
	Store
	dead *atomic.Bool
}

func (k killable) check() error {
	if k.dead.Load() {
		return errKilled
	}
	return nil
}

func (k killable) EachPending(ctx context.Context, fn func(store.OutboxMessage) bool) error {
	if err := k.check(); err != nil {
		return err
	}
	return k.Store.EachPending(ctx, func(m store.OutboxMessage) bool { return !k.dead.Load() && fn(m) })
}

func (k killable) ClaimMessage(ctx context.Context, key string, n int, owner string, leaseUntil time.Time) (bool, error) {
	if err := k.check(); err != nil {
		return false, err
	}
	return k.Store.ClaimMessage(ctx, key, n, owner, leaseUntil)
}

func (k killable) ReleaseMessage(ctx context.Context, key string, n int, r store.Release) error {
	if err := k.check(); err != nil {
		return err
	}
	return k.Store.ReleaseMessage(ctx, key, n, r)
}

func (k killable) FinishMessage(ctx context.Context, m store.OutboxMessage, state string, attempt int, errText string) (bool, error) {
	if err := k.check(); err != nil {
		return false, err
	}
	return k.Store.FinishMessage(ctx, m, state, attempt, errText)
}

func (k killable) PruneOutbox(ctx context.Context, keys []string) error {
	if err := k.check(); err != nil {
		return err
	}
	return k.Store.PruneOutbox(ctx, keys)
}

func (k killable) Beat(ctx context.Context, instance string, at time.Time) error {
	if err := k.check(); err != nil {
		return err
	}
	return k.Store.Beat(ctx, instance, at)
}

// wire is a Telegram that takes a moment to answer and counts what each
// chat received; the process dies (kill) right after the killAt-th message
// arrives, with other sends still in flight.
type wire struct {
	mu     sync.Mutex
	got    map[int64]int
	n      int
	killAt int
	kill   func()
	dead   *atomic.Bool
}

func (w *wire) Send(ctx context.Context, m domain.Outgoing) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	time.Sleep(3 * time.Millisecond) // the round trip
	if w.dead != nil && w.dead.Load() {
		return errKilled // a dead process sends nothing more
	}
	w.mu.Lock()
	w.got[m.ChatID]++
	w.n++
	hit := w.n == w.killAt
	w.mu.Unlock()
	if hit {
		w.kill()
	}
	return nil
}

// Measures point 10 of issue 8: a dispatcher killed mid-run (kill -9: its
// claims abandoned, not released) is followed by a restart. Restarted under
// the same instance id (as `agencybot run` is, from DATA_DIR) it takes back
// its claims at once: every message arrives with the clock not moved. A
// restart under a new id waits only until the dead one's heartbeat is stale
// (beatStale), not for the 2-minute lease. Nothing is lost; what is sent
// twice is at most what was in flight at the kill.
func TestKilledDispatcherResumesAtOnce(t *testing.T) {
	t.Parallel()
	const (
		runs    = 12
		msgs    = 40
		workers = 8
	)
	cfg, err := config.Load(func(k string) string { return map[string]string{"SEND_RATE": "1000"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(8, 10))
	var lost, doubled, waited int
	for run := 0; run < runs; run++ {
		sameID := run%2 == 0
		ctx := context.Background()
		clock := testkit.NewManual(at(2025, 12, 24, 8, 0))
		st, err := store.New(ctx, testClient, storetest.DBName(fmt.Sprintf("%s-%d", t.Name(), run)), clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Drop(context.Background()) })
		for i := 0; i < msgs; i++ {
			out := domain.Outgoing{ChatID: int64(7000 + i), Text: "⚠️ Vướng mắc"}
			if _, err := st.Enqueue(ctx, store.OutboxMessage{Key: fmt.Sprint("block|", i), Kind: store.MessageAlert, ChatID: out.ChatID, Out: &out}); err != nil {
				t.Fatal(err)
			}
		}
		newSched := func(s Store, send Sender, id string) *Scheduler {
			sc, err := New(Deps{Store: s, Sender: send, Clock: clock.Now, Sleep: clock.Sleep, Config: cfg, Workers: workers, Instance: id})
			if err != nil {
				t.Fatal(err)
			}
			return sc
		}
		var dead atomic.Bool
		runCtx, cancel := context.WithCancel(ctx)
		w := &wire{got: map[int64]int{}, killAt: 1 + rng.IntN(msgs-workers), dead: &dead}
		w.kill = func() { dead.Store(true); cancel() }
		first := newSched(killable{Store: st, dead: &dead}, w, "A")
		_ = first.Dispatch(runCtx) // dies part-way
		cancel()
		killedAfter := w.n

		w.dead = nil
		restartID := "A"
		if !sameID {
			restartID = "B"
		}
		second := newSched(st, w, restartID)
		if err := second.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
		atOnce := len(w.got)
		if sameID && atOnce != msgs {
			t.Errorf("run %d: the same instance restarted reached %d of %d chats without waiting", run, atOnce, msgs)
		}
		if !sameID { // the dead one's claims wait for its heartbeat to go stale
			held, err := st.PendingMessages(ctx, 0)
			if err != nil {
				t.Fatal(err)
			}
			waited += len(held)
			clock.Set(clock.Now().Add(beatStale))
			if err := second.Dispatch(ctx); err != nil {
				t.Fatal(err)
			}
		}
		runDoubled := 0
		for i := 0; i < msgs; i++ {
			switch n := w.got[int64(7000+i)]; {
			case n == 0:
				lost++
				t.Errorf("run %d: chat %d got nothing", run, 7000+i)
			case n > 1:
				runDoubled += n - 1
			}
		}
		if runDoubled > workers {
			t.Errorf("run %d: %d sent twice, more than the %d that can be in flight", run, runDoubled, workers)
		}
		doubled += runDoubled
		if pending, _ := st.PendingMessages(ctx, 0); len(pending) != 0 {
			t.Errorf("run %d: %d messages left in the outbox", run, len(pending))
		}
		t.Logf("run %d (restart as %s): killed after %d of %d sends; %d chats reached at once; %d sent twice", run, restartID, killedAfter, msgs, atOnce, runDoubled)
	}
	t.Logf("%d runs, %d kills, %d messages each: %d lost, %d sent twice; restarts under a new id waited %s (not %s) for %d held messages",
		runs, runs, msgs, lost, doubled, beatStale, sendLease, waited)
}

// A claim of a live instance is left alone; once its heartbeat is stale it
// is taken back, long before its lease ends. A claim of an instance that
// never beat waits for its lease.
func TestStaleHeartbeatReleasesClaims(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ids := e.linkMany(2)
	if _, err := e.s.RunReminders(e.ctx, at(2025, 12, 24, 8, 0)); err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	beating := fmt.Sprintf("rem|2025-12-24T08:00|%d", ids[0])
	silent := fmt.Sprintf("rem|2025-12-24T08:00|%d", ids[1])
	for key, owner := range map[string]string{beating: "X", silent: "legacy"} {
		if ok, err := e.st.ClaimMessage(e.ctx, key, 1, owner, now.Add(sendLease)); !ok || err != nil {
			t.Fatalf("claim %s: %v %v", key, ok, err)
		}
	}
	if err := e.st.Beat(e.ctx, "X", now); err != nil {
		t.Fatal(err)
	}
	b := e.newScheduler("B")
	if err := b.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.send.To(ids[0])) + len(e.send.To(ids[1])); n != 0 {
		t.Fatalf("%d claimed messages sent while their holders may be alive", n)
	}
	e.clock.Set(now.Add(beatStale - time.Second))
	if err := e.st.Beat(e.ctx, "X", e.clock.Now()); err != nil { // X still alive
		t.Fatal(err)
	}
	e.clock.Set(now.Add(beatStale + time.Second))
	if err := b.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.send.To(ids[0])); n != 0 {
		t.Fatalf("taken from an instance that beat %s ago", 2*time.Second)
	}
	e.clock.Set(now.Add(2*beatStale + time.Second)) // X stopped beating
	if err := b.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(e.send.To(ids[0])); n != 1 {
		t.Errorf("the claim of a silent instance: sent %d times, want 1", n)
	}
	if n := len(e.send.To(ids[1])); n != 0 {
		t.Errorf("a claim with no heartbeat was taken before its lease ended")
	}
	e.clock.Set(now.Add(sendLease + time.Second))
	if err := b.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	assertOnce(t, e.send.Sent(), append(ids, admin))
}
