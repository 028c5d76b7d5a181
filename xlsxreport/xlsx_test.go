package xlsxreport

import (
	"fmt"
	"math"
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
		{Key: "p25", Year: 2025, Number: "/KH-UBND", Date: "Đồng Tháp, ngày     tháng     năm 2025", Title: "Kế hoạch chuyển đổi số năm 2025", AppendixTitle: "PHỤ LỤC: DANH MỤC NHIỆM VỤ", Seq: 0, Open: true},
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

// The workbook has the summary, one sheet per plan, the detail by agency
// and the history, in that order. A plan sheet prints as the report's
// attachment: "Phụ lục I", "(Kèm theo Báo cáo số …)", its title and the
// plan's line without blank dates; the appendix columns with where each task
// stands and its group in the official words (no light, no "Nhóm"), a
// collective task in one row; every agency's part on the detail sheet; A4
// landscape fit to width, the header repeated, the pages numbered.
func TestWorkbookLayout(t *testing.T) {
	x := build(t, report.Filter{})
	if got := strings.Join(x.GetSheetList(), "|"); got != "Tổng hợp|Kế hoạch 2025|45-KH-UBND|Chi tiết theo cơ quan|Lịch sử cập nhật" {
		t.Fatalf("sheets %s", got)
	}
	sh := "Kế hoạch 2025"
	all, _ := x.GetRows(sh)
	heading := []string{
		"Phụ lục I",
		"(Kèm theo Báo cáo số        /BC-SKHCN ngày 24/12/2025 của Sở Khoa học và Công nghệ)",
		"TÌNH HÌNH THỰC HIỆN DANH MỤC NHIỆM VỤ",
		"Kế hoạch số …/KH-UBND năm 2025: Kế hoạch chuyển đổi số năm 2025 (Số liệu tính đến ngày 24/12/2025)",
	}
	for i, w := range heading {
		if got := strings.Join(all[i], "|"); got != w {
			t.Errorf("heading row %d: %q, want %q", i+1, got, w)
		}
	}
	if got := strings.Join(all[4], "|"); got != "STT|Tên nhiệm vụ|Cơ quan chủ trì|Cơ quan phối hợp|Thời gian hoàn thành|Kết quả/sản phẩm|Tình hình thực hiện|Đánh giá|Ghi chú mới nhất" {
		t.Errorf("header %s", got)
	}
	rows := all[5:]
	want := [][]string{
		{"I", "Hoàn thiện thể chế"},
		{"1", "Nhiệm vụ 1: triển khai, vướng mắc", "UBND các xã, phường", "", "Trước 19/12/2025", "Kế hoạch",
			"Gặp vướng mắc, tiến độ 47%\n2/3 cơ quan đã báo cáo: 1 hoàn thành, 2 quá hạn — chưa xong: Phường Cao Lãnh, Xã Tháp Mười",
			"Quá hạn chưa hoàn thành", "Thiếu kinh phí\n(Phường Cao Lãnh, 22/12/2025)\nMinh chứng: 1 tệp"},
		{"2", "Nhiệm vụ 2: triển khai, vướng mắc", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Trước 23/01/2026", "Kế hoạch", "Đang thực hiện, tiến độ 60%",
			"Đang thực hiện trong hạn", "Đang lấy ý kiến\n(Sở Khoa học và Công nghệ, 23/12/2025)\nMinh chứng: 1 tệp"},
		{"II", "Hạ tầng số"},
		{"3", "Nhiệm vụ 3: triển khai, vướng mắc", "Sở Tài chính", "", "Trước 04/12/2025", "Kế hoạch", "Hoàn thành, tiến độ 100%", "Đã hoàn thành quá hạn", "Xong\n(Sở Tài chính, 20/12/2025)"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows under the header, want %d: %q", len(rows), len(want), rows)
	}
	for i := range want {
		if got, w := strings.Join(rows[i], "|"), strings.Join(want[i], "|"); got != w {
			t.Errorf("row %d:\n got %s\nwant %s", i+headerRow+1, got, w)
		}
	}
	for _, sheet := range []string{sh, "45-KH-UBND", "Chi tiết theo cơ quan"} {
		rs, _ := x.GetRows(sheet)
		for _, r := range rs {
			for _, c := range r {
				for _, word := range []string{"Xanh", "Vàng", "Đỏ", "Đèn", "Nhóm", "ngày  ", "ngày tháng"} {
					if strings.Contains(c, word) {
						t.Errorf("%s: %q has the internal or blank word %q", sheet, c, word)
					}
				}
			}
		}
	}
	// Section rows are bold, the overdue group is filled red, text wraps,
	// and a row is as tall as its longest cell's lines.
	for _, ref := range []string{"A6", "B6", "C5"} {
		id, _ := x.GetCellStyle(sh, ref)
		st, _ := x.GetStyle(id)
		if st == nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s is not bold", ref)
		}
	}
	if id, _ := x.GetCellStyle(sh, "H7"); id == 0 {
		t.Error("the group cell has no style")
	} else if st, _ := x.GetStyle(id); len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FFC7CE" {
		t.Errorf("overdue fill %v", st.Fill)
	}
	if id, _ := x.GetCellStyle(sh, "B7"); id == 0 {
		t.Error("task cell unstyled")
	} else if st, _ := x.GetStyle(id); st.Alignment == nil || !st.Alignment.WrapText || st.Font.Size < 11 {
		t.Errorf("task title: %+v %+v", st.Alignment, st.Font)
	}
	h7, _ := x.GetRowHeight(sh, 7)
	h10, _ := x.GetRowHeight(sh, 10)
	if h7 < 4*15 || h10 < 15 || h10 >= h7 {
		t.Errorf("row heights: collective task %v (4 lines or more), task 3 %v", h7, h10)
	}
	if p, _ := x.GetPanes(sh); !p.Freeze || p.YSplit != headerRow {
		t.Errorf("panes %+v, want frozen under row %d", p, headerRow)
	}
	total := 0.0
	for i := range 9 {
		w, _ := x.GetColWidth(sh, colName(i+1))
		total += w
	}
	// Fitted to the width of A4 landscape (770 pt between the margins), a
	// sheet this wide prints its 11 pt text at 10 pt or more: LibreOffice
	// gives a character of width 6.2 pt (TestLibreOfficePrintsTheWorkbook).
	if 11*math.Min(1, 770/(total*6.2)) < 10 {
		t.Errorf("the columns are %v characters wide: the text prints under 10 pt", total)
	}
	for _, sheet := range x.GetSheetList() {
		pl, _ := x.GetPageLayout(sheet)
		if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" || pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v", sheet, pl)
		}
		if sp, _ := x.GetSheetProps(sheet); sp.FitToPage == nil || !*sp.FitToPage {
			t.Errorf("%s: fit to page is off", sheet)
		}
		if hf, err := x.GetHeaderFooter(sheet); err != nil || hf == nil || !strings.Contains(hf.OddFooter, "Trang &P/&N") {
			t.Errorf("%s: footer %+v %v, want the page number", sheet, hf, err)
		}
	}
	titles := map[string]string{}
	for _, d := range x.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			titles[d.Scope] = d.RefersTo
		}
	}
	if !strings.HasSuffix(titles[sh], "!$5:$5") || !strings.HasSuffix(titles["Chi tiết theo cơ quan"], "!$2:$2") {
		t.Errorf("header rows not repeated on printed pages: %v", titles)
	}
	// The detail sheet: every agency's part of every task.
	det, _ := x.GetRows("Chi tiết theo cơ quan")
	if got := strings.Join(det[1], "|"); got != "Kế hoạch|STT|Tên nhiệm vụ|Cơ quan, đơn vị|Vai trò|Thời hạn|Trạng thái|Tiến độ (%)|Đánh giá|Cập nhật lần cuối|Ghi chú mới nhất|Số minh chứng" {
		t.Errorf("detail header %s", got)
	}
	wantDet := []string{
		"Kế hoạch 2025|1|Nhiệm vụ 1: triển khai, vướng mắc|Phường Cao Lãnh|chủ trì|19/12/2025|Gặp vướng mắc|40|Quá hạn chưa hoàn thành|22/12/2025|Thiếu kinh phí|0",
		"Kế hoạch 2025|1|Nhiệm vụ 1: triển khai, vướng mắc|Xã Mỹ An|chủ trì|19/12/2025|Hoàn thành|100|Đã hoàn thành đúng hạn|14/12/2025|Đã ban hành Quyết định số 12/QĐ-UBND|1",
		"Kế hoạch 2025|1|Nhiệm vụ 1: triển khai, vướng mắc|Xã Tháp Mười|chủ trì|19/12/2025|Chưa triển khai|0|Quá hạn chưa hoàn thành|||0",
		"Kế hoạch 2025|2|Nhiệm vụ 2: triển khai, vướng mắc|Sở Khoa học và Công nghệ|chủ trì|23/01/2026|Đang thực hiện|60|Đang thực hiện trong hạn|23/12/2025|Đang lấy ý kiến|1",
		"Kế hoạch 2025|2|Nhiệm vụ 2: triển khai, vướng mắc|Sở Tài chính|phối hợp|23/01/2026|Đang thực hiện|30|Đang thực hiện trong hạn|21/12/2025||0",
		"Kế hoạch 2025|3|Nhiệm vụ 3: triển khai, vướng mắc|Sở Tài chính|chủ trì|04/12/2025|Hoàn thành|100|Đã hoàn thành quá hạn|20/12/2025|Xong|0",
		"45/KH-UBND|I.1|Nhiệm vụ I.1: triển khai, vướng mắc|Sở Khoa học và Công nghệ|chủ trì|12/07/2026|Chưa triển khai|0|Đang thực hiện trong hạn|||0",
	}
	if len(det) != 2+len(wantDet) {
		t.Fatalf("detail sheet %q", det)
	}
	for i, w := range wantDet {
		if got := strings.Join(det[i+2], "|"); got != w {
			t.Errorf("detail row %d:\n got %s\nwant %s", i+3, got, w)
		}
	}
	// The summary: its heading, and headers as tall as their wrapped words.
	sum, _ := x.GetRows("Tổng hợp")
	if !strings.Contains(sum[0][0], "24/12/2025") || sum[1][0] != heading[1] {
		t.Errorf("summary heading %q", sum[:2])
	}
	for i, r := range sum {
		if len(r) > 1 && r[1] == "Số nhiệm vụ" {
			if h, _ := x.GetRowHeight("Tổng hợp", i+1); h < 2*15 {
				t.Errorf("summary header row %d is %v pt: its wrapped words print over the next row", i+1, h)
			}
		}
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
	for _, r := range rows[headerRow:] {
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

// Extensions appear only when the input records them: "Tổng hợp" then ends
// with "Trong đó đã gia hạn", counting the tasks per plan, in total and the
// assignments per agency, and the task's assessment says "đã gia hạn".
func TestExtendedColumnOnlyWithTheData(t *testing.T) {
	x := build(t, report.Filter{})
	rows, _ := x.GetRows("Tổng hợp")
	for _, r := range rows {
		for _, c := range r {
			if strings.Contains(c, "gia hạn") {
				t.Fatalf("an extension column without extensions: %q", r)
			}
		}
	}
	in, _ := fixture()
	in.Extended = map[string]bool{"25-2/a0": true}
	x = writeRead(t, in, report.Filter{}, nil, Options{})
	rows, _ = x.GetRows("Tổng hợp")
	got := map[string]string{}
	for _, r := range rows {
		if len(r) == 13 {
			got[r[0]] = r[12]
		}
	}
	if got["Kế hoạch / cơ quan"] != "Trong đó đã gia hạn" || got["Kế hoạch 2025"] != "1" || got["45/KH-UBND"] != "0" || got["Tổng cộng"] != "1" || got["Sở Khoa học và Công nghệ"] != "1" || got["Sở Tài chính"] != "0" {
		t.Errorf("extension column %v", got)
	}
	if v := cell(t, x, "Kế hoạch 2025", "H8"); v != "Đang thực hiện trong hạn\nđã gia hạn" {
		t.Errorf("task 2 assessment %q", v)
	}
}
