package scheduler

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"time"

	"agencybot/chart"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/store"
)

// digest is what the leadership digest says, rolled up by package report
// (the same numbers /summary shows).
type digest struct {
	day       deadline.Date
	soonDays  int
	escalate  int
	tasks     int
	status    map[domain.Status]int
	light     map[domain.Light]int
	groups    map[report.Group]int // the four groups
	extended  int                  // of them, extended (gia hạn); shown when extensions are recorded
	showExt   bool
	escalated []digestTask // overdue at least EscalateDays, most overdue first
	dueSoon   []digestTask // due within soonDays, soonest first
}

// digestTask is one line of the digest.
type digestTask struct {
	code, title, deadline string
	days                  int      // days overdue (escalated) or left (due soon)
	agencies              []string // agency keys concerned (not done)
}

// Rollups is the one assembly of the roll-up input (package summaries, or
// store.RollupInput): the digest, /summary, the chart and the exports all
// read it.
type Rollups interface {
	RollupInput(ctx context.Context, base report.Input, agencyKey string, allPlans bool) (report.Input, error)
}

// digestInput reads the open plans' roll-up input as of now.
func (s *Scheduler) digestInput(ctx context.Context, now time.Time) (report.Input, error) {
	base := report.Base(s.cfg, now)
	base.Loc = s.loc
	return s.rollups.RollupInput(ctx, base, "", false)
}

// computeDigest counts the open plans' tasks by status and light, lists the
// tasks overdue for EscalateDays or more (with the agencies not done) and
// those due within SoonDays (default 7), from the one roll-up (report.New).
func (s *Scheduler) computeDigest(p *plan, in report.Input) (digest, report.Summary) {
	soon := in.Policy.SoonDays
	sum := report.New(in, report.Filter{}).Summary()
	d := digest{day: p.day, soonDays: soon, escalate: s.cfg.Reminders.EscalateDays,
		tasks: sum.Tasks, status: sum.ByStatus, light: sum.ByLight, groups: sum.ByGroup, extended: sum.Extended, showExt: in.Extended != nil}
	notDone := func(tv report.TaskView) []string {
		var keys []string
		for _, av := range append(slices.Clip(tv.Lead), tv.Coordinating...) {
			if av.Assignment.Status != domain.Done {
				keys = append(keys, av.Assignment.AgencyKey)
			}
		}
		return keys
	}
	for _, tv := range report.Overdue(in, report.Filter{}) {
		if -tv.DaysLeft < d.escalate {
			continue
		}
		d.escalated = append(d.escalated, digestTask{code: tv.Task.Code, title: tv.Task.Title,
			deadline: tv.Task.Deadline.Text, days: -tv.DaysLeft, agencies: notDone(tv)})
	}
	for _, tv := range report.DueSoon(in, report.Filter{}, soon) {
		d.dueSoon = append(d.dueSoon, digestTask{code: tv.Task.Code, title: tv.Task.Title,
			deadline: tv.Task.Deadline.Text, days: tv.DaysLeft, agencies: notDone(tv)})
	}
	return d, sum
}

// renderDigest writes the digest in one message.
func renderDigest(l i18n.Lang, d digest, agencies map[string]domain.Agency) string {
	var sb strings.Builder
	sb.WriteString(i18n.T(l, "digest.title", i18n.Date(d.day)))
	sb.WriteString("\n" + i18n.T(l, "digest.tasks", d.tasks))
	sb.WriteString("\n" + i18n.T(l, "digest.status", d.status[domain.Done], d.status[domain.InProgress], d.status[domain.NotStarted], d.status[domain.Blocked]))
	sb.WriteString("\n" + i18n.T(l, "digest.lights", d.light[domain.Green], d.light[domain.Yellow], d.light[domain.Red]))
	if d.groups != nil { // the four groups, with the extended ones beside them (issue 20)
		sb.WriteString("\n" + i18n.T(l, "summary.groups", d.groups[report.DoneOnTime], d.groups[report.DoneLate], d.groups[report.OnTrack], d.groups[report.Late]))
		if d.showExt {
			sb.WriteString(" — " + i18n.T(l, "summary.extended", d.extended))
		}
	}
	names := func(keys []string) string {
		var ns []string
		for i, k := range keys {
			if i == 3 {
				return i18n.T(l, "digest.agencies_more", html.EscapeString(strings.Join(ns, ", ")), len(keys)-3)
			}
			n := k
			if a, ok := agencies[k]; ok {
				n = a.Name
			}
			ns = append(ns, n)
		}
		return html.EscapeString(strings.Join(ns, ", "))
	}
	section := func(head string, list []digestTask, line func(digestTask) string, budget int) {
		sb.WriteString("\n\n" + head)
		if len(list) == 0 {
			sb.WriteString("\n" + i18n.T(l, "digest.none"))
			return
		}
		used := 0
		for i, t := range list {
			s := "\n" + line(t)
			if i >= 15 || used+i18n.UTF16Len(s) > budget {
				sb.WriteString("\n" + i18n.T(l, "digest.more", len(list)-i))
				return
			}
			sb.WriteString(s)
			used += i18n.UTF16Len(s)
		}
	}
	budget := (textBudget - i18n.UTF16Len(sb.String()) - 200) / 2
	section(i18n.T(l, "digest.escalated", d.escalate, len(d.escalated)), d.escalated, func(t digestTask) string {
		return i18n.T(l, "digest.escalated_line", html.EscapeString(t.code), html.EscapeString(i18n.Shorten(t.title, 70)), t.days, names(t.agencies))
	}, budget)
	section(i18n.T(l, "digest.due_soon", d.soonDays, len(d.dueSoon)), d.dueSoon, func(t digestTask) string {
		return i18n.T(l, "digest.due_soon_line", html.EscapeString(t.code), html.EscapeString(i18n.Shorten(t.title, 70)),
			html.EscapeString(strings.Join(strings.Fields(t.deadline), " ")), daysText(l, t.days), names(t.agencies))
	}, budget)
	return sb.String()
}

