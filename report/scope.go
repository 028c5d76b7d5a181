package report

import (
	"cmp"
	"slices"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
)

// vnZone stands in for a nil Input.Loc: Vietnam keeps UTC+7 all year.
var vnZone = time.FixedZone("ICT", 7*60*60)

// scope is an Input narrowed by a Filter and indexed once.
type scope struct {
	in       *Input
	loc      *time.Location
	policy   domain.Policy
	stale    int
	today    deadline.Date
	plans    []domain.Plan // in plan order
	tasks    []scopedTask  // in plan order, then table order
	agencies map[string]domain.Agency
	agency   *domain.Agency
	plan     *domain.Plan
	count    int            // assignments in scope
	rank     map[string]int // agency key -> place in name order (then key order)

	periodStart deadline.Date // first day of the current reporting period
}

// scopedTask is one task in scope with its assignments in scope, leads first,
// each role by agency name.
type scopedTask struct {
	task *domain.Task
	plan int // index in scope.plans
	due  deadline.Date
	as   []scopedAssignment
}

// scopedAssignment is an assignment in scope with its light on today.
type scopedAssignment struct {
	a          *domain.Assignment
	light      domain.Light
	group      Group
	unreported bool
	waiting    bool
	extended   bool
	rank       int // the agency's place in name order
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

	s.agencies = make(map[string]domain.Agency, len(in.Agencies))
	for _, a := range in.Agencies {
		s.agencies[a.Key] = a
	}
	if f.AgencyKey != "" {
		if a, ok := s.agencies[f.AgencyKey]; ok {
			s.agency = &a
		}
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
	taskIdx := make(map[string]int, len(s.tasks))
	for i := range s.tasks {
		if _, dup := taskIdx[s.tasks[i].task.Code]; !dup {
			taskIdx[s.tasks[i].task.Code] = i
		}
	}

	// Assignments of those tasks (and of the filter's agency), gathered in
	// one backing array.
	ofTask := make([]int, len(in.Assignments))
	perTask := make([]int, len(s.tasks))
	for i := range in.Assignments {
		a := &in.Assignments[i]
		ofTask[i] = -1
		if a.Withdrawn || (f.AgencyKey != "" && a.AgencyKey != f.AgencyKey) {
			continue
		}
		if ti, ok := taskIdx[a.TaskCode]; ok {
			ofTask[i] = ti
			perTask[ti]++
			s.count++
		}
	}
	backing := make([]scopedAssignment, s.count)
	for ti, n := range perTask {
		s.tasks[ti].as, backing = backing[:0:n], backing[n:]
	}
	used := map[string]bool{}
	for i, ti := range ofTask {
		if ti < 0 {
			continue
		}
		a := &in.Assignments[i]
		if in.ReviewRequired && in.Review[a.ID] && a.Status == domain.Done {
			// Reported done, not accepted yet: judged as still in progress.
			cp := *a
			cp.Status, cp.DoneAt = domain.InProgress, time.Time{}
			a = &cp
		}
		s.tasks[ti].as = append(s.tasks[ti].as, scopedAssignment{
			a: a, light: s.policy.LightOf(*a, s.today, s.loc), group: s.assignmentGroup(a),
			unreported: s.unreported(a), waiting: in.Review[a.ID], extended: in.Extended[a.ID],
		})
		used[a.AgencyKey] = true
	}
	if f.AgencyKey != "" {
		s.tasks = slices.DeleteFunc(s.tasks, func(t scopedTask) bool { return len(t.as) == 0 })
	}

	// Agencies by name, then key, ranked once.
	names := make([]domain.Agency, 0, len(s.agencies)+len(used))
	for _, a := range s.agencies {
		names = append(names, a)
	}
	for k := range used {
		if _, ok := s.agencies[k]; !ok {
			names = append(names, s.agencyOf(k))
		}
	}
	slices.SortFunc(names, func(a, b domain.Agency) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key)) })
	s.rank = make(map[string]int, len(names))
	for i, a := range names {
		s.rank[a.Key] = i
	}
	for i := range s.tasks {
		as := s.tasks[i].as
		for j := range as {
			as[j].rank = s.rank[as[j].a.AgencyKey]
		}
		slices.SortFunc(as, func(x, y scopedAssignment) int {
			return cmp.Or(cmp.Compare(roleRank(x.a.Role), roleRank(y.a.Role)), cmp.Compare(x.rank, y.rank), cmp.Compare(x.a.ID, y.a.ID))
		})
	}
	return s
}

