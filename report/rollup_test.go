package report

import (
	"fmt"
	"strings"
	"testing"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
)

// An ongoing task is judged per reporting period (monthly here; today is
// 24 Dec 2025): an agency that has reported since 1 Nov is in the group
// "in progress on time"; one silent since October, given the task in
// September, is overdue; one given the task in November is not judged on
// November yet. Only open assignments without a report since 1 Dec are
// "not reported this period".
func TestOngoingTaskJudgedPerReportingPeriod(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, deadline.Date{})
	sept, nov := ago(100), ago(40) // 15 Sep, 14 Nov
	a := w.assign("25-1", "a", domain.Lead, domain.InProgress, 30)
	a.CreatedAt, a.ReportedAt = sept, ago(30) // reported 24 Nov: previous period covered, this one not
	b := w.assign("25-1", "b", domain.Lead, domain.InProgress, 10)
	b.CreatedAt, b.ReportedAt = sept, ago(70) // last report 15 Oct: November passed silent
	c := w.assign("25-1", "c", domain.Lead, domain.NotStarted, 0)
	c.CreatedAt, c.ReportedAt = nov, domain.Assignment{}.ReportedAt // given in November, never reported: not judged on November
	d := w.assign("25-1", "d", domain.Lead, domain.Done, 100)
	d.CreatedAt = sept

	v := viewOf(t, Tasks(w.in, Filter{}), "25-1")
	got := map[string]AssignmentView{}
	for _, av := range v.Lead {
		got[av.Assignment.AgencyKey] = av
	}
	want := map[string]struct {
		g          Group
		unreported bool
	}{"a": {OnTrack, true}, "b": {Late, true}, "c": {OnTrack, true}, "d": {DoneOnTime, false}}
	for k, wv := range want {
		if got[k].Group != wv.g || got[k].Unreported != wv.unreported {
			t.Errorf("agency %s: group %s unreported %v; want %s %v", k, got[k].Group, got[k].Unreported, wv.g, wv.unreported)
		}
	}
	if v.Group != Late || !v.Unreported {
		t.Errorf("task group %s unreported %v; want overdue (b missed November), unreported", v.Group, v.Unreported)
	}
	s := Summarize(w.in, Filter{})
	if s.ByGroup[Late] != 1 || s.Unreported != 1 {
		t.Errorf("summary late %d unreported %d; want 1, 1", s.ByGroup[Late], s.Unreported)
	}
}

// Per agency, the summary counts each assignment in the four groups, the
// lights, progress, "not reported" and "waiting for review"; agencies are
// listed most red first, then most yellow, then by name.
func TestAgencyRollupCountsAssignments(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(-10))
	w.task("p25", "25-2", "I", 1, day(30))
	w.task("p26", "26-I.1", "I", 0, day(-20))
	w.assign("25-1", "a", domain.Lead, domain.InProgress, 50)                              // overdue: red
	w.assign("25-2", "a", domain.Lead, domain.Done, 100).DoneAt = ago(2)                   // done on time
	w.assign("26-I.1", "a", domain.Lead, domain.Done, 100).DoneAt = ago(1)                 // done late (due 20 days ago)
	w.assign("25-2", "b", domain.Coordinating, domain.InProgress, 20).ReportedAt = ago(60) // yellow, unreported
	w.in.Review = map[string]bool{domain.AssignmentID("25-2", "a"): true}

	s := Summarize(w.in, Filter{})
	if len(s.Agencies) != 2 || s.Agencies[0].Agency.Key != "a" || s.Agencies[1].Agency.Key != "b" {
		t.Fatalf("agencies %v", agencyKeys(s.Agencies, func(a AgencyCount) string { return a.Agency.Key }))
	}
	a := s.Agencies[0]
	if a.Tasks != 3 || a.Red != 1 || a.Green != 2 || a.ByGroup[Late] != 1 || a.ByGroup[DoneOnTime] != 1 || a.ByGroup[DoneLate] != 1 || a.Waiting != 1 || a.Unreported != 0 {
		t.Errorf("agency a: %+v", a)
	}
	if a.Progress != 83 { // (50+100+100)/3
		t.Errorf("agency a progress %d, want 83", a.Progress)
	}
	b := s.Agencies[1]
	if b.Tasks != 1 || b.Yellow != 1 || b.Unreported != 1 || b.ByGroup[OnTrack] != 1 || b.Progress != 20 {
		t.Errorf("agency b: %+v", b)
	}
	// Task level: 25-2 is done (its lead is), waiting for review; plan 2025 has
	// two tasks, mean progress (50+100)/2.
	if s.Waiting != 1 || s.Plans[0].Plan.Key != "p25" || s.Plans[0].Progress != 75 || s.Plans[0].Sections[0].Progress != 75 {
		t.Errorf("waiting %d, plan %s progress %d", s.Waiting, s.Plans[0].Plan.Key, s.Plans[0].Progress)
	}
	// One agency's summary counts only its assignments.
	if sa := Summarize(w.in, Filter{AgencyKey: "b"}); len(sa.Agencies) != 1 || sa.Tasks != 1 || sa.Unreported != 1 {
		t.Errorf("agency b summary: %d agencies, %d tasks, %d unreported", len(sa.Agencies), sa.Tasks, sa.Unreported)
	}
}

