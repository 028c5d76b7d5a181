package domain

import (
	"testing"
	"time"

	"agencybot/deadline"
)

// Issue 23, point 4: a task is not yellow for "not reported in this
// period" before that period's report was due (REPORT_DAY of the period's
// last month); after the day it is. Far deadlines, monthly and quarterly.
func TestNotLateToReportBeforeTheReportDay(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	d := func(y int, m time.Month, day int) deadline.Date { return deadline.Date{Year: y, Month: m, Day: day} }
	at := func(x deadline.Date) time.Time { return time.Date(x.Year, x.Month, x.Day, 9, 0, 0, 0, loc) }
	far := Assignment{Due: d(2030, 12, 31), Kind: deadline.Fixed, State: State{Status: InProgress, Progress: 20}}
	monthly := DefaultPolicy.WithReportDay(20)
	quarterly := Policy{SoonDays: 7, Period: Quarterly, ReportDay: 20}
	for _, tc := range []struct {
		name     string
		p        Policy
		reported deadline.Date // zero: never
		today    deadline.Date
		want     Light
	}{
		{"2 Dec, reported in November: December's report is due on 20 Dec", monthly, d(2026, 11, 5), d(2026, 12, 2), Green},
		{"2 Dec, last report in October: November's was missed", monthly, d(2026, 10, 5), d(2026, 12, 2), Yellow},
		{"20 Dec, reported in November: December's is due today", monthly, d(2026, 11, 5), d(2026, 12, 20), Yellow},
		{"21 Dec, reported in December", monthly, d(2026, 12, 1), d(2026, 12, 21), Green},
		{"quarterly, 2 Dec, reported in August: Q4's report is due on 20 Dec", quarterly, d(2026, 8, 5), d(2026, 12, 2), Green},
		{"quarterly, 2 Dec, reported in June: Q3's was missed", quarterly, d(2026, 6, 5), d(2026, 12, 2), Yellow},
		{"quarterly, 20 Dec, reported in August", quarterly, d(2026, 8, 5), d(2026, 12, 20), Yellow},
		{"never reported", monthly, deadline.Date{}, d(2026, 12, 2), Yellow},
		{"no report day: from the period's first day (as before)", DefaultPolicy, d(2026, 11, 5), d(2026, 12, 2), Yellow},
	} {
		a := far
		if !tc.reported.IsZero() {
			a.ReportedAt = at(tc.reported)
		}
		if got := tc.p.LightOf(a, tc.today, loc); got != tc.want {
			t.Errorf("%s: %s, want %s (report expected from %v)", tc.name, got, tc.want, tc.p.ReportFrom(tc.today))
		}
	}
}
