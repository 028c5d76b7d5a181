package deadline

import (
	"regexp"
	"time"
)

// The phrases of newer plans: half-years, the end of a year, months and
// quarters written in words, and recurring reports. Patterns, like those in
// deadline.go, are written for text after fold and trimDecor.
var (
	// "6 tháng đầu năm 2027", "06 tháng cuối năm 2027", "Nửa đầu năm 2027".
	reHalf = regexp.MustCompile(`^(?:hoan thanh )?(?:trong |den het |truoc het )?(?:0?6 thang|nua) (dau|cuoi) (?:nam ?)?(?:/ ?)?(\d{4})$`)
	// "Cuối năm 2027", "Đến hết năm 2027", "Trước cuối năm 2027".
	reYearEnd = regexp.MustCompile(`^(?:hoan thanh )?(?:vao |truoc |den |trong )?(?:cuoi|het|het nam|cuoi nam) ?(?:nam )?(\d{4})$`)
	// "Tháng Mười hai năm 2026", "Cuối tháng 6/2026", "Đến hết tháng 12/2026",
	// "Trong tháng Giêng năm 2027".
	reMonthMore = regexp.MustCompile(`^(?:hoan thanh )?(?:trong |cuoi |vao |den het |den cuoi |truoc het |truoc cuoi )?thang ` +
		`(\d{1,2}|muoi mot|muoi hai|muoi|mot|gieng|hai|ba|bon|tu|nam|sau|bay|tam|chin|chap) ?(?:[/.-] ?| nam )(\d{4})$`)
	// "Quý Một năm 2026", "Cuối quý II/2026", "Trong quý tư năm 2026".
	reQuarterMore = regexp.MustCompile(`^(?:hoan thanh )?(?:trong |cuoi |vao |den het |den cuoi |truoc het |truoc cuoi )?quy ` +
		`(iv|iii|ii|i|[1-4]|mot|hai|ba|bon|tu) ?(?:[/.-] ?| nam )(\d{4})$`)

	// Recurring reports. The leading words ("Báo cáo", "Định kỳ", "Thực
	// hiện" …) may come in any number.
	lead = `^(?:(?:bao cao|dinh ky|thuc hien|to chuc|trien khai|gui bao cao|cap nhat) )*`
	// "Hằng tháng", "Định kỳ hằng tháng", "Mỗi tháng", "01 tháng/lần".
	reMonthly = regexp.MustCompile(lead + `(?:(?:hang|moi) thang\b|0?1 thang ?(?:/ ?|mot )lan\b|thang ?/ ?lan\b)`)
	// "Hằng quý", "Định kỳ hằng quý", "Mỗi quý", "3 tháng/lần", "Quý/lần".
	reQuarterly = regexp.MustCompile(lead + `(?:(?:hang|moi) quy\b|dinh ky quy\b|0?3 thang ?(?:/ ?|mot )lan\b|quy ?/ ?lan\b)`)
	// "6 tháng/lần", "Định kỳ 6 tháng", "Định kỳ 6 tháng, hằng năm", "Mỗi 6
	// tháng", "Hằng 6 tháng", "6 tháng một lần", "Báo cáo 6 tháng và năm".
	reSemiannual = regexp.MustCompile(lead + `(?:(?:hang |moi )?0?6 thang ?(?:/ ?|mot )lan\b|(?:hang|moi) 0?6 thang\b|(?:dinh ky )?0?6 thang(?: ?,| va| hoac)? (?:hang |ca )?nam\b)` +
		`|^dinh ky 0?6 thang\b`)
	// "Hằng năm (trước ngày 15/12)": a day of the year anywhere in the rest.
	reYearDay = regexp.MustCompile(`(?:truoc |den |vao |cham nhat )?(?:ngay )?(\d{1,2}) ?/ ?(\d{1,2})\b(?: ?/ ?\d)?`)
	// "Tháng 11 hằng năm", "Trước ngày 20/11 hằng năm", "Ngày 20 tháng 11
	// hằng năm", "Trong tháng 11 hằng năm".
	reAnnualDay = regexp.MustCompile(`^(?:(?:bao cao|dinh ky|thuc hien|to chuc) )*(?:truoc |trong |vao |den |cham nhat |cuoi )?` +
		`(?:ngay (\d{1,2}) ?(?:/ ?| thang )(\d{1,2})|(\d{1,2}) ?/ ?(\d{1,2})|thang (\d{1,2})) (?:cua )?(?:hang|moi|cac) nam\b`)
)

