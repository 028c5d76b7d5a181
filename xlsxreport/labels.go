package xlsxreport

import (
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
)

// labels are the workbook's texts in one language, from the catalogues
// (i18n keys "xlsx.*"; column lists are |-separated).
type labels struct {
	lang                                    i18n.Lang
	summarySheet, historySheet, detailSheet string
	title, byPlan, byAgency, detailTitle    string
	cols                                    []string
	summaryCols                             []string
	detailCols                              []string
	historyCols                             []string
	status                                  map[domain.Status]string
	group                                   map[report.Group]string
	role                                    map[domain.Role]string
	kind                                    map[domain.UpdateKind]string
	total, plan, correction, footer         string
	evidence                                string // "Minh chứng: %d tệp" in a task's note cell
	extended                                string // the summary's column of extended tasks
	waiting                                 string // the status of a completion waiting for review (issue 20)
	overdueAges                             string // the summary's table of overdue parts by age
	ages                                    [3]string
}

func textsFor(lang string) labels {
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.VI
	}
	t := func(k string) string { return i18n.T(l, "xlsx."+k) }
	x := labels{lang: l, summarySheet: t("summary_sheet"), historySheet: t("history_sheet"), detailSheet: t("detail_sheet"),
		title: t("title"), byPlan: t("by_plan"), byAgency: t("by_agency"), detailTitle: t("detail_title"), cols: strings.Split(t("cols"), "|"),
		summaryCols: strings.Split(t("summary_cols"), "|"), detailCols: strings.Split(t("detail_cols"), "|"), historyCols: strings.Split(t("history_cols"), "|"),
		status: map[domain.Status]string{}, group: map[report.Group]string{},
		role: map[domain.Role]string{}, kind: map[domain.UpdateKind]string{},
		total: t("total"), plan: t("plan"), correction: t("correction"), footer: t("footer"), evidence: t("evidence"), extended: t("extended"), waiting: t("status_waiting"),
		overdueAges: t("overdue_ages"),
		ages:        [3]string{i18n.T(l, "overdue.age.30"), i18n.T(l, "overdue.age.90"), i18n.T(l, "overdue.age.more")}}
	for _, s := range domain.Statuses {
		x.status[s] = t("status." + string(s))
	}
	for _, g := range report.Groups {
		x.group[g] = upward.GroupWord(l, g)
	}
	for _, r := range []domain.Role{domain.Lead, domain.Coordinating} {
		x.role[r] = t("role." + string(r))
	}
	for _, k := range []domain.UpdateKind{domain.SetStatus, domain.SetProgress, domain.AddNote, domain.AddEvidence, domain.Correction} {
		x.kind[k] = t("kind." + string(k))
	}
	return x
}
