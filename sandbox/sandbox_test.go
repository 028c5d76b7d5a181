package sandbox

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"agencybot/bot"
	"agencybot/config"
	"agencybot/domain"
	"agencybot/store"
	"agencybot/testkit"
	"agencybot/tgserver"
)

// started is a sandbox running for a test, with the real bot and scheduler
// on an embedded database of its own.
type started struct {
	url string
	sb  *Sandbox
}

// startSandbox runs a sandbox wired as cmd/agencybot wires it.
func startSandbox(t *testing.T) started {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	cfg.AdminIDs = []int64{CoordinatorID}
	dir := t.TempDir()
	ready := make(chan string, 1)
	clock := testkit.Pinned(testkit.At())
	sb, err := New(Options{
		Addr:     "127.0.0.1:0",
		Location: cfg.Location,
		Clock:    clock,
		Open: func(ctx context.Context) (*store.Store, error) {
			return store.Open(ctx, store.Options{DataDir: dir, Database: "agencybot_sandbox", Clock: clock})
		},
		Seed: func(ctx context.Context, st *store.Store) error {
			empty, err := st.Empty(ctx)
			if err == nil && empty {
				_, err = st.SeedDefault(ctx)
			}
			return err
		},
		Start: func(ctx context.Context, st *store.Store, endpoint, token string) (Parts, error) {
			c := cfg
			c.APIEndpoint, c.TelegramToken = endpoint, token
			b, sched, err := bot.Wire(bot.Wiring{Config: c, Store: st, Clock: clock, PollTimeout: 10 * time.Second,
				HTTPClient: &http.Client{Timeout: 30 * time.Second}})
			if err != nil {
				return Parts{}, err
			}
			b.Runtime.Panicked = func(id int, p any) { t.Errorf("update %d: a handler panicked: %v", id, p) }
			return Parts{
				Run: func(ctx context.Context) error {
					errs := make(chan error, 2)
					go func() { errs <- b.Run(ctx) }()
					go func() { errs <- sched.Run(ctx) }()
					e1, e2 := <-errs, <-errs
					if e1 != nil {
						return e1
					}
					return e2
				},
				Reminders: sched.RunReminders,
				Digest:    sched.RunDigest,
			}, nil
		},
		Ready: func(url string) { ready <- url },
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sb.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sandbox Run: %v", err)
		}
	})
	select {
	case url := <-ready:
		return started{url: url, sb: sb}
	case err := <-done:
		t.Fatalf("sandbox did not start: %v", err)
	case <-time.After(2 * time.Minute):
		t.Fatal("sandbox did not start")
	}
	return started{}
}

// Changes need the X-Sandbox header, so that another web site open in the
// same browser cannot act in the sandbox; foreign host names are refused.
func TestForeignPagesCannotAct(t *testing.T) {
	s := startSandbox(t)
	resp, err := http.Post(s.url+"/api/send", "text/plain", strings.NewReader(`{"id":7001,"text":"/help"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without X-Sandbox: %s, want 403", resp.Status)
	}
	req, _ := http.NewRequest(http.MethodGet, s.url+"/api/state", nil)
	req.Host = "evil.example:8080"
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("foreign Host: %s, want 403", resp.Status)
	}
}

// api posts to the sandbox's JSON API as the page does.
func (s started) api(t *testing.T, path, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Sandbox", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s", path, resp.Status)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
}

// The reset button throws away what was done (a linked newcomer, the chats)
// and comes back with the seeded state and the demo people linked again.
func TestResetReturnsToSeededState(t *testing.T) {
	s := startSandbox(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	gen := s.sb.current()
	inv, err := gen.st.CreateInvite(ctx, domain.RoleOfficer, "so-y-te", CoordinatorID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s.api(t, "/api/send", `{"id":7009,"text":"/start `+inv.Code+`"}`, nil)
	if err := gen.tg.WaitFor(ctx, func(sent []tgserver.Sent) bool {
		for _, m := range sent {
			if m.ChatID == 7009 && strings.Contains(m.Text, "Sở Y tế") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatalf("the newcomer was not linked: %v", err)
	}
	if o, err := gen.st.Officer(ctx, 7009); err != nil || o.AgencyKey != "so-y-te" {
		t.Fatalf("newcomer after the invite: %+v %v", o, err)
	}

	s.api(t, "/api/reset", `{}`, nil)

	after := s.sb.current()
	if after == nil || after == gen {
		t.Fatal("no new generation after the reset")
	}
	if _, err := after.st.Officer(ctx, 7009); err == nil {
		t.Error("the newcomer is still linked after the reset")
	}
	if o, err := after.st.Officer(ctx, 7003); err != nil || o.AgencyKey != "so-khcn" {
		t.Errorf("the demo officer is not linked again: %+v %v", o, err)
	}
	if n := len(after.tg.History(7009)); n != 0 {
		t.Errorf("the newcomer's chat has %d messages after the reset", n)
	}
	tasks, err := after.st.Tasks(ctx, "")
	if err != nil || len(tasks) != 40 {
		t.Errorf("after the reset %d tasks (%v), want the 40 seeded", len(tasks), err)
	}
}
