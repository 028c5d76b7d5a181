package xlsxreport

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

var (
	loc = time.FixedZone("ICT", 7*3600)
	now = time.Date(2025, 12, 24, 8, 0, 0, 0, loc)
)

// fixture: plan 2025 with two sections; 25-1 is collective (three
// communes lead it), 25-2 has one lead and one coordinating agency, 25-3
// (section II) is done late. Plan 2026 has one task. Five updates.
func fixture() (report.Input, []domain.Update) {
	in := report.Input{Now: now, Loc: loc, Plans: []domain.Plan{
		{Key: "p25", Year: 2025, Number: "/KH-UBND", Title: "Kế hoạch chuyển đổi số năm 2025", AppendixTitle: "PHỤ LỤC: DANH MỤC NHIỆM VỤ", Seq: 0, Open: true},
		{Key: "p26", Year: 2026, Number: "45/KH-UBND", Title: "Kế hoạch khoa học, công nghệ 2026", Seq: 1, Open: true},
	}}
	for i, n := range []string{"Sở Khoa học và Công nghệ", "Sở Tài chính", "Xã Mỹ An", "Phường Cao Lãnh", "Xã Tháp Mười"} {
		in.Agencies = append(in.Agencies, domain.Agency{Key: fmt.Sprintf("a%d", i), Name: n})
	}
	today := deadline.DateOf(now)
	task := func(plan, code, sec, secTitle, num string, seq int, due deadline.Date, lead, coord domain.Cell) {
		in.Tasks = append(in.Tasks, domain.Task{Code: code, PlanKey: plan, Section: sec, SectionTitle: secTitle, Number: num, Seq: seq,
			Title: "Nhiệm vụ " + num + ": triển khai, vướng mắc", Lead: lead, Coordinating: coord, Output: "Kế hoạch",
			Deadline: deadline.Deadline{Text: "Trước " + dmy(due), Kind: deadline.Fixed, Due: due}})
	}
	task("p25", "25-1", "I", "Hoàn thiện thể chế", "1", 0, today.AddDays(-5), domain.Cell{Text: "UBND các xã, phường", Group: agency.Group("communes")}, domain.Cell{})
	task("p25", "25-2", "I", "Hoàn thiện thể chế", "2", 1, today.AddDays(30), domain.Cell{Text: "Sở Khoa học và Công nghệ"}, domain.Cell{Text: "Sở Tài chính"})
	task("p25", "25-3", "II", "Hạ tầng số", "3", 2, today.AddDays(-20), domain.Cell{Text: "Sở Tài chính"}, domain.Cell{})
	task("p26", "26-I.1", "I", "Nâng cao nhận thức", "I.1", 0, today.AddDays(200), domain.Cell{Text: "Sở Khoa học và Công nghệ"}, domain.Cell{})
	add := func(code, ag string, role domain.Role, collective bool, st domain.Status, progress int, reported time.Time, note string) {
		a := domain.Assignment{ID: domain.AssignmentID(code, ag), TaskCode: code, AgencyKey: ag, Role: role, Collective: collective,
			State: domain.State{Status: st, Progress: progress, Note: note}, Kind: deadline.Fixed, ReportedAt: reported}
		for _, t := range in.Tasks {
			if t.Code == code {
				a.PlanKey, a.Due = t.PlanKey, t.Due()
			}
		}
		if st == domain.Done {
			a.DoneAt = reported
		}
		in.Assignments = append(in.Assignments, a)
	}
	add("25-1", "a2", domain.Lead, true, domain.Done, 100, now.AddDate(0, 0, -10), "Đã ban hành Quyết định số 12/QĐ-UBND")
	add("25-1", "a3", domain.Lead, true, domain.Blocked, 40, now.AddDate(0, 0, -2), "Thiếu kinh phí")
	add("25-1", "a4", domain.Lead, true, domain.NotStarted, 0, time.Time{}, "")
	add("25-2", "a0", domain.Lead, false, domain.InProgress, 60, now.AddDate(0, 0, -1), "Đang lấy ý kiến")
	add("25-2", "a1", domain.Coordinating, false, domain.InProgress, 30, now.AddDate(0, 0, -3), "")
	add("25-3", "a1", domain.Lead, false, domain.Done, 100, now.AddDate(0, 0, -4), "Xong")
	add("26-I.1", "a0", domain.Lead, false, domain.NotStarted, 0, time.Time{}, "")
	p := func(v int) *int { return &v }
	ups := []domain.Update{
		{AssignmentID: "25-1/a2", TaskCode: "25-1", AgencyKey: "a2", OfficerName: "Nguyễn Văn Ánh", At: now.AddDate(0, 0, -11), Kind: domain.SetStatus,
			Before: domain.State{Status: domain.NotStarted}, After: domain.State{Status: domain.Done, Progress: 100}, Status: domain.Done},
		{AssignmentID: "25-1/a2", TaskCode: "25-1", AgencyKey: "a2", OfficerName: "Nguyễn Văn Ánh", At: now.AddDate(0, 0, -10), Kind: domain.AddEvidence,
			Evidence: &domain.Evidence{Name: "QD-12.pdf"}, Before: domain.State{Status: domain.Done, Progress: 100}, After: domain.State{Status: domain.Done, Progress: 100}},
		{AssignmentID: "25-2/a0", TaskCode: "25-2", AgencyKey: "a0", OfficerName: "Trần Thị Bình", At: now.AddDate(0, 0, -1), Kind: domain.SetProgress, Progress: p(60),
			Before: domain.State{Status: domain.InProgress, Progress: 20}, After: domain.State{Status: domain.InProgress, Progress: 60}},
		{AssignmentID: "25-2/a0", TaskCode: "25-2", AgencyKey: "a0", OfficerName: "Trần Thị Bình", At: now.AddDate(0, 0, -1), Kind: domain.AddEvidence,
			Evidence: &domain.Evidence{Name: "du-thao.docx"}, Before: domain.State{Status: domain.InProgress, Progress: 60}, After: domain.State{Status: domain.InProgress, Progress: 60}},
		{AssignmentID: "26-I.1/a0", TaskCode: "26-I.1", AgencyKey: "a0", OfficerName: "Trần Thị Bình", At: now.AddDate(0, 0, -1), Kind: domain.AddNote, Note: "Chuẩn bị",
			Before: domain.State{Status: domain.NotStarted}, After: domain.State{Status: domain.NotStarted, Note: "Chuẩn bị"}},
	}
	return in, ups
}

