package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// reminders --text prints, besides the JSON lines, each recipient's message
// as plain text; a time before the day's run time previews that run and
// says so.
func TestRemindersTextPreview(t *testing.T) {
	var out, errb bytes.Buffer
	env := testEnv(t, map[string]string{"ADMIN_TELEGRAM_IDS": "1"})
	args := []string{"reminders", "--at", "2025-12-24T07:00:00+07:00", "--text"}
	if err := execute(context.Background(), args, sys(&out, &errb, env)); err != nil {
		t.Fatalf("%v\n%s", err, errb.String())
	}
	if !strings.Contains(errb.String(), "2025-12-24T07:00:00+07:00 is before the day's run time; previewing the run of 2025-12-24T08:00:00+07:00") {
		t.Errorf("stderr = %q", errb.String())
	}
	jsonPart, textPart, ok := strings.Cut(out.String(), "\n# messages of the run at 2025-12-24 08:00 +07:00: 1\n")
	if !ok {
		t.Fatalf("no messages section in:\n%s", out.String())
	}
	lines := strings.Split(strings.TrimSpace(jsonPart), "\n")
	for _, l := range lines {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Errorf("not a JSON line: %q", l)
		}
	}
	if len(lines) < 2 || !strings.Contains(jsonPart, `"kind":"no_officer"`) {
		t.Errorf("JSON lines:\n%s", jsonPart)
	}
	// Nobody is linked on a fresh database: the admin's notice is the message.
	if !strings.Contains(textPart, "=== notice to 1 · vi ===\n⚠️ Nhắc việc không có người nhận · 24/12/2025") ||
		!strings.Contains(textPart, "• Sở Khoa học và Công nghệ: 25-3") || strings.Contains(textPart, "<b>") || strings.Contains(textPart, "&amp;") {
		t.Errorf("text part:\n%s", textPart)
	}

	// Without --text only JSON lines; a Saturday says there is no run.
	out.Reset()
	errb.Reset()
	if err := execute(context.Background(), []string{"reminders", "--at", "2026-01-31T09:00:00+07:00"}, sys(&out, &errb, env)); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || !strings.Contains(errb.String(), "no reminder run on 2026-01-31") {
		t.Errorf("Saturday: stdout %q stderr %q", out.String(), errb.String())
	}
}
