package scheduler

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// The yearly request for the targets' values (chỉ tiêu): the officers of
// the agency responsible for a target are asked for its value of the year
// before TARGET_REPORT_DATE, on the REMINDER_DAYS before it, until the
// value is reported. PlanTargetRequests is the planning, a pure function of
// its input; RenderTargetRequest the message. The reminder run calls them
// (the outbox item kind KindTarget, one item per target and reminder day),
// so the requests go through the outbox with the other reminders.

// KindTarget is the kind of a reminder item asking for a target's value.
const KindTarget = "target"

// TargetPlanInput is what the planning reads.
type TargetPlanInput struct {
	Targets   []domain.Target
	Histories map[string][]domain.TargetValue // by target id, any order
	Officers  []domain.Officer                // the linked officers (inactive, unreachable and leaders are left out)
	Agencies  map[string]string               // agency key → name
	// From and To are the run's window (calendar.window): a reminder day
	// that falls on a day off is asked on the next working day.
	From, To deadline.Date
	Now      time.Time // pausing is judged at this instant
	// Month and Day are TARGET_REPORT_DATE; DaysBefore are REMINDER_DAYS.
	Month      time.Month
	Day        int
	DaysBefore []int
}

// TargetAsk is one target asked about.
type TargetAsk struct {
	Target   domain.Target
	Year     int                // the year whose value is asked for
	Expected domain.Expectation // what that year is held to
}

// TargetRequest is one officer's request of a run: their agency's targets
// whose value of Year is not reported yet.
type TargetRequest struct {
	OfficerID  int64
	Lang       string
	Agency     string // key
	AgencyName string
	OnBehalf   []string // paused colleagues this officer is asked in place of
	Year       int
	Due        deadline.Date // the report date
	DaysLeft   int           // the reminder day: REMINDER_DAYS's n
	Period     string        // "y2026/d7": with the target's id, what marks the item as asked once
	Targets    []TargetAsk
}

// TargetUnreached is an agency with targets to ask about and nobody to
// tell (the admins are told).
type TargetUnreached struct {
	Agency, AgencyName string
	Year               int
	Targets            []TargetAsk
}

// PlanTargetRequests says who is asked for which targets' values in a run
// whose window is [From, To]: for the report date of a year in the window's
// reach, the reminder day (of DaysBefore, the closest to the date when
// several fall in the window) in the window; for each target tracked that
// year (from its From to its final year) without a whole-year value of that
// year, its agency's reachable officers, a paused one's substitute in their
// place (recipientsOf). Requests are grouped per officer, targets in plan
// order; agencies with nobody to tell are returned apart.
func PlanTargetRequests(in TargetPlanInput) ([]TargetRequest, []TargetUnreached) {
	p := &plan{people: map[string][]domain.Officer{}, byID: map[int64]domain.Officer{}}
	for _, o := range in.Officers {
		if !o.Active {
			continue
		}
		p.byID[o.TelegramID] = o
		if o.Role == domain.RoleOfficer && o.AgencyKey != "" {
			p.people[o.AgencyKey] = append(p.people[o.AgencyKey], o)
		}
	}
	var reqs []TargetRequest
	var unreached []TargetUnreached
	years := []int{in.From.Year}
	if in.To.Year != in.From.Year {
		years = append(years, in.To.Year)
	}
	for _, y := range years {
		due := deadline.Date{Year: y, Month: in.Month, Day: in.Day}
		best := -1
		for _, n := range in.DaysBefore {
			if between(due.AddDays(-n), in.From, in.To) && (best < 0 || n < best) {
				best = n
			}
		}
		if best < 0 {
			continue
		}
		byAgency := map[string][]TargetAsk{}
		var order []string
		for _, t := range in.Targets {
			if t.Withdrawn || (t.From != 0 && y < t.From) || y > t.Final.Year || t.Agency == "" || reported(in.Histories[t.ID], y) {
				continue
			}
			cur := domain.CurrentValues(in.Histories[t.ID])
			var first *domain.TargetValue
			for i := range cur {
				if first == nil || cur[i].Year < first.Year {
					first = &cur[i]
				}
			}
			if _, ok := byAgency[t.Agency]; !ok {
				order = append(order, t.Agency)
			}
			byAgency[t.Agency] = append(byAgency[t.Agency], TargetAsk{Target: t, Year: y, Expected: t.Expect(y, first)})
		}
		byOfficer := map[int64]*TargetRequest{}
		for _, ag := range order {
			asks := byAgency[ag]
			to := recipientsOf(p, ag, in.Now)
			if len(to) == 0 {
				unreached = append(unreached, TargetUnreached{Agency: ag, AgencyName: nameOr(in.Agencies, ag), Year: y, Targets: asks})
				continue
			}
			for _, r := range to {
				req := byOfficer[r.id]
				if req == nil {
					req = &TargetRequest{OfficerID: r.id, Lang: r.lang, Agency: ag, AgencyName: nameOr(in.Agencies, ag), Year: y, Due: due,
						DaysLeft: best, Period: fmt.Sprintf("y%d/d%d", y, best)}
					byOfficer[r.id] = req
				}
				req.OnBehalf = append(req.OnBehalf, r.onBehalf...)
				req.Targets = append(req.Targets, asks...)
			}
		}
		for _, r := range byOfficer {
			reqs = append(reqs, *r)
		}
	}
	slices.SortFunc(reqs, func(a, b TargetRequest) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.OfficerID, b.OfficerID))
	})
	return reqs, unreached
}

