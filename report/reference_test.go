package report_test

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
	"agencybot/report/reporttest"
)

// The roll-up resolves agency keys and task codes to small integers once and
// counts in arrays; this test compares what it gives with a reference written
// the plain way (string-keyed maps, the rules as the package documentation
// states them) on a generated province roughened with what real data has:
// coordinating agencies (some blocked), withdrawn assignments, an agency
// missing from the registry, two agencies of one name, one listed twice, a malformed status,
// ongoing and annual tasks, a due date set by hand, a task nobody is given, a
// plan out of scope, completions waiting for review, evidence, and the
// assignments in no particular order.
func TestRollupMatchesReference(t *testing.T) {
	in := roughProvince()
	filters := []report.Filter{
		{}, {AgencyKey: "xa-0003"}, {PlanKey: "kh-2026"}, {AgencyKey: "xa-0017", PlanKey: "kh-2025"},
		{AgencyKey: "xa-ghost"}, {AgencyKey: "nobody"}, {PlanKey: "kh-2024"},
	}
	for _, required := range []bool{false, true} {
		in.ReviewRequired = required
		for _, f := range filters {
			name := fmt.Sprintf("review required %v, filter %+v", required, f)
			got, want := report.Summarize(in, f), refSummarize(in, f)
			if got.Assignments == 0 && f.AgencyKey != "nobody" && f.PlanKey != "kh-2024" {
				t.Fatalf("%s: nothing rolled up; the fixture is wrong", name)
			}
			if d := diffSummary(got, want); d != "" {
				t.Errorf("%s: %s", name, d)
			}
			gotTasks, wantTasks := taskLines(report.Tasks(in, f)), refTasks(in, f)
			if !reflect.DeepEqual(gotTasks, wantTasks) {
				for i := range max(len(gotTasks), len(wantTasks)) {
					var g, w taskLine
					if i < len(gotTasks) {
						g = gotTasks[i]
					}
					if i < len(wantTasks) {
						w = wantTasks[i]
					}
					if !reflect.DeepEqual(g, w) {
						t.Errorf("%s: task %d:\n got %+v\nwant %+v", name, i, g, w)
						break
					}
				}
			}
		}
	}
}

// roughProvince is reporttest.Province (40 agencies × 100 tasks) made untidy.
func roughProvince() report.Input {
	now := time.Date(2026, 6, 15, 8, 0, 0, 0, time.FixedZone("ICT", 7*60*60))
	in := reporttest.Province(40, now, now.Location())
	in.Policy = domain.Policy{SoonDays: 7, Period: domain.Monthly}
	// Tasks: every 6th ongoing, every 9th annual, one with a date set by
	// hand, one nobody is given, one of a plan out of scope.
	for i := range in.Tasks {
		tk := &in.Tasks[i]
		switch {
		case i%6 == 0:
			tk.Deadline = deadline.Deadline{Text: "Thường xuyên", Kind: deadline.Recurring, Recurrence: deadline.Ongoing}
		case i%9 == 0:
			tk.Deadline = deadline.Deadline{Text: "Hằng năm", Kind: deadline.Recurring, Recurrence: deadline.Annual}
		case i == 13:
			tk.DueSet = deadline.DateOf(now).AddDays(3)
		}
	}
	in.Tasks = append(in.Tasks,
		domain.Task{Code: "26-V.99", PlanKey: "kh-2026", Section: "V", SectionTitle: "Phần V", Number: "V.99", Title: "Nhiệm vụ mới", Seq: 99},
		domain.Task{Code: "24-I.1", PlanKey: "kh-2024", Section: "I", Number: "I.1", Title: "Kế hoạch cũ", Seq: 0})
	due := map[string]domain.Task{}
	for _, tk := range in.Tasks {
		due[tk.Code] = tk
	}
	statuses := []domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked}
	in.Review, in.Evidence = map[string]bool{}, map[string]int{}
	for i := range in.Assignments {
		a := &in.Assignments[i]
		tk := due[a.TaskCode]
		a.Due, a.Kind, a.Recurrence = tk.Due(), tk.Deadline.Kind, tk.Deadline.Recurrence
		if i%7 == 3 {
			a.Role = domain.Coordinating
			a.Status = statuses[(i/7)%4]
		}
		if i%11 == 5 {
			a.Withdrawn = true
		}
		if i%13 == 1 {
			a.CreatedAt = time.Time{}
		}
		if i%17 == 2 {
			a.ReportedAt, a.Note = time.Time{}, ""
		}
		if i%19 == 4 && a.Status == domain.Done {
			a.DoneAt = time.Time{} // an old record: done when last reported
		}
		if i%23 == 6 {
			in.Review[a.ID] = true
		}
		if i%5 == 1 {
			in.Evidence[a.ID] = i % 3
		}
		if i == 101 {
			a.Status = "" // malformed: counted under its own (empty) status
		}
	}
	// An agency missing from the registry, leading a few tasks.
	for ti := 0; ti < 100; ti += 10 {
		tk := in.Tasks[ti]
		id := domain.AssignmentID(tk.Code, "xa-ghost")
		in.Assignments = append(in.Assignments, domain.Assignment{ID: id, TaskCode: tk.Code, PlanKey: tk.PlanKey, AgencyKey: "xa-ghost", Role: domain.Lead,
			State: domain.State{Status: statuses[ti%4], Progress: ti}, Due: tk.Due(), Kind: tk.Deadline.Kind, Recurrence: tk.Deadline.Recurrence,
			CreatedAt: now.AddDate(-1, 0, 0), ReportedAt: now.AddDate(0, 0, -ti)})
	}
	// Two agencies of one name: ordered by key. One key listed twice: the
	// later entry wins.
	in.Agencies[5].Name = in.Agencies[4].Name
	in.Agencies = append(in.Agencies, domain.Agency{Key: in.Agencies[7].Key, Name: "Phường Mới", Kind: "ward"})
	// In no particular order (a fixed permutation).
	n := len(in.Assignments)
	perm := make([]domain.Assignment, n)
	for i := range in.Assignments {
		perm[(i*7919)%n] = in.Assignments[i]
	}
	if n%7919 == 0 {
		panic("the permutation is not one")
	}
	in.Assignments = perm
	return in
}