func build(t *testing.T, f report.Filter) *excelize.File {
	t.Helper()
	in, ups := fixture()
	hist := func(fn func(domain.Update) error) error {
		for _, u := range ups {
			if err := fn(u); err != nil {
				return err
			}
		}
		return nil
	}
	return writeRead(t, in, f, hist, Options{})
}

func cell(t *testing.T, x *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := x.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The workbook has the summary, one sheet per plan and the history, in that
// order; the plan sheet follows the appendix with the status columns, a
// bold section row, the collective task's agencies on lines under it, and
// prints on A4 landscape fit to width with the header row repeated.
func TestWorkbookLayout(t *testing.T) {
	x := build(t, report.Filter{})
	if got := strings.Join(x.GetSheetList(), "|"); got != "Tổng hợp|Kế hoạch 2025|45-KH-UBND|Lịch sử cập nhật" {
		t.Fatalf("sheets %s", got)
	}
	sh := "Kế hoạch 2025"
	if v := cell(t, x, sh, "A1"); !strings.Contains(v, "PHỤ LỤC") || !strings.Contains(v, "24/12/2025") {
		t.Errorf("title %q", v)
	}
	head, _ := x.GetRows(sh)
	if got := strings.Join(head[2], "|"); got != "STT|Tên nhiệm vụ|Cơ quan chủ trì|Cơ quan phối hợp|Thời gian hoàn thành|Kết quả/sản phẩm|Trạng thái|Tiến độ (%)|Đèn|Nhóm|Cập nhật lần cuối|Ghi chú mới nhất|Số minh chứng" {
		t.Errorf("header %s", got)
	}
	rows := head[3:]
	want := [][]string{
		{"I", "Hoàn thiện thể chế"},
		{"1", "Nhiệm vụ 1: triển khai, vướng mắc", "UBND các xã, phường", "", "Trước 19/12/2025", "Kế hoạch", "Gặp vướng mắc", "47", "Đỏ", "Quá hạn chưa hoàn thành", "22/12/2025", "Thiếu kinh phí", "1"},
		{"", "", "– Phường Cao Lãnh (chủ trì)", "", "19/12/2025", "", "Gặp vướng mắc", "40", "Đỏ", "Quá hạn chưa hoàn thành", "22/12/2025", "Thiếu kinh phí", "0"},
		{"", "", "– Xã Mỹ An (chủ trì)", "", "19/12/2025", "", "Hoàn thành", "100", "Xanh", "Hoàn thành đúng hạn", "14/12/2025", "Đã ban hành Quyết định số 12/QĐ-UBND", "1"},
		{"", "", "– Xã Tháp Mười (chủ trì)", "", "19/12/2025", "", "Chưa triển khai", "0", "Đỏ", "Quá hạn chưa hoàn thành", "", "", "0"},
		{"2", "Nhiệm vụ 2: triển khai, vướng mắc", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Trước 23/01/2026", "Kế hoạch", "Đang thực hiện", "60", "Xanh", "Đang thực hiện trong hạn", "23/12/2025", "Đang lấy ý kiến", "1"},
		{"II", "Hạ tầng số"},
		{"3", "Nhiệm vụ 3: triển khai, vướng mắc", "Sở Tài chính", "", "Trước 04/12/2025", "Kế hoạch", "Hoàn thành", "100", "Xanh", "Hoàn thành quá hạn", "20/12/2025", "Xong", "0"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows under the header, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if got, w := strings.Join(rows[i], "|"), strings.Join(want[i], "|"); got != w {
			t.Errorf("row %d:\n got %s\nwant %s", i+4, got, w)
		}
	}
	// Section rows are bold, the light cell is filled, the header is frozen.
	for _, ref := range []string{"A4", "B4", "C3"} {
		id, _ := x.GetCellStyle(sh, ref)
		st, _ := x.GetStyle(id)
		if st == nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s is not bold", ref)
		}
	}
	if id, _ := x.GetCellStyle(sh, "I5"); id == 0 {
		t.Error("the light cell has no style")
	} else if st, _ := x.GetStyle(id); len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FFC7CE" {
		t.Errorf("red light fill %v", st.Fill)
	}
	if id, _ := x.GetCellStyle(sh, "B5"); id == 0 {
		t.Error("task cell unstyled")
	} else if st, _ := x.GetStyle(id); st.Alignment == nil || !st.Alignment.WrapText {
		t.Error("task title does not wrap")
	}
	if p, _ := x.GetPanes(sh); !p.Freeze || p.YSplit != 3 {
		t.Errorf("panes %+v, want frozen under row 3", p)
	}
	if w, _ := x.GetColWidth(sh, "B"); w < 30 {
		t.Errorf("column B width %v", w)
	}
	pl, _ := x.GetPageLayout(sh)
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("page layout %+v", pl)
	}
	if sp, _ := x.GetSheetProps(sh); sp.FitToPage == nil || !*sp.FitToPage {
		t.Error("fit to page is off")
	}
	found := false
	for _, d := range x.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == sh && strings.Contains(d.RefersTo, "$3:$3") {
			found = true
		}
	}
	if !found {
		t.Errorf("header row not repeated on printed pages: %+v", x.GetDefinedName())
	}
	// History: every update, with who and what changed.
	hist, _ := x.GetRows("Lịch sử cập nhật")
	if len(hist) != 6 || hist[1][2] != "Xã Mỹ An" || hist[1][3] != "Nguyễn Văn Ánh" || hist[1][4] != "Trạng thái: Chưa triển khai → Hoàn thành" || hist[3][4] != "Tiến độ: 20% → 60%" {
		t.Errorf("history %q", hist)
	}
}

