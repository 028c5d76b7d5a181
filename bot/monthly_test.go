package bot

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"
	"time"

	"agencybot/tgserver"
)

// Issue 23, point 7: the monthly view of done and overdue work is
// reachable from the chat, by "/chart thang" and by the button under the
// chart; the PNG read back shows done (green) and overdue (red) marks.
func TestChartMonthlyFromChat(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	h.link(english, "lanhdao")
	card := h.openCard(officer, "25-3")
	h.press(officer, card.MessageID, buttonWith(t, card, "Hoàn thành"))
	h.setNow(time.Date(2026, 2, 10, 9, 0, 0, 0, h.cfg.Location)) // the tasks due 31/12/2025 left undone are overdue now

	sent := h.say(leader, "/chart")
	more := sent[len(sent)-1]
	if photoIn(sent) == nil || !strings.Contains(plain(t, more), "theo từng tháng") {
		t.Fatalf("/chart: no photo or no monthly button after it: %v", sent)
	}
	_, sent = h.press(leader, more.MessageID, buttonWith(t, more, "theo tháng"))
	byButton := photoIn(sent)
	if byButton == nil {
		t.Fatalf("the monthly button sent no photo: %v", sent)
	}
	for _, tc := range []struct {
		u             tgserver.User
		cmd, title    string
		wantDoneMonth bool
	}{
		{leader, "/chart thang", "Hoàn thành và quá hạn theo tháng", true},
		{english, "/chart monthly", "Done and overdue by month", true},
		{leader, "/chart thang Sở Y tế", "Sở Y tế", true},
	} {
		p := photoIn(h.say(tc.u, tc.cmd))
		if p == nil {
			t.Fatalf("%s sent no photo", tc.cmd)
		}
		t.Logf("%s → caption %q", tc.cmd, p.Caption)
		if !strings.Contains(p.Caption, tc.title) || !strings.Contains(p.Caption, "10/02/2026") {
			t.Errorf("%s caption %q", tc.cmd, p.Caption)
		}
		f, ok := h.srv.File(p.FileID)
		if !ok {
			t.Fatalf("%s: the file is not stored", tc.cmd)
		}
		img, err := png.Decode(bytes.NewReader(f.Content))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", tc.cmd, err)
		}
		if b := img.Bounds(); b.Dx() != 1080 || b.Dy() < 300 {
			t.Errorf("%s: %v, want 1080 px wide", tc.cmd, b)
		}
		// The legend has both colours; the series add many more pixels of each.
		if g, r := colourCount(img, 0x2e, 0x9e, 0x44), colourCount(img, 0xd9, 0x30, 0x25); g < 400 || r < 400 {
			t.Errorf("%s: %d green and %d red pixels: the done and overdue series are not drawn", tc.cmd, g, r)
		}
		if dir := os.Getenv("AGENCYBOT_CHART_OUT"); dir != "" && tc.cmd == "/chart thang" {
			if err := os.WriteFile(dir+"/monthly.png", f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s := plain(t, h.say(officer, "/chart thang")[0]); strings.Contains(s, "theo tháng") && !strings.Contains(s, "lãnh đạo") {
		t.Errorf("an officer got the monthly view: %q", s)
	}
}

// photoIn is the last photo among sent (nil: none).
func photoIn(sent []tgserver.Sent) *tgserver.Sent {
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].Method == "sendPhoto" {
			return &sent[i]
		}
	}
	return nil
}

// colourCount counts the pixels of img close to the colour (r, g, b).
func colourCount(img image.Image, r, g, b uint8) int {
	n := 0
	near := func(x uint32, y uint8) bool { d := int(x>>8) - int(y); return d > -24 && d < 24 }
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if near(cr, r) && near(cg, g) && near(cb, b) {
				n++
			}
		}
	}
	return n
}
