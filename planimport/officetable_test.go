package planimport

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agencybot/i18n"
)

// formulaCell is a cell written as a formula, with the value Excel keeps
// beside it ("" when the file keeps none, as a generator that never
// calculated may write it).
type formulaCell struct{ axis, formula, kept string }

// xlsxWithFormulas writes rows as a workbook, then the formula cells with
// the value Excel keeps beside each, as Excel saves them: <f>A5+1</f><v>2</v>
// for a number, t="str" for a text.
func xlsxWithFormulas(t testing.TB, rows [][]string, formulas ...formulaCell) []byte {
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
	for _, fc := range formulas {
		if err := f.SetCellFormula(sh, fc.axis, fc.formula); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	// excelize writes a formula without a value; add the kept values.
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if zf.Name == "xl/worksheets/sheet1.xml" {
			for _, fc := range formulas {
				if fc.kept == "" {
					continue
				}
				re := regexp.MustCompile(`<c r="` + fc.axis + `"([^>]*)><f>(.*?)</f>(<v>.*?</v>)?</c>`)
				if !re.Match(b) {
					t.Fatalf("formula cell %s not found in %s", fc.axis, b)
				}
				typ := ""
				if _, err := strconv.Atoi(fc.kept); err != nil {
					typ = ` t="str"`
				}
				b = re.ReplaceAllFunc(b, func(m []byte) []byte {
					sub := re.FindSubmatch(m)
					attrs := regexp.MustCompile(` t="[a-zA-Z]+"`).ReplaceAll(sub[1], nil)
					return []byte(`<c r="` + fc.axis + `"` + string(attrs) + typ + `><f>` + string(sub[2]) + `</f><v>` + html.EscapeString(fc.kept) + `</v></c>`)
				})
			}
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// An office table: STT numbered by formulas (=A5+1), a budget column, a
// totals row summing it and, under the table, a note, a footnote, the
// recipients and the signature block. The header is in row 3, tasks in
// rows 5-7.
func officeTableRows() [][]string {
	return [][]string{
		{"PHỤ LỤC"},
		{"(Kèm theo Kế hoạch số 77/KH-UBND ngày 10/02/2027 của Ủy ban nhân dân tỉnh)"},
		append(append([]string{}, goodHeader...), "Kinh phí (triệu đồng)"),
		{"I", "HOÀN THIỆN THỂ CHẾ"},
		{"1", "Rà soát thể chế", "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Quý II/2027", "Báo cáo", "", "100"},
		{"", "Ban hành quy chế phối hợp", "Sở Tư pháp", "các Trường đại học", "Năm 2027", "Quyết định", "", "200"},
		{"", "Hỗ trợ doanh nghiệp", "Sở Công Thương", "Các doanh nghiệp viễn thông", "Trước 15/01/2028", "Báo cáo", "", "300"},
		{"", "Tổng cộng", "", "", "", "", "", ""},
		{"Ghi chú: Các cơ quan chủ trì báo cáo kết quả trước ngày 15 tháng 12 hằng năm."},
		{"(1) Theo Quyết định số 12/QĐ-UBND."},
		{},
		{"Nơi nhận:", "", "", "", "TM. ỦY BAN NHÂN DÂN"},
		{"- Như trên;", "", "", "", "KT. CHỦ TỊCH"},
		{"- Lưu: VT.", "", "", "", "PHÓ CHỦ TỊCH"},
		{"", "", "", "", "Nguyễn Văn A"},
	}
}

func officeTableXLSX(t testing.TB) []byte {
	return xlsxWithFormulas(t, officeTableRows(),
		formulaCell{"A6", "A5+1", "2"}, formulaCell{"A7", "A6+1", "3"}, formulaCell{"H8", "SUM(H5:H7)", "600"})
}

// A formula's kept value is read (never evaluated); a formula without one
// is refused naming its cell; a formula in a row that is not a task (the
// totals) is not read at all.
func TestFormulaCellsReadTheirKeptValue(t *testing.T) {
	for _, c := range []struct {
		name     string
		formulas []formulaCell
		errCell  string // "" when the file imports
		numbers  string
	}{
		{"STT numbered by formulas, totals summed", []formulaCell{{"A6", "A5+1", "2"}, {"A7", "A6+1", "3"}, {"H8", "SUM(H5:H7)", "600"}}, "", "1 2 3"},
		{"a text formula with its value", []formulaCell{{"A6", "A5+1", "2"}, {"A7", "A6+1", "3"}, {"E6", `CONCATENATE("Năm ","2027")`, "Năm 2027"}}, "", "1 2 3"},
		{"STT formula never calculated", []formulaCell{{"A6", "A5+1", "2"}, {"A7", "A6+1", ""}}, "A7", ""},
		{"totals never calculated", []formulaCell{{"A6", "A5+1", "2"}, {"A7", "A6+1", "3"}, {"H8", "SUM(H5:H7)", ""}}, "", "1 2 3"},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := xlsxWithFormulas(t, officeTableRows(), c.formulas...)
			tb, err := Parse("phu-luc.xlsx", data, Options{})
			if c.errCell != "" {
				e := importErr(t, "phu-luc.xlsx", data, Options{})
				wantErr(t, e, ErrFormula, 7, "A", "dòng 7", "cột A (STT)", "công thức")
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			var nums []string
			for _, x := range tb.Tasks {
				nums = append(nums, x.Number)
			}
			if strings.Join(nums, " ") != c.numbers || tb.Tasks[1].Deadline != "Năm 2027" {
				t.Errorf("numbers %v, task 2 %+v", nums, tb.Tasks[1])
			}
		})
	}
}

// The table ends where the table ends: totals rows, notes, footnotes, the
// recipients and the signature are no tasks; each is skipped and listed in
// the preview. A task text that merely begins like a total ("Tổng kết …")
// is still the task's text.
func TestTableEndsWhereTheTableEnds(t *testing.T) {
	task := func(n, title string) []string {
		return []string{n, title, "Sở Tư pháp", "", "Năm 2027", "Báo cáo", ""}
	}
	for _, c := range []struct {
		name    string
		rows    [][]string
		tasks   int
		skipped []int    // rows listed as not tasks
		texts   []string // what the preview says of them
	}{
		{"totals in the title column", [][]string{{"", "Tổng cộng", "", "", "", "", "600"}}, 2, []int{6}, []string{"Tổng cộng"}},
		{"totals in the number column", [][]string{{"TỔNG CỘNG", "", "", "", "", "", "600"}}, 2, []int{6}, []string{"TỔNG CỘNG"}},
		{"Cộng, per section, tasks go on", [][]string{{"", "Cộng mục I:", "", "", "", "", "300"}, {"II", "CHUYỂN ĐỔI SỐ"}, task("1", "Việc mục II"), {"Tổng số"}}, 3, []int{6, 9}, []string{"Cộng mục I:", "Tổng số"}},
		{"Tổng", [][]string{{"Tổng", "", "", "", "", "", "3"}}, 2, []int{6}, []string{"Tổng"}},
		{"a note", [][]string{{"Ghi chú: Các cơ quan chủ trì báo cáo kết quả trước ngày 15/12 hằng năm."}}, 2, []int{6}, []string{"Ghi chú: Các cơ quan chủ trì"}},
		{"Lưu ý and what follows it", [][]string{{"Lưu ý:"}, {"", "Các sở gửi báo cáo về Sở Khoa học và Công nghệ"}}, 2, []int{6, 7}, []string{"Lưu ý:", "Các sở gửi báo cáo"}},
		{"a starred footnote", [][]string{{"* Nhiệm vụ trọng tâm năm 2027"}}, 2, []int{6}, []string{"* Nhiệm vụ trọng tâm"}},
		{"a numbered footnote in the title column", [][]string{{"", "(1) Theo Quyết định số 12/QĐ-UBND ngày 05/01/2027"}}, 2, []int{6}, []string{"(1) Theo Quyết định"}},
		{"recipients and signature", [][]string{{}, {"Nơi nhận:", "", "", "", "TM. ỦY BAN NHÂN DÂN"}, {"- Như trên;", "", "", "", "KT. CHỦ TỊCH"}, {"- Lưu: VT.", "", "", "", "PHÓ CHỦ TỊCH"}, {"", "", "", "", "Nguyễn Văn A"}}, 2, []int{7, 8, 9, 10}, []string{"Nơi nhận:", "- Như trên;", "Nguyễn Văn A"}},
		{"a signature block alone", [][]string{{"", "", "", "", "KT. CHỦ TỊCH"}, {"", "", "", "", "PHÓ CHỦ TỊCH"}}, 2, []int{6, 7}, []string{"KT. CHỦ TỊCH"}},
		{"Tổng kết is a task's text", [][]string{{"", "Tổng kết, đánh giá kết quả"}}, 2, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows := small(c.rows...)
			for _, form := range []struct {
				file string
				data []byte
			}{{"x.csv", csvOf(t, rows, ';', true)}, {"x.xlsx", xlsxOf(t, rows, nil)}} {
				tb, err := Parse(form.file, form.data, Options{})
				if err != nil {
					t.Fatalf("%s: Parse: %v", form.file, err)
				}
				var got []int
				for _, s := range tb.NotTasks {
					got = append(got, s.Row)
				}
				if len(tb.Tasks) != c.tasks || !slicesEqual(got, c.skipped) {
					t.Fatalf("%s: %d tasks, not tasks %v; want %d, %v", form.file, len(tb.Tasks), tb.NotTasks, c.tasks, c.skipped)
				}
				if c.name == "Tổng kết is a task's text" && tb.Tasks[1].Title != "Ban hành quy chế Tổng kết, đánh giá kết quả" {
					t.Errorf("continuation lost: %q", tb.Tasks[1].Title)
				}
				if tb.Tasks[1].Title == "" || strings.Contains(tb.Tasks[len(tb.Tasks)-1].Title, "Ghi chú") {
					t.Errorf("%s: the last task took the note: %+v", form.file, tb.Tasks[len(tb.Tasks)-1])
				}
				p := NewPreview(tb, Meta{}, seedIndex(t))
				for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
					txt := p.Text(l)
					for _, w := range c.texts {
						if !strings.Contains(txt, w) {
							t.Errorf("%s %s preview lacks %q:\n%s", form.file, l, w, txt)
						}
					}
				}
				if len(c.skipped) > 0 && !strings.Contains(p.Text(i18n.VI), "Đã bỏ qua dòng không phải nhiệm vụ") {
					t.Errorf("preview does not say rows were skipped:\n%s", p.Text(i18n.VI))
				}
			}
		})
	}
}

