package bot

import (
	"regexp"
	"strings"
	"testing"
)

// agreeRows is a plan of three tasks led by Sở Y tế; the second's deadline
// cannot be read, so a coordinator sets it.
func agreeRows() [][]string {
	return [][]string{
		{"TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Kết quả/sản phẩm", "Ghi chú"},
		{"I", "ĐỒNG BỘ"},
		{"1", "Xây dựng quy chế đồng bộ", "Sở Y tế", "", "Quý I/2027", "Quy chế", ""},
		{"2", "Tập huấn cán bộ đồng bộ", "Sở Y tế", "", "Lúc nào thuận tiện", "Báo cáo", ""},
		{"3", "Đánh giá kết quả đồng bộ", "Sở Y tế", "", "Tháng 6/2027", "Báo cáo", ""},
	}
}

var taskLineRE = regexp.MustCompile(`(?m)^.*27-2.*\n.*$`)

// TestViewsAgreeAtOnceAfterAnImport (issue 18, point 3): once the
// summaries' input is in memory, a plan imported from the chat and a due
// date set by a coordinator show at once — before anybody waits for a
// refresh — in the officer's /tasks, the leader's /summary, the /chart
// caption and the /export caption, and all four agree.
func TestViewsAgreeAtOnceAfterAnImport(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	h.link(leader, "lanhdao")
	before := figuresOf(t, lastText(t, h.say(leader, "/summary"))) // the input is now in memory
	open := h.openCount()

	got := h.sendDoc(admin, "ke-hoach-79.xlsx", xlsxOf(t, map[string][][]string{"Phụ lục": agreeRows()}), "79/KH-UBND 12/02/2027 Kế hoạch đồng bộ")
	preview := got[len(got)-1]
	_, sent := h.press(admin, preview.MessageID, buttonWith(t, preview, "Xác nhận"))
	if done := plain(t, sent[len(sent)-1]); !strings.Contains(done, "Đã nhập kế hoạch") {
		t.Fatalf("confirm answered %q", done)
	}

	agree := func(when string) summaryFigures {
		t.Helper()
		sum := lastText(t, h.say(leader, "/summary"))
		fig := figuresOf(t, sum)
		work := workRE.FindString(sum)
		if chart := photoIn(h.say(leader, "/chart")); chart == nil || !strings.Contains(chart.Caption, work) {
			t.Errorf("%s: /chart %v, /summary %q", when, chart, work)
		}
		n := len(documents(h, leader))
		h.say(leader, "/export")
		if docs := waitDocuments(h, leader, n+1); !strings.Contains(docs[len(docs)-1].Caption, work) {
			t.Errorf("%s: /export caption %q, /summary %q", when, docs[len(docs)-1].Caption, work)
		}
		return fig
	}
	if n := h.openCount(); n != open+3 {
		t.Errorf("after the import the officer's /tasks counts %d open, want %d+3", n, open)
	}
	imported := agree("after the import")
	if imported.tasks != before.tasks+3 || imported.work != before.work+3 {
		t.Errorf("after the import /summary counts %d tasks, %d assignments; want %d+3, %d+3", imported.tasks, imported.work, before.tasks, before.work)
	}

	// A due date in the past, set from the chat: the task is overdue
	// everywhere at once.
	if got := h.say(admin, "/setdue 27-2 01/12/2025"); !strings.Contains(plain(t, got[len(got)-1]), "Đã đặt thời hạn") {
		t.Fatalf("setdue: %q", got[len(got)-1].Text)
	}
	if line := taskLineRE.FindString(plain(t, h.say(officer, "/tasks")[0])); !strings.Contains(line, "quá hạn 23 ngày") {
		t.Errorf("after /setdue the officer's /tasks shows 27-2 as %q", line)
	}
	due := agree("after /setdue")
	if due.overdue != imported.overdue+1 || due.red != imported.red+1 {
		t.Errorf("after /setdue /summary counts %d overdue, %d red; want %d+1, %d+1", due.overdue, due.red, imported.overdue, imported.red)
	}
}
