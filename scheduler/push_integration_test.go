package scheduler_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"agencybot/domain"
	"agencybot/scheduler"
	"agencybot/store"
	"agencybot/testkit"
	"agencybot/tgserver"
)

// newPushScheduler builds a scheduler on an empty database (no plans, no
// admins: nothing of its own to send) with the real sender.
// It logs into log.
func newPushScheduler(t *testing.T, sender scheduler.Sender, log io.Writer) (*scheduler.Scheduler, *store.Store) {
	t.Helper()
	st := scheduler.NewTestStore(t, time.Now)
	s, err := scheduler.New(scheduler.Deps{Store: st, Sender: sender, Config: loadConfig(t, map[string]string{}), Workers: 2,
		Logger: slog.New(slog.NewTextHandler(log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 32))
	for x := 0; x < 64; x++ {
		img.Set(x, x/2, color.RGBA{R: 200, A: 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A queued document and photo go through a 429 and a 502 to arrive exactly
// once each, the document byte for byte with its name, caption and button;
// a caption too long for Telegram goes as a message before the file; once
// sent, the files leave the database. Each failed send is logged with its
// method and chat, and without the token.
func TestQueuedFilesArriveOnceIntactThrough429And502(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, sender := fakeAPI(t, tgserver.Options{})
	var log testkit.LogBuffer
	s, st := newPushScheduler(t, sender, &log)
	const chat = 501
	doc := make([]byte, 300<<10)
	if _, err := rand.Read(doc); err != nil {
		t.Fatal(err)
	}
	button := [][]domain.Button{{{Text: "Mở", Data: "o|25-3"}}}
	docOut := domain.Outgoing{ChatID: chat, Text: "<b>Báo cáo tuần</b> 22/12", Buttons: button, File: &domain.Attachment{
		Kind: domain.AttachDocument, Name: "bao-cao-tuan.xlsx", MIME: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Data: doc}}
	photoOut := domain.Outgoing{ChatID: chat, Text: "Biểu đồ tiến độ", Silent: true, File: &domain.Attachment{
		Kind: domain.AttachPhoto, Name: "tien-do.png", MIME: "image/png", Data: pngBytes(t)}}
	long := strings.Repeat("Nhiệm vụ chậm tiến độ. ", 60) // > 1024 characters
	longOut := domain.Outgoing{ChatID: chat, Text: long, Buttons: button, File: &domain.Attachment{
		Kind: domain.AttachDocument, Name: "chi-tiet.csv", Data: []byte("ma,ten\n25-3,Quy chế\n")}}
	for key, out := range map[string]domain.Outgoing{"digest|doc": docOut, "digest|photo": photoOut, "digest|long": longOut} {
		if ok, err := s.Enqueue(ctx, key, out); !ok || err != nil {
			t.Fatalf("enqueue %s: %v %v", key, ok, err)
		}
	}
	srv.FailNext("sendDocument", 1, 429, 1)
	srv.FailNext("sendDocument", 1, 502, 0)
	srv.FailNext("sendPhoto", 1, 502, 0)
	srv.FailNext("sendPhoto", 1, 429, 1)
	if err := s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	// Retries wait (1 s each); Dispatch returns with them pending.
	for tries := 0; len(srv.SentTo(chat)) < 4 && tries < 60; tries++ {
		time.Sleep(time.Second)
		if err := s.Dispatch(ctx); err != nil {
			t.Fatal(err)
		}
	}
	sent := srv.SentTo(chat)
	byMethod := map[string][]tgserver.Sent{}
	for _, m := range sent {
		byMethod[m.Method] = append(byMethod[m.Method], m)
	}
	if len(sent) != 4 || len(byMethod["sendDocument"]) != 2 || len(byMethod["sendPhoto"]) != 1 || len(byMethod["sendMessage"]) != 1 {
		t.Fatalf("sent %d: %d documents, %d photos, %d messages; want 2, 1, 1", len(sent),
			len(byMethod["sendDocument"]), len(byMethod["sendPhoto"]), len(byMethod["sendMessage"]))
	}
	var got tgserver.Sent
	for _, d := range byMethod["sendDocument"] {
		if d.FileName == "bao-cao-tuan.xlsx" {
			got = d
		}
	}
	f, ok := srv.File(got.FileID)
	if !ok || !bytes.Equal(f.Content, doc) {
		t.Fatalf("document %q: %d bytes arrived, want %d identical", got.FileName, len(f.Content), len(doc))
	}
	if got.Caption != docOut.Text || !strings.Contains(string(got.ReplyMarkup), "o|25-3") {
		t.Errorf("document caption %q, markup %s", got.Caption, got.ReplyMarkup)
	}
	if p := byMethod["sendPhoto"][0]; p.FileName != "tien-do.png" || p.Caption != "Biểu đồ tiến độ" || !p.DisableNotification {
		t.Errorf("photo %+v", p)
	}
	// The long caption: the text first (with the button), then the file bare.
	if m := byMethod["sendMessage"][0]; m.Text != long || !strings.Contains(string(m.ReplyMarkup), "o|25-3") {
		t.Errorf("long text sent as %q / %s", m.Text[:min(40, len(m.Text))], m.ReplyMarkup)
	}
	for _, d := range byMethod["sendDocument"] {
		if d.FileName == "chi-tiet.csv" && (d.Caption != "" || d.MessageID < byMethod["sendMessage"][0].MessageID) {
			t.Errorf("the file of a long text: caption %q, before the text: %v", d.Caption, d.MessageID < byMethod["sendMessage"][0].MessageID)
		}
	}
	if st := srv.Stats(); st.TooMany != 2 || st.ServerErrors != 2 {
		t.Errorf("server answered %d 429s and %d 5xx, want 2 and 2", st.TooMany, st.ServerErrors)
	}
	logged := log.String()
	for _, want := range []string{"method=sendDocument chat=501", "method=sendPhoto chat=501", "Bad Gateway", "Too Many Requests"} {
		if !strings.Contains(logged, want) {
			t.Errorf("the log of failed sends lacks %q:\n%s", want, logged)
		}
	}
	if strings.Contains(logged, token) || strings.Contains(logged, "AAbcdefghijklmnop") {
		t.Error("the token is in the log")
	}
	for _, key := range []string{"digest|doc", "digest|photo", "digest|long"} {
		out, found, err := st.MessageOutcome(ctx, key)
		if err != nil || !found || out.State != store.OutcomeSent {
			t.Errorf("%s: %+v %v %v", key, out, found, err)
		}
		if _, err := st.LoadFile(ctx, out.Message); err == nil {
			t.Errorf("%s: the file is still kept after it was sent", key)
		}
		if ok, err := s.Enqueue(ctx, key, docOut); ok || err != nil {
			t.Errorf("%s replayed after sending: queued %v, %v", key, ok, err)
		}
	}
	if err := s.Dispatch(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.SentTo(chat)); n != 4 {
		t.Errorf("%d sends after the replays, want 4", n)
	}
}

// Enqueue hands a message to the running dispatcher at once, without a cron
// run: the second message below is queued after the dispatcher went idle
// (its next look at the outbox is 30 s away) and arrives well before that.
// The same key queued twice is one message.
func TestEnqueueIsDispatchedAtOnceAndOnce(t *testing.T) {
	t.Parallel()
	srv, sender := fakeAPI(t, tgserver.Options{})
	s, _ := newPushScheduler(t, sender, io.Discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	wait, stop := context.WithTimeout(context.Background(), 20*time.Second) // under the 30 s poll
	defer stop()
	alert := func(chat int64, text string) domain.Outgoing {
		return domain.Outgoing{ChatID: chat, Text: text}
	}
	for i := 0; i < 2; i++ { // a replayed update queues the same key again
		ok, err := s.Enqueue(wait, "block|u1001|501", alert(501, "⚠️ Vướng mắc: 25-3"))
		if err != nil || ok != (i == 0) {
			t.Fatalf("enqueue #%d: %v %v", i+1, ok, err)
		}
	}
	if err := srv.WaitFor(wait, func(s []tgserver.Sent) bool { return len(s) >= 1 }); err != nil {
		t.Fatalf("the first alert did not arrive: %v", err)
	}
	if ok, err := s.Enqueue(wait, "block|u1001|502", alert(502, "⚠️ Vướng mắc: 25-3")); !ok || err != nil {
		t.Fatalf("enqueue: %v %v", ok, err)
	}
	if ok, err := s.Enqueue(wait, "block|u1001|501", alert(501, "⚠️ Vướng mắc: 25-3")); ok || err != nil {
		t.Fatalf("replay after sending: %v %v", ok, err)
	}
	if err := srv.WaitFor(wait, func(s []tgserver.Sent) bool { return len(s) >= 2 }); err != nil {
		t.Fatalf("the second alert was not dispatched at once: %v", err)
	}
	if a, b := len(srv.SentTo(501)), len(srv.SentTo(502)); a != 1 || b != 1 {
		t.Errorf("chat 501 got %d, chat 502 got %d; want 1 each", a, b)
	}
}
