package scheduler

import (
	"fmt"
	"time"

	"agencybot/deadline"
	"agencybot/seeds"
)

// calendar knows the province's working days: Monday to Friday, except
// public holidays.
type calendar struct {
	holidays map[deadline.Date]bool
}

func newCalendar(holidays []deadline.Date) calendar {
	c := calendar{holidays: make(map[deadline.Date]bool, len(holidays))}
	for _, d := range holidays {
		c.holidays[d] = true
	}
	return c
}

// seedHolidays reads the holidays shipped in seeds/holidays.json.
func seedHolidays() ([]deadline.Date, error) {
	hs, err := seeds.Holidays()
	if err != nil {
		return nil, fmt.Errorf("read holidays: %w", err)
	}
	out := make([]deadline.Date, 0, len(hs))
	for _, h := range hs {
		d, err := deadline.ParseDate(h.Date)
		if err != nil {
			return nil, fmt.Errorf("holiday %q: %w", h.Date, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// working tells whether d is a working day.
func (c calendar) working(d deadline.Date) bool {
	switch d.In(time.UTC).Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !c.holidays[d]
}

// window is the range of trigger dates a run on day d covers: from the day
// after the previous working day up to d, so that reminders falling on a
// weekend or holiday come out on the next working day. A run on a day off
// covers nothing (ok false).
func (c calendar) window(d deadline.Date) (from, to deadline.Date, ok bool) {
	if !c.working(d) {
		return deadline.Date{}, deadline.Date{}, false
	}
	prev := d.AddDays(-1)
	// The longest break (Tết) is nine days; a month bounds any data error.
	for i := 0; i < 31 && !c.working(prev); i++ {
		prev = prev.AddDays(-1)
	}
	return prev.AddDays(1), d, true
}

// between tells whether from <= d <= to.
func between(d, from, to deadline.Date) bool { return !d.Before(from) && !d.After(to) }
