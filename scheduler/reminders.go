package scheduler

// A reminder run (RunReminders): which assignments are due a reminder on a
// day, to whom each goes (a substitute for a paused officer), and the
// messages queued in the outbox for them.

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// Item kinds: what a reminder line is about.
const (
	KindPreDeadline  = "pre_deadline" // 14, 7, 3, 1, 0 days before the due date
	KindCoordination = "coordination" // a coordinating agency is asked for its input
	KindOverdue      = "overdue"      // the day after the due date, then weekly
	KindPeriodic     = "periodic"     // the periodic report of an ongoing, annual or multi-year task
	KindEscalation   = "escalation"   // overdue long enough to go to the leadership (information)
	KindDigest       = "digest"       // the leadership digest (previews only)
	KindNoOfficer    = "no_officer"   // agencies nobody can be told about (previews only)
)

// recipient is an officer a run tells, perhaps in place of paused colleagues.
type recipient struct {
	id       int64
	lang     string
	agency   string
	onBehalf []string // names of the paused officers this one stands in for
}

// plannedMsg is what a run has for one person.
type plannedMsg struct {
	to    recipient
	items []store.OutboxItem
}

// plan is what a reminder run at one instant would send.
type plan struct {
	day        deadline.Date
	msgs       []*plannedMsg               // by chat id
	orphans    []store.OutboxItem          // items of agencies with nobody to tell
	plans      []domain.Plan               // open plans
	taskList   []domain.Task               // tasks of every plan
	agencyList []domain.Agency             // every agency
	agencies   map[string]domain.Agency    // by key
	order      map[string][2]int           // task code -> (plan seq, task seq)
	tasks      map[string]domain.Task      // by code
	assigns    []domain.Assignment         // open assignments of open plans
	people     map[string][]domain.Officer // agency -> active officers
	byID       map[int64]domain.Officer    // active officers
	leaders    []domain.Officer            // active leaders
}

// load reads what planning needs.
func (s *Scheduler) load(ctx context.Context, day deadline.Date) (*plan, error) {
	p := &plan{day: day, agencies: map[string]domain.Agency{}, order: map[string][2]int{},
		tasks: map[string]domain.Task{}, people: map[string][]domain.Officer{}, byID: map[int64]domain.Officer{}}
	plans, err := s.st.OpenPlans(ctx)
	if err != nil {
		return nil, fmt.Errorf("load plans: %w", err)
	}
	open := map[string]int{}
	for _, pl := range plans {
		open[pl.Key] = pl.Seq
	}
	p.plans = plans
	tasks, err := s.st.Tasks(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("load tasks: %w", err)
	}
	p.taskList = tasks
	for _, t := range tasks {
		p.tasks[t.Code] = t
		p.order[t.Code] = [2]int{open[t.PlanKey], t.Seq}
	}
	all, err := s.st.AllAssignments(ctx)
	if err != nil {
		return nil, fmt.Errorf("load assignments: %w", err)
	}
	for _, a := range all {
		if _, ok := open[a.PlanKey]; !ok || a.Withdrawn {
			continue
		}
		if _, ok := p.tasks[a.TaskCode]; !ok {
			continue
		}
		p.assigns = append(p.assigns, a)
	}
	slices.SortFunc(p.assigns, func(a, b domain.Assignment) int {
		return cmp.Or(cmpOrder(p.order[a.TaskCode], p.order[b.TaskCode]), cmp.Compare(a.AgencyKey, b.AgencyKey))
	})
	ags, err := s.st.Agencies(ctx)
	if err != nil {
		return nil, fmt.Errorf("load agencies: %w", err)
	}
	p.agencyList = ags
	for _, a := range ags {
		p.agencies[a.Key] = a
	}
	officers, err := s.st.Officers(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("load officers: %w", err)
	}
	// The active leaders are among the active officers: one read of the
	// collection, not two (the embedded store decodes every document of a
	// read that is not by _id).
	for _, o := range officers {
		p.byID[o.TelegramID] = o
		switch o.Role {
		case domain.RoleOfficer:
			p.people[o.AgencyKey] = append(p.people[o.AgencyKey], o)
		case domain.RoleLeader:
			p.leaders = append(p.leaders, o)
		}
	}
	return p, nil
}