// The plan's number and date printed above the table are read, as the
// defaults a coordinator confirms; the number of a document the plan
// implements, or a draft's blank number, is not the plan's.
func TestNumberAndDateAboveTheTable(t *testing.T) {
	for _, c := range []struct {
		above        string
		number, date string
	}{
		{"(Kèm theo Kế hoạch số 77/KH-UBND ngày 10/02/2027 của Ủy ban nhân dân tỉnh)", "77/KH-UBND", "2027-02-10"},
		{"(Ban hành kèm theo Kế hoạch số 105/KH-UBND ngày 5 tháng 3 năm 2027)", "105/KH-UBND", "2027-03-05"},
		{"Kèm theo Kế hoạch số 12/KH-SKHCN", "12/KH-SKHCN", ""},
		{"(Ban hành kèm theo Kế hoạch số /KH-UBND của Ủy ban nhân dân Tỉnh)", "", ""},
		{"THỰC HIỆN KẾT LUẬN SỐ 18-KL/TW NGÀY 02/4/2026 CỦA BAN CHẤP HÀNH TRUNG ƯƠNG", "", ""},
		{"Kèm theo Kế hoạch số 77/KH-UBND ngày 31/02/2027", "77/KH-UBND", ""},
	} {
		rows := small()
		rows = append([][]string{{c.above}}, rows...)
		for _, data := range [][]byte{csvOf(t, rows, ';', true), xlsxOf(t, rows, [][2]string{{"A1", "G1"}})} {
			name := "x.csv"
			if bytes.HasPrefix(data, []byte("PK")) {
				name = "x.xlsx"
			}
			tb, err := Parse(name, data, Options{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if tb.Meta.Number != c.number || tb.Meta.Date != c.date {
				t.Errorf("%s %q: read %+v, want %q %q", name, c.above, tb.Meta, c.number, c.date)
			}
		}
	}
}
