package report

import (
	"time"

	"agencybot/deadline"
	"agencybot/domain"
)

// This file judges one assignment: its group, and whether it has reported
// in the current period. Tasks without a fixed date are judged per
// reporting period: such an assignment is overdue (group Late) when a whole
// reporting period has passed since it last reported (or since it was
// given, when it never did).

// doneAt is when an assignment was finished: DoneAt, or its last report for
// records older than DoneAt.
func doneAt(a *domain.Assignment) time.Time {
	if !a.DoneAt.IsZero() {
		return a.DoneAt
	}
	return a.ReportedAt
}

// assignmentGroup puts one assignment in one of the four groups.
func (s *scope) assignmentGroup(a *domain.Assignment) groupNo {
	if a.Status == domain.Done {
		if at := doneAt(a); !a.Due.IsZero() && !at.IsZero() && a.Due.Before(deadline.DateOf(at.In(s.loc))) {
			return doneLate
		}
		return doneOnTime
	}
	if !a.Due.IsZero() {
		return s.openGroup(a.Due)
	}
	if s.missedPeriod(a) {
		return late
	}
	return onTrack
}

// missedPeriod tells whether a recurring assignment (ongoing: every
// Policy.Period; annual: every year) let the whole previous period pass
// without a report. An assignment given during that period, or whose
// creation time is unknown, is not judged on it.
func (s *scope) missedPeriod(a *domain.Assignment) bool {
	if a.Kind != deadline.Recurring || a.CreatedAt.IsZero() {
		return false
	}
	cur := s.periodStart
	if a.Recurrence == deadline.Annual {
		cur = deadline.Date{Year: s.today.Year, Month: time.January, Day: 1}
	}
	prev := s.policy.PeriodStart(cur.AddDays(-1))
	if a.Recurrence == deadline.Annual {
		prev = deadline.Date{Year: cur.Year - 1, Month: time.January, Day: 1}
	}
	if deadline.DateOf(a.CreatedAt.In(s.loc)).After(prev) {
		return false
	}
	return a.ReportedAt.IsZero() || deadline.DateOf(a.ReportedAt.In(s.loc)).Before(prev)
}

// unreported tells whether an open assignment has not reported since the
// current reporting period began (the same test that makes a light yellow).
func (s *scope) unreported(a *domain.Assignment) bool {
	if a.Status == domain.Done {
		return false
	}
	return a.ReportedAt.IsZero() || deadline.DateOf(a.ReportedAt.In(s.loc)).Before(s.reportFrom)
}

// FoldUpdates adds the evidence files of updates to evidence (assignment id
// → count) and returns it; a nil map is made. Callers that stream the
// history call it once per batch.
func FoldUpdates(evidence map[string]int, updates ...domain.Update) map[string]int {
	if evidence == nil {
		evidence = map[string]int{}
	}
	for i := range updates {
		if updates[i].Kind == domain.AddEvidence && updates[i].Evidence != nil {
			evidence[updates[i].AssignmentID]++
		}
	}
	return evidence
}

// MaxFiles is how many evidence file names FoldFiles keeps per assignment:
// the report cites the first ones, and the count (FoldUpdates) says how many
// there are in all.
const MaxFiles = 5

// FoldFiles adds the names of the evidence files of updates to files
// (assignment id → names, in the order sent, at most MaxFiles each) and
// returns it; a nil map is made. A file sent without a name is not listed.
func FoldFiles(files map[string][]string, updates ...domain.Update) map[string][]string {
	if files == nil {
		files = map[string][]string{}
	}
	for i := range updates {
		u := &updates[i]
		if u.Kind != domain.AddEvidence || u.Evidence == nil || u.Evidence.Name == "" {
			continue
		}
		if names := files[u.AssignmentID]; len(names) < MaxFiles {
			files[u.AssignmentID] = append(names, u.Evidence.Name)
		}
	}
	return files
}

// FoldProof starts in's proof of the completions afresh — the evidence
// counts and the files' names — and returns the fold that adds an update of
// the history to it, for a store's EachUpdate (the report upward from the
// chat and from the command).
func (in *Input) FoldProof() func(domain.Update) error {
	in.Evidence, in.Files = map[string]int{}, map[string][]string{}
	return func(u domain.Update) error {
		FoldUpdates(in.Evidence, u)
		FoldFiles(in.Files, u)
		return nil
	}
}