func cmpOrder(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

// buildPlan works out what the reminder run at instant at sends: for every
// open assignment the items whose trigger date falls in the run's window,
// addressed to the agency's reachable officers (or their substitutes).
func (s *Scheduler) buildPlan(ctx context.Context, at time.Time) (*plan, error) {
	now := at.In(s.loc)
	day := deadline.DateOf(now)
	p, err := s.load(ctx, day)
	if err != nil {
		return nil, err
	}
	from, to, ok := s.cal.window(day)
	if !ok {
		return p, nil // not a working day: nothing goes out
	}
	byChat := map[int64]*plannedMsg{}
	resolved := map[string][]recipient{}
	for _, a := range p.assigns {
		if a.Status == domain.Done {
			continue
		}
		t := p.tasks[a.TaskCode]
		items := s.triggers(a, t, day, from, to)
		if len(items) == 0 {
			continue
		}
		rs, ok := resolved[a.AgencyKey]
		if !ok {
			rs = recipientsOf(p, a.AgencyKey, now)
			resolved[a.AgencyKey] = rs
		}
		if len(rs) == 0 {
			for _, it := range items {
				it.ID = itemID(it, "-") // nobody: marked too, so the admins hear of it once
				p.orphans = append(p.orphans, it)
			}
			continue
		}
		for _, r := range rs {
			m := byChat[r.id]
			if m == nil {
				m = &plannedMsg{to: r}
				byChat[r.id] = m
			}
			for _, it := range items {
				it.ID = itemID(it, strconv.FormatInt(r.id, 10))
				m.items = append(m.items, it)
			}
		}
	}
	if err := s.planTargets(ctx, p, from, to, now, byChat); err != nil {
		return nil, err
	}
	for _, m := range byChat {
		slices.SortStableFunc(m.items, func(a, b store.OutboxItem) int { return cmpItems(p, a, b) })
		p.msgs = append(p.msgs, m)
	}
	slices.SortFunc(p.msgs, func(a, b *plannedMsg) int { return cmp.Compare(a.to.id, b.to.id) })
	return p, nil
}

// itemID is the identity of an item for one recipient: kind, assignment,
// period, recipient. Marking it is what makes a reminder go out once.
func itemID(it store.OutboxItem, recipient string) string {
	return strings.Join([]string{it.Kind, it.Assignment, it.Period, recipient}, "|")
}

// cmpItems orders a message's items: most overdue first, then by days left,
// periodic reports last; ties in plan order.
func cmpItems(p *plan, a, b store.OutboxItem) int {
	rank := func(it store.OutboxItem) int {
		switch it.Kind {
		case KindPeriodic:
			return 1
		case KindTarget:
			return 2
		}
		return 0
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a.Days, b.Days),
		cmpOrder(p.order[a.Task], p.order[b.Task]), cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)))
}

var kindOrder = []string{KindOverdue, KindPreDeadline, KindCoordination, KindEscalation, KindPeriodic, KindTarget, KindDigest, KindNoOfficer}

func kindRank(k string) int { return slices.Index(kindOrder, k) }

// recipientsOf lists who hears about an agency's tasks at instant now: its
// active, reachable officers; for a paused one, their substitute (an active,
// reachable, unpaused officer of the same agency) or nobody.
func recipientsOf(p *plan, agencyKey string, now time.Time) []recipient {
	var out []recipient
	index := map[int64]int{}
	add := func(o domain.Officer, onBehalf string) {
		i, ok := index[o.TelegramID]
		if !ok {
			index[o.TelegramID] = len(out)
			out = append(out, recipient{id: o.TelegramID, lang: o.Lang, agency: agencyKey})
			i = len(out) - 1
		}
		if onBehalf != "" {
			out[i].onBehalf = append(out[i].onBehalf, onBehalf)
		}
	}
	usable := func(o domain.Officer) bool {
		return o.Active && !o.Unreachable && !o.PausedUntil.After(now)
	}
	for _, o := range p.people[agencyKey] {
		if o.Unreachable {
			continue
		}
		if !o.PausedUntil.After(now) {
			add(o, "")
			continue
		}
		sub, ok := p.byID[o.Substitute]
		if ok && o.Substitute != o.TelegramID && sub.Role == domain.RoleOfficer && sub.AgencyKey == agencyKey && usable(sub) {
			name := o.Name
			if name == "" {
				name = strconv.FormatInt(o.TelegramID, 10)
			}
			add(sub, name)
		}
	}
	// Someone who is both a recipient in their own right and a substitute
	// keeps the note: they hear of the same items once either way.
	return out
}

