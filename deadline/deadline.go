// Package deadline reads the free-text deadline column ("Thời gian hoàn
// thành") of a plan's task table.
//
// Parse never fails: a phrase it does not know comes back as Unparsed with the
// original text kept, so the task still loads and a coordinator can set the
// date by hand. Dates in the text are day/month/year.
package deadline

import (
	"regexp"
	"strconv"
	"time"
)

// Kind says what sort of deadline a cell states.
type Kind string

// The kinds of deadline.
const (
	Fixed       Kind = "fixed"       // a due date
	Recurring   Kind = "recurring"   // ongoing or annual, no fixed date
	Conditional Kind = "conditional" // when an outside event happens; none until a coordinator sets one
	None        Kind = "none"        // empty cell
	Unparsed    Kind = "unparsed"    // unknown phrase; text kept, task still loads
)

// Recurrence says how often a task is reported on when that is not simply
// once, by its due date.
type Recurrence string

// The recurrences.
const (
	NoRecurrence Recurrence = ""
	Ongoing      Recurrence = "ongoing"    // reported every reporting period
	Monthly      Recurrence = "monthly"    // one report a month ("Hằng tháng")
	Quarterly    Recurrence = "quarterly"  // one report a quarter ("Hằng quý")
	Semiannual   Recurrence = "semiannual" // one report every six months ("6 tháng/lần")
	Annual       Recurrence = "annual"     // one report a year
)

// Recurrences lists every recurrence but NoRecurrence.
func Recurrences() []Recurrence {
	return []Recurrence{Ongoing, Monthly, Quarterly, Semiannual, Annual}
}

// Deadline is a parsed deadline cell.
type Deadline struct {
	// Text is the cell exactly as given, not normalised.
	Text string `json:"text" bson:"text"`
	// Kind is what sort of deadline Text states.
	Kind Kind `json:"kind" bson:"kind"`
	// Due is the last day to finish; zero unless Kind is Fixed.
	Due Date `json:"due" bson:"due"`
	// From is the first day of a period ("2026 - 2030" gives 2026-01-01);
	// zero for anything but a period.
	From Date `json:"from" bson:"from"`
	// Recurrence is how often the task is reported on: Ongoing or Annual for
	// Recurring deadlines, Annual for a multi-year period, else NoRecurrence.
	Recurrence Recurrence `json:"recurrence" bson:"recurrence"`
	// Month and Day name the day of the year a yearly report is due ("Tháng
	// 11 hằng năm" gives month 11, day 30; "Trước ngày 20/11 hằng năm" gives
	// 11 and 20); both zero when the cell names no day.
	Month int `json:"month,omitempty" bson:"month,omitempty"`
	Day   int `json:"day,omitempty" bson:"day,omitempty"`
}

// Years outside this range are not taken as years.
const (
	minYear = 1900
	maxYear = 2200
)

// The patterns match text after fold and trimDecor: lower case, no
// diacritics, single spaces, '-' for every dash.
var (
	// A label in front of the phrase in prose: "Thời gian: 2026 - 2030".
	reLabel = regexp.MustCompile(`^thoi gian(?: hoan thanh)? ?: ?`)
	// "Trước 31/12/2025", "Trước ngày 15/01/2027", "Hoàn thành trước
	// 31/12/2025", "31/12/2025", "31.12.2025".
	reDate = regexp.MustCompile(`^(?:hoan thanh )?(?:(?:truoc|cham nhat(?: la)?|den|han(?: chot)?(?: la)?) )?(?:ngay )?` +
		`(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4})$`)
	// "Trước ngày 15 tháng 01 năm 2027".
	reDateWords = regexp.MustCompile(`^(?:hoan thanh )?(?:(?:truoc|cham nhat(?: la)?|den|han(?: chot)?(?: la)?) )?(?:ngay )?` +
		`(\d{1,2}) thang (\d{1,2}) nam (\d{4})$`)
	// "Trong tháng 12/2025", "tháng 12/2025", "Trong tháng 12 năm 2025".
	reMonth = regexp.MustCompile(`^(?:hoan thanh )?(?:trong )?thang (\d{1,2}) ?(?:[/.-] ?| nam )(\d{4})$`)
	// "Quý I/2026", "Quý 1/2026", "quý II năm 2026", "Trong Quý I/2026".
	reQuarter = regexp.MustCompile(`^(?:hoan thanh )?(?:trong )?quy (iv|iii|ii|i|[1-4]) ?(?:[/.-] ?| nam )(\d{4})$`)
	// "Năm 2026", "Trong năm 2026", "2026".
	reYear = regexp.MustCompile(`^(?:hoan thanh )?(?:(?:trong )?nam )?(\d{4})$`)
	// "2026 - 2030", "Giai đoạn 2026 - 2030", "Từ năm 2026 đến năm 2030".
	rePeriod = regexp.MustCompile(`^(?:hoan thanh )?(?:trong )?(?:giai doan |cac nam |nam )?(?:tu )?(?:nam )?` +
		`(\d{4}) ?(?:-|den(?: nam)?) ?(\d{4})$`)

	// "Khi …", "Ngay sau khi …", "Sau khi …", "Theo tiến độ …", "Theo thời
	// gian …": the date depends on something outside the plan.
	reConditional = regexp.MustCompile(`^(?:(?:ngay |chi )?(?:sau )?khi|neu|tuy (?:thuoc|theo)|dot xuat|theo (?:tien do|thoi gian|yeu cau|lo trinh|chi dao|de nghi|huong dan))\b`)
	// A remark that makes a date depend on something else.
	reConditionWord = regexp.MustCompile(`\b(?:khi|neu|tuy (?:thuoc|theo)|theo (?:tien do|thoi gian|yeu cau|lo trinh|chi dao|de nghi|huong dan))\b`)
	// "Thường xuyên", "Nhiệm vụ thường xuyên", "Thường xuyên (khi …)",
	// "Thường xuyên theo quy định hiện hành".
	reOngoing = regexp.MustCompile(`^(?:(?:nhiem vu|thuc hien|trien khai|duy tri) )?thuong xuyen\b`)
	// "Hàng năm", "Hằng năm", "Tổ chức hằng năm hoặc theo nhu cầu …".
	reAnnual = regexp.MustCompile(`^(?:(?:to chuc|thuc hien|trien khai|dinh ky|bao cao) )?(?:hang|moi) nam\b`)
)

