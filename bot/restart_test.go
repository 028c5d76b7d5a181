package bot

import (
	"context"
	"strings"
	"testing"

	"agencybot/domain"
)

// A restart in the middle of a conversation loses nothing and doubles
// nothing: the question the bot asked survives, updates sent while it was
// down are handled once, and an update handled before is not applied again.
func TestRestartMidConversation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.link(officer, "Sở Y tế")
	list := h.say(officer, "/tasks")
	_, sent := h.press(officer, list[len(list)-1].MessageID, buttonWith(t, list[len(list)-1], "25-3"))
	card := sent[len(sent)-1]
	h.press(officer, card.MessageID, buttonWith(t, card, "✍️"))

	h.stop() // the bot goes down after asking for the progress figure
	up1 := h.srv.SendText(officer, "45")
	up2 := h.srv.PressButton(officer, card.MessageID, buttonWith(t, card, "Thêm ghi chú"))
	h.start()
	h.settle(up1)
	h.settle(up2)
	id := domain.AssignmentID("25-3", "so-y-te")
	a, _ := h.store.Assignment(ctx, id)
	if a.Progress != 45 || a.Version != 1 {
		t.Fatalf("after restart: progress %d version %d", a.Progress, a.Version)
	}
	h.say(officer, "Ghi chú sau khi khởi động lại")

	// Replaying updates already handled (as after a crash before the offset
	// was saved) applies and sends nothing again.
	h.stop()
	if err := h.store.SaveOffset(ctx, 0); err != nil {
		t.Fatal(err)
	}
	sentBefore := len(h.srv.Sent())
	b, _ := h.wire(nil)
	for _, u := range replayable(t, h) {
		b.Runtime.HandleUpdate(ctx, u)
	}
	if got := len(h.srv.Sent()); got != sentBefore {
		t.Errorf("replay sent %d messages", got-sentBefore)
	}
	h.start()
	hist, _ := h.store.AssignmentHistory(ctx, id, 0)
	if len(hist) != 2 || hist[0].Note != "Ghi chú sau khi khởi động lại" || *hist[1].Progress != 45 {
		t.Errorf("history after restarts: %d entries", len(hist))
	}
	// And the conversation goes on.
	if s := lastText(t, h.say(officer, "/tasks")); !strings.Contains(s, "Sở Y tế") {
		t.Errorf("after restart: %q", s)
	}
	// A change whose apply reached the store but whose update was not marked
	// handled (a crash in between) is recognised by its source and not applied twice.
	p := 80
	ch := storeChange(domain.SetProgress, &p, "tg:777")
	if _, _, err := h.store.Apply(ctx, id, ch); err != nil {
		t.Fatal(err)
	}
	if _, _, err := h.store.Apply(ctx, id, ch); err == nil {
		t.Error("the same source applied twice")
	}
}