// roleRank puts leads before everything else.
func roleRank(r domain.Role) int {
	if r == domain.Lead {
		return 0
	}
	return 1
}

// agencyOf is the agency with key, or a stand-in named by its key.
func (s *scope) agencyOf(key string) domain.Agency {
	if a, ok := s.agencies[key]; ok {
		return a
	}
	return domain.Agency{Key: key, Name: key}
}

// compareAgencies orders the agencies in scope by name, then key.
func (s *scope) compareAgencies(a, b string) int {
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
	status                        domain.Status
	light                         domain.Light
	progress                      int
	group                         Group
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
		return rolled{status: domain.NotStarted, light: s.policy.LightOf(a, s.today, s.loc), group: s.openGroup(t.due), unreported: true}
	}
	var (
		r                    = rolled{light: domain.Green}
		done, blocked, moved int
		sum                  int
		doneAt               time.Time
		missed               bool // an open one missed the last reporting period
	)
	for _, x := range basis {
		a := x.a
		r.unreported = r.unreported || x.unreported
		r.waiting = r.waiting || x.waiting
		r.extended = r.extended || x.extended
		missed = missed || (x.group == Late && a.Status != domain.Done)
		if x.light.Rank() > r.light.Rank() {
			r.light = x.light
		}
		switch a.Status {
		case domain.Done:
			done++
			sum += 100
			at := a.DoneAt
			if at.IsZero() {
				at = a.ReportedAt
			}
			if at.After(doneAt) {
				doneAt = at
			}
		case domain.Blocked:
			blocked++
			sum += clamp(a.Progress)
		default:
			if a.Status == domain.InProgress || a.Progress > 0 {
				moved++
			}
			sum += clamp(a.Progress)
		}
	}
	n := len(basis)
	r.progress = (sum + n/2) / n
	// A block reported by any agency, coordinating ones included, needs
	// leadership's attention: the task is blocked (and red) until its leads
	// are done.
	for _, x := range t.as[len(basis):] {
		if x.a.Status == domain.Blocked {
			blocked++
		}
	}
	if len(basis) == len(t.as) {
		blocked = 0
		for _, x := range basis {
			if x.a.Status == domain.Blocked {
				blocked++
			}
		}
	}
	switch {
	case done == n:
		r.status = domain.Done
	case blocked > 0:
		r.status = domain.Blocked
		r.light = domain.Red
	case done > 0 || moved > 0:
		r.status = domain.InProgress
	default:
		r.status = domain.NotStarted
	}
	if r.status != domain.Done {
		r.group = s.openGroup(t.due)
		if t.due.IsZero() && missed {
			r.group = Late // judged per reporting period
		}
		return r
	}
	r.group = DoneOnTime
	if !t.due.IsZero() && !doneAt.IsZero() && t.due.Before(deadline.DateOf(doneAt.In(s.loc))) {
		r.group = DoneLate
	}
	return r
}

// openGroup is the group of a task not done.
func (s *scope) openGroup(due deadline.Date) Group {
	if !due.IsZero() && due.Before(s.today) {
		return Late
	}
	return OnTrack
}

// leads counts the lead assignments at the front of as.
func leads(as []scopedAssignment) int {
	n := 0
	for n < len(as) && as[n].a.Role == domain.Lead {
		n++
	}
	return n
}

func clamp(p int) int { return min(max(p, 0), 100) }

// assignmentView builds the view of one of t's assignments.
func (s *scope) assignmentView(t *scopedTask, x scopedAssignment) AssignmentView {
	return AssignmentView{
		Assignment: *x.a,
		Agency:     s.agencyOf(x.a.AgencyKey),
		Task:       *t.task,
		Plan:       s.plans[t.plan],
		Light:      x.light,
		DaysLeft:   s.daysLeft(x.a.Due),
		Overdue:    domain.Overdue(*x.a, s.today),
		Group:      x.group,
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
		Task:     *t.task,
		Plan:     s.plans[t.plan],
		Status:   r.status,
		Light:    r.light,
		Progress: r.progress,
		Due:      t.due,
		DaysLeft: s.daysLeft(t.due),
		Group:    r.group,

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
