package store

import (
	"context"
	"testing"

	"agencybot/domain"
	"agencybot/report"
)

// The roll-up input of the province holds every current assignment; that of
// one agency holds exactly its assignments, read by identity, and the two
// agree on that agency's figures. EachUpdate streams every update once.
func TestRollupInputWholeAndOneAgency(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-khcn")
	if _, err := s.Assignment(ctx, id); err != nil {
		t.Fatalf("seeded assignment %s: %v", id, err)
	}
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.SetStatus, Status: domain.Blocked}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Apply(ctx, id, domain.Change{OfficerID: 1, Kind: domain.AddEvidence, Evidence: &domain.Evidence{Name: "qd.pdf"}}); err != nil {
		t.Fatal(err)
	}
	base := report.Input{Now: s.now(), Loc: testLoc}
	all, err := s.RollupInput(ctx, base, "", false)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.AllAssignments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Assignments) != len(want) || len(all.Plans) != 2 || len(all.Tasks) != 40 {
		t.Fatalf("whole: %d assignments (want %d), %d plans, %d tasks", len(all.Assignments), len(want), len(all.Plans), len(all.Tasks))
	}
	one, err := s.RollupInput(ctx, base, "so-khcn", false)
	if err != nil {
		t.Fatal(err)
	}
	mine := 0
	for _, a := range want {
		if a.AgencyKey == "so-khcn" {
			mine++
		}
	}
	if len(one.Assignments) != mine || mine == 0 {
		t.Fatalf("one agency: %d assignments, want %d", len(one.Assignments), mine)
	}
	f := report.Filter{AgencyKey: "so-khcn"}
	a, b := report.Summarize(all, f), report.Summarize(one, f)
	if a.Tasks != b.Tasks || a.ByLight[domain.Red] != b.ByLight[domain.Red] || b.ByStatus[domain.Blocked] != 1 {
		t.Errorf("agency figures differ: whole %d tasks %d red, one %d tasks %d red %d blocked", a.Tasks, a.ByLight[domain.Red], b.Tasks, b.ByLight[domain.Red], b.ByStatus[domain.Blocked])
	}
	var n int
	ev := map[string]int{}
	if err := s.EachUpdate(ctx, "", func(u domain.Update) error { n++; ev = report.FoldUpdates(ev, u); return nil }); err != nil {
		t.Fatal(err)
	}
	if n != 2 || ev[id] != 1 {
		t.Errorf("%d updates streamed, evidence %d; want 2, 1", n, ev[id])
	}
	if _, err := s.RollupInput(ctx, base, "no-such-agency", false); err == nil {
		t.Error("an unknown agency gave no error")
	}
}
