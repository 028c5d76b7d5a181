package report

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh on any machine

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/seeds"
)

// The fixed clock of every test: 08:00 on 24 December 2025 in the province.
var (
	loc   = mustLoc()
	now   = time.Date(2025, 12, 24, 8, 0, 0, 0, loc)
	today = deadline.Date{Year: 2025, Month: time.December, Day: 24}
)

func mustLoc() *time.Location {
	l, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return l
}

// day is today plus n days.
func day(n int) deadline.Date { return today.AddDays(n) }

// ago is the clock n days before now.
func ago(n int) time.Time { return now.AddDate(0, 0, -n) }

// world builds an Input by hand.
type world struct{ in Input }

func newWorld() *world {
	w := &world{in: Input{
		Plans: []domain.Plan{
			{Key: "p26", Code: "26", Title: "Plan 2026", Open: true, Seq: 1},
			{Key: "p25", Code: "25", Title: "Plan 2025", Open: true, Seq: 0},
		},
		Now:    now,
		Loc:    loc,
		Policy: domain.Policy{SoonDays: 7, Period: domain.Monthly},
	}}
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		w.in.Agencies = append(w.in.Agencies, domain.Agency{Key: k, Name: "Agency " + k, Kind: agency.Department})
	}
	return w
}

// task adds a task; a zero due means an ongoing task with no due date.
func (w *world) task(plan, code, section string, seq int, due deadline.Date) {
	d := deadline.Deadline{Text: "Thường xuyên", Kind: deadline.Recurring, Recurrence: deadline.Ongoing}
	if !due.IsZero() {
		d = deadline.Deadline{Text: "Trước " + due.String(), Kind: deadline.Fixed, Due: due}
	}
	w.in.Tasks = append(w.in.Tasks, domain.Task{
		Code: code, PlanKey: plan, Section: section, SectionTitle: "Section " + section,
		Number: code, Title: "Task " + code, Deadline: d, Seq: seq,
	})
}

// assign adds an assignment of the task code to an agency, reported
// yesterday (so in the current period), done yesterday when st is done.
func (w *world) assign(code, ag string, role domain.Role, st domain.Status, progress int) *domain.Assignment {
	var t domain.Task
	for _, x := range w.in.Tasks {
		if x.Code == code {
			t = x
		}
	}
	a := domain.Assignment{
		ID: domain.AssignmentID(code, ag), TaskCode: code, PlanKey: t.PlanKey, AgencyKey: ag, Role: role,
		State: domain.State{Status: st, Progress: progress}, Due: t.Due(), Kind: t.Deadline.Kind,
		ReportedAt: ago(1),
	}
	if st == domain.Done {
		a.DoneAt = ago(1)
	}
	w.in.Assignments = append(w.in.Assignments, a)
	return &w.in.Assignments[len(w.in.Assignments)-1]
}

func viewOf(t *testing.T, vs []TaskView, code string) TaskView {
	t.Helper()
	for _, v := range vs {
		if v.Task.Code == code {
			return v
		}
	}
	t.Fatalf("task %s not in %v", code, codes(vs))
	return TaskView{}
}

func codes(vs []TaskView) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Task.Code
	}
	return out
}

func agencyKeys[T any](list []T, key func(T) string) []string {
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = key(x)
	}
	return out
}

func TestCollectiveTaskWithOneBlockedMemberIsBlockedAndRed(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(30))
	w.assign("25-1", "a", domain.Lead, domain.Done, 100).Collective = true
	w.assign("25-1", "b", domain.Lead, domain.InProgress, 50).Collective = true
	w.assign("25-1", "c", domain.Lead, domain.Blocked, 20).Collective = true
	w.assign("25-1", "d", domain.Lead, domain.NotStarted, 0).Collective = true

	v := viewOf(t, Tasks(w.in, Filter{}), "25-1")
	if v.Status != domain.Blocked || v.Light != domain.Red || v.Group != OnTrack {
		t.Errorf("status %s light %s group %s; want blocked, red, on track", v.Status, v.Light, v.Group)
	}
	if v.Progress != 43 { // (100+50+20+0)/4 = 42.5, rounded
		t.Errorf("progress = %d, want 43", v.Progress)
	}
	if len(v.Lead) != 4 || len(v.Coordinating) != 0 || v.Lead[2].Agency.Key != "c" || v.Lead[2].Light != domain.Red {
		t.Errorf("lead views = %+v", v.Lead)
	}
	if v.Due != day(30) || v.DaysLeft != 30 {
		t.Errorf("due %s, days left %d", v.Due, v.DaysLeft)
	}
}

