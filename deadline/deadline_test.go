package deadline

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/text/unicode/norm"
)

// parseCase is one deadline cell and what it must parse to. due and from are
// "2006-01-02" or "".
type parseCase struct {
	name string
	text string
	kind Kind
	due  string
	from string
	rec  Recurrence
}

// planCases are the deadline cells of the two source plans, verbatim from the
// text extraction (line breaks and trailing spaces included), plus the same
// phrases where they occur in the plans' prose.
var planCases = []parseCase{
	// Plan 2025 (000_…), appendix column "Thời gian hoàn thành".
	{name: "2025 tasks 1,2,7,8,9,12,14-17", text: "Thường \nxuyên", kind: Recurring, rec: Ongoing},
	{name: "2025 tasks 3,6", text: "Trước \n31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "2025 task 4 (cell shares a line)", text: "Trước \n31/12/2025 ", kind: Fixed, due: "2025-12-31"},
	{name: "2025 task 5", text: "Theo tiến độ \nthực hiện của \nĐề án số 05-\nĐA/TU ngày \n11/9/2025 của \nBan Thường \nvụ Tỉnh ủy", kind: Conditional},
	{name: "2025 tasks 10,13,19", text: "Trong tháng \n12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "2025 task 11", text: "Quý I/2026", kind: Fixed, due: "2026-03-31"},
	{name: "2025 task 18 (empty cell)", text: "", kind: None},
	{name: "2025 task 20", text: "Nhiệm vụ \nthường xuyên", kind: Recurring, rec: Ongoing},
	{name: "2025 task 21", text: "Tổ chức \nhằng năm \nhoặc theo \nnhu cầu thực \ntế phát sinh", kind: Recurring, rec: Annual},

	// Plan 2025, the same deadlines in the body text.
	{name: "2025 prose before", text: "(Hoàn thành trước 31/12/2025)", kind: Fixed, due: "2025-12-31"},
	{name: "2025 prose month", text: "(Hoàn thành \ntrong tháng 12/2025)", kind: Fixed, due: "2025-12-31"},
	{name: "2025 prose quarter", text: "(Hoàn thành trong Quý I/2026).", kind: Fixed, due: "2026-03-31"},
	{name: "2025 prose ongoing", text: "(Nhiệm vụ thường xuyên)", kind: Recurring, rec: Ongoing},
	{name: "2025 prose heading ongoing", text: "(nhiệm vụ thường xuyên)", kind: Recurring, rec: Ongoing},
	{name: "2025 prose conditional", text: "(Theo tiến độ thực hiện của Đề án số 05-ĐA/TU \nngày 11/9/2025 của Ban Thường vụ Tỉnh ủy)", kind: Conditional},
	{name: "2025 prose annual", text: "(Tổ chức hằng năm hoặc \ntheo nhu cầu thực tế phát sinh)", kind: Recurring, rec: Annual},
	{name: "2025 prose period en dash", text: "2026–\n2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "2025 prose period split", text: "2026 \n - 2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},

	// Plan 2026 (002_…), appendix column "Thời gian hoàn thành".
	{name: "2026 I.1", text: "Khi Trung ương ban hành văn bản", kind: Conditional},
	{name: "2026 I.2", text: "Thường xuyên (khi chính sách có hiệu lực thi hành)", kind: Recurring, rec: Ongoing},
	{name: "2026 II.1", text: "Ngay sau khi Chính phủ, Bộ, ngành ban hành các quy định liên quan", kind: Conditional},
	{name: "2026 II.2, III.4, IV.2-6, V.1", text: "Thường xuyên", kind: Recurring, rec: Ongoing},
	{name: "2026 II.3", text: "Thường xuyên theo quy định hiện hành", kind: Recurring, rec: Ongoing},
	{name: "2026 III.1, III.2", text: "Hàng năm", kind: Recurring, rec: Annual},
	{name: "2026 III.3", text: "Hằng năm", kind: Recurring, rec: Annual},
	{name: "2026 IV.1", text: "Theo thời gian các bộ, ngành đã đăng ký trong triển khai xây dựng nền tảng số quốc gia", kind: Conditional},
	{name: "2026 IV.7", text: "Năm 2026", kind: Fixed, due: "2026-12-31"},
	{name: "2026 V.2, V.3", text: "2026 - 2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},

	// Plan 2026, "c) Thời gian: …" lines in the body.
	{name: "2026 prose period short", text: "2026 - 2027", kind: Fixed, due: "2027-12-31", from: "2026-01-01", rec: Annual},
	{name: "2026 prose period remark", text: "2026 - 2030 (trọng tâm 2026 - 2027).", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "2026 prose period stop", text: "2026 - 2030.", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "2026 prose label", text: "Thời gian: 2026 - 2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
}

// variantCases are the brief's phrases and the spellings the plans may use.
var variantCases = []parseCase{
	// Dates.
	{name: "before", text: "Trước 31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "before ngày", text: "Trước ngày 15/01/2027", kind: Fixed, due: "2027-01-15"},
	{name: "before ngày no zeros", text: "Trước ngày 5/1/2027", kind: Fixed, due: "2027-01-05"},
	{name: "finish before", text: "Hoàn thành trước 31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "bare date", text: "31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "bare date leading zeros", text: "01/02/2026", kind: Fixed, due: "2026-02-01"},
	{name: "dotted date", text: "31.12.2025", kind: Fixed, due: "2025-12-31"},
	{name: "date spaces round slash", text: "Trước 31 / 12 / 2025", kind: Fixed, due: "2025-12-31"},
	{name: "date in words", text: "Trước ngày 15 tháng 01 năm 2027", kind: Fixed, due: "2027-01-15"},
	{name: "upper case", text: "TRƯỚC NGÀY 31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "lower case", text: "trước 31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "extra spaces and tabs", text: "  Trước\t\t 31/12/2025  ", kind: Fixed, due: "2025-12-31"},
	{name: "no-break space", text: "Trước\u00a031/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "zero-width space", text: "Trước \u200b31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "CRLF", text: "Trước \r\n31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "trailing period", text: "Trước 31/12/2025.", kind: Fixed, due: "2025-12-31"},
	{name: "wrapped", text: "(Trước 31/12/2025)", kind: Fixed, due: "2025-12-31"},
	{name: "wrapped twice", text: "((Trước 31/12/2025).)", kind: Fixed, due: "2025-12-31"},
	{name: "wrapped too deep", text: strings.Repeat("(", 20) + "Trước 31/12/2025" + strings.Repeat(")", 20), kind: Unparsed},
	{name: "leap day", text: "Trước 29/02/2028", kind: Fixed, due: "2028-02-29"},
	{name: "no diacritics", text: "Truoc ngay 31/12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "year 1900", text: "31/12/1900", kind: Fixed, due: "1900-12-31"},
	{name: "year 2200", text: "Năm 2200", kind: Fixed, due: "2200-12-31"},

	// Months.
	{name: "in month", text: "Trong tháng 12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "month bare", text: "tháng 12/2025", kind: Fixed, due: "2025-12-31"},
	{name: "month in words", text: "Trong tháng 12 năm 2025", kind: Fixed, due: "2025-12-31"},
	{name: "month leading zero", text: "Trong tháng 04/2026", kind: Fixed, due: "2026-04-30"},
	{name: "month Feb leap", text: "Trong tháng 2/2028", kind: Fixed, due: "2028-02-29"},
	{name: "month Feb common", text: "Trong tháng 2/2027", kind: Fixed, due: "2027-02-28"},
	{name: "month upper", text: "TRONG THÁNG 12/2025", kind: Fixed, due: "2025-12-31"},

	// Quarters.
	{name: "quarter I", text: "Quý I/2026", kind: Fixed, due: "2026-03-31"},
	{name: "quarter II", text: "Quý II/2026", kind: Fixed, due: "2026-06-30"},
	{name: "quarter III", text: "Quý III/2026", kind: Fixed, due: "2026-09-30"},
	{name: "quarter IV", text: "Quý IV/2026", kind: Fixed, due: "2026-12-31"},
	{name: "quarter 1", text: "Quý 1/2026", kind: Fixed, due: "2026-03-31"},
	{name: "quarter 2", text: "Quý 2/2026", kind: Fixed, due: "2026-06-30"},
	{name: "quarter 3", text: "Quý 3/2026", kind: Fixed, due: "2026-09-30"},
	{name: "quarter 4", text: "Quý 4/2026", kind: Fixed, due: "2026-12-31"},
	{name: "quarter năm", text: "quý II năm 2026", kind: Fixed, due: "2026-06-30"},
	{name: "quarter in", text: "Trong Quý I/2026", kind: Fixed, due: "2026-03-31"},
	{name: "quarter upper", text: "QUÝ IV/2026", kind: Fixed, due: "2026-12-31"},
	{name: "quarter lower numeral", text: "quý iii/2026", kind: Fixed, due: "2026-09-30"},
	{name: "quarter old tone", text: "Qúy I/2026", kind: Fixed, due: "2026-03-31"},
	{name: "quarter split line", text: "Quý I/\n2026", kind: Fixed, due: "2026-03-31"},

	// Years and periods.
	{name: "year", text: "Năm 2026", kind: Fixed, due: "2026-12-31"},
	{name: "in year", text: "Trong năm 2026", kind: Fixed, due: "2026-12-31"},
	{name: "period en dash", text: "2026–2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "period em dash", text: "2026—2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "period en dash spaced", text: "2026 – 2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "period hyphen tight", text: "2026-2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "period giai đoạn", text: "Giai đoạn 2026 - 2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},
	{name: "period from to", text: "Từ năm 2026 đến năm 2030", kind: Fixed, due: "2030-12-31", from: "2026-01-01", rec: Annual},

	// Recurring.
	{name: "ongoing upper", text: "THƯỜNG XUYÊN", kind: Recurring, rec: Ongoing},
	{name: "ongoing no diacritics", text: "thuong xuyen", kind: Recurring, rec: Ongoing},
	{name: "annual Hàng lower", text: "hàng năm", kind: Recurring, rec: Annual},
	{name: "annual Hằng upper", text: "HẰNG NĂM", kind: Recurring, rec: Annual},
	{name: "annual organise Hàng", text: "Tổ chức hàng năm hoặc theo nhu cầu thực tế phát sinh", kind: Recurring, rec: Annual},
	{name: "annual periodic", text: "Định kỳ hằng năm", kind: Recurring, rec: Annual},

	// Conditional.
	{name: "after", text: "Sau khi Bộ Khoa học và Công nghệ có Thông tư hướng dẫn", kind: Conditional},
	{name: "when upper", text: "KHI TRUNG ƯƠNG BAN HÀNH VĂN BẢN", kind: Conditional},
	{name: "progress contains a date", text: "Theo tiến độ thực hiện của Đề án số 05-ĐA/TU ngày 11/9/2025 của Ban Thường vụ Tỉnh ủy", kind: Conditional},
	{name: "date with conditional remark", text: "Quý II/2026 (sau khi Bộ ban hành hướng dẫn)", kind: Unparsed},

	// Empty.
	{name: "spaces", text: "   ", kind: None},
	{name: "newlines and tabs", text: " \n\t\r\n ", kind: None},
	{name: "no-break spaces", text: "\u00a0\u00a0", kind: None},

	// Unknown phrases keep their text.
	{name: "unknown", text: "Càng sớm càng tốt", kind: Unparsed},
	{name: "unknown words", text: "Sớm nhất có thể", kind: Unparsed},
	{name: "lone dash", text: "-", kind: Unparsed},
	{name: "month before", text: "Trước tháng 6/2026", kind: Unparsed},
	{name: "date and junk", text: "31/12/2025 hoặc sớm hơn", kind: Unparsed},

	// Impossible dates are Unparsed, not clamped.
	{name: "31 February", text: "Trước 31/02/2026", kind: Unparsed},
	{name: "29 February common year", text: "29/02/2027", kind: Unparsed},
	{name: "31 April", text: "31/04/2026", kind: Unparsed},
	{name: "day 0", text: "Trước 0/12/2025", kind: Unparsed},
	{name: "day 32", text: "32/12/2025", kind: Unparsed},
	{name: "month 13", text: "Trước 15/13/2026", kind: Unparsed},
	{name: "month 13 in month", text: "Trong tháng 13/2026", kind: Unparsed},
	{name: "month 0", text: "Trong tháng 0/2026", kind: Unparsed},
	{name: "quarter V", text: "Quý V/2026", kind: Unparsed},
	{name: "quarter 5", text: "Quý 5/2026", kind: Unparsed},
	{name: "quarter 0", text: "Quý 0/2026", kind: Unparsed},
	{name: "two-digit year", text: "Trước 31/12/25", kind: Unparsed},
	{name: "year 1899", text: "Năm 1899", kind: Unparsed},
	{name: "year 2201", text: "31/12/2201", kind: Unparsed},
	{name: "year 9999 period", text: "2026 - 9999", kind: Unparsed},
	{name: "backwards period", text: "2030 - 2026", kind: Unparsed},
	{name: "five-digit year", text: "Năm 20260", kind: Unparsed},
}

func TestParse(t *testing.T) {
	for _, group := range []struct {
		name  string
		cases []parseCase
	}{{"plans", planCases}, {"variants", variantCases}} {
		t.Run(group.name, func(t *testing.T) {
			for _, tc := range group.cases {
				t.Run(tc.name, func(t *testing.T) {
					checkParse(t, tc.text, tc)
				})
			}
		})
	}
}

// TestParseNFD feeds every case decomposed (NFD), as some PDF and Word
// extractions deliver it; the result must be the same, and Text must still be
// the decomposed input.
func TestParseNFD(t *testing.T) {
	for _, tc := range append(append([]parseCase{}, planCases...), variantCases...) {
		nfd := norm.NFD.String(tc.text)
		t.Run(tc.name, func(t *testing.T) {
			checkParse(t, nfd, tc)
		})
	}
}

func checkParse(t *testing.T, text string, tc parseCase) {
	t.Helper()
	got := Parse(text)
	if got.Text != text {
		t.Errorf("Parse(%q).Text = %q, want the input unchanged", text, got.Text)
	}
	if got.Kind != tc.kind {
		t.Errorf("Parse(%q).Kind = %q, want %q", text, got.Kind, tc.kind)
	}
	if got.Due.String() != tc.due {
		t.Errorf("Parse(%q).Due = %q, want %q", text, got.Due, tc.due)
	}
	if got.From.String() != tc.from {
		t.Errorf("Parse(%q).From = %q, want %q", text, got.From, tc.from)
	}
	if got.Recurrence != tc.rec {
		t.Errorf("Parse(%q).Recurrence = %q, want %q", text, got.Recurrence, tc.rec)
	}
}

func TestNFDInputDiffersFromNFC(t *testing.T) {
	// Guard for TestParseNFD: the decomposed form really is different bytes.
	if s := "Hằng năm"; norm.NFD.String(s) == s {
		t.Fatalf("NFD of %q is unchanged; the NFD test would prove nothing", s)
	}
}

func TestDateString(t *testing.T) {
	tests := []struct {
		d    Date
		want string
	}{
		{Date{}, ""},
		{Date{2025, time.December, 31}, "2025-12-31"},
		{Date{2026, time.January, 5}, "2026-01-05"},
		{Date{900, time.March, 1}, "0900-03-01"},
	}
	for _, tc := range tests {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestDateIsZero(t *testing.T) {
	if !(Date{}).IsZero() {
		t.Error("Date{}.IsZero() = false")
	}
	if (Date{Year: 2025}).IsZero() {
		t.Error("Date{Year: 2025}.IsZero() = true")
	}
}

func TestParseDate(t *testing.T) {
	d, err := ParseDate("2028-02-29")
	if err != nil || d != (Date{2028, time.February, 29}) {
		t.Errorf(`ParseDate("2028-02-29") = %v, %v`, d, err)
	}
	for _, bad := range []string{"", "2027-02-29", "2025-13-01", "2025-12-32", "2025-1-5", "31/12/2025", "2025-12-31x"} {
		if d, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", bad, d)
		}
	}
}

func TestDateInAndDateOf(t *testing.T) {
	ict := time.FixedZone("ICT", 7*60*60)
	d := Date{2025, time.December, 24}
	got := d.In(ict)
	want := time.Date(2025, time.December, 24, 0, 0, 0, 0, ict)
	if !got.Equal(want) || got.Location() != ict {
		t.Errorf("In = %v, want %v", got, want)
	}
	// 20:00 UTC on 23 Dec is already 03:00 on 24 Dec in Vietnam.
	utc := time.Date(2025, time.December, 23, 20, 0, 0, 0, time.UTC)
	if got := DateOf(utc); got != (Date{2025, time.December, 23}) {
		t.Errorf("DateOf(UTC) = %v", got)
	}
	if got := DateOf(utc.In(ict)); got != d {
		t.Errorf("DateOf(ICT) = %v, want %v", got, d)
	}
	if got := DateOf(d.In(ict).Add(23*time.Hour + 59*time.Minute)); got != d {
		t.Errorf("DateOf(late evening) = %v, want %v", got, d)
	}
}

func TestAddDays(t *testing.T) {
	tests := []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2025, time.December, 31}, 1, Date{2026, time.January, 1}},
		{Date{2026, time.January, 1}, -1, Date{2025, time.December, 31}},
		{Date{2028, time.February, 28}, 1, Date{2028, time.February, 29}},
		{Date{2027, time.February, 28}, 1, Date{2027, time.March, 1}},
		{Date{2025, time.December, 24}, 0, Date{2025, time.December, 24}},
		{Date{2025, time.December, 24}, 365, Date{2026, time.December, 24}},
		{Date{}, 5, Date{}},
	}
	for _, tc := range tests {
		if got := tc.d.AddDays(tc.n); got != tc.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tc.d, tc.n, got, tc.want)
		}
	}
}

func TestBeforeAfter(t *testing.T) {
	dates := []Date{
		{},
		{2025, time.January, 31},
		{2025, time.February, 1},
		{2025, time.December, 31},
		{2026, time.January, 1},
	}
	for i, a := range dates {
		for j, b := range dates {
			if got, want := a.Before(b), i < j; got != want {
				t.Errorf("%v.Before(%v) = %v, want %v", a, b, got, want)
			}
			if got, want := a.After(b), i > j; got != want {
				t.Errorf("%v.After(%v) = %v, want %v", a, b, got, want)
			}
			// The string form sorts the same way; the store relies on it.
			if got, want := a.String() < b.String(), i < j; got != want {
				t.Errorf("%q < %q = %v, want %v", a, b, got, want)
			}
		}
	}
}

func TestDaysBetween(t *testing.T) {
	tests := []struct {
		a, b Date
		want int
	}{
		{Date{2025, time.December, 24}, Date{2025, time.December, 31}, 7},
		{Date{2025, time.December, 31}, Date{2025, time.December, 24}, -7},
		{Date{2025, time.December, 31}, Date{2025, time.December, 31}, 0},
		{Date{2028, time.February, 28}, Date{2028, time.March, 1}, 2},
		{Date{2026, time.January, 1}, Date{2030, time.December, 31}, 1825},
	}
	for _, tc := range tests {
		if got := DaysBetween(tc.a, tc.b); got != tc.want {
			t.Errorf("DaysBetween(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := tc.a.AddDays(tc.want); got != tc.b {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tc.a, tc.want, got, tc.b)
		}
	}
}

func TestDateJSON(t *testing.T) {
	for _, d := range []Date{{}, {2025, time.December, 31}, {2026, time.March, 1}} {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("Marshal(%v): %v", d, err)
		}
		want := `null`
		if !d.IsZero() {
			want = `"` + d.String() + `"`
		}
		if string(b) != want {
			t.Errorf("Marshal(%v) = %s, want %s", d, b, want)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil || back != d {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v", b, back, err, d)
		}
	}
	var d Date
	if err := json.Unmarshal([]byte(`""`), &d); err != nil || !d.IsZero() {
		t.Errorf(`Unmarshal("") = %v, %v; want zero`, d, err)
	}
	for _, bad := range []string{`"2025-02-30"`, `"31/12/2025"`, `20251231`, `{}`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Unmarshal(%s) succeeded, want an error", bad)
		}
	}
}

func TestDeadlineJSON(t *testing.T) {
	in := Parse("2026 - 2030")
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"text":"2026 - 2030","kind":"fixed","due":"2030-12-31","from":"2026-01-01","recurrence":"annual"}`
	if string(b) != want {
		t.Errorf("Marshal = %s\nwant      %s", b, want)
	}
	var out Deadline
	if err := json.Unmarshal(b, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v; want %+v", out, err, in)
	}

	b, err = json.Marshal(Parse("Thường \nxuyên"))
	if err != nil {
		t.Fatal(err)
	}
	const wantRecurring = `{"text":"Thường \nxuyên","kind":"recurring","due":null,"from":null,"recurrence":"ongoing"}`
	if string(b) != wantRecurring {
		t.Errorf("Marshal = %s\nwant      %s", b, wantRecurring)
	}
}

func TestDeadlineBSON(t *testing.T) {
	type task struct {
		ID       string   `bson:"_id"`
		Deadline Deadline `bson:"deadline"`
	}
	texts := []string{"2026 - 2030", "Trước \n31/12/2025", "Thường \nxuyên", "", "Theo chỉ đạo"}
	for _, text := range texts {
		in := task{ID: "t1", Deadline: Parse(text)}
		b, err := bson.Marshal(in)
		if err != nil {
			t.Fatalf("Marshal(%q): %v", text, err)
		}
		var out task
		if err := bson.Unmarshal(b, &out); err != nil {
			t.Fatalf("Unmarshal(%q): %v", text, err)
		}
		if out != in {
			t.Errorf("round trip of %q = %+v, want %+v", text, out, in)
		}

		// Dates are stored as sortable strings, "" when there is none.
		raw := bson.Raw(b)
		due, err := raw.LookupErr("deadline", "due")
		if err != nil {
			t.Fatalf("lookup deadline.due: %v", err)
		}
		s, ok := due.StringValueOK()
		if !ok {
			t.Fatalf("deadline.due stored as %v, want a string", due.Type)
		}
		if s != in.Deadline.Due.String() {
			t.Errorf("deadline.due stored as %q, want %q", s, in.Deadline.Due.String())
		}
	}
}

func TestDateBSONNullAndErrors(t *testing.T) {
	var d Date
	// A null or missing-as-null value decodes to the zero Date.
	doc, err := bson.Marshal(bson.D{{Key: "due", Value: nil}})
	if err != nil {
		t.Fatal(err)
	}
	var withNull struct {
		Due Date `bson:"due"`
	}
	withNull.Due = Date{2025, time.December, 31}
	if err := bson.Unmarshal(doc, &withNull); err != nil || !withNull.Due.IsZero() {
		t.Errorf("null due = %v, %v; want zero", withNull.Due, err)
	}

	for _, v := range []any{int32(20251231), "2025-02-30", "31/12/2025", true} {
		typ, data, err := bson.MarshalValue(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.UnmarshalBSONValue(byte(typ), data); err == nil {
			t.Errorf("UnmarshalBSONValue(%v) succeeded, want an error", v)
		}
	}
	// Truncated string data must be an error, not a panic.
	if err := d.UnmarshalBSONValue(byte(bson.TypeString), []byte{0xff, 0xff, 0xff, 0x7f, 'a'}); err == nil {
		t.Error("UnmarshalBSONValue(truncated) succeeded, want an error")
	}
	if err := d.UnmarshalBSONValue(byte(bson.TypeString), nil); err == nil {
		t.Error("UnmarshalBSONValue(nil) succeeded, want an error")
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"Trước \n31/12/2025":       "truoc 31/12/2025",
		"Hằng năm":                 "hang nam",
		"Hàng năm":                 "hang nam",
		"2026–\n2030":              "2026- 2030",
		"  ĐỀ ÁN\u00a0\u200b số  ": "de an so",
		"Quý IV/2026":              "quy iv/2026",
	}
	for in, want := range tests {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
		if got := fold(norm.NFD.String(in)); got != want {
			t.Errorf("fold(NFD %q) = %q, want %q", in, got, want)
		}
	}
}

func TestTrimDecor(t *testing.T) {
	tests := map[string]string{
		"(a).":        "a",
		"((a))":       "a",
		"(a) (b)":     "(a) (b)",
		"a (b).":      "a (b)",
		"a.,;":        "a",
		"()":          "",
		"(":           "(",
		"":            "",
		"x (y (z))":   "x (y (z))",
		"(x (y (z)))": "x (y (z))",
	}
	for in, want := range tests {
		if got := trimDecor(in); got != want {
			t.Errorf("trimDecor(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseKeepsTextVerbatim checks that nothing, not even surrounding space,
// is taken off Text.
func TestParseKeepsTextVerbatim(t *testing.T) {
	for _, text := range []string{"  Quý I/2026 \n", "\tlạ\t", strings.Repeat("x", 1000), "\xff\xfe"} {
		if got := Parse(text).Text; got != text {
			t.Errorf("Parse(%q).Text = %q", text, got)
		}
	}
}
