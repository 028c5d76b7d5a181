package chart

import "agencybot/i18n"

// labels are the texts of the chart in one language, from the catalogues
// (i18n keys "chart.img.*").
type labels struct {
	title, agencies, progress, others, plan string
	red, yellow, green                      string
	caption                                 string // date, scope, tasks, assignments, agencies
	scopeAll                                string
	noData                                  string
}

func textsFor(lang string) labels {
	l := i18n.Lang(lang)
	if l != i18n.EN {
		l = i18n.VI
	}
	t := func(k string) string { return i18n.T(l, "chart.img."+k) }
	return labels{title: t("title"), agencies: t("agencies"), progress: t("progress"), others: t("others"), plan: t("plan"),
		red: t("red"), yellow: t("yellow"), green: t("green"), caption: t("caption"), scopeAll: t("scope_all"), noData: t("no_data")}
}
