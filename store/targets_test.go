package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/planimport"
	"agencybot/seeds"
)

// seededTargets is a store seeded as the bot starts, the clock on 24
// December 2026 (the research staff target's first year).
func seededTargets(t *testing.T) (*Store, *time.Time) {
	t.Helper()
	s, now := testStore(t)
	*now = time.Date(2026, 12, 24, 8, 0, 0, 0, testLoc)
	if _, err := s.SeedDefault(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, now
}

func value(source string, officer int64, year int, v float64) TargetChange {
	return TargetChange{SourceID: source, OfficerID: officer, OfficerName: "Nguyễn Văn An", AgencyKey: "so-khcn", Kind: domain.ReportValue,
		Year: year, Value: v, DataSource: "Cục Thống kê, số liệu 2026", Date: deadline.Date{Year: 2026, Month: 12, Day: 20}}
}

// Seeding stores plan 2026's five targets once: a second seeding changes
// nothing, and the research staff target is V.3's, with its contributors
// read as the task's cell is.
func TestSeedDefaultStoresTheTargetsOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := seededTargets(t)
	list, err := s.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 5 {
		t.Fatalf("%d targets, want 5", len(list))
	}
	staff := list[4]
	if staff.ID != "26-CT5" || staff.Task != "26-V.3" || staff.Final.Value != 12 || len(staff.Milestones) != 1 || staff.Milestones[0].Value != 9.5 ||
		staff.Contributors.Group != "departments+universities" || staff.Agency != "so-khcn" {
		t.Errorf("research staff target %+v", staff)
	}
	if list[3].Final.Value != 0.75 || list[3].Final.Text != "≥ 0,75" || !list[0].Final.Strict {
		t.Errorf("targets %+v, %+v", list[3].Final, list[0].Final)
	}
	r, err := s.SeedDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Changed() || r.Targets.Unchanged != 5 {
		t.Errorf("second seeding: %+v", r)
	}
}

