package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"agencybot/domain"
)

// A document waits in the database in chunks (a file may be larger than one
// MongoDB document holds) and comes back byte for byte; the message itself does not carry the
// bytes; a replay queues nothing; pruning the sent message drops its file.
func TestOutboxKeepsFilesUntilPruned(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	defer func(n int) { fileChunk = n }(fileChunk)
	fileChunk = 64 << 10
	data := make([]byte, 5*fileChunk+123) // six chunks
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	out := domain.Outgoing{ChatID: 501, Text: "<b>Báo cáo tuần</b>", File: &domain.Attachment{
		Kind: domain.AttachDocument, Name: "bao-cao", MIME: "application/pdf", Data: data}}
	m := OutboxMessage{Key: "digest|2025-12-22|501", Kind: MessageAlert, ChatID: 501, Out: &out}
	if ok, err := s.Enqueue(ctx, m); !ok || err != nil {
		t.Fatalf("enqueue: %v %v", ok, err)
	}
	if len(out.File.Data) != len(data) {
		t.Error("Enqueue changed the caller's message")
	}
	if ok, err := s.Enqueue(ctx, m); ok || err != nil {
		t.Errorf("replay queued again: %v %v", ok, err)
	}
	pending, err := s.PendingMessages(ctx, 0)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending %d %v", len(pending), err)
	}
	p := pending[0]
	if p.Out == nil || p.Out.File == nil || len(p.Out.File.Data) != 0 || p.Out.File.Size != len(data) || p.Out.File.Name != "bao-cao.pdf" {
		t.Fatalf("queued attachment %+v", p.Out.File)
	}
	full, err := s.LoadFile(ctx, p)
	if err != nil || !bytes.Equal(full.Out.File.Data, data) {
		t.Fatalf("loaded %d bytes (want %d), %v", len(full.Out.File.Data), len(data), err)
	}
	if len(p.Out.File.Data) != 0 {
		t.Error("LoadFile changed its argument")
	}
	if _, err := s.FinishMessage(ctx, p, OutcomeSent, 1, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.PruneOutbox(ctx, []string{p.Key}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.outboxFiles.CountDocuments(ctx, map[string]any{}); err != nil || n != 0 {
		t.Errorf("%d file chunks left after the message was sent (%v)", n, err)
	}
	if _, err := s.LoadFile(ctx, p); !errors.Is(err, ErrFileGone) {
		t.Errorf("the file of a sent message: %v, want ErrFileGone", err)
	}
	if ok, err := s.Enqueue(ctx, m); ok || err != nil {
		t.Errorf("replay after sending queued again: %v %v", ok, err)
	}
	if n, _ := s.outboxFiles.CountDocuments(ctx, map[string]any{}); n != 0 {
		t.Errorf("a replay after sending stored %d chunks", n)
	}
}

// What Telegram would refuse is refused when queued, with a reason.
func TestOutboxRefusesFilesTelegramRefuses(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	for name, f := range map[string]domain.Attachment{
		"empty":     {Kind: domain.AttachDocument, Name: "a.pdf"},
		"kind":      {Kind: "video", Name: "a.mp4", Data: []byte{1}},
		"big photo": {Kind: domain.AttachPhoto, Name: "a.png", Data: make([]byte, domain.MaxPhotoBytes+1)},
		"big doc":   {Kind: domain.AttachDocument, Name: "a.zip", Data: make([]byte, domain.MaxDocumentBytes+1)},
	} {
		out := domain.Outgoing{ChatID: 1, File: &f}
		ok, err := s.Enqueue(ctx, OutboxMessage{Key: "k|" + name, Kind: MessageAlert, ChatID: 1, Out: &out})
		if ok || err == nil || !strings.Contains(err.Error(), f.Name) {
			t.Errorf("%s: queued %v, error %v", name, ok, err)
		}
	}
	if pending, _ := s.PendingMessages(ctx, 0); len(pending) != 0 {
		t.Errorf("%d refused messages queued", len(pending))
	}
}
