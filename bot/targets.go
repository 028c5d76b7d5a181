package bot

// Targets (chỉ tiêu) in the chat: /targets, the list with each target's
// latest value against this year's number, its light and trend; /target
// <name or number>, its card with the history; and, for the officers of the
// agency responsible, reporting a value (year, value, source, date: a
// question flow kept in the session, so it survives a restart) and
// correcting their latest one. The judgement is domain.JudgeTarget's, the
// same the chart page and `agencybot targets` show.

import (
	"agencybot/scheduler"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// targetStore is what the targets' feature reads and writes (*store.Store:
// store/targets.go).
type targetStore interface {
	Targets(ctx context.Context) ([]domain.Target, error)
	TargetRecords(ctx context.Context) ([]store.TargetRecord, error)
	Target(ctx context.Context, id string) (domain.Target, error)
	TargetHistory(ctx context.Context, id string, limit int) ([]domain.TargetValue, error)
	ApplyTarget(ctx context.Context, id string, ch store.TargetChange) (domain.Target, domain.TargetValue, error)
}

type targets struct {
	*core
	store    targetStore
	sessions sessionStore
	once     *oneShot
	reports  *reports
}

// targetsWord tells whether the argument of /chart asks for the targets'
// page ("/chart chỉ tiêu", "/chart targets").
func targetsWord(a string) bool {
	switch domain.NormName(a) {
	case "chi tieu", "chitieu", "targets", "target":
		return true
	}
	return false
}

// historyShown is how many entries of a target's history its card lists.
const historyShown = 10

// targetIcon is a target's light as a sign.
func targetIcon(l domain.TargetLight) string {
	switch l {
	case domain.OnTrack:
		return "🟢"
	case domain.Behind:
		return "🔴"
	}
	return "⚪"
}

// list answers /targets: every target (or, with mine, the officer's
// agency's), grouped by plan, with a button to open each.
func (f *targets) list(ctx context.Context, w who, mine bool) error {
	recs, err := f.store.TargetRecords(ctx)
	if err != nil {
		return fmt.Errorf("list targets: %w", err)
	}
	if mine {
		kept := recs[:0]
		for _, r := range recs {
			if r.Target.Agency == w.Agency() {
				kept = append(kept, r)
			}
		}
		recs = kept
	}
	if len(recs) == 0 {
		w.reply(w.t("ct.none"))
		return nil
	}
	w.replyKB(f.listText(ctx, w, recs), f.listButtons(w, recs))
	return nil
}

// listText is the /targets message.
func (f *targets) listText(ctx context.Context, w who, recs []store.TargetRecord) string {
	today := f.today()
	counts := map[domain.TargetLight]int{}
	var body strings.Builder
	plan := ""
	names := f.planNames(ctx, w)
	for _, r := range recs {
		t := r.Target
		if t.PlanKey != plan && len(names) > 1 {
			plan = t.PlanKey
			fmt.Fprintf(&body, "\n<b>%s</b>\n", escape(names[t.PlanKey]))
		}
		j := domain.JudgeTarget(t, r.History, today)
		counts[j.Light]++
		fmt.Fprintf(&body, "%s <b>%s.</b> %s\n    %s\n", targetIcon(j.Light), escape(t.Number), targetLabel(t, 80), f.standing(w, t, j))
	}
	head := w.t("ct.header", i18n.Date(today), len(recs), counts[domain.OnTrack], counts[domain.Behind], counts[domain.NoData])
	return head + "\n" + body.String() + "\n" + w.t("ct.footer")
}

// planNames names the plans by key, as /summary does.
func (f *targets) planNames(ctx context.Context, w who) map[string]string {
	out := map[string]string{}
	in, err := f.rollupInput(ctx, true)
	if err != nil {
		return out
	}
	for _, p := range in.Plans {
		out[p.Key] = planName(w, p)
	}
	return out
}

// listButtons opens each target (five to a row) and draws their chart.
func (f *targets) listButtons(w who, recs []store.TargetRecord) [][]domain.Button {
	var rows [][]domain.Button
	var row []domain.Button
	for _, r := range recs {
		row = append(row, button("📊 "+r.Target.Number, domain.Callback{Verb: domain.VerbTarget, Ref: r.Target.ID, Arg: "o"}))
		if len(row) == 5 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return append(rows, []domain.Button{button("📈 "+w.t("ct.btn_chart"), domain.Callback{Verb: domain.VerbTarget, Ref: "-", Arg: "g"})})
}

// targetLabel is a target's name (shortened to n runes) and unit, in HTML.
func targetLabel(t domain.Target, n int) string {
	s := escape(i18n.Shorten(t.Name, n))
	if t.Unit != "" {
		s += " (" + escape(t.Unit) + ")"
	}
	return s
}

// finalText is the target's final number as the plan writes it.
func finalText(l i18n.Lang, t domain.Target) string {
	if t.Final.Text != "" {
		return t.Final.Text
	}
	return i18n.Number(l, t.Final.Value)
}

// standing is one line of a target's judgement: the value of the year
// judged (or the latest of another year) against what the year expects,
// the final value, and the trend.
func (f *targets) standing(w who, t domain.Target, j domain.Judgement) string {
	var parts []string
	switch {
	case j.Actual != nil:
		parts = append(parts, w.t("ct.value", j.Year, i18n.Number(w.Lang, j.Actual.Value)))
	case j.Latest != nil:
		parts = append(parts, w.t("ct.no_value_latest", j.Year, j.Latest.Year, i18n.Number(w.Lang, j.Latest.Value)))
	default:
		parts = append(parts, w.t("ct.no_value", j.Year))
	}
	if e := expectText(w, t, j.Expected); e != "" && j.Expected.Basis != domain.BasisFinal {
		parts = append(parts, e)
	}
	parts = append(parts, w.t("ct.final", t.Final.Year, escape(finalText(w.Lang, t))))
	if j.Trend != domain.TrendNone {
		parts = append(parts, trendIcon(j.Trend)+" "+word(w, "target.trend.", string(j.Trend)))
	}
	return strings.Join(parts, " · ")
}

// word is the catalogue's word for a value of a kind ("target.light." +
// "on_track").
func word(w who, kind, v string) string { return w.t(kind + v) }

func trendIcon(tr domain.Trend) string {
	switch tr {
	case domain.TrendImproving:
		return "↗"
	case domain.TrendWorsening:
		return "↘"
	}
	return "→"
}

// expectText says what the year is held to: the plan's milestone as
// written, or the path between its numbers.
func expectText(w who, t domain.Target, e domain.Expectation) string {
	switch e.Basis {
	case domain.BasisMilestone:
		return w.t("ct.expect_milestone", e.Year, escape(scheduler.MilestoneText(t, e.Year, w.Lang)))
	case domain.BasisInterpolated, domain.BasisReported:
		return w.t("ct.expect_path", e.Year, i18n.Number(w.Lang, e.Value))
	case domain.BasisNext:
		return w.t("ct.expect_next", i18n.Number(w.Lang, e.Value))
	}
	return ""
}

// show answers /target <name or number>.
func (f *targets) show(ctx context.Context, w who, q string) error {
	if strings.TrimSpace(q) == "" {
		return f.list(ctx, w, false)
	}
	recs, err := f.store.TargetRecords(ctx)
	if err != nil {
		return fmt.Errorf("find a target: %w", err)
	}
	list := make([]domain.Target, len(recs))
	for i, r := range recs {
		list[i] = r.Target
	}
	found := domain.FindTargets(list, q)
	switch len(found) {
	case 0:
		w.reply(w.t("ct.not_found", escape(i18n.Shorten(q, 60))))
		return nil
	case 1:
		return f.card(ctx, w, found[0].ID, 0)
	}
	var rows [][]domain.Button
	for _, t := range found {
		rows = append(rows, []domain.Button{button(t.Number+". "+i18n.Shorten(t.Name, 40), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "o"})})
	}
	w.replyKB(w.t("ct.several", len(found), escape(i18n.Shorten(q, 60))), rows)
	return nil
}

// card sends (msgID 0) or shows in place a target's card: what the plan
// says, how it stands this year, its history, and, for the officers who
// report it, the buttons to report and correct.
func (f *targets) card(ctx context.Context, w who, id string, msgID int) error {
	t, err := f.store.Target(ctx, id)
	if isNotFound(err) || err == nil && t.Withdrawn {
		w.answer(w.t("err.stale_button"), true)
		if w.press == nil {
			w.reply(w.t("ct.not_found", escape(id)))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("open target %s: %w", id, err)
	}
	history, err := f.store.TargetHistory(ctx, t.ID, 0)
	if err != nil {
		return fmt.Errorf("history of %s: %w", t.ID, err)
	}
	w.answer("", false)
	text := f.cardText(ctx, w, t, history)
	var rows [][]domain.Button
	if w.Officer != nil && domain.MayReportTarget(t, *w.Officer) {
		row := []domain.Button{button("✍️ "+w.t("ct.btn_report"), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "r"})}
		var last *domain.TargetValue
		if len(history) > 0 {
			last = &history[0]
		}
		if domain.WhyNotCorrectableValue(last, w.ID) == domain.CanCorrect {
			row = append(row, button("↩️ "+w.t("ct.btn_correct"), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "c"}))
		}
		rows = append(rows, row)
	}
	if msgID > 0 {
		w.edit(msgID, text, rows)
	} else {
		w.replyKB(text, rows)
	}
	return nil
}

