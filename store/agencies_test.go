package store

import (
	"context"
	"errors"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/domain"
	"agencybot/planimport"
)

// A name the preview did not recognise, mapped by a coordinator to an
// agency, is remembered as its alias: the import then assigns that agency.
func TestMappedNameIsRememberedAsAlias(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tb := importTable(t, "3;Số hóa hồ sơ;Trung tâm Phục vụ hành chính công;;Năm 2027;Dữ liệu;")
	ix, _ := s.AgencyIndex(ctx)
	pv := planimport.NewPreview(tb, meta27, ix)
	if len(pv.Unknown) != 1 || pv.Unknown[0].Text != "Trung tâm Phục vụ hành chính công" {
		t.Fatalf("unknown names %+v", pv.Unknown)
	}
	if _, err := s.AddAlias(ctx, "vp-ubnd-tinh", pv.Unknown[0].Text); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAlias(ctx, "so-khcn", "Sở Tài chính"); !errors.Is(err, ErrAgencyExists) {
		t.Errorf("an alias another agency answers to: %v", err)
	}
	ix, _ = s.AgencyIndex(ctx)
	if pv := planimport.NewPreview(tb, meta27, ix); len(pv.Unknown) != 0 {
		t.Errorf("after mapping, still unknown: %+v", pv.Unknown)
	}
	if _, err := s.ImportPlan(ctx, meta27, tb, false); err != nil {
		t.Fatal(err)
	}
	if a, err := s.Assignment(ctx, "27-3/vp-ubnd-tinh"); err != nil || a.Role != domain.Lead {
		t.Errorf("the mapped agency's assignment: %+v %v", a, err)
	}
}

// Renaming keeps the old name as an alias; deactivating withdraws the open
// assignments (done ones and every update stay) and takes the agency out of
// lists and matching.
func TestRenameAndDeactivateAgency(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := s.RenameAgency(ctx, "so-tu-phap", "Sở Tư pháp tỉnh Đồng Tháp mới")
	if err != nil || a.Name != "Sở Tư pháp tỉnh Đồng Tháp mới" || !slices.Contains(a.Aliases, "Sở Tư pháp") {
		t.Fatalf("rename: %+v %v", a, err)
	}
	ix, _ := s.AgencyIndex(ctx)
	if m, ok := ix.Match("Sở Tư pháp"); !ok || m.Key != "so-tu-phap" {
		t.Errorf("the old name no longer matches: %+v", m)
	}
	if _, err := s.RenameAgency(ctx, "so-tu-phap", "Sở Y tế"); !errors.Is(err, ErrAgencyExists) {
		t.Errorf("rename to another agency's name: %v", err)
	}

	open, err := s.AgencyAssignments(ctx, "so-tu-phap")
	if err != nil || len(open) < 2 {
		t.Fatalf("assignments of so-tu-phap: %d %v", len(open), err)
	}
	if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": open[0].ID}, bson.M{"$set": bson.M{"status": domain.Done}}); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeactivateAgency(ctx, "so-tu-phap")
	if err != nil || n != len(open)-1 {
		t.Fatalf("deactivate withdrew %d (%v), want %d", n, err, len(open)-1)
	}
	done, _ := s.Assignment(ctx, open[0].ID)
	gone, _ := s.Assignment(ctx, open[1].ID)
	if done.Withdrawn || !gone.Withdrawn {
		t.Errorf("done %+v, open %+v", done, gone)
	}
	list, _ := s.Agencies(ctx)
	if slices.ContainsFunc(list, func(a domain.Agency) bool { return a.Key == "so-tu-phap" }) {
		t.Error("a deactivated agency is still listed")
	}
	if _, err := s.Agency(ctx, "so-tu-phap"); err != nil {
		t.Errorf("its record must stay for history: %v", err)
	}
}