// digestReaders are the leaders who get the digest: active, reachable, not
// paused.
func digestReaders(p *plan, now time.Time) []domain.Officer {
	var out []domain.Officer
	for _, o := range p.leaders {
		if o.Active && !o.Unreachable && !o.PausedUntil.After(now) {
			out = append(out, o)
		}
	}
	return out
}

// RunDigest plans the leadership digest of instant at (a slot of
// DIGEST_CRON): one message to every active leader, once per slot. It returns
// the number of messages queued.
func (s *Scheduler) RunDigest(ctx context.Context, at time.Time) (int, error) {
	slotTime := s.slotKey(at)
	slot := "digest@" + slotTime
	claim, err := s.st.StartRun(ctx, slot, s.instance, planLease)
	if err != nil {
		return 0, err
	}
	if !claim.Started {
		return 0, nil
	}
	now := at.In(s.loc)
	p, err := s.load(ctx, deadline.DateOf(now))
	if err != nil {
		return 0, fmt.Errorf("digest %s: %w", slot, err)
	}
	in, err := s.digestInput(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("digest %s: %w", slot, err)
	}
	d, sum := s.computeDigest(p, in)
	behind, targets, err := s.targetsOf(ctx, p.day)
	if err != nil {
		return 0, fmt.Errorf("digest %s: %w", slot, err)
	}
	charts := map[i18n.Lang]*domain.Attachment{} // the chart, drawn once per language
	n := 0
	for _, o := range digestReaders(p, now) {
		l := i18n.For(o.Lang)
		out := domain.Outgoing{ChatID: o.TelegramID, Text: renderDigest(l, d, p.agencies) + renderDigestTargets(l, behind, targets),
			Buttons: digestButtons(l, p.day)}
		if _, ok := charts[l]; !ok {
			charts[l] = digestChart(sum, l)
			if charts[l] == nil {
				s.log.Warn("digest chart not drawn; the digest goes without it", "slot", slot)
			}
		}
		out.File = charts[l]
		ok, err := s.st.Enqueue(ctx, store.OutboxMessage{
			Key: "digest|" + slotTime + "|" + strconv.FormatInt(o.TelegramID, 10), Kind: store.MessageDigest,
			ChatID: o.TelegramID, Lang: string(l), Run: slot, Day: p.day, Out: &out,
		})
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	if err := s.st.FinishRun(ctx, slot, claim.Attempt, n); err != nil {
		return n, err
	}
	s.planned("digest", n)
	s.log.Info("digest planned", "slot", slot, "messages", n, "escalated", len(d.escalated), "due_soon", len(d.dueSoon))
	s.Wake()
	return n, nil
}

// digestChart is /chart's image of the summary, attached to the digest
// (nil when it cannot be drawn: the digest still goes).
func digestChart(sum report.Summary, l i18n.Lang) *domain.Attachment {
	var b bytes.Buffer
	if err := chart.Render(&b, sum, chart.Options{Lang: string(l)}); err != nil {
		return nil
	}
	return &domain.Attachment{Kind: domain.AttachPhoto, Name: "tien-do.png", MIME: "image/png", Size: b.Len(), Data: b.Bytes()}
}
