// Package report rolls assignments up to tasks, sections, plans and agencies
// for leadership: the counts a summary command and the weekly digest print,
// what is overdue or due soon, which agencies are most often red and which
// have gone silent, and one agency's open work in order of urgency.
//
// Everything is computed in Go from plain slices passed in an Input (the
// embedded database cannot aggregate). The package reads no database, sends
// nothing and keeps no state; every function is deterministic for a given
// Input, with ties broken by name or code.
//
// # Roll-up rules
//
// A task's roll-up is computed over its basis: its lead assignments (chủ trì),
// or all of its assignments when none leads. A coordinating agency
// (phối hợp) that has not finished does not keep a task open; but a block
// it reports makes the open task blocked and red, since leadership must see
// it. Over the basis:
//
//   - status: done when every one is done; else blocked when any assignment
//     (of the basis or coordinating) is blocked;
//     else in progress when any is in progress or done or has progress > 0;
//     else not started;
//   - light: the worst [domain.Policy.LightOf] among them;
//   - progress: their mean progress, a done assignment counting as 100;
//   - group ([Group]): done tasks by the latest DoneAt among them (in Loc)
//     against the task's due date; open tasks by whether the due date has
//     passed. Tasks without a fixed date are judged per reporting period:
//     overdue when an open assignment of the basis let a whole period pass
//     without a report (see period.go);
//   - not reported this period: an open assignment of the basis has no report
//     since the period began; waiting for review: one is in Input.Review.
//
// Each assignment is judged the same way on its own (AssignmentView.Group),
// and an agency's figures (Summary.Agencies) count its assignments.
//
// [New] computes the roll-up once; [Summarize], [Tasks], the chart and the
// exports read it, so their figures agree.
package report

import (
	"cmp"
	"slices"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
)

// DefaultStaleDays is how long an agency may go without any report before it
// is listed as silent, when Input.StaleDays is not set.
const DefaultStaleDays = 30

// Input is everything a roll-up reads.
type Input struct {
	Plans       []domain.Plan       // the plans to cover (the caller passes the open plans); tasks of other plans are ignored
	Tasks       []domain.Task       // tasks of any plan
	Assignments []domain.Assignment // current assignments; withdrawn ones are ignored
	Agencies    []domain.Agency     // an assignment's agency missing here is shown by its key
	Now         time.Time           // the clock; "today" is Now in Loc
	Loc         *time.Location      // the province's zone, Asia/Ho_Chi_Minh; nil means UTC+7
	Policy      domain.Policy       // light thresholds; the zero Policy means domain.DefaultPolicy
	StaleDays   int                 // agencies without any report for more than this many days are silent; 0 means DefaultStaleDays

	// Review holds the assignments (by id) whose reported completion waits
	// for a coordinator's acceptance ("chờ duyệt"); nil: none. The review
	// setting of the import issue fills it.
	Review map[string]bool
	// ReviewRequired: a completion waiting in Review counts as not done yet
	// (in progress) until it is accepted (REVIEW_REQUIRED).
	ReviewRequired bool
	// Evidence counts the evidence files sent per assignment (by id),
	// folded from the updates (see [FoldUpdates]); nil: unknown, shown as 0.
	Evidence map[string]int
	// Files names the first evidence files sent per assignment (by id), in
	// the order sent, at most MaxFiles each (see [FoldFiles]); nil: unknown.
	// The report upward cites them as the proof of a completion.
	Files map[string][]string

	// Extended holds the assignments (by id) whose due date was extended
	// (gia hạn); Due is then the extended date. nil: the data says nothing
	// of extensions (none are recorded before the extensions feature fills
	// it), and outputs show no "đã gia hạn" figure; non-nil: they show it,
	// zero included.
	Extended map[string]bool
	// Targets are the plans' numeric targets (chỉ tiêu) with their latest
	// values; nil until targets are tracked. Outputs show those of the plans
	// in scope.
	Targets []Target
}

// Target is a numeric target (chỉ tiêu) of a plan with its latest reported
// value, as reports show it: the texts as written ("> 40%", "≥ 0,75"), since
// the plans write them so.
type Target struct {
	PlanKey  string
	TaskCode string    // the task that sets it, e.g. "26-V.3"; may be empty
	Name     string    // "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo"
	Unit     string    // "%", "người/vạn dân"
	Baseline string    // the starting value, e.g. "25% (2025)"
	Goal     string    // the plan's goal, e.g. "> 40% (2030)"
	Value    string    // the latest reported value; empty when none
	At       time.Time // when Value was reported
}

