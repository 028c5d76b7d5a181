package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/store"
)

func targetsJSON(t *testing.T, env func(string) string, args ...string) map[string]map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	if err := execute(context.Background(), append([]string{"targets", "--format", "json"}, args...), sys(&out, &errb, env)); err != nil {
		t.Fatalf("targets: %v\n%s", err, errb.String())
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, out.String())
	}
	byID := map[string]map[string]any{}
	for _, r := range rows {
		byID[r["id"].(string)] = r
	}
	if len(rows) != len(byID) {
		t.Fatalf("%d rows, %d ids", len(rows), len(byID))
	}
	return byID
}

// `agencybot targets --format json` lists plan 2026's five targets on a
// fresh data directory, with the documented fields; after two values were
// reported on the research staff target (and one withdrawn by its
// officer), it lists them with their year, source, who and when, and judges
// the target on the day --at names.
func TestTargetsCommand(t *testing.T) {
	env := testEnv(t, nil)
	got := targetsJSON(t, env)
	if len(got) != 5 {
		t.Fatalf("%d targets, want 5", len(got))
	}
	staff := got["26-CT5"]
	for _, k := range []string{"name", "unit", "direction", "baseline", "milestones", "target", "year", "agency", "values"} {
		if _, ok := staff[k]; !ok {
			t.Errorf("field %s missing: %v", k, staff)
		}
	}
	ms, _ := staff["milestones"].(map[string]any)
	if staff["unit"] != "người/1 vạn dân" || staff["direction"] != "at_least" || staff["baseline"] != nil || len(ms) != 2 || ms["2026"] != 9.5 || ms["2030"] != 12.0 ||
		staff["target"] != 12.0 || staff["year"] != 2030.0 || staff["agency"] != "Sở Khoa học và Công nghệ" || staff["task"] != "26-V.3" || len(staff["values"].([]any)) != 0 {
		t.Errorf("26-CT5 = %v", staff)
	}
	if dti := got["26-CT4"]; dti["target"] != 0.75 || dti["target_text"] != "≥ 0,75" || dti["strict"] != false {
		t.Errorf("26-CT4 = %v", dti)
	}
	if first := got["26-CT1"]; first["target"] != 40.0 || first["strict"] != true || first["unit"] != "%" {
		t.Errorf("26-CT1 = %v", first)
	}

	// Two values and a withdrawn one, reported through the store as the bot does.
	ctx := context.Background()
	cfg, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 12, 20, 9, 30, 0, 0, cfg.Location)
	s, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, Database: cfg.MongoDatabase, Clock: func() time.Time { return clock }, Location: cfg.Location})
	if err != nil {
		t.Fatal(err)
	}
	for i, ch := range []store.TargetChange{
		{Kind: domain.ReportValue, Year: 2025, Value: 8.7, Text: "8,7", DataSource: "Cục Thống kê, số liệu 2025", Date: deadline.Date{Year: 2026, Month: 3, Day: 15}},
		{Kind: domain.ReportValue, Year: 2026, Value: 9.8, Text: "9,8", DataSource: "Ước tính của Sở"},
		{Kind: domain.CorrectionValue},
		{Kind: domain.ReportValue, Year: 2026, Value: 9.6, Text: "9,6", DataSource: "Cục Thống kê, số liệu 2026", Date: deadline.Date{Year: 2026, Month: 12, Day: 18}},
	} {
		ch.SourceID, ch.OfficerID, ch.OfficerName, ch.AgencyKey = "tg:"+string(rune('1'+i)), 42, "Trần Thị Mai", "so-khcn"
		if _, _, err := s.ApplyTarget(ctx, "26-CT5", ch); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	staff = targetsJSON(t, env, "--at", "2026-12-24T08:00:00+07:00")["26-CT5"]
	vals := staff["values"].([]any)
	if len(vals) != 3 {
		t.Fatalf("values %v", vals)
	}
	first, withdrawn, last := vals[0].(map[string]any), vals[1].(map[string]any), vals[2].(map[string]any)
	if first["year"] != 2025.0 || first["value"] != 8.7 || first["source"] != "Cục Thống kê, số liệu 2025" || first["date"] != "2026-03-15" ||
		first["who"] != "Trần Thị Mai" || first["when"] != "2026-12-20T09:30:00+07:00" || first["withdrawn"] != false {
		t.Errorf("first value %v", first)
	}
	if withdrawn["value"] != 9.8 || withdrawn["withdrawn"] != true || withdrawn["date"] != nil {
		t.Errorf("withdrawn value %v", withdrawn)
	}
	if last["value"] != 9.6 || last["year"] != 2026.0 || last["withdrawn"] != false {
		t.Errorf("last value %v", last)
	}
	exp, _ := staff["expected"].(map[string]any)
	if staff["light"] != "on_track" || staff["trend"] != "improving" || staff["latest"] != 9.6 || staff["as_of"] != "2026-12-24" ||
		exp["value"] != 9.5 || exp["basis"] != "milestone" || staff["met"] != false {
		t.Errorf("judged 26-CT5 = %v", staff)
	}
	if b, _ := json.MarshalIndent(staff, "", "  "); testing.Verbose() {
		t.Logf("26-CT5 as of 24/12/2026:\n%s", b)
	}

	var out, errb bytes.Buffer
	var u usageError
	if err := execute(ctx, []string{"targets", "--format", "csv"}, sys(&out, &errb, env)); !errors.As(err, &u) {
		t.Errorf("--format csv: %v", err)
	}
	if err := execute(ctx, []string{"targets", "--at", "tomorrow"}, sys(&out, &errb, env)); !errors.As(err, &u) {
		t.Errorf("--at tomorrow: %v", err)
	}
}
