package docxreport

import (
	"fmt"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

// The body follows the outline of a report under Nghị định 09/2019/NĐ-CP:
// the situation, the results, the shortcomings and their causes, the tasks
// of the next period, the recommendations.

// Body text: justified, the first line indented, 6 pt between paragraphs.
var (
	text    = format{firstLine: mm(12.7), after: 120}
	heading = format{bold: true, firstLine: mm(12.7), before: 120, after: 120, keepNext: true}
	sub     = format{bold: true, italic: true, firstLine: mm(12.7), after: 60, keepNext: true}
	bullet  = format{firstLine: mm(12.7), after: 60}
	detail  = format{firstLine: mm(12.7), left: mm(6), after: 40, size: 13}
	remark  = format{italic: true, firstLine: mm(12.7), after: 120}
)

func (d *draft) body() {
	fc, sum := d.fc, d.fc.sum
	d.b.para(text, d.t("docx.opening", d.plansTitle(), d.is.Name(d.in.Agencies), fc.period.Label(d.l), i18n.Date(fc.today)))

	// I. The situation.
	d.b.para(heading, d.t("docx.h.situation"))
	for _, p := range fc.plans {
		d.b.para(text, d.t("docx.situation.plan", upward.PlanRef(p.plan, d.l), i18n.Shorten(p.plan.Title, 250), p.counts.Tasks, len(p.counts.Sections), p.agencies))
	}
	d.b.para(text, d.t("docx.situation.reported", i18n.Date(fc.today), fc.reported, fc.agencies, sum.Unreported, d.reportingPeriod()))
	if n := len(sum.Silent); n > 0 {
		names := make([]string, n)
		for i, s := range sum.Silent {
			names[i] = s.Agency.Name
		}
		d.b.para(text, d.t("docx.situation.silent", n, report.DefaultStaleDays, upward.Names(d.l, names, maxNames)))
	}

	// II. The results.
	d.b.para(heading, d.t("docx.h.results"))
	d.b.para(sub, d.t("docx.h.results_figures"))
	d.b.para(text, d.figures(sum.Counts))
	d.resultsTable()
	d.b.para(sub, d.t("docx.h.completed", len(fc.completed)))
	if len(fc.completed) == 0 {
		d.b.para(text, d.t("docx.completed.none"))
	}
	d.items(fc.completed)
	d.targets()

	// III. Shortcomings and their causes.
	d.b.para(heading, d.t("docx.h.shortcomings"))
	d.b.para(sub, d.t("docx.h.overdue", len(fc.overdue)))
	if len(fc.overdue) == 0 {
		d.b.para(text, d.t("docx.overdue.none"))
	}
	d.items(fc.overdue)
	d.b.para(sub, d.t("docx.h.blocked", fc.blockedTasks))
	switch {
	case fc.blockedTasks == 0:
		d.b.para(text, d.t("docx.blocked.none"))
	case fc.blockedLate == fc.blockedTasks:
		d.b.para(text, d.t("docx.blocked.all_late"))
	case fc.blockedLate > 0:
		d.b.para(text, d.t("docx.blocked.late", fc.blockedLate))
	}
	d.items(fc.blocked)
	d.b.para(sub, d.t("docx.h.causes"))
	d.b.para(remark, d.t("docx.causes.placeholder"))

	// IV. The next period.
	d.b.para(heading, d.t("docx.h.next"))
	if len(fc.dueNext) == 0 {
		d.b.para(text, d.t("docx.next.none", fc.next.Label(d.l)))
	} else {
		d.b.para(text, d.t("docx.next.due", fc.next.Label(d.l), len(fc.dueNext)))
	}
	d.items(fc.dueNext)
	if n := sum.ByGroup[report.Late]; n > 0 {
		d.b.para(text, d.t("docx.next.overdue", n))
	}
	d.b.para(text, d.t("docx.next.report"))

	// V. Recommendations.
	d.b.para(heading, d.t("docx.h.recommendations"))
	if len(fc.requests) == 0 {
		d.b.para(text, d.t("docx.requests.none"))
	} else {
		d.b.para(text, d.t("docx.requests.intro"))
		for i, rq := range fc.requests {
			if i == maxRequests {
				d.b.para(bullet, d.t("docx.requests.more", len(fc.requests)-maxRequests))
				break
			}
			d.b.para(bullet, d.t("docx.requests.item", upward.Names(d.l, rq.agencies, 3), upward.Names(d.l, rq.tasks, 5), rq.note))
		}
	}
	d.b.para(remark, d.t("docx.recommendations.placeholder", d.is.Name(d.in.Agencies)))
	d.b.para(text, d.t("docx.closing", d.plansTitle(), fc.period.Label(d.l), d.is.Name(d.in.Agencies)))
}

// reportingPeriod names the period in which officers report (REPORT_PERIOD:
// a month or a quarter), which "not reported" counts from.
func (d *draft) reportingPeriod() string {
	t := d.fc.today
	if d.in.Policy.Period == domain.Quarterly {
		return upward.QuarterOf(t).Label(d.l)
	}
	p, _ := upward.ParsePeriod(fmt.Sprintf("%04d-%02d", t.Year, int(t.Month)))
	return p.Label(d.l)
}

// maxRequests caps the recommendations drawn from the agencies' requests.
const maxRequests = 10

// figures is the results in one sentence: "Tổng số 40 nhiệm vụ, trong đó:
// đã hoàn thành đúng hạn 5; …".
func (d *draft) figures(c report.Counts) string {
	s := d.t("docx.figures", c.Tasks, c.ByGroup[report.DoneOnTime], c.ByGroup[report.DoneLate], c.ByGroup[report.OnTrack], c.ByGroup[report.Late])
	if d.fc.review {
		s += d.t("docx.figures.waiting", c.Waiting)
	}
	if d.fc.extended {
		s += d.t("docx.figures.extended", c.Extended)
	}
	return s + d.t("docx.figures.progress", c.Progress)
}

// resultsTable counts the tasks per plan and section in the four groups.
func (d *draft) resultsTable() {
	cols := strings.Split(d.t("docx.results.cols"), "|")
	if d.fc.review {
		cols = append(cols[:len(cols)-1], d.t("docx.results.waiting"), cols[len(cols)-1])
	}
	if d.fc.extended {
		cols = append(cols[:len(cols)-1], d.t("docx.results.extended"), cols[len(cols)-1])
	}
	// The label column gives way as columns are added (the waiting and the
	// extended ones), so that the numbers' headers wrap in at most four lines.
	first := mm(float64(62 - 6*(len(cols)-7)))
	rest := (portrait.width() - first) / (len(cols) - 1)
	widths := []int{first}
	for range cols[1:] {
		widths = append(widths, rest)
	}
	t := d.b.table(widths, true)
	hf := format{size: 10, bold: true, align: center}
	head := make([]cell, len(cols))
	for i, c := range cols {
		head[i] = cell{lines: []string{c}, f: hf, fill: headerFill}
	}
	t.row(true, head...)
	add := func(label string, c report.Counts, bold bool) {
		cells := []cell{{lines: []string{label}, f: format{size: sizeTable, bold: bold, align: left}}}
		nums := []int{c.Tasks, c.ByGroup[report.DoneOnTime], c.ByGroup[report.DoneLate], c.ByGroup[report.OnTrack], c.ByGroup[report.Late]}
		if d.fc.review {
			nums = append(nums, c.Waiting)
		}
		if d.fc.extended {
			nums = append(nums, c.Extended)
		}
		nums = append(nums, c.Progress)
		for _, n := range nums {
			cells = append(cells, cell{lines: []string{strconv.Itoa(n)}, f: format{size: sizeTable, bold: bold, align: center}})
		}
		t.row(false, cells...)
	}
	for _, p := range d.fc.plans {
		if len(d.fc.plans) > 1 {
			add(upward.PlanRef(p.plan, d.l), p.counts.Counts, true)
		}
		for _, s := range p.counts.Sections {
			add(sectionLabel(s.Section, s.Title), s.Counts, false)
		}
	}
	add(d.t("docx.results.total"), d.fc.sum.Counts, true)
	d.b.para(format{after: 120}, "")
}

// headerFill is the background of a table's header row.
const headerFill = "E7E6E6"

func sectionLabel(section, title string) string {
	switch {
	case section == "":
		return title
	case title == "":
		return section
	}
	return section + ". " + title
}

// items writes a list of tasks, under each plan's name when there are
// several plans.
func (d *draft) items(list []item) {
	plan := -1
	for _, it := range list {
		if len(d.fc.plans) > 1 && it.plan != plan {
			plan = it.plan
			d.b.para(format{italic: true, firstLine: mm(12.7), after: 60, keepNext: true}, upward.PlanRef(d.fc.plans[plan].plan, d.l)+":")
		}
		f := bullet
		if len(it.lines) > 0 {
			f.keepNext = true
		}
		d.b.para(f, "- "+it.head)
		for i, l := range it.lines {
			g := detail
			g.keepNext = i < len(it.lines)-1
			d.b.para(g, "+ "+l)
		}
	}
}

// targets writes the targets of the plans in scope and their latest values,
// once targets are tracked (report.Input.Targets).
func (d *draft) targets() {
	var rows [][]string
	for _, tg := range d.in.Targets {
		if !d.inScope(tg.PlanKey) {
			continue
		}
		at := ""
		if !tg.At.IsZero() {
			at = i18n.Time(tg.At, d.fc.loc)[:10]
		}
		rows = append(rows, []string{tg.Name, tg.Unit, tg.Baseline, tg.Goal, tg.Value, at})
	}
	if len(rows) == 0 {
		return
	}
	d.b.para(sub, d.t("docx.h.targets"))
	cols := strings.Split(d.t("docx.targets.cols"), "|")
	w := portrait.width()
	t := d.b.table([]int{w * 34 / 100, w * 12 / 100, w * 13 / 100, w * 14 / 100, w * 14 / 100, w - w*87/100}, true)
	head := make([]cell, len(cols))
	for i, c := range cols {
		head[i] = cell{lines: []string{c}, f: format{size: 11, bold: true, align: center}, fill: headerFill}
	}
	t.row(true, head...)
	for _, r := range rows {
		cells := make([]cell, len(r))
		for i, v := range r {
			a := center
			if i == 0 {
				a = left
			}
			cells[i] = cell{lines: []string{v}, f: format{size: sizeTable, align: a}}
		}
		t.row(false, cells...)
	}
	d.b.para(format{after: 120}, "")
}

func (d *draft) inScope(plan string) bool {
	for _, p := range d.fc.plans {
		if p.plan.Key == plan {
			return true
		}
	}
	return false
}
