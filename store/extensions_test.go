package store

import (
	"context"
	"errors"
	"testing"

	"agencybot/deadline"
	"agencybot/domain"
)

func date(t *testing.T, iso string) deadline.Date {
	t.Helper()
	d, err := deadline.ParseDate(iso)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// An extension asked, approved with another date, decided once; the part
// keeps its new date through a re-seed of the plan and a coordinator's
// /setdue of the task, while the plan's own date stays on record.
func TestExtensionDecidedOnceAndKeptThroughPlanUpdates(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id := domain.AssignmentID("25-3", "so-y-te")
	a, err := s.Assignment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if a.Due != date(t, "2025-12-31") || a.Extended() {
		t.Fatalf("seeded part: due %s, extensions %d", a.Due, a.Extensions)
	}
	req := Extension{Key: "11", AssignmentID: id, TaskCode: "25-3", AgencyKey: "so-y-te", From: a.Due,
		Asked: date(t, "2026-03-31"), Reason: "Chờ ý kiến các sở", RequestedBy: 100, RequestName: "Nguyễn An"}
	e, err := s.RequestExtension(ctx, req)
	if err != nil || e.State != ExtensionPending || e.Reason != "Chờ ý kiến các sở" {
		t.Fatalf("request: %+v, %v", e, err)
	}
	if again, err := s.RequestExtension(ctx, req); err != nil || again.ID != e.ID {
		t.Errorf("the replayed request: %+v, %v; want the one recorded", again, err)
	}
	other := req
	other.Key = "12"
	if p, err := s.RequestExtension(ctx, other); !errors.Is(err, ErrExtensionPending) || p.ID != e.ID {
		t.Errorf("a second request while one waits: %+v, %v; want ErrExtensionPending", p, err)
	}

	d := Decision{Approve: true, To: date(t, "2026-02-28"), By: 1, ByName: "Quản Trị", Key: "20"}
	got, moved, err := s.DecideExtension(ctx, id, "11", d)
	if err != nil || got.State != ExtensionApproved || got.To != d.To || got.DecidedName != "Quản Trị" {
		t.Fatalf("approve: %+v, %v", got, err)
	}
	if moved.Due != d.To || moved.DueOriginal != date(t, "2025-12-31") || moved.Extensions != 1 {
		t.Errorf("the part after approval: due %s, original %s, extensions %d", moved.Due, moved.DueOriginal, moved.Extensions)
	}
	if _, _, err := s.DecideExtension(ctx, id, "11", Decision{Refusal: "không", By: 2, Key: "21"}); !errors.Is(err, ErrExtensionDecided) {
		t.Errorf("a second decision: %v, want ErrExtensionDecided", err)
	}
	if _, again, err := s.DecideExtension(ctx, id, "11", d); err != nil || again.Due != d.To || again.Extensions != 1 {
		t.Errorf("the replayed decision: %+v, %v; want it finished, counted once", again, err)
	}

	// The plan updated (re-seeded) and the task's date set by hand: the
	// extended part keeps its date, the plan's moves.
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Assignment(ctx, id); a.Due != d.To || a.DueOriginal != date(t, "2025-12-31") {
		t.Errorf("after a re-seed: due %s, original %s", a.Due, a.DueOriginal)
	}
	if err := s.SetDue(ctx, "25-3", date(t, "2026-01-15")); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Assignment(ctx, id); a.Due != d.To || a.DueOriginal != date(t, "2026-01-15") {
		t.Errorf("after SetDue of the task: due %s, original %s", a.Due, a.DueOriginal)
	}
	if a, _ := s.Assignment(ctx, domain.AssignmentID("25-3", "so-khcn")); a.Due != date(t, "2026-01-15") {
		t.Errorf("a part never extended follows the task: due %s", a.Due)
	}

	// A refusal leaves the date; the history holds both, oldest first.
	other.Key = "30"
	if _, err := s.RequestExtension(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got, a, err := s.DecideExtension(ctx, id, "30", Decision{Refusal: "Đã gia hạn một lần", By: 1, ByName: "Quản Trị", Key: "31"}); err != nil || got.State != ExtensionRefused || a.Due != d.To {
		t.Errorf("refuse: %+v, due %s, %v", got, a.Due, err)
	}
	list, err := s.Extensions(ctx, id)
	if err != nil || len(list) != 2 || list[0].Key != "11" || list[1].Refusal != "Đã gia hạn một lần" {
		t.Errorf("history: %+v, %v", list, err)
	}
	if n, _ := s.ApprovedExtensions(ctx, id); n != 1 {
		t.Errorf("approved: %d, want 1", n)
	}
}
