// Package xlsxreport writes the report Sở KH&CN sends the People's
// Committee and the Ministry as an .xlsx workbook that prints as the
// report's attachment: "Tổng hợp" (the four groups and the lights by plan
// and by agency), one sheet per plan laid out like its appendix ("Phụ lục
// I, II, … kèm theo Báo cáo số …", one row per task, a collective task's
// agencies counted in one line), "Chi tiết theo cơ quan" (every agency's
// part of every task) and "Lịch sử cập nhật" (every update, continued on
// "Lịch sử cập nhật (2)", … past a sheet's 1,048,576 rows). Every sheet
// prints on A4 landscape fitted to the width, its header repeated and its
// pages numbered. Every figure comes from one report.Rollup. The plan,
// detail and history sheets are streamed — written as rows of XML,
// deflated on the fly into temporary files and spliced into the workbook
// excelize lays out — so memory does not grow with the history.
package xlsxreport

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

// Options shape the workbook.
type Options struct {
	Lang   string   // "vi" (default) or "en"
	Issuer []string // REPORT_ISSUER's lines, named in "Kèm theo Báo cáo số …/BC-SKHCN"; none: its default
}

// FileName names the workbook of in narrowed by f for period p by its scope
// and period: "bao-cao-so-y-te-2026-q4.xlsx" (upward.FileName). The bot's
// /export names its file so, with the quarter of the report's date.
func FileName(in report.Input, f report.Filter, p upward.Period) string {
	return upward.FileName(in, f, p, ".xlsx")
}

// History streams the updates to the workbook: it calls fn once per update,
// in the order they were written, and stops at fn's first error. With a
// store: func(fn func(domain.Update) error) error { return st.EachUpdate(ctx, agencyKey, fn) }.
type History func(fn func(domain.Update) error) error

// Write builds the report of in narrowed by f and writes the .xlsx to w.
// The evidence counts of the plan sheets are folded from the history as it
// is streamed (in.Evidence is replaced). history may be nil (no history).
func Write(w io.Writer, in report.Input, f report.Filter, history History, o Options) error {
	x := excelize.NewFile()
	defer x.Close()
	// Column widths are counted in the default font's digits: Times New
	// Roman, the cells' font, whose metric twin every office has, so that
	// Excel and LibreOffice print the columns alike (with Calibri, missing
	// on Linux, LibreOffice made them a third wider and the text smaller).
	if err := x.SetDefaultFont("Times New Roman"); err != nil {
		return err
	}
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	is := upward.NewIssuer(o.Issuer)
	b := &book{x: x, st: st, l: textsFor(o.Lang), issuer: is, issuerName: is.Name(in.Agencies)}
	defer b.close()
	l := b.l
	loc := in.Loc
	if loc == nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	today := deadline.DateOf(in.Now.In(loc))

	// Sheets in their order: summary, one per plan in scope, history.
	if err := x.SetSheetName("Sheet1", l.summarySheet); err != nil {
		return err
	}
	sum0 := report.Summarize(report.Input{Plans: in.Plans, Now: in.Now, Loc: in.Loc}, report.Filter{PlanKey: f.PlanKey})
	names := map[string]string{}
	b.used = map[string]bool{l.summarySheet: true, l.detailSheet: true, l.historySheet: true}
	for _, p := range sum0.Plans {
		n := sheetName(planLabel(p.Plan, l), b.used)
		names[p.Plan.Key] = n
		if _, err := x.NewSheet(n); err != nil {
			return err
		}
	}
	targets := targetsInScope(in, names)
	targetSheet := ""
	if len(targets) > 0 {
		targetSheet = sheetName(i18n.T(l.lang, "xlsx.targets_sheet"), b.used)
		if _, err := x.NewSheet(targetSheet); err != nil {
			return err
		}
	}
	for _, n := range []string{l.detailSheet, l.historySheet} {
		if _, err := x.NewSheet(n); err != nil {
			return err
		}
	}
	// Before any sheet is streamed: SetActiveSheet reads every sheet back.
	x.SetActiveSheet(0)

	in.Evidence = map[string]int{}
	if err := writeHistory(b, in, f, loc, history); err != nil {
		return fmt.Errorf("history sheet: %w", err)
	}
	r := report.New(in, f)
	sum := r.Summary()
	dt, err := b.detail(today)
	if err != nil {
		return fmt.Errorf("detail sheet: %w", err)
	}
	if err := writePlans(b, r, sum, names, dt, today, loc); err != nil {
		return fmt.Errorf("plan sheets: %w", err)
	}
	if err := dt.finish(); err != nil {
		return fmt.Errorf("detail sheet: %w", err)
	}
	if targetSheet != "" {
		if err := writeTargets(b, targetSheet, targets, today, loc); err != nil {
			return fmt.Errorf("targets sheet: %w", err)
		}
	}
	ages := report.OverdueByAge(r.Tasks()) // overdue parts by age (issue 20)
	if err := b.writeSummary(sum, today, in.Extended != nil, ages); err != nil {
		return fmt.Errorf("summary sheet: %w", err)
	}
	return assemble(w, x, b.sheets)
}