// --- the reference -------------------------------------------------------

type refAssignment struct {
	a          domain.Assignment
	agency     domain.Agency
	light      domain.Light
	group      report.Group
	unreported bool
	waiting    bool
}

type refTask struct {
	task domain.Task
	plan domain.Plan
	due  deadline.Date
	as   []refAssignment // leads first, then by agency name, key, id
}

type refWorld struct {
	in          report.Input
	loc         *time.Location
	policy      domain.Policy
	today       deadline.Date
	periodStart deadline.Date
	agencies    map[string]domain.Agency
	tasks       []refTask
	count       int
}

func newRef(in report.Input, f report.Filter) *refWorld {
	w := &refWorld{in: in, loc: in.Loc, policy: in.Policy, agencies: map[string]domain.Agency{}}
	if w.loc == nil {
		w.loc = time.FixedZone("ICT", 7*60*60)
	}
	if w.policy == (domain.Policy{}) {
		w.policy = domain.DefaultPolicy
	}
	w.today = deadline.DateOf(in.Now.In(w.loc))
	w.periodStart = w.policy.PeriodStart(w.today)
	for _, a := range in.Agencies {
		w.agencies[a.Key] = a
	}
	var plans []domain.Plan
	for _, p := range in.Plans {
		if f.PlanKey == "" || p.Key == f.PlanKey {
			plans = append(plans, p)
		}
	}
	slices.SortStableFunc(plans, func(a, b domain.Plan) int { return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.Key, b.Key)) })
	for _, p := range plans {
		var ts []refTask
		for _, tk := range in.Tasks {
			if tk.PlanKey == p.Key {
				ts = append(ts, refTask{task: tk, plan: p, due: tk.Due()})
			}
		}
		slices.SortStableFunc(ts, func(a, b refTask) int {
			return cmp.Or(cmp.Compare(a.task.Seq, b.task.Seq), cmp.Compare(a.task.Code, b.task.Code))
		})
		w.tasks = append(w.tasks, ts...)
	}
	for i := range w.tasks {
		t := &w.tasks[i]
		for _, a := range in.Assignments {
			if a.TaskCode != t.task.Code || a.Withdrawn || (f.AgencyKey != "" && a.AgencyKey != f.AgencyKey) {
				continue
			}
			if in.ReviewRequired && in.Review[a.ID] && a.Status == domain.Done {
				a.Status, a.DoneAt = domain.InProgress, time.Time{}
			}
			ag, ok := w.agencies[a.AgencyKey]
			if !ok {
				ag = domain.Agency{Key: a.AgencyKey, Name: a.AgencyKey}
			}
			t.as = append(t.as, refAssignment{a: a, agency: ag, light: w.policy.LightOf(a, w.today, w.loc), group: w.group(a),
				unreported: a.Status != domain.Done && (a.ReportedAt.IsZero() || w.dateOf(a.ReportedAt).Before(w.periodStart)),
				waiting:    in.Review[a.ID]})
			w.count++
		}
		slices.SortFunc(t.as, func(x, y refAssignment) int {
			role := func(r refAssignment) int {
				if r.a.Role == domain.Lead {
					return 0
				}
				return 1
			}
			return cmp.Or(cmp.Compare(role(x), role(y)), cmp.Compare(x.agency.Name, y.agency.Name), cmp.Compare(x.agency.Key, y.agency.Key), cmp.Compare(x.a.ID, y.a.ID))
		})
	}
	if f.AgencyKey != "" {
		w.tasks = slices.DeleteFunc(w.tasks, func(t refTask) bool { return len(t.as) == 0 })
	}
	return w
}

