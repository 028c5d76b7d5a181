// Package upward holds what the report upward (báo cáo, written by
// docxreport) and its Excel attachment (xlsxreport) share, so that both say
// the same thing the same way: the reporting period, the issuing body, how a
// plan is cited, a collective task in one line, and the files' names.
package upward

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/i18n"
)

// Kind is the kind of a reporting period.
type Kind string

// The kinds of reporting period.
const (
	Quarter Kind = "quarter" // quý
	Half    Kind = "half"    // 6 tháng
	Year    Kind = "year"    // năm
	Month   Kind = "month"   // tháng
	Range   Kind = "range"   // từ ngày … đến ngày …
)

// Period is the period a report covers: From and To, both included.
type Period struct {
	Kind     Kind
	Year     int
	N        int // the quarter (1–4), half (1–2) or month (1–12); 0 for a year or a range
	From, To deadline.Date
}

// ParsePeriod reads a period as the CLI writes it: "2026-Q4" (a quarter),
// "2026-H1" (a half-year), "2026" (a year) or "2026-11" (a month).
func ParsePeriod(s string) (Period, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	bad := fmt.Errorf("period %q: want a quarter (2026-Q4), a half-year (2026-H1), a year (2026) or a month (2026-11)", s)
	y, rest, _ := strings.Cut(s, "-")
	year, err := strconv.Atoi(y)
	if err != nil || len(y) != 4 || year < 2000 || year > 2100 {
		return Period{}, bad
	}
	switch {
	case rest == "":
		return YearOf(year), nil
	case len(rest) == 2 && rest[0] == 'Q' && rest[1] >= '1' && rest[1] <= '4':
		return QuarterOf(deadline.Date{Year: year, Month: time.Month(int(rest[1]-'0')*3 - 2), Day: 1}), nil
	case len(rest) == 2 && rest[0] == 'H' && (rest[1] == '1' || rest[1] == '2'):
		n := int(rest[1] - '0')
		return Period{Kind: Half, Year: year, N: n, From: deadline.Date{Year: year, Month: time.Month(6*n - 5), Day: 1},
			To: monthEnd(year, time.Month(6*n))}, nil
	}
	if m, err := strconv.Atoi(rest); err == nil && len(rest) == 2 && m >= 1 && m <= 12 {
		return Period{Kind: Month, Year: year, N: m, From: deadline.Date{Year: year, Month: time.Month(m), Day: 1}, To: monthEnd(year, time.Month(m))}, nil
	}
	return Period{}, bad
}

// RangeOf is the period from one day to another, both included.
func RangeOf(from, to deadline.Date) (Period, error) {
	if from.IsZero() || to.IsZero() || to.Before(from) {
		return Period{}, errors.New("the period's end is before its start")
	}
	return Period{Kind: Range, Year: from.Year, From: from, To: to}, nil
}

// QuarterOf is the quarter that contains d (the default period: the
// current quarter).
func QuarterOf(d deadline.Date) Period {
	q := (int(d.Month)-1)/3 + 1
	return Period{Kind: Quarter, Year: d.Year, N: q, From: deadline.Date{Year: d.Year, Month: time.Month(3*q - 2), Day: 1}, To: monthEnd(d.Year, time.Month(3*q))}
}

// YearOf is the calendar year y.
func YearOf(y int) Period {
	return Period{Kind: Year, Year: y, From: deadline.Date{Year: y, Month: time.January, Day: 1}, To: deadline.Date{Year: y, Month: time.December, Day: 31}}
}

// Next is the period after p, of the same kind (a range: as many days,
// starting the day after p ends). The report lists what falls due then.
func (p Period) Next() Period {
	switch p.Kind {
	case Quarter:
		return QuarterOf(p.To.AddDays(1))
	case Half:
		if p.N == 1 {
			n, _ := ParsePeriod(strconv.Itoa(p.Year) + "-H2")
			return n
		}
		n, _ := ParsePeriod(strconv.Itoa(p.Year+1) + "-H1")
		return n
	case Year:
		return YearOf(p.Year + 1)
	case Month:
		d := p.To.AddDays(1)
		n, _ := ParsePeriod(fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)))
		return n
	}
	days := deadline.DaysBetween(p.From, p.To)
	n, _ := RangeOf(p.To.AddDays(1), p.To.AddDays(1+days))
	return n
}

// Contains tells whether d falls in p.
func (p Period) Contains(d deadline.Date) bool {
	return !d.IsZero() && !d.Before(p.From) && !d.After(p.To)
}

// Label names p as a report's title does: "quý IV năm 2026", "6 tháng đầu
// năm 2026", "năm 2026", "tháng 11 năm 2026", "từ ngày 01/10/2026 đến ngày
// 15/12/2026" (English: "Q4 2026", …).
func (p Period) Label(l i18n.Lang) string {
	switch p.Kind {
	case Quarter:
		q := roman[p.N] // quý IV; Q4
		if l == i18n.EN {
			q = strconv.Itoa(p.N)
		}
		return i18n.T(l, "upward.period.quarter", q, p.Year)
	case Half:
		return i18n.T(l, "upward.period.half"+strconv.Itoa(p.N), p.Year)
	case Year:
		return i18n.T(l, "upward.period.year", p.Year)
	case Month:
		m := strconv.Itoa(p.N) // tháng 11; November
		if l == i18n.EN {
			m = time.Month(p.N).String()
		}
		return i18n.T(l, "upward.period.month", m, p.Year)
	}
	return i18n.T(l, "upward.period.range", i18n.Date(p.From), i18n.Date(p.To))
}

// Slug is p in a file name: "2026-q4", "2026-h1", "2026", "2026-11",
// "20261001-20261215".
func (p Period) Slug() string {
	switch p.Kind {
	case Quarter:
		return fmt.Sprintf("%d-q%d", p.Year, p.N)
	case Half:
		return fmt.Sprintf("%d-h%d", p.Year, p.N)
	case Year:
		return strconv.Itoa(p.Year)
	case Month:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	}
	compact := func(d deadline.Date) string { return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day) }
	return compact(p.From) + "-" + compact(p.To)
}

var roman = [...]string{"", "I", "II", "III", "IV"}

func monthEnd(y int, m time.Month) deadline.Date {
	return deadline.DateOf(time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC))
}
