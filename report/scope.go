package report

import (
	"cmp"
	"math"
	"slices"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
)

// vnZone stands in for a nil Input.Loc: Vietnam keeps UTC+7 all year.
var vnZone = time.FixedZone("ICT", 7*60*60)

// scope is an Input narrowed by a Filter and indexed once.
type scope struct {
	in     *Input
	loc    *time.Location
	policy domain.Policy
	stale  int
	today  deadline.Date
	plans  []domain.Plan // in plan order
	tasks  []scopedTask  // in plan order, then table order
	// agencies are numbered: the Input's (the last entry of a key wins),
	// then a stand-in named by its key for each unknown key in scope.
	agencies []domain.Agency
	rank     []int32 // agency number -> place in name order (then key order)
	agency   *domain.Agency
	plan     *domain.Plan
	count    int // assignments in scope

	periodStart deadline.Date // first day of the current reporting period
	reportFrom  deadline.Date // first day of the latest period whose report is due (Policy.ReportFrom)
}

// scopedTask is one task in scope with its assignments in scope, leads first,
// each role by agency name.
type scopedTask struct {
	task *domain.Task
	plan int // index in scope.plans
	// due is the task's current date: its own (planned), or once a lead's
	// part was extended (gia hạn), the latest date of its leads (parts).
	due, planned deadline.Date
	as           []scopedAssignment
}

// scopedAssignment is an assignment in scope, judged on today, with what
// the roll-up reads of it copied beside: a task's assignments are spread
// over the input (it is ordered by agency as often as by task), so reading
// them through the pointer was a cache miss each at 100,000 assignments.
type scopedAssignment struct {
	a          *domain.Assignment
	reported   int64 // stamp of ReportedAt
	doneAt     int64 // stamp of doneAt(a), when done
	agency     int32 // number in scope.agencies
	rank       int32 // the agency's place in name order
	status     statusNo
	light      lightNo
	group      groupNo
	progress   int8 // clamped to 0..100
	lead       bool
	unreported bool
	waiting    bool
	extended   bool // its date was extended (gia hạn)
}

