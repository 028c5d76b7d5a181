package domain

import "time"

// Judged is how every view — the officer's card, /summary, /task, the chart
// and the Excel — judges an assignment whose completion may wait for a
// coordinator's review (issue 20), so that they all show the same state:
// waiting is true when it is reported done and its completion waits
// (inReview: it has a waiting review); while it waits and review is
// required, it counts as in progress, with no completion date, so its light
// and group are those of an open assignment (red once overdue). Any other
// assignment is returned as it is.
func Judged(a Assignment, inReview, required bool) (judged Assignment, waiting bool) {
	if !inReview || a.Status != Done {
		return a, false
	}
	if required {
		a.Status, a.DoneAt = InProgress, time.Time{}
	}
	return a, true
}