// An officer reports a value; the same Telegram update replayed records
// nothing (ErrDuplicate, with the entry it recorded); a second value and its
// correction keep the history; the judgement reads the values that stand.
func TestReportCorrectAndReplayATarget(t *testing.T) {
	ctx := context.Background()
	s, now := seededTargets(t)
	tg, e, err := s.ApplyTarget(ctx, "26-ct5", value("tg:101", 7, 2026, 9.1))
	if err != nil {
		t.Fatal(err)
	}
	if tg.Version != 1 || e.ID != "26-CT5#1" || e.Value != 9.1 || e.OfficerName != "Nguyễn Văn An" || !e.At.Equal(*now) {
		t.Fatalf("first value: %+v %+v", tg, e)
	}
	again, replay, err := s.ApplyTarget(ctx, "26-CT5", value("tg:101", 7, 2026, 9.1))
	if !errors.Is(err, ErrDuplicate) || replay.ID != e.ID || again.Version != 1 {
		t.Fatalf("replay: %v %+v, version %d", err, replay, again.Version)
	}
	if _, _, err := s.ApplyTarget(ctx, "26-CT5", value("tg:102", 7, 2026, 9.1)); !errors.Is(err, domain.ErrNoChange) {
		t.Errorf("the same value again: %v", err)
	}
	*now = now.Add(time.Hour)
	if _, _, err := s.ApplyTarget(ctx, "26-CT5", value("tg:103", 7, 2026, 9.8)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.ApplyTarget(ctx, "26-CT5", TargetChange{SourceID: "tg:104", OfficerID: 8, Kind: domain.CorrectionValue}); !errors.Is(err, domain.ErrNothingToCorrect) {
		t.Errorf("a colleague's correction: %v", err)
	}
	_, c, err := s.ApplyTarget(ctx, "26-CT5", TargetChange{SourceID: "tg:105", OfficerID: 7, Kind: domain.CorrectionValue})
	if err != nil || c.Corrects != "26-CT5#2" {
		t.Fatalf("correction: %+v %v", c, err)
	}
	if _, _, err := s.ApplyTarget(ctx, "26-CT5", TargetChange{SourceID: "tg:106", OfficerID: 7, Kind: domain.CorrectionValue}); !errors.Is(err, domain.ErrNothingToCorrect) {
		t.Errorf("a correction of a correction: %v", err)
	}
	for _, bad := range []TargetChange{value("tg:107", 7, 2027, 10), value("tg:108", 7, 2031, 10), {SourceID: "tg:109", OfficerID: 7, Kind: domain.ReportValue, Year: 2026, Value: 9}} {
		if _, _, err := s.ApplyTarget(ctx, "26-CT5", bad); !errors.Is(err, domain.ErrInvalidChange) {
			t.Errorf("%+v: %v, want ErrInvalidChange", bad, err)
		}
	}
	if _, _, err := s.ApplyTarget(ctx, "26-CT9", value("tg:110", 7, 2026, 1)); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown target: %v", err)
	}
	h, err := s.TargetHistory(ctx, "26-CT5", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].Kind != domain.CorrectionValue || !h[1].Corrected || h[1].Value != 9.8 || h[2].Value != 9.1 || h[2].Corrected {
		t.Fatalf("history %+v", h)
	}
	recs, err := s.TargetRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r := recs[4]
	if len(r.History) != 3 || r.History[0].Version != 1 || len(r.Current()) != 1 {
		t.Fatalf("record %+v", r)
	}
	j := domain.JudgeTarget(r.Target, r.History, deadline.DateOf(now.In(testLoc)))
	if j.Light != domain.Behind || j.Actual == nil || j.Actual.Value != 9.1 || j.Expected.Value != 9.5 {
		t.Errorf("judgement %+v", j)
	}
	// Another target's history is its own.
	if _, _, err := s.ApplyTarget(ctx, "26-CT4", value("tg:101", 7, 2026, 0.61)); err != nil {
		t.Errorf("the same update id on another target: %v", err)
	}
}

// A crash after an entry was recorded and before the target moved: the next
// read rolls it forward; a correction whose withdrawn value was not marked
// is finished by RepairTargets; a replay of its source is still recognised.
func TestTargetCrashIsRolledForward(t *testing.T) {
	ctx := context.Background()
	s, now := seededTargets(t)
	if _, _, err := s.ApplyTarget(ctx, "26-CT1", value("tg:1", 7, 2026, 22)); err != nil {
		t.Fatal(err)
	}
	// The process dies after inserting the correction, before anything else.
	corr := domain.TargetValue{ID: "26-CT1#2", Source: "tg:2", TargetID: "26-CT1", Version: 2, Kind: domain.CorrectionValue, Year: 2026,
		Corrects: "26-CT1#1", OfficerID: 7, At: now.UTC()}
	if _, err := s.targetValues.InsertOne(ctx, corr); err != nil {
		t.Fatal(err)
	}
	raw, _ := one[domain.Target](ctx, s.targets, bson.M{"_id": "26-CT1"})
	if raw.Version != 1 {
		t.Fatalf("stored version %d before the repair", raw.Version)
	}
	n, err := s.RepairTargets(ctx)
	if err != nil || n != 1 {
		t.Fatalf("repair: %d, %v", n, err)
	}
	tg, err := s.Target(ctx, "26-CT1")
	if err != nil || tg.Version != 2 || tg.LastValue != "26-CT1#2" {
		t.Fatalf("after repair: %+v %v", tg, err)
	}
	h, _ := s.TargetHistory(ctx, "26-CT1", 0)
	if len(h) != 2 || !h[1].Corrected {
		t.Errorf("history %+v", h)
	}
	if _, _, err := s.ApplyTarget(ctx, "26-CT1", TargetChange{SourceID: "tg:2", OfficerID: 7, Kind: domain.CorrectionValue}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("replayed correction: %v", err)
	}
	// A crash before the target moved, found by a read instead.
	e := domain.TargetValue{ID: "26-CT1#3", Source: "tg:3", TargetID: "26-CT1", Version: 3, Kind: domain.ReportValue, Year: 2026, Value: 23,
		DataSource: "x", OfficerID: 7, At: now.UTC()}
	if _, err := s.targetValues.InsertOne(ctx, e); err != nil {
		t.Fatal(err)
	}
	list, err := s.Targets(ctx)
	if err != nil || list[0].Version != 3 {
		t.Fatalf("Targets after a crash: %+v %v", list[0], err)
	}
	if _, _, err := s.ApplyTarget(ctx, "26-CT1", value("tg:3", 7, 2026, 23)); !errors.Is(err, ErrDuplicate) {
		t.Errorf("replay after the roll-forward: %v", err)
	}
}

