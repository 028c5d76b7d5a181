package store

import (
	"time"
	_ "time/tzdata" // the province's zone loads on any machine
)

// defaultZone is the zone "today" and due dates are judged in when the
// caller configured none: the province's, which is also TZ's default.
func defaultZone() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return l
}

// zone is the configured time zone (TZ).
func (s *Store) zone() *time.Location {
	if s.loc != nil {
		return s.loc
	}
	return defaultZone()
}