// The roll-up object gives the same figures as the package functions.
func TestRollupAgreesWithSummarizeAndTasks(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(-10))
	w.task("p25", "25-2", "II", 1, day(3))
	w.assign("25-1", "a", domain.Lead, domain.InProgress, 50)
	w.assign("25-2", "b", domain.Lead, domain.Blocked, 10)
	w.in.Evidence = FoldUpdates(nil,
		domain.Update{AssignmentID: domain.AssignmentID("25-1", "a"), Kind: domain.AddEvidence, Evidence: &domain.Evidence{Name: "qd.pdf"}},
		domain.Update{AssignmentID: domain.AssignmentID("25-1", "a"), Kind: domain.AddNote, Note: "x"})
	r := New(w.in, Filter{})
	s := r.Summary()
	if s.Tasks != Summarize(w.in, Filter{}).Tasks || len(r.Tasks()) != len(Tasks(w.in, Filter{})) {
		t.Fatal("roll-up and package functions disagree")
	}
	if v := r.Tasks()[0]; v.Lead[0].Evidence != 1 {
		t.Errorf("evidence of 25-1/a = %d, want 1", v.Lead[0].Evidence)
	}
}

// A scope names a plan (by year, code or number) or an agency (by part of
// its name); an unknown one is refused.
func TestParseScope(t *testing.T) {
	plans := []domain.Plan{{Key: "kh-2025", Code: "25", Year: 2025, Number: "/KH-UBND"}, {Key: "kh-2026", Code: "26", Year: 2026, Number: "45/KH-UBND"}}
	ix, err := agency.NewIndex([]agency.Agency{{Key: "so-khcn", Name: "Sở Khoa học và Công nghệ", Kind: agency.Department}, {Key: "so-yt", Name: "Sở Y tế", Kind: agency.Department}})
	if err != nil {
		t.Fatal(err)
	}
	for arg, want := range map[string]Filter{
		"": {}, "2025": {PlanKey: "kh-2025"}, "KH 2026": {PlanKey: "kh-2026"}, "45/kh-ubnd": {PlanKey: "kh-2026"}, "26": {PlanKey: "kh-2026"},
		"y tế": {AgencyKey: "so-yt"}, "Sở Khoa học": {AgencyKey: "so-khcn"},
	} {
		if got, ok := ParseScope(plans, ix, arg); !ok || got != want {
			t.Errorf("%q: %+v %v, want %+v", arg, got, ok, want)
		}
	}
	if _, ok := ParseScope(plans, ix, "Bộ Quốc phòng"); ok {
		t.Error("an unknown scope was accepted")
	}
}

// With the review setting on, a completion waiting for review counts as not
// done yet; accepted (out of Review), or with the setting off, it is done.
func TestWaitingCompletionIsNotDoneWhileReviewRequired(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-2", "I", 0, day(30))
	w.assign("25-2", "a", domain.Lead, domain.Done, 100)
	w.in.Review = map[string]bool{domain.AssignmentID("25-2", "a"): true}

	off := Summarize(w.in, Filter{})
	if off.ByStatus[domain.Done] != 1 || off.ByGroup[DoneOnTime] != 1 || off.Waiting != 1 {
		t.Errorf("setting off: done %d, on time %d, waiting %d; want 1, 1, 1", off.ByStatus[domain.Done], off.ByGroup[DoneOnTime], off.Waiting)
	}
	w.in.ReviewRequired = true
	on := Summarize(w.in, Filter{})
	if on.ByStatus[domain.Done] != 0 || on.ByStatus[domain.InProgress] != 1 || on.ByGroup[OnTrack] != 1 || on.Waiting != 1 {
		t.Errorf("setting on: done %d, in progress %d, within the deadline %d, waiting %d; want 0, 1, 1, 1",
			on.ByStatus[domain.Done], on.ByStatus[domain.InProgress], on.ByGroup[OnTrack], on.Waiting)
	}
	if a := w.in.Assignments[0]; a.Status != domain.Done {
		t.Errorf("the roll-up changed its input: %s", a.Status)
	}
	w.in.Review = nil // accepted
	if acc := Summarize(w.in, Filter{}); acc.ByStatus[domain.Done] != 1 || acc.Waiting != 0 {
		t.Errorf("accepted: done %d, waiting %d; want 1, 0", acc.ByStatus[domain.Done], acc.Waiting)
	}
}

