package deadline

import (
	"testing"

	"golang.org/x/text/unicode/norm"
)

// newPlanCase is a phrase of the newer plans with the day of the year a
// yearly report is due (month, day; zero when none).
type newPlanCase struct {
	parseCase
	month, day int
}

// newPlanCases are the phrase families newer plans use beside those of the
// two seeds, in the spellings found in provincial plans and reporting rules
// ("định kỳ 6 tháng, hằng năm", "định kỳ hằng quý", "đột xuất").
var newPlanCaseList = []newPlanCase{
	// Half-years and the end of a year.
	{parseCase: parseCase{name: "first half", text: "6 tháng đầu năm 2027", kind: Fixed, due: "2027-06-30"}},
	{parseCase: parseCase{name: "first half zero", text: "06 tháng đầu năm 2027", kind: Fixed, due: "2027-06-30"}},
	{parseCase: parseCase{name: "second half", text: "6 tháng cuối năm 2027", kind: Fixed, due: "2027-12-31"}},
	{parseCase: parseCase{name: "first half words", text: "Nửa đầu năm 2027", kind: Fixed, due: "2027-06-30"}},
	{parseCase: parseCase{name: "within first half", text: "Trong 6 tháng đầu năm 2027", kind: Fixed, due: "2027-06-30"}},
	{parseCase: parseCase{name: "end of year", text: "Cuối năm 2027", kind: Fixed, due: "2027-12-31"}},
	{parseCase: parseCase{name: "until end of year", text: "Đến hết năm 2027", kind: Fixed, due: "2027-12-31"}},
	{parseCase: parseCase{name: "before end of year", text: "Trước cuối năm 2026", kind: Fixed, due: "2026-12-31"}},
	// Months and quarters in words and numbers.
	{parseCase: parseCase{name: "month words", text: "Tháng Mười hai năm 2026", kind: Fixed, due: "2026-12-31"}},
	{parseCase: parseCase{name: "month words eleven", text: "Trong tháng Mười một năm 2026", kind: Fixed, due: "2026-11-30"}},
	{parseCase: parseCase{name: "month words five", text: "Tháng năm năm 2026", kind: Fixed, due: "2026-05-31"}},
	{parseCase: parseCase{name: "month giêng", text: "Tháng Giêng năm 2027", kind: Fixed, due: "2027-01-31"}},
	{parseCase: parseCase{name: "month six words", text: "tháng sáu/2026", kind: Fixed, due: "2026-06-30"}},
	{parseCase: parseCase{name: "end of month", text: "Cuối tháng 6/2026", kind: Fixed, due: "2026-06-30"}},
	{parseCase: parseCase{name: "until end of month", text: "Đến hết tháng 02/2028", kind: Fixed, due: "2028-02-29"}},
	{parseCase: parseCase{name: "quarter words", text: "Quý Một năm 2026", kind: Fixed, due: "2026-03-31"}},
	{parseCase: parseCase{name: "quarter tư", text: "Trong quý tư năm 2026", kind: Fixed, due: "2026-12-31"}},
	{parseCase: parseCase{name: "end of quarter", text: "Cuối quý II/2026", kind: Fixed, due: "2026-06-30"}},
	{parseCase: parseCase{name: "quarter 3 number", text: "Quý 3 năm 2026", kind: Fixed, due: "2026-09-30"}},
	// Recurring reports.
	{parseCase: parseCase{name: "monthly", text: "Hằng tháng", kind: Recurring, rec: Monthly}},
	{parseCase: parseCase{name: "monthly hàng", text: "Báo cáo hàng tháng", kind: Recurring, rec: Monthly}},
	{parseCase: parseCase{name: "monthly định kỳ", text: "Định kỳ hằng tháng", kind: Recurring, rec: Monthly}},
	{parseCase: parseCase{name: "monthly per", text: "01 tháng/lần", kind: Recurring, rec: Monthly}},
	{parseCase: parseCase{name: "quarterly", text: "Hằng quý", kind: Recurring, rec: Quarterly}},
	{parseCase: parseCase{name: "quarterly định kỳ", text: "Định kỳ hằng quý", kind: Recurring, rec: Quarterly}},
	{parseCase: parseCase{name: "quarterly 3 months", text: "3 tháng/lần", kind: Recurring, rec: Quarterly}},
	{parseCase: parseCase{name: "semiannual", text: "6 tháng/lần", kind: Recurring, rec: Semiannual}},
	{parseCase: parseCase{name: "semiannual spaced", text: "06 tháng / lần", kind: Recurring, rec: Semiannual}},
	{parseCase: parseCase{name: "semiannual một lần", text: "6 tháng một lần", kind: Recurring, rec: Semiannual}},
	{parseCase: parseCase{name: "semiannual định kỳ", text: "Định kỳ 6 tháng", kind: Recurring, rec: Semiannual}},
	{parseCase: parseCase{name: "semiannual and yearly", text: "Định kỳ 6 tháng, hằng năm", kind: Recurring, rec: Semiannual}},
	{parseCase: parseCase{name: "semiannual report", text: "Báo cáo 6 tháng và năm", kind: Recurring, rec: Semiannual}},
	{parseCase: parseCase{name: "yearly", text: "Hằng năm", kind: Recurring, rec: Annual}},
	{parseCase: parseCase{name: "yearly month", text: "Tháng 11 hằng năm", kind: Recurring, rec: Annual}, month: 11, day: 30},
	{parseCase: parseCase{name: "yearly day", text: "Trước ngày 20/11 hằng năm", kind: Recurring, rec: Annual}, month: 11, day: 20},
	{parseCase: parseCase{name: "yearly day words", text: "Ngày 15 tháng 12 hằng năm", kind: Recurring, rec: Annual}, month: 12, day: 15},
	{parseCase: parseCase{name: "yearly day remark", text: "Hằng năm (trước ngày 15/12)", kind: Recurring, rec: Annual}, month: 12, day: 15},
	{parseCase: parseCase{name: "yearly day hàng", text: "trước 15/12 hàng năm", kind: Recurring, rec: Annual}, month: 12, day: 15},
	{parseCase: parseCase{name: "yearly impossible day", text: "Trước ngày 31/11 hằng năm", kind: Unparsed}},
	{parseCase: parseCase{name: "yearly 29 February", text: "Trước ngày 29/02 hằng năm", kind: Unparsed}},
	// Conditions.
	{parseCase: parseCase{name: "directed by", text: "Theo chỉ đạo của UBND tỉnh", kind: Conditional}},
	{parseCase: parseCase{name: "directed by Chairman", text: "Theo chỉ đạo của Chủ tịch UBND tỉnh", kind: Conditional}},
	{parseCase: parseCase{name: "after", text: "Sau khi Đề án được phê duyệt", kind: Conditional}},
	{parseCase: parseCase{name: "ad hoc", text: "Đột xuất theo yêu cầu", kind: Conditional}},
	{parseCase: parseCase{name: "by guidance", text: "Theo hướng dẫn của Bộ Khoa học và Công nghệ", kind: Conditional}},
	// Still unreadable: kept as written.
	{parseCase: parseCase{name: "half without year", text: "6 tháng đầu năm", kind: Unparsed}},
	{parseCase: parseCase{name: "month 13 words", text: "Tháng Mười ba năm 2026", kind: Unparsed}},
	{parseCase: parseCase{name: "quarter five words", text: "Quý năm năm 2026", kind: Unparsed}},
}

var newPlanCases = func() []parseCase {
	out := make([]parseCase, len(newPlanCaseList))
	for i, c := range newPlanCaseList {
		out[i] = c.parseCase
	}
	return out
}()

func TestParseNewPlanPhrases(t *testing.T) {
	for _, tc := range newPlanCaseList {
		for _, form := range []string{tc.text, norm.NFD.String(tc.text)} {
			t.Run(tc.name, func(t *testing.T) {
				checkParse(t, form, tc.parseCase)
				if got := Parse(form); got.Month != tc.month || got.Day != tc.day {
					t.Errorf("Parse(%q) day of year = %d/%d, want %d/%d", form, got.Day, got.Month, tc.day, tc.month)
				}
			})
		}
	}
}