func TestAllLeadsDoneIsDoneWhateverTheCoordinatingAgenciesSay(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-2", "I", 0, day(10))
	w.assign("25-2", "a", domain.Lead, domain.Done, 60) // done with a stale progress counts as 100
	w.assign("25-2", "b", domain.Lead, domain.Done, 100)
	w.assign("25-2", "c", domain.Coordinating, domain.NotStarted, 0)
	w.assign("25-2", "d", domain.Coordinating, domain.Blocked, 0)

	v := viewOf(t, Tasks(w.in, Filter{}), "25-2")
	if v.Status != domain.Done || v.Light != domain.Green || v.Progress != 100 || v.Group != DoneOnTime {
		t.Errorf("status %s light %s progress %d group %s; want done, green, 100, done on time", v.Status, v.Light, v.Progress, v.Group)
	}
	if len(v.Coordinating) != 2 || v.Coordinating[1].Light != domain.Red {
		t.Errorf("the blocked coordinating agency should show red on its own view: %+v", v.Coordinating)
	}
	// One lead still open keeps the task open, and then the coordinating
	// agency's block makes the task blocked and red: leadership must see it.
	w.in.Assignments[1].Status = domain.InProgress
	v = viewOf(t, Tasks(w.in, Filter{}), "25-2")
	if v.Status != domain.Blocked || v.Light != domain.Red || v.Group != OnTrack {
		t.Errorf("with one lead open and a coordinator blocked: status %s light %s group %s", v.Status, v.Light, v.Group)
	}
	w.in.Assignments[3].Status = domain.InProgress
	v = viewOf(t, Tasks(w.in, Filter{}), "25-2")
	if v.Status != domain.InProgress || v.Group != OnTrack {
		t.Errorf("with one lead open: status %s group %s", v.Status, v.Group)
	}
}

func TestTaskWithoutLeadsRollsUpEveryAssignment(t *testing.T) {
	w := newWorld()
	w.task("p26", "26-V.1", "V", 0, deadline.Date{})
	w.assign("26-V.1", "a", domain.Coordinating, domain.NotStarted, 10)
	w.assign("26-V.1", "b", domain.Coordinating, domain.NotStarted, 0)
	v := viewOf(t, Tasks(w.in, Filter{}), "26-V.1")
	if v.Status != domain.InProgress || v.Progress != 5 || v.Group != OnTrack || v.Light != domain.Green {
		t.Errorf("status %s progress %d group %s light %s", v.Status, v.Progress, v.Group, v.Light)
	}
	w.in.Assignments[0].Progress = 0
	if v := viewOf(t, Tasks(w.in, Filter{}), "26-V.1"); v.Status != domain.NotStarted {
		t.Errorf("nothing moved: status %s", v.Status)
	}
}

func TestLightAndGroupEdges(t *testing.T) {
	w := newWorld()
	w.task("p25", "due-today", "I", 0, day(0))
	w.assign("due-today", "a", domain.Lead, domain.InProgress, 30)
	w.task("p25", "due-yesterday", "I", 1, day(-1))
	w.assign("due-yesterday", "a", domain.Lead, domain.InProgress, 30)
	w.task("p25", "due-in-7", "I", 2, day(7))
	w.assign("due-in-7", "a", domain.Lead, domain.InProgress, 30)
	w.task("p25", "due-in-8", "I", 3, day(8))
	w.assign("due-in-8", "a", domain.Lead, domain.InProgress, 30)
	w.task("p25", "unreported", "I", 4, deadline.Date{})
	w.assign("unreported", "a", domain.Lead, domain.InProgress, 30).ReportedAt = time.Date(2025, 11, 30, 23, 0, 0, 0, loc)
	w.task("p25", "done-late", "II", 5, day(-5))
	w.assign("done-late", "a", domain.Lead, domain.Done, 100).DoneAt = ago(2)
	// Done at 23:30 on the due day in the province (16:30 UTC): on time.
	w.task("p25", "done-on-due-day", "II", 6, deadline.Date{Year: 2025, Month: 12, Day: 21})
	w.assign("done-on-due-day", "a", domain.Lead, domain.Done, 100).DoneAt = time.Date(2025, 12, 21, 16, 30, 0, 0, time.UTC)
	// Done at 00:30 the day after in the province, still the due day in UTC: late.
	w.task("p25", "done-past-midnight", "II", 7, deadline.Date{Year: 2025, Month: 12, Day: 21})
	w.assign("done-past-midnight", "a", domain.Lead, domain.Done, 100).DoneAt = time.Date(2025, 12, 21, 17, 30, 0, 0, time.UTC)
	w.task("p25", "done-no-due", "II", 8, deadline.Date{})
	w.assign("done-no-due", "a", domain.Lead, domain.Done, 100).DoneAt = ago(400)

	want := map[string]struct {
		light    domain.Light
		group    Group
		daysLeft int
	}{
		"due-today":          {domain.Yellow, OnTrack, 0},
		"due-yesterday":      {domain.Red, Late, -1},
		"due-in-7":           {domain.Yellow, OnTrack, 7},
		"due-in-8":           {domain.Green, OnTrack, 8},
		"unreported":         {domain.Yellow, OnTrack, 0},
		"done-late":          {domain.Green, DoneLate, -5},
		"done-on-due-day":    {domain.Green, DoneOnTime, -3},
		"done-past-midnight": {domain.Green, DoneLate, -3},
		"done-no-due":        {domain.Green, DoneOnTime, 0},
	}
	vs := Tasks(w.in, Filter{})
	if len(vs) != len(want) {
		t.Fatalf("%d tasks, want %d", len(vs), len(want))
	}
	for code, x := range want {
		v := viewOf(t, vs, code)
		if v.Light != x.light || v.Group != x.group || v.DaysLeft != x.daysLeft {
			t.Errorf("%s: light %s group %s days left %d; want %s %s %d", code, v.Light, v.Group, v.DaysLeft, x.light, x.group, x.daysLeft)
		}
	}
	if v := viewOf(t, vs, "due-yesterday"); !v.Lead[0].Overdue || v.Lead[0].DaysLeft != -1 {
		t.Errorf("due-yesterday assignment: %+v", v.Lead[0])
	}
	if v := viewOf(t, vs, "due-today"); v.Lead[0].Overdue {
		t.Error("due today is not overdue")
	}
}

