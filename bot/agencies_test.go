package bot

import (
	"regexp"
	"strings"
	"testing"
)

func TestAgenciesFromChat(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")

	list := plain(t, h.say(admin, "/agencies")[0])
	if !regexp.MustCompile(`Sở Y tế so-y-te — 1 cán bộ, [1-9]\d* việc đang mở`).MatchString(list) {
		t.Fatalf("/agencies lacks Sở Y tế's counts:\n%s", list)
	}
	if got := h.say(officer, "/addagency Trung tâm Thử"); !strings.Contains(lastText(t, got), "quản trị viên") {
		t.Errorf("an officer's /addagency: %q", lastText(t, got))
	}
	if got := h.say(admin, "/addagency Trung tâm Chuyển đổi số tỉnh | sở"); !strings.Contains(plain(t, got[len(got)-1]), "Đã thêm cơ quan Trung tâm Chuyển đổi số tỉnh") {
		t.Fatalf("add: %q", got[len(got)-1].Text)
	}
	if got := h.say(admin, "/alias Trung tâm Chuyển đổi số tỉnh = TTCĐS"); !strings.Contains(plain(t, got[len(got)-1]), "Đã ghi nhớ «TTCĐS»") {
		t.Fatalf("alias: %q", got[len(got)-1].Text)
	}
	if got := h.say(admin, "/renameagency TTCĐS = Trung tâm Dữ liệu tỉnh"); !strings.Contains(plain(t, got[len(got)-1]), "thành Trung tâm Dữ liệu tỉnh") {
		t.Fatalf("rename: %q", got[len(got)-1].Text)
	}
	ix, err := h.store.AgencyIndex(h.ctx())
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := ix.Match("Trung tâm Chuyển đổi số tỉnh"); !ok || m.Name != "Trung tâm Dữ liệu tỉnh" {
		t.Errorf("the old name no longer matches the renamed agency: %+v %v", m, ok)
	}

	// Deactivate asks first; confirmed, the open assignments are withdrawn.
	got := h.say(admin, "/deactivate Trung tâm Dữ liệu tỉnh")
	ask := got[len(got)-1]
	if !strings.Contains(plain(t, ask), "Ngừng theo dõi Trung tâm Dữ liệu tỉnh?") {
		t.Fatalf("deactivate asks %q", ask.Text)
	}
	_, sent := h.press(admin, ask.MessageID, buttonWith(t, ask, "Ngừng theo dõi"))
	if !regexp.MustCompile(`thu hồi [1-9]\d* việc`).MatchString(plain(t, sent[len(sent)-1])) {
		t.Fatalf("deactivated: %q", sent[len(sent)-1].Text)
	}
	if list := plain(t, h.say(admin, "/agencies")[0]); strings.Contains(list, "Trung tâm Dữ liệu tỉnh") || !strings.Contains(list, "so-y-te") {
		t.Error("a deactivated agency is still listed, or another one went")
	}

	// A list of communes, imported with a preview and a confirmation.
	h.say(admin, "/importcommunes")
	csvRows := [][]string{{"Tên", "Loại", "Tên khác"}, {"Xã Thử Nghiệm Mới", "xã", "Thử Nghiệm Mới"}}
	got = h.sendDoc(admin, "xa-phuong.csv", semicolonCSV(t, csvRows), "")
	preview := got[len(got)-1]
	if !strings.Contains(plain(t, preview), "Xã Thử Nghiệm Mới") {
		t.Fatalf("communes preview %q", preview.Text)
	}
	_, sent = h.press(admin, preview.MessageID, buttonWith(t, preview, "Xác nhận"))
	if !strings.Contains(plain(t, sent[len(sent)-1]), "Đã thêm 1 xã, phường") {
		t.Fatalf("communes confirmed: %q", sent[len(sent)-1].Text)
	}
	if a, err := h.store.Agency(h.ctx(), "xa-thu-nghiem-moi"); err != nil {
		ix, _ := h.store.AgencyIndex(h.ctx())
		if _, ok := ix.Match("Thử Nghiệm Mới"); !ok {
			t.Errorf("the commune was not added: %v %+v", err, a)
		}
	}
}
