package xlsxreport

import (
	"slices"
	"strings"
	"testing"

	"agencybot/report"
)

// The workbook gets a targets sheet once the input carries targets: its
// title with the day, the columns of the report upward's targets table, a
// row per target of the plans in scope (a plan narrowed away drops its
// targets); none without targets.
func TestTargetsSheet(t *testing.T) {
	x := build(t, report.Filter{})
	if slices.Contains(x.GetSheetList(), "Chỉ tiêu") {
		t.Fatal("a targets sheet without targets")
	}
	in, _ := fixture()
	in.Targets = []report.Target{
		{PlanKey: "p26", Name: "Nguồn nhân lực nghiên cứu khoa học", Unit: "người/1 vạn dân", Goal: "12 người trên một vạn dân (2030)", Value: "9,6 (2026) — Đúng lộ trình", At: now},
		{PlanKey: "p26", Name: "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", Unit: "%", Goal: "trên 40% (2030)"},
		{PlanKey: "p99", Name: "Of a plan not covered"},
	}
	x = writeRead(t, in, report.Filter{}, nil, Options{})
	if got := x.GetSheetList(); !slices.Contains(got, "Chỉ tiêu") {
		t.Fatalf("sheets %v", got)
	}
	rows, err := x.GetRows("Chỉ tiêu")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || !strings.HasPrefix(rows[0][0], "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU") ||
		strings.Join(rows[1], "|") != "Chỉ tiêu|Đơn vị tính|Giá trị cơ sở|Mục tiêu|Kết quả đạt được|Ngày cập nhật" ||
		rows[2][0] != "Nguồn nhân lực nghiên cứu khoa học" || rows[2][4] != "9,6 (2026) — Đúng lộ trình" || rows[2][5] != "24/12/2025" ||
		rows[3][0] != "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo" {
		t.Errorf("the targets sheet: %q", rows)
	}
	x = writeRead(t, in, report.Filter{PlanKey: "p25"}, nil, Options{})
	if slices.Contains(x.GetSheetList(), "Chỉ tiêu") {
		t.Error("plan 2025's workbook has plan 2026's targets")
	}
}