func TestTaskWithoutAssignments(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-9", "I", 0, day(3))
	v := viewOf(t, Tasks(w.in, Filter{}), "25-9")
	if v.Status != domain.NotStarted || v.Light != domain.Yellow || v.Group != OnTrack || len(v.Lead) != 0 {
		t.Errorf("%+v", v)
	}
}

func TestFilterByAgency(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(30))
	w.assign("25-1", "a", domain.Lead, domain.Done, 100)
	w.assign("25-1", "b", domain.Coordinating, domain.InProgress, 40).Note = "waiting for data"
	w.task("p25", "25-2", "I", 1, day(-2))
	w.assign("25-2", "b", domain.Lead, domain.NotStarted, 0)
	w.task("p25", "25-3", "II", 2, day(30))
	w.assign("25-3", "c", domain.Lead, domain.Blocked, 0)

	all := Tasks(w.in, Filter{})
	if got := viewOf(t, all, "25-1"); got.Status != domain.Done {
		t.Errorf("unfiltered 25-1: %s, want done", got.Status)
	}
	vs := Tasks(w.in, Filter{AgencyKey: "b"})
	if got := codes(vs); !slices.Equal(got, []string{"25-1", "25-2"}) {
		t.Fatalf("tasks of b = %v", got)
	}
	if vs[0].Status != domain.InProgress || vs[0].Progress != 40 || len(vs[0].Lead) != 0 || len(vs[0].Coordinating) != 1 {
		t.Errorf("25-1 for b: %+v", vs[0])
	}
	if vs[0].LatestNote != "waiting for data" || vs[0].LatestNoteBy != "Agency b" {
		t.Errorf("latest note %q by %q", vs[0].LatestNote, vs[0].LatestNoteBy)
	}

	s := Summarize(w.in, Filter{AgencyKey: "b"})
	if s.Agency == nil || s.Agency.Key != "b" || s.Plan != nil {
		t.Errorf("summary agency %v plan %v", s.Agency, s.Plan)
	}
	if s.Tasks != 2 || s.Assignments != 2 || s.ByGroup[Late] != 1 || s.ByGroup[OnTrack] != 1 || s.ByStatus[domain.Done] != 0 {
		t.Errorf("summary for b: %+v", s.Counts)
	}
	if len(s.MostRed) != 1 || s.MostRed[0].Agency.Key != "b" || s.MostRed[0].Red != 1 || s.MostRed[0].Total != 2 {
		t.Errorf("most red for b: %+v", s.MostRed)
	}

	s = Summarize(w.in, Filter{AgencyKey: "nobody"})
	if s.Agency != nil || s.Tasks != 0 || s.Assignments != 0 || len(Tasks(w.in, Filter{AgencyKey: "nobody"})) != 0 {
		t.Errorf("unknown agency: %+v", s)
	}
}

