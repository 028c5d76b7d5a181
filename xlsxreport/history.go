package xlsxreport

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/domain"
	"agencybot/report"
)

// writeHistory streams "Lịch sử cập nhật": one row per update in scope
// (time, task, agency, officer, what changed, state after), folding the
// evidence counts into in.Evidence as it goes.
func writeHistory(x *excelize.File, st *styles, l labels, in report.Input, f report.Filter, loc *time.Location, history History) error {
	sh := l.historySheet
	if err := printSetup(x, sh, 1); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	for i, w := range historyWidths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(l.historyCols))
	for i, c := range l.historyCols {
		head[i] = excelize.Cell{StyleID: st.header, Value: c}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	names := make(map[string]string, len(in.Agencies))
	for _, a := range in.Agencies {
		names[a.Key] = a.Name
	}
	planOf := make(map[string]string, len(in.Tasks))
	for _, t := range in.Tasks {
		planOf[t.Code] = t.PlanKey
	}
	inPlans := map[string]bool{}
	for _, p := range in.Plans {
		if f.PlanKey == "" || p.Key == f.PlanKey {
			inPlans[p.Key] = true
		}
	}
	row := 2
	cells := make([]any, 7)
	if history != nil {
		err = history(func(u domain.Update) error {
			if (f.AgencyKey != "" && u.AgencyKey != f.AgencyKey) || !inPlans[planOf[u.TaskCode]] {
				return nil
			}
			report.FoldUpdates(in.Evidence, u)
			name := names[u.AgencyKey]
			if name == "" {
				name = u.AgencyKey
			}
			cells[0] = excelize.Cell{StyleID: st.cell, Value: u.At.In(loc).Format("02/01/2006 15:04")}
			cells[1] = excelize.Cell{StyleID: st.cell, Value: u.TaskCode}
			cells[2] = excelize.Cell{StyleID: st.cell, Value: name}
			cells[3] = excelize.Cell{StyleID: st.cell, Value: u.OfficerName}
			cells[4] = excelize.Cell{StyleID: st.cell, Value: change(u, l)}
			cells[5] = excelize.Cell{StyleID: st.cell, Value: l.status[u.After.Status]}
			cells[6] = excelize.Cell{StyleID: st.center, Value: u.After.Progress}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			row++
			return sw.SetRow(cell, cells, rowHeight(cells, historyWidths, 15))
		})
		if err != nil {
			return err
		}
	}
	return sw.Flush()
}

// historyWidths are the history sheet's column widths.
var historyWidths = []float64{17, 12, 34, 22, 60, 18, 12}

// change says in words what an update changed.
func change(u domain.Update, l labels) string {
	var s string
	switch u.Kind {
	case domain.SetStatus:
		s = fmt.Sprintf("%s: %s → %s", l.kind[u.Kind], l.status[u.Before.Status], l.status[u.After.Status])
	case domain.SetProgress:
		s = fmt.Sprintf("%s: %d%% → %d%%", l.kind[u.Kind], u.Before.Progress, u.After.Progress)
	case domain.AddNote:
		s = l.kind[u.Kind] + ": " + u.Note
	case domain.AddEvidence:
		name := ""
		if u.Evidence != nil {
			name = u.Evidence.Name
		}
		s = l.kind[u.Kind] + ": " + name
	case domain.Correction:
		s = fmt.Sprintf("%s: %s %d%% → %s %d%%", l.kind[u.Kind], l.status[u.Before.Status], u.Before.Progress, l.status[u.After.Status], u.After.Progress)
	default:
		s = string(u.Kind)
	}
	if u.Corrected {
		s += " (" + l.correction + ")"
	}
	return strings.TrimSpace(s)
}
