package bot

// Issue 20 point 7: killed (kill -9) at any step of reporting a completion
// or of accepting it, then the update handled again by a restarted bot:
// the coordinator's notice and the officer's are each sent exactly once.

import (
	"context"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/store"
)

// reviewCrash "kills" the handler (panic(killed{})) right after one step of
// a completion's review: "after-open" (the review opened), "after-decide"
// (the review decided).
type reviewCrash struct {
	PlanAdmin
	step string
}

func (c reviewCrash) OpenReview(ctx context.Context, a domain.Assignment, id int64, name string) error {
	err := c.PlanAdmin.OpenReview(ctx, a, id, name)
	if err == nil && c.step == "after-open" {
		panic(killed{})
	}
	return err
}

func (c reviewCrash) DecideReview(ctx context.Context, id string, accept bool, by int64, byName, comment, source string) (store.Review, error) {
	r, err := c.PlanAdmin.DecideReview(ctx, id, accept, by, byName, comment, source)
	if err == nil && c.step == "after-decide" {
		panic(killed{})
	}
	return r, err
}

// outboxCrash "kills" the handler right after it queued its first push
// ("after-push").
type outboxCrash struct {
	Outbox
	step string
}

func (o outboxCrash) Enqueue(ctx context.Context, key string, out domain.Outgoing) (bool, error) {
	ok, err := o.Outbox.Enqueue(ctx, key, out)
	if err == nil && o.step == "after-push" {
		panic(killed{})
	}
	return ok, err
}

// pressAt is an update carrying u's press of a button with data on msg.
func pressAt(id int, u tgbotapi.User, msg int, data string) tgbotapi.Update {
	return tgbotapi.Update{UpdateID: id, CallbackQuery: &tgbotapi.CallbackQuery{
		ID: "cb" + itoa(id), From: &u, Data: data,
		Message: &tgbotapi.Message{MessageID: msg, Chat: &tgbotapi.Chat{ID: u.ID, Type: "private"}},
	}}
}

func TestCompletionAndAcceptanceNoticesOnceThroughKills(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.stop()
	ctx := context.Background()
	aid := domain.AssignmentID("25-3", "so-y-te")
	ref := domain.RefOf(aid)
	off := tgbotapi.User{ID: officer.ID, FirstName: officer.FirstName, LastName: officer.LastName, LanguageCode: "vi"}
	adm := tgbotapi.User{ID: admin.ID, FirstName: admin.FirstName, LastName: admin.LastName, LanguageCode: "vi"}
	// handle runs u through a bot killed at step, then twice through a
	// restarted one (the offset was not saved; then it is marked handled).
	handle := func(step string, u tgbotapi.Update) {
		t.Helper()
		killedBot, _ := h.wireWith(h.store, nil, func(d *Deps) {
			d.Data = unmarked{d.Data}
			d.Plans = reviewCrash{PlanAdmin: d.Plans, step: step}
			d.Outbox = outboxCrash{Outbox: d.Outbox, step: step}
		})
		killedBot.Runtime.Panicked = nil // the kill is a panic, on purpose
		killedBot.Runtime.HandleUpdate(ctx, u)
		restarted, sched := h.wire(nil)
		restarted.Runtime.HandleUpdate(ctx, u)
		restarted.Runtime.HandleUpdate(ctx, u)
		h.setNow(h.clock.Now().Add(reviewBatch + time.Minute))
		if err := sched.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
	}
	id := 700000
	acceptSteps := []string{"after-decide", "after-push", "after-decide", ""}
	for i, step := range []string{"after-store", "after-open", "after-push", ""} {
		// Reported done (killed at step), then accepted (killed at each step).
		id++
		waiting, asked := h.count(admin, "Chờ duyệt: 25-3"), countText(h, "Vui lòng gõ số và ngày")
		c := &crashAt{Store: h.store, step: step}
		killedBot, _ := h.wireWith(h.store, nil, func(d *Deps) {
			d.Data = unmarked{c}
			d.Plans = reviewCrash{PlanAdmin: d.Plans, step: step}
			d.Outbox = outboxCrash{Outbox: d.Outbox, step: step}
		})
		killedBot.Runtime.Panicked = nil
		done := pressAt(id, off, 1, domain.Callback{Verb: domain.VerbStatus, Ref: ref, Arg: string(domain.Done)}.Encode())
		killedBot.Runtime.HandleUpdate(ctx, done)
		restarted, sched := h.wire(nil)
		restarted.Runtime.HandleUpdate(ctx, done)
		restarted.Runtime.HandleUpdate(ctx, done)
		h.setNow(h.clock.Now().Add(reviewBatch + time.Minute))
		if err := sched.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
		if n := h.count(admin, "Chờ duyệt: 25-3") - waiting; n != 1 {
			t.Errorf("done killed %q: the coordinator was told %d times, want 1", step, n)
		}
		if n := countText(h, "Vui lòng gõ số và ngày") - asked; n != 1 {
			t.Errorf("done killed %q: the officer was asked for the proof %d times, want 1", step, n)
		}
		r, err := h.store.ReviewOf(ctx, aid)
		if err != nil || r.State != store.ReviewWaiting {
			t.Fatalf("done killed %q: the review %+v %v", step, r, err)
		}

		accepted := h.count(officer, "công nhận hoàn thành")
		id++
		handle(acceptSteps[i], pressAt(id, adm, 2, domain.Callback{Verb: VerbReview, Ref: "a", Arg: ref}.Encode()))
		if n := h.count(officer, "công nhận hoàn thành") - accepted; n != 1 {
			t.Errorf("accept killed %q: the officer was told %d times, want 1", acceptSteps[i], n)
		}
		if r, err := h.store.ReviewOf(ctx, aid); err != nil || r.State != store.ReviewAccepted {
			t.Errorf("accept killed %q: the review %+v %v", acceptSteps[i], r, err)
		}
		// Back to in progress for the next round.
		id++
		restarted.Runtime.HandleUpdate(ctx, pressAt(id, off, 1, domain.Callback{Verb: domain.VerbStatus, Ref: ref, Arg: string(domain.InProgress)}.Encode()))
	}
}