func TestFilterByPlanAndPlanOrder(t *testing.T) {
	w := newWorld()
	w.task("p26", "26-I.1", "I", 0, day(100))
	w.assign("26-I.1", "a", domain.Lead, domain.InProgress, 10)
	w.task("p25", "25-2", "I", 1, day(5))
	w.assign("25-2", "a", domain.Lead, domain.InProgress, 10)
	w.task("p25", "25-1", "I", 0, day(5))
	w.assign("25-1", "a", domain.Lead, domain.InProgress, 10)
	w.task("gone", "x-1", "I", 0, day(-100)) // plan not in Input.Plans
	w.assign("x-1", "a", domain.Lead, domain.Blocked, 0)

	if got := codes(Tasks(w.in, Filter{})); !slices.Equal(got, []string{"25-1", "25-2", "26-I.1"}) {
		t.Errorf("plan then table order: %v", got)
	}
	s := Summarize(w.in, Filter{})
	if s.Tasks != 3 || s.Assignments != 3 || len(s.Plans) != 2 || s.Plans[0].Plan.Key != "p25" || s.Plans[0].Tasks != 2 || s.Plans[1].Tasks != 1 {
		t.Errorf("summary: tasks %d assignments %d plans %+v", s.Tasks, s.Assignments, s.Plans)
	}
	if len(s.MostRed) != 0 {
		t.Errorf("the blocked task of an uncovered plan counted: %+v", s.MostRed)
	}

	s = Summarize(w.in, Filter{PlanKey: "p26"})
	if s.Plan == nil || s.Plan.Key != "p26" || s.Agency != nil || s.Tasks != 1 || len(s.Plans) != 1 || s.Assignments != 1 {
		t.Errorf("plan filter: %+v", s)
	}
	if got := codes(Tasks(w.in, Filter{PlanKey: "p26", AgencyKey: "a"})); !slices.Equal(got, []string{"26-I.1"}) {
		t.Errorf("plan and agency filter: %v", got)
	}
	if s := Summarize(w.in, Filter{PlanKey: "gone"}); s.Plan != nil || s.Tasks != 0 || len(s.Plans) != 0 {
		t.Errorf("plan not in Input: %+v", s)
	}
}

func TestSummaryCountsPlansAndSections(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(-3)) // late
	w.assign("25-1", "a", domain.Lead, domain.InProgress, 50)
	w.task("p25", "25-2", "I", 1, day(-3)) // done on time
	w.assign("25-2", "a", domain.Lead, domain.Done, 100).DoneAt = ago(5)
	w.task("p25", "25-3", "II", 2, day(20)) // blocked, on track
	w.assign("25-3", "b", domain.Lead, domain.Blocked, 0)
	w.task("p26", "26-I.1", "I", 0, deadline.Date{}) // not started, never reported
	w.assign("26-I.1", "c", domain.Lead, domain.NotStarted, 0).ReportedAt = time.Time{}

	s := Summarize(w.in, Filter{})
	if s.Today != today || s.Tasks != 4 || s.Assignments != 4 {
		t.Fatalf("today %s tasks %d assignments %d", s.Today, s.Tasks, s.Assignments)
	}
	wantStatus := map[domain.Status]int{domain.InProgress: 1, domain.Done: 1, domain.Blocked: 1, domain.NotStarted: 1}
	wantLight := map[domain.Light]int{domain.Red: 2, domain.Green: 1, domain.Yellow: 1}
	wantGroup := map[Group]int{Late: 1, DoneOnTime: 1, OnTrack: 2, DoneLate: 0}
	if !reflect.DeepEqual(s.ByStatus, wantStatus) || !reflect.DeepEqual(s.ByLight, wantLight) || !reflect.DeepEqual(s.ByGroup, wantGroup) {
		t.Errorf("by status %v, light %v, group %v", s.ByStatus, s.ByLight, s.ByGroup)
	}
	p := s.Plans[0]
	if p.Plan.Key != "p25" || p.Tasks != 3 || len(p.Sections) != 2 || p.Sections[0].Section != "I" || p.Sections[0].Title != "Section I" ||
		p.Sections[0].Tasks != 2 || p.Sections[1].Tasks != 1 || p.Sections[1].ByStatus[domain.Blocked] != 1 {
		t.Errorf("plan 25: %+v", p)
	}
	if q := s.Plans[1]; q.Tasks != 1 || q.ByLight[domain.Yellow] != 1 || len(q.Sections) != 1 {
		t.Errorf("plan 26: %+v", q)
	}
	// Every key is present, zeros included, so a digest can print them all.
	if e := Summarize(Input{Now: now}, Filter{}); len(e.ByStatus) != 4 || len(e.ByLight) != 3 || len(e.ByGroup) != 4 || e.Tasks != 0 {
		t.Errorf("empty summary: %+v", e)
	}
}

func TestMostRedOrderAndCap(t *testing.T) {
	w := newWorld()
	reds := map[string]int{"a": 1, "b": 3, "c": 1, "d": 2, "e": 1, "f": 1, "g": 0}
	n := 0
	for _, ag := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		for i := 0; i < reds[ag]; i++ {
			code := fmt.Sprintf("r-%d", n)
			w.task("p25", code, "I", n, day(-1)) // overdue: red
			w.assign(code, ag, domain.Lead, domain.InProgress, 0)
			n++
		}
		code := fmt.Sprintf("g-%d", n)
		w.task("p25", code, "I", n, day(30))
		w.assign(code, ag, domain.Lead, domain.InProgress, 10) // green
		n++
	}
	s := Summarize(w.in, Filter{})
	got := agencyKeys(s.MostRed, func(c AgencyCount) string { return c.Agency.Key })
	if !slices.Equal(got, []string{"b", "d", "a", "c", "e"}) {
		t.Errorf("most red = %v, want [b d a c e]", got)
	}
	if b := s.MostRed[0]; b.Red != 3 || b.Green != 1 || b.Yellow != 0 || b.Total != 4 || b.Agency.Name != "Agency b" {
		t.Errorf("b: %+v", b)
	}
}

