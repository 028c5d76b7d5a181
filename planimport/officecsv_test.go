package planimport

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// longTitle is a task text as real plans write it: long, with many commas
// (and, in the second, a semicolon), so that a ';' file has more commas
// than separators.
const (
	longTitle = "Tập trung rà soát, hoàn thiện đồng bộ thể chế, pháp luật về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số " +
		"(rà soát cơ chế quản lý nhiệm vụ khoa học, công nghệ, cơ chế tài chính, đề xuất chuyển sang quản lý theo kết quả đầu ra, " +
		"cơ chế chấp nhận rủi ro có kiểm soát, cơ chế thử nghiệm có kiểm soát, sandbox, quỹ phát triển khoa học, công nghệ, " +
		"quỹ đầu tư mạo hiểm, đặt hàng, giao nhiệm vụ, khoán chi, mua sắm, thuê dịch vụ, đánh giá, nghiệm thu, chuyển giao)"
	longTitle3 = "Phát triển hạ tầng số, dữ liệu số, nhân lực số, doanh nghiệp công nghệ số, kinh tế số, xã hội số, chính quyền số, " +
		"an toàn, an ninh mạng, bảo vệ dữ liệu cá nhân, thanh toán không dùng tiền mặt, thương mại điện tử, logistics, du lịch thông minh, " +
		"nông nghiệp thông minh, y tế số, giáo dục số, văn hóa số, báo chí số, truyền thông số"
	longTitle2 = "Xây dựng, vận hành nền tảng số dùng chung; kết nối, chia sẻ dữ liệu giữa các sở, ngành, địa phương"
)

// commaRows is a small plan whose texts hold commas, a semicolon and line
// breaks, as every real plan does.
func commaRows() [][]string {
	return [][]string{
		{"PHỤ LỤC"},
		{"(Kèm theo Kế hoạch số 77/KH-UBND ngày 10/02/2027 của Ủy ban nhân dân tỉnh)"},
		goodHeader,
		{"I", "HOÀN THIỆN THỂ CHẾ, CHÍNH SÁCH"},
		{"1", longTitle, "Sở Khoa học và Công nghệ", "Sở Tài chính, Sở Tư pháp", "Quý II/2027", "Báo cáo, đề xuất", ""},
		{"2", longTitle2, "Sở Tư pháp", "Sở Nội vụ; Sở Y tế", "Năm 2027", "Nền tảng,\nhệ thống", "Ghi chú, có dấu phẩy"},
		{"3", longTitle3, "Sở Khoa học và Công nghệ", "Các sở, ban, ngành, địa phương", "Năm 2028", "Báo cáo", ""},
	}
}

// encodeVN writes text as Windows-1258 the way Excel saves it: letters the
// code page has precomposed stay one byte, others are a base letter (with
// its circumflex, breve or horn) and a combining tone mark.
func encodeVN(t testing.TB, s string, cm *charmap.Charmap) []byte {
	t.Helper()
	enc := cm.NewEncoder()
	var out []byte
	for _, r := range norm.NFC.String(s) {
		if b, err := enc.Bytes([]byte(string(r))); err == nil {
			out = append(out, b...)
			continue
		}
		var base, tones []rune
		for _, d := range norm.NFD.String(string(r)) {
			switch d {
			case 0x0300, 0x0301, 0x0303, 0x0309, 0x0323:
				tones = append(tones, d)
			default:
				base = append(base, d)
			}
		}
		b, err := enc.Bytes([]byte(norm.NFC.String(string(base)) + string(tones)))
		if err != nil {
			t.Fatalf("%q cannot be written in %s: %v", r, cm, err)
		}
		out = append(out, b...)
	}
	return out
}

