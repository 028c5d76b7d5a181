package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"agencybot/store"
	"agencybot/store/embedded"
	"agencybot/testkit"
	"agencybot/testkit/tgtest"
	"agencybot/tgserver"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// countSends is how many send* calls (not sendChatAction) the Bot API
// server answered: what agencybot_sends_total{outcome="ok"} counts.
func countSends(srv *tgserver.Server) int {
	n := 0
	for _, s := range srv.Sent() {
		if strings.HasPrefix(s.Method, "send") {
			n++
		}
	}
	return n
}

func manifestOf(t *testing.T, path string) store.BackupManifest {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := store.VerifyBackup(f)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// While `run` serves users, /healthz, /readyz and /metrics answer on
// HTTP_ADDR and `backup` takes a snapshot through the bot's socket. Restored
// into a fresh DATA_DIR, the database holds the same documents: a backup of
// it has the same count and checksum in every collection.
func TestRunServesMetricsAndBackupRestoresTheSameState(t *testing.T) {
	const token = "123456789:AAopstest_abcdefghijklmnopqrstuvw"
	srv := tgtest.BotAPI(t, tgserver.Options{Token: token, BotUsername: "ops_test_bot"})
	addr := freeAddr(t)
	env := testEnv(t, map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_ENDPOINT": srv.URL(), "ADMIN_TELEGRAM_IDS": "7",
		"HTTP_ADDR": addr, "LOG_FORMAT": "json", "LOG_LEVEL": "info",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs testkit.LogBuffer
	done := make(chan error, 1)
	go func() { done <- execute(ctx, []string{"run"}, sys(io.Discard, &logs, env)) }()

	wait, stop := context.WithTimeout(context.Background(), 120*time.Second)
	defer stop()
	admin := tgserver.User{ID: 7, FirstName: "Điều", LastName: "Phối", LanguageCode: "vi"}
	if err := srv.WaitConfirmed(wait, srv.SendText(admin, "/invite Sở Tư pháp")); err != nil {
		t.Fatalf("the bot did not handle the update: %v\n%s", err, logs.String())
	}
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 {
		t.Errorf("/healthz %d %q", code, body)
	}
	if code, body := get("/readyz"); !strings.Contains(body, "database: ok") || !strings.Contains(body, "telegram: ok") {
		t.Errorf("/readyz %d %q", code, body)
	}
	// What the bot sends on its own at this instant (a caught-up reminder
	// run's notice to the coordinator, say) depends on the day; the counter
	// must equal what the Bot API server got, once the outbox is empty.
	var code int
	var body string
	settled := func() bool {
		before := countSends(srv)
		code, body = get("/metrics")
		return code == 200 && strings.Contains(body, "agencybot_outbox_depth 0\n") && before == countSends(srv) &&
			before >= 1 && strings.Contains(body, fmt.Sprintf("agencybot_sends_total{outcome=\"ok\"} %d\n", before))
	}
	for !settled() {
		select {
		case <-wait.Done():
			t.Fatalf("/metrics never showed an empty outbox and agencybot_sends_total{outcome=\"ok\"} %d (the sends the server got):\n%s", countSends(srv), body)
		case <-srv.Changes():
		case <-time.After(100 * time.Millisecond): // the outbox empties without a change the server sees
		}
	}
	if want := `agencybot_telegram_requests_total{code="200",method="getMe"} 1`; !strings.Contains(body, want) {
		t.Errorf("/metrics lacks %q", want)
	}
	var out bytes.Buffer
	if err := execute(context.Background(), []string{"health", "--ready"}, sys(&out, io.Discard, env)); err != nil {
		t.Errorf("health --ready: %v %s", err, out.String())
	}

	// Backup while the bot runs.
	file := filepath.Join(t.TempDir(), "b.tar.gz")
	out.Reset()
	if err := execute(context.Background(), []string{"backup", "--out", file}, sys(&out, io.Discard, env)); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(out.String(), "backup written to "+file) || !strings.Contains(out.String(), "invites") {
		t.Errorf("backup output %q", out.String())
	}
	// Restore refuses while the bot holds DATA_DIR.
	if err := execute(context.Background(), []string{"restore", file, "--replace"}, sys(io.Discard, io.Discard, env)); err == nil || !strings.Contains(err.Error(), "stop it first") {
		t.Errorf("restore under a running bot: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil || v["msg"] == nil {
			t.Errorf("LOG_FORMAT=json wrote a line that is not JSON: %q", line)
			break
		}
	}
	if strings.Contains(logs.String(), "AAopstest") {
		t.Error("the token is in the log")
	}

	// Restore into a fresh DATA_DIR; a backup of it matches, collection by collection.
	fresh := testEnv(t, nil)
	out.Reset()
	if err := execute(context.Background(), []string{"restore", file}, sys(&out, io.Discard, fresh)); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if err := execute(context.Background(), []string{"restore", file}, sys(io.Discard, io.Discard, fresh)); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Errorf("second restore: %v", err)
	}
	again := filepath.Join(t.TempDir(), "again.tar.gz")
	if err := execute(context.Background(), []string{"backup", "--out", again}, sys(io.Discard, io.Discard, fresh)); err != nil {
		t.Fatal(err)
	}
	a, b := manifestOf(t, file), manifestOf(t, again)
	if len(a.Collections) != len(b.Collections) || a.Documents() < 500 {
		t.Fatalf("collections %d vs %d, %d documents", len(a.Collections), len(b.Collections), a.Documents())
	}
	for i := range a.Collections {
		x, y := a.Collections[i], b.Collections[i]
		if x.Name != y.Name || x.Count != y.Count || x.SHA256 != y.SHA256 {
			t.Errorf("%s: %d %s after restore, %d %s before", y.Name, y.Count, y.SHA256, x.Count, x.SHA256)
		}
	}
}

// migrate copies the embedded database to another server and verifies it;
// run again it copies nothing.
func TestMigrateCommand(t *testing.T) {
	env := testEnv(t, nil)
	if err := execute(context.Background(), []string{"seed"}, sys(io.Discard, io.Discard, env)); err != nil {
		t.Fatal(err)
	}
	target, err := embedded.Start(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Stop()
	var out bytes.Buffer
	if err := execute(context.Background(), []string{"migrate", "--to", target.URI}, sys(&out, io.Discard, env)); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "counts and checksums match") || !strings.Contains(out.String(), "tasks") {
		t.Errorf("output %q", out.String())
	}
	out.Reset()
	if err := execute(context.Background(), []string{"migrate", "--to", target.URI}, sys(&out, io.Discard, env)); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) == 6 && f[0] == "tasks" && (f[1] != "40" || f[2] != "0" || f[3] != "40") {
			t.Errorf("second run copied again: %q", line)
		}
	}
	var u usageError
	if err := execute(context.Background(), []string{"migrate", "--to", "postgres://x"}, sys(io.Discard, io.Discard, env)); !errors.As(err, &u) {
		t.Errorf("a non-MongoDB target: %v", err)
	}
}

// An error quoting the target URI does not repeat its password.
func TestRedactErrHidesThePassword(t *testing.T) {
	uri := "mongodb://agencybot:s3cr%40t-pw@db1.example:27017/?replicaSet=rs0"
	msg := redactErr(errors.New("error parsing uri "+uri+": password s3cr@t-pw"), uri)
	if strings.Contains(msg, "s3cr") || !strings.Contains(msg, "db1.example") {
		t.Errorf("%q", msg)
	}
}
