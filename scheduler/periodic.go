package scheduler

import (
	"fmt"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
)

// recurringPeriod tells whether day d is the day a monthly, quarterly or
// half-yearly report is asked for (the configured report day of the period's
// last month) and names the period ("m2026-05", "q2026-2", "h2026-1") and its
// first day.
func (s *Scheduler) recurringPeriod(r deadline.Recurrence, d deadline.Date) (string, deadline.Date, bool) {
	if d.Day != s.cfg.Reminders.ReportDay {
		return "", deadline.Date{}, false
	}
	switch r {
	case deadline.Monthly:
		return fmt.Sprintf("m%d-%02d", d.Year, int(d.Month)), deadline.Date{Year: d.Year, Month: d.Month, Day: 1}, true
	case deadline.Quarterly:
		if d.Month%3 != 0 {
			break
		}
		return fmt.Sprintf("q%d-%d", d.Year, (int(d.Month)-1)/3+1), deadline.Date{Year: d.Year, Month: d.Month - 2, Day: 1}, true
	case deadline.Semiannual:
		if d.Month%6 != 0 {
			break
		}
		return fmt.Sprintf("h%d-%d", d.Year, int(d.Month)/6), deadline.Date{Year: d.Year, Month: d.Month - 5, Day: 1}, true
	}
	return "", deadline.Date{}, false
}

// annualDayOf is the day of the year a task's yearly report is asked for: the
// day its deadline names ("Trước ngày 20/11 hằng năm"), else the configured
// ANNUAL_REPORT_DATE.
func (s *Scheduler) annualDayOf(t domain.Task) (time.Month, int) {
	if t.Deadline.Month != 0 && t.Deadline.Day != 0 {
		return time.Month(t.Deadline.Month), t.Deadline.Day
	}
	return s.annualMonth, s.annualDay
}
