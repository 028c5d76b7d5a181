package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
	"agencybot/store"
	"agencybot/store/storetest"
	"agencybot/telegram"
	"agencybot/tgserver"
)

// hooked is one bot instance in webhook mode, serving its handler on its
// own HTTP server.
type hooked struct {
	b      *Bot
	http   *httptest.Server
	cancel context.CancelFunc
	done   chan error
}

// startHooked runs a webhook-mode bot on st that registers webhookURL (its
// own server when empty) and waits until tgserver has it.
func (h *harness) startHooked(st *store.Store, webhookURL string) *hooked {
	h.t.Helper()
	b, _ := h.wireOn(st, nil)
	x := &hooked{b: b, http: httptest.NewServer(b.Runtime.WebhookHandler()), done: make(chan error, 1)}
	if webhookURL == "" {
		webhookURL = x.http.URL + "/telegram"
	}
	b.Runtime.WebhookURL = webhookURL
	sets := h.srv.Calls("setWebhook")
	var ctx context.Context
	ctx, x.cancel = context.WithCancel(context.Background())
	go func() { x.done <- b.Run(ctx) }()
	h.t.Cleanup(x.stop)
	h.waitUntil("the webhook is registered", func() bool { return h.srv.Calls("setWebhook") > sets && h.srv.Webhook().URL == webhookURL })
	return x
}

// stop ends the instance as a shutdown does.
func (x *hooked) stop() {
	if x.cancel == nil {
		return
	}
	x.cancel()
	<-x.done
	x.http.Close()
	x.cancel = nil
}