func TestSilentAgencies(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, deadline.Date{})
	w.assign("25-1", "a", domain.Lead, domain.NotStarted, 0).ReportedAt = time.Time{} // never
	w.assign("25-1", "b", domain.Lead, domain.InProgress, 10).ReportedAt = ago(31)
	w.assign("25-1", "c", domain.Lead, domain.InProgress, 10).ReportedAt = ago(29)
	w.assign("25-1", "d", domain.Lead, domain.InProgress, 10).ReportedAt = ago(30) // exactly StaleDays: not yet
	w.assign("25-1", "e", domain.Lead, domain.InProgress, 10).ReportedAt = ago(45)
	w.assign("25-1", "g", domain.Lead, domain.NotStarted, 0).ReportedAt = time.Time{} // never
	w.task("p25", "25-2", "I", 1, deadline.Date{})
	w.assign("25-2", "b", domain.Lead, domain.InProgress, 10).ReportedAt = ago(40)
	w.assign("25-2", "c", domain.Lead, domain.InProgress, 10).ReportedAt = ago(60) // c's other report is recent
	done := w.assign("25-2", "f", domain.Lead, domain.Done, 100)                   // all done: nothing to report
	done.ReportedAt, done.DoneAt = ago(90), ago(90)

	s := Summarize(w.in, Filter{})
	got := agencyKeys(s.Silent, func(x AgencySilence) string { return x.Agency.Key })
	if !slices.Equal(got, []string{"a", "g", "e", "b"}) {
		t.Fatalf("silent = %v, want [a g e b]", got)
	}
	if a := s.Silent[0]; !a.LastReport.IsZero() || a.Days != 0 || a.Open != 1 || a.Officers != 0 {
		t.Errorf("a: %+v", a)
	}
	if b := s.Silent[3]; !b.LastReport.Equal(ago(31)) || b.Days != 31 || b.Open != 2 {
		t.Errorf("b: %+v", b)
	}
	// A longer threshold spares b and e.
	w.in.StaleDays = 45
	got = agencyKeys(Summarize(w.in, Filter{}).Silent, func(x AgencySilence) string { return x.Agency.Key })
	if !slices.Equal(got, []string{"a", "g"}) {
		t.Errorf("silent with 45 days = %v", got)
	}
}

func TestOverdueAndDueSoon(t *testing.T) {
	w := newWorld()
	add := func(code string, seq int, due deadline.Date, st domain.Status) {
		w.task("p25", code, "I", seq, due)
		w.assign(code, "a", domain.Lead, st, 0)
	}
	add("in-3-b", 0, day(3), domain.InProgress)
	add("late-1", 1, day(-1), domain.NotStarted)
	add("late-10", 2, day(-10), domain.Blocked)
	add("today", 3, day(0), domain.InProgress)
	add("in-3-a", 4, day(3), domain.NotStarted)
	add("in-7", 5, day(7), domain.InProgress)
	add("in-8", 6, day(8), domain.InProgress)
	add("none", 7, deadline.Date{}, domain.InProgress)
	add("done-late", 8, day(-4), domain.Done)
	add("done-soon", 9, day(2), domain.Done)
	w.task("p26", "26-soon", "I", 0, day(3))
	w.assign("26-soon", "a", domain.Lead, domain.InProgress, 0)

	if got := codes(Overdue(w.in, Filter{})); !slices.Equal(got, []string{"late-10", "late-1"}) {
		t.Errorf("overdue = %v", got)
	}
	if got := codes(DueSoon(w.in, Filter{}, 7)); !slices.Equal(got, []string{"today", "in-3-b", "in-3-a", "26-soon", "in-7"}) {
		t.Errorf("due soon 7 = %v", got)
	}
	if got := codes(DueSoon(w.in, Filter{}, -1)); !slices.Equal(got, []string{"today", "in-3-b", "in-3-a", "26-soon", "in-7"}) {
		t.Errorf("due soon with the policy's days = %v", got)
	}
	if got := codes(DueSoon(w.in, Filter{}, 0)); !slices.Equal(got, []string{"today"}) {
		t.Errorf("due soon 0 = %v", got)
	}
	if got := codes(DueSoon(w.in, Filter{PlanKey: "p26"}, 7)); !slices.Equal(got, []string{"26-soon"}) {
		t.Errorf("due soon in p26 = %v", got)
	}
	if v := Overdue(w.in, Filter{}); v[0].DaysLeft != -10 || v[0].Status != domain.Blocked {
		t.Errorf("first overdue: %+v", v[0])
	}
}

