package bot

// What leaders ask for: /summary, /overdue and /duesoon here, /chart and
// /export in reports.go — each optionally narrowed to an agency, a plan or
// both ("/summary Sở Y tế 2026", "Kế hoạch năm 2026 Sở Tư pháp"); a partial
// name that matches several agencies offers buttons. All roll up the one
// input (package summaries) with report.New.

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// leaders reads the roll-up and the catalog only.
type leaders struct {
	*core
	reports *reports
}

// command answers a leader's command (summary, overdue, duesoon, chart,
// export) with what the rest of the line names.
func (f *leaders) command(ctx context.Context, w who, cmd, args string) error {
	return f.commandFor(ctx, w, cmd, args, f.cfg.SoonDays)
}

// maxSoonDays is the longest window /duesoon looks ahead.
const maxSoonDays = 365

// dueSoonCommand reads "/duesoon [days] [agency or plan]".
func (f *leaders) dueSoonCommand(ctx context.Context, w who, args string) error {
	days := f.cfg.SoonDays
	words := strings.Fields(args)
	if len(words) > 0 {
		// A number alone is the days unless it reads as a plan's year
		// ("/duesoon 2026"): "/duesoon 400" is a range, not a plan.
		if v, err := strconv.Atoi(words[0]); err == nil && (len(words) > 1 || v < 2000 || v > 2100) {
			if v < 1 || v > maxSoonDays {
				w.reply(w.t("err.days_number"))
				return nil
			}
			days, words = v, words[1:]
		}
	}
	return f.commandFor(ctx, w, "duesoon", strings.Join(words, " "), days)
}

func (f *leaders) commandFor(ctx context.Context, w who, cmd, args string, days int) error {
	if rest, ok := monthlyArgs(args); ok && cmd == "chart" {
		cmd, args = "monthly", rest // "/chart monthly …": bot/monthly.go
	}
	in, err := f.rollupInput(ctx, cmd == "export")
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	fl, ok, err := f.scopeOrAsk(ctx, w, in, cmd, args)
	if !ok {
		return err
	}
	return f.view(ctx, w, cmd, in, fl, days)
}

// scoped runs a leader's command for the agency picked from the buttons.
func (f *leaders) scoped(ctx context.Context, w who, cb domain.Callback) error {
	cmd, planKey, _ := strings.Cut(cb.Arg, "~")
	if _, err := f.catalog.store.Agency(ctx, cb.Ref); err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	w.answer("", false)
	return f.run(ctx, w, cmd, report.Filter{AgencyKey: cb.Ref, PlanKey: planKey}, f.cfg.SoonDays)
}

// run answers cmd for a scope already read.
func (f *leaders) run(ctx context.Context, w who, cmd string, fl report.Filter, days int) error {
	switch cmd {
	case "summary", "overdue", "duesoon", "chart", "export", "monthly":
	default:
		return nil
	}
	in, err := f.rollupInput(ctx, cmd == "export")
	if err != nil {
		return fmt.Errorf("%s: %w", cmd, err)
	}
	return f.view(ctx, w, cmd, in, fl, days)
}

func (f *leaders) view(ctx context.Context, w who, cmd string, in report.Input, fl report.Filter, days int) error {
	switch cmd {
	case "summary":
		f.summaryOf(w, in, fl)
	case "overdue":
		f.overdueOf(w, in, fl)
	case "duesoon":
		f.dueSoonOf(w, in, fl, days)
	case "chart":
		return f.reports.chartOf(w, in, fl)
	case "monthly":
		return f.reports.monthlyOf(ctx, w, in, fl)
	case "export":
		return f.reports.exportOf(ctx, w, in, fl)
	}
	return nil
}