// post delivers a raw update to the instance as Telegram would, with secret
// (none when empty), and returns the HTTP status.
func (x *hooked) post(t *testing.T, raw []byte, secret string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, x.http.URL+"/telegram", bytes.NewReader(raw))
	if secret != "" {
		req.Header.Set(telegram.SecretHeader, secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// stopPolling stops the harness's bot once it polls (stopped during its
// start-up repair, Run would report the cancellation).
func (h *harness) stopPolling() {
	h.waitUntil("the bot polls", func() bool { return h.srv.Stats().ActivePolls > 0 })
	h.stop()
}

// waitUntil waits for cond, woken by every change tgserver records.
func (h *harness) waitUntil(what string, cond func() bool) {
	h.t.Helper()
	ctx := h.ctx()
	for {
		ch := h.srv.Changes()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-ctx.Done():
			h.t.Fatalf("waiting for %s: %v", what, ctx.Err())
		}
	}
}

func rawText(id int, from tgserver.User, text string) []byte {
	raw, _ := json.Marshal(map[string]any{"update_id": id, "message": map[string]any{
		"message_id": id, "date": 1766538000, "text": text,
		"from": from, "chat": map[string]any{"id": from.ID, "type": "private", "first_name": from.FirstName},
	}})
	return raw
}

// In webhook mode the bot registers its webhook with a secret and the
// poller's update types, and handles commands and presses delivered to it;
// a request without the right secret is refused with 401 and changes
// nothing.
func TestWebhookEndToEnd(t *testing.T) {
	h := newHarness(t)
	h.stopPolling()
	x := h.startHooked(h.store, "")
	wh := h.srv.Webhook()
	if len(wh.Secret) < 32 || wh.DropPendingUpdates || !contains(wh.AllowedUpdates, "callback_query") || !contains(wh.AllowedUpdates, "message") {
		t.Fatalf("registered %+v", wh)
	}
	polls := h.srv.Calls("getUpdates")

	h.link(officer, "Sở Y tế")
	list := h.say(officer, "/tasks")
	if len(list) == 0 {
		t.Fatal("/tasks by webhook: no answer")
	}
	cb, sent := h.press(officer, list[len(list)-1].MessageID, buttonWith(t, list[len(list)-1], "25-3"))
	if cb.Text == "" && len(sent) == 0 {
		t.Fatal("the press by webhook was not answered")
	}
	card := sent[len(sent)-1]
	h.press(officer, card.MessageID, buttonWith(t, card, "✍️"))
	h.say(officer, "45")
	a, _ := h.store.Assignment(context.Background(), domain.AssignmentID("25-3", "so-y-te"))
	if a.Progress != 45 || a.Version != 1 {
		t.Errorf("progress by webhook: %d (version %d), want 45 (1)", a.Progress, a.Version)
	}
	if n := h.srv.Calls("getUpdates"); n != polls {
		t.Errorf("webhook mode polled getUpdates %d times", n-polls)
	}

	// Wrong or missing secret: 401, nothing handled, nothing marked.
	raw := rawText(5000, nobody, "xin chào")
	for _, secret := range []string{"", "wrong-secret", wh.Secret + "x"} {
		if code := x.post(t, raw, secret); code != http.StatusUnauthorized {
			t.Errorf("secret %q: HTTP %d, want 401", secret, code)
		}
	}
	if done, _ := h.store.Processed(context.Background(), 5000); done || len(h.srv.SentTo(nobody.ID)) != 0 {
		t.Fatalf("a refused request was handled (marked %v, answers %d)", done, len(h.srv.SentTo(nobody.ID)))
	}
	// The same update with the secret is handled before the 200, once.
	for range 2 {
		if code := x.post(t, raw, wh.Secret); code != http.StatusOK {
			t.Fatalf("right secret: HTTP %d", code)
		}
	}
	if done, _ := h.store.Processed(context.Background(), 5000); !done || len(h.srv.SentTo(nobody.ID)) != 1 {
		t.Errorf("with the secret: marked %v, answers %d (want true, 1)", done, len(h.srv.SentTo(nobody.ID)))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Two instances behind one load balancer on one database: every update,
// whether it reaches one of them or both at once, is handled exactly once.
func TestWebhookTwoInstancesOneDatabase(t *testing.T) {
	h := newHarness(t)
	h.stopPolling()
	old := h.store
	t.Cleanup(func() { _ = old.Drop(context.Background()) })
	// Two stores (as two processes have) on one fresh database.
	ctx := context.Background()
	name := storetest.DBName(t.Name())
	clock := h.clock.Now
	s1, err := store.New(ctx, testClient, name, clock)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := store.New(ctx, testClient, name, clock)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s1.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	h.store = s1

	// The load balancer: the first update goes to both, then it alternates,
	// and every third update goes to both at once.
	var insts [2]*hooked
	var mu sync.Mutex
	n, statuses := 0, map[int]int{}
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		i := n
		n++
		targets := []*hooked{insts[i%2]}
		if i%3 == 0 {
			targets = insts[:]
		}
		mu.Unlock()
		codes := make([]int, len(targets))
		var wg sync.WaitGroup
		for k, x := range targets {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[k] = x.post(t, body, r.Header.Get(telegram.SecretHeader))
			}()
		}
		wg.Wait()
		status := http.StatusOK
		mu.Lock()
		for _, c := range codes {
			statuses[c]++
			status = max(status, c)
		}
		mu.Unlock()
		w.WriteHeader(status)
	}))
	defer lb.Close()
	a, b := h.startHooked(s1, lb.URL+"/telegram"), h.startHooked(s2, lb.URL+"/telegram")
	mu.Lock()
	insts = [2]*hooked{a, b}
	mu.Unlock()

	h.link(officer, "Sở Y tế")
	list := h.say(officer, "/tasks")
	_, sent := h.press(officer, list[len(list)-1].MessageID, buttonWith(t, list[len(list)-1], "25-3"))
	card := sent[len(sent)-1]
	callbacks := len(h.srv.Callbacks())
	const rounds = 6
	for i := 1; i <= rounds; i++ {
		h.press(officer, card.MessageID, buttonWith(t, card, "✍️"))
		h.say(officer, strconv.Itoa(10*i))
		h.say(nobody, "xin chào "+strconv.Itoa(i))
	}

	id := domain.AssignmentID("25-3", "so-y-te")
	hist, err := s2.AssignmentHistory(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != rounds {
		t.Errorf("stored %d updates of the assignment, want %d", len(hist), rounds)
	}
	for k, u := range hist { // newest first
		if want := 10 * (rounds - k); u.Progress == nil || *u.Progress != want {
			t.Errorf("update %d: progress %v, want %d", u.Version, u.Progress, want)
		}
	}
	if got := len(h.srv.Callbacks()) - callbacks; got != rounds {
		t.Errorf("%d presses answered %d times", rounds, got)
	}
	if got := len(h.srv.SentTo(nobody.ID)); got != rounds {
		t.Errorf("%d texts of a stranger answered %d times", rounds, got)
	}
	all := h.srv.AllUpdates()
	markers, err := testClient.Database(name).Collection("processed_updates").CountDocuments(ctx, bson.M{})
	if err != nil {
		t.Fatal(err)
	}
	if int(markers) != len(all) {
		t.Errorf("%d processed markers (claims included) for %d updates", markers, len(all))
	}
	mu.Lock()
	if statuses[http.StatusOK] <= len(all) || len(statuses) != 1 {
		t.Errorf("instance answers %v for %d updates (some delivered twice): want only 200s", statuses, len(all))
	}
	mu.Unlock()

	// Telegram delivering everything again, to both instances at once,
	// changes and sends nothing.
	sentBefore, cbBefore := len(h.srv.Sent()), len(h.srv.Callbacks())
	secret := h.srv.Webhook().Secret
	var wg sync.WaitGroup
	for _, raw := range all {
		for _, x := range insts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if code := x.post(t, raw, secret); code != http.StatusOK {
					t.Errorf("a redelivery: HTTP %d", code)
				}
			}()
		}
	}
	wg.Wait()
	if s, c := len(h.srv.Sent())-sentBefore, len(h.srv.Callbacks())-cbBefore; s != 0 || c != 0 {
		t.Errorf("redelivery sent %d messages and %d answers", s, c)
	}
	if hist, _ := s1.AssignmentHistory(ctx, id, 0); len(hist) != rounds {
		t.Errorf("after redelivery %d updates stored, want %d", len(hist), rounds)
	}
}