// Narrowed to one agency, the sheets hold only that agency's lines and
// updates, and "Tổng hợp" counts only its assignments.
func TestWorkbookNarrowedToAgency(t *testing.T) {
	x := build(t, report.Filter{AgencyKey: "a0"})
	rows, _ := x.GetRows("Kế hoạch 2025")
	var codes []string
	for _, r := range rows[3:] {
		if len(r) > 2 && r[0] != "I" && r[0] != "II" {
			codes = append(codes, r[0])
		}
	}
	if strings.Join(codes, ",") != "2" {
		t.Errorf("tasks of a0 in plan 2025: %v", codes)
	}
	hist, _ := x.GetRows("Lịch sử cập nhật")
	if len(hist) != 4 {
		t.Errorf("%d history rows, want header + 3", len(hist))
	}
	sum, _ := x.GetRows("Tổng hợp")
	var agencies []string
	for i, r := range sum {
		if len(r) > 0 && r[0] == "Theo cơ quan (số nhiệm vụ được giao)" {
			for _, a := range sum[i+2:] {
				agencies = append(agencies, a[0]+"="+a[1])
			}
		}
	}
	if strings.Join(agencies, ",") != "Sở Khoa học và Công nghệ=2" {
		t.Errorf("agency rows %v", agencies)
	}
}
