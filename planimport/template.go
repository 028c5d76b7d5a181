package planimport

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// templateHeader is the header row of the template, in the plans' words.
var templateHeader = []string{"STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Kết quả/sản phẩm", "Ghi chú"}

// Template builds the empty plan template: a title row, the header, one
// section row and one example task, as Parse reads them back.
func Template() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	if err := f.SetSheetName(sh, "Phụ lục"); err != nil {
		return nil, err
	}
	sh = "Phụ lục"
	rows := [][]any{
		{"PHỤ LỤC: DANH MỤC NHIỆM VỤ (Ban hành kèm theo Kế hoạch số …/KH-UBND ngày …/…/… của UBND tỉnh)"},
		toAny(templateHeader),
		{"I", "TÊN NHÓM NHIỆM VỤ"},
		{"1", "Xây dựng kế hoạch triển khai …", "Sở Khoa học và Công nghệ", "Sở Tài chính; các sở, ban, ngành, địa phương", "Quý IV/2026", "Kế hoạch", ""},
	}
	for i, r := range rows {
		axis, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, axis, &r); err != nil {
			return nil, fmt.Errorf("template row %d: %w", i+1, err)
		}
	}
	for _, m := range [][2]string{{"A1", "G1"}, {"B3", "G3"}} {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			return nil, err
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}})
	if err != nil {
		return nil, err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	_ = f.SetCellStyle(sh, "A1", "G3", bold)
	_ = f.SetCellStyle(sh, "A4", "G4", wrap)
	for col, w := range map[string]float64{"A": 6, "B": 50, "C": 22, "D": 28, "E": 16, "F": 20, "G": 14} {
		_ = f.SetColWidth(sh, col, col, w)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write template: %w", err)
	}
	return buf.Bytes(), nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
