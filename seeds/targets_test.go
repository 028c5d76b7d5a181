package seeds

import (
	"strings"
	"testing"

	"agencybot/domain"
)

// The seeds carry plan 2026's five targets with the plan's numbers, decimal
// commas read: > 40 %, 30 % GRDP, > 55 %, ≥ 0,75, and 12 per 10,000 people
// by 2030 with 9,5 in 2026 (task V.3).
func TestTargets2026Parse(t *testing.T) {
	files, err := Targets()
	if err != nil {
		t.Fatalf("Targets: %v", err)
	}
	if len(files) != 1 || len(files[0].Targets) != 5 {
		t.Fatalf("got %d files, want one with 5 targets", len(files))
	}
	_, p26 := loadPlans(t)
	if files[0].Plan != p26.Key {
		t.Fatalf("plan %q, want %q", files[0].Plan, p26.Key)
	}
	type want struct {
		id, unit   string
		final      float64
		strict     bool
		milestones map[int]float64
		task       string
	}
	wants := []want{
		{"26-CT1", "%", 40, true, nil, ""},
		{"26-CT2", "% GRDP", 30, false, nil, ""},
		{"26-CT3", "%", 55, true, nil, ""},
		{"26-CT4", "chỉ số", 0.75, false, nil, ""},
		{"26-CT5", "người/1 vạn dân", 12, false, map[int]float64{2026: 9.5}, "26-V.3"},
	}
	for i, st := range files[0].Targets {
		d, err := st.Domain(p26.Key, p26.Code)
		if err != nil {
			t.Fatalf("%s: %v", st.Number, err)
		}
		w := wants[i]
		if d.ID != w.id || d.Unit != w.unit || d.Final.Value != w.final || d.Final.Year != 2030 || d.Final.Strict != w.strict ||
			d.Direction != domain.AtLeast || d.Baseline != nil || d.From != 2026 || d.Agency != "so-khcn" || d.Task != w.task {
			t.Errorf("target %d = %+v, want %+v", i+1, d, w)
		}
		if len(d.Milestones) != len(w.milestones) {
			t.Errorf("%s: milestones %+v, want %v", d.ID, d.Milestones, w.milestones)
		}
		for _, m := range d.Milestones {
			if w.milestones[m.Year] != m.Value {
				t.Errorf("%s: milestone %d = %v, want %v", d.ID, m.Year, m.Value, w.milestones[m.Year])
			}
		}
	}
	if c := files[0].Targets[4].Contributors; c.Group != GroupDepartmentsUniversities || c.Text != findTask(t, p26, "V.3").Coordinating.Text {
		t.Errorf("V.3's contributors: %+v", c)
	}
}

// A target file that contradicts itself, the plans or the registry is
// refused, naming what is wrong.
func TestValidateTargetsRefusesMistakes(t *testing.T) {
	files, err := Targets()
	if err != nil {
		t.Fatal(err)
	}
	plans, _ := Plans()
	agencies, _ := Agencies()
	for name, c := range map[string]struct {
		edit func(*TargetFile)
		want string
	}{
		"a number the text does not state": {func(f *TargetFile) { f.Targets[3].Final.Value = "0,7" }, "states 0.75"},
		"an unreadable value":              {func(f *TargetFile) { f.Targets[0].Final.Value = "bốn mươi" }, "value"},
		"a milestone after the final year": {func(f *TargetFile) { f.Targets[4].Milestones[0].Year = 2031 }, "not after"},
		"an unknown agency":                {func(f *TargetFile) { f.Targets[1].Agency = "so-khong-co" }, "unknown agency"},
		"a task the plan does not have":    {func(f *TargetFile) { f.Targets[4].Task = "V.9" }, "no task"},
		"a duplicate name":                 {func(f *TargetFile) { f.Targets[1].Name = strings.ToUpper(f.Targets[0].Name) }, "duplicate name"},
		"an unknown plan":                  {func(f *TargetFile) { f.Plan = "kh-none" }, "not a seed plan"},
		"a bad direction":                  {func(f *TargetFile) { f.Targets[2].Direction = "more" }, "direction"},
	} {
		f := files[0]
		f.Targets = append([]Target(nil), f.Targets...)
		for i := range f.Targets {
			f.Targets[i].Milestones = append([]Figure(nil), f.Targets[i].Milestones...)
		}
		c.edit(&f)
		if err := ValidateTargets(f, plans, agencies); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, c.want)
		}
	}
}
