package xlsxreport

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/deadline"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

// headerRow is the row of the column headers on a plan sheet, under the
// appendix's heading: "Phụ lục I", "(Kèm theo Báo cáo số …)", its title and
// the plan's line.
const headerRow = 5

// planWidths are the plan sheet's column widths, in the order of labels.cols:
// 136 characters in all. LibreOffice prints a character of width about 6.2
// pt (Excel 5.25), so A4 landscape fitted to the width keeps 11 pt text at
// 10 pt or more.
var planWidths = []float64{5, 31, 14, 12, 10, 11, 19, 12, 22}

// detailWidths are the detail sheet's column widths (labels.detailCols).
var detailWidths = []float64{13, 5, 25, 20, 8, 10, 14, 7, 13, 10, 20, 8}

// detailHeaderRow is the detail sheet's header row, under its title.
const detailHeaderRow = 2

// sheetLine is a heading line of a sheet, merged across its columns.
type sheetLine struct {
	text   string
	style  int
	height float64 // points; 0: fitted to the text
}

// heading writes a sheet's heading lines, each merged across the sheet's
// columns, with heights that fit the text (the merged cells' widths summed).
func heading(sw *excelize.StreamWriter, rs *rows, widths []float64, lines ...sheetLine) error {
	total := 0.0
	for _, w := range widths {
		total += w
	}
	last := colName(len(widths))
	for _, ln := range lines {
		h := ln.height
		if h == 0 {
			h = rowHeight([]value{str(ln.style, ln.text)}, []float64{total * 0.85}, 17)
		}
		if err := rs.row(h, str(ln.style, ln.text)); err != nil {
			return err
		}
		if err := sw.MergeCell("A"+itoa(rs.n), last+itoa(rs.n)); err != nil {
			return err
		}
	}
	return nil
}