// counts renders the lights with what they mean and the statuses, each
// on its own line.
func counts(w who, c report.Counts) string {
	return fmt.Sprintf("%s\n%s", w.t("summary.lights", c.ByLight[domain.Green], c.ByLight[domain.Yellow], c.ByLight[domain.Red]),
		w.t("summary.statuses",
			statusText(w.Lang, domain.Done), c.ByStatus[domain.Done],
			statusText(w.Lang, domain.InProgress), c.ByStatus[domain.InProgress],
			statusText(w.Lang, domain.NotStarted), c.ByStatus[domain.NotStarted],
			statusText(w.Lang, domain.Blocked), c.ByStatus[domain.Blocked]))
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

func (f *leaders) summaryOf(w who, in report.Input, fl report.Filter) {
	s := report.New(in, fl).Summary()
	var sb strings.Builder
	fmt.Fprintf(&sb, "📊 <b>%s</b> — %s\n%s\n", w.t("summary.title"), i18n.Date(s.Today), scopeTitle(w, s))
	fmt.Fprintf(&sb, "%s\n%s\n", w.t("summary.work", i18n.Count(w.Lang, s.Tasks, "task"), i18n.Count(w.Lang, s.Assignments, "assignment"), i18n.Count(w.Lang, len(s.Agencies), "agency")), counts(w, s.Counts))
	groups := w.t("summary.groups", s.ByGroup[report.DoneOnTime], s.ByGroup[report.DoneLate], s.ByGroup[report.OnTrack], s.ByGroup[report.Late])
	if in.Extended != nil { // extensions are recorded (issue 20)
		groups += " — " + w.t("summary.extended", s.Extended)
	}
	fmt.Fprintf(&sb, "%s\n", groups)
	if s.Waiting > 0 {
		key := "summary.waiting"
		if in.ReviewRequired {
			key = "summary.waiting_required"
		}
		fmt.Fprintf(&sb, "%s\n", i18n.N(w.Lang, key, s.Waiting, s.Waiting))
	}
	if fl.PlanKey == "" && len(s.Plans) > 1 {
		fmt.Fprintf(&sb, "\n<b>%s</b>\n", w.t("summary.by_plan"))
		for _, p := range s.Plans {
			fmt.Fprintf(&sb, "• <b>%s</b> (%s)\n  🟢 %d · 🟡 %d · 🔴 %d — %s %d/%d\n", escape(planName(w, p.Plan)), i18n.N(w.Lang, "summary.n_tasks", p.Tasks, p.Tasks),
				p.ByLight[domain.Green], p.ByLight[domain.Yellow], p.ByLight[domain.Red],
				statusText(w.Lang, domain.Done), p.ByStatus[domain.Done], p.Tasks)
		}
	}
	if fl.AgencyKey == "" && len(s.MostRed) > 0 {
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
	w.reply(sb.String())
}

// planName is a plan's short name: "KH 2025" or its number.
func planName(w who, p domain.Plan) string {
	if n := strings.TrimSpace(p.Number); n != "" && !strings.HasPrefix(n, "/") {
		return n
	}
	return w.t("plan.short", p.Year)
}

func (f *leaders) taskLines(w who, views []report.TaskView) string {
	var sb strings.Builder
	for _, v := range views {
		fmt.Fprintf(&sb, "%s <b>%s</b> %s\n    ⏱ %s", lightIcon(v.Light), escape(v.Task.Code), escape(i18n.Shorten(v.Task.Title, 80)),
			dueText(w, taskDueLabel(w, v), v.Due, f.today(), v.Status))
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

func (f *leaders) overdueOf(w who, in report.Input, fl report.Filter) {
	views := report.Overdue(in, fl)
	head := ""
	if fl != (report.Filter{}) {
		head = scopeTitle(w, report.New(in, fl).Summary()) + "\n"
	}
	if len(views) == 0 {
		w.reply(head + w.t("overdue.none"))
		return
	}
	ages := report.OverdueByAge(report.Tasks(in, fl)) // every overdue part, also of a task extended by another lead
	byAge := w.t("overdue.by_age", ages[report.AgeMonth], ages[report.AgeQuarter], ages[report.AgeLonger])
	w.replyKB(head+w.t("overdue.header", len(views))+"\n"+byAge+"\n\n"+f.taskLines(w, views), taskButtons(views))
}

func (f *leaders) dueSoonOf(w who, in report.Input, fl report.Filter, days int) {
	views := report.DueSoon(in, fl, days)
	head := ""
	if fl != (report.Filter{}) {
		head = scopeTitle(w, report.New(in, fl).Summary()) + "\n"
	}
	if len(views) == 0 {
		w.reply(head + w.t("duesoon.none", days))
		return
	}
	w.replyKB(head+w.t("duesoon.header", i18n.Count(w.Lang, days, "day"), i18n.Count(w.Lang, len(views), "task"))+"\n\n"+f.taskLines(w, views), taskButtons(views))
}

// scope is the result of reading a leader's argument.
type scope struct {
	f       report.Filter
	choices []agency.Agency // several agencies match: ask
	ok      bool
}

// parseScope reads arg against the plans in and the agency index: the
// plan may be written before or after the agency, as a year, code, number
// or as the bot names it ("Kế hoạch năm 2026").
func (f *leaders) parseScope(ctx context.Context, in report.Input, arg string) (scope, error) {
	words := strings.Fields(arg)
	if len(words) == 0 {
		return scope{ok: true}, nil
	}
	var fl report.Filter
	rest := words
	// the longest plan phrase at the end, else at the start
	found := false
	for k := len(words); k >= 1 && !found; k-- {
		if pf, ok := report.ParseScope(in.Plans, nil, strings.Join(words[len(words)-k:], " ")); ok && pf.PlanKey != "" {
			fl.PlanKey, rest, found = pf.PlanKey, words[:len(words)-k], true
		} else if pf, ok := report.ParseScope(in.Plans, nil, strings.Join(words[:k], " ")); ok && pf.PlanKey != "" {
			fl.PlanKey, rest, found = pf.PlanKey, words[k:], true
		}
	}
	if len(rest) == 0 {
		return scope{f: fl, ok: true}, nil
	}
	ix, err := f.catalog.store.AgencyIndex(ctx)
	if err != nil {
		return scope{}, err
	}
	name := strings.Join(rest, " ")
	if a, ok := ix.Match(name); ok {
		fl.AgencyKey = a.Key
		return scope{f: fl, ok: true}, nil
	}
	hits := ix.Search(name)
	switch {
	case len(hits) == 0:
		return scope{}, nil
	case len(hits) == 1:
		fl.AgencyKey = hits[0].Key
		return scope{f: fl, ok: true}, nil
	}
	if len(hits) > 10 {
		hits = hits[:10]
	}
	return scope{f: fl, choices: hits}, nil
}

// scopeOrAsk reads the argument of a leader's command; when it names
// nothing it says so, when it names several agencies it offers them as
// buttons (pressing one runs cmd again for that agency); ok is false then.
func (f *leaders) scopeOrAsk(ctx context.Context, w who, in report.Input, cmd, arg string) (report.Filter, bool, error) {
	sc, err := f.parseScope(ctx, in, arg)
	if err != nil {
		return report.Filter{}, false, fmt.Errorf("%s scope: %w", cmd, err)
	}
	if sc.ok {
		return sc.f, true, nil
	}
	if len(sc.choices) == 0 {
		w.reply(w.t("scope.unknown", escape(i18n.Shorten(arg, 60)), cmd))
		return report.Filter{}, false, nil
	}
	var rows [][]domain.Button
	for _, h := range sc.choices {
		rows = append(rows, []domain.Button{button(i18n.Shorten(h.Name, 60),
			domain.Callback{Verb: VerbScope, Ref: h.Key, Arg: cmd + "~" + sc.f.PlanKey})})
	}
	w.replyKB(w.t("scope.choose", escape(i18n.Shorten(arg, 60))), rows)
	return report.Filter{}, false, nil
}

// taskButtons are one button per task (at most 20) that opens it.
func taskButtons(views []report.TaskView) [][]domain.Button {
	var rows [][]domain.Button
	var row []domain.Button
	for i, v := range views {
		if i == 20 {
			break
		}
		row = append(row, button("🔎 "+v.Task.Code, domain.Callback{Verb: VerbTask, Ref: v.Task.Code}))
		if len(row) == 4 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

// openTaskButtons is the one button under an alert that opens its task.
func openTaskButtons(w who, code string) [][]domain.Button {
	return [][]domain.Button{{{Text: "🔎 " + w.t("btn.open_task", code), Data: domain.Callback{Verb: VerbTask, Ref: code}.Encode()}}}
}
