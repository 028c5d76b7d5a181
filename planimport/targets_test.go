package planimport

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agencybot/domain"
	"agencybot/i18n"
)

// targetRows is a targets table as an office writes it under (or above) its
// tasks: a title, the header, a group heading, three targets (decimal
// commas, a baseline with its year, a sign in a cell, a name continued on
// the next row, a falling rate with no sign).
func targetRows() [][]string {
	return [][]string{
		{"BIỂU CHỈ TIÊU CHỦ YẾU GIAI ĐOẠN 2026 - 2030"},
		{"STT", "Chỉ tiêu", "Đơn vị tính", "Hiện trạng/\nNăm gốc", "2026", "2027", "2028", "2029", "2030", "Cơ quan chủ trì"},
		{"I", "CHỈ TIÊU VỀ KHOA HỌC, CÔNG NGHỆ"},
		{"1", "Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo", "người/1 vạn dân", "8,6 (2025)", "9,5", "-", "", "", "12", "Sở Khoa học và Công nghệ"},
		{"2", "Chỉ số chuyển đổi số", "chỉ số", "", "0,6", "0,65", "", "", "≥ 0,75", "Sở KH&CN"},
		{"", "cấp tỉnh (DTI)"},
		{"3", "Tỷ lệ hộ nghèo đa chiều", "%", "3,2 năm 2025", "2,8", "", "", "", "1", "Sở Y tế"},
	}
}

// width pads rows to one width, as a spreadsheet's CSV has them.
func padded(rows [][]string) [][]string {
	w := 0
	for _, r := range rows {
		w = max(w, len(r))
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, w)
		copy(out[i], r)
	}
	return out
}