func (w *refWorld) dateOf(t time.Time) deadline.Date { return deadline.DateOf(t.In(w.loc)) }

func (w *refWorld) openGroup(due deadline.Date) report.Group {
	if !due.IsZero() && due.Before(w.today) {
		return report.Late
	}
	return report.OnTrack
}

func (w *refWorld) group(a domain.Assignment) report.Group {
	if a.Status == domain.Done {
		at := a.DoneAt
		if at.IsZero() {
			at = a.ReportedAt
		}
		if !a.Due.IsZero() && !at.IsZero() && a.Due.Before(w.dateOf(at)) {
			return report.DoneLate
		}
		return report.DoneOnTime
	}
	if !a.Due.IsZero() {
		return w.openGroup(a.Due)
	}
	if a.Kind != deadline.Recurring || a.CreatedAt.IsZero() {
		return report.OnTrack
	}
	// The previous reporting period: the month (or year, for annual
	// work) before the current one.
	var prev deadline.Date
	if a.Recurrence == deadline.Annual {
		prev = deadline.Date{Year: w.today.Year - 1, Month: time.January, Day: 1}
	} else {
		prev = w.policy.PeriodStart(w.periodStart.AddDays(-1))
	}
	if w.dateOf(a.CreatedAt).After(prev) {
		return report.OnTrack
	}
	if a.ReportedAt.IsZero() || w.dateOf(a.ReportedAt).Before(prev) {
		return report.Late
	}
	return report.OnTrack
}

type refRolled struct {
	status              domain.Status
	light               domain.Light
	progress            int
	group               report.Group
	unreported, waiting bool
}

func pct(a domain.Assignment) int {
	if a.Status == domain.Done {
		return 100
	}
	return min(max(a.Progress, 0), 100)
}

func worse(a, b domain.Light) domain.Light {
	if b.Rank() > a.Rank() {
		return b
	}
	return a
}

func (w *refWorld) rollup(t refTask) refRolled {
	var basis []refAssignment
	for _, x := range t.as {
		if x.a.Role == domain.Lead {
			basis = append(basis, x)
		}
	}
	if len(basis) == 0 {
		basis = t.as
	}
	if len(basis) == 0 {
		a := domain.Assignment{State: domain.State{Status: domain.NotStarted}, Due: t.due}
		return refRolled{status: domain.NotStarted, light: w.policy.LightOf(a, w.today, w.loc), group: w.openGroup(t.due), unreported: true}
	}
	r := refRolled{light: domain.Green}
	done, moved, sum, missed := 0, 0, 0, false
	var doneAt time.Time
	for _, x := range basis {
		r.unreported = r.unreported || x.unreported
		r.waiting = r.waiting || x.waiting
		r.light = worse(r.light, x.light)
		sum += pct(x.a)
		switch {
		case x.a.Status == domain.Done:
			done++
			at := x.a.DoneAt
			if at.IsZero() {
				at = x.a.ReportedAt
			}
			if at.After(doneAt) {
				doneAt = at
			}
		case x.a.Status == domain.Blocked:
			missed = missed || x.group == report.Late
		default:
			missed = missed || x.group == report.Late
			if x.a.Status == domain.InProgress || x.a.Progress > 0 {
				moved++
			}
		}
	}
	blocked := slices.ContainsFunc(t.as, func(x refAssignment) bool { return x.a.Status == domain.Blocked })
	r.progress = (sum + len(basis)/2) / len(basis)
	switch {
	case done == len(basis):
		r.status = domain.Done
	case blocked:
		r.status, r.light = domain.Blocked, domain.Red
	case done > 0 || moved > 0:
		r.status = domain.InProgress
	default:
		r.status = domain.NotStarted
	}
	if r.status != domain.Done {
		r.group = w.openGroup(t.due)
		if t.due.IsZero() && missed {
			r.group = report.Late
		}
		return r
	}
	r.group = report.DoneOnTime
	if !t.due.IsZero() && !doneAt.IsZero() && t.due.Before(w.dateOf(doneAt)) {
		r.group = report.DoneLate
	}
	return r
}