func TestAgencyTasksOrder(t *testing.T) {
	w := newWorld()
	add := func(plan, code string, seq int, due deadline.Date, st domain.Status, reported time.Time) {
		w.task(plan, code, "I", seq, due)
		w.assign(code, "a", domain.Coordinating, st, 0).ReportedAt = reported
		w.assign(code, "b", domain.Lead, domain.InProgress, 0) // another agency: not listed
	}
	recent := ago(1)
	add("p26", "26-green-none", 0, deadline.Date{}, domain.InProgress, recent)
	add("p26", "26-green-30", 1, day(30), domain.InProgress, recent)
	add("p25", "25-green-none", 5, deadline.Date{}, domain.InProgress, recent)
	add("p25", "25-yellow-none", 1, deadline.Date{}, domain.NotStarted, time.Time{})
	add("p25", "25-yellow-5", 2, day(5), domain.InProgress, recent)
	add("p25", "25-red-blocked-none", 3, deadline.Date{}, domain.Blocked, recent)
	add("p25", "25-red-overdue", 4, day(-3), domain.InProgress, recent)
	add("p25", "25-red-blocked-20", 0, day(20), domain.Blocked, recent)
	add("p25", "25-done", 6, day(-1), domain.Done, recent)

	got := AgencyTasks(w.in, "a")
	want := []string{
		"25-red-overdue", "25-red-blocked-20", "25-red-blocked-none",
		"25-yellow-5", "25-yellow-none",
		"26-green-30", "25-green-none", "26-green-none",
	}
	if keys := agencyKeys(got, func(v AssignmentView) string { return v.Assignment.TaskCode }); !slices.Equal(keys, want) {
		t.Fatalf("agency tasks = %v\nwant %v", keys, want)
	}
	first := got[0]
	if first.Agency.Key != "a" || first.Task.Code != "25-red-overdue" || first.Plan.Key != "p25" || !first.Overdue || first.DaysLeft != -3 || first.Light != domain.Red {
		t.Errorf("first: %+v", first)
	}
	if len(AgencyTasks(w.in, "nobody")) != 0 {
		t.Error("unknown agency has tasks")
	}
}

func TestLatestNote(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(10))
	a := w.assign("25-1", "a", domain.Lead, domain.InProgress, 10)
	a.Note, a.ReportedAt = "old", ago(5)
	b := w.assign("25-1", "b", domain.Coordinating, domain.InProgress, 10)
	b.Note, b.ReportedAt = "newest", ago(2)
	c := w.assign("25-1", "c", domain.Lead, domain.InProgress, 10)
	c.Note, c.ReportedAt = "", ago(1) // a report without a note
	v := viewOf(t, Tasks(w.in, Filter{}), "25-1")
	if v.LatestNote != "newest" || !v.LatestNoteAt.Equal(ago(2)) || v.LatestNoteBy != "Agency b" {
		t.Errorf("latest note %q at %s by %q", v.LatestNote, v.LatestNoteAt, v.LatestNoteBy)
	}
}

func TestUnknownAgencyAndWithdrawnAssignment(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(10))
	w.assign("25-1", "ghost", domain.Lead, domain.InProgress, 10)
	w.assign("25-1", "a", domain.Lead, domain.Blocked, 0).Withdrawn = true
	v := viewOf(t, Tasks(w.in, Filter{}), "25-1")
	if len(v.Lead) != 1 || v.Lead[0].Agency.Name != "ghost" || v.Status != domain.InProgress {
		t.Errorf("%+v", v)
	}
}

func TestDefaultsAndDeterminism(t *testing.T) {
	w := newWorld()
	for i := 0; i < 6; i++ {
		code := fmt.Sprintf("t-%d", i)
		w.task([]string{"p25", "p26"}[i%2], code, []string{"I", "II"}[i/3], i, day(i*3-6))
		for j, ag := range []string{"a", "b", "c"} {
			w.assign(code, ag, []domain.Role{domain.Lead, domain.Coordinating}[j%2], domain.Statuses[(i+j)%4], 10*j)
		}
	}
	in := w.in
	in.Loc, in.Policy, in.StaleDays = nil, domain.Policy{}, 0 // UTC+7, the default policy, 30 days
	base := Summarize(w.in, Filter{})
	if got := Summarize(in, Filter{}); !reflect.DeepEqual(got, base) {
		t.Errorf("defaults differ from explicit values:\n%+v\n%+v", got, base)
	}
	// The same data in another order gives the same answers.
	shuffled := w.in
	shuffled.Tasks = slices.Clone(w.in.Tasks)
	shuffled.Assignments = slices.Clone(w.in.Assignments)
	shuffled.Agencies = slices.Clone(w.in.Agencies)
	slices.Reverse(shuffled.Tasks)
	slices.Reverse(shuffled.Assignments)
	slices.Reverse(shuffled.Agencies)
	if !reflect.DeepEqual(Summarize(shuffled, Filter{}), base) {
		t.Error("Summarize depends on input order")
	}
	if !reflect.DeepEqual(Tasks(shuffled, Filter{}), Tasks(w.in, Filter{})) {
		t.Error("Tasks depends on input order")
	}
	if !reflect.DeepEqual(AgencyTasks(shuffled, "b"), AgencyTasks(w.in, "b")) {
		t.Error("AgencyTasks depends on input order")
	}
}

