package store

import (
	"time"
	_ "time/tzdata" // the province's zone loads on any machine
)

// locVN is the province's time zone: "today" and due dates are judged in it.
var locVN = func() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		return time.FixedZone("ICT", 7*3600)
	}
	return l
}()
