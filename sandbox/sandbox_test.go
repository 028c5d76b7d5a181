package sandbox

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"agencybot/bot"
	"agencybot/config"
	"agencybot/scheduler"
	"agencybot/store"
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
	sb, err := New(Options{
		Addr:     "127.0.0.1:0",
		Location: cfg.Location,
		Open: func(ctx context.Context) (*store.Store, error) {
			return store.Open(ctx, store.Options{DataDir: dir, Database: "agencybot_sandbox"})
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
			api, err := bot.NewAPI(token, endpoint, &http.Client{Timeout: 30 * time.Second})
			if err != nil {
				return Parts{}, err
			}
			b := &bot.Bot{API: api, Store: st, Config: c, PollTimeout: 10 * time.Second}
			sched, err := scheduler.New(scheduler.Deps{Store: st, Sender: &bot.Sender{API: api}, Config: c})
			if err != nil {
				return Parts{}, err
			}
			b.Wake = sched.Wake
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
