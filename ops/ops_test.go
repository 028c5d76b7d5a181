package ops

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/scheduler"
	"agencybot/store"
	"agencybot/store/embedded"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func reminderJob(t *testing.T) Job {
	t.Helper()
	sch, err := cron.ParseStandard("0 8 * * 1-5")
	if err != nil {
		t.Fatal(err)
	}
	return Job{Name: "reminders", Schedule: sch, Location: hcm}
}

// After recording, /metrics shows each figure under its documented name:
// updates and their latency, sends by outcome (through the Bot API client's
// transport), outbox depth and age, messages of the last run and the last
// success per job. The bot token never appears.
func TestMetricsShowWhatWasRecorded(t *testing.T) {
	st, now := testStore(t)
	ctx := context.Background()
	clock := func() time.Time { return *now }
	m := NewMetrics()
	if err := m.WatchData(st, []Job{reminderJob(t)}, clock); err != nil {
		t.Fatal(err)
	}

	m.UpdateHandled("command", 120*time.Millisecond, nil)
	m.UpdateHandled("command", 80*time.Millisecond, nil)
	m.UpdateHandled("callback", 3*time.Second, context.DeadlineExceeded)
	m.RunPlanned("reminders", 12, *now)

	// A Bot API stand-in answering sends with the statuses Telegram uses.
	const token = "123456789:AAmetrics_secret_abcdefghijklmno"
	codes := []int{200, 200, 429, 403, 502, 400, 200}
	tg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := http.StatusOK
		if strings.HasSuffix(r.URL.Path, "/sendMessage") {
			c, codes = codes[0], codes[1:]
		}
		w.WriteHeader(c)
		_, _ = w.Write([]byte(`{"ok":true,"result":true}`))
	}))
	defer tg.Close()
	client := &http.Client{Transport: &Transport{Metrics: m, Clock: clock}}
	for range 7 {
		resp, err := client.Post(tg.URL+"/bot"+token+"/sendMessage", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for _, method := range []string{"getUpdates", "sendChatAction"} {
		resp, err := client.Post(tg.URL+"/bot"+token+"/"+method, "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	// Three messages queued 15, 10 and 5 minutes ago; the oldest is finished,
	// so two wait, the oldest of them for 10 minutes.
	for i, k := range []string{"a", "b", "c"} {
		if _, err := st.Enqueue(ctx, store.OutboxMessage{Key: k, Kind: store.MessageNotice, ChatID: 1, CreatedAt: now.Add(time.Duration(i-3) * 5 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.FinishMessage(ctx, store.OutboxMessage{Key: "a"}, store.OutcomeSent, 1, ""); err != nil {
		t.Fatal(err)
	}
	// The reminder run of 08:00 finished (on any instance) with 12 messages.
	c, err := st.StartRun(ctx, "reminders@2025-12-24T08:00", "other-instance", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, "reminders@2025-12-24T08:00", c.Attempt, 12); err != nil {
		t.Fatal(err)
	}
	m.JobSucceeded("backup", now.Add(-6*time.Hour))

	srv := httptest.NewServer(NewServer("", m, nil, nil).Mux)
	defer srv.Close()
	code, body := get(t, srv.URL+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	ts := func(t time.Time) string { return strconv.FormatFloat(float64(t.Unix()), 'g', -1, 64) }
	for _, want := range []string{
		`agencybot_updates_handled_total{kind="command",result="ok"} 2`,
		`agencybot_updates_handled_total{kind="callback",result="error"} 1`,
		`agencybot_update_duration_seconds_count{kind="command"} 2`,
		`agencybot_update_duration_seconds_sum{kind="command"} 0.2`,
		`agencybot_update_duration_seconds_bucket{kind="callback",le="2.5"} 0`,
		`agencybot_sends_total{outcome="ok"} 3`,
		`agencybot_sends_total{outcome="429"} 1`,
		`agencybot_sends_total{outcome="403"} 1`,
		`agencybot_sends_total{outcome="5xx"} 1`,
		`agencybot_sends_total{outcome="other"} 1`,
		`agencybot_telegram_requests_total{code="200",method="getUpdates"} 1`,
		`agencybot_telegram_requests_total{code="429",method="sendMessage"} 1`,
		`agencybot_telegram_last_success_timestamp_seconds ` + ts(*now),
		`agencybot_outbox_depth 2`,
		`agencybot_outbox_oldest_age_seconds 600`,
		`agencybot_run_messages_count{job="reminders"} 1`,
		`agencybot_job_last_run_messages{job="reminders"} 12`,
		`agencybot_job_last_success_timestamp_seconds{job="reminders"} ` + ts(*now),
		`agencybot_job_last_success_timestamp_seconds{job="backup"} ` + ts(now.Add(-6*time.Hour)),
		`agencybot_data_scrape_errors 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(body, "AAmetrics") {
		t.Error("the token leaked into /metrics")
	}
}

// /healthz answers while the process runs; /readyz turns 503 as soon as the
// database does not answer, or Telegram has not answered for minutes, and
// says which check failed.
func TestReadyzFlipsWhenTheDatabaseFails(t *testing.T) {
	ctx := context.Background()
	// A store on a server and client of its own, so that the test can cut it.
	emb, err := embedded.Start(ctx, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emb.Stop() })
	c, err := store.Connect(ctx, emb.URI, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.New(ctx, c, "agencybot", nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 12, 24, 8, 30, 0, 0, hcm)
	clock := func() time.Time { return now }
	m := NewMetrics()
	checks := []Check{DatabaseCheck(st.Ping), TelegramCheck(m, 3*time.Minute, clock)}
	srv := httptest.NewServer(NewServer("", m, checks, nil).Mux)
	defer srv.Close()

	if code, body := get(t, srv.URL+"/readyz"); code != 503 || !strings.Contains(body, "telegram: the Bot API has not answered yet") || !strings.Contains(body, "database: ok") {
		t.Errorf("before Telegram answered: %d %q", code, body)
	}
	m.TelegramReached(now.Add(-time.Minute))
	if code, body := get(t, srv.URL+"/readyz"); code != 200 || body != "database: ok\ntelegram: ok\n" {
		t.Errorf("ready: %d %q", code, body)
	}
	now = now.Add(5 * time.Minute)
	if code, body := get(t, srv.URL+"/readyz"); code != 503 || !strings.Contains(body, "telegram: the Bot API last answered 6m0s ago") {
		t.Errorf("Telegram silent 6 minutes: %d %q", code, body)
	}
	m.TelegramReached(now)

	_ = c.Disconnect(ctx) // the database goes away
	if code, body := get(t, srv.URL+"/readyz"); code != 503 || !strings.Contains(body, "database: ") || strings.Contains(body, "database: ok") {
		t.Errorf("database down: %d %q", code, body)
	}
	if code, body := get(t, srv.URL+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
}

// The scheduler check reads the run records the real scheduler writes: a
// missed 08:00 run makes the instance unready once the grace is over; the
// run, planned by the scheduler, makes it ready again.
func TestScheduleCheckReadsTheSchedulersRuns(t *testing.T) {
	st, now := testStore(t)
	ctx := context.Background()
	clock := func() time.Time { return *now }
	job := reminderJob(t)
	started := time.Date(2025, 12, 20, 9, 0, 0, 0, hcm)
	check := ScheduleCheck(job, st, started, 15*time.Minute, clock)

	*now = time.Date(2025, 12, 24, 8, 10, 0, 0, hcm) // Wednesday, within the grace
	if err := check.Run(ctx); err != nil {
		t.Errorf("08:10: %v", err)
	}
	*now = time.Date(2025, 12, 24, 8, 30, 0, 0, hcm)
	if err := check.Run(ctx); err == nil || !strings.Contains(err.Error(), "the run of 2025-12-24 08:00 was missed") {
		t.Errorf("08:30 without a run: %v", err)
	}
	// A process started at 08:20 gets its grace from the start.
	if err := ScheduleCheck(job, st, time.Date(2025, 12, 24, 8, 20, 0, 0, hcm), 15*time.Minute, clock).Run(ctx); err != nil {
		t.Errorf("started 08:20: %v", err)
	}

	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	sched, err := scheduler.New(scheduler.Deps{Store: st, Config: cfg, Clock: clock, Holidays: []deadline.Date{}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sched.RunReminders(ctx, time.Date(2025, 12, 24, 8, 0, 0, 0, hcm)); err != nil {
		t.Fatal(err)
	}
	if err := check.Run(ctx); err != nil {
		t.Errorf("after the scheduler's run: %v", err)
	}
	// Saturday 27 Dec, 10:00: the latest slot is Friday's, which never ran.
	*now = time.Date(2025, 12, 27, 10, 0, 0, 0, hcm)
	if err := check.Run(ctx); err == nil || !strings.Contains(err.Error(), "2025-12-26 08:00") {
		t.Errorf("Saturday: %v", err)
	}
}

// The daily backup keeps the newest N files and leaves other files alone.
func TestBackupJobKeepsTheNewest(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2025, 12, 24, 2, 0, 0, 0, hcm)
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := NewMetrics()
	j := &BackupJob{Dir: dir, Keep: 3, Clock: func() time.Time { return now }, Metrics: m,
		Write: func(_ context.Context, path string) error { return os.WriteFile(path, []byte("backup"), 0o600) }}
	var made []string
	for range 5 {
		p, err := j.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, filepath.Base(p))
		now = now.Add(24 * time.Hour)
	}
	if made[0] != "agencybot-20251223T190000Z.tar.gz" {
		t.Errorf("first file %s", made[0])
	}
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := append(slices.Clone(made[2:]), "notes.txt")
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
	if at := m.jobs()["backup"]; !at.Equal(now.Add(-24 * time.Hour)) {
		t.Errorf("last backup success %v", at)
	}
}