// cardText is a target's card (history newest first).
func (f *targets) cardText(ctx context.Context, w who, t domain.Target, history []domain.TargetValue) string {
	j := domain.JudgeTarget(t, history, f.today())
	var sb strings.Builder
	sb.WriteString(w.t("ct.card_title", escape(t.Number), escape(t.ID), escape(t.Name)))
	if t.Unit != "" {
		sb.WriteString("\n" + w.t("ct.card_unit", escape(t.Unit)))
	}
	sb.WriteString("\n" + w.t("ct.card_goal", word(w, "target.direction.", string(t.Direction)), t.Final.Year, escape(finalText(w.Lang, t))))
	if b := t.Baseline; b != nil {
		v := b.Text
		if v == "" {
			v = i18n.Number(w.Lang, b.Value)
		}
		if b.Year != 0 {
			sb.WriteString("\n" + w.t("ct.card_baseline_year", escape(v), b.Year))
		} else {
			sb.WriteString("\n" + w.t("ct.card_baseline", escape(v)))
		}
	}
	if len(t.Milestones) > 0 {
		var ms []string
		for _, m := range t.Milestones {
			v := m.Text
			if v == "" {
				v = i18n.Number(w.Lang, m.Value)
			}
			ms = append(ms, fmt.Sprintf("%d: %s", m.Year, escape(v)))
		}
		sb.WriteString("\n" + w.t("ct.card_milestones", strings.Join(ms, "; ")))
	}
	agency := t.AgencyText
	if ag, err := f.catalog.store.Agency(ctx, t.Agency); err == nil {
		agency = ag.Name
	}
	if agency != "" {
		sb.WriteString("\n" + w.t("ct.card_agency", escape(agency)))
	}
	sb.WriteString("\n\n" + targetIcon(j.Light) + " <b>" + word(w, "target.light.", string(j.Light)) + "</b>")
	sb.WriteString("\n" + f.standing(w, t, j))
	sb.WriteString("\n\n<b>" + w.t("ct.card_history") + "</b>")
	if len(history) == 0 {
		sb.WriteString("\n" + w.t("ct.card_no_history"))
	}
	for i, v := range history {
		if i == historyShown {
			sb.WriteString("\n" + w.t("ct.card_more", len(history)-historyShown))
			break
		}
		sb.WriteString("\n" + f.entryText(w, v))
	}
	return sb.String()
}

