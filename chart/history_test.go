package chart

import (
	"bytes"
	"image/png"
	"os"
	"reflect"
	"testing"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/testkit"
)

// The monthly figures from the history, on 15 March 2026 (pinned): a piece
// of work counts as done in a month when its state at the month's end (in
// the province's zone) is done, overdue when its fixed due date passed
// before that end and it was not done; the current month ends today.
func TestMonthlyFromHistory(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	now := testkit.Pinned(time.Date(2026, 3, 15, 10, 0, 0, 0, loc))()
	today := deadline.DateOf(now)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	date := func(y int, m time.Month, d int) deadline.Date { return deadline.Date{Year: y, Month: m, Day: d} }
	fixed := func(id string, created time.Time, due deadline.Date) domain.Assignment {
		return domain.Assignment{ID: id, CreatedAt: created, Kind: deadline.Fixed, Due: due}
	}
	up := func(id string, v int, when time.Time, st domain.Status) domain.Update {
		return domain.Update{ID: domain.UpdateID(id, v), AssignmentID: id, Version: v, At: when, After: domain.State{Status: st}}
	}
	as := []domain.Assignment{
		fixed("A", at(2026, 1, 5, 9, 0), date(2026, 1, 31)),                  // in progress in January, done in February
		fixed("B", at(2026, 1, 10, 9, 0), date(2026, 2, 15)),                 // never reported: overdue from February
		{ID: "C", CreatedAt: at(2026, 2, 1, 9, 0), Kind: deadline.Recurring}, // no due date: never overdue
		fixed("D", at(2026, 1, 1, 9, 0), date(2026, 3, 10)),                  // done 31/01 23:30, blocked 01/03 00:30 (local)
		{ID: "E", CreatedAt: at(2026, 1, 1, 9, 0), Kind: deadline.Fixed, Due: date(2026, 1, 2), Withdrawn: true},
		fixed("F", at(2026, 3, 14, 9, 0), date(2026, 3, 14)), // due yesterday: overdue in the month so far
	}
	ups := []domain.Update{
		up("A", 2, at(2026, 2, 10, 8, 0), domain.Done), up("A", 1, at(2026, 1, 20, 8, 0), domain.InProgress),
		up("C", 1, at(2026, 3, 1, 8, 0), domain.Done), up("C", 2, at(2026, 3, 5, 8, 0), domain.InProgress), // corrected
		up("D", 1, time.Date(2026, 1, 31, 16, 30, 0, 0, time.UTC), domain.Done),
		up("D", 2, time.Date(2026, 2, 28, 17, 30, 0, 0, time.UTC), domain.Blocked),
	}
	want := []Month{
		{Year: 2026, Month: time.January, Total: 3, Done: 1, Overdue: 0},
		{Year: 2026, Month: time.February, Total: 4, Done: 2, Overdue: 1},
		{Year: 2026, Month: time.March, Total: 5, Done: 1, Overdue: 3},
	}
	for _, c := range []struct {
		name   string
		months int
		want   []Month
	}{{"all", 0, want}, {"last two", 2, want[1:]}, {"more than there are", 24, want}} {
		if got := Monthly(as, ups, today, c.months, loc); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
	if got := Monthly(nil, nil, today, 0, loc); got != nil {
		t.Errorf("no pieces of work: %+v", got)
	}
}

// RenderMonthly writes a phone-wide PNG that is not blank, in both
// languages and with no months; with AGENCYBOT_CHART_OUT set it is saved.
func TestRenderMonthlyWritesAPNG(t *testing.T) {
	today := deadline.Date{Year: 2026, Month: 12, Day: 2}
	var ms []Month
	for i := range 12 {
		ms = append(ms, Month{Year: 2025 + (i+11)/12, Month: time.Month((i+11)%12 + 1), Total: 40, Done: 2 * i, Overdue: max(0, 8-i)})
	}
	for _, c := range []struct {
		name, lang string
		months     []Month
	}{{"monthly-vi", "vi", ms}, {"monthly-en", "en", ms}, {"monthly-one", "vi", ms[11:]}, {"monthly-none", "vi", nil}} {
		var buf bytes.Buffer
		if err := RenderMonthly(&buf, MonthlyFigures{Today: today, Scope: "Đoàn Thanh niên Cộng sản Hồ Chí Minh", Months: c.months}, c.lang); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		img, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", c.name, err)
		}
		if b := img.Bounds(); b.Dx() != 1080 || b.Dy() < 200 {
			t.Errorf("%s: %v, want 1080 px wide", c.name, b)
		}
		if n := notBlank(img); n < 2000 {
			t.Errorf("%s: only %d pixels drawn", c.name, n)
		}
		if dir := os.Getenv("AGENCYBOT_CHART_OUT"); dir != "" {
			if err := os.WriteFile(dir+"/chart-"+c.name+".png", buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