// Stopping in webhook mode deletes nothing (updates meanwhile wait at
// Telegram); starting again by polling deletes the webhook, keeping those
// updates, and handles them.
func TestWebhookToPolling(t *testing.T) {
	h := newHarness(t)
	h.stopPolling()
	deletes := h.srv.Calls("deleteWebhook")
	x := h.startHooked(h.store, "")
	h.link(officer, "Sở Y tế")
	x.stop()
	if w := h.srv.Webhook(); w.URL == "" || h.srv.Calls("deleteWebhook") != deletes {
		t.Fatalf("stopping deleted the webhook (url %q, deleteWebhook calls %d)", w.URL, h.srv.Calls("deleteWebhook")-deletes)
	}
	up := h.srv.SendText(officer, "/tasks") // arrives while no instance runs
	h.waitUntil("a failed delivery", func() bool { return h.srv.Webhook().Failed > 0 })

	h.start() // polling again
	h.settle(up)
	if h.srv.Calls("deleteWebhook") != deletes+1 {
		t.Errorf("polling start called deleteWebhook %d times, want 1", h.srv.Calls("deleteWebhook")-deletes)
	}
	if w := h.srv.Webhook(); w.URL != "" || w.DropPendingUpdates {
		t.Errorf("after polling start the webhook is %+v", w)
	}
	if got := h.srv.SentTo(officer.ID); len(got) == 0 || plain(t, got[len(got)-1]) == "" {
		t.Fatal("the update sent while the bot was down got no answer")
	}
	if done, _ := h.store.Processed(context.Background(), up); !done {
		t.Error("the update sent while the bot was down is not marked handled")
	}
}
