package domain

import (
	"time"

	"agencybot/deadline"
)

// Light is the traffic light of an assignment or task, in the language of the
// national monitoring system ("xanh hóa").
type Light string

// The three lights.
const (
	Green  Light = "green"
	Yellow Light = "yellow"
	Red    Light = "red"
)

// Lights lists the lights from best to worst.
var Lights = []Light{Green, Yellow, Red}

// Rank orders lights from best (0) to worst (2).
func (l Light) Rank() int {
	switch l {
	case Red:
		return 2
	case Yellow:
		return 1
	}
	return 0
}

// Period is how often officers report on ongoing work.
type Period string

// The reporting periods.
const (
	Monthly   Period = "monthly"
	Quarterly Period = "quarterly"
)

// Policy holds the thresholds the light is computed with.
type Policy struct {
	SoonDays int    // due within this many days and not done: yellow
	Period   Period // a report is expected once per period
	// ReportDay is the day of the period's last month by which its report
	// is due (REPORT_DAY); before it, the report expected is the previous
	// period's. 0: from the period's first day.
	ReportDay int
}

// WithReportDay is p with its report due on day d of each period's last
// month (REPORT_DAY).
func (p Policy) WithReportDay(d int) Policy {
	p.ReportDay = d
	return p
}

// ReportFrom is the first day of the latest period whose report is due by
// today: the current one from its report day on, the previous one before.
// An assignment not reported since then is yellow: before the report day a
// task is not late to report.
func (p Policy) ReportFrom(today deadline.Date) deadline.Date {
	cur := p.PeriodStart(today)
	if p.ReportDay <= 0 {
		return cur
	}
	last := cur.Month
	if p.Period == Quarterly {
		last += 2
	}
	if due := (deadline.Date{Year: cur.Year, Month: last, Day: p.ReportDay}); !today.Before(due) {
		return cur
	}
	return p.PeriodStart(cur.AddDays(-1))
}

// PolicyFor is the policy configured as SOON_DAYS (7 when not above 0) and
// REPORT_PERIOD ("quarterly", else monthly).
func PolicyFor(soonDays int, period string) Policy {
	p := Policy{SoonDays: soonDays, Period: Monthly}
	if p.SoonDays <= 0 {
		p.SoonDays = DefaultPolicy.SoonDays
	}
	if period == string(Quarterly) {
		p.Period = Quarterly
	}
	return p
}

// DefaultPolicy is the policy used when none is configured.
var DefaultPolicy = Policy{SoonDays: 7, Period: Monthly}

// PeriodStart is the first day of the reporting period that contains day.
func (p Policy) PeriodStart(day deadline.Date) deadline.Date {
	m := day.Month
	if p.Period == Quarterly {
		m = time.Month((int(m)-1)/3*3 + 1)
	}
	return deadline.Date{Year: day.Year, Month: m, Day: 1}
}

// LightOf computes the light of an assignment on a given day (in the
// province's time zone): red when blocked or overdue; green when done;
// yellow when due soon or not reported in the current period; else green.
func (p Policy) LightOf(a Assignment, today deadline.Date, loc *time.Location) Light {
	if a.Done() {
		return Green
	}
	if a.Status == Blocked {
		return Red
	}
	if !a.Due.IsZero() {
		if a.Due.Before(today) {
			return Red
		}
		if deadline.DaysBetween(today, a.Due) <= p.SoonDays {
			return Yellow
		}
	}
	if a.ReportedAt.IsZero() || deadline.DateOf(a.ReportedAt.In(loc)).Before(p.ReportFrom(today)) {
		return Yellow
	}
	return Green
}

// Overdue tells whether the assignment is past its due date and not done.
func Overdue(a Assignment, today deadline.Date) bool {
	return !a.Done() && !a.Due.IsZero() && a.Due.Before(today)
}