// counts is report.Counts without its unexported running sum.
type counts struct {
	Tasks               int
	ByStatus            map[domain.Status]int
	ByLight             map[domain.Light]int
	ByGroup             map[report.Group]int
	Unreported, Waiting int
	Progress            int
	sum                 int
}

func newRefCounts() counts {
	c := counts{ByStatus: map[domain.Status]int{}, ByLight: map[domain.Light]int{}, ByGroup: map[report.Group]int{}}
	for _, s := range domain.Statuses {
		c.ByStatus[s] = 0
	}
	for _, l := range domain.Lights {
		c.ByLight[l] = 0
	}
	for _, g := range report.Groups {
		c.ByGroup[g] = 0
	}
	return c
}

func (c *counts) add(r refRolled) {
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
	c.sum += r.progress
	c.Progress = (c.sum + c.Tasks/2) / c.Tasks
}

func countsOf(c report.Counts) counts {
	return counts{Tasks: c.Tasks, ByStatus: c.ByStatus, ByLight: c.ByLight, ByGroup: c.ByGroup, Unreported: c.Unreported, Waiting: c.Waiting, Progress: c.Progress}
}

func (c counts) public() counts { c.sum = 0; return c }

type sectionLine struct {
	Section, Title string
	Counts         counts
}

type planLine struct {
	Plan     string
	Counts   counts
	Sections []sectionLine
}

type agencyLine struct {
	Agency                    domain.Agency
	Red, Yellow, Green, Total int
	Counts                    counts
}

type silentLine struct {
	Agency     domain.Agency
	LastReport time.Time
	Days, Open int
}

type summaryLines struct {
	Today       deadline.Date
	Counts      counts
	Plans       []planLine
	MostRed     []agencyLine
	Agencies    []agencyLine
	Silent      []silentLine
	Assignments int
	Agency      *domain.Agency
	Plan        *string
}

func linesOf(s report.Summary) summaryLines {
	out := summaryLines{Today: s.Today, Counts: countsOf(s.Counts), Assignments: s.Assignments, Agency: s.Agency}
	if s.Plan != nil {
		out.Plan = &s.Plan.Key
	}
	for _, p := range s.Plans {
		pl := planLine{Plan: p.Plan.Key, Counts: countsOf(p.Counts)}
		for _, sec := range p.Sections {
			pl.Sections = append(pl.Sections, sectionLine{sec.Section, sec.Title, countsOf(sec.Counts)})
		}
		out.Plans = append(out.Plans, pl)
	}
	ag := func(list []report.AgencyCount) []agencyLine {
		var out []agencyLine
		for _, a := range list {
			out = append(out, agencyLine{a.Agency, a.Red, a.Yellow, a.Green, a.Total, countsOf(a.Counts)})
		}
		return out
	}
	out.MostRed, out.Agencies = ag(s.MostRed), ag(s.Agencies)
	for _, x := range s.Silent {
		out.Silent = append(out.Silent, silentLine{x.Agency, x.LastReport, x.Days, x.Open})
	}
	return out
}