// writePlans streams one sheet per plan in scope, laid out like the plan's
// appendix, as an attachment of the report: its heading ("Phụ lục I",
// "(Kèm theo Báo cáo số …)"), section rows as in the plan, one row per
// task, a collective task included; every agency's part of every task goes
// on the detail sheet dt.
func writePlans(b *book, r *report.Rollup, sum report.Summary, names map[string]string, dt *rows, today deadline.Date, loc *time.Location) error {
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
		if err := heading(sw, rs, planWidths,
			sheetLine{text: i18n.T(l.lang, "upward.appendix", upward.Roman(next)), style: st.appendix, height: 20},
			sheetLine{text: b.attached(today), style: st.subtitle},
			sheetLine{text: i18n.T(l.lang, "upward.appendix_title", upward.AppendixTitle(p.Plan.AppendixTitle, l.lang)), style: st.title},
			sheetLine{text: upward.PlanRef(p.Plan, l.lang) + ": " + p.Plan.Title + " " + i18n.T(l.lang, "upward.as_of", dmy(today)), style: st.subtitle},
		); err != nil {
			return err
		}
		head := make([]value, len(l.cols))
		for i, c := range l.cols {
			head[i] = str(st.header, c)
		}
		if err := rs.row(rowHeight(head, planWidths, 15), head...); err != nil {
			return err
		}
		section = "\x00"
		return nil
	}
	var (
		err   error
		dates dayCache
	)
	r.EachTask(func(v report.TaskView) bool {
		for err == nil && (sw == nil || sum.Plans[next-1].Plan.Key != v.Plan.Key) {
			err = open()
		}
		if err != nil {
			return false
		}
		if v.Task.Section != section {
			section = v.Task.Section
			cells := []value{str(st.section, section), str(st.section, v.Task.SectionTitle)}
			if err = rs.row(rowHeight(cells, []float64{planWidths[0], sum64(planWidths[1:])}, 15), cells...); err == nil {
				err = sw.MergeCell("B"+itoa(rs.n), last+itoa(rs.n))
			}
			if err != nil {
				return false
			}
		}
		if err = writeTask(rs, st, l, v, loc); err != nil {
			return false
		}
		err = writeDetail(dt, st, l, v, &dates, loc)
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

// attached is the line that ties an attachment to its report: "(Kèm theo
// Báo cáo số      /BC-SKHCN ngày 10/12/2026 của Sở Khoa học và Công nghệ)".
func (b *book) attached(today deadline.Date) string {
	return i18n.T(b.l.lang, "upward.attached", b.issuer.Abbrev(), dmy(today), b.issuerName)
}

// writeTask writes a task's row: the plan's columns as written, where it
// stands (a collective task's agencies in one line), its group in the
// official words, and its latest note with who wrote it when and the number
// of evidence files (each agency's last update is on the detail sheet).
func writeTask(rs *rows, st *styles, l labels, v report.TaskView, loc *time.Location) error {
	evidence := 0
	for _, part := range [2][]report.AssignmentView{v.Lead, v.Coordinating} {
		for i := range part {
			evidence += part[i].Evidence
		}
	}
	note := strings.TrimSpace(v.LatestNote)
	if note != "" {
		note += "\n(" + v.LatestNoteBy + ", " + v.LatestNoteAt.In(loc).Format("02/01/2006") + ")"
	}
	if evidence > 0 {
		if note != "" {
			note += "\n"
		}
		note += i18n.N(l.lang, "xlsx.evidence", evidence, evidence)
	}
	c, cc := st.cell, st.center
	cells := [...]value{
		str(cc, v.Task.Number), str(c, v.Task.Title), str(c, v.Task.Lead.Text), str(c, v.Task.Coordinating.Text), str(cc, v.Task.Deadline.Text), str(c, v.Task.Output),
		str(c, upward.Standing(v, l.lang, maxNames)), str(st.group[v.Group], upward.Assessment(v, l.lang)), str(c, note),
	}
	return rs.row(rowHeight(cells[:], planWidths, 15), cells[:]...)
}

// maxNames is how many unfinished agencies a collective task's line names
// (the detail sheet names them all).
const maxNames = 5

// writeDetail writes every agency's part of a task on the detail sheet.
func writeDetail(dt *rows, st *styles, l labels, v report.TaskView, dates *dayCache, loc *time.Location) error {
	plan := planLabel(v.Plan, l)
	title := i18n.Shorten(v.Task.Title, 60)
	for _, part := range [2][]report.AssignmentView{v.Lead, v.Coordinating} {
		for i := range part {
			a := &part[i]
			when := ""
			if !a.Assignment.ReportedAt.IsZero() {
				when = dates.format(a.Assignment.ReportedAt.In(loc))
			}
			due := v.Task.Deadline.Text
			if !a.Assignment.Due.IsZero() {
				due = dmy(a.Assignment.Due)
			}
			if x := a.Assignment; x.Extended() && !x.DueOriginal.IsZero() {
				due = i18n.N(l.lang, "xlsx.extended_due", x.Extensions, dmy(x.Due), x.Extensions, dmy(x.DueOriginal))
			}
			c, cc := st.cell, st.center
			status := l.status[a.Assignment.Status]
			if a.Waiting { // the same state every view shows (domain.Judged)
				status = l.waiting
			}
			cells := [...]value{
				str(c, plan), str(cc, v.Task.Number), str(c, title), str(c, a.Agency.Name), str(cc, l.role[a.Assignment.Role]), str(cc, due),
				str(cc, status), num(cc, a.Assignment.Progress), str(st.group[a.Group], l.group[a.Group]), str(cc, when),
				str(c, strings.TrimSpace(a.Assignment.Note)), num(cc, a.Evidence),
			}
			if err := dt.row(rowHeight(cells[:], detailWidths, 15), cells[:]...); err != nil {
				return err
			}
		}
	}
	return nil
}

func sum64(ws []float64) float64 {
	t := 0.0
	for _, w := range ws {
		t += w
	}
	return t
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
