package planimport

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agencybot/seeds"
)

// officeRows lays a seed plan out as offices write its appendix: title rows,
// a header with line breaks in its cells (two rows deep when twoRowHeader:
// "Cơ quan thực hiện" over "Chủ trì" | "Phối hợp"), the "(1) (2) …" row,
// Roman-numbered section rows with the heading in the second column, tasks
// numbered per section ("1") or running ("1."), and the title of every third
// task continued on a row with an empty number, as when pasted from PDF.
func officeRows(p seeds.Plan, twoRowHeader bool) (rows [][]string, sectionRows []int) {
	rows = [][]string{
		{"PHỤ LỤC"},
		{"DANH MỤC NHIỆM VỤ " + strings.ToUpper(p.Title)},
		{"(Ban hành kèm theo Kế hoạch số " + p.Number + " của Ủy ban nhân dân Tỉnh)"},
		{},
	}
	if twoRowHeader {
		rows = append(rows,
			[]string{"STT", "Nội dung\nnhiệm vụ", "Cơ quan thực hiện", "", "Thời hạn", "Dự kiến\nkết quả", "Ghi chú"},
			[]string{"", "", "Chủ trì", "Phối hợp", "", "", ""})
	} else {
		rows = append(rows, []string{"TT", "Tên nhiệm vụ", "Cơ quan\nchủ trì", "Cơ quan\nphối hợp", "Thời gian\nhoàn thành", "Kết quả/\nsản phẩm", "Ghi\nchú"})
	}
	rows = append(rows, []string{"(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"})
	section := ""
	for i, t := range p.Tasks {
		if t.Section != section {
			section = t.Section
			sectionRows = append(sectionRows, len(rows)+1)
			rows = append(rows, []string{t.Section, t.SectionTitle})
		}
		n := t.Number
		if _, after, ok := strings.Cut(n, "."); ok {
			n = after // per section: "IV.5" is written "5" under IV
		} else {
			n += "." // running: "7."
		}
		title, more := t.Title, ""
		if w := strings.Fields(t.Title); i%3 == 1 && len(w) > 4 {
			title, more = strings.Join(w[:len(w)/2], " "), strings.Join(w[len(w)/2:], " ")
		}
		rows = append(rows, []string{n, title, t.Lead.Text, t.Coordinating.Text, t.Deadline, t.Output, t.Note})
		if more != "" {
			rows = append(rows, []string{"", more})
		}
	}
	return rows, sectionRows
}

// xlsxOf writes rows as a workbook, merging the title rows and the section
// headings across the columns (and the two-row header's upper cells).
func xlsxOf(t testing.TB, rows [][]string, merges [][2]string, sheets ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	for i, r := range rows {
		for c, v := range r {
			if v == "" {
				continue
			}
			axis, _ := excelize.CoordinatesToCellName(c+1, i+1)
			if err := f.SetCellStr(sh, axis, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range merges {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range sheets {
		if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// officeXLSX is a seed plan as an office workbook.
func officeXLSX(t testing.TB, p seeds.Plan, twoRowHeader bool) []byte {
	rows, sections := officeRows(p, twoRowHeader)
	merges := [][2]string{{"A1", "G1"}, {"A2", "G2"}, {"A3", "G3"}}
	if twoRowHeader {
		merges = append(merges, [2]string{"C5", "D5"}, [2]string{"A5", "A6"}, [2]string{"B5", "B6"})
	}
	for _, r := range sections {
		merges = append(merges, [2]string{fmt.Sprintf("B%d", r), fmt.Sprintf("G%d", r)})
	}
	return xlsxOf(t, rows, merges)
}

// csvOf writes rows as a Vietnamese-locale Excel saves CSV: a UTF-8 BOM,
// ';' between cells, cells with line breaks quoted, CRLF line ends.
func csvOf(t testing.TB, rows [][]string, sep rune, bom bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if bom {
		buf.WriteString("\uFEFF")
	}
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = sep, true
	for _, r := range rows {
		full := make([]string, 7)
		copy(full, r)
		if err := w.Write(full); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return buf.Bytes()
}