// newScope applies the Input's defaults, keeps what the Filter selects and
// indexes it.
func newScope(in Input, f Filter) *scope {
	s := &scope{in: &in, loc: in.Loc, policy: in.Policy, stale: in.StaleDays}
	if s.loc == nil {
		s.loc = vnZone
	}
	if s.policy == (domain.Policy{}) {
		s.policy = domain.DefaultPolicy
	}
	if s.stale <= 0 {
		s.stale = DefaultStaleDays
	}
	s.today = deadline.DateOf(in.Now.In(s.loc))
	s.periodStart = s.policy.PeriodStart(s.today)
	s.reportFrom = s.policy.ReportFrom(s.today)

	// Plans, ordered by Seq then key, once each.
	seen := make(map[string]bool, len(in.Plans))
	for _, p := range in.Plans {
		if seen[p.Key] || (f.PlanKey != "" && p.Key != f.PlanKey) {
			continue
		}
		seen[p.Key] = true
		s.plans = append(s.plans, p)
	}
	slices.SortStableFunc(s.plans, func(a, b domain.Plan) int {
		return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.Key, b.Key))
	})
	planIdx := make(map[string]int, len(s.plans))
	for i, p := range s.plans {
		planIdx[p.Key] = i
	}
	if f.PlanKey != "" && len(s.plans) == 1 {
		p := s.plans[0]
		s.plan = &p
	}

	agencyNo := make(map[string]int32, len(in.Agencies))
	s.agencies = make([]domain.Agency, 0, len(in.Agencies))
	for _, a := range in.Agencies {
		if n, dup := agencyNo[a.Key]; dup {
			s.agencies[n] = a
			continue
		}
		agencyNo[a.Key] = int32(len(s.agencies))
		s.agencies = append(s.agencies, a)
	}
	if n, ok := agencyNo[f.AgencyKey]; ok && f.AgencyKey != "" {
		a := s.agencies[n]
		s.agency = &a
	}

	// Tasks of the plans in scope, in plan then table order.
	for i := range in.Tasks {
		t := &in.Tasks[i]
		if pi, ok := planIdx[t.PlanKey]; ok {
			s.tasks = append(s.tasks, scopedTask{task: t, plan: pi, due: t.Due()})
		}
	}
	slices.SortStableFunc(s.tasks, func(a, b scopedTask) int {
		return cmp.Or(cmp.Compare(a.plan, b.plan), cmp.Compare(a.task.Seq, b.task.Seq), cmp.Compare(a.task.Code, b.task.Code))
	})
	taskNo := make(map[string]int32, len(s.tasks))
	for i := range s.tasks {
		if _, dup := taskNo[s.tasks[i].task.Code]; !dup {
			taskNo[s.tasks[i].task.Code] = int32(i)
		}
	}

	// Each assignment in scope (of those tasks, and of the filter's
	// agency) resolved to its task's and its agency's numbers and judged,
	// in one pass over the input (at 100,000 assignments it is larger than
	// the processor's caches: each pass over it is read from memory).
	judged := make([]scopedAssignment, 0, len(in.Assignments))
	taskOf := make([]int32, 0, len(in.Assignments))
	perTask := make([]int, len(s.tasks))
	var byTask, byAgency memo
	for i := range in.Assignments {
		a := &in.Assignments[i]
		if a.Withdrawn || (f.AgencyKey != "" && a.AgencyKey != f.AgencyKey) {
			continue
		}
		ti, ok := byTask.get(taskNo, a.TaskCode)
		if !ok {
			continue
		}
		an, known := byAgency.get(agencyNo, a.AgencyKey)
		if !known {
			an = int32(len(s.agencies))
			agencyNo[a.AgencyKey] = an
			s.agencies = append(s.agencies, domain.Agency{Key: a.AgencyKey, Name: a.AgencyKey})
			byAgency.n, byAgency.ok = an, true
		}
		waiting := in.Review[a.ID]
		if waiting && a.Status == domain.Done {
			// Reported done, not accepted yet: judged as still in progress
			// (the rule every view shares). Only these are copied: a copy
			// of every assignment was one allocation each.
			if j, w := domain.Judged(*a, waiting, in.ReviewRequired); w && j.Status != a.Status {
				a = &j
			}
		}
		x := scopedAssignment{
			a: a, reported: stamp(a.ReportedAt), agency: an, status: statusNoOf(a.Status),
			light: lightNoOf(s.policy.LightOf(*a, s.today, s.loc)), group: s.assignmentGroup(a), progress: int8(clamp(a.Progress)),
			lead: a.Role == domain.Lead, unreported: s.unreported(a), waiting: waiting, extended: in.Extended[a.ID] || a.Extended(),
		}
		if x.status == stDone {
			x.doneAt = stamp(doneAt(a))
		}
		judged = append(judged, x)
		taskOf = append(taskOf, ti)
		perTask[ti]++
	}
	s.count = len(judged)

	// Agencies by name, then key, ranked once.
	order := make([]int32, len(s.agencies))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		a, b := &s.agencies[x], &s.agencies[y]
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key))
	})
	s.rank = make([]int32, len(s.agencies))
	for r, n := range order {
		s.rank[n] = int32(r)
	}

	// Gathered by task in one backing array.
	backing := make([]scopedAssignment, s.count)
	for ti, n := range perTask {
		s.tasks[ti].as, backing = backing[:0:n], backing[n:]
	}
	for i, x := range judged {
		x.rank = s.rank[x.agency]
		t := &s.tasks[taskOf[i]]
		t.as = append(t.as, x)
	}
	if f.AgencyKey != "" {
		s.tasks = slices.DeleteFunc(s.tasks, func(t scopedTask) bool { return len(t.as) == 0 })
	}
	for i := range s.tasks {
		// Often in order already (the store's _id order, one agency per
		// task): checking costs one pass.
		if as := s.tasks[i].as; !slices.IsSortedFunc(as, compareScoped) {
			slices.SortFunc(as, compareScoped)
		}
		s.tasks[i].extendDue()
	}
	return s
}

// extendDue judges a task against its parts' current dates: once one of
// its basis (its leads, else all) was extended, the latest of their dates.
func (t *scopedTask) extendDue() {
	t.planned = t.due
	basis := t.as
	if n := leads(t.as); n > 0 {
		basis = t.as[:n]
	}
	if !slices.ContainsFunc(basis, func(x scopedAssignment) bool { return x.extended }) {
		return // the dates are read through the pointers only when needed
	}
	var latest deadline.Date
	for i := range basis {
		if d := basis[i].a.Due; d.After(latest) {
			latest = d
		}
	}
	if !latest.IsZero() {
		t.due = latest
	}
}

// compareScoped orders a task's assignments: leads first, then by agency
// name, then by id.
func compareScoped(x, y scopedAssignment) int {
	if x.lead != y.lead {
		if x.lead {
			return -1
		}
		return 1
	}
	if x.rank != y.rank {
		return cmp.Compare(x.rank, y.rank)
	}
	return cmp.Compare(x.a.ID, y.a.ID)
}

// compareAgencies orders agencies (by number) by name, then key.
func (s *scope) compareAgencies(a, b int32) int {
	return cmp.Compare(s.rank[a], s.rank[b])
}

// daysLeft is the number of days from today to due, 0 when due is zero.
func (s *scope) daysLeft(due deadline.Date) int {
	if due.IsZero() {
		return 0
	}
	return deadline.DaysBetween(s.today, due)
}

// rolled is a task's roll-up.
type rolled struct {
	status                        statusNo
	light                         lightNo
	progress                      int
	group                         groupNo
	unreported, waiting, extended bool
}

