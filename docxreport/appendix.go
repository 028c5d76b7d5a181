package docxreport

import (
	"strings"

	"agencybot/i18n"
	"agencybot/report/upward"
)

// The appendix: one per plan, on landscape pages, the plan's table with
// where each task stands, in 10 pt (readable when printed).

// appendixWidths are the columns' shares of the landscape text width (257
// mm), in the order of docx.appendix.cols.
// STT holds "STT" and "II.10"; the deadline column "31/12/2025" whole
// (narrower, LibreOffice broke the date).
var appendixWidths = []float64{11, 64, 28, 25, 22, 22, 38, 18, 29}

func (d *draft) appendix() {
	widths := make([]int, len(appendixWidths))
	total := 0.0
	for _, w := range appendixWidths {
		total += w
	}
	for i, w := range appendixWidths {
		widths[i] = int(float64(landscape.width()) * w / total)
	}
	cols := strings.Split(d.t("docx.appendix.cols"), "|")
	for i, p := range d.fc.plans {
		d.b.para(format{size: 14, bold: true, align: center, after: 0, pageBreak: i > 0, keepNext: true}, d.t("upward.appendix", upward.Roman(i+1)))
		d.b.para(format{size: 13, italic: true, align: center, after: 120, keepNext: true},
			d.t("upward.attached", d.is.Abbrev(), i18n.Date(d.fc.today), d.is.Name(d.in.Agencies)))
		d.b.para(format{size: 13, bold: true, align: center, after: 0, keepNext: true}, d.t("upward.appendix_title", upward.AppendixTitle(p.plan.AppendixTitle, d.l)))
		d.b.para(format{size: 12, italic: true, align: center, after: 0, keepNext: true}, upward.PlanRef(p.plan, d.l)+": "+i18n.Shorten(p.plan.Title, 300))
		d.b.para(format{size: 12, italic: true, align: center, after: 120, keepNext: true}, d.t("upward.as_of", i18n.Date(d.fc.today)))
		t := d.b.table(widths, true)
		head := make([]cell, len(cols))
		for j, c := range cols {
			head[j] = cell{lines: []string{c}, f: format{size: sizeAppendix, bold: true, align: center}, fill: headerFill}
		}
		t.row(true, head...)
		for _, r := range p.rows {
			if r.section {
				t.row(false,
					cell{lines: []string{r.cells[0]}, f: format{size: sizeAppendix, bold: true, align: center}, fill: sectionFill},
					cell{lines: []string{r.cells[1]}, f: format{size: sizeAppendix, bold: true, align: left}, span: len(widths) - 1, fill: sectionFill})
				continue
			}
			cells := make([]cell, len(r.cells))
			for j, v := range r.cells {
				a := left
				if j == 0 || j == 4 || j == 7 {
					a = center
				}
				cells[j] = cell{lines: strings.Split(v, "\n"), f: format{size: sizeAppendix, align: a}}
			}
			t.row(false, cells...)
			t.keepRow() // a task's row on one page, not split across two
		}
		if len(p.rows) == 0 {
			t.row(false, cell{lines: []string{d.t("docx.appendix.empty")}, f: format{size: sizeAppendix, italic: true, align: center}, span: len(widths)})
		}
	}
	if len(d.fc.plans) == 0 {
		d.b.para(format{align: center}, d.t("docx.no_plan"))
	}
}

// sectionFill is the background of a section's row.
const sectionFill = "F2F2F2"
