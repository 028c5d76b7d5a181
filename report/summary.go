package report

import (
	"cmp"
	"slices"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
)

// newCounts returns Counts with every status, light and group at zero.
func newCounts() Counts {
	c := Counts{
		ByStatus: make(map[domain.Status]int, len(domain.Statuses)),
		ByLight:  make(map[domain.Light]int, len(domain.Lights)),
		ByGroup:  make(map[Group]int, len(Groups)),
	}
	for _, st := range domain.Statuses {
		c.ByStatus[st] = 0
	}
	for _, l := range domain.Lights {
		c.ByLight[l] = 0
	}
	for _, g := range Groups {
		c.ByGroup[g] = 0
	}
	return c
}

func (c *Counts) add(r rolled) {
	c.Tasks++
	c.ByStatus[r.status]++
	c.ByLight[r.light]++
	c.ByGroup[r.group]++
	if r.unreported {
		c.Unreported++
	}
	if r.waiting {
		c.Waiting++
	}
	if r.extended {
		c.Extended++
	}
	c.progressSum += r.progress
	c.Progress = (c.progressSum + c.Tasks/2) / c.Tasks
}

// addAssignment counts one assignment as an item of its own.
func (c *Counts) addAssignment(x scopedAssignment) {
	p := clamp(x.a.Progress)
	if x.a.Status == domain.Done {
		p = 100
	}
	c.add(rolled{status: x.a.Status, light: x.light, progress: p, group: x.group, unreported: x.unreported, waiting: x.waiting, extended: x.extended})
}

// section returns the summary of t's section, adding it (in table order)
// the first time.
func (ps *PlanSummary) section(t *domain.Task) *SectionSummary {
	for i := range ps.Sections {
		if ps.Sections[i].Section == t.Section {
			return &ps.Sections[i]
		}
	}
	ps.Sections = append(ps.Sections, SectionSummary{Section: t.Section, Title: t.SectionTitle, Counts: newCounts()})
	return &ps.Sections[len(ps.Sections)-1]
}

// agencyTally is what Summarize gathers about one agency.
type agencyTally struct {
	key                       string
	red, yellow, green, total int
	open                      int
	last                      time.Time
	counts                    Counts
}

// Summarize counts the tasks in scope by status, light and group, in total,
// per plan and per section; lists the agencies with the most red assignments
// and the agencies gone silent.
//
// An agency is silent when it has at least one open assignment in scope and
// its latest report on any of its assignments in scope is missing or more
// than StaleDays calendar days (in Loc) before today.
func Summarize(in Input, f Filter) Summary { return New(in, f).Summary() }

// Rollup is the one roll-up of an Input under a Filter: built once by [New],
// read by every output (the chat summary, the digest, the chart, the
// exports), so their figures agree.
type Rollup struct {
	s   *scope
	sum *Summary
}

// New computes the roll-up of in narrowed by f. It is pure: it reads only
// in (assignments, the evidence folded from the updates, the clock).
func New(in Input, f Filter) *Rollup {
	r := &Rollup{s: newScope(in, f)}
	sum := r.s.summarize()
	r.sum = &sum
	return r
}

// Summary is the counts in total, per plan, section and agency.
func (r *Rollup) Summary() Summary { return *r.sum }

// EachTask calls fn with every task in scope, in plan order then table
// order, with its assignments; it stops when fn returns false. Views are
// built one at a time, so a caller that writes them out holds one at once.
func (r *Rollup) EachTask(fn func(TaskView) bool) {
	for i := range r.s.tasks {
		if !fn(r.s.view(&r.s.tasks[i])) {
			return
		}
	}
}

// Tasks returns every task in scope (see [Rollup.EachTask]).
func (r *Rollup) Tasks() []TaskView {
	out := make([]TaskView, 0, len(r.s.tasks))
	r.EachTask(func(v TaskView) bool { out = append(out, v); return true })
	return out
}

