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
func writePlans(b *book, r *report.Rollup, sum report.Summary, names map[string]string, today deadline.Date, loc *time.Location) error {
	l, st := b.l, b.st
	last := colName(len(l.cols))
	var (
		sw      *excelize.StreamWriter
		rs      *rows
		section string
		next    int // index in sum.Plans of the next sheet to open
	)
	// end finishes the open sheet: its rows, and its layout with the merged
	// cells.
	end := func() error {
		if sw == nil {
			return nil
		}
		if err := rs.finish(); err != nil {
			return err
		}
		return sw.Flush()
	}
	open := func() error {
		if err := end(); err != nil {
			return err
		}
		p := sum.Plans[next]
		next++
		var err error
		if sw, rs, err = b.stream(names[p.Plan.Key], planWidths, headerRow); err != nil {
			return err
		}
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
		if err := rs.row(40, str(st.title, fmt.Sprintf(l.planTitle, title, dmy(today)))); err != nil {
			return err
		}
		if err := rs.row(32, str(st.subtitle, sub)); err != nil {
			return err
		}
		head := make([]value, len(l.cols))
		for i, c := range l.cols {
			head[i] = str(st.header, c)
		}
		if err := rs.row(32, head...); err != nil {
			return err
		}
		for _, m := range []int{1, 2} {
			if err := sw.MergeCell("A"+itoa(m), last+itoa(m)); err != nil {
				return err
			}
		}
		section = "\x00"
		return nil
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
			if err = rs.row(0, str(st.section, section), str(st.section, v.Task.SectionTitle)); err == nil {
				err = sw.MergeCell("B"+itoa(rs.n), last+itoa(rs.n))
			}
			if err != nil {
				return false
			}
		}
		err = writeTask(rs, st, l, v, loc)
		return err == nil
	})
	for err == nil && next < len(sum.Plans) { // plans with no task in scope keep their sheet
		err = open()
	}
	if err != nil {
		return err
	}
	return end()
}

// writeTask writes a task's row and, for a collective task, one line per
// agency under it.
func writeTask(rs *rows, st *styles, l labels, v report.TaskView, loc *time.Location) error {
	var (
		last     time.Time
		evidence int
		lines    = [2][]report.AssignmentView{v.Lead, v.Coordinating} // the lead agencies' lines first, not copied
		n        = len(v.Lead) + len(v.Coordinating)
	)
	collective := v.Task.Lead.Group != agency.NoGroup || v.Task.Coordinating.Group != agency.NoGroup
	for _, part := range lines {
		for i := range part {
			a := &part[i]
			collective = collective || a.Assignment.Collective
			evidence += a.Evidence
			if a.Assignment.ReportedAt.After(last) {
				last = a.Assignment.ReportedAt
			}
		}
	}
	when := ""
	if !last.IsZero() {
		when = last.In(loc).Format("02/01/2006")
	}
	c, cc := st.cell, st.center
	cells := [...]value{
		str(cc, v.Task.Number), str(c, v.Task.Title), str(c, v.Task.Lead.Text), str(c, v.Task.Coordinating.Text), str(cc, v.Task.Deadline.Text), str(c, v.Task.Output),
		str(cc, l.status[v.Status]), num(cc, v.Progress), str(st.light[v.Light], l.light[v.Light]), str(cc, l.group[v.Group]),
		str(cc, when), str(c, v.LatestNote), num(cc, evidence),
	}
	if err := rs.row(rowHeight(cells[:], planWidths, 15), cells[:]...); err != nil {
		return err
	}
	if !collective || n < 2 {
		return nil
	}
	var dates dayCache
	for _, part := range lines {
		for i := range part {
			if err := writeLine(rs, st, l, &part[i], &dates, loc); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeLine writes an agency's line under a collective task.
func writeLine(rs *rows, st *styles, l labels, a *report.AssignmentView, dates *dayCache, loc *time.Location) error {
	s, sc := st.sub, st.subCenter
	name := "– " + a.Agency.Name + " (" + l.role[a.Assignment.Role] + ")"
	lead, coord := name, ""
	if a.Assignment.Role != "lead" {
		lead, coord = "", name
	}
	when := ""
	if !a.Assignment.ReportedAt.IsZero() {
		when = dates.format(a.Assignment.ReportedAt.In(loc))
	}
	due := ""
	if !a.Assignment.Due.IsZero() {
		due = dmy(a.Assignment.Due)
	}
	cells := [...]value{
		str(sc, ""), str(s, ""), str(s, lead), str(s, coord), str(sc, due), str(s, ""),
		str(sc, l.status[a.Assignment.Status]), num(sc, a.Assignment.Progress), str(st.light[a.Light], l.light[a.Light]), str(sc, l.group[a.Group]),
		str(sc, when), str(s, strings.TrimSpace(a.Assignment.Note)), num(sc, a.Evidence),
	}
	return rs.row(rowHeight(cells[:], planWidths, 13.5), cells[:]...)
}

// dayCache formats dates as dd/mm/yyyy, remembering the last few.
type dayCache struct {
	days [8]struct {
		y, d int
		m    time.Month
		s    string
	}
}

func (c *dayCache) format(t time.Time) string {
	y, m, d := t.Date()
	slot := &c.days[d%len(c.days)]
	if slot.s == "" || slot.y != y || slot.m != m || slot.d != d {
		slot.y, slot.m, slot.d, slot.s = y, m, d, t.Format("02/01/2006")
	}
	return slot.s
}
