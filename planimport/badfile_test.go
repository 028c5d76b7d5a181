package planimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"agencybot/i18n"
)

var goodHeader = []string{"STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Kết quả/sản phẩm", "Ghi chú"}

// small is a valid little table: a title row, the header, one section, two
// tasks; extra rows are appended.
func small(extra ...[]string) [][]string {
	rows := [][]string{
		{"PHỤ LỤC"},
		goodHeader,
		{"I", "HOÀN THIỆN THỂ CHẾ"},
		{"1", "Rà soát thể chế", "Sở Khoa học và Công nghệ", "Sở Tư pháp", "Quý I/2027", "Báo cáo", ""},
		{"2", "Ban hành quy chế", "Sở Tư pháp", "", "Năm 2027", "Quyết định", ""},
	}
	return append(rows, extra...)
}

func importErr(t *testing.T, name string, data []byte, opt Options) *Error {
	t.Helper()
	_, err := Parse(name, data, opt)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse(%s) error = %v, want an *Error", name, err)
	}
	return e
}

func wantErr(t *testing.T, e *Error, code string, row int, col string, vi ...string) {
	t.Helper()
	if e.Code != code || e.Row != row || (col == "" && e.Col != -1) || (col != "" && (e.Col < 0 || ColName(e.Col) != col)) {
		t.Errorf("error %+v, want code %s row %d column %q", e, code, row, col)
	}
	msg := e.Message(i18n.VI)
	for _, w := range vi {
		if !strings.Contains(msg, w) {
			t.Errorf("Vietnamese message %q lacks %q", msg, w)
		}
	}
	if en := e.Message(i18n.EN); en == msg || strings.Contains(en, "import.") {
		t.Errorf("English message %q", en)
	}
}

