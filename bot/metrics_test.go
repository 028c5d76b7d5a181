package bot

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/domain"
	"agencybot/telegram"
)

// recordingMetrics keeps what the bot records.
type recordingMetrics struct {
	mu      sync.Mutex
	handled []string // kind, or kind+"!" when it failed
	reached int
}

func (m *recordingMetrics) UpdateHandled(kind string, _ time.Duration, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		kind += "!"
	}
	m.handled = append(m.handled, kind)
}

func (m *recordingMetrics) TelegramReached(time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reached++
}

// flakyPeople is the fakes' data whose people cannot be read while broken:
// the database cannot be reached.
type flakyPeople struct {
	*fakeStore
	broken atomic.Bool
}

func (f *flakyPeople) Officer(ctx context.Context, id int64) (domain.Officer, error) {
	if f.broken.Load() {
		return domain.Officer{}, mongo.ErrClientDisconnected
	}
	return f.fakeStore.Officer(ctx, id)
}

// Each handled update is recorded once with its kind; a replay is not; an
// update whose handling failed on our side is recorded as failed.
func TestUpdateHandledPerKind(t *testing.T) {
	data := &flakyPeople{fakeStore: onFakes("vi")}
	b, _ := fakeBot(t, data)
	as := data.fakeAssignments
	m := &recordingMetrics{}
	b.Runtime.Metrics = m
	ctx := context.Background()
	an := fakeUser(100, "vi")
	doc := typedText(4, an, "")
	doc.Message.Document = &tgbotapi.Document{FileID: "f1", FileName: "baocao.pdf", FileSize: 10}
	sticker := typedText(5, an, "")
	sticker.Message.Sticker = &tgbotapi.Sticker{FileID: "s1"}
	for _, u := range []tgbotapi.Update{
		typed(1, an, "/help"),
		pressing(2, an, domain.Callback{Verb: domain.VerbStatus, Ref: as.a.Ref, Arg: string(domain.Done)}.Encode()),
		typedText(3, an, "xin chào"),
		doc,
		sticker,
		{UpdateID: 6, EditedMessage: &tgbotapi.Message{MessageID: 3, From: an, Chat: &tgbotapi.Chat{ID: 100, Type: "private"}, Text: "sửa"}},
		typed(1, an, "/help"), // a replay: not handled again
	} {
		b.Runtime.HandleUpdate(ctx, u)
	}
	data.broken.Store(true)
	b.Runtime.HandleUpdate(ctx, typedText(7, an, "xin chào"))

	want := []string{telegram.KindCommand, telegram.KindCallback, telegram.KindText, telegram.KindFile, telegram.KindOther, telegram.KindOther, telegram.KindText + "!"}
	if len(m.handled) != len(want) {
		t.Fatalf("recorded %q, want %q", m.handled, want)
	}
	for i := range want {
		if m.handled[i] != want[i] {
			t.Errorf("update %d recorded as %q, want %q", i+1, m.handled[i], want[i])
		}
	}
	if !telegram.Unreachable(errors.Join(errors.New("identify"), mongo.ErrClientDisconnected)) {
		t.Error("a lost database connection is not seen as unreachable")
	}
}
