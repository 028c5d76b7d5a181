package scheduler

import (
	"strings"
	"testing"

	"agencybot/store"
)

// The text preview shows each recipient exactly what the run then sends, as
// plain text; a time before the day's run time maps to that run.
func TestPreviewMessagesReadLikeTheRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "Nguyễn Văn A")
	e.link(khcnEN, "so-khcn", "en-US", "Tran B")
	when := at(2025, 12, 24, 8, 0)
	msgs, err := e.s.PreviewMessages(e.ctx, when)
	if err != nil {
		t.Fatal(err)
	}
	byChat := map[int64]PreviewMessage{}
	for _, m := range msgs {
		if _, dup := byChat[m.ChatID]; dup {
			t.Errorf("two previews for chat %d", m.ChatID)
		}
		byChat[m.ChatID] = m
	}
	vi, en, notice := byChat[khcnVI], byChat[khcnEN], byChat[admin]
	if vi.Kind != store.MessageReminder || vi.Name != "Nguyễn Văn A" || vi.Lang != "vi" ||
		!strings.Contains(vi.Text, "🔔 Nhắc việc · 24/12/2025") || !strings.Contains(vi.Text, "• 25-3") || strings.Contains(vi.Text, "<b>") {
		t.Errorf("Vietnamese preview: %+v", vi)
	}
	if len(vi.Buttons) != 6 || !strings.Contains(vi.Buttons[0], "25-") {
		t.Errorf("Vietnamese buttons: %v", vi.Buttons)
	}
	if en.Lang != "en" || !strings.Contains(en.Text, "Reminder") {
		t.Errorf("English preview: %+v", en)
	}
	if notice.Kind != store.MessageNotice || !strings.Contains(notice.Text, "Nhắc việc không có người nhận") || !strings.Contains(notice.Text, "Sở Tài chính") {
		t.Errorf("admins' notice preview: %+v", notice)
	}

	// The run sends the same texts (rendered as HTML).
	sent := e.day(when)
	if len(sent) != len(msgs) {
		t.Errorf("the run sent %d messages, the preview showed %d", len(sent), len(msgs))
	}
	for _, o := range sent {
		p, ok := byChat[o.ChatID]
		if !ok || !strings.Contains(p.Text, PlainText(o.Text)) {
			t.Errorf("chat %d got\n%s\npreview was\n%s", o.ChatID, PlainText(o.Text), p.Text)
		}
	}
	if again, _ := e.s.PreviewMessages(e.ctx, when); len(again) != 0 {
		t.Errorf("after the run the preview still shows %d messages", len(again))
	}

	if got := PlainText(`<b>Sở KH&amp;CN</b> &lt;dự thảo&gt; <a href="https://t.me/x">link</a>`); got != "Sở KH&CN <dự thảo> link" {
		t.Errorf("PlainText = %q", got)
	}
	if run, ok := e.s.RunOfDay(at(2025, 12, 24, 6, 30)); !ok || !run.Equal(at(2025, 12, 24, 8, 0)) {
		t.Errorf("run of Wed 24/12 = %v %v", run, ok)
	}
	if run, ok := e.s.RunOfDay(at(2026, 1, 31, 7, 0)); ok {
		t.Errorf("Saturday has a run at %v", run)
	}
}