// triggers lists the items of one assignment whose trigger date falls in the
// window [from, to] of a run on day.
func (s *Scheduler) triggers(a domain.Assignment, t domain.Task, day, from, to deadline.Date) []store.OutboxItem {
	r := s.cfg.Reminders
	base := store.OutboxItem{
		Assignment: a.ID, Ref: a.Ref, Task: a.TaskCode, Title: t.Title, Agency: a.AgencyKey, Role: a.Role,
		Deadline: t.Deadline.Text, Due: a.Due,
	}
	if base.Ref == "" {
		base.Ref = domain.RefOf(a.ID)
	}
	var out []store.OutboxItem
	item := func(kind, period string, days int) {
		it := base
		it.Kind, it.Period, it.Days = kind, period, days
		out = append(out, it)
	}
	if due := a.Due; !due.IsZero() {
		days := deadline.DaysBetween(day, due)
		overdue := false
		// Overdue: the day after the due date, then every 7 days; of
		// several in one window (a long holiday) only the latest.
		week := -1
		for d := maxDate(from, due.AddDays(1)); !d.After(to); d = d.AddDays(1) {
			if off := deadline.DaysBetween(due, d); (off-1)%7 == 0 {
				week = (off - 1) / 7
			}
		}
		if week >= 0 {
			item(KindOverdue, fmt.Sprintf("%s/w%d", due, week), days)
			overdue = true
		}
		if e := due.AddDays(r.EscalateDays); between(e, from, to) {
			item(KindEscalation, fmt.Sprintf("%s/e%d", due, r.EscalateDays), days)
		}
		if !overdue {
			// Before the deadline: of several reminder days in one window,
			// the closest to the deadline.
			best := -1
			for _, n := range r.DaysBefore {
				if between(due.AddDays(-n), from, to) && (best < 0 || n < best) {
					best = n
				}
			}
			if best >= 0 {
				item(KindPreDeadline, fmt.Sprintf("%s/d%d", due, best), days)
			}
			if a.Role == domain.Coordinating && between(due.AddDays(-r.CoordinationDays), from, to) {
				item(KindCoordination, fmt.Sprintf("%s/c%d", due, r.CoordinationDays), days)
			}
		}
	}
	if period, ok := s.periodic(a, t, from, to); ok {
		item(KindPeriodic, period, 0)
	}
	return out
}

// periodic tells whether a periodic report falls due in [from, to] and is
// not yet made, and names its period.
func (s *Scheduler) periodic(a domain.Assignment, t domain.Task, from, to deadline.Date) (string, bool) {
	annual := a.Recurrence == deadline.Annual && (a.Due.IsZero() || a.Kind == deadline.Recurring)
	multiYear := a.Recurrence == deadline.Annual && !annual && a.Kind == deadline.Fixed && !t.Deadline.From.IsZero()
	for d := from; !d.After(to); d = d.AddDays(1) {
		var period string
		var start deadline.Date
		switch {
		case a.Recurrence == deadline.Ongoing:
			if d.Day != s.cfg.Reminders.ReportDay {
				continue
			}
			if s.cfg.ReportPeriod == string(domain.Quarterly) {
				if d.Month%3 != 0 {
					continue
				}
				period = fmt.Sprintf("q%d-%d", d.Year, (int(d.Month)-1)/3+1)
				start = deadline.Date{Year: d.Year, Month: d.Month - 2, Day: 1}
			} else {
				period = fmt.Sprintf("m%d-%02d", d.Year, int(d.Month))
				start = deadline.Date{Year: d.Year, Month: d.Month, Day: 1}
			}
		case a.Recurrence == deadline.Monthly || a.Recurrence == deadline.Quarterly || a.Recurrence == deadline.Semiannual:
			var ok bool
			if period, start, ok = s.recurringPeriod(a.Recurrence, d); !ok {
				continue
			}
		case annual || multiYear:
			if m, day := s.annualDayOf(t); d.Month != m || d.Day != day {
				continue
			}
			if multiYear && (d.Year < t.Deadline.From.Year || d.Year > a.Due.Year) {
				continue
			}
			period = fmt.Sprintf("y%d", d.Year)
			start = deadline.Date{Year: d.Year, Month: time.January, Day: 1}
		default:
			return "", false
		}
		if !a.ReportedAt.IsZero() && !deadline.DateOf(a.ReportedAt.In(s.loc)).Before(start) {
			return "", false // reported in this period already
		}
		return period, true
	}
	return "", false
}

func maxDate(a, b deadline.Date) deadline.Date {
	if a.After(b) {
		return a
	}
	return b
}

