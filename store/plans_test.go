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

// importTable reads a small plan table the way a coordinator's file gives it.
func importTable(t *testing.T, extra ...string) planimport.Table {
	t.Helper()
	csv := "\uFEFFPHỤ LỤC;;;;\r\n" +
		"STT;Tên nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian hoàn thành;Kết quả/sản phẩm;Ghi chú\r\n" +
		"I;CHUYỂN ĐỔI SỐ;;;;;\r\n" +
		"1;Xây dựng nền tảng dữ liệu;Sở Khoa học và Công nghệ;Sở Tài chính;Quý II/2027;Nền tảng;\r\n" +
		"2;Báo cáo kết quả;Các sở, ban, ngành, địa phương;;Hằng quý;Báo cáo;\r\n"
	for _, e := range extra {
		csv += e + "\r\n"
	}
	tb, err := planimport.Parse("ke-hoach.csv", []byte(csv), planimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

var meta27 = planimport.Meta{Number: "12/KH-UBND", Date: "2027-01-15", Title: "Kế hoạch chuyển đổi số năm 2027"}

// visibleOf counts what readers see of a plan: its tasks and assignments.
func visibleOf(t *testing.T, s *Store, key string) (plans, tasks, assignments int) {
	t.Helper()
	ctx := context.Background()
	ps, err := s.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Key == key {
			plans++
		}
	}
	ts, err := s.Tasks(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if x.PlanKey == key {
			tasks++
		}
	}
	as, err := s.AllAssignmentsEver(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range as {
		if a.PlanKey == key {
			assignments++
		}
	}
	return
}

// stored counts the documents of a plan in the collections, hidden or not.
func stored(t *testing.T, s *Store, key string) int64 {
	t.Helper()
	ctx := context.Background()
	var n int64
	for _, f := range []func() (int64, error){
		func() (int64, error) { return s.tasks.CountDocuments(ctx, bson.M{"plan": key}) },
		func() (int64, error) { return s.assignments.CountDocuments(ctx, bson.M{"plan": key}) },
		func() (int64, error) { return s.plans.CountDocuments(ctx, bson.M{"_id": key}) },
		func() (int64, error) { return s.imports.CountDocuments(ctx, bson.M{}) },
	} {
		c, err := f()
		if err != nil {
			t.Fatal(err)
		}
		n += c
	}
	return n
}

// An import stores the plan, its tasks and the assignments (explicit and
// collective); a second import of the same file is refused as existing; an
// update keeps every assignment's state.
func TestImportPlanStoresAllAndOnce(t *testing.T) {
	s, _ := testStore(t)
	ctx := context.Background()
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := s.ImportPlan(ctx, meta27, importTable(t), false)
	if err != nil {
		t.Fatal(err)
	}
	agencies, _ := s.Agencies(ctx)
	members := 0
	for _, a := range agencies {
		if r, ok := groupRole(domain.Task{Lead: domain.Cell{Group: "departments_localities"}}, a); ok && r == domain.Lead {
			members++
		}
	}
	if r.Plan.Code != "27" || r.Tasks.Inserted != 2 || r.Assignments.Inserted != 2+members {
		t.Fatalf("result %+v, want code 27, 2 tasks, %d assignments", r, 2+members)
	}
	task, err := s.Task(ctx, "27-1")
	if err != nil || task.Lead.Agencies[0] != "so-khcn" || task.Coordinating.Agencies[0] != "so-tai-chinh" || task.Deadline.Due.String() != "2027-06-30" {
		t.Fatalf("task 27-1: %+v %v", task, err)
	}
	if p, ta, as := visibleOf(t, s, r.Plan.Key); p != 1 || ta != 2 || as != 2+members {
		t.Fatalf("visible %d plans %d tasks %d assignments", p, ta, as)
	}
	plans, _ := s.Plans(ctx)
	if keys := []string{plans[0].Code, plans[1].Code, plans[2].Code}; !slices.Equal(keys, []string{"25", "26", "27"}) {
		t.Errorf("plans by date: %v", keys)
	}

	// The same file again: refused, nothing new.
	_, err = s.ImportPlan(ctx, meta27, importTable(t), false)
	var exists *PlanExistsError
	if !errors.As(err, &exists) || exists.Plan.Key != r.Plan.Key {
		t.Fatalf("second import: %v", err)
	}
	// The same table under another number (a typo in the caption) is found by its content.
	other := meta27
	other.Number = "13/KH-UBND"
	if _, err := s.ImportPlan(ctx, other, importTable(t), false); !errors.Is(err, ErrPlanExists) {
		t.Fatalf("same table, other number: %v", err)
	}

	// An officer reported on 27-1; the update adds a task and changes 27-1's
	// deadline, and keeps the report.
	a, _ := s.Assignment(ctx, "27-1/so-khcn")
	if _, err := s.assignments.UpdateOne(ctx, bson.M{"_id": a.ID}, bson.M{"$set": bson.M{"status": domain.InProgress, "progress": 40, "version": 1}}); err != nil {
		t.Fatal(err)
	}
	changed := importTable(t, "3;Đánh giá giữa kỳ;Sở Khoa học và Công nghệ;;Năm 2028;Báo cáo;")
	changed.Tasks[0].Deadline = "Quý III/2027"
	r2, err := s.ImportPlan(ctx, meta27, changed, true)
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Updated || r2.Tasks.Inserted != 1 || r2.Tasks.Updated != 1 || r2.Plan.Key != r.Plan.Key {
		t.Fatalf("update %+v", r2)
	}
	a, _ = s.Assignment(ctx, "27-1/so-khcn")
	if a.Status != domain.InProgress || a.Progress != 40 || a.Due.String() != "2027-09-30" {
		t.Errorf("after update 27-1/so-khcn = %+v, want its report kept and the new due date", a)
	}
	if p, ta, _ := visibleOf(t, s, r.Plan.Key); p != 1 || ta != 3 {
		t.Errorf("after update: %d plans, %d tasks", p, ta)
	}
}

// Stopped in the middle: whatever step a failure or a kill hits, readers
// never see part of the plan; an error undoes at once, a kill is undone by
// the repair at the next start; then the same import succeeds.
func TestImportPlanAllOrNothing(t *testing.T) {
	t.Cleanup(func() { importFault = nil })
	s, _ := testStore(t)
	ctx := context.Background()
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	before, _ := s.AllAssignmentsEver(ctx)
	key := planKey(meta27, "")
	boom := errors.New("disk full")
	for _, kill := range []bool{false, true} {
		for step := 1; step <= 5; step++ {
			importFault = func(n int) error {
				if n != step {
					return nil
				}
				if kill {
					return errKilled
				}
				return boom
			}
			_, err := s.ImportPlan(ctx, meta27, importTable(t), false)
			importFault = nil
			if err == nil {
				t.Fatalf("step %d kill=%v: the import did not stop", step, kill)
			}
			if p, ta, as := visibleOf(t, s, key); p+ta+as != 0 {
				t.Fatalf("step %d kill=%v: readers see %d plans %d tasks %d assignments of a half import", step, kill, p, ta, as)
			}
			if kill {
				if n := stored(t, s, key); n == 0 {
					t.Fatalf("step %d: a kill left nothing to repair; the test proves nothing", step)
				}
				if n, err := s.RepairImports(ctx); err != nil || n != 1 {
					t.Fatalf("repair: %d %v", n, err)
				}
			}
			if n := stored(t, s, key); n != 0 {
				t.Fatalf("step %d kill=%v: %d documents left behind", step, kill, n)
			}
			if after, _ := s.AllAssignmentsEver(ctx); len(after) != len(before) {
				t.Fatalf("step %d: %d assignments, want %d", step, len(after), len(before))
			}
		}
	}
	if _, err := s.ImportPlan(ctx, meta27, importTable(t), false); err != nil {
		t.Fatalf("import after the failures: %v", err)
	}
	if p, ta, _ := visibleOf(t, s, key); p != 1 || ta != 2 {
		t.Fatalf("after the failures %d plans %d tasks", p, ta)
	}
}
