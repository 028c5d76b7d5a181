package bot

// The view a leader cites (issue 23, point 7): done and overdue pieces of
// work by month, from the history. "/chart monthly [agency or plan]", or
// the button under the chart.

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"strings"

	"agencybot/chart"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// monthlyMonths is how many months the monthly view shows (the latest).
const monthlyMonths = 12

// monthlyWords are the first words of "/chart monthly".
var monthlyWords = map[string]bool{"monthly": true, "month": true, "thang": true, "tháng": true, "theothang": true}

// monthlyArgs tells whether the arguments of /chart ask for the monthly
// view, and the rest (the scope).
func monthlyArgs(args string) (string, bool) {
	first, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	if !monthlyWords[strings.ToLower(first)] {
		return args, false
	}
	return strings.TrimSpace(rest), true
}

// chartButton is the button under the chart that opens the monthly view of
// the same scope.
func chartButton(w who, fl report.Filter) [][]domain.Button {
	return [][]domain.Button{{button(w.t("chart.btn_monthly"), domain.Callback{Verb: VerbMonthly, Ref: fl.AgencyKey, Arg: fl.PlanKey})}}
}

// monthlyPressed answers the button under the chart.
func (f *leaders) monthlyPressed(ctx context.Context, w who, cb domain.Callback) error {
	if cb.Ref != "" {
		if _, err := f.catalog.store.Agency(ctx, cb.Ref); err != nil {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
	}
	w.answer("", false)
	return f.run(ctx, w, "monthly", report.Filter{AgencyKey: cb.Ref, PlanKey: cb.Arg}, f.cfg.SoonDays)
}

// monthlyOf sends the monthly view of in narrowed by fl as a photo.
func (f *reports) monthlyOf(ctx context.Context, w who, in report.Input, fl report.Filter) error {
	s := report.New(in, fl).Summary()
	open := map[string]bool{}
	for _, p := range in.Plans {
		open[p.Key] = fl.PlanKey == "" || p.Key == fl.PlanKey
	}
	var as []domain.Assignment
	ids := map[string]bool{}
	for _, a := range in.Assignments {
		if a.Withdrawn || !open[a.PlanKey] || (fl.AgencyKey != "" && a.AgencyKey != fl.AgencyKey) {
			continue
		}
		as = append(as, a)
		ids[a.ID] = true
	}
	var ups []domain.Update
	if err := f.history.EachUpdate(ctx, fl.AgencyKey, func(u domain.Update) error {
		if ids[u.AssignmentID] {
			ups = append(ups, u)
		}
		return nil
	}); err != nil {
		return fmt.Errorf("monthly chart history: %w", err)
	}
	scope := html.UnescapeString(scopeTitle(w, s))
	fig := chart.MonthlyFigures{Today: s.Today, Scope: scope, Months: chart.Monthly(as, ups, s.Today, monthlyMonths, f.cfg.Location)}
	var png bytes.Buffer
	if err := chart.RenderMonthly(&png, fig, string(w.Lang)); err != nil {
		return fmt.Errorf("draw monthly chart: %w", err)
	}
	caption := w.t("chart.monthly_sent", i18n.Date(s.Today), scopeTitle(w, s), i18n.Count(w.Lang, len(as), "assignment"))
	if err := w.out.SendFile(w.Chat, domain.Attachment{Kind: domain.AttachPhoto, Name: "theo-thang.png", Data: png.Bytes()}, caption); err != nil {
		w.reply(w.t("chart.failed"))
	}
	return nil
}