// markFresh marks items as planned by this slot's message key and returns
// those this run is to send: the newly marked ones and, when taking over
// from a planner of the same slot that died (attempt > 1), its marks too
// (the message insert is idempotent).
func (s *Scheduler) markFresh(ctx context.Context, items []store.OutboxItem, slot, key string, attempt int) ([]store.OutboxItem, error) {
	var fresh []store.OutboxItem
	for _, it := range items {
		ok, prev, err := s.st.MarkItem(ctx, it.ID, slot, key)
		if err != nil {
			return fresh, err
		}
		if ok || (attempt > 1 && prev.Run == slot) {
			fresh = append(fresh, it)
		}
	}
	return fresh, nil
}

// BatchLog marks a run's items and queues its messages in a few commands:
// a run to 1,000 officers otherwise makes one command per item and two per
// message, seconds of planning before the first send. A run taken over from
// a planner that died is still written one item and one message at a time
// (queueEach), so that what the dead one wrote is recognised item by item.
type BatchLog interface {
	MarkItems(ctx context.Context, marks []store.ItemMark) ([]bool, error)
	EnqueueNew(ctx context.Context, msgs []store.OutboxMessage) ([]bool, error)
}

// RunReminders plans the reminder run of instant at (normally a slot of
// REMINDER_CRON): it marks every item due, queues one message per person
// and one notice per admin listing the agencies nobody could be told about,
// waking the dispatcher as messages are queued. A slot planned before plans
// nothing; an item planned before (by any run or instance) is not planned
// again. It returns the number of messages queued.
func (s *Scheduler) RunReminders(ctx context.Context, at time.Time) (int, error) {
	slotTime := s.slotKey(at)
	slot := "reminders@" + slotTime
	claim, err := s.st.StartRun(ctx, slot, s.instance, planLease)
	if err != nil {
		return 0, err
	}
	if !claim.Started {
		s.log.Debug("reminder run already planned or in progress", "slot", slot, "done", claim.Done)
		return 0, nil
	}
	p, err := s.buildPlan(ctx, at)
	if err != nil {
		return 0, fmt.Errorf("plan %s: %w", slot, err)
	}
	var queued, items int
	var orphans []store.OutboxItem
	if claim.Attempt == 1 {
		queued, items, orphans, err = s.queueAtOnce(ctx, s.st, p, slot, slotTime)
	} else {
		queued, items, orphans, err = s.queueEach(ctx, p, slot, slotTime, claim.Attempt)
	}
	if err != nil {
		return queued, err
	}
	if len(orphans) > 0 {
		n, err := s.noticeNoOfficer(ctx, p, orphans, slotTime, slot)
		if err != nil {
			return queued, err
		}
		queued += n
	}
	if err := s.st.FinishRun(ctx, slot, claim.Attempt, queued); err != nil {
		return queued, err
	}
	s.planned("reminders", queued)
	s.log.Info("reminder run planned", "slot", slot, "messages", queued, "items", items,
		"agencies_without_officer", len(agencyKeys(orphans)))
	s.Wake()
	return queued, nil
}

// reminderKey is the outbox key of a run's message to one chat.
func reminderKey(slotTime string, chat int64) string {
	return "rem|" + slotTime + "|" + strconv.FormatInt(chat, 10)
}

// reminderMessage is the outbox message of m's items still to say.
func reminderMessage(p *plan, m *plannedMsg, key, slot string, items []store.OutboxItem) store.OutboxMessage {
	return store.OutboxMessage{
		Key: key, Kind: store.MessageReminder, ChatID: m.to.id, Lang: m.to.lang, Run: slot, Day: p.day,
		AgencyName: p.agencies[m.to.agency].Name, OnBehalfOf: strings.Join(m.to.onBehalf, ", "), Items: items,
	}
}

// A run is queued in chunks: the first small, and the dispatcher woken
// after it, so that sending starts while the rest is planned; the rest in
// chunks that hold the embedded store's one connection (which the
// dispatcher shares) briefly, the dispatcher woken again at the end of the
// run — not after each, since each wake costs it a pass over the whole
// outbox (a scan on the embedded store).
const (
	firstChunk = 25
	chunkSize  = 100
)