// refSummarize is Summarize written plainly.
func refSummarize(in report.Input, f report.Filter) summaryLines {
	w := newRef(in, f)
	out := summaryLines{Today: w.today, Counts: newRefCounts(), Assignments: w.count}
	if a, ok := w.agencies[f.AgencyKey]; ok && f.AgencyKey != "" {
		out.Agency = &a
	}
	var planKeys []string
	for _, p := range in.Plans {
		if f.PlanKey == "" || p.Key == f.PlanKey {
			planKeys = append(planKeys, p.Key)
		}
	}
	if f.PlanKey != "" && len(planKeys) == 1 {
		out.Plan = &planKeys[0]
	}
	plans := map[string]*planLine{}
	sorted := slices.Clone(in.Plans)
	slices.SortStableFunc(sorted, func(a, b domain.Plan) int { return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.Key, b.Key)) })
	for _, p := range sorted {
		if f.PlanKey == "" || p.Key == f.PlanKey {
			out.Plans = append(out.Plans, planLine{Plan: p.Key, Counts: newRefCounts()})
		}
	}
	for i := range out.Plans {
		plans[out.Plans[i].Plan] = &out.Plans[i]
	}
	type tally struct {
		line agencyLine
		open int
		last time.Time
	}
	tallies := map[string]*tally{}
	for _, t := range w.tasks {
		r := w.rollup(t)
		out.Counts.add(r)
		pl := plans[t.plan.Key]
		pl.Counts.add(r)
		si := slices.IndexFunc(pl.Sections, func(s sectionLine) bool { return s.Section == t.task.Section })
		if si < 0 {
			pl.Sections = append(pl.Sections, sectionLine{Section: t.task.Section, Title: t.task.SectionTitle, Counts: newRefCounts()})
			si = len(pl.Sections) - 1
		}
		pl.Sections[si].Counts.add(r)
		for _, x := range t.as {
			tl := tallies[x.a.AgencyKey]
			if tl == nil {
				tl = &tally{line: agencyLine{Agency: x.agency, Counts: newRefCounts()}}
				tallies[x.a.AgencyKey] = tl
			}
			tl.line.Total++
			switch x.light {
			case domain.Red:
				tl.line.Red++
			case domain.Yellow:
				tl.line.Yellow++
			default:
				tl.line.Green++
			}
			tl.line.Counts.add(refRolled{status: x.a.Status, light: x.light, progress: pct(x.a), group: x.group, unreported: x.unreported, waiting: x.waiting})
			if x.a.Status != domain.Done {
				tl.open++
			}
			if x.a.ReportedAt.After(tl.last) {
				tl.last = x.a.ReportedAt
			}
		}
	}
	byName := func(a, b domain.Agency) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Key, b.Key)) }
	for _, tl := range tallies {
		out.Agencies = append(out.Agencies, tl.line)
		if tl.line.Red > 0 {
			out.MostRed = append(out.MostRed, tl.line)
		}
		if tl.open == 0 {
			continue
		}
		days := 0
		if !tl.last.IsZero() {
			if days = deadline.DaysBetween(w.dateOf(tl.last), w.today); days <= report.DefaultStaleDays {
				continue
			}
		}
		out.Silent = append(out.Silent, silentLine{Agency: tl.line.Agency, LastReport: tl.last, Days: days, Open: tl.open})
	}
	slices.SortFunc(out.Agencies, func(a, b agencyLine) int {
		return cmp.Or(cmp.Compare(b.Red, a.Red), cmp.Compare(b.Yellow, a.Yellow), byName(a.Agency, b.Agency))
	})
	slices.SortFunc(out.MostRed, func(a, b agencyLine) int { return cmp.Or(cmp.Compare(b.Red, a.Red), byName(a.Agency, b.Agency)) })
	if len(out.MostRed) > report.MaxMostRed {
		out.MostRed = out.MostRed[:report.MaxMostRed]
	}
	slices.SortFunc(out.Silent, func(a, b silentLine) int {
		reported := func(x silentLine) int {
			if x.LastReport.IsZero() {
				return 0
			}
			return 1
		}
		return cmp.Or(cmp.Compare(reported(a), reported(b)), a.LastReport.Compare(b.LastReport), byName(a.Agency, b.Agency))
	})
	return out
}