// monthWords are the month and quarter numbers written in words.
var monthWords = map[string]int{
	"mot": 1, "gieng": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7,
	"tam": 8, "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12,
}

// number reads a month or quarter number written in digits, Roman numerals
// or words; -1 when it is none.
func number(s string) int {
	if n, ok := quarters[s]; ok && s != "1" && s != "2" && s != "3" && s != "4" {
		return n
	}
	if n, ok := monthWords[s]; ok {
		return n
	}
	return atoi(s)
}

// fixedMore reads the newer fixed phrases: half-years, the end of a year,
// months and quarters in words.
func fixedMore(s string) (Date, bool) {
	if m := reHalf.FindStringSubmatch(s); m != nil {
		if m[1] == "dau" {
			return monthEnd(m[2], 6)
		}
		return monthEnd(m[2], 12)
	}
	if m := reYearEnd.FindStringSubmatch(s); m != nil {
		return monthEnd(m[1], 12)
	}
	if m := reMonthMore.FindStringSubmatch(s); m != nil {
		return monthEnd(m[2], number(m[1]))
	}
	if m := reQuarterMore.FindStringSubmatch(s); m != nil {
		q := number(m[1])
		if q < 1 || q > 4 {
			return Date{}, false
		}
		return monthEnd(m[2], 3*q)
	}
	return Date{}, false
}

// recurring fills d and reports true if s states a recurring report: monthly,
// quarterly, half-yearly or yearly, the last with or without a day.
func recurring(d *Deadline, s string) bool {
	switch {
	case reSemiannual.MatchString(s):
		d.Kind, d.Recurrence = Recurring, Semiannual
	case reQuarterly.MatchString(s):
		d.Kind, d.Recurrence = Recurring, Quarterly
	case reMonthly.MatchString(s):
		d.Kind, d.Recurrence = Recurring, Monthly
	case reAnnualDay.MatchString(s):
		m := reAnnualDay.FindStringSubmatch(s)
		var month, day int
		switch {
		case m[1] != "":
			day, month = atoi(m[1]), atoi(m[2])
		case m[3] != "":
			day, month = atoi(m[3]), atoi(m[4])
		default:
			month = atoi(m[5])
			if month >= 1 && month <= 12 {
				day = time.Date(2023, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
			}
		}
		if !validYearDay(month, day) {
			return false
		}
		d.Kind, d.Recurrence, d.Month, d.Day = Recurring, Annual, month, day
	case reAnnual.MatchString(s):
		d.Kind, d.Recurrence = Recurring, Annual
		// "Hằng năm (trước ngày 15/12)", "Hằng năm, trước ngày 15/12".
		rest := reAnnual.ReplaceAllLiteralString(s, "")
		if m := reYearDay.FindStringSubmatch(rest); m != nil && !endsWithYear(m[0]) && validYearDay(atoi(m[2]), atoi(m[1])) {
			d.Month, d.Day = atoi(m[2]), atoi(m[1])
		}
	default:
		return false
	}
	return true
}

// endsWithYear tells whether a day match runs on into a year ("15/12/2026"),
// which makes it a date, not a day of every year.
func endsWithYear(s string) bool {
	n := len(s)
	return n >= 2 && s[n-1] >= '0' && s[n-1] <= '9' && (s[n-2] == '/' || s[n-2] == ' ')
}

// validYearDay tells whether month/day exists in every year (29 February
// does not).
func validYearDay(month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	return day <= time.Date(2023, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