// queueAtOnce marks the items of a chunk of the run's messages in one call
// and queues the messages of those newly marked in another, chunk after
// chunk; then it marks the items of the agencies nobody can be told about.
// Only for a slot's first attempt: the run holds the slot alone and nothing
// of it exists yet, so no message of its keys can have been queued or
// sent, and an item marked before (by another slot) is simply not this
// run's. Killed between the two calls of a chunk, the next attempt finds
// the marks under this slot and queues their messages (queueEach), as it
// would after a kill between a message's marks and its queueing.
func (s *Scheduler) queueAtOnce(ctx context.Context, b BatchLog, p *plan, slot, slotTime string) (queued, items int, orphans []store.OutboxItem, err error) {
	for start, size := 0, firstChunk; start < len(p.msgs); start, size = start+size, chunkSize {
		chunk := p.msgs[start:min(start+size, len(p.msgs))]
		var marks []store.ItemMark
		for _, m := range chunk {
			key := reminderKey(slotTime, m.to.id)
			for _, it := range m.items {
				marks = append(marks, store.ItemMark{ID: it.ID, Run: slot, Msg: key})
			}
		}
		fresh, err := b.MarkItems(ctx, marks)
		if err != nil {
			return queued, items, nil, err
		}
		var msgs []store.OutboxMessage
		k := 0
		for _, m := range chunk {
			var todo []store.OutboxItem
			for _, it := range m.items {
				if fresh[k] {
					todo = append(todo, it)
				}
				k++
			}
			if len(todo) > 0 {
				msgs = append(msgs, reminderMessage(p, m, reminderKey(slotTime, m.to.id), slot, todo))
			}
		}
		ok, err := b.EnqueueNew(ctx, msgs)
		if err != nil {
			return queued, items, nil, err
		}
		for i, m := range msgs {
			if ok[i] {
				queued++
				items += len(m.Items)
			}
		}
		if start == 0 {
			s.Wake()
		}
	}
	marks := make([]store.ItemMark, len(p.orphans))
	for i, it := range p.orphans {
		marks[i] = store.ItemMark{ID: it.ID, Run: slot}
	}
	fresh, err := b.MarkItems(ctx, marks)
	if err != nil {
		return queued, items, nil, err
	}
	for i, it := range p.orphans {
		if fresh[i] {
			orphans = append(orphans, it)
		}
	}
	return queued, items, orphans, nil
}

// queueEach marks the run's items and queues its messages one at a time:
// a slot taken over from a planner that died (attempt > 1) queues again
// what that one marked under the slot, each message at most once.
func (s *Scheduler) queueEach(ctx context.Context, p *plan, slot, slotTime string, attempt int) (queued, items int, orphans []store.OutboxItem, err error) {
	for _, m := range p.msgs {
		key := reminderKey(slotTime, m.to.id)
		fresh, err := s.markFresh(ctx, m.items, slot, key, attempt)
		if err != nil {
			return queued, items, nil, err
		}
		if len(fresh) == 0 {
			continue
		}
		ok, err := s.st.Enqueue(ctx, reminderMessage(p, m, key, slot, fresh))
		if err != nil {
			return queued, items, nil, err
		}
		if ok {
			queued++
			items += len(fresh)
		}
	}
	orphans, err = s.markFresh(ctx, p.orphans, slot, "", attempt)
	return queued, items, orphans, err
}

// noticeNoOfficer queues, for each admin, the list of agencies that had
// something due in this run and nobody to tell.
func (s *Scheduler) noticeNoOfficer(ctx context.Context, p *plan, orphans []store.OutboxItem, slotTime, run string) (int, error) {
	n := 0
	for _, admin := range s.cfg.AdminIDs {
		lang := s.langOf(ctx, admin)
		out := domain.Outgoing{ChatID: admin, Text: renderNoOfficer(lang, p, orphans), Silent: true}
		ok, err := s.st.Enqueue(ctx, store.OutboxMessage{
			Key: "noofficer|" + slotTime + "|" + strconv.FormatInt(admin, 10), Kind: store.MessageNotice,
			ChatID: admin, Lang: string(lang), Run: run, Day: p.day, Out: &out,
		})
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// langOf is the catalogue for a person: their officer record's language,
// else Vietnamese.
func (s *Scheduler) langOf(ctx context.Context, id int64) i18n.Lang {
	if o, err := s.st.Officer(ctx, id); err == nil {
		return i18n.For(o.Lang)
	}
	return i18n.VI
}

// agencyKeys lists the distinct agencies of items, in order of appearance.
func agencyKeys(items []store.OutboxItem) []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		if !seen[it.Agency] {
			seen[it.Agency] = true
			out = append(out, it.Agency)
		}
	}
	return out
}