// Filter narrows a roll-up to one agency or one plan, or both; the zero Filter
// covers everything in the Input.
//
// With an agency, only the tasks that agency has an assignment in are
// covered, and each is rolled up over that agency's assignments only. With a
// plan, only that plan's tasks are covered; a plan not in Input.Plans covers
// nothing.
type Filter struct {
	AgencyKey string
	PlanKey   string
}

// Group is one of the four groups Vietnamese government task tracking
// reports in.
type Group string

// The four groups.
const (
	DoneOnTime Group = "done_on_time"        // Hoàn thành đúng hạn: done on or before the due date, or with none
	DoneLate   Group = "done_late"           // Hoàn thành quá hạn: done after the due date
	OnTrack    Group = "in_progress_on_time" // Đang thực hiện trong hạn: not done, due today or later, or with no due date
	Late       Group = "overdue"             // Chưa hoàn thành, quá hạn: not done and past the due date
)

// Groups lists the groups in the order reports show them.
var Groups = []Group{DoneOnTime, DoneLate, OnTrack, Late}

// AssignmentView is one assignment with what a report shows beside it.
type AssignmentView struct {
	Assignment domain.Assignment
	Agency     domain.Agency
	Task       domain.Task
	Plan       domain.Plan
	Light      domain.Light // Policy.LightOf on Input's today
	DaysLeft   int          // days from today to the assignment's due date (negative: overdue); 0 when it has none
	Overdue    bool         // not done and past its due date
	Group      Group        // the assignment's own group (see [Group])
	Unreported bool         // open and not reported in the current reporting period
	Waiting    bool         // its completion waits for a coordinator's review
	Extended   bool         // its due date was extended (Input.Extended)
	Evidence   int          // evidence files sent (Input.Evidence)
	Files      []string     // the first evidence files' names (Input.Files)
}

// TaskView is one task rolled up from its assignments (see the package
// documentation for the rules).
type TaskView struct {
	Task     domain.Task
	Plan     domain.Plan
	Status   domain.Status
	Light    domain.Light
	Progress int           // 0..100
	Due      deadline.Date // the current date: Task.Due(), or the latest of its leads' once one was extended; zero when none
	// DueOriginal is Task.Due(), the date before any extension.
	DueOriginal deadline.Date
	DaysLeft    int // days from today to Due (negative: overdue); 0 when Due is zero
	Group       Group

	// Unreported: an open assignment of the task's basis has not reported
	// in the current period. Waiting: one waits for review. Extended: the
	// due date of one was extended.
	Unreported, Waiting, Extended bool

	// Lead and Coordinating are the task's assignments in scope by role,
	// each ordered by agency name.
	Lead, Coordinating []AssignmentView

	// The most recent non-empty note among the task's assignments in scope
	// (by ReportedAt), when it was reported and by which agency (its name).
	LatestNote   string
	LatestNoteAt time.Time
	LatestNoteBy string
}

// Counts counts tasks (or, for an agency, assignments) by their roll-up.
// Every status, light and group has an entry, zero included.
type Counts struct {
	Tasks    int
	ByStatus map[domain.Status]int
	ByLight  map[domain.Light]int
	ByGroup  map[Group]int
	// Unreported counts those not reported in the current reporting period
	// (open only); Waiting those waiting for a coordinator's review;
	// Extended those whose due date was extended (see Input.Extended).
	Unreported, Waiting, Extended int
	// Progress is the mean progress of those counted, 0..100 (0 when none).
	Progress    int
	progressSum int
}

// SectionSummary counts the tasks of one Roman-numbered section of a plan.
type SectionSummary struct {
	Section string // "I", "II", …
	Title   string
	Counts
}

// PlanSummary counts the tasks of one plan, in total and by section (in table
// order).
type PlanSummary struct {
	Plan domain.Plan
	Counts
	Sections []SectionSummary
}

// AgencyCount counts one agency's assignments in scope by light; Counts
// counts the same assignments by status, light, group and the rest.
type AgencyCount struct {
	Agency                    domain.Agency
	Red, Yellow, Green, Total int
	Counts
}

// AgencySilence is an agency with open work and no recent report.
type AgencySilence struct {
	Agency     domain.Agency
	LastReport time.Time // the latest ReportedAt among its assignments in scope; zero when it never reported
	Days       int       // calendar days (in Loc) from LastReport to today; 0 when it never reported
	Open       int       // its assignments in scope not done
	Officers   int       // left 0: the caller, who knows the officers, fills it
}