// Every CSV form an office saves reads as the same table: the separator is
// the one the header row uses, whatever the texts hold; ANSI files
// (Windows-1258, Excel's plain "CSV (Comma delimited)" in a Vietnamese
// locale) read as their letters.
func TestCSVFormsImport(t *testing.T) {
	utf8CSV := func(sep rune, bom bool) func(t *testing.T) []byte {
		return func(t *testing.T) []byte { return csvOf(t, commaRows(), sep, bom) }
	}
	ansi := func(sep rune, cm *charmap.Charmap) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			return encodeVN(t, string(csvOf(t, commaRows(), sep, false)), cm)
		}
	}
	for _, form := range []struct {
		name string
		data func(t *testing.T) []byte
	}{
		{"utf-8 ; BOM, commas unquoted", utf8CSV(';', true)},
		{"utf-8 ; no BOM, commas unquoted", utf8CSV(';', false)},
		{"utf-8 , BOM, semicolons unquoted", utf8CSV(',', true)},
		{"utf-8 , no BOM", utf8CSV(',', false)},
		{"windows-1258 , (CSV Comma delimited)", ansi(',', charmap.Windows1258)},
		{"windows-1258 ;", ansi(';', charmap.Windows1258)},
		{"utf-8 ; line breaks in unquoted texts", func(t *testing.T) []byte {
			// A hand-made file: the line break in the output cell is not
			// quoted, so the row comes in two pieces.
			s := string(csvOf(t, commaRows(), ';', false))
			return []byte(strings.Replace(s, "\"Nền tảng,\r\nhệ thống\"", "Nền tảng,\r\nhệ thống", 1))
		}},
	} {
		t.Run(form.name, func(t *testing.T) {
			tb, err := Parse("phu-luc.csv", form.data(t), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(tb.Tasks) != 3 {
				t.Fatalf("%d tasks: %+v", len(tb.Tasks), tb.Tasks)
			}
			for i, want := range []Task{
				{Number: "1", Title: longTitle, Lead: "Sở Khoa học và Công nghệ", Coordinating: "Sở Tài chính, Sở Tư pháp", Deadline: "Quý II/2027", Output: "Báo cáo, đề xuất"},
				{Number: "2", Title: longTitle2, Lead: "Sở Tư pháp", Coordinating: "Sở Nội vụ; Sở Y tế", Deadline: "Năm 2027", Output: "Nền tảng, hệ thống", Note: "Ghi chú, có dấu phẩy"},
				{Number: "3", Title: longTitle3, Lead: "Sở Khoa học và Công nghệ", Coordinating: "Các sở, ban, ngành, địa phương", Deadline: "Năm 2028", Output: "Báo cáo"},
			} {
				g := tb.Tasks[i]
				if g.Number != want.Number || g.Title != want.Title || g.Lead != want.Lead || g.Coordinating != want.Coordinating ||
					g.Deadline != want.Deadline || g.Output != want.Output || g.Note != want.Note || g.SectionTitle != "HOÀN THIỆN THỂ CHẾ, CHÍNH SÁCH" {
					t.Errorf("task %d read as\n%+v\nwant\n%+v", i+1, g, want)
				}
			}
		})
	}
}

// A Windows-1252 file (a machine in a Western locale) reads as its
// letters, not as Windows-1258: "ý" stays "ý" (1258 would read "ư"), "ò"
// after a consonant is a letter (1258 would read a dot below).
func TestCSVWindows1252(t *testing.T) {
	rows := [][]string{
		{"STT", "Ten nhiem vu", "Co quan chu tri", "Co quan phoi hop", "Thoi gian hoan thanh"},
		{"1", "Coopération avec l'Agence française de développement, phòng thí nghiêm", "Ðài Phát thanh", "Phòng Tài chính", "Quý I/2027"},
	}
	var buf bytes.Buffer
	for _, r := range rows {
		buf.WriteString(strings.Join(r, ";") + "\r\n")
	}
	data, err := charmap.Windows1252.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Parse("x.csv", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g := tb.Tasks[0]; g.Title != rows[1][1] || g.Lead != "Ðài Phát thanh" || g.Coordinating != "Phòng Tài chính" || g.Deadline != "Quý I/2027" {
		t.Errorf("read as %+v", g)
	}
}