// seededInput builds the Input the bot would have right after seeding the
// real plans and agency registry, before anyone reports: the same
// assignments store.Seed makes (explicit agencies with their role, lead
// winning over coordinating, then the members of each collective group).
func seededInput(t testing.TB) Input {
	t.Helper()
	plans, err := seeds.Plans()
	if err != nil {
		t.Fatal(err)
	}
	sas, err := seeds.Agencies()
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Now: now, Loc: loc, Policy: domain.DefaultPolicy}
	for _, a := range sas {
		in.Agencies = append(in.Agencies, domain.Agency{Key: a.Key, Name: a.Name, Kind: agency.Kind(a.Kind), Aliases: a.Aliases, Source: a.Source})
	}
	for i, sp := range plans {
		in.Plans = append(in.Plans, domain.Plan{
			Key: sp.Key, Code: sp.Code, Number: sp.Number, Date: sp.Date, Year: sp.Year, Title: sp.Title, Open: true, Seq: i,
		})
		for j, st := range sp.Tasks {
			task := domain.Task{
				Code: st.Code(sp), PlanKey: sp.Key, Section: st.Section, SectionTitle: st.SectionTitle, Number: st.Number,
				Title: st.Title, Deadline: deadline.Parse(st.Deadline), Seq: j,
				Lead:         domain.Cell{Text: st.Lead.Text, Agencies: st.Lead.Agencies, Group: agency.Group(st.Lead.Group)},
				Coordinating: domain.Cell{Text: st.Coordinating.Text, Agencies: st.Coordinating.Agencies, Group: agency.Group(st.Coordinating.Group)},
			}
			in.Tasks = append(in.Tasks, task)
			roles := map[string]domain.Role{}
			collective := map[string]bool{}
			for _, k := range task.Coordinating.Agencies {
				roles[k] = domain.Coordinating
			}
			for _, k := range task.Lead.Agencies {
				roles[k] = domain.Lead
			}
			for _, a := range in.Agencies {
				if _, explicit := roles[a.Key]; explicit {
					continue
				}
				switch {
				case task.Lead.Group.Includes(a.Kind):
					roles[a.Key], collective[a.Key] = domain.Lead, true
				case task.Coordinating.Group.Includes(a.Kind):
					roles[a.Key], collective[a.Key] = domain.Coordinating, true
				}
			}
			for key, role := range roles {
				in.Assignments = append(in.Assignments, domain.Assignment{
					ID: domain.AssignmentID(task.Code, key), TaskCode: task.Code, PlanKey: sp.Key, AgencyKey: key,
					Role: role, Collective: collective[key], State: domain.State{Status: domain.NotStarted},
					Due: task.Due(), Kind: task.Deadline.Kind, Recurrence: task.Deadline.Recurrence,
				})
			}
		}
	}
	return in
}