func (s *scope) summarize() Summary {
	sum := Summary{Today: s.today, Counts: newCounts(), Assignments: s.count, Agency: s.agency, Plan: s.plan}

	sum.Plans = make([]PlanSummary, len(s.plans))
	for i, p := range s.plans {
		sum.Plans[i] = PlanSummary{Plan: p, Counts: newCounts()}
	}
	tallies := map[string]*agencyTally{}
	for i := range s.tasks {
		t := &s.tasks[i]
		r := s.rollup(t)
		sum.add(r)
		ps := &sum.Plans[t.plan]
		ps.add(r)
		ps.section(t.task).add(r)

		for _, x := range t.as {
			tl := tallies[x.a.AgencyKey]
			if tl == nil {
				tl = &agencyTally{key: x.a.AgencyKey, counts: newCounts()}
				tallies[x.a.AgencyKey] = tl
			}
			tl.total++
			tl.counts.addAssignment(x)
			switch x.light {
			case domain.Red:
				tl.red++
			case domain.Yellow:
				tl.yellow++
			default:
				tl.green++
			}
			if x.a.Status != domain.Done {
				tl.open++
			}
			if x.a.ReportedAt.After(tl.last) {
				tl.last = x.a.ReportedAt
			}
		}
	}
	sum.Agencies = s.agencyCounts(tallies)
	sum.MostRed = s.mostRed(tallies)
	sum.Silent = s.silent(tallies)
	return sum
}

// agencyCounts lists every agency with assignments in scope: most red
// first, then most yellow, then by name.
func (s *scope) agencyCounts(tallies map[string]*agencyTally) []AgencyCount {
	out := make([]AgencyCount, 0, len(tallies))
	for _, tl := range tallies {
		out = append(out, AgencyCount{Agency: s.agencyOf(tl.key), Red: tl.red, Yellow: tl.yellow, Green: tl.green, Total: tl.total, Counts: tl.counts})
	}
	slices.SortFunc(out, func(a, b AgencyCount) int {
		return cmp.Or(cmp.Compare(b.Red, a.Red), cmp.Compare(b.Yellow, a.Yellow), s.compareAgencies(a.Agency.Key, b.Agency.Key))
	})
	return out
}

// mostRed lists the agencies with red assignments, most first, then by name,
// at most MaxMostRed.
func (s *scope) mostRed(tallies map[string]*agencyTally) []AgencyCount {
	var out []AgencyCount
	for _, tl := range tallies {
		if tl.red > 0 {
			out = append(out, AgencyCount{Agency: s.agencyOf(tl.key), Red: tl.red, Yellow: tl.yellow, Green: tl.green, Total: tl.total, Counts: tl.counts})
		}
	}
	slices.SortFunc(out, func(a, b AgencyCount) int {
		return cmp.Or(cmp.Compare(b.Red, a.Red), s.compareAgencies(a.Agency.Key, b.Agency.Key))
	})
	if len(out) > MaxMostRed {
		out = out[:MaxMostRed]
	}
	return out
}

// silent lists the agencies with open work and no report for more than
// StaleDays days: never reported first, then longest silent, then by name.
func (s *scope) silent(tallies map[string]*agencyTally) []AgencySilence {
	var out []AgencySilence
	for _, tl := range tallies {
		if tl.open == 0 {
			continue
		}
		days := 0
		if !tl.last.IsZero() {
			days = deadline.DaysBetween(deadline.DateOf(tl.last.In(s.loc)), s.today)
			if days <= s.stale {
				continue
			}
		}
		out = append(out, AgencySilence{Agency: s.agencyOf(tl.key), LastReport: tl.last, Days: days, Open: tl.open})
	}
	slices.SortFunc(out, func(a, b AgencySilence) int {
		never := func(x AgencySilence) int {
			if x.LastReport.IsZero() {
				return 0
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(never(a), never(b)),
			a.LastReport.Compare(b.LastReport),
			s.compareAgencies(a.Agency.Key, b.Agency.Key),
		)
	})
	return out
}