// A target dropped from the file is withdrawn with its values kept, and
// comes back with them; nothing can be reported on it meanwhile.
func TestTargetWithdrawnKeepsValues(t *testing.T) {
	ctx := context.Background()
	s, _ := seededTargets(t)
	if _, _, err := s.ApplyTarget(ctx, "26-CT2", value("tg:1", 7, 2026, 18)); err != nil {
		t.Fatal(err)
	}
	files, _ := seeds.Targets()
	short := files[0]
	short.Targets = append(append([]seeds.Target(nil), short.Targets[:1]...), short.Targets[2:]...)
	n, err := s.SeedTargets(ctx, []seeds.TargetFile{short})
	if err != nil || n.Withdrawn != 1 {
		t.Fatalf("seed without target 2: %+v %v", n, err)
	}
	if list, _ := s.Targets(ctx); len(list) != 4 {
		t.Errorf("%d targets listed, want 4", len(list))
	}
	if _, _, err := s.ApplyTarget(ctx, "26-CT2", value("tg:2", 7, 2026, 19)); !errors.Is(err, ErrTargetWithdrawn) {
		t.Errorf("report on a withdrawn target: %v", err)
	}
	if _, err := s.SeedDefault(ctx); err != nil {
		t.Fatal(err)
	}
	tg, err := s.Target(ctx, "26-CT2")
	if err != nil || tg.Withdrawn || tg.Version != 1 {
		t.Errorf("back: %+v %v", tg, err)
	}
}