// diffSummary names the first part of got that differs from want.
func diffSummary(got report.Summary, want summaryLines) string {
	g := linesOf(got)
	strip := func(s *summaryLines) {
		s.Counts = s.Counts.public()
		for i := range s.Plans {
			s.Plans[i].Counts = s.Plans[i].Counts.public()
			for j := range s.Plans[i].Sections {
				s.Plans[i].Sections[j].Counts = s.Plans[i].Sections[j].Counts.public()
			}
		}
		for _, l := range [][]agencyLine{s.Agencies, s.MostRed} {
			for i := range l {
				l[i].Counts = l[i].Counts.public()
			}
		}
	}
	strip(&g)
	strip(&want)
	v, w := reflect.ValueOf(g), reflect.ValueOf(want)
	for i := range v.NumField() {
		gf, wf := v.Field(i), w.Field(i)
		if reflect.DeepEqual(gf.Interface(), wf.Interface()) {
			continue
		}
		name := v.Type().Field(i).Name
		if gf.Kind() == reflect.Slice {
			if gf.Len() != wf.Len() {
				return fmt.Sprintf("%s: %d entries, want %d", name, gf.Len(), wf.Len())
			}
			for j := range gf.Len() {
				if !reflect.DeepEqual(gf.Index(j).Interface(), wf.Index(j).Interface()) {
					return fmt.Sprintf("%s[%d]:\n got %+v\nwant %+v", name, j, gf.Index(j).Interface(), wf.Index(j).Interface())
				}
			}
		}
		return fmt.Sprintf("%s:\n got %+v\nwant %+v", name, gf.Interface(), wf.Interface())
	}
	return ""
}

// taskLine is what a task view shows, agencies by key.
type taskLine struct {
	Code, Plan          string
	Status              domain.Status
	Light               domain.Light
	Progress            int
	Due                 deadline.Date
	DaysLeft            int
	Group               report.Group
	Unreported, Waiting bool
	Lead, Coordinating  []string // agency: light group unreported waiting evidence
	Note, NoteBy        string
	NoteAt              time.Time
}

func taskLines(vs []report.TaskView) []taskLine {
	var out []taskLine
	for _, v := range vs {
		l := taskLine{Code: v.Task.Code, Plan: v.Plan.Key, Status: v.Status, Light: v.Light, Progress: v.Progress, Due: v.Due, DaysLeft: v.DaysLeft,
			Group: v.Group, Unreported: v.Unreported, Waiting: v.Waiting, Note: v.LatestNote, NoteBy: v.LatestNoteBy, NoteAt: v.LatestNoteAt}
		for _, a := range v.Lead {
			l.Lead = append(l.Lead, fmt.Sprintf("%s(%s): %s %s %v %v %d", a.Agency.Key, a.Agency.Name, a.Light, a.Group, a.Unreported, a.Waiting, a.Evidence))
		}
		for _, a := range v.Coordinating {
			l.Coordinating = append(l.Coordinating, fmt.Sprintf("%s(%s): %s %s %v %v %d", a.Agency.Key, a.Agency.Name, a.Light, a.Group, a.Unreported, a.Waiting, a.Evidence))
		}
		out = append(out, l)
	}
	return out
}

// refTasks is Tasks written plainly.
func refTasks(in report.Input, f report.Filter) []taskLine {
	w := newRef(in, f)
	var out []taskLine
	for _, t := range w.tasks {
		r := w.rollup(t)
		l := taskLine{Code: t.task.Code, Plan: t.plan.Key, Status: r.status, Light: r.light, Progress: r.progress, Due: t.due,
			Group: r.group, Unreported: r.unreported, Waiting: r.waiting}
		if !t.due.IsZero() {
			l.DaysLeft = deadline.DaysBetween(w.today, t.due)
		}
		for _, x := range t.as {
			s := fmt.Sprintf("%s(%s): %s %s %v %v %d", x.agency.Key, x.agency.Name, x.light, x.group, x.unreported, x.waiting, in.Evidence[x.a.ID])
			if x.a.Role == domain.Lead {
				l.Lead = append(l.Lead, s)
			} else {
				l.Coordinating = append(l.Coordinating, s)
			}
			if x.a.Note != "" && (l.Note == "" || x.a.ReportedAt.After(l.NoteAt)) {
				l.Note, l.NoteAt, l.NoteBy = x.a.Note, x.a.ReportedAt, x.agency.Name
			}
		}
		out = append(out, l)
	}
	return out
}