// reported tells whether a history has a whole-year value of year y that
// stands.
func reported(history []domain.TargetValue, y int) bool {
	for _, v := range domain.CurrentValues(history) {
		if v.Year == y && v.Period == "" {
			return true
		}
	}
	return false
}

func nameOr(names map[string]string, key string) string {
	if n := names[key]; n != "" {
		return n
	}
	return key
}

// RenderTargetRequest is the request as a Telegram HTML message in the
// officer's language: the year and agency, the report date, and a line per
// target with this year's milestone (as the plan writes it) or path, and
// the target. Every text from a plan is escaped.
func RenderTargetRequest(r TargetRequest) string {
	l := i18n.For(r.Lang)
	var sb strings.Builder
	sb.WriteString(i18n.T(l, "targets.ask.header", r.Year, html.EscapeString(r.AgencyName)))
	if len(r.OnBehalf) > 0 {
		sb.WriteString("\n" + i18n.T(l, "targets.ask.on_behalf", html.EscapeString(strings.Join(r.OnBehalf, ", "))))
	}
	sb.WriteString("\n" + i18n.T(l, "targets.ask.intro", r.Year, i18n.Date(r.Due)))
	for _, a := range r.Targets {
		sb.WriteString("\n" + targetLine(l, a))
	}
	return sb.String()
}

// targetLine is the line of one target asked about, in l (HTML): its name
// and unit, the year's milestone (as the plan writes it) or path, and the
// target.
func targetLine(l i18n.Lang, a TargetAsk) string {
	t := a.Target
	name, unit := html.EscapeString(i18n.Shorten(t.Name, 90)), html.EscapeString(t.Unit)
	final := html.EscapeString(t.Final.Text)
	if final == "" {
		final = i18n.Number(l, t.Final.Value)
	}
	switch a.Expected.Basis {
	case domain.BasisMilestone:
		return i18n.T(l, "targets.ask.line", name, unit, a.Year, html.EscapeString(MilestoneText(t, a.Year, l)), t.Final.Year, final)
	case domain.BasisInterpolated, domain.BasisReported:
		return i18n.T(l, "targets.ask.line_path", name, unit, a.Year, i18n.Number(l, a.Expected.Value), t.Final.Year, final)
	}
	return i18n.T(l, "targets.ask.line_final", name, unit, t.Final.Year, final)
}

// TargetLog reads the targets with their histories (*store.Store:
// store/targets.go).
type TargetLog interface {
	TargetRecords(ctx context.Context) ([]store.TargetRecord, error)
}

