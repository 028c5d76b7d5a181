package xlsxreport

import (
	"fmt"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/i18n"
	"agencybot/report"
)

// The targets' sheet ("Chỉ tiêu"): the plans' targets in scope with their
// baseline, goal and latest value (report.Input.Targets, filled by the
// callers as the report upward's section is), written only when there are
// some.

// targetWidths are the targets sheet's column widths: the name, unit,
// baseline, goal, latest value, date.
var targetWidths = []float64{46, 14, 16, 18, 26, 14}

// targetsHeaderRow is the targets sheet's header row (under its title).
const targetsHeaderRow = 2

// targetsInScope are in's targets of the plans the workbook covers.
func targetsInScope(in report.Input, plans map[string]string) []report.Target {
	var out []report.Target
	for _, t := range in.Targets {
		if _, ok := plans[t.PlanKey]; ok {
			out = append(out, t)
		}
	}
	return out
}

// writeTargets streams the targets' sheet.
func writeTargets(b *book, sheet string, list []report.Target, today deadline.Date, loc *time.Location) error {
	sw, rs, err := b.stream(sheet, targetWidths, targetsHeaderRow)
	if err != nil {
		return err
	}
	if err := heading(sw, rs, targetWidths, sheetLine{text: fmt.Sprintf(i18n.T(b.l.lang, "xlsx.targets_title"), dmy(today)), style: b.st.title, height: 24}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	cols := strings.Split(i18n.T(b.l.lang, "docx.targets.cols"), "|")
	head := make([]value, len(cols))
	for i, c := range cols {
		head[i] = str(b.st.header, c)
	}
	if err := rs.row(rowHeight(head, targetWidths, 15), head...); err != nil {
		return err
	}
	for _, t := range list {
		at := ""
		if !t.At.IsZero() {
			at = t.At.In(loc).Format("02/01/2006")
		}
		c, cc := b.st.cell, b.st.center
		cells := [...]value{str(c, t.Name), str(cc, t.Unit), str(cc, t.Baseline), str(cc, t.Goal), str(cc, t.Value), str(cc, at)}
		if err := rs.row(rowHeight(cells[:], targetWidths, 15), cells[:]...); err != nil {
			return err
		}
	}
	return rs.finish()
}
