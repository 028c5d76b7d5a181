package bot

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agencybot/tgserver"
)

// officeWorkbook is a plan's appendix as an office saves it: the plan's
// number and date above the table, STT numbered by formulas (=A6+1, the
// value Excel keeps beside each), a totals row with a SUM, a note and a
// footnote under the table, a group of one kind ("các Trường đại học"), a
// phrase that is no agency ("Các doanh nghiệp viễn thông") and an agency
// the bot does not know ("Sở Ngoại vụ"). extra adds tasks, for paging.
func officeWorkbook(t *testing.T, extra int) []byte {
	t.Helper()
	rows := [][]any{
		{"PHỤ LỤC"},
		{"(Kèm theo Kế hoạch số 77/KH-UBND ngày 10/02/2027 của Ủy ban nhân dân tỉnh)"},
		{"STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Kết quả/sản phẩm", "Ghi chú", "Kinh phí (triệu đồng)"},
		{"I", "HOÀN THIỆN THỂ CHẾ"},
		{1, "Rà soát quy chế phối hợp với các trường", "Sở Y tế", "các Trường đại học", "Quý II/2027", "Báo cáo", "", 100},
		{nil, "Hỗ trợ hạ tầng viễn thông cho xã đảo", "Sở Ngoại vụ", "Các doanh nghiệp viễn thông", "Trước 15/01/2028", "Báo cáo", "", 200},
		{nil, "Tổ chức hội nghị tổng kết", "Sở Y tế", "Sở Ngoại vụ", "Thường xuyên", "Báo cáo", "", 300},
	}
	for i := range extra {
		rows = append(rows, []any{nil, fmt.Sprintf("Nhiệm vụ bổ sung số %d", i+1), "Sở Y tế", "", "Năm 2027", "Báo cáo"})
	}
	last := len(rows)
	rows = append(rows,
		[]any{nil, "Tổng cộng", nil, nil, nil, nil, nil, nil},
		[]any{"Ghi chú: Các cơ quan chủ trì báo cáo kết quả trước ngày 15/12 hằng năm."},
		[]any{"(1) Theo Quyết định số 12/QĐ-UBND ngày 05/01/2027."})
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	for i, r := range rows {
		axis, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, axis, &r); err != nil {
			t.Fatal(err)
		}
	}
	// Each formula is written over its value, so the cell keeps both, as
	// Excel saves it (<f>A5+1</f><v>2</v>).
	for r := 6; r <= last; r++ {
		axis := fmt.Sprintf("A%d", r)
		if err := f.SetCellInt(sh, axis, int64(r-4)); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellFormula(sh, axis, fmt.Sprintf("A%d+1", r-1)); err != nil {
			t.Fatal(err)
		}
	}
	sumAxis := fmt.Sprintf("H%d", last+1)
	_ = f.SetCellInt(sh, sumAxis, 600)
	if err := f.SetCellFormula(sh, sumAxis, fmt.Sprintf("SUM(H5:H%d)", last)); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// transcript writes what the coordinator saw to $IMPORT_TRANSCRIPT, when
// set (for the record of the issue); tests never need it.
func transcript(t *testing.T, name, text string) {
	if dir := os.Getenv("IMPORT_TRANSCRIPT"); dir != "" {
		if err := os.WriteFile(dir+"/"+name, []byte(text), 0o644); err != nil {
			t.Log(err)
		}
	}
}