// book is the workbook being written and its streamed sheets.
type book struct {
	x          *excelize.File
	st         *styles
	l          labels
	issuer     upward.Issuer
	issuerName string          // the issuer in a sentence: "Sở Khoa học và Công nghệ"
	used       map[string]bool // sheet names taken
	sheets     []*rows
}

// stream starts streaming sheet: its page setup, column widths and rows
// 1..headerRow frozen, laid out by the returned StreamWriter (which the
// caller flushes once the sheet's merged cells are known), and its rows.
func (b *book) stream(sheet string, widths []float64, headerRow int) (*excelize.StreamWriter, *rows, error) {
	if err := printSetup(b.x, sheet, headerRow, b.l.footer); err != nil {
		return nil, nil, err
	}
	sw, err := b.x.NewStreamWriter(sheet)
	if err != nil {
		return nil, nil, err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, nil, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: "A" + itoa(headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return nil, nil, err
	}
	r, err := newRows(sheet)
	if err != nil {
		return nil, nil, err
	}
	b.sheets = append(b.sheets, r)
	return sw, r, nil
}

// close removes the streamed rows' temporary files.
func (b *book) close() {
	for _, r := range b.sheets {
		r.close()
	}
}

// detail starts "Chi tiết theo cơ quan": its title and header; writePlans
// streams its rows, a line per agency's part of each task.
func (b *book) detail(today deadline.Date) (*rows, error) {
	sw, rs, err := b.stream(b.l.detailSheet, detailWidths, detailHeaderRow)
	if err != nil {
		return nil, err
	}
	if err := heading(sw, rs, detailWidths, sheetLine{text: fmt.Sprintf(b.l.detailTitle, dmy(today)), style: b.st.title, height: 24}); err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	head := make([]value, len(b.l.detailCols))
	for i, c := range b.l.detailCols {
		head[i] = str(b.st.header, c)
	}
	return rs, rs.row(rowHeight(head, detailWidths, 15), head...)
}

// summaryWidths are "Tổng hợp"'s column widths for n columns: the name,
// then the figures.
func summaryWidths(n int) []float64 {
	w := []float64{40}
	for range n - 1 {
		w = append(w, 10)
	}
	return w
}

// writeSummary fills "Tổng hợp": its heading ("Kèm theo Báo cáo số …"),
// then the four groups, review, lights, not reported and progress, by plan
// (tasks) and by agency (assignments), each table's header as tall as its
// wrapped words. With extended (the input records extensions), a last
// column counts the tasks whose date was extended ("Trong đó đã gia hạn").
func (b *book) writeSummary(sum report.Summary, today deadline.Date, extended bool, ages [3]int) error {
	x, st, l := b.x, b.st, b.l
	sh := l.summarySheet
	cols := l.summaryCols
	if extended {
		cols = append(cols[:len(cols):len(cols)], l.extended)
	}
	widths := summaryWidths(len(cols))
	last := colName(len(cols))
	set := func(cell string, v any, style int) error {
		if err := x.SetCellValue(sh, cell, v); err != nil {
			return err
		}
		return x.SetCellStyle(sh, cell, cell, style)
	}
	for i, ln := range []struct {
		text   string
		style  int
		height float64
	}{{fmt.Sprintf(l.title, dmy(sum.Today)), st.title, 24}, {b.attached(today), st.subtitle, 20}} {
		ref := "A" + itoa(i+1)
		if err := x.MergeCell(sh, ref, last+itoa(i+1)); err != nil {
			return err
		}
		if err := set(ref, ln.text, ln.style); err != nil {
			return err
		}
		if err := x.SetRowHeight(sh, i+1, ln.height); err != nil {
			return err
		}
	}
	head := make([]value, len(cols))
	for i, c := range cols {
		head[i] = str(st.header, c)
	}
	headHeight := rowHeight(head, widths, 15)
	row := 4
	table := func(heading string, rows [][]any) error {
		if err := set("A"+itoa(row), heading, st.heading); err != nil {
			return err
		}
		row++
		if err := x.SetSheetRow(sh, "A"+itoa(row), &cols); err != nil {
			return err
		}
		if err := x.SetCellStyle(sh, "A"+itoa(row), last+itoa(row), st.header); err != nil {
			return err
		}
		// A wrapped header keeps the height it is given: without one it
		// prints over the first row.
		if err := x.SetRowHeight(sh, row, headHeight); err != nil {
			return err
		}
		row++
		for _, r := range rows {
			if err := x.SetSheetRow(sh, "A"+itoa(row), &r); err != nil {
				return err
			}
			if err := x.SetCellStyle(sh, "A"+itoa(row), "A"+itoa(row), st.cell); err != nil {
				return err
			}
			if err := x.SetCellStyle(sh, "B"+itoa(row), last+itoa(row), st.center); err != nil {
				return err
			}
			// A name longer than its column wraps: the row gets the height
			// of its lines; the others keep the default.
			if name, ok := r[0].(string); ok {
				if h := rowHeight([]value{str(0, name)}, widths, 15); h > 18 {
					if err := x.SetRowHeight(sh, row, h); err != nil {
						return err
					}
				}
			}
			row++
		}
		row++
		return nil
	}
	var plans [][]any
	for _, p := range sum.Plans {
		plans = append(plans, countsRow(planLabel(p.Plan, l), p.Counts, extended))
	}
	plans = append(plans, countsRow(l.total, sum.Counts, extended))
	if err := table(l.byPlan, plans); err != nil {
		return err
	}
	// The overdue parts by how long they are overdue: a heading and a row each.
	if err := set("A"+itoa(row), l.overdueAges, st.heading); err != nil {
		return err
	}
	row++
	for i, label := range l.ages {
		if err := set("A"+itoa(row), label, st.cell); err != nil {
			return err
		}
		if err := set("B"+itoa(row), ages[i], st.center); err != nil {
			return err
		}
		row++
	}
	row++
	agencies := make([][]any, 0, len(sum.Agencies))
	for _, a := range sum.Agencies {
		agencies = append(agencies, countsRow(a.Agency.Name, a.Counts, extended))
	}
	if err := table(l.byAgency, agencies); err != nil {
		return err
	}
	for i, w := range widths {
		c := colName(i + 1)
		if err := x.SetColWidth(sh, c, c, w); err != nil {
			return err
		}
	}
	if err := x.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 2, TopLeftCell: "B3", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	return printSetup(x, sh, 0, l.footer)
}

// countsRow is one row of the summary tables, in the order of summaryCols
// (and the extended tasks last, with extended).
func countsRow(name string, c report.Counts, extended bool) []any {
	r := []any{name, c.Tasks, c.ByGroup[report.DoneOnTime], c.ByGroup[report.DoneLate], c.ByGroup[report.OnTrack], c.ByGroup[report.Late],
		c.Waiting, c.ByLight[domain.Green], c.ByLight[domain.Yellow], c.ByLight[domain.Red], c.Unreported, c.Progress}
	if extended {
		r = append(r, c.Extended)
	}
	return r
}

// planLabel names a plan briefly: its number, else "Kế hoạch <year>".
func planLabel(p domain.Plan, l labels) string {
	if n := strings.TrimSpace(p.Number); n != "" && !strings.HasPrefix(n, "/") {
		return n
	}
	return fmt.Sprintf(l.plan, p.Year)
}

// sheetName makes a valid, unused sheet name of s (at most 31 characters,
// none of : \ / ? * [ ]).
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '-'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 28 {
		s = string(r[:28])
	}
	n := s
	for i := 2; used[n]; i++ {
		n = s + " " + strconv.Itoa(i)
	}
	used[n] = true
	return n
}

func itoa(i int) string { return strconv.Itoa(i) }

func colName(i int) string {
	n, _ := excelize.ColumnNumberToName(i)
	return n
}

// dmy writes a date as Vietnamese documents do: 24/12/2025.
func dmy(d deadline.Date) string { return fmt.Sprintf("%02d/%02d/%d", d.Day, int(d.Month), d.Year) }
