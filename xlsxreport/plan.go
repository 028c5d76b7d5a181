package xlsxreport

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/report"
)

// headerRow is the row of the column headers on a plan sheet (after the
// title and the plan's line).
const headerRow = 3

// planWidths are the plan sheet's column widths, in the order of labels.cols.
var planWidths = []float64{7, 42, 24, 24, 16, 26, 15, 9, 8, 18, 13, 36, 10}

// writePlans streams one sheet per plan in scope, laid out like the plan's
// appendix: section rows as in the plan, one row per task with its roll-up,
// and, under a collective task, one line per agency.
func writePlans(x *excelize.File, st *styles, l labels, r *report.Rollup, sum report.Summary, names map[string]string, today deadline.Date, loc *time.Location) error {
	var (
		sw      *excelize.StreamWriter
		row     int
		section string
		next    int // index in sum.Plans of the next sheet to open
	)
	open := func() error {
		if sw != nil {
			if err := sw.Flush(); err != nil {
				return err
			}
		}
		p := sum.Plans[next]
		next++
		sheet := names[p.Plan.Key]
		if err := printSetup(x, sheet, headerRow); err != nil {
			return err
		}
		var err error
		if sw, err = x.NewStreamWriter(sheet); err != nil {
			return err
		}
		for i, w := range planWidths {
			if err := sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: "A" + itoa(headerRow+1), ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		last := colName(len(l.cols))
		title := p.Plan.AppendixTitle
		if title == "" {
			title = p.Plan.Title
		}
		sub := p.Plan.Title
		if n := planLabel(p.Plan, l); n != sub {
			sub = n + " — " + sub
		}
		if p.Plan.Date != "" {
			sub += " (" + p.Plan.Date + ")"
		}
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.title, Value: fmt.Sprintf(l.planTitle, title, dmy(today))}}, excelize.RowOpts{Height: 40}); err != nil {
			return err
		}
		if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: st.subtitle, Value: sub}}, excelize.RowOpts{Height: 32}); err != nil {
			return err
		}
		head := make([]any, len(l.cols))
		for i, c := range l.cols {
			head[i] = excelize.Cell{StyleID: st.header, Value: c}
		}
		if err := sw.SetRow("A"+itoa(headerRow), head, excelize.RowOpts{Height: 32}); err != nil {
			return err
		}
		for _, m := range []int{1, 2} {
			if err := sw.MergeCell("A"+itoa(m), last+itoa(m)); err != nil {
				return err
			}
		}
		row, section = headerRow+1, "\x00"
		return nil
	}
	put := func(cells []any, opts ...excelize.RowOpts) error {
		err := sw.SetRow("A"+itoa(row), cells, opts...)
		row++
		return err
	}
	var err error
	r.EachTask(func(v report.TaskView) bool {
		for err == nil && (sw == nil || sum.Plans[next-1].Plan.Key != v.Plan.Key) {
			err = open()
		}
		if err != nil {
			return false
		}
		if v.Task.Section != section {
			section = v.Task.Section
			last := colName(len(l.cols))
			if err = put([]any{excelize.Cell{StyleID: st.section, Value: section}, excelize.Cell{StyleID: st.section, Value: v.Task.SectionTitle}}); err == nil {
				err = sw.MergeCell("B"+itoa(row-1), last+itoa(row-1))
			}
			if err != nil {
				return false
			}
		}
		err = writeTask(put, st, l, v, loc)
		return err == nil
	})
	for err == nil && next < len(sum.Plans) { // plans with no task in scope keep their sheet
		err = open()
	}
	if err != nil {
		return err
	}
	if sw != nil {
		return sw.Flush()
	}
	return nil
}

// writeTask writes a task's row and, for a collective task, one line per
// agency under it.
func writeTask(put func([]any, ...excelize.RowOpts) error, st *styles, l labels, v report.TaskView, loc *time.Location) error {
	var (
		last     time.Time
		evidence int
		lines    = append(append([]report.AssignmentView(nil), v.Lead...), v.Coordinating...)
	)
	collective := v.Task.Lead.Group != agency.NoGroup || v.Task.Coordinating.Group != agency.NoGroup
	for _, a := range lines {
		collective = collective || a.Assignment.Collective
		evidence += a.Evidence
		if a.Assignment.ReportedAt.After(last) {
			last = a.Assignment.ReportedAt
		}
	}
	when := ""
	if !last.IsZero() {
		when = last.In(loc).Format("02/01/2006")
	}
	c := func(v any) excelize.Cell { return excelize.Cell{StyleID: st.cell, Value: v} }
	cc := func(v any) excelize.Cell { return excelize.Cell{StyleID: st.center, Value: v} }
	cells := []any{
		cc(v.Task.Number), c(v.Task.Title), c(v.Task.Lead.Text), c(v.Task.Coordinating.Text), cc(v.Task.Deadline.Text), c(v.Task.Output),
		cc(l.status[v.Status]), cc(v.Progress), excelize.Cell{StyleID: st.light[v.Light], Value: l.light[v.Light]}, cc(l.group[v.Group]),
		cc(when), c(v.LatestNote), cc(evidence),
	}
	if err := put(cells, rowHeight(cells, planWidths, 15)); err != nil {
		return err
	}
	if !collective || len(lines) < 2 {
		return nil
	}
	s := func(v any) excelize.Cell { return excelize.Cell{StyleID: st.sub, Value: v} }
	sc := func(v any) excelize.Cell { return excelize.Cell{StyleID: st.subCenter, Value: v} }
	for _, a := range lines {
		name := "– " + a.Agency.Name + " (" + l.role[a.Assignment.Role] + ")"
		lead, coord := name, ""
		if a.Assignment.Role != "lead" {
			lead, coord = "", name
		}
		when := ""
		if !a.Assignment.ReportedAt.IsZero() {
			when = a.Assignment.ReportedAt.In(loc).Format("02/01/2006")
		}
		due := ""
		if !a.Assignment.Due.IsZero() {
			due = dmy(a.Assignment.Due)
		}
		cells := []any{
			sc(""), s(""), s(lead), s(coord), sc(due), s(""),
			sc(l.status[a.Assignment.Status]), sc(a.Assignment.Progress), excelize.Cell{StyleID: st.light[a.Light], Value: l.light[a.Light]}, sc(l.group[a.Group]),
			sc(when), s(strings.TrimSpace(a.Assignment.Note)), sc(a.Evidence),
		}
		if err := put(cells, rowHeight(cells, planWidths, 13.5)); err != nil {
			return err
		}
	}
	return nil
}

// rowHeight estimates the height (points) a row of wrapped cells needs, so
// that it prints whole: spreadsheet programs do not fit the height of
// streamed rows themselves. A column of width w holds about 1.2·w
// characters of 11 pt Times New Roman a line (measured in LibreOffice);
// lineH is the height of one line.
func rowHeight(cells []any, widths []float64, lineH float64) excelize.RowOpts {
	lines := 1
	for i, c := range cells {
		cell, ok := c.(excelize.Cell)
		if !ok || i >= len(widths) {
			continue
		}
		txt, ok := cell.Value.(string)
		if !ok {
			continue
		}
		per := max(1, int(widths[i]*1.2)-1)
		n := 0
		for _, para := range strings.Split(txt, "\n") {
			n += (len([]rune(para)) + per - 1) / per
		}
		lines = max(lines, n)
	}
	return excelize.RowOpts{Height: float64(lines)*lineH + 3}
}
