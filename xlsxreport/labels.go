package xlsxreport

import (
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// labels are the workbook's texts in one language, from the catalogues
// (i18n keys "xlsx.*"; column lists are |-separated).
type labels struct {
	summarySheet, historySheet string
	title, byPlan, byAgency    string
	planTitle                  string // appendix title, date
	cols                       []string
	summaryCols                []string
	historyCols                []string
	status                     map[domain.Status]string
	light                      map[domain.Light]string
	group                      map[report.Group]string
	role                       map[domain.Role]string
	kind                       map[domain.UpdateKind]string
	total, plan, correction    string
}

func textsFor(lang string) labels {
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.VI
	}
	t := func(k string) string { return i18n.T(l, "xlsx."+k) }
	x := labels{summarySheet: t("summary_sheet"), historySheet: t("history_sheet"), title: t("title"), byPlan: t("by_plan"),
		byAgency: t("by_agency"), planTitle: t("plan_title"), cols: strings.Split(t("cols"), "|"),
		summaryCols: strings.Split(t("summary_cols"), "|"), historyCols: strings.Split(t("history_cols"), "|"),
		status: map[domain.Status]string{}, light: map[domain.Light]string{}, group: map[report.Group]string{},
		role: map[domain.Role]string{}, kind: map[domain.UpdateKind]string{},
		total: t("total"), plan: t("plan"), correction: t("correction")}
	for _, s := range domain.Statuses {
		x.status[s] = t("status." + string(s))
	}
	for _, li := range domain.Lights {
		x.light[li] = t("light." + string(li))
	}
	for _, g := range report.Groups {
		x.group[g] = t("group." + string(g))
	}
	for _, r := range []domain.Role{domain.Lead, domain.Coordinating} {
		x.role[r] = t("role." + string(r))
	}
	for _, k := range []domain.UpdateKind{domain.SetStatus, domain.SetProgress, domain.AddNote, domain.AddEvidence, domain.Correction} {
		x.kind[k] = t("kind." + string(k))
	}
	return x
}