func csvRows(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = ';', true
	if err := w.WriteAll(padded(rows)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// workbook writes sheets of rows, merges by sheet.
func workbook(t *testing.T, sheets []string, rows map[string][][]string, merges map[string][][2]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), sh); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[sh] {
			for c, v := range row {
				if v == "" {
					continue
				}
				axis, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(sh, axis, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, m := range merges[sh] {
			if err := f.MergeCell(sh, m[0], m[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func milestones(ms []domain.Milestone) map[int]float64 {
	out := map[int]float64{}
	for _, m := range ms {
		out[m.Year] = m.Value
	}
	return out
}

// checkTargets asserts the three targets of targetRows, read from a file
// whose targets table starts at row first (1-based header row).
func checkTargets(t *testing.T, name string, got []TargetRow, header int) {
	t.Helper()
	if len(got) != 3 {
		t.Fatalf("%s: %d targets %+v, want 3", name, len(got), got)
	}
	staff, dti, poor := got[0], got[1], got[2]
	if staff.Number != "1" || staff.Unit != "người/1 vạn dân" || staff.Baseline == nil || staff.Baseline.Value != 8.6 || staff.Baseline.Year != 2025 ||
		!maps(milestones(staff.Milestones), map[int]float64{2026: 9.5, 2030: 12}) || staff.Direction != domain.AtLeast || staff.Stated ||
		staff.From != 2026 || staff.Lead != "Sở Khoa học và Công nghệ" || staff.Row != header+2 {
		t.Errorf("%s: research staff %+v", name, staff)
	}
	if dti.Name != "Chỉ số chuyển đổi số cấp tỉnh (DTI)" || !maps(milestones(dti.Milestones), map[int]float64{2026: 0.6, 2027: 0.65, 2030: 0.75}) ||
		dti.Direction != domain.AtLeast || !dti.Stated || dti.Milestones[2].Text != "≥ 0,75" || dti.Baseline != nil {
		t.Errorf("%s: DTI %+v", name, dti)
	}
	if poor.Direction != domain.AtMost || poor.Stated || poor.Baseline == nil || poor.Baseline.Value != 3.2 || poor.Baseline.Year != 2025 {
		t.Errorf("%s: poverty rate %+v", name, poor)
	}
}

func maps(a, b map[int]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if math.Abs(b[k]-v) > 1e-12 {
			return false
		}
	}
	return true
}

// A targets table is recognised by the same import wherever the file puts
// it: under the tasks on their sheet (xlsx), above them (CSV), or on a sheet
// of its own with the years under a merged "Lộ trình" (xlsx); the tasks read
// as they do without it, its rows are not reported as empty rows of the
// tasks, and its numbers are read with their decimal commas.
func TestParseFindsTheTargetsTable(t *testing.T) {
	p26 := seedPlans(t)[1]
	tasks, _ := officeRows(p26, false)
	below := append(append(append([][]string(nil), tasks...), []string{}), targetRows()...)
	above := append(append(append([][]string(nil), targetRows()...), []string{}), tasks...)
	twoRow := [][]string{
		{"STT", "Tên chỉ tiêu", "ĐVT", "Hiện trạng năm 2025", "Lộ trình thực hiện", "", "", "", "", "Đơn vị chủ trì"},
		{"", "", "", "", "Năm 2026", "Năm 2027", "Năm 2028", "Năm 2029", "Mục tiêu 2030", ""},
	}
	for _, r := range targetRows()[2:] {
		r = slices.Clone(r)
		if len(r) > 3 {
			r[3] = strings.NewReplacer(" (2025)", "", " năm 2025", "").Replace(r[3])
		}
		twoRow = append(twoRow, r)
	}
	for _, c := range []struct {
		name, file string
		data       []byte
		header     int
	}{
		{"xlsx, under the tasks", "ke-hoach.xlsx", workbook(t, []string{"Phụ lục"}, map[string][][]string{"Phụ lục": below}, nil), len(tasks) + 3},
		{"csv, above the tasks", "ke-hoach.csv", csvRows(t, above), 2},
		{"xlsx, a sheet of its own, two-row header", "ke-hoach.xlsx", workbook(t, []string{"Phụ lục", "Chỉ tiêu"},
			map[string][][]string{"Phụ lục": tasks, "Chỉ tiêu": twoRow}, map[string][][2]string{"Chỉ tiêu": {{"E1", "I1"}}}), 1},
	} {
		tb, err := Parse(c.file, c.data, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(tb.Tasks) != len(p26.Tasks) || tb.Tasks[len(tb.Tasks)-1].Title != p26.Tasks[len(p26.Tasks)-1].Title {
			t.Errorf("%s: %d tasks, want %d", c.name, len(tb.Tasks), len(p26.Tasks))
		}
		if len(tb.NotTasks) != 0 || len(tb.Skipped) > 1 {
			t.Errorf("%s: target rows read as part of the tasks' table: skipped %v, not tasks %v", c.name, tb.Skipped, tb.NotTasks)
		}
		header := c.header
		if strings.Contains(c.name, "two-row") {
			header = 2 // the years' row: the first target is two rows under the header's first
		}
		checkTargets(t, c.name, tb.Targets, header)
		if strings.Contains(c.name, "two-row") && tb.Targets[0].Baseline.Year != 2025 {
			t.Errorf("%s: the baseline's year from the header: %+v", c.name, tb.Targets[0].Baseline)
		}
	}
	// Without a targets table nothing changes.
	tb, err := Parse("ke-hoach.xlsx", officeXLSX(t, p26, false), Options{})
	if err != nil || len(tb.Targets) != 0 {
		t.Errorf("tasks only: %d targets, %v", len(tb.Targets), err)
	}
}

// Bad cells in a targets table name their row and column and change
// nothing; the messages are in Vietnamese and English.
func TestTargetsTableErrors(t *testing.T) {
	p26 := seedPlans(t)[1]
	tasks, _ := officeRows(p26, false)
	for _, c := range []struct {
		name     string
		edit     func([][]string)
		code     string
		row, col int
		vi       string
	}{
		{"a word where a number goes", func(r [][]string) { r[3][5] = "tăng dần" }, ErrTargetValue, 4, 5, "Ô «tăng dần» không đọc được thành số"},
		{"no figure at all", func(r [][]string) {
			r[4] = []string{"2", "Chỉ số chuyển đổi số", "chỉ số", "", "", "", "", "", "", "Sở KH&CN"}
		}, ErrTargetNoValue, 5, 4, "không có số liệu"},
		{"a name twice", func(r [][]string) { r[6][1] = "chỉ số chuyển đổi số" }, ErrTargetDuplicate, 7, 1, "đã có ở dòng 5"},
		{"a number twice", func(r [][]string) { r[6][0] = "2" }, ErrDuplicate, 7, 0, "dòng 5"},
	} {
		rows := targetRows()
		for i := range rows {
			rows[i] = slices.Clone(rows[i])
		}
		c.edit(rows)
		data := csvRows(t, append(append(rows, []string{}), tasks...))
		_, err := Parse("ke-hoach.csv", data, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code || e.Row != c.row || e.Col != c.col {
			t.Errorf("%s: %v (%+v), want %s at row %d col %d", c.name, err, e, c.code, c.row, c.col)
			continue
		}
		if msg := e.Message(i18n.VI); !strings.Contains(msg, c.vi) || !strings.Contains(msg, "dòng "+strconv.Itoa(c.row)) {
			t.Errorf("%s: message %q", c.name, msg)
		}
		if msg := e.Message(i18n.EN); strings.Contains(msg, "import.err") {
			t.Errorf("%s: English message %q", c.name, msg)
		}
	}
}

// The preview has the targets part: one line each with its numbers as
// written, the lead agencies matched or not recognised, the rows without a
// lead; the targets go to the store with codes of the plan, the last year's
// number as the target.
func TestPreviewAndDomainTargets(t *testing.T) {
	ix := seedIndex(t)
	p26 := seedPlans(t)[1]
	tasks, _ := officeRows(p26, false)
	rows := targetRows()
	rows[6] = slices.Clone(rows[6])
	rows[6][9] = "Ban Chỉ đạo giảm nghèo"
	tb, err := Parse("ke-hoach.csv", csvRows(t, append(append(tasks, []string{}), rows...)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := NewPreview(tb, Meta{Number: "77/KH-UBND", Date: "2027-02-10", Title: "Kế hoạch"}, ix)
	if len(p.Targets) != 3 || p.Targets[0].AgencyKey != "so-khcn" || p.Targets[1].AgencyKey != "so-khcn" || p.Targets[2].AgencyKey != "" {
		t.Fatalf("preview targets %+v", p.Targets)
	}
	if !slices.Equal(p.TargetNoAgency, []int{p.Targets[2].Row}) {
		t.Errorf("rows without an agency %v", p.TargetNoAgency)
	}
	if !slices.ContainsFunc(p.Unknown, func(f Found) bool { return f.Text == "Ban Chỉ đạo giảm nghèo" }) {
		t.Errorf("the unknown lead is not among the names to map: %+v", p.Unknown)
	}
	text := p.Text(i18n.VI)
	for _, want := range []string{"Chỉ tiêu (3):", "1. Nguồn nhân lực nghiên cứu khoa học", "hiện trạng 8,6 (2025); 2026: 9,5; 2030: 12",
		"(không thấp hơn, suy ra từ số liệu)", "2030: ≥ 0,75 — Sở KH&CN", "(không vượt quá, suy ra từ số liệu)", "Chỉ tiêu chưa có cơ quan chủ trì được nhận ra: dòng"} {
		if !strings.Contains(text, want) {
			t.Errorf("preview lacks %q:\n%s", want, text)
		}
	}
	if html := p.HTML(i18n.EN); !strings.Contains(html, "<b>Targets (3):</b>") || !strings.Contains(html, "Sở KH&amp;CN") {
		t.Errorf("HTML preview:\n%s", html)
	}
	ds := tb.DomainTargets("kh-77", "27", ix)
	if len(ds) != 3 {
		t.Fatalf("%d domain targets", len(ds))
	}
	d := ds[1]
	if d.ID != "27-CT2" || d.PlanKey != "kh-77" || d.Agency != "so-khcn" || d.Final.Year != 2030 || d.Final.Value != 0.75 ||
		len(d.Milestones) != 2 || d.Milestones[1].Value != 0.65 || d.From != 2026 || d.Check() != nil || !strings.Contains(d.Source, "Chỉ số chuyển đổi số") {
		t.Errorf("domain target %+v", d)
	}
	for _, x := range ds {
		if err := x.Check(); err != nil {
			t.Errorf("%s: %v", x.ID, err)
		}
	}
}