// An office workbook imports as the office saved it: the number and date
// above the table are offered (and can be changed), the preview lists the
// tasks with their deadlines as parsed, the skipped rows, the group's
// reach and the phrase kept as written; creating an agency says first how
// many collective tasks it joins.
func TestImportOfficeWorkbookFromChat(t *testing.T) {
	h := newHarness(t)
	plans := h.planCount()
	h.say(admin, "/importplan")
	got := h.sendDoc(admin, "phu-luc-77.xlsx", officeWorkbook(t, 0), "")
	ask := plain(t, got[len(got)-1])
	for _, want := range []string{"Đã đọc 3 nhiệm vụ", "tên", "Đã đọc được: số 77/KH-UBND, ngày 10/02/2027"} {
		if !strings.Contains(ask, want) {
			t.Fatalf("the question lacks %q:\n%s", want, ask)
		}
	}
	got = h.say(admin, "Kế hoạch hỗ trợ chuyển đổi số")
	preview := got[len(got)-1]
	text := plain(t, preview)
	transcript(t, "preview-vi.txt", text)
	for _, want := range []string{
		"Xem trước kế hoạch 77/KH-UBND ngày 10/02/2027",
		"1. Rà soát quy chế phối hợp với các trường — Sở Y tế — Quý II/2027 → 30/06/2027",
		"2. Hỗ trợ hạ tầng viễn thông cho xã đảo — Sở Ngoại vụ — Trước 15/01/2028 → 15/01/2028",
		"3. Tổ chức hội nghị tổng kết — Sở Y tế — Thường xuyên → định kỳ",
		"các Trường đại học → 2 cơ quan",
		"Giữ nguyên, không theo dõi (1):\n• Các doanh nghiệp viễn thông (dòng 6)",
		"Đã bỏ qua dòng không phải nhiệm vụ (tổng cộng, ghi chú, nơi nhận, chữ ký): 8 (Tổng cộng), 9 (Ghi chú: Các cơ quan chủ trì…), 10 ((1) Theo Quyết định số…)",
		"Sở Ngoại vụ (dòng 6, 7)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}

	// Create the unknown agency: first told how many collective tasks it
	// joins, nothing created yet; then created with that many.
	ix, _ := h.store.AgencyIndex(h.ctx())
	agencies := len(ix.All())
	_, sent := h.press(admin, preview.MessageID, buttonWith(t, preview, "Tạo «Sở Ngoại vụ»"))
	confirm := sent[len(sent)-1]
	n, err := h.store.CollectiveTasks(h.ctx(), "department")
	if err != nil || n == 0 {
		t.Fatalf("collective tasks of a department: %d, %v", n, err)
	}
	if c := plain(t, confirm); !strings.Contains(c, "Tạo cơ quan «Sở Ngoại vụ» (loại: ") || !strings.Contains(c, fmt.Sprintf("sẽ nhận ngay %d nhiệm vụ giao chung", n)) {
		t.Fatalf("create asks %q", c)
	}
	if ix, _ := h.store.AgencyIndex(h.ctx()); len(ix.All()) != agencies {
		t.Fatal("the agency was created before the admin confirmed")
	}
	_, sent = h.press(admin, confirm.MessageID, buttonWith(t, confirm, "Tạo cơ quan"))
	if s := strings.Join(texts(t, sent), "\n"); !strings.Contains(s, fmt.Sprintf("Đã tạo cơ quan Sở Ngoại vụ (nhận %d nhiệm vụ giao chung đang mở)", n)) {
		t.Fatalf("created: %s", s)
	}
	redrawn := sent[len(sent)-1]

	// Change the number the file gave; the date stays.
	_, sent = h.press(admin, redrawn.MessageID, buttonWith(t, redrawn, "Sửa số"))
	if s := lastText(t, sent); !strings.Contains(s, "số 77/KH-UBND, ngày 10/02/2027") {
		t.Fatalf("change asks %q", s)
	}
	got = h.say(admin, "78/KH-UBND")
	preview = got[len(got)-1]
	if !strings.Contains(plain(t, preview), "Xem trước kế hoạch 78/KH-UBND ngày 10/02/2027") {
		t.Fatalf("changed preview:\n%s", plain(t, preview))
	}
	_, sent = h.press(admin, preview.MessageID, buttonWith(t, preview, "Xác nhận"))
	if !strings.Contains(lastText(t, sent), "Đã nhập kế hoạch") {
		t.Fatalf("confirm: %q", lastText(t, sent))
	}
	ps, _ := h.store.Plans(h.ctx())
	found := false
	for _, p := range ps {
		found = found || (p.Number == "78/KH-UBND" && p.Date == "2027-02-10" && p.Title == "Kế hoạch hỗ trợ chuyển đổi số")
	}
	if len(ps) != plans+1 || !found {
		t.Fatalf("plans %+v", ps)
	}
}

func texts(t *testing.T, sent []tgserver.Sent) []string {
	var out []string
	for _, s := range sent {
		out = append(out, plain(t, s))
	}
	return out
}

// A long plan's preview lists its tasks a page at a time; the buttons turn
// the pages, in English too.
func TestImportPreviewPages(t *testing.T) {
	h := newHarness(t)
	h.say(admin, "/whoami")
	h.stop()
	h.cfg.AdminIDs = append(h.cfg.AdminIDs, english.ID)
	h.start()
	for _, c := range []struct {
		u                  tgserver.User
		first, second, btn string
		prev               string
	}{
		{admin, "Nhiệm vụ 1–10 trên 25:", "Nhiệm vụ 11–20 trên 25:", "Trang sau", "Trang trước"},
		{english, "Tasks 1–10 of 25:", "Tasks 11–20 of 25:", "Next page", "Previous page"},
	} {
		got := h.sendDoc(c.u, "phu-luc.xlsx", officeWorkbook(t, 22), "Kế hoạch dài")
		preview := got[len(got)-1]
		if c.u.ID == english.ID {
			transcript(t, "preview-en.txt", plain(t, preview))
		}
		if p := plain(t, preview); !strings.Contains(p, c.first) || strings.Contains(p, "Nhiệm vụ bổ sung số 8 ") || !strings.Contains(p, "Nhiệm vụ bổ sung số 7") {
			t.Fatalf("first page:\n%s", p)
		}
		_, sent := h.press(c.u, preview.MessageID, buttonWith(t, preview, c.btn))
		page := sent[len(sent)-1]
		if p := plain(t, page); page.MessageID != preview.MessageID || !strings.Contains(p, c.second) || !strings.Contains(p, "Nhiệm vụ bổ sung số 17") || strings.Contains(p, "Nhiệm vụ bổ sung số 7 ") {
			t.Fatalf("second page (message %d, preview %d):\n%s", page.MessageID, preview.MessageID, p)
		}
		if buttonWith(t, page, c.prev) == "" {
			t.Error("no button back")
		}
	}
}
