package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/seeds"
)

func seeded(t *testing.T) *Store {
	t.Helper()
	s, _ := testStore(t)
	if _, err := s.SeedDefault(context.Background()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return s
}

func TestSeedLoadsBothPlansCompletely(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	plans, err := s.Plans(ctx)
	if err != nil || len(plans) != 2 {
		t.Fatalf("plans = %d, %v; want 2", len(plans), err)
	}
	want := map[string]int{plans[0].Key: 21, plans[1].Key: 19}
	for key, n := range want {
		tasks, err := s.Tasks(ctx, key)
		if err != nil || len(tasks) != n {
			t.Fatalf("plan %s: %d tasks, %v; want %d", key, len(tasks), err, n)
		}
	}
	t5, err := s.Task(ctx, "25-5")
	if err != nil {
		t.Fatal(err)
	}
	if t5.Deadline.Kind != deadline.Conditional || t5.Lead.Agencies[0] != "so-tai-chinh" || t5.Coordinating.Agencies[0] != "vp-tinh-uy" {
		t.Errorf("task 25-5 = %+v", t5)
	}
	if got, _ := s.Task(ctx, "26-iv.5"); got.Number != "IV.5" {
		t.Errorf("lookup by lower-case code: %+v", got)
	}
	// Task 25-1 is assigned to every department and locality: one assignment each.
	as, err := s.TaskAssignments(ctx, "25-1")
	if err != nil {
		t.Fatal(err)
	}
	agencies, _ := s.Agencies(ctx)
	members := 0
	for _, a := range agencies {
		if agency.DepartmentsLocalities.Includes(a.Kind) {
			members++
		}
	}
	if members < 10 || len(as) != members {
		t.Errorf("25-1 has %d assignments; the group has %d members", len(as), members)
	}
	for _, a := range as {
		if !a.Collective || a.Role != domain.Lead {
			t.Errorf("assignment %s: collective=%v role=%s", a.ID, a.Collective, a.Role)
		}
	}
	// Task 25-8: the group leads, Văn phòng UBND tỉnh (also a group member) coordinates as written.
	as, _ = s.TaskAssignments(ctx, "25-8")
	for _, a := range as {
		if a.AgencyKey == "vp-ubnd-tinh" && (a.Role != domain.Coordinating || a.Collective) {
			t.Errorf("25-8 vp-ubnd-tinh: role %s collective %v; want explicit coordinating", a.Role, a.Collective)
		}
	}
}

func TestSeedTwiceChangesNothing(t *testing.T) {
	s := seeded(t)
	r, err := s.SeedDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Changed() {
		t.Errorf("second seed changed something: %+v", r)
	}
	if r.Tasks.Unchanged != 40 {
		t.Errorf("unchanged tasks = %d, want 40", r.Tasks.Unchanged)
	}
}

func TestSeedEditKeepsHistory(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-10", "so-khcn")
	p := 40
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 7, Kind: domain.SetProgress, Progress: &p}); err != nil {
		t.Fatal(err)
	}
	plans, _ := seeds.Plans()
	agencies, _ := seeds.Agencies()
	plans[0].Tasks[9].Title += " (sửa)"
	plans[0].Tasks[9].Deadline = "Trước 15/01/2026"
	plans[0].Tasks[9].Coordinating = seeds.Cell{Text: "Sở Tư pháp", Agencies: []string{"so-tu-phap"}}
	r, err := s.Seed(ctx, plans, agencies)
	if err != nil {
		t.Fatal(err)
	}
	if r.Tasks.Updated != 1 || r.Tasks.Unchanged != 39 || r.Assignments.Inserted != 1 {
		t.Errorf("report = %+v; want one task updated and one assignment added", r)
	}
	task, _ := s.Task(ctx, "25-10")
	if task.Deadline.Due.String() != "2026-01-15" || !strings.HasSuffix(task.Title, " (sửa)") {
		t.Errorf("task not updated: %q %s", task.Title, task.Deadline.Due)
	}
	a, err := s.Assignment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Progress != 40 || a.Version != 1 || a.Due.String() != "2026-01-15" {
		t.Errorf("assignment after reseed: progress %d version %d due %s", a.Progress, a.Version, a.Due)
	}
	h, _ := s.AssignmentHistory(ctx, id, 0)
	if len(h) != 1 {
		t.Errorf("history has %d entries, want 1", len(h))
	}
	// Back to the original file: the added coordinating agency is withdrawn, history untouched.
	plans, _ = seeds.Plans()
	r, err = s.Seed(ctx, plans, agencies)
	if err != nil {
		t.Fatal(err)
	}
	if r.Assignments.Withdrawn != 1 || r.Tasks.Updated != 1 {
		t.Errorf("report = %+v; want the added assignment withdrawn", r)
	}
	if _, _, err := s.Apply(ctx, domain.AssignmentID("25-10", "so-tu-phap"), domain.Change{Kind: domain.AddNote, Note: "x"}); !errors.Is(err, ErrWithdrawn) {
		t.Errorf("update of a withdrawn assignment: %v", err)
	}
}

