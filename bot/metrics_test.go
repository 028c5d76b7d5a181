package bot

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"agencybot/domain"
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

// brokenPeople cannot reach the database.
type brokenPeople struct{ People }

func (brokenPeople) Officer(context.Context, int64) (domain.Officer, error) {
	return domain.Officer{}, mongo.ErrClientDisconnected
}

// Each handled update is recorded once with its kind; a replay is not; an
// update whose handling failed on our side is recorded as failed.
func TestUpdateHandledPerKind(t *testing.T) {
	b, _, as := fakeBot(t, "vi")
	m := &recordingMetrics{}
	b.Metrics = m
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
		b.HandleUpdate(ctx, u)
	}
	b.People = brokenPeople{b.People}
	b.HandleUpdate(ctx, typedText(7, an, "xin chào"))

	want := []string{KindCommand, KindCallback, KindText, KindFile, KindOther, KindOther, KindText + "!"}
	if len(m.handled) != len(want) {
		t.Fatalf("recorded %q, want %q", m.handled, want)
	}
	for i := range want {
		if m.handled[i] != want[i] {
			t.Errorf("update %d recorded as %q, want %q", i+1, m.handled[i], want[i])
		}
	}
	if !unreachable(errors.Join(errors.New("identify"), mongo.ErrClientDisconnected)) {
		t.Error("a lost database connection is not seen as unreachable")
	}
}