func TestRealSeedsOnChristmasEve2025(t *testing.T) {
	in := seededInput(t)
	s := Summarize(in, Filter{})
	if s.Tasks != 40 || len(s.Plans) != 2 || s.Plans[0].Tasks != 21 || s.Plans[1].Tasks != 19 {
		t.Fatalf("tasks %d, plans %+v; want 40 = 21 + 19", s.Tasks, s.Plans)
	}
	if s.Plans[0].Plan.Code != "25" || s.Plans[1].Plan.Code != "26" {
		t.Errorf("plan order: %s, %s", s.Plans[0].Plan.Code, s.Plans[1].Plan.Code)
	}
	sum := func(m map[domain.Status]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	if sum(s.ByStatus) != 40 || s.ByLight[domain.Green]+s.ByLight[domain.Yellow]+s.ByLight[domain.Red] != 40 ||
		s.ByGroup[DoneOnTime]+s.ByGroup[DoneLate]+s.ByGroup[OnTrack]+s.ByGroup[Late] != 40 {
		t.Errorf("counts do not add up to 40: %v %v %v", s.ByStatus, s.ByLight, s.ByGroup)
	}
	if s.ByStatus[domain.NotStarted] != 40 || s.ByGroup[DoneOnTime]+s.ByGroup[DoneLate] != 0 {
		t.Errorf("something is done before anyone reported: %v %v", s.ByStatus, s.ByGroup)
	}
	// Every deadline of the plans is 31/12/2025 or later: nothing overdue yet,
	// and nobody has reported, so everything is yellow.
	if s.ByGroup[OnTrack] != 40 || s.ByLight[domain.Yellow] != 40 || len(Overdue(in, Filter{})) != 0 || len(s.MostRed) != 0 {
		t.Errorf("groups %v lights %v", s.ByGroup, s.ByLight)
	}
	sections := 0
	for _, p := range s.Plans {
		for _, sec := range p.Sections {
			sections += sec.Tasks
		}
	}
	if sections != 40 || len(s.Plans[0].Sections) != 6 || len(s.Plans[1].Sections) != 5 {
		t.Errorf("sections: %d tasks; plan 25 has %d sections, plan 26 %d", sections, len(s.Plans[0].Sections), len(s.Plans[1].Sections))
	}
	if s.Assignments != len(in.Assignments) || len(s.Silent) == 0 {
		t.Errorf("assignments %d of %d; silent %d", s.Assignments, len(in.Assignments), len(s.Silent))
	}
	for _, x := range s.Silent {
		if !x.LastReport.IsZero() || x.Open == 0 {
			t.Errorf("silent %+v", x)
		}
	}

	vs := Tasks(in, Filter{})
	for _, code := range []string{"25-3", "25-4", "25-6"} {
		v := viewOf(t, vs, code)
		if v.Light != domain.Yellow || v.Due.String() != "2025-12-31" || v.DaysLeft != 7 || v.Status != domain.NotStarted {
			t.Errorf("%s: light %s due %s days left %d status %s", code, v.Light, v.Due, v.DaysLeft, v.Status)
		}
	}
	// 25-1 is led by every department and locality, one assignment each.
	if v := viewOf(t, vs, "25-1"); len(v.Lead) < 10 || v.Lead[0].Assignment.Collective != true {
		t.Errorf("25-1 leads: %d", len(v.Lead))
	}
	soon := codes(DueSoon(in, Filter{}, 7))
	for _, code := range []string{"25-3", "25-4", "25-6"} {
		if !slices.Contains(soon, code) {
			t.Errorf("%s not due soon: %v", code, soon)
		}
	}
	// Everything due on 31/12/2025, in table order: the three "Trước" tasks and
	// the three "Trong tháng 12/2025" ones.
	if want := []string{"25-3", "25-4", "25-6", "25-10", "25-13", "25-19"}; !slices.Equal(soon, want) {
		t.Errorf("due soon = %v, want %v", soon, want)
	}
	if n := len(DueSoon(in, Filter{}, 6)); n != 0 {
		t.Errorf("%d tasks due within 6 days, want 0", n)
	}
	// Sở KH&CN leads or coordinates most tasks; its list starts with the
	// yellow ones due on 31/12/2025.
	mine := AgencyTasks(in, "so-khcn")
	if len(mine) < 30 || mine[0].Assignment.Due.String() != "2025-12-31" || mine[0].Task.Code != "25-3" {
		t.Errorf("so-khcn: %d open, first %s due %s", len(mine), mine[0].Task.Code, mine[0].Assignment.Due)
	}
	if s := Summarize(in, Filter{AgencyKey: "so-khcn"}); s.Agency == nil || s.Tasks != len(mine) {
		t.Errorf("so-khcn summary: %d tasks, %d open assignments", s.Tasks, len(mine))
	}
}

// benchInput is ~100 agencies × 40 tasks, every agency assigned to every
// task (as collective tasks are), with a mix of states.
func benchInput() Input {
	w := newWorld()
	w.in.Agencies = nil
	for i := 0; i < 100; i++ {
		w.in.Agencies = append(w.in.Agencies, domain.Agency{Key: fmt.Sprintf("ag-%03d", i), Name: fmt.Sprintf("Xã %03d", i), Kind: agency.Commune})
	}
	for i := 0; i < 40; i++ {
		code := fmt.Sprintf("t-%02d", i)
		due := deadline.Date{}
		if i%3 != 0 {
			due = day(i - 20)
		}
		w.task([]string{"p25", "p26"}[i%2], code, []string{"I", "II", "III", "IV"}[i%4], i, due)
		for j, ag := range w.in.Agencies {
			role := domain.Lead
			if j%10 == 0 {
				role = domain.Coordinating
			}
			a := w.assign(code, ag.Key, role, domain.Statuses[(i+j)%4], (i*j)%101)
			a.ReportedAt = ago((i + j) % 45)
			if j%7 == 0 {
				a.Note = "ghi chú"
			}
		}
	}
	return w.in
}

func BenchmarkSummarize(b *testing.B) {
	in := benchInput()
	b.ReportAllocs()
	for b.Loop() {
		s := Summarize(in, Filter{})
		if s.Tasks != 40 {
			b.Fatal(s.Tasks)
		}
	}
}