func TestAddedAgencyReceivesOpenCollectiveTasks(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	a, n, err := s.AddAgency(ctx, "Xã Mỹ An", agency.Commune, nil)
	if err != nil {
		t.Fatal(err)
	}
	as, _ := s.AgencyAssignments(ctx, a.Key)
	if n == 0 || len(as) != n {
		t.Fatalf("new commune got %d assignments (reported %d)", len(as), n)
	}
	got := map[string]domain.Role{}
	for _, x := range as {
		got[x.TaskCode] = x.Role
	}
	// 25-1 (ongoing, group leads) and 25-3 (due 31/12/2025, group coordinates) are open on 24 Dec 2025.
	if got["25-1"] != domain.Lead || got["25-3"] != domain.Coordinating {
		t.Errorf("assignments = %v", got)
	}
	// 25-7 is for departments only ("Các sở, ban, ngành"): not for a commune.
	if _, ok := got["25-7"]; ok {
		t.Errorf("commune assigned to a departments-only task")
	}
	// Same agency under another spelling is refused.
	if _, _, err := s.AddAgency(ctx, "xã mỹ an", agency.Commune, nil); !errors.Is(err, ErrAgencyExists) {
		t.Errorf("duplicate agency: err = %v", err)
	}
	if _, _, err := s.AddAgency(ctx, "Công an Tỉnh", agency.Police, nil); !errors.Is(err, ErrAgencyExists) {
		t.Errorf("variant spelling of a seeded agency: err = %v", err)
	}
	// Reseeding keeps the commune's assignments and adds nothing.
	r, err := s.SeedDefault(ctx)
	if err != nil || r.Changed() {
		t.Errorf("reseed after adding a commune: %+v %v", r, err)
	}
}

func TestAgencyAddedLaterSkipsPastDueTasks(t *testing.T) {
	s, now := testStore(t)
	ctx := context.Background()
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	*now = now.AddDate(0, 1, 0) // 24 Jan 2026: tasks due 31/12/2025 are past
	a, _, err := s.AddAgency(ctx, "Phường Cao Lãnh", agency.Commune, nil)
	if err != nil {
		t.Fatal(err)
	}
	as, _ := s.AgencyAssignments(ctx, a.Key)
	for _, x := range as {
		if x.TaskCode == "25-3" {
			t.Errorf("commune added in 2026 was given 25-3, due 31/12/2025")
		}
	}
	if len(as) == 0 {
		t.Errorf("no assignments at all")
	}
}

func TestSetDueMovesAssignments(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	due := deadline.Date{Year: 2026, Month: 6, Day: 30}
	if err := s.SetDue(ctx, "25-5", due); err != nil {
		t.Fatal(err)
	}
	as, _ := s.TaskAssignments(ctx, "25-5")
	for _, a := range as {
		if a.Due != due || a.Kind != deadline.Fixed {
			t.Errorf("%s due %s kind %s", a.ID, a.Due, a.Kind)
		}
	}
	// Reseeding keeps the date the coordinator set.
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	task, _ := s.Task(ctx, "25-5")
	if task.Due() != due {
		t.Errorf("due after reseed = %s", task.Due())
	}
}
