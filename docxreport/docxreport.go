// Package docxreport writes the report upward (báo cáo) Sở KH&CN sends the
// Provincial People's Committee and the Ministry, as a .docx draft the
// coordinator edits and signs:
//
//   - the form of an administrative document (Nghị định 30/2020/NĐ-CP): the
//     issuing body top left (REPORT_ISSUER) with "Số: …/BC-SKHCN", the
//     national heading top right with the place and date, "BÁO CÁO" and its
//     title, Times New Roman 14 pt on A4 with the decree's margins, page
//     numbers centred in the top margin from page 2, "Nơi nhận:" and the
//     signature block with placeholders;
//   - the content of a report under Nghị định 09/2019/NĐ-CP: the situation;
//     the results, with the number of tasks and the four groups per plan and
//     section ("đã gia hạn" and the targets once the data has them) and the
//     tasks completed in the period with their proof; the shortcomings, i.e.
//     the overdue and blocked tasks with the agencies' own explanations; the
//     tasks due in the next period; the recommendations drawn from what the
//     blocked agencies ask for;
//   - the appendix, one per plan in a landscape section: every task in the
//     plan's table with where it stands, a collective task in one row
//     ("14/14 cơ quan đã báo cáo: 3 hoàn thành, …").
//
// Every figure comes from one report.Rollup of the Input, so the report says
// what /summary says at the same moment. Texts are Vietnamese, or English
// (Options.Lang); the national heading stays Vietnamese.
package docxreport

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

// Options shape the report.
type Options struct {
	Lang   string        // "vi" (default) or "en"
	Issuer []string      // REPORT_ISSUER's lines (config.Config.ReportIssuer); none: its default
	Filter report.Filter // one agency, one plan, or both; the zero Filter: everything in the Input
	// Period is the reporting period: the title names it, the tasks
	// completed in it are listed, and those due in the next one. The zero
	// Period is the quarter of the Input's today.
	Period upward.Period
}

// Write writes the report of in, narrowed by o.Filter, as of in.Now, to w.
// The Input is the one /summary reads (store.RollupInput, or the bot's copy
// in memory); in.Files, when folded from the history (report.FoldFiles),
// names the proof of the completed tasks, in.Extended and in.Targets add the
// extension figures and the targets once their features fill them.
func Write(w io.Writer, in report.Input, o Options) error {
	l := i18n.VI
	if i18n.Lang(o.Lang) == i18n.EN {
		l = i18n.EN
	}
	loc := in.Loc
	if loc == nil {
		loc = time.FixedZone("ICT", 7*3600)
	}
	if o.Period.Kind == "" {
		o.Period = upward.QuarterOf(deadline.DateOf(in.Now.In(loc)))
	}
	r := report.New(in, o.Filter)
	fc := gather(r, in, o, l, loc)
	b, err := newBuilder()
	if err != nil {
		return err
	}
	d := &draft{b: b, l: l, fc: fc, is: upward.NewIssuer(o.Issuer), in: &in}
	d.write()
	lang := "vi-VN"
	if l == i18n.EN {
		lang = "en"
	}
	if err := b.properties(d.title(), d.is.Name(in.Agencies), lang, in.Now); err != nil {
		return fmt.Errorf("document properties: %w", err)
	}
	if err := b.root.Write(w); err != nil {
		return fmt.Errorf("write docx: %w", err)
	}
	return nil
}

// draft writes the document from the facts.
type draft struct {
	b  *builder
	l  i18n.Lang
	fc *facts
	is upward.Issuer
	in *report.Input
}

func (d *draft) t(key string, args ...any) string { return i18n.T(d.l, key, args...) }

func (d *draft) write() {
	header := d.b.pageNumberHeader()
	d.heading()
	d.body()
	d.signature()
	d.b.endSection(portrait.sectPr(header, true))
	d.appendix()
	d.b.root.Document.Body.SectPr = landscape.sectPr(header, false)
}

// title is the report's title, as under "BÁO CÁO".
func (d *draft) title() string {
	if a := d.fc.sum.Agency; a != nil {
		return d.t("docx.title_agency", d.plansTitle(), a.Name, d.fc.period.Label(d.l))
	}
	return d.t("docx.title", d.plansTitle(), d.fc.period.Label(d.l))
}

// number is the report's number line, the number left for the clerk who
// registers it: "Số:      /BC-SKHCN".
func (d *draft) number() string { return d.t("docx.number", d.is.Abbrev()) }

// dateLine is "Đồng Tháp, ngày 10 tháng 12 năm 2026": the decree pads a
// day below 10 and the months January and February with a zero.
func (d *draft) dateLine() string {
	t := d.fc.today
	m := strconv.Itoa(int(t.Month))
	if t.Month < time.March {
		m = "0" + m
	}
	return d.t("docx.date_line", d.is.Place(), t.Day, m, t.Year)
}

// plansTitle names the plans reported on: "Kế hoạch số 45/KH-UBND ngày
// 10/04/2026", or several joined.
func (d *draft) plansTitle() string {
	var refs []string
	for _, p := range d.fc.plans {
		refs = append(refs, upward.PlanRef(p.plan, d.l))
	}
	switch len(refs) {
	case 0:
		return d.t("docx.no_plan")
	case 1:
		return refs[0]
	}
	return strings.Join(refs[:len(refs)-1], ", ") + d.t("docx.and") + refs[len(refs)-1]
}