// entryText is one entry of a target's history.
func (f *targets) entryText(w who, v domain.TargetValue) string {
	at := i18n.Time(v.At, f.cfg.Location)
	if v.Kind == domain.CorrectionValue {
		return w.t("ct.entry_correction", at, escape(v.OfficerName), v.Year)
	}
	year := strconv.Itoa(v.Year)
	if v.Period != "" {
		year += " (" + escape(v.Period) + ")"
	}
	date := ""
	if !v.Date.IsZero() {
		date = i18n.Date(v.Date)
	}
	s := w.t("ct.entry", at, year, i18n.Number(w.Lang, v.Value), escape(v.DataSource), date, escape(v.OfficerName))
	if v.Corrected {
		s = "<s>" + s + "</s>"
	}
	return s
}

// pressed handles a target's buttons.
func (f *targets) pressed(ctx context.Context, w who, cb domain.Callback) error {
	switch {
	case cb.Arg == "m":
		if w.Agency() == "" {
			w.answer(w.t("tasks.not_officer"), true)
			return nil
		}
		w.answer("", false)
		return f.list(ctx, w, true)
	case cb.Arg == "g":
		w.answer("", false)
		return f.reports.targetsChart(ctx, w)
	case cb.Arg == "o":
		return f.card(ctx, w, cb.Ref, 0)
	}
	t, err := f.store.Target(ctx, cb.Ref)
	if isNotFound(err) || err == nil && t.Withdrawn {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	if err != nil {
		return fmt.Errorf("target %s: %w", cb.Ref, err)
	}
	if w.Officer == nil || !domain.MayReportTarget(t, *w.Officer) {
		w.answer(w.t("ct.not_yours"), true)
		return nil
	}
	switch {
	case cb.Arg == "r":
		return f.chooseYear(ctx, w, t)
	case strings.HasPrefix(cb.Arg, "y"):
		y, err := strconv.Atoi(cb.Arg[1:])
		if err != nil || y < 2000 || y > min(f.today().Year, t.Final.Year) {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		w.answer("", false)
		return f.askValue(ctx, w, t, y)
	case cb.Arg == "d":
		se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
		if err != nil {
			return fmt.Errorf("load session: %w", err)
		}
		if !ok || se.Awaiting != "target_date" || se.Target == nil || se.Target.ID != t.ID {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		w.answer("", false)
		w.strip(w.pressed())
		return f.record(ctx, w, se, f.today())
	case cb.Arg == "c":
		return f.askCorrect(ctx, w, t)
	case cb.Arg == "k":
		w.answer(w.t("correct.kept"), false)
		w.edit(w.pressed(), w.t("correct.kept"), nil)
		return nil
	case strings.HasPrefix(cb.Arg, "u"):
		v, err := strconv.Atoi(cb.Arg[1:])
		if err != nil {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		return f.correct(ctx, w, t, v)
	}
	w.answer(w.t("err.stale_button"), true)
	return nil
}

// chooseYear asks which year the value is of: this year and the year
// before, as far as the target is tracked.
func (f *targets) chooseYear(_ context.Context, w who, t domain.Target) error {
	last := min(f.today().Year, t.Final.Year)
	first := max(t.From, last-1)
	if t.From == 0 {
		first = last - 1
	}
	if last < first || last < 2000 {
		w.answer(w.t("ct.not_yet", t.From), true)
		return nil
	}
	w.answer("", false)
	var row []domain.Button
	for y := last; y >= first; y-- {
		row = append(row, button(strconv.Itoa(y), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "y" + strconv.Itoa(y)}))
	}
	w.replyKB(w.t("ct.ask_year", escape(t.Number), escape(i18n.Shorten(t.Name, 80))), [][]domain.Button{row})
	return nil
}

// askValue asks for the value of year y.
func (f *targets) askValue(ctx context.Context, w who, t domain.Target, y int) error {
	m := w.ask(w.t("ct.ask_value", y, escape(t.Number), escape(i18n.Shorten(t.Name, 80)), escape(t.Unit)), w.t("ct.value_placeholder"))
	return f.save(ctx, w, store.Session{UserID: w.ID, Awaiting: "target_value", PromptID: m, Target: &store.TargetDraft{ID: t.ID, Year: y}})
}

func (f *targets) save(ctx context.Context, w who, se store.Session) error {
	se.UserID = w.ID
	if err := f.sessions.SaveSession(ctx, se); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// answers tells whether a session waits for a step of a target's value.
func answersTarget(se store.Session) bool {
	return se.Target != nil && strings.HasPrefix(se.Awaiting, "target_")
}

// answer takes a typed step of a target's value: the value (with the part
// of the year in brackets, if any), then its source, then its date.
func (f *targets) answer(ctx context.Context, w who, se store.Session, text string) error {
	if se.Answered == w.Source {
		return nil // this very message moved the question on before a crash: its replay
	}
	t, err := f.store.Target(ctx, se.Target.ID)
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("target %s: %w", se.Target.ID, err) // the question stays open
	}
	if err != nil || t.Withdrawn || w.Officer == nil || !domain.MayReportTarget(t, *w.Officer) {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		w.reply(w.t("err.stale_prompt"))
		return nil
	}
	d := *se.Target
	text = strings.TrimSpace(text)
	switch se.Awaiting {
	case "target_value":
		v, period, ok := parseTargetValue(text)
		if !ok {
			w.reply(w.t("ct.err_value"))
			return nil // keep waiting
		}
		d.Value, d.Text, d.Period = v, text, period
		m := w.ask(w.t("ct.ask_source", d.Year, i18n.Number(w.Lang, v)), w.t("ct.source_placeholder"))
		return f.save(ctx, w, store.Session{Awaiting: "target_source", PromptID: m, Target: &d, Answered: w.Source})
	case "target_source":
		if text == "" || len(text) > 300 {
			w.reply(w.t("ct.err_source"))
			return nil
		}
		d.Source = text
		kb := [][]domain.Button{{button("📅 "+w.t("ct.btn_today", i18n.Date(f.today())), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "d"})}}
		m := w.replyKB(w.t("ct.ask_date"), kb)
		return f.save(ctx, w, store.Session{Awaiting: "target_date", PromptID: m, Target: &d, Answered: w.Source})
	case "target_date":
		day, ok := parseDay(text)
		if !ok {
			w.reply(w.t("ct.err_date"))
			return nil
		}
		if day.After(f.today()) {
			w.reply(w.t("ct.err_date_future", i18n.Date(f.today())))
			return nil
		}
		return f.record(ctx, w, se, day)
	}
	return nil
}

// record stores the value the session holds, dated day, then closes the
// question and shows the card. The update that finishes it is the change's
// source: its replay records nothing twice.
func (f *targets) record(ctx context.Context, w who, se store.Session, day deadline.Date) error {
	d := *se.Target
	_, e, err := f.store.ApplyTarget(ctx, d.ID, store.TargetChange{SourceID: w.Source, OfficerID: w.ID, OfficerName: w.name(),
		AgencyKey: w.Agency(), Kind: domain.ReportValue, Year: d.Year, Period: d.Period, Value: d.Value, Text: d.Text,
		DataSource: d.Source, Date: day})
	switch {
	case errors.Is(err, domain.ErrNoChange):
		w.reply(w.t("ct.same", d.Year))
	case errors.Is(err, domain.ErrInvalidChange), errors.Is(err, store.ErrTargetWithdrawn):
		w.reply(w.t("ct.refused"))
	case errors.Is(err, store.ErrDuplicate):
		// recorded before a crash: close the question as below
	case err != nil:
		return fmt.Errorf("report a value of %s: %w", d.ID, err)
	default:
		w.reply(w.t("ct.recorded", d.Year, i18n.Number(w.Lang, e.Value), escape(e.DataSource)))
	}
	if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, Answered: w.Source}); err != nil {
		f.log.Error("close the question", "user", w.ID, "err", err)
	}
	return f.card(ctx, w, d.ID, 0)
}