// planTargets adds to a reminder run's messages the requests for the
// targets' values PlanTargetRequests finds due in the run's window
// [from, to]: one item per target (KindTarget) in the officer's message of
// the run, after their tasks, so they arrive grouped with the other
// reminders and, marked like them, once; the targets of an agency nobody
// can be asked join the run's orphans, which the admins hear of.
func (s *Scheduler) planTargets(ctx context.Context, p *plan, from, to deadline.Date, now time.Time, byChat map[int64]*plannedMsg) error {
	md, err := time.Parse("01-02", s.cfg.Reminders.TargetReport)
	if err != nil {
		return nil // config.Load refuses it; a zero config asks nothing
	}
	recs, err := s.st.TargetRecords(ctx)
	if err != nil {
		return fmt.Errorf("load targets: %w", err)
	}
	if len(recs) == 0 {
		return nil
	}
	in := TargetPlanInput{Histories: map[string][]domain.TargetValue{}, Agencies: map[string]string{}, From: from, To: to, Now: now,
		Month: md.Month(), Day: md.Day(), DaysBefore: s.cfg.Reminders.DaysBefore}
	for _, r := range recs {
		in.Targets = append(in.Targets, r.Target)
		in.Histories[r.Target.ID] = r.History
	}
	for _, o := range p.byID {
		in.Officers = append(in.Officers, o)
	}
	slices.SortFunc(in.Officers, func(a, b domain.Officer) int { return cmp.Compare(a.TelegramID, b.TelegramID) })
	for k, a := range p.agencies {
		in.Agencies[k] = a.Name
	}
	reqs, unreached := PlanTargetRequests(in)
	item := func(a TargetAsk, l i18n.Lang, agency, period string, due deadline.Date) store.OutboxItem {
		return store.OutboxItem{Kind: KindTarget, Assignment: a.Target.ID, Ref: a.Target.ID, Task: a.Target.ID,
			Title: a.Target.Number + ". " + a.Target.Name, Agency: agency, Due: due, Days: deadline.DaysBetween(p.day, due),
			Period: period, Line: targetLine(l, a)}
	}
	for _, r := range reqs {
		m := byChat[r.OfficerID]
		if m == nil {
			m = &plannedMsg{to: recipient{id: r.OfficerID, lang: r.Lang, agency: r.Agency, onBehalf: r.OnBehalf}}
			byChat[r.OfficerID] = m
		}
		l := i18n.For(m.to.lang)
		for _, a := range r.Targets {
			it := item(a, l, r.Agency, r.Period, r.Due)
			it.ID = itemID(it, strconv.FormatInt(r.OfficerID, 10))
			m.items = append(m.items, it)
		}
	}
	for _, u := range unreached {
		due := deadline.Date{Year: u.Year, Month: in.Month, Day: in.Day}
		for _, a := range u.Targets {
			it := item(a, i18n.VI, u.Agency, fmt.Sprintf("y%d", u.Year), due)
			it.ID = itemID(it, "-")
			p.orphans = append(p.orphans, it)
		}
	}
	return nil
}

// MilestoneText is the plan's number for year y as it writes it ("9,5
// người/1 vạn dân"), else the number in l; "" when the plan has none for y.
func MilestoneText(t domain.Target, y int, l i18n.Lang) string {
	for _, m := range t.Points() {
		if m.Year == y {
			if m.Text != "" {
				return m.Text
			}
			return i18n.Number(l, m.Value)
		}
	}
	return ""
}

// RenderTargetUnreached is the admins' notice of the agencies nobody could
// be asked for their targets' values, in l.
func RenderTargetUnreached(l i18n.Lang, list []TargetUnreached) string {
	if len(list) == 0 {
		return ""
	}
	var names []string
	for _, u := range list {
		names = append(names, html.EscapeString(u.AgencyName))
	}
	return i18n.T(l, "targets.ask.no_officer", list[0].Year, strings.Join(names, ", "))
}
