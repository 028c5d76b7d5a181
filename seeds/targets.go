package seeds

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"agencybot/domain"
)

// TargetFiles are the files of plans' targets, in the order Targets returns
// them.
var TargetFiles = []string{"targets-2026.json"}

// TargetFile is the targets (chỉ tiêu) of one plan.
type TargetFile struct {
	Plan    string   `json:"plan"` // the plan's key
	Comment string   `json:"comment"`
	Targets []Target `json:"targets"`
}

// Target is one target as the plan states it.
type Target struct {
	Number       string   `json:"number"`
	Name         string   `json:"name"` // as written (its first letter a capital)
	Unit         string   `json:"unit"`
	Direction    string   `json:"direction"` // at_least, at_most or exactly
	Baseline     *Figure  `json:"baseline"`  // null when the plan states none
	Milestones   []Figure `json:"milestones"`
	Final        Figure   `json:"final"`
	From         int      `json:"from"`        // the first year values are asked for
	Agency       string   `json:"agency"`      // key of the agency that reports it
	AgencyText   string   `json:"agency_text"` // as written; "" when the plan names none
	Contributors Cell     `json:"contributors"`
	Task         string   `json:"task"`   // number of the task that repeats it ("V.3"), if any
	Source       string   `json:"source"` // the sentence it comes from, as written
}

// Figure is a number the plan sets for a year: the value as written (a
// decimal comma: "0,75") and the phrase it stands in ("≥ 0,75").
type Figure struct {
	Year  int    `json:"year"`
	Value string `json:"value"`
	Text  string `json:"text"`
}

// Targets returns the plans' targets in file order, validated against the
// plans and the agency registry.
func Targets() ([]TargetFile, error) {
	plans, err := Plans()
	if err != nil {
		return nil, err
	}
	agencies, err := Agencies()
	if err != nil {
		return nil, err
	}
	var out []TargetFile
	for _, name := range TargetFiles {
		var f TargetFile
		if err := decodeFile(name, &f); err != nil {
			return nil, err
		}
		if err := ValidateTargets(f, plans, agencies); err != nil {
			return nil, fmt.Errorf("seeds: %s: %w", name, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// milestone reads a figure: its value (decimal commas read) and whether its
// phrase makes it strict ("trên 40%"). The phrase must state the same number.
func (f Figure) milestone() (domain.Milestone, error) {
	v, err := domain.ParseNumber(f.Value)
	if err != nil {
		return domain.Milestone{}, fmt.Errorf("value %q: %w", f.Value, err)
	}
	ph, err := domain.ParseFigure(f.Text)
	if err != nil {
		return domain.Milestone{}, fmt.Errorf("text %q: %w", f.Text, err)
	}
	if math.Abs(ph.Value-v) > 1e-12 {
		return domain.Milestone{}, fmt.Errorf("text %q states %v, value says %v", f.Text, ph.Value, v)
	}
	return domain.Milestone{Year: f.Year, Value: v, Text: f.Text, Strict: ph.Strict}, nil
}

// Domain is the target as the program keeps it, in the plan with short code
// planCode ("26"); its contributors keep only their text, which the store
// reads against the registered agencies as it does the tasks' cells.
func (t Target) Domain(planKey, planCode string) (domain.Target, error) {
	d := domain.Target{
		ID: domain.TargetID(planCode, t.Number), PlanKey: planKey, Number: t.Number, Name: t.Name, Norm: domain.NormName(t.Name),
		Unit: t.Unit, Direction: domain.Direction(t.Direction), From: t.From, Agency: t.Agency, AgencyText: t.AgencyText,
		Contributors: domain.Cell{Text: t.Contributors.Text, Agencies: []string{}, Rest: []string{}}, Source: t.Source,
		Milestones: []domain.Milestone{},
	}
	if t.Task != "" {
		d.Task = planCode + "-" + t.Task
	}
	var errs []error
	if t.Baseline != nil {
		b, err := t.Baseline.milestone()
		errs = append(errs, err)
		d.Baseline = &b
	}
	for _, f := range t.Milestones {
		m, err := f.milestone()
		errs = append(errs, err)
		d.Milestones = append(d.Milestones, m)
	}
	var err error
	d.Final, err = t.Final.milestone()
	errs = append(errs, err, d.Check())
	return d, errors.Join(errs...)
}

// ValidateTargets checks a plan's targets: the plan exists, numbers and
// names are unique, every figure reads (and its phrase states its value),
// years increase to the final one, the agencies and the task exist.
func ValidateTargets(f TargetFile, plans []Plan, agencies []Agency) error {
	var plan *Plan
	for i := range plans {
		if plans[i].Key == f.Plan {
			plan = &plans[i]
		}
	}
	if plan == nil {
		return fmt.Errorf("plan %q is not a seed plan", f.Plan)
	}
	known := map[string]bool{}
	for _, a := range agencies {
		known[a.Key] = true
	}
	tasks := map[string]bool{}
	for _, t := range plan.Tasks {
		tasks[t.Number] = true
	}
	var errs []error
	numbers, names := map[string]bool{}, map[string]bool{}
	for i, t := range f.Targets {
		where := fmt.Sprintf("target #%d (%q)", i+1, t.Number)
		if t.Number == "" || numbers[t.Number] {
			errs = append(errs, fmt.Errorf("%s: empty or duplicate number", where))
		}
		numbers[t.Number] = true
		if n := domain.NormName(t.Name); n == "" || names[n] {
			errs = append(errs, fmt.Errorf("%s: empty or duplicate name", where))
		} else {
			names[n] = true
		}
		if strings.TrimSpace(t.Unit) == "" || strings.TrimSpace(t.Source) == "" {
			errs = append(errs, fmt.Errorf("%s: unit and source are required", where))
		}
		if t.From == 0 {
			errs = append(errs, fmt.Errorf("%s: from (the first year asked) is required", where))
		}
		if !known[t.Agency] {
			errs = append(errs, fmt.Errorf("%s: unknown agency %q", where, t.Agency))
		}
		if t.Task != "" && !tasks[t.Task] {
			errs = append(errs, fmt.Errorf("%s: plan %s has no task %q", where, plan.Code, t.Task))
		}
		errs = append(errs, validateCell(where+" contributors", t.Contributors, known))
		if _, err := t.Domain(plan.Key, plan.Code); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	return errors.Join(errs...)
}
