package bot

import (
	"strings"
	"testing"
	"time"

	"agencybot/planimport"
	"agencybot/scheduler"
)

// remindersOn lists the reminder lines the scheduler (on the fixed instant
// at) would send about task code.
func (h *harness) remindersOn(at time.Time, code string) []scheduler.PreviewLine {
	h.t.Helper()
	s, err := scheduler.New(scheduler.Deps{Store: h.store, Config: h.cfg, Clock: func() time.Time { return at }})
	if err != nil {
		h.t.Fatal(err)
	}
	lines, err := s.Preview(h.ctx(), at)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []scheduler.PreviewLine
	for _, l := range lines {
		if l.Task == code {
			out = append(out, l)
		}
	}
	return out
}

func TestSetDueStartsRemindersAndEditsShowInHistory(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	rows := planRows()
	rows[7][2] = "Sở Y tế" // 27-I.2: led by Sở Y tế, deadline "Lúc nào thuận tiện" (unreadable)
	rows[7][4] = "Lúc nào thuận tiện"
	table, err := planimport.Parse("p.csv", semicolonCSV(t, rows), planimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.store.ImportPlan(h.ctx(), planimport.Meta{Number: "77/KH-UBND", Date: "2027-02-10", Title: "Thử"}, table, false); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2027, 6, 23, 8, 0, 0, 0, h.cfg.Location) // 7 days before 30/06/2027
	if got := h.remindersOn(at, "27-I.2"); len(got) != 0 {
		t.Fatalf("reminders before a due date was set: %+v", got)
	}

	// On a fixed deadline it is an extension: the reason is asked (extensions_test.go).
	if got := h.say(admin, "/setdue 27-I.1 30/06/2027"); !strings.Contains(plain(t, got[len(got)-1]), "đã có thời hạn") || !strings.Contains(plain(t, got[len(got)-1]), "vui lòng nhập lý do") {
		t.Errorf("setdue on a fixed deadline: %q", got[len(got)-1].Text)
	}
	h.say(admin, "/cancel")
	if got := h.say(admin, "/setdue 27-I.2 khi nào rảnh"); !strings.Contains(plain(t, got[len(got)-1]), "Không đọc được thời hạn") {
		t.Errorf("setdue with an unreadable phrase: %q", got[len(got)-1].Text)
	}
	if got := h.say(officer, "/setdue 27-I.2 30/06/2027"); !strings.Contains(plain(t, got[len(got)-1]), "quản trị viên") {
		t.Errorf("an officer's setdue: %q", got[len(got)-1].Text)
	}
	if got := h.say(admin, "/setdue 27-I.2 30/06/2027"); !strings.Contains(plain(t, got[len(got)-1]), "Đã đặt thời hạn") {
		t.Fatalf("setdue: %q", got[len(got)-1].Text)
	}
	got := h.remindersOn(at, "27-I.2")
	if len(got) == 0 || got[0].Kind != "pre_deadline" || got[0].Days != 7 || got[0].Agency != "so-y-te" {
		t.Fatalf("reminders after /setdue: %+v", got)
	}

	// A phrase goes through the deadline parser.
	if got := h.say(admin, "/setdue 27-I.2 Quý III/2027"); !strings.Contains(plain(t, got[len(got)-1]), "30/09/2027") {
		t.Errorf("setdue with a phrase: %q", got[len(got)-1].Text)
	}

	// Edits: the output, then the lead (the new agency gets the task).
	h.say(admin, "/edittask 27-I.2 output Báo cáo <tổng kết>")
	if got := h.say(admin, "/edittask 27-I.2 lead Sở Tài chính"); !strings.Contains(plain(t, got[len(got)-1]), "giao thêm 1") {
		t.Errorf("edit of the lead: %q", got[len(got)-1].Text)
	}
	card := plain(t, h.say(admin, "/task 27-I.2")[0])
	for _, want := range []string{"Chỉnh sửa", "kết quả: Báo cáo → Báo cáo <tổng kết>", "chủ trì: Sở Y tế → Sở Tài chính", "thời hạn:", "Quản Trị", "Sở Tài chính"} {
		if !strings.Contains(card, want) {
			t.Errorf("/task lacks %q:\n%s", want, card)
		}
	}
}
