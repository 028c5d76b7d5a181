package store

import (
	"context"
	"slices"
	"testing"
)

// What messages are about, live cards, drafts and one-shot choices survive
// in the store and answer by message, chat and key.
func TestAboutLiveCardsDraftsOnce(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	if _, ok, err := s.About(ctx, 100, 5); ok || err != nil {
		t.Fatalf("unknown message: %v %v", ok, err)
	}
	if err := s.RecordAbout(ctx, MessageAbout{Chat: 100, Message: 5, Kind: "reminder", Refs: []string{"r1", "r2"}}); err != nil {
		t.Fatal(err)
	}
	m, ok, err := s.About(ctx, 100, 5)
	if !ok || err != nil || !slices.Equal(m.Refs, []string{"r1", "r2"}) || m.Kind != "reminder" {
		t.Fatalf("about = %+v %v %v", m, ok, err)
	}
	if _, ok, _ := s.About(ctx, 101, 5); ok {
		t.Error("a message of another chat matched")
	}

	if id, err := s.LiveCard(ctx, 100, "25-3/so-y-te"); id != 0 || err != nil {
		t.Fatalf("no live card yet: %d %v", id, err)
	}
	for _, id := range []int{7, 9} {
		if err := s.SetLiveCard(ctx, 100, "25-3/so-y-te", id); err != nil {
			t.Fatal(err)
		}
	}
	if id, _ := s.LiveCard(ctx, 100, "25-3/so-y-te"); id != 9 {
		t.Errorf("live card = %d, want the latest 9", id)
	}

	if err := s.SaveDraft(ctx, Draft{Key: "42", UserID: 100, Text: "60", Refs: []string{"r1"}}); err != nil {
		t.Fatal(err)
	}
	d, err := s.Draft(ctx, "42")
	if err != nil || d.Text != "60" || d.Used {
		t.Fatalf("draft = %+v %v", d, err)
	}
	first, err1 := s.UseDraft(ctx, "42")
	second, err2 := s.UseDraft(ctx, "42")
	if !first || second || err1 != nil || err2 != nil {
		t.Errorf("UseDraft twice: %v %v (%v %v)", first, second, err1, err2)
	}
	if d, _ := s.Draft(ctx, "42"); !d.Used {
		t.Error("the draft is not marked used")
	}

	first, err1 = s.ClaimOnce(ctx, "choice:1:2")
	second, err2 = s.ClaimOnce(ctx, "choice:1:2")
	if !first || second || err1 != nil || err2 != nil {
		t.Errorf("ClaimOnce twice: %v %v (%v %v)", first, second, err1, err2)
	}
}