func TestBadFiles(t *testing.T) {
	t.Run("wrong type pdf", func(t *testing.T) {
		wantErr(t, importErr(t, "ke-hoach.pdf", []byte("%PDF-1.7\n…"), Options{}), ErrType, 0, "", ".xlsx")
	})
	t.Run("wrong type docx", func(t *testing.T) {
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		w, _ := z.Create("word/document.xml")
		w.Write([]byte("<w:document/>"))
		z.Close()
		wantErr(t, importErr(t, "ke-hoach.docx", buf.Bytes(), Options{}), ErrType, 0, "")
	})
	t.Run("old xls", func(t *testing.T) {
		data := append(append([]byte{}, cfbMagic...), make([]byte, 512)...)
		wantErr(t, importErr(t, "ke-hoach.xls", data, Options{}), ErrType, 0, "")
	})
	t.Run("over 20 MB", func(t *testing.T) {
		wantErr(t, importErr(t, "big.csv", make([]byte, MaxSize+1), Options{}), ErrSize, 0, "", "20 MB")
	})
	t.Run("no header", func(t *testing.T) {
		data := csvOf(t, [][]string{{"Danh sách"}, {"a", "b", "c"}, {"1", "2", "3"}}, ';', true)
		wantErr(t, importErr(t, "x.csv", data, Options{}), ErrHeader, 0, "", "tiêu đề")
	})
	t.Run("missing required columns", func(t *testing.T) {
		rows := [][]string{{"PHỤ LỤC"}, {"STT", "Tên nhiệm vụ", "Cơ quan phối hợp", "Ghi chú"}, {"1", "Việc", "Sở Tư pháp", ""}}
		wantErr(t, importErr(t, "x.csv", csvOf(t, rows, ',', false), Options{}), ErrColumns, 2, "", "dòng 2", "Cơ quan chủ trì", "Thời gian hoàn thành")
	})
	t.Run("formula in xlsx", func(t *testing.T) {
		// A formula the file keeps no value of (a generator that never
		// calculated): nothing to read. A kept value is read
		// (TestFormulaCellsReadTheirKeptValue).
		data := xlsxWithFormulas(t, small(), formulaCell{"G5", `CONCATENATE("Năm ","2027")`, ""})
		wantErr(t, importErr(t, "x.xlsx", data, Options{}), ErrFormula, 5, "G", "dòng 5", "cột G (Ghi chú)", "công thức")
	})
	t.Run("formula in csv", func(t *testing.T) {
		rows := small([]string{"3", `=HYPERLINK("http://x","bấm")`, "Sở Tư pháp", "", "Năm 2027"})
		wantErr(t, importErr(t, "x.csv", csvOf(t, rows, ';', true), Options{}), ErrFormula, 6, "B", "dòng 6", "cột B")
	})
	t.Run("duplicate number in a section", func(t *testing.T) {
		rows := small([]string{"2", "Việc khác", "Sở Tư pháp", "", "Năm 2027"})
		wantErr(t, importErr(t, "x.csv", csvOf(t, rows, ';', true), Options{}), ErrDuplicate, 6, "A", "dòng 6", "Số thứ tự 2", "dòng 5")
	})
	t.Run("unreadable number", func(t *testing.T) {
		rows := small([]string{"2a-b", "Việc khác", "Sở Tư pháp", "", "Năm 2027"})
		wantErr(t, importErr(t, "x.csv", csvOf(t, rows, ';', true), Options{}), ErrNumber, 6, "A", "2a-b")
	})
	t.Run("task without text", func(t *testing.T) {
		rows := small([]string{"3", "", "Sở Tư pháp", "", "Năm 2027"})
		wantErr(t, importErr(t, "x.csv", csvOf(t, rows, ';', true), Options{}), ErrNoTitle, 6, "B", "dòng 6")
	})
	t.Run("header without tasks", func(t *testing.T) {
		rows := [][]string{goodHeader, {}, {}}
		wantErr(t, importErr(t, "x.csv", csvOf(t, rows, ';', true), Options{}), ErrNoTasks, 1, "")
	})
	t.Run("two sheets with tables", func(t *testing.T) {
		f := excelize.NewFile()
		f.NewSheet("Phụ lục 2")
		for _, sh := range []string{"Sheet1", "Phụ lục 2"} {
			for i, r := range small() {
				axis, _ := excelize.CoordinatesToCellName(1, i+1)
				row := toAny(r)
				f.SetSheetRow(sh, axis, &row)
			}
		}
		f.NewSheet("Ghi chú")
		f.SetCellStr("Ghi chú", "A1", "không có bảng")
		var buf bytes.Buffer
		f.Write(&buf)
		e := importErr(t, "x.xlsx", buf.Bytes(), Options{})
		wantErr(t, e, ErrSheets, 0, "", "Sheet1, Phụ lục 2")
		tb, err := Parse("x.xlsx", buf.Bytes(), Options{Sheet: "Phụ lục 2"})
		if err != nil || len(tb.Tasks) != 2 || tb.Sheet != "Phụ lục 2" {
			t.Errorf("the chosen sheet: %+v, %v", tb, err)
		}
		wantErr(t, importErr(t, "x.xlsx", buf.Bytes(), Options{Sheet: "Sheet9"}), ErrNoSheet, 0, "", "Sheet9")
	})
	t.Run("unreadable encoding", func(t *testing.T) {
		// Not text at all: a picture renamed .csv (zero bytes inside); ANSI
		// text is read (TestCSVFormsImport).
		data := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), csvOf(t, small(), ';', false)...)
		wantErr(t, importErr(t, "x.csv", data, Options{}), ErrEncoding, 0, "", "UTF-8")
	})
	t.Run("password-protected workbook", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetCellStr("Sheet1", "A1", "STT")
		var buf bytes.Buffer
		if err := f.Write(&buf, excelize.Options{Password: "bimat"}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, importErr(t, "x.xlsx", buf.Bytes(), Options{}), ErrPassword, 0, "", "mật khẩu")
	})
}

// Empty rows inside and below the table are skipped, and the preview says
// which; nothing else changes.
func TestEmptyRowsAreSkippedAndReported(t *testing.T) {
	rows := small()
	rows = append(rows[:4], append([][]string{{}, {"", "", ""}}, rows[4:]...)...)
	rows = append(rows, []string{})
	tb, err := Parse("x.csv", csvOf(t, rows, ';', true), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Tasks) != 2 || tb.Tasks[1].Title != "Ban hành quy chế" || !slicesEqual(tb.Skipped, []int{5, 6, 8}) {
		t.Fatalf("tasks %+v skipped %v", tb.Tasks, tb.Skipped)
	}
	if txt := NewPreview(tb, Meta{}, seedIndex(t)).Text(i18n.VI); !strings.Contains(txt, "Đã bỏ qua dòng trống: 5, 6, 8.") {
		t.Errorf("preview does not report the skipped rows:\n%s", txt)
	}
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
