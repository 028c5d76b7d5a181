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

// counts renders the lights with what they mean and the statuses, each
// on its own line.
func (b *Bot) counts(w who, c report.Counts) string {
	return fmt.Sprintf("%s\n%s", w.t("summary.lights", c.ByLight[domain.Green], c.ByLight[domain.Yellow], c.ByLight[domain.Red]),
		w.t("summary.statuses",
			statusText(w.Lang, domain.Done), c.ByStatus[domain.Done],
			statusText(w.Lang, domain.InProgress), c.ByStatus[domain.InProgress],
			statusText(w.Lang, domain.NotStarted), c.ByStatus[domain.NotStarted],
			statusText(w.Lang, domain.Blocked), c.ByStatus[domain.Blocked]))
}

func (b *Bot) cmdSummary(ctx context.Context, w who, args string) {
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "summary", err)
		return
	}
	f, ok := b.scopeOrAsk(ctx, w, in, "summary", args)
	if !ok {
		return
	}
	b.summaryOf(w, in, f)
}

// summary answers /summary for a scope already read.
func (b *Bot) summary(ctx context.Context, w who, f report.Filter) {
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "summary", err)
		return
	}
	b.summaryOf(w, in, f)
}

// scopeTitle names what a roll-up covers: the agency, the plan, or both.
func scopeTitle(w who, s report.Summary) string {
	var parts []string
	if s.Agency != nil {
		parts = append(parts, escape(s.Agency.Name))
	}
	if s.Plan != nil {
		parts = append(parts, escape(planName(w, *s.Plan)))
	}
	if len(parts) == 0 {
		return w.t("summary.all")
	}
	return strings.Join(parts, " · ")
}

func (b *Bot) summaryOf(w who, in report.Input, f report.Filter) {
	s := report.New(in, f).Summary()
	var sb strings.Builder
	fmt.Fprintf(&sb, "📊 <b>%s</b> — %s\n%s\n", w.t("summary.title"), i18n.Date(s.Today), scopeTitle(w, s))
	fmt.Fprintf(&sb, "%s\n%s\n", w.t("summary.work", s.Tasks, s.Assignments, len(s.Agencies)), b.counts(w, s.Counts))
	fmt.Fprintf(&sb, "%s\n", w.t("summary.groups", s.ByGroup[report.DoneOnTime], s.ByGroup[report.DoneLate],
		s.ByGroup[report.OnTrack], s.ByGroup[report.Late]))
	if s.Waiting > 0 {
		key := "summary.waiting"
		if in.ReviewRequired {
			key = "summary.waiting_required"
		}
		fmt.Fprintf(&sb, "%s\n", w.t(key, s.Waiting))
	}
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
	sb.WriteString("\n" + w.t("summary.legend"))
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

func (b *Bot) cmdOverdue(ctx context.Context, w who, args string) {
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "overdue", err)
		return
	}
	if f, ok := b.scopeOrAsk(ctx, w, in, "overdue", args); ok {
		b.overdueOf(w, in, f)
	}
}

func (b *Bot) overdue(ctx context.Context, w who, f report.Filter) {
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "overdue", err)
		return
	}
	b.overdueOf(w, in, f)
}

func (b *Bot) overdueOf(w who, in report.Input, f report.Filter) {
	views := report.Overdue(in, f)
	head := ""
	if f != (report.Filter{}) {
		head = scopeTitle(w, report.New(in, f).Summary()) + "\n"
	}
	if len(views) == 0 {
		b.reply(w.Chat, head+w.t("overdue.none"))
		return
	}
	b.replyKB(w.Chat, head+w.t("overdue.header", len(views))+"\n\n"+b.taskLines(w, views, true), taskButtons(views))
}

// cmdDueSoon reads "/duesoon [days] [agency or plan]".
func (b *Bot) cmdDueSoon(ctx context.Context, w who, args string) {
	days := b.Config.SoonDays
	words := strings.Fields(args)
	if len(words) > 0 {
		if v, err := strconv.Atoi(words[0]); err == nil && (len(words) > 1 || v <= 366) {
			if v < 0 || v > 366 {
				b.reply(w.Chat, w.t("err.days_number"))
				return
			}
			days, words = v, words[1:]
		}
	}
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "duesoon", err)
		return
	}
	if f, ok := b.scopeOrAsk(ctx, w, in, "duesoon", strings.Join(words, " ")); ok {
		b.dueSoonOf(w, in, f, days)
	}
}

func (b *Bot) dueSoon(ctx context.Context, w who, f report.Filter, days int) {
	in, err := b.rollupInput(ctx, false)
	if err != nil {
		b.fail(w, "duesoon", err)
		return
	}
	b.dueSoonOf(w, in, f, days)
}

func (b *Bot) dueSoonOf(w who, in report.Input, f report.Filter, days int) {
	views := report.DueSoon(in, f, days)
	head := ""
	if f != (report.Filter{}) {
		head = scopeTitle(w, report.New(in, f).Summary()) + "\n"
	}
	if len(views) == 0 {
		b.reply(w.Chat, head+w.t("duesoon.none", days))
		return
	}
	b.replyKB(w.Chat, head+w.t("duesoon.header", days, len(views))+"\n\n"+b.taskLines(w, views, true), taskButtons(views))
}