// Summary is the roll-up leadership asks for.
type Summary struct {
	Today deadline.Date
	Counts
	Plans       []PlanSummary   // every plan in scope, in plan order, even with no task
	MostRed     []AgencyCount   // see [MaxMostRed]
	Agencies    []AgencyCount   // every agency with an assignment in scope: most red first, then most yellow, then by name
	Silent      []AgencySilence // agencies with open work in scope and no report for more than StaleDays days; never-reported first, then longest silent, then by name
	Assignments int             // how many assignments were counted
	Agency      *domain.Agency  // the filter's agency, when it names a known one
	Plan        *domain.Plan    // the filter's plan, when it names one in Input.Plans
}

// MaxMostRed caps Summary.MostRed: the agencies with the most red
// assignments, most first, then by name; only agencies with at least one red.
const MaxMostRed = 5

// Tasks returns every task in scope, in plan order then table order.
func Tasks(in Input, f Filter) []TaskView { return New(in, f).Tasks() }

// Overdue returns the tasks in scope not done and past their due date, most
// overdue first, then in plan and table order.
func Overdue(in Input, f Filter) []TaskView {
	s := newScope(in, f)
	var out []TaskView
	for i := range s.tasks {
		t := &s.tasks[i]
		if r := s.rollup(t); r.status != stDone && !t.due.IsZero() && t.due.Before(s.today) {
			out = append(out, s.view(t))
		}
	}
	slices.SortStableFunc(out, func(a, b TaskView) int { return cmp.Compare(a.DaysLeft, b.DaysLeft) })
	return out
}

// DueSoon returns the tasks in scope not done and due between today and
// today+days (both included), soonest first, then in plan and table order.
// A negative days means Policy.SoonDays.
func DueSoon(in Input, f Filter, days int) []TaskView {
	s := newScope(in, f)
	if days < 0 {
		days = s.policy.SoonDays
	}
	last := s.today.AddDays(days)
	var out []TaskView
	for i := range s.tasks {
		t := &s.tasks[i]
		if t.due.IsZero() || t.due.Before(s.today) || t.due.After(last) {
			continue
		}
		if r := s.rollup(t); r.status != stDone {
			out = append(out, s.view(t))
		}
	}
	slices.SortStableFunc(out, func(a, b TaskView) int { return cmp.Compare(a.DaysLeft, b.DaysLeft) })
	return out
}

// AgencyTasks returns one agency's open assignments (not done) in the plans
// of the Input, most urgent first: red before yellow before green, then by
// due date (no due date last), then in plan and table order.
func AgencyTasks(in Input, agencyKey string) []AssignmentView {
	s := newScope(in, Filter{AgencyKey: agencyKey})
	var out []AssignmentView
	for i := range s.tasks { // plan and table order
		t := &s.tasks[i]
		for _, a := range t.as {
			if a.a.Status != domain.Done {
				out = append(out, s.assignmentView(t, a))
			}
		}
	}
	slices.SortStableFunc(out, func(a, b AssignmentView) int {
		if c := cmp.Compare(b.Light.Rank(), a.Light.Rank()); c != 0 {
			return c
		}
		return compareDue(a.Assignment.Due, b.Assignment.Due)
	})
	return out
}

// compareDue orders due dates earliest first, the zero date (none) last.
func compareDue(a, b deadline.Date) int {
	switch {
	case a == b:
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	case a.Before(b):
		return -1
	}
	return 1
}

// The ages of overdue parts: up to 30 days, 31 to 90, more than 90.
const (
	AgeMonth   = 0 // ≤ 30 days overdue
	AgeQuarter = 1 // 31–90 days
	AgeLonger  = 2 // > 90 days
)

// OverdueAge is the age bucket of a part overdue by days (> 0).
func OverdueAge(days int) int {
	switch {
	case days <= 30:
		return AgeMonth
	case days <= 90:
		return AgeQuarter
	}
	return AgeLonger
}

// OverdueByAge counts the overdue parts (assignments not done and past
// their current date) of views by how long they are overdue: pass every
// task in scope, since a task judged by an extended lead's date may still
// hold a part past its own.
func OverdueByAge(views []TaskView) [3]int {
	var n [3]int
	for _, v := range views {
		for _, as := range [][]AssignmentView{v.Lead, v.Coordinating} {
			for _, a := range as {
				if a.Overdue {
					n[OverdueAge(-a.DaysLeft)]++
				}
			}
		}
	}
	return n
}
