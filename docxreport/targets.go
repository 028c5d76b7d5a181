package docxreport

import (
	"fmt"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// TargetRecord is a target with its history (store.TargetRecord's shape).
type TargetRecord struct {
	Target  domain.Target
	History []domain.TargetValue
}

// TargetsOf is the report's targets section (report.Input.Targets) in
// language l, judged on day today as /targets judges them: the baseline and
// the goal as the plan writes them, the latest value with its year and
// light ("9,6 (2026) — Đúng lộ trình"), and when it was reported.
func TargetsOf(recs []TargetRecord, l i18n.Lang, today deadline.Date) []report.Target {
	out := make([]report.Target, 0, len(recs))
	for _, r := range recs {
		t := r.Target
		j := domain.JudgeTarget(t, r.History, today)
		row := report.Target{PlanKey: t.PlanKey, TaskCode: t.Task, Name: t.Name, Unit: t.Unit,
			Goal: fmt.Sprintf("%s (%d)", figure(l, t.Final), t.Final.Year)}
		if b := t.Baseline; b != nil {
			row.Baseline = figure(l, *b)
			if b.Year != 0 {
				row.Baseline += fmt.Sprintf(" (%d)", b.Year)
			}
		}
		if v := j.Latest; v != nil {
			row.Value = fmt.Sprintf("%s (%d)", i18n.Number(l, v.Value), v.Year)
			if v.Period != "" {
				row.Value = fmt.Sprintf("%s (%s %d)", i18n.Number(l, v.Value), v.Period, v.Year)
			}
			row.Value += " — " + i18n.T(l, "target.light."+string(j.Light))
			row.At = v.At
		}
		out = append(out, row)
	}
	return out
}

func figure(l i18n.Lang, m domain.Milestone) string {
	if m.Text != "" {
		return m.Text
	}
	return i18n.Number(l, m.Value)
}