// targetsTable is a plan's file with its tasks and, under them, a targets
// table (extra rows go at its end).
func targetsTable(t *testing.T, extra ...string) planimport.Table {
	t.Helper()
	csv := "\uFEFFPHỤ LỤC;;;;\r\n" +
		"STT;Tên nhiệm vụ;Cơ quan chủ trì;Cơ quan phối hợp;Thời gian hoàn thành;Kết quả/sản phẩm;Ghi chú\r\n" +
		"I;CHUYỂN ĐỔI SỐ;;;;;\r\n" +
		"1;Xây dựng nền tảng dữ liệu;Sở Khoa học và Công nghệ;Sở Tài chính;Quý II/2027;Nền tảng;\r\n" +
		";;;;;;\r\n" +
		"STT;Chỉ tiêu;Đơn vị tính;Hiện trạng/Năm gốc;2027;2028;2029;2030;Cơ quan chủ trì\r\n"
	rows := append([]string{
		"1;Tỷ lệ hồ sơ giải quyết trực tuyến toàn trình;%;35 (2026);45;55;65;≥ 80;Văn phòng UBND tỉnh",
	}, extra...)
	for _, r := range rows {
		csv += r + "\r\n"
	}
	tb, err := planimport.Parse("ke-hoach.csv", []byte(csv), planimport.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func targetDocs(t *testing.T, s *Store, plan string) int64 {
	t.Helper()
	n, err := s.targets.CountDocuments(context.Background(), bson.M{"plan": plan})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A plan's file with a targets table stores its targets with the plan; an
// update brings them in line (values kept, a dropped one withdrawn); a file
// without a targets table leaves them as they are.
func TestImportPlanStoresItsTargets(t *testing.T) {
	ctx := context.Background()
	s, now := seededTargets(t)
	tb := targetsTable(t, "2;Số doanh nghiệp khoa học và công nghệ;doanh nghiệp;12;15;;;30;Sở Khoa học và Công nghệ")
	r, err := s.ImportPlan(ctx, meta27, tb, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Targets.Inserted != 2 {
		t.Fatalf("result %+v", r)
	}
	list, _ := s.Targets(ctx)
	if len(list) != 7 || list[5].ID != "27-CT1" || list[5].Agency != "vp-ubnd-tinh" || list[5].Final.Value != 80 || list[5].Baseline.Year != 2026 ||
		list[6].Agency != "so-khcn" || list[6].Baseline.Year != 2026 {
		t.Fatalf("targets after import: %+v", list)
	}
	*now = time.Date(2027, 12, 10, 9, 0, 0, 0, testLoc)
	if _, _, err := s.ApplyTarget(ctx, "27-CT1", TargetChange{SourceID: "tg:9", OfficerID: 5, AgencyKey: "vp-ubnd-tinh", Kind: domain.ReportValue,
		Year: 2027, Value: 47.5, DataSource: "Cổng dịch vụ công"}); err != nil {
		t.Fatal(err)
	}
	changed := targetsTable(t)
	changed.Targets[0].Milestones[0].Value, changed.Targets[0].Milestones[0].Text = 50, "50"
	r2, err := s.ImportPlan(ctx, meta27, changed, true)
	if err != nil {
		t.Fatal(err)
	}
	if r2.Targets.Updated != 1 || r2.Targets.Withdrawn != 1 {
		t.Fatalf("update %+v", r2.Targets)
	}
	tg, err := s.Target(ctx, "27-CT1")
	if err != nil || tg.Version != 1 || tg.Milestones[0].Value != 50 {
		t.Errorf("after update: %+v %v", tg, err)
	}
	if _, err := s.ImportPlan(ctx, meta27, importTable(t), true); err != nil {
		t.Fatal(err)
	}
	if tg, err := s.Target(ctx, "27-CT1"); err != nil || tg.Withdrawn {
		t.Errorf("a file without targets withdrew them: %+v %v", tg, err)
	}
}

// Stopped at any step, an import with targets leaves none behind (an error
// undoes at once, a kill at the next start), and readers never list the
// targets of a plan half imported.
func TestImportPlanTargetsAllOrNothing(t *testing.T) {
	t.Cleanup(func() { importFault = nil })
	ctx := context.Background()
	s, _ := seededTargets(t)
	key := planKey(meta27, "")
	for _, kill := range []bool{false, true} {
		for step := 1; step <= 4; step++ {
			importFault = func(n int) error {
				switch {
				case n != step:
					return nil
				case kill:
					return errKilled
				}
				return errors.New("disk full")
			}
			_, err := s.ImportPlan(ctx, meta27, targetsTable(t), false)
			importFault = nil
			if err == nil {
				t.Fatalf("step %d kill=%v: the import did not stop", step, kill)
			}
			if list, _ := s.Targets(ctx); len(list) != 5 {
				t.Fatalf("step %d kill=%v: %d targets listed during a half import", step, kill, len(list))
			}
			if kill {
				if _, err := s.RepairImports(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if n := targetDocs(t, s, key); n != 0 {
				t.Fatalf("step %d kill=%v: %d targets left behind", step, kill, n)
			}
		}
	}
	if _, err := s.ImportPlan(ctx, meta27, targetsTable(t), false); err != nil {
		t.Fatal(err)
	}
	if n := targetDocs(t, s, key); n != 1 {
		t.Fatalf("%d targets after the import", n)
	}
}