// Parse reads one deadline cell. It never fails and never panics; Text is
// always text exactly as given.
//
// Recognised phrases (case, diacritics, NFC/NFD, line breaks, extra spaces,
// en/em dashes, a trailing full stop, wrapping parentheses and a leading
// "Thời gian:" label do not matter):
//
//	Trước [ngày] 31/12/2025, Hoàn thành trước 31/12/2025, 31/12/2025  Fixed, that day
//	[Trong] tháng 12/2025, Trong tháng 12 năm 2025                    Fixed, last day of the month
//	[Trong] Quý I/2026 … Quý IV/2026, Quý 1/2026, quý II năm 2026     Fixed, last day of the quarter
//	[Trong] năm 2026                                                   Fixed, 31 December
//	[Giai đoạn] 2026 - 2030                                            Fixed, Due 31/12/2030, From 1/1/2026, Annual
//	[Nhiệm vụ] thường xuyên …                                          Recurring, Ongoing
//	Hàng năm, Hằng năm, Tổ chức hằng năm …                             Recurring, Annual
//	Khi …, Sau khi …, Ngay sau khi …, Theo tiến độ …, Theo thời gian … Conditional
//	empty or white space                                               None
//
// A date phrase followed by a parenthesised remark ("2026 - 2030 (trọng tâm
// 2026 - 2027)") is read from the part before the remark, unless the remark
// makes it conditional ("khi", "nếu", "theo tiến độ" …), which leaves the
// cell Unparsed for a person to decide. Anything else, including impossible
// dates such as 31/02/2026, month 13 or Quý V, and years outside 1900–2200,
// is Unparsed.
func Parse(text string) Deadline {
	d := Deadline{Text: text, Kind: Unparsed}
	s := fold(text)
	if s == "" {
		d.Kind = None
		return d
	}
	s = trimDecor(reLabel.ReplaceAllLiteralString(trimDecor(s), ""))
	if fixed(&d, s) {
		return d
	}
	switch {
	case reConditional.MatchString(s):
		d.Kind = Conditional
	case reOngoing.MatchString(s):
		d.Kind, d.Recurrence = Recurring, Ongoing
	case recurring(&d, s):
	default:
		if head, remark, ok := splitRemark(s); ok && !reConditionWord.MatchString(remark) {
			fixed(&d, head)
		}
	}
	return d
}

// fixed fills d and reports true if s is one of the phrases with a due date.
func fixed(d *Deadline, s string) bool {
	var due, from Date
	var ok bool
	if m := reDate.FindStringSubmatch(s); m != nil {
		due, ok = day(m[3], m[2], m[1])
	} else if m := reDateWords.FindStringSubmatch(s); m != nil {
		due, ok = day(m[3], m[2], m[1])
	} else if m := reMonth.FindStringSubmatch(s); m != nil {
		due, ok = monthEnd(m[2], atoi(m[1]))
	} else if m := reQuarter.FindStringSubmatch(s); m != nil {
		due, ok = monthEnd(m[2], 3*quarters[m[1]])
	} else if m := reYear.FindStringSubmatch(s); m != nil {
		due, ok = monthEnd(m[1], 12)
	} else if due, ok = fixedMore(s); ok {
	} else if m := rePeriod.FindStringSubmatch(s); m != nil {
		from, ok = day(m[1], "1", "1")
		if ok {
			due, ok = monthEnd(m[2], 12)
		}
		ok = ok && !due.Before(from)
	}
	if !ok {
		return false
	}
	d.Kind, d.Due, d.From = Fixed, due, from
	if !from.IsZero() {
		d.Recurrence = Annual
	}
	return true
}

var quarters = map[string]int{"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}

// atoi converts a short run of ASCII digits (the patterns allow at most four).
func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// day returns the date year-month-dayOfMonth if it exists.
func day(year, month, dayOfMonth string) (Date, bool) {
	d := Date{Year: atoi(year), Month: time.Month(atoi(month)), Day: atoi(dayOfMonth)}
	if d.Year < minYear || d.Year > maxYear || !d.valid() {
		return Date{}, false
	}
	return d, true
}

// monthEnd returns the last day of month in year.
func monthEnd(year string, month int) (Date, bool) {
	y := atoi(year)
	if y < minYear || y > maxYear || month < 1 || month > 12 {
		return Date{}, false
	}
	last := time.Date(y, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return Date{Year: y, Month: time.Month(month), Day: last}, true
}
