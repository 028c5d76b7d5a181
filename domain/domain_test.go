package domain

import (
	"strings"
	"testing"
	"time"

	"agencybot/deadline"
)

func TestCallbackRoundTripAndForgery(t *testing.T) {
	c := Callback{Verb: VerbStatus, Ref: RefOf(AssignmentID("26-IV.5", "so-nong-nghiep-va-moi-truong")), Arg: string(Blocked)}
	got, ok := ParseCallback(c.Encode())
	if !ok || got != c || len(c.Encode()) > 64 {
		t.Errorf("round trip: %+v %v (%d bytes)", got, ok, len(c.Encode()))
	}
	for _, bad := range []string{"", "x", "|a", "a|b|c|d", strings.Repeat("a|", 40)} {
		if _, ok := ParseCallback(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
	if RefOf("a/b") == RefOf("a/c") || len(RefOf("x")) != 12 {
		t.Error("refs")
	}
}

func TestLight(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	today := deadline.Date{Year: 2025, Month: 12, Day: 24}
	reported := time.Date(2025, 12, 2, 9, 0, 0, 0, loc)
	due := func(d int) deadline.Date { return today.AddDays(d) }
	cases := []struct {
		name string
		a    Assignment
		want Light
	}{
		{"done", Assignment{State: State{Status: Done}, Due: due(-30)}, Green},
		{"blocked", Assignment{State: State{Status: Blocked}, Due: due(60), ReportedAt: reported}, Red},
		{"overdue", Assignment{State: State{Status: InProgress}, Due: due(-1), ReportedAt: reported}, Red},
		{"due today", Assignment{State: State{Status: InProgress}, Due: due(0), ReportedAt: reported}, Yellow},
		{"due in 7", Assignment{State: State{Status: InProgress}, Due: due(7), ReportedAt: reported}, Yellow},
		{"due in 8, reported this month", Assignment{State: State{Status: InProgress}, Due: due(8), ReportedAt: reported}, Green},
		{"no report this month", Assignment{State: State{Status: InProgress}, Due: due(60), ReportedAt: reported.AddDate(0, -1, 0)}, Yellow},
		{"ongoing, never reported", Assignment{State: State{Status: NotStarted}}, Yellow},
	}
	for _, c := range cases {
		if got := DefaultPolicy.LightOf(c.a, today, loc); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	q := Policy{SoonDays: 7, Period: Quarterly}
	if q.PeriodStart(today) != (deadline.Date{Year: 2025, Month: 10, Day: 1}) {
		t.Error("quarter start")
	}
}