// An extended assignment (Input.Extended) is counted once per task among
// the tasks, sections, plans and agencies it belongs to; an extension of a
// coordinating agency does not count for a task its leads carry. Without the
// map nothing is counted.
func TestExtendedTasksAreCounted(t *testing.T) {
	w := newWorld()
	w.task("p25", "25-1", "I", 0, day(-10))
	w.task("p25", "25-2", "II", 1, day(30))
	w.task("p26", "26-I.1", "I", 0, day(30))
	a := w.assign("25-1", "a", domain.Lead, domain.InProgress, 50)
	w.assign("25-1", "b", domain.Lead, domain.InProgress, 50)
	c := w.assign("25-2", "a", domain.Lead, domain.InProgress, 10)
	w.assign("26-I.1", "a", domain.Lead, domain.InProgress, 10)
	e := w.assign("26-I.1", "b", domain.Coordinating, domain.InProgress, 10)
	if s := Summarize(w.in, Filter{}); s.Extended != 0 {
		t.Fatalf("no extensions recorded, yet %d counted", s.Extended)
	}
	w.in.Extended = map[string]bool{a.ID: true, c.ID: true, e.ID: true}
	s := Summarize(w.in, Filter{})
	if s.Extended != 2 || s.Plans[0].Extended != 2 || s.Plans[1].Extended != 0 || s.Plans[0].Sections[0].Extended != 1 || s.Plans[0].Sections[1].Extended != 1 {
		t.Errorf("extended: total %d, plans %d %d, sections %d %d; want 2, 2 0, 1 1",
			s.Extended, s.Plans[0].Extended, s.Plans[1].Extended, s.Plans[0].Sections[0].Extended, s.Plans[0].Sections[1].Extended)
	}
	ext := map[string]int{}
	for _, ag := range s.Agencies {
		ext[ag.Agency.Key] = ag.Extended
	}
	if ext["a"] != 2 || ext["b"] != 1 {
		t.Errorf("agencies' extended assignments %v; want a 2, b 1", ext)
	}
	v := viewOf(t, Tasks(w.in, Filter{}), "25-1")
	if !v.Extended || !v.Lead[0].Extended || v.Lead[1].Extended {
		t.Errorf("task 25-1 extended %v, leads %v %v", v.Extended, v.Lead[0].Extended, v.Lead[1].Extended)
	}
}

// FoldFiles keeps the names of the first MaxFiles files per assignment, in
// the order sent, and skips files without a name and other updates.
func TestFoldFilesKeepsTheFirstNames(t *testing.T) {
	var ups []domain.Update
	for i := range MaxFiles + 2 {
		ups = append(ups, domain.Update{AssignmentID: "x", Kind: domain.AddEvidence, Evidence: &domain.Evidence{Name: fmt.Sprintf("f%d.pdf", i)}})
	}
	ups = append(ups,
		domain.Update{AssignmentID: "y", Kind: domain.AddEvidence, Evidence: &domain.Evidence{}},
		domain.Update{AssignmentID: "y", Kind: domain.AddNote, Note: "QĐ số 1"},
		domain.Update{AssignmentID: "y", Kind: domain.AddEvidence, Evidence: &domain.Evidence{Name: "qd-1.pdf"}})
	files := FoldFiles(nil, ups[:3]...)
	files = FoldFiles(files, ups[3:]...)
	if got := strings.Join(files["x"], ","); got != "f0.pdf,f1.pdf,f2.pdf,f3.pdf,f4.pdf" {
		t.Errorf("x: %s", got)
	}
	if got := strings.Join(files["y"], ","); got != "qd-1.pdf" {
		t.Errorf("y: %s", got)
	}
}