// askCorrect shows what correcting the officer's latest value would
// withdraw and asks to confirm.
func (f *targets) askCorrect(ctx context.Context, w who, t domain.Target) error {
	last, err := f.last(ctx, t)
	if err != nil {
		return err
	}
	switch domain.WhyNotCorrectableValue(last, w.ID) {
	case domain.NothingReported:
		w.answer(w.t("ct.correct_none"), true)
		return nil
	case domain.NotTheirs:
		w.answer(w.t("ct.correct_not_theirs", i18n.Shorten(last.OfficerName, 30)), true)
		return nil
	case domain.AlreadyCorrected:
		w.answer(w.t("ct.correct_already"), true)
		return nil
	}
	w.answer("", false)
	kb := [][]domain.Button{{
		button("↩️ "+w.t("correct.yes"), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "u" + strconv.Itoa(last.Version)}),
		button("✖️ "+w.t("correct.no"), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "k"})}}
	w.replyKB(w.t("ct.correct_confirm", escape(t.Number), f.entryText(w, *last)), kb)
	return nil
}

func (f *targets) last(ctx context.Context, t domain.Target) (*domain.TargetValue, error) {
	h, err := f.store.TargetHistory(ctx, t.ID, 1)
	if err != nil {
		return nil, fmt.Errorf("latest value of %s: %w", t.ID, err)
	}
	if len(h) == 0 {
		return nil, nil
	}
	return &h[0], nil
}

