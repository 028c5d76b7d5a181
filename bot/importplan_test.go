package bot

import (
	"bytes"
	"encoding/csv"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agencybot/tgserver"
)

// planRows is a small plan's appendix as offices write it: title rows, a
// header with line breaks, the column-number row, Roman-numbered sections,
// a lead agency the bot does not know yet and a deadline it cannot read.
func planRows() [][]string {
	return [][]string{
		{"PHỤ LỤC"},
		{"DANH MỤC NHIỆM VỤ KẾ HOẠCH THỬ NGHIỆM"},
		{},
		{"TT", "Tên nhiệm vụ", "Cơ quan\nchủ trì", "Cơ quan\nphối hợp", "Thời gian\nhoàn thành", "Kết quả/\nsản phẩm", "Ghi\nchú"},
		{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"},
		{"I", "HOÀN THIỆN THỂ CHẾ"},
		{"1", "Xây dựng quy chế <b>phối hợp</b>", "Sở Y tế", "Trung tâm Thử nghiệm Quy chuẩn XYZ", "Quý I/2027", "Quy chế", ""},
		{"2", "Tổ chức tập huấn cán bộ", "Trung tâm Thử nghiệm Quy chuẩn XYZ", "", "Lúc nào thuận tiện", "Báo cáo", ""},
		{"II", "TRIỂN KHAI"},
		{"1", "Đánh giá kết quả thực hiện", "Sở Y tế", "", "Tháng 6/2027", "Báo cáo", ""},
	}
}

func xlsxOf(t *testing.T, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for name, rows := range sheets {
		if first {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// semicolonCSV is rows as a Vietnamese-locale Excel saves them: UTF-8 with
// a BOM, ';' separated, quoted cells with line breaks.
func semicolonCSV(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sendDoc sends a document and returns what the bot sent in answer.
func (h *harness) sendDoc(u tgserver.User, name string, content []byte, caption string) []tgserver.Sent {
	h.t.Helper()
	n := len(h.srv.SentTo(u.ID))
	h.settle(h.srv.SendDocument(u, name, "application/octet-stream", content, caption))
	return h.srv.SentTo(u.ID)[n:]
}

func (h *harness) planCount() int {
	h.t.Helper()
	ps, err := h.store.Plans(h.ctx())
	if err != nil {
		h.t.Fatal(err)
	}
	return len(ps)
}

func TestImportPlanFromChatXLSX(t *testing.T) {
	h := newHarness(t)
	h.link(officer, "Sở Y tế")
	plans := h.planCount()
	before := h.openCount()

	got := h.sendDoc(admin, "ke-hoach-77.xlsx", xlsxOf(t, map[string][][]string{"Phụ lục": planRows()}), "77/KH-UBND 10/02/2027 Kế hoạch thử nghiệm")
	preview := got[len(got)-1]
	text := plain(t, preview)
	for _, want := range []string{"77/KH-UBND", "3 nhiệm vụ", "Sở Y tế", "Trung tâm Thử nghiệm Quy chuẩn XYZ", "Lúc nào thuận tiện"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	if h.planCount() != plans {
		t.Fatal("a plan was stored before the admin confirmed")
	}

	// Map the unknown name to Sở Y tế: typed, chosen, remembered as an alias.
	_, sent := h.press(admin, preview.MessageID, buttonWith(t, preview, "Gán"))
	if !strings.Contains(lastText(t, sent), "Gõ một phần tên") {
		t.Fatalf("map asks %q", lastText(t, sent))
	}
	sent = h.say(admin, "Sở Y tế")
	choose := sent[len(sent)-1]
	_, sent = h.press(admin, choose.MessageID, buttonWith(t, choose, "Sở Y tế"))
	var redrawn tgserver.Sent
	for _, s := range sent {
		if strings.Contains(s.Text, "Đã ghi nhớ") {
			if !strings.Contains(plain(t, s), "Trung tâm Thử nghiệm Quy chuẩn XYZ") {
				t.Errorf("alias message %q", s.Text)
			}
		}
		if len(buttons(s)) > 0 {
			redrawn = s
		}
	}
	if strings.Contains(plain(t, redrawn), "chưa nhận ra") {
		t.Fatalf("the mapped name is still unknown:\n%s", plain(t, redrawn))
	}
	if a, err := h.store.AgencyIndex(h.ctx()); err != nil {
		t.Fatal(err)
	} else if m, ok := a.Match("Trung tâm Thử nghiệm Quy chuẩn XYZ"); !ok || !strings.Contains(m.Name, "Y tế") {
		t.Fatalf("the alias is not remembered: %v %v", m, ok)
	}

	_, sent = h.press(admin, redrawn.MessageID, buttonWith(t, redrawn, "Xác nhận"))
	done := plain(t, sent[len(sent)-1])
	if !strings.Contains(done, "Đã nhập kế hoạch") || !strings.Contains(done, "3 nhiệm vụ") {
		t.Fatalf("confirm answered %q", done)
	}
	if h.planCount() != plans+1 {
		t.Fatalf("plans: %d, want %d", h.planCount(), plans+1)
	}
	// The officer of Sở Y tế has the three new tasks, including the one
	// whose lead was the mapped name, and can open it.
	if after := h.openCount(); after != before+3 {
		t.Errorf("officer's /tasks counts %d open, want %d+3", after, before)
	}
	if card := plain(t, h.say(officer, "/task 27-I.2")[0]); !strings.Contains(card, "Tổ chức tập huấn cán bộ") {
		t.Errorf("/task 27-I.2 shows %q", card)
	}

	// The same file again: the plan exists; the bot offers to update it.
	got = h.sendDoc(admin, "ke-hoach-77.xlsx", xlsxOf(t, map[string][][]string{"Phụ lục": planRows()}), "77/KH-UBND 10/02/2027 Kế hoạch thử nghiệm")
	_, sent = h.press(admin, got[len(got)-1].MessageID, buttonWith(t, got[len(got)-1], "Xác nhận"))
	exists := sent[len(sent)-1]
	if !strings.Contains(plain(t, exists), "đã có") {
		t.Fatalf("second import answered %q", exists.Text)
	}
	_, sent = h.press(admin, exists.MessageID, buttonWith(t, exists, "Cập nhật"))
	if !strings.Contains(plain(t, sent[len(sent)-1]), "Đã cập nhật kế hoạch") {
		t.Fatalf("update answered %q", sent[len(sent)-1].Text)
	}
	if h.planCount() != plans+1 {
		t.Fatalf("plans after update: %d, want %d", h.planCount(), plans+1)
	}
}

func TestImportPlanFromChatCSVAsksMetaAndSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	plans := h.planCount()
	h.say(admin, "/importplan")
	got := h.sendDoc(admin, "ke-hoach.csv", semicolonCSV(t, planRows()), "")
	if !strings.Contains(plain(t, got[len(got)-1]), "Đã đọc 3 nhiệm vụ") {
		t.Fatalf("no question for the plan's number, date, title: %q", got[len(got)-1].Text)
	}
	got = h.say(admin, "Kế hoạch số 78/KH-UBND ngày 15/03/2027 Kế hoạch CSV")
	preview := got[len(got)-1]
	if !strings.Contains(plain(t, preview), "78/KH-UBND") {
		t.Fatalf("preview %q", preview.Text)
	}
	// A restart between the preview and the confirmation loses nothing.
	h.stop()
	h.start()
	_, sent := h.press(admin, preview.MessageID, buttonWith(t, preview, "Xác nhận"))
	if !strings.Contains(plain(t, sent[len(sent)-1]), "Đã nhập kế hoạch") {
		t.Fatalf("confirm after restart answered %q", sent[len(sent)-1].Text)
	}
	ps, _ := h.store.Plans(h.ctx())
	if len(ps) != plans+1 || ps[len(ps)-1].Number != "78/KH-UBND" && ps[0].Number != "78/KH-UBND" {
		t.Fatalf("plans %+v", ps)
	}
	found := false
	for _, p := range ps {
		found = found || (p.Number == "78/KH-UBND" && p.Date == "2027-03-15" && p.Title == "Kế hoạch CSV")
	}
	if !found {
		t.Fatalf("plan not stored as typed: %+v", ps)
	}
}

func TestImportBadFilesChangeNothing(t *testing.T) {
	h := newHarness(t)
	plans := h.planCount()
	rows := planRows()
	rows[9][0] = "2" // "2" twice in section II? make a duplicate in section I instead
	rows[7][0] = "1"
	got := h.sendDoc(admin, "trung.xlsx", xlsxOf(t, map[string][][]string{"Phụ lục": rows}), "79/KH-UBND 01/01/2027 Trùng số")
	msg := plain(t, got[len(got)-1])
	if !strings.Contains(msg, "Không nhập được") || !strings.Contains(msg, "dòng 8") || !strings.Contains(msg, "cột A") {
		t.Errorf("duplicate number answered %q", msg)
	}
	got = h.sendDoc(admin, "ke-hoach.pdf", []byte("%PDF-1.4"), "")
	if msg := plain(t, got[len(got)-1]); !strings.Contains(msg, "Không nhập được") {
		t.Errorf("a PDF answered %q", msg)
	}
	if h.planCount() != plans {
		t.Fatal("a bad file stored a plan")
	}
	// A file's cells are data: markup in a cell is shown escaped.
	rows = planRows()
	got = h.sendDoc(admin, "html.csv", semicolonCSV(t, rows), "80/KH-UBND 01/01/2027 <i>Tiêu đề</i>")
	if s := got[len(got)-1]; strings.Contains(s.Text, "<i>") {
		t.Errorf("markup from the caption reached the HTML: %q", s.Text)
	}
}

func TestImportAsksWhichSheet(t *testing.T) {
	h := newHarness(t)
	got := h.sendDoc(admin, "hai-trang.xlsx", xlsxOf(t, map[string][][]string{"Phụ lục 1": planRows(), "Phụ lục 2": planRows()[:8]}), "81/KH-UBND 01/01/2027 Hai trang")
	ask := got[len(got)-1]
	if !strings.Contains(plain(t, ask), "nhiều trang tính") {
		t.Fatalf("two sheets answered %q", ask.Text)
	}
	_, sent := h.press(admin, ask.MessageID, buttonWith(t, ask, "Phụ lục 2"))
	if text := plain(t, sent[len(sent)-1]); !strings.Contains(text, "2 nhiệm vụ") {
		t.Fatalf("preview of sheet 2: %q", text)
	}
}

func TestTemplateAndOfficerFileStaysEvidence(t *testing.T) {
	h := newHarness(t)
	got := h.say(admin, "/template")
	if len(got) == 0 || got[len(got)-1].Method != "sendDocument" || !strings.HasSuffix(got[len(got)-1].FileName, ".xlsx") {
		t.Fatalf("/template sent %+v", got)
	}
	f, ok := h.srv.File(got[len(got)-1].FileID)
	if !ok {
		t.Fatal("template file not stored")
	}
	x, err := excelize.OpenReader(bytes.NewReader(f.Content))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows(x.GetSheetName(0))
	if len(rows) < 3 || !strings.Contains(strings.Join(rows[1], "|"), "Cơ quan chủ trì") {
		t.Fatalf("template rows %q", rows)
	}
	// An officer's file with no task open is not an import.
	h.link(officer, "Sở Y tế")
	got = h.sendDoc(officer, "ke-hoach.xlsx", xlsxOf(t, map[string][][]string{"Phụ lục": planRows()}), "")
	if strings.Contains(plain(t, got[len(got)-1]), "nhiệm vụ trong") {
		t.Fatal("an officer's file was read as a plan")
	}
}

var openRE = regexp.MustCompile(`(\d+) việc đang mở`)

// openCount is how many open tasks the officer's /tasks counts.
func (h *harness) openCount() int {
	h.t.Helper()
	m := openRE.FindStringSubmatch(plain(h.t, h.say(officer, "/tasks")[0]))
	if m == nil {
		h.t.Fatal("/tasks shows no count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestImportInEnglish(t *testing.T) {
	h := newHarness(t)
	h.say(admin, "/whoami") // the bot is serving: it stops cleanly
	h.stop()
	h.cfg.AdminIDs = append(h.cfg.AdminIDs, english.ID)
	h.start()
	if got := h.say(english, "/importplan"); !strings.Contains(lastText(t, got), "Please send the plan's file") {
		t.Fatalf("English /importplan: %q", lastText(t, got))
	}
	got := h.sendDoc(english, "plan.csv", semicolonCSV(t, planRows()), "")
	if !strings.Contains(plain(t, got[len(got)-1]), "Read 3 tasks in plan.csv") {
		t.Fatalf("English meta question: %q", got[len(got)-1].Text)
	}
	got = h.say(english, "82/KH-UBND 01/03/2027 English plan")
	preview := got[len(got)-1]
	if buttonWith(t, preview, "Confirm") == "" || buttonWith(t, preview, "Map") == "" {
		t.Fatal("no English buttons")
	}
	got = h.sendDoc(english, "plan.pdf", []byte("%PDF"), "")
	if !strings.Contains(plain(t, got[len(got)-1]), "cannot be imported. Nothing was stored.") {
		t.Errorf("English bad file: %q", got[len(got)-1].Text)
	}
}
