package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// counts renders light and status counts on two lines.
func (b *Bot) counts(w who, c report.Counts) string {
	return fmt.Sprintf("🟢 %d · 🟡 %d · 🔴 %d\n%s %d · %s %d · %s %d · %s %d",
		c.ByLight[domain.Green], c.ByLight[domain.Yellow], c.ByLight[domain.Red],
		statusText(w.Lang, domain.Done), c.ByStatus[domain.Done],
		statusText(w.Lang, domain.InProgress), c.ByStatus[domain.InProgress],
		statusText(w.Lang, domain.NotStarted), c.ByStatus[domain.NotStarted],
		statusText(w.Lang, domain.Blocked), c.ByStatus[domain.Blocked])
}

// resolveScope reads "/summary <agency or plan>".
func (b *Bot) resolveScope(ctx context.Context, in report.Input, arg string) (report.Filter, bool, error) {
	if arg == "" {
		return report.Filter{}, true, nil
	}
	la := strings.ToLower(strings.TrimSpace(arg))
	for _, p := range in.Plans {
		if la == strings.ToLower(p.Code) || la == strings.ToLower(p.Key) || la == strconv.Itoa(p.Year) ||
			la == "kh"+strings.ToLower(p.Code) || la == "kh "+strconv.Itoa(p.Year) || la == "kế hoạch "+strconv.Itoa(p.Year) {
			return report.Filter{PlanKey: p.Key}, true, nil
		}
	}
	ix, err := b.Catalog.AgencyIndex(ctx)
	if err != nil {
		return report.Filter{}, false, err
	}
	if hits := ix.Search(arg); len(hits) > 0 {
		return report.Filter{AgencyKey: hits[0].Key}, true, nil
	}
	return report.Filter{}, false, nil
}

func (b *Bot) cmdSummary(ctx context.Context, w who, args string) {
	in, err := b.agencyInput(ctx, "")
	if err != nil {
		b.fail(w, "summary", err)
		return
	}
	f, ok, err := b.resolveScope(ctx, in, args)
	if err != nil {
		b.fail(w, "summary scope", err)
		return
	}
	if !ok {
		b.reply(w.Chat, w.t("summary.unknown_scope", escape(args)))
		return
	}
	s := report.Summarize(in, f)
	var sb strings.Builder
	title := w.t("summary.all")
	switch {
	case s.Agency != nil:
		title = escape(s.Agency.Name)
	case s.Plan != nil:
		title = escape(i18n.Shorten(s.Plan.Title, 120))
	}
	fmt.Fprintf(&sb, "📊 <b>%s</b> — %s\n%s\n", w.t("summary.title"), i18n.Date(s.Today), title)
	fmt.Fprintf(&sb, "%s\n%s\n", w.t("summary.tasks", s.Tasks, s.Assignments), b.counts(w, s.Counts))
	fmt.Fprintf(&sb, "%s: %d · %s: %d · %s: %d · %s: %d\n",
		w.t("group.done_on_time"), s.ByGroup[report.DoneOnTime], w.t("group.done_late"), s.ByGroup[report.DoneLate],
		w.t("group.in_progress_on_time"), s.ByGroup[report.OnTrack], w.t("group.overdue"), s.ByGroup[report.Late])
	if f.PlanKey == "" && len(s.Plans) > 1 {
		fmt.Fprintf(&sb, "\n<b>%s</b>\n", w.t("summary.by_plan"))
		for _, p := range s.Plans {
			fmt.Fprintf(&sb, "• <b>%s</b> (%s)\n  🟢 %d · 🟡 %d · 🔴 %d — %s %d/%d\n", escape(planName(w, p.Plan)), w.t("summary.n_tasks", p.Tasks),
				p.ByLight[domain.Green], p.ByLight[domain.Yellow], p.ByLight[domain.Red],
				statusText(w.Lang, domain.Done), p.ByStatus[domain.Done], p.Tasks)
		}
	}
	if f.AgencyKey == "" && len(s.MostRed) > 0 {
		fmt.Fprintf(&sb, "\n<b>%s</b>\n", w.t("summary.most_red"))
		for i, a := range s.MostRed {
			fmt.Fprintf(&sb, "%d. %s — 🔴 %d/%d\n", i+1, escape(a.Agency.Name), a.Red, a.Total)
		}
	}
	if len(s.Silent) > 0 {
		fmt.Fprintf(&sb, "\n<b>%s</b>\n", w.t("summary.silent", in.StaleDays))
		for _, a := range s.Silent {
			when := w.t("summary.never")
			if !a.LastReport.IsZero() {
				when = w.t("summary.days_ago", a.Days)
			}
			fmt.Fprintf(&sb, "• %s — %s\n", escape(a.Agency.Name), when)
		}
	}
	b.reply(w.Chat, sb.String())
}

// planName is a plan's short name: "KH 2025" or its number.
func planName(w who, p domain.Plan) string {
	if n := strings.TrimSpace(p.Number); n != "" && !strings.HasPrefix(n, "/") {
		return n
	}
	return w.t("plan.short", p.Year)
}

func (b *Bot) taskLines(w who, views []report.TaskView, withDays bool) string {
	var sb strings.Builder
	for _, v := range views {
		fmt.Fprintf(&sb, "%s <b>%s</b> %s\n    ⏱ %s", lightIcon(v.Light), escape(v.Task.Code), escape(i18n.Shorten(v.Task.Title, 80)),
			dueText(w, v.Task.Deadline.Text, v.Due, b.today(), v.Status))
		var names []string
		for _, a := range v.Lead {
			if a.Assignment.Status != domain.Done {
				names = append(names, a.Agency.Name)
			}
		}
		if len(names) > 0 {
			if len(names) > 4 {
				names = append(names[:4], w.t("more", len(names)-4))
			}
			fmt.Fprintf(&sb, "\n    🏢 %s", escape(strings.Join(names, ", ")))
		}
		sb.WriteString("\n")
	}
	return sb.String()
}

func (b *Bot) cmdOverdue(ctx context.Context, w who) {
	in, err := b.agencyInput(ctx, "")
	if err != nil {
		b.fail(w, "overdue", err)
		return
	}
	views := report.Overdue(in, report.Filter{})
	if len(views) == 0 {
		b.reply(w.Chat, w.t("overdue.none"))
		return
	}
	b.reply(w.Chat, w.t("overdue.header", len(views))+"\n\n"+b.taskLines(w, views, true))
}

func (b *Bot) cmdDueSoon(ctx context.Context, w who, args string) {
	days := b.Config.SoonDays
	if args != "" {
		v, err := strconv.Atoi(strings.TrimSpace(args))
		if err != nil || v < 0 || v > 366 {
			b.reply(w.Chat, w.t("err.days_number"))
			return
		}
		days = v
	}
	in, err := b.agencyInput(ctx, "")
	if err != nil {
		b.fail(w, "duesoon", err)
		return
	}
	views := report.DueSoon(in, report.Filter{}, days)
	if len(views) == 0 {
		b.reply(w.Chat, w.t("duesoon.none", days))
		return
	}
	b.reply(w.Chat, w.t("duesoon.header", days, len(views))+"\n\n"+b.taskLines(w, views, true))
}
