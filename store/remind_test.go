package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"agencybot/domain"
)

// Marking a run's items in one call gives what marking them one by one
// gives: an item marked before (by MarkItem, or by an earlier batch) is not
// fresh, every other is, and the marks read back with their run, message
// and time — also past FerretDB's insert batch of 100 documents.
func TestMarkItemsInOneCall(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	id := func(i int) string { return fmt.Sprintf("pre_deadline|25-%d/so-khcn|2025-12-31/d7|%d", i%21, 1000+i) }
	before := map[int]bool{3: true, 150: true, 249: true}
	for i := range before {
		if ok, _, err := s.MarkItem(ctx, id(i), "reminders@earlier", "rem|earlier|1"); !ok || err != nil {
			t.Fatalf("mark %d: %v %v", i, ok, err)
		}
	}
	var marks []ItemMark
	for i := range 250 {
		marks = append(marks, ItemMark{ID: id(i), Run: "reminders@2025-12-24T08:00", Msg: fmt.Sprintf("rem|2025-12-24T08:00|%d", 1000+i)})
	}
	fresh, err := s.MarkItems(ctx, marks)
	if err != nil || len(fresh) != len(marks) {
		t.Fatalf("mark items: %d answers, %v", len(fresh), err)
	}
	for i, f := range fresh {
		if f == before[i] {
			t.Errorf("item %d: fresh %v, marked before %v", i, f, before[i])
		}
	}
	for _, i := range []int{0, 3, 120, 249} {
		ok, prev, err := s.MarkItem(ctx, id(i), "reminders@later", "rem|later|1")
		want := ItemMark{ID: id(i), Run: "reminders@2025-12-24T08:00", Msg: fmt.Sprintf("rem|2025-12-24T08:00|%d", 1000+i), At: now.UTC()}
		if before[i] {
			want.Run, want.Msg = "reminders@earlier", "rem|earlier|1"
		}
		if ok || err != nil || prev.ID != want.ID || prev.Run != want.Run || prev.Msg != want.Msg || !prev.At.Equal(want.At) {
			t.Errorf("item %d read back %+v (new %v, %v), want %+v", i, prev, ok, err, want)
		}
	}
	again, err := s.MarkItems(ctx, marks[:120])
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range again {
		if f {
			t.Errorf("item %d marked twice", i)
		}
	}
	if fresh, err := s.MarkItems(ctx, nil); err != nil || len(fresh) != 0 {
		t.Errorf("no items: %v %v", fresh, err)
	}
}

// Queueing a run's messages in one call: each is queued once, a key queued
// before is left as it was (false), and the messages read back whole. A
// message with a file is refused, and nothing of its batch is queued.
func TestEnqueueNewInOneCall(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	msg := func(chat int64) OutboxMessage {
		return OutboxMessage{Key: fmt.Sprintf("rem|2025-12-24T08:00|%d", chat), Kind: MessageReminder, ChatID: chat, Lang: "vi",
			Run: "reminders@2025-12-24T08:00", AgencyName: "Sở Khoa học và Công nghệ", OnBehalfOf: "Nguyễn Văn A",
			Items: []OutboxItem{{ID: fmt.Sprintf("pre_deadline|25-3/so-khcn|2025-12-31/d7|%d", chat), Kind: "pre_deadline", Task: "25-3",
				Title: "Xây dựng kế hoạch", Agency: "so-khcn", Role: domain.Lead, Deadline: "Trước 31/12/2025", Days: 7}}}
	}
	first := msg(101)
	first.AgencyName = "queued before"
	if ok, err := s.Enqueue(ctx, first); !ok || err != nil {
		t.Fatal(ok, err)
	}
	msgs := []OutboxMessage{msg(100), msg(101), msg(102)}
	queued, err := s.EnqueueNew(ctx, msgs)
	if err != nil || !reflect.DeepEqual(queued, []bool{true, false, true}) {
		t.Fatalf("queued %v, %v; want [true false true]", queued, err)
	}
	pending, err := s.PendingMessages(ctx, 0)
	if err != nil || len(pending) != 3 {
		t.Fatalf("pending %d, %v", len(pending), err)
	}
	byKey := map[string]OutboxMessage{}
	for _, m := range pending {
		byKey[m.Key] = m
	}
	if byKey[msgs[1].Key].AgencyName != "queued before" {
		t.Errorf("the message queued before was replaced: %+v", byKey[msgs[1].Key])
	}
	for _, m := range []OutboxMessage{msgs[0], msgs[2]} {
		got := byKey[m.Key]
		if got.CreatedAt.IsZero() || got.ChatID != m.ChatID || got.OnBehalfOf != m.OnBehalfOf || !reflect.DeepEqual(got.Items, m.Items) {
			t.Errorf("read back %+v, want %+v", got, m)
		}
	}
	withFile := msg(103)
	withFile.Kind, withFile.Items = MessageDigest, nil
	withFile.Out = &domain.Outgoing{ChatID: 103, Text: "x", File: &domain.Attachment{Kind: domain.AttachPhoto, Name: "a.png", MIME: "image/png", Data: []byte{1}}}
	if _, err := s.EnqueueNew(ctx, []OutboxMessage{msg(104), withFile}); err == nil {
		t.Error("a message with a file was queued without its bytes")
	}
	if pending, _ := s.PendingMessages(ctx, 0); len(pending) != 3 {
		t.Errorf("%d pending after the refused batch, want 3", len(pending))
	}
}
