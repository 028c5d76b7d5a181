package scheduler

import (
	"slices"
	"testing"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
)

// Each recurrence asks for its report on its own days through 2026: monthly
// on the report day of every month, quarterly of the quarter's last month,
// half-yearly in June and December, yearly on the day the deadline names
// (else on ANNUAL_REPORT_DATE); a report made within the period stops it.
func TestPeriodicReportsHonourEachRecurrence(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "REPORT_DAY", "20", "ANNUAL_REPORT_DATE", "12-15")
	periods := func(text string, reported time.Time) []string {
		t.Helper()
		dl := deadline.Parse(text)
		task := domain.Task{Code: "X-1", Deadline: dl}
		a := domain.Assignment{Kind: dl.Kind, Recurrence: dl.Recurrence, Due: dl.Due, ReportedAt: reported}
		var out []string
		for d := (deadline.Date{Year: 2026, Month: 1, Day: 1}); d.Year == 2026; d = d.AddDays(1) {
			if p, ok := e.s.periodic(a, task, d, d); ok {
				out = append(out, d.String()+" "+p)
			}
		}
		return out
	}
	cases := []struct {
		text string
		want []string
	}{
		{"Hằng tháng", []string{"2026-01-20 m2026-01", "2026-02-20 m2026-02", "2026-03-20 m2026-03", "2026-04-20 m2026-04",
			"2026-05-20 m2026-05", "2026-06-20 m2026-06", "2026-07-20 m2026-07", "2026-08-20 m2026-08",
			"2026-09-20 m2026-09", "2026-10-20 m2026-10", "2026-11-20 m2026-11", "2026-12-20 m2026-12"}},
		{"Hằng quý", []string{"2026-03-20 q2026-1", "2026-06-20 q2026-2", "2026-09-20 q2026-3", "2026-12-20 q2026-4"}},
		{"6 tháng/lần", []string{"2026-06-20 h2026-1", "2026-12-20 h2026-2"}},
		{"Hằng năm", []string{"2026-12-15 y2026"}},
		{"Trước ngày 20/11 hằng năm", []string{"2026-11-20 y2026"}},
		{"Tháng 3 hằng năm", []string{"2026-03-31 y2026"}},
	}
	for _, c := range cases {
		if got := periods(c.text, time.Time{}); !slices.Equal(got, c.want) {
			t.Errorf("%q asks on %v, want %v", c.text, got, c.want)
		}
	}
	// Reported on 2 June 2026 (07:00 in the province): the half-year report
	// of June is made, December's still asked for.
	reported := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	if got, want := periods("6 tháng/lần", reported), []string{"2026-12-20 h2026-2"}; !slices.Equal(got, want) {
		t.Errorf("reported in June: %v, want %v", got, want)
	}
	if got, want := periodLabel(i18n.VI, "h2026-1"), "6 tháng đầu năm 2026"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
	if got, want := periodLabel(i18n.EN, "h2026-2"), "second half of 2026"; got != want {
		t.Errorf("label %q, want %q", got, want)
	}
}