// correct withdraws the latest value (of version v, as confirmed), once,
// and offers to report the right one.
func (f *targets) correct(ctx context.Context, w who, t domain.Target, v int) error {
	msgID := w.pressed()
	if ok, err := f.once.first(ctx, w); !ok {
		return err
	}
	last, err := f.last(ctx, t)
	if err != nil {
		return err
	}
	if last == nil || last.Version != v || domain.WhyNotCorrectableValue(last, w.ID) != domain.CanCorrect {
		w.answer(w.t("ct.correct_moved_on"), true)
		w.strip(msgID)
		return nil
	}
	withdrawn := *last
	_, _, err = f.store.ApplyTarget(ctx, t.ID, store.TargetChange{SourceID: w.Source, OfficerID: w.ID, OfficerName: w.name(),
		AgencyKey: w.Agency(), Kind: domain.CorrectionValue})
	if err != nil && !errors.Is(err, store.ErrDuplicate) {
		if errors.Is(err, domain.ErrNothingToCorrect) {
			w.answer(w.t("ct.correct_moved_on"), true)
			return nil
		}
		return fmt.Errorf("correct a value of %s: %w", t.ID, err)
	}
	w.answer(w.t("ct.corrected_short"), false)
	kb := [][]domain.Button{{button("✍️ "+w.t("ct.btn_report"), domain.Callback{Verb: domain.VerbTarget, Ref: t.ID, Arg: "r"})}}
	w.edit(msgID, w.t("ct.corrected", withdrawn.Year, i18n.Number(w.Lang, withdrawn.Value))+"\n\n"+w.t("ct.enter_again"), kb)
	return nil
}

// parseTargetValue reads a typed value: a number with a decimal comma or
// point ("9,6", "0.72", "35 %"), and after it, in brackets, the part of the
// year it is of ("48 (6 tháng đầu năm)").
func parseTargetValue(s string) (float64, string, bool) {
	period := ""
	if i := strings.Index(s, "("); i >= 0 && strings.HasSuffix(s, ")") {
		period = strings.TrimSpace(s[i+1 : len(s)-1])
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 40 {
		return 0, "", false
	}
	fig, err := domain.ParseFigure(s)
	if err != nil || fig.Direction != "" {
		return 0, "", false
	}
	return fig.Value, period, true
}

// parseDay reads a date typed as 20/12/2026, 20-12-2026 or 2026-12-20.
func parseDay(s string) (deadline.Date, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2/1/2006", "2-1-2006", "2.1.2006", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return deadline.DateOf(t), true
		}
	}
	return deadline.Date{}, false
}