// rollup applies the package's roll-up rules to a task.
func (s *scope) rollup(t *scopedTask) rolled {
	basis := t.as
	if n := leads(t.as); n > 0 {
		basis = t.as[:n] // leads come first
	}
	if len(basis) == 0 {
		// A task nobody is assigned to: judged as if one agency had never
		// reported on it.
		a := domain.Assignment{State: domain.State{Status: domain.NotStarted}, Due: t.due}
		return rolled{status: stNotStarted, light: lightNoOf(s.policy.LightOf(a, s.today, s.loc)), group: s.openGroup(t.due), unreported: true}
	}
	var (
		r                    = rolled{light: green}
		done, blocked, moved int
		sum                  int
		lastDone             = int64(noStamp)
		lastDoneBy           *domain.Assignment // the one done last
		missed               bool               // an open one missed the last reporting period
	)
	for i := range basis {
		x := &basis[i]
		r.unreported = r.unreported || x.unreported
		r.waiting = r.waiting || x.waiting
		r.extended = r.extended || x.extended
		missed = missed || (x.group == late && x.status != stDone)
		r.light = max(r.light, x.light)
		switch x.status {
		case stDone:
			done++
			sum += 100
			if x.doneAt > lastDone {
				lastDone, lastDoneBy = x.doneAt, x.a
			}
		case stBlocked:
			blocked++
			sum += int(x.progress)
		default:
			if x.status == stInProgress || x.progress > 0 {
				moved++
			}
			sum += int(x.progress)
		}
	}
	n := len(basis)
	r.progress = (sum + n/2) / n
	// A block reported by any agency, coordinating ones included, needs
	// leadership's attention: the task is blocked (and red) until its leads
	// are done.
	for i := range t.as[len(basis):] {
		if t.as[len(basis)+i].status == stBlocked {
			blocked++
		}
	}
	switch {
	case done == n:
		r.status = stDone
	case blocked > 0:
		r.status = stBlocked
		r.light = red
	case done > 0 || moved > 0:
		r.status = stInProgress
	default:
		r.status = stNotStarted
	}
	if r.status != stDone {
		r.group = s.openGroup(t.due)
		if t.due.IsZero() && missed {
			r.group = late // judged per reporting period
		}
		return r
	}
	r.group = doneOnTime
	if !t.due.IsZero() && lastDoneBy != nil && t.due.Before(deadline.DateOf(doneAt(lastDoneBy).In(s.loc))) {
		r.group = doneLate
	}
	return r
}

// openGroup is the group of a task not done.
func (s *scope) openGroup(due deadline.Date) groupNo {
	if !due.IsZero() && due.Before(s.today) {
		return late
	}
	return onTrack
}

// leads counts the lead assignments at the front of as.
func leads(as []scopedAssignment) int {
	n := 0
	for n < len(as) && as[n].lead {
		n++
	}
	return n
}

func clamp(p int) int { return min(max(p, 0), 100) }

// noStamp is the stamp of the zero time, earlier than any other.
const noStamp = math.MinInt64

// stamp orders times as integers (UnixNano: years 1678 to 2262), the zero
// time first.
func stamp(t time.Time) int64 {
	if t.IsZero() {
		return noStamp
	}
	return t.UnixNano()
}

// assignmentView builds the view of one of t's assignments.
func (s *scope) assignmentView(t *scopedTask, x scopedAssignment) AssignmentView {
	return AssignmentView{
		Assignment: *x.a,
		Agency:     s.agencies[x.agency],
		Task:       *t.task,
		Plan:       s.plans[t.plan],
		Light:      x.light.light(),
		DaysLeft:   s.daysLeft(x.a.Due),
		Overdue:    domain.Overdue(*x.a, s.today),
		Group:      x.group.group(),
		Unreported: x.unreported,
		Waiting:    x.waiting,
		Extended:   x.extended,
		Evidence:   s.in.Evidence[x.a.ID],
		Files:      s.in.Files[x.a.ID],
	}
}

// view builds a task's view.
func (s *scope) view(t *scopedTask) TaskView {
	r := s.rollup(t)
	v := TaskView{
		Task:        *t.task,
		Plan:        s.plans[t.plan],
		Status:      statuses[r.status],
		Light:       r.light.light(),
		Progress:    r.progress,
		Due:         t.due,
		DueOriginal: t.planned,
		DaysLeft:    s.daysLeft(t.due),
		Group:       r.group.group(),

		Unreported: r.unreported,
		Waiting:    r.waiting,
		Extended:   r.extended,
	}
	n := leads(t.as)
	for i, x := range t.as {
		av := s.assignmentView(t, x)
		if i < n {
			v.Lead = append(v.Lead, av)
		} else {
			v.Coordinating = append(v.Coordinating, av)
		}
		// t.as is in a fixed order, so the first of equal times wins.
		if x.a.Note != "" && (v.LatestNote == "" || x.a.ReportedAt.After(v.LatestNoteAt)) {
			v.LatestNote, v.LatestNoteAt, v.LatestNoteBy = x.a.Note, x.a.ReportedAt, av.Agency.Name
		}
	}
	return v
}
