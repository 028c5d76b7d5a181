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

// agencyTally is what Summarize gathers about one agency.
type agencyTally struct {
	agency                    int32
	red, yellow, green, total int
	open                      int
	lastAt                    int64              // stamp of the latest ReportedAt
	lastBy                    *domain.Assignment // the one reported last
	last                      time.Time          // its ReportedAt (set by summarize)
	silentDays                int                // days since last, when silent
	counts                    tally
	counted                   Counts // counts, made once for both lists
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
	sum := Summary{Today: s.today, Assignments: s.count, Agency: s.agency, Plan: s.plan}

	// Tallies in arrays: the whole, each plan, each section (in table
	// order) and each agency (by number); Counts are made from them once.
	var all tally
	plans := make([]tally, len(s.plans))
	type section struct {
		plan   int
		task   *domain.Task
		counts tally
	}
	var sections []section
	secOf := make([]map[string]int, len(s.plans))
	agencies := make([]agencyTally, len(s.agencies))
	for i := range s.tasks {
		t := &s.tasks[i]
		r := s.rollup(t)
		all.add(r.status, "", r.light, r.group, r.progress, r.unreported, r.waiting, r.extended)
		plans[t.plan].add(r.status, "", r.light, r.group, r.progress, r.unreported, r.waiting, r.extended)
		if secOf[t.plan] == nil {
			secOf[t.plan] = map[string]int{}
		}
		si, ok := secOf[t.plan][t.task.Section]
		if !ok {
			si = len(sections)
			secOf[t.plan][t.task.Section] = si
			sections = append(sections, section{plan: t.plan, task: t.task})
		}
		sections[si].counts.add(r.status, "", r.light, r.group, r.progress, r.unreported, r.waiting, r.extended)

		for j := range t.as {
			x := &t.as[j]
			tl := &agencies[x.agency]
			if tl.total == 0 {
				tl.agency, tl.lastAt = x.agency, noStamp
			}
			tl.total++
			p := int(x.progress)
			if x.status == stDone {
				p = 100
			}
			var raw domain.Status
			if x.status == noStatus {
				raw = x.a.Status
			}
			tl.counts.add(x.status, raw, x.light, x.group, p, x.unreported, x.waiting, x.extended)
			switch x.light {
			case red:
				tl.red++
			case yellow:
				tl.yellow++
			default:
				tl.green++
			}
			if x.status != stDone {
				tl.open++
			}
			if x.reported > tl.lastAt {
				tl.lastAt, tl.lastBy = x.reported, x.a
			}
		}
	}
	sum.Counts = all.counts()
	sum.Plans = make([]PlanSummary, len(s.plans))
	for i, p := range s.plans {
		sum.Plans[i] = PlanSummary{Plan: p, Counts: plans[i].counts()}
	}
	for _, sec := range sections {
		ps := &sum.Plans[sec.plan]
		ps.Sections = append(ps.Sections, SectionSummary{Section: sec.task.Section, Title: sec.task.SectionTitle, Counts: sec.counts.counts()})
	}
	tallies := make([]*agencyTally, 0, len(agencies))
	for i := range agencies {
		if agencies[i].total > 0 {
			tallies = append(tallies, &agencies[i])
		}
	}
	for _, tl := range tallies {
		tl.counted = tl.counts.counts()
		if tl.lastBy != nil {
			tl.last = tl.lastBy.ReportedAt
		}
	}
	sum.Agencies = s.agencyCounts(tallies)
	sum.MostRed = s.mostRed(tallies)
	sum.Silent = s.silent(tallies)
	return sum
}

// agencyCount is a tally as the summary lists it.
func (s *scope) agencyCount(tl *agencyTally) AgencyCount {
	return AgencyCount{Agency: s.agencies[tl.agency], Red: tl.red, Yellow: tl.yellow, Green: tl.green, Total: tl.total, Counts: tl.counted}
}

// agencyCounts lists every agency with assignments in scope: most red
// first, then most yellow, then by name.
func (s *scope) agencyCounts(tallies []*agencyTally) []AgencyCount {
	sorted := slices.Clone(tallies)
	slices.SortFunc(sorted, func(a, b *agencyTally) int {
		return cmp.Or(cmp.Compare(b.red, a.red), cmp.Compare(b.yellow, a.yellow), s.compareAgencies(a.agency, b.agency))
	})
	out := make([]AgencyCount, len(sorted))
	for i, tl := range sorted {
		out[i] = s.agencyCount(tl)
	}
	return out
}

// mostRed lists the agencies with red assignments, most first, then by name,
// at most MaxMostRed.
func (s *scope) mostRed(tallies []*agencyTally) []AgencyCount {
	var reds []*agencyTally
	for _, tl := range tallies {
		if tl.red > 0 {
			reds = append(reds, tl)
		}
	}
	slices.SortFunc(reds, func(a, b *agencyTally) int {
		return cmp.Or(cmp.Compare(b.red, a.red), s.compareAgencies(a.agency, b.agency))
	})
	var out []AgencyCount
	for _, tl := range reds[:min(len(reds), MaxMostRed)] {
		out = append(out, s.agencyCount(tl))
	}
	return out
}

// silent lists the agencies with open work and no report for more than
// StaleDays days: never reported first, then longest silent, then by name.
func (s *scope) silent(tallies []*agencyTally) []AgencySilence {
	var quiet []*agencyTally
	for _, tl := range tallies {
		if tl.open == 0 {
			continue
		}
		d := 0
		if !tl.last.IsZero() {
			d = deadline.DaysBetween(deadline.DateOf(tl.last.In(s.loc)), s.today)
			if d <= s.stale {
				continue
			}
		}
		tl.silentDays = d
		quiet = append(quiet, tl)
	}
	slices.SortFunc(quiet, func(a, b *agencyTally) int {
		never := func(x *agencyTally) int {
			if x.last.IsZero() {
				return 0
			}
			return 1
		}
		return cmp.Or(
			cmp.Compare(never(a), never(b)),
			a.last.Compare(b.last),
			s.compareAgencies(a.agency, b.agency),
		)
	})
	var out []AgencySilence
	for _, tl := range quiet {
		out = append(out, AgencySilence{Agency: s.agencies[tl.agency], LastReport: tl.last, Days: tl.silentDays, Open: tl.open})
	}
	return out
}
