package bot

// Extensions (gia hạn): the card of an agency's dated part offers "⏳ Xin
// gia hạn"; the officer types the new date (any phrase deadline.Parse
// reads) and the reason, each a question that survives a restart; the
// approver (the coordinators, or the leaders with EXTENSION_APPROVER=leaders)
// gets the request through the outbox with buttons to approve it, approve
// another date, or refuse it with a reason; the decision is taken once and
// the agency's officers are told either way. At most EXTENSION_MAX approved
// extensions per part. The plan's date is kept; the part gets the new one,
// which reminders and the counts then follow.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/store"
	"agencybot/telegram"
)

// extensionStore keeps the requests and decisions (*store.Store:
// store/extensions.go).
type extensionStore interface {
	RequestExtension(ctx context.Context, e store.Extension) (store.Extension, error)
	DecideExtension(ctx context.Context, assignmentID, key string, d store.Decision) (store.Extension, domain.Assignment, error)
	ExtendDirect(ctx context.Context, e store.Extension) (store.Extension, domain.Assignment, error)
	Extension(ctx context.Context, assignmentID, key string) (store.Extension, error)
	Extensions(ctx context.Context, assignmentID string) ([]store.Extension, error)
	TaskExtensions(ctx context.Context, code string) ([]store.Extension, error)
	PendingExtension(ctx context.Context, assignmentID string) (store.Extension, bool, error)
	ApprovedExtensions(ctx context.Context, assignmentID string) (int, error)
	TaskAssignments(ctx context.Context, code string) ([]domain.Assignment, error)
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
	AssignmentByRef(ctx context.Context, ref string) (domain.Assignment, error)
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
	Leaders(ctx context.Context) ([]domain.Officer, error)
}

// The questions of extensions (store.Session.Awaiting).
const (
	awaitExtDate    = "ext_date"    // the officer's new date
	awaitExtReason  = "ext_reason"  // the officer's reason; Draft: the date asked (ISO)
	awaitExtOther   = "ext_other"   // the approver's other date; Draft: the request's key
	awaitExtRefusal = "ext_refusal" // the approver's reason to refuse; Draft: the request's key
	awaitSetDue     = "ext_setdue"  // a coordinator's reason for /setdue of a dated task; Draft: "code|ISO date"
)

type extensions struct {
	*core
	store    extensionStore
	sessions sessionStore
	cards    *cards
}

// row is the card's "⏳ Xin gia hạn" button, for a part with a date not
// done yet (also once the date has passed); nil when extensions are not
// available.
func (f *extensions) row(w who, a domain.Assignment) []domain.Button {
	if f == nil || f.store == nil || a.Due.IsZero() || a.Status == domain.Done {
		return nil
	}
	return []domain.Button{button("⏳ "+w.t("btn.extend"), domain.Callback{Verb: VerbExtend, Ref: a.Ref})}
}

// dueLabel is the due date of a part as a card shows it: the phrase as
// written; a date a coordinator set beside it; an extended date with the
// plan's.
func dueLabel(w who, t domain.Task, a domain.Assignment) string {
	switch {
	case a.Extended():
		return i18n.N(w.Lang, "due.extended", a.Extensions, i18n.Date(a.Due), a.Extensions, orElse(dateOrText(a.DueOriginal), t.Deadline.Text))
	case !t.DueSet.IsZero() && t.Deadline.Kind != deadline.Fixed && !a.Due.IsZero():
		return w.t("due.set_for", i18n.Date(a.Due), t.Deadline.Text)
	}
	return t.Deadline.Text
}

// taskDueLabel is dueLabel for a task's view: its current date (the latest
// of its leads' once extended) beside the plan's.
func taskDueLabel(w who, v report.TaskView) string {
	switch {
	case v.Extended && v.DueOriginal != v.Due && !v.Due.IsZero():
		return w.t("due.extended_task", i18n.Date(v.Due), orElse(dateOrText(v.DueOriginal), v.Task.Deadline.Text))
	case !v.Task.DueSet.IsZero() && v.Task.Deadline.Kind != deadline.Fixed && !v.Due.IsZero():
		return w.t("due.set_for", i18n.Date(v.Due), v.Task.Deadline.Text)
	}
	return v.Task.Deadline.Text
}

func dateOrText(d deadline.Date) string {
	if d.IsZero() {
		return ""
	}
	return i18n.Date(d)
}

// ask starts a request: the officer of the part is asked for the new date.
func (f *extensions) ask(ctx context.Context, w who, cb domain.Callback) error {
	if f.store == nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	a, err := f.store.AssignmentByRef(ctx, cb.Ref)
	if err != nil || a.Withdrawn {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	if a.AgencyKey != w.Agency() {
		w.answer(w.t("err.not_yours"), true)
		return nil
	}
	if refusal, err := f.refusal(ctx, w, a); err != nil || refusal != "" {
		if refusal != "" {
			w.answer(refusal, true)
		}
		return err
	}
	w.answer("", false)
	key := "ext.ask_date"
	if a.Due.Before(f.today()) {
		key = "ext.ask_date_late"
	}
	m := w.ask(w.t(key, escape(a.TaskCode), i18n.Date(a.Due)), w.t("ext.date_placeholder"))
	if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Awaiting: awaitExtDate, PromptID: m}); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// refusal is why a part cannot be extended now (plain text), or "".
func (f *extensions) refusal(ctx context.Context, w who, a domain.Assignment) (string, error) {
	switch {
	case a.Due.IsZero():
		return w.t("ext.no_date"), nil
	case a.Status == domain.Done:
		return w.t("ext.done"), nil
	}
	if p, ok, err := f.store.PendingExtension(ctx, a.ID); err != nil {
		return "", fmt.Errorf("pending extension: %w", err)
	} else if ok {
		return w.t("ext.pending", i18n.Date(p.Asked)), nil
	}
	n, err := f.store.ApprovedExtensions(ctx, a.ID)
	if err != nil {
		return "", fmt.Errorf("count extensions: %w", err)
	}
	if n >= f.cfg.ExtensionMax {
		return i18n.N(w.Lang, "ext.over_limit", n, n), nil
	}
	return "", nil
}

// readDate reads a typed date: dd/mm/yyyy, yyyy-mm-dd or a phrase with a
// fixed date.
func readDate(s string) deadline.Date {
	if iso := isoDate(s); iso != "" {
		d, _ := deadline.ParseDate(iso)
		return d
	}
	if d := deadline.Parse(s); d.Kind == deadline.Fixed {
		return d.Due
	}
	return deadline.Date{}
}

// text takes the typed answer to a question of extensions; took is false
// when the bot waits for none.
func (f *extensions) text(ctx context.Context, w who, m *telegram.Message) (took bool, err error) {
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	if err != nil || !ok || !strings.HasPrefix(se.Awaiting, "ext_") {
		return false, nil
	}
	if r := m.ReplyTo; r != 0 && r != se.PromptID && f.cards.abouts.isAbout(ctx, w.Chat, r) {
		return false, nil // a reply about another message: a note by reply
	}
	text := strings.TrimSpace(m.Text)
	switch se.Awaiting {
	case awaitExtDate:
		return true, f.typedDate(ctx, w, se, text)
	case awaitExtReason:
		return true, f.typedReason(ctx, w, se, text)
	case awaitExtOther, awaitExtRefusal:
		if !f.approves(ctx, w) {
			return false, nil
		}
		return true, f.typedDecision(ctx, w, se, text)
	case awaitSetDue:
		if !w.Admin {
			return false, nil
		}
		return true, f.typedSetDue(ctx, w, se, text)
	}
	return false, nil
}

// mine loads the part an officer's question is about; a part no longer
// theirs closes the question.
func (f *extensions) mine(ctx context.Context, w who, se store.Session) (domain.Assignment, bool) {
	a, err := f.store.Assignment(ctx, se.AssignmentID)
	if err != nil || a.AgencyKey != w.Agency() || a.Withdrawn {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		w.reply(w.t("err.stale_prompt"))
		return a, false
	}
	return a, true
}

func (f *extensions) typedDate(ctx context.Context, w who, se store.Session, text string) error {
	a, ok := f.mine(ctx, w, se)
	if !ok {
		return nil
	}
	due := readDate(text)
	if due.IsZero() {
		w.reply(w.t("ext.date_unreadable", escape(i18n.Shorten(text, 60))))
		return nil // keep waiting
	}
	if !due.After(a.Due) || !due.After(f.today()) {
		w.reply(w.t("ext.date_not_later", i18n.Date(a.Due)))
		return nil
	}
	p := w.ask(w.t("ext.ask_reason", i18n.Date(due)), w.t("ext.reason_placeholder"))
	se.Awaiting, se.Draft, se.PromptID = awaitExtReason, due.String(), p
	if err := f.sessions.SaveSession(ctx, se); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// typedReason records the request and sends it to the approvers. A crash
// before the question is closed replays the answer: the request (named by
// the update) and its notices (keyed by it) are not made twice.
func (f *extensions) typedReason(ctx context.Context, w who, se store.Session, text string) error {
	a, ok := f.mine(ctx, w, se)
	if !ok {
		return nil
	}
	if text == "" || len([]rune(text)) > maxNoteRunes {
		w.reply(w.t("ext.reason_empty", maxNoteRunes))
		return nil
	}
	asked, err := deadline.ParseDate(se.Draft)
	if err != nil {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
		w.reply(w.t("err.stale_prompt"))
		return nil
	}
	key := strings.TrimPrefix(w.Source, "tg:")
	if _, err := f.store.Extension(ctx, a.ID, key); err != nil { // not a replay: the limits hold now
		if refusal, err := f.refusal(ctx, w, a); err != nil || refusal != "" {
			_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
			if refusal != "" {
				w.reply(escape(refusal))
			}
			return err
		}
	}
	e, err := f.store.RequestExtension(ctx, store.Extension{Key: key, AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey,
		From: a.Due, Asked: asked, Reason: text, Late: a.Due.Before(f.today()), RequestedBy: w.ID, RequestName: w.name()})
	if errors.Is(err, store.ErrExtensionPending) {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
		w.reply(w.t("ext.pending", i18n.Date(e.Asked)))
		return nil
	}
	if err != nil {
		return fmt.Errorf("request extension: %w", err)
	}
	f.sendRequest(ctx, e)
	if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Answered: w.Source}); err != nil {
		f.log.Error("close the question", "user", w.ID, "err", err)
	}
	w.reply(w.t("ext.sent", escape(a.TaskCode), i18n.Date(asked)))
	return nil
}

// approvers are who decide extensions: the admins, or the leaders.
func (f *extensions) approvers(ctx context.Context) []int64 {
	if f.cfg.ExtensionApprover != config.ExtensionByLeaders {
		return f.cfg.AdminIDs
	}
	leaders, err := f.store.Leaders(ctx)
	if err != nil {
		f.log.Error("load leaders", "err", err)
	}
	var out []int64
	for _, l := range leaders {
		out = append(out, l.TelegramID)
	}
	return out
}

// approves tells whether w decides extensions.
func (f *extensions) approves(ctx context.Context, w who) bool {
	if f.cfg.ExtensionApprover == config.ExtensionByLeaders {
		return w.Leader()
	}
	return w.Admin
}

// sendRequest queues the request to every approver, in their language,
// with the decision's buttons.
func (f *extensions) sendRequest(ctx context.Context, e store.Extension) {
	t, _ := f.catalog.task(ctx, e.TaskCode)
	ag := f.catalog.agency(ctx, e.AgencyKey)
	n, err := f.store.ApprovedExtensions(ctx, e.AssignmentID)
	if err != nil {
		f.log.Warn("count extensions", "assignment", e.AssignmentID, "err", err)
	}
	ref := domain.RefOf(e.AssignmentID)
	for _, id := range f.approvers(ctx) {
		aw := who{Lang: f.langOf(ctx, id)}
		late := ""
		if e.Late {
			late = aw.t("ext.request_late")
		}
		text := aw.t("ext.request", late, escape(e.TaskCode), escape(i18n.Shorten(t.Title, 200)), escape(ag.Name), escape(e.RequestName),
			i18n.Date(e.From), i18n.Date(e.Asked), escape(e.Reason)) + aw.t("ext.request_count", n, f.cfg.ExtensionMax)
		kb := [][]domain.Button{
			{button(aw.t("ext.btn_approve"), domain.Callback{Verb: VerbExtended, Ref: ref, Arg: "a" + e.Key}),
				button(aw.t("ext.btn_other"), domain.Callback{Verb: VerbExtended, Ref: ref, Arg: "o" + e.Key})},
			{button(aw.t("ext.btn_refuse"), domain.Callback{Verb: VerbExtended, Ref: ref, Arg: "r" + e.Key})},
		}
		f.pushWith(ctx, pushKey("extask", "tg:"+e.Key, id), domain.Outgoing{ChatID: id, Text: text, Buttons: kb})
	}
}

// decide handles an approver's press: approve the date asked, or ask for
// another date or the reason of a refusal.
func (f *extensions) decide(ctx context.Context, w who, cb domain.Callback) error {
	if f.store == nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	if !f.approves(ctx, w) {
		w.answer(w.t("ext.not_approver"), true)
		return nil
	}
	a, err := f.store.AssignmentByRef(ctx, cb.Ref)
	if err != nil || len(cb.Arg) < 2 {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	action, key := cb.Arg[:1], cb.Arg[1:]
	e, err := f.store.Extension(ctx, a.ID, key)
	if err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	if e.State != store.ExtensionPending {
		w.answer(f.decidedText(w, e), true)
		return nil
	}
	switch action {
	case "a":
		return f.finish(ctx, w, a, e, store.Decision{Approve: true, To: e.Asked})
	case "o", "r":
		w.answer("", false)
		var m int
		awaiting := awaitExtOther
		if action == "o" {
			m = w.ask(w.t("ext.ask_other", escape(a.TaskCode), i18n.Date(e.Asked)), w.t("ext.date_placeholder"))
		} else {
			awaiting = awaitExtRefusal
			m = w.ask(w.t("ext.ask_refusal", escape(a.TaskCode)), w.t("ext.reason_placeholder"))
		}
		if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Awaiting: awaiting, PromptID: m, Draft: key}); err != nil {
			return fmt.Errorf("save session: %w", err)
		}
	default:
		w.answer(w.t("err.stale_button"), true)
	}
	return nil
}

// decisionText names a decision in w's language.
func decisionText(w who, state string) string {
	switch state {
	case store.ExtensionApproved:
		return w.t("ext.decision.approved")
	case store.ExtensionRefused:
		return w.t("ext.decision.refused")
	}
	return w.t("ext.decision.pending")
}

// decidedText says who decided a request, and how (plain text, a pop-up).
func (f *extensions) decidedText(w who, e store.Extension) string {
	return w.t("ext.decided", e.DecidedName, decisionText(w, e.State))
}

// typedDecision takes the approver's other date or reason of a refusal.
func (f *extensions) typedDecision(ctx context.Context, w who, se store.Session, text string) error {
	a, err := f.store.Assignment(ctx, se.AssignmentID)
	e, err2 := f.store.Extension(ctx, se.AssignmentID, se.Draft)
	if err != nil || err2 != nil {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		w.reply(w.t("err.stale_prompt"))
		return nil
	}
	if se.Awaiting == awaitExtOther {
		to := readDate(text)
		if to.IsZero() {
			w.reply(w.t("ext.date_unreadable", escape(i18n.Shorten(text, 60))))
			return nil
		}
		if !to.After(e.From) {
			w.reply(w.t("ext.date_not_later", i18n.Date(e.From)))
			return nil
		}
		return f.finish(ctx, w, a, e, store.Decision{Approve: true, To: to})
	}
	if text == "" || len([]rune(text)) > maxNoteRunes {
		w.reply(w.t("ext.reason_empty", maxNoteRunes))
		return nil
	}
	return f.finish(ctx, w, a, e, store.Decision{Refusal: text})
}

// finish takes the decision (once: a decision taken already is told as
// such), puts the part's new date into the summaries, and tells the agency's
// officers through the outbox.
func (f *extensions) finish(ctx context.Context, w who, a domain.Assignment, e store.Extension, d store.Decision) error {
	d.By, d.ByName, d.Key = w.ID, w.name(), strings.TrimPrefix(w.Source, "tg:")
	e, moved, err := f.store.DecideExtension(ctx, a.ID, e.Key, d)
	if errors.Is(err, store.ErrExtensionDecided) {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		if w.press != nil {
			w.answer(f.decidedText(w, e), true)
		} else {
			w.reply(escape(f.decidedText(w, e)))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("decide extension: %w", err)
	}
	f.sums.Applied(moved)
	_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, Answered: w.Source})
	var said string
	if e.State == store.ExtensionApproved {
		said = w.t("ext.approved", escape(a.TaskCode), escape(f.catalog.agency(ctx, a.AgencyKey).Name), i18n.Date(e.From), i18n.Date(e.To))
	} else {
		said = w.t("ext.refused", escape(a.TaskCode), escape(f.catalog.agency(ctx, a.AgencyKey).Name), escape(e.Refusal))
	}
	if w.press != nil {
		w.answer(w.t("ext.approved_short"), false)
		w.edit(w.pressed(), said, nil)
	} else {
		w.reply(said)
	}
	officers, err := f.store.Officers(ctx, a.AgencyKey)
	if err != nil {
		f.log.Error("officers of an extension", "agency", a.AgencyKey, "err", err)
		return nil
	}
	for _, o := range officers {
		ow := who{Lang: i18n.For(o.Lang)}
		var text string
		if e.State == store.ExtensionApproved {
			text = ow.t("ext.approved_to_officer", escape(a.TaskCode), escape(e.DecidedName), i18n.Date(e.To), i18n.Date(e.From))
		} else {
			text = ow.t("ext.refused_to_officer", escape(a.TaskCode), i18n.Date(e.Asked), escape(e.DecidedName), escape(e.Refusal), i18n.Date(moved.Due))
		}
		open := [][]domain.Button{{button(ow.t("review.btn_open"), domain.Callback{Verb: domain.VerbOpen, Ref: refOf(a)})}}
		f.pushWith(ctx, pushKey("extdone", "tg:"+e.Key, o.TelegramID), domain.Outgoing{ChatID: o.TelegramID, Text: text, Buttons: open})
	}
	return nil
}

// setDueDated is /setdue on a task with a date: an extension, with a
// reason, of every part not done yet (the coordinator decides it). Without
// a reason typed after the date, the reason is asked.
func (f *extensions) setDueDated(ctx context.Context, w who, t domain.Task, due deadline.Date, reason string) error {
	if reason == "" {
		m := w.ask(w.t("setdue.ask_reason", escape(t.Code), dateOrText(t.Due()), i18n.Date(due)), w.t("ext.reason_placeholder"))
		return f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, Awaiting: awaitSetDue, PromptID: m, Draft: t.Code + "|" + due.String()})
	}
	if len([]rune(reason)) > maxNoteRunes {
		w.reply(w.t("ext.reason_empty", maxNoteRunes))
		return nil
	}
	parts, err := f.store.TaskAssignments(ctx, t.Code)
	if err != nil {
		return fmt.Errorf("parts of %s: %w", t.Code, err)
	}
	key := strings.TrimPrefix(w.Source, "tg:")
	n := 0
	from := t.Due() // the parts' date before: the first one's
	for _, a := range parts {
		if a.Withdrawn || a.Status == domain.Done || a.Due.IsZero() || a.Due == due {
			continue
		}
		e, moved, err := f.store.ExtendDirect(ctx, store.Extension{Key: key, AssignmentID: a.ID, TaskCode: a.TaskCode, AgencyKey: a.AgencyKey,
			From: a.Due, Asked: due, Reason: reason, Late: a.Due.Before(f.today()), RequestedBy: w.ID, RequestName: w.name()})
		if err != nil {
			return fmt.Errorf("extend %s: %w", a.ID, err)
		}
		f.sums.Applied(moved)
		if n == 0 {
			from = e.From
		}
		n++
		officers, err := f.store.Officers(ctx, a.AgencyKey)
		if err != nil {
			f.log.Error("officers of an extension", "agency", a.AgencyKey, "err", err)
			continue
		}
		for _, o := range officers {
			ow := who{Lang: i18n.For(o.Lang)}
			open := [][]domain.Button{{button(ow.t("review.btn_open"), domain.Callback{Verb: domain.VerbOpen, Ref: refOf(a)})}}
			f.pushWith(ctx, pushKey("extset", w.Source, o.TelegramID), domain.Outgoing{ChatID: o.TelegramID,
				Text: ow.t("setdue.extended_to_officer", escape(a.TaskCode), i18n.Date(e.To), i18n.Date(e.From), escape(reason)), Buttons: open})
		}
	}
	_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, Answered: w.Source})
	if n == 0 {
		w.reply(w.t("setdue.nothing_to_extend", escape(t.Code)))
		return nil
	}
	w.reply(w.t("setdue.extended", escape(t.Code), dateOrText(from), i18n.Date(due), n, escape(reason)))
	return nil
}

func (f *extensions) typedSetDue(ctx context.Context, w who, se store.Session, text string) error {
	code, iso, _ := strings.Cut(se.Draft, "|")
	due, err := deadline.ParseDate(iso)
	t, err2 := f.catalog.store.Task(ctx, code)
	if err != nil || err2 != nil {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		w.reply(w.t("err.stale_prompt"))
		return nil
	}
	if text == "" {
		w.reply(w.t("ext.reason_empty", maxNoteRunes))
		return nil
	}
	return f.setDueDated(ctx, w, t, due, text)
}

// history adds a task's extensions (or one part's: agencyKey set) to a
// history being written: who asked, when, from and to which date, why;
// who decided, when, how.
func (f *extensions) history(ctx context.Context, w who, sb *strings.Builder, code, agencyKey string) {
	list, err := f.store.TaskExtensions(ctx, code)
	if err != nil {
		f.log.Warn("task extensions", "task", code, "err", err)
		return
	}
	head := false
	for _, e := range list {
		if agencyKey != "" && e.AgencyKey != agencyKey {
			continue
		}
		if !head {
			fmt.Fprintf(sb, "\n<b>%s</b>\n", w.t("ext.history"))
			head = true
		}
		ag := f.catalog.agency(ctx, e.AgencyKey).Name
		at := i18n.Time(e.RequestedAt, f.cfg.Location)
		if e.Direct {
			sb.WriteString(w.t("ext.history_direct", at, escape(e.RequestName), escape(ag), i18n.Date(e.From), i18n.Date(e.To), escape(i18n.Shorten(e.Reason, 200))) + "\n")
			continue
		}
		late := ""
		if e.Late {
			late = w.t("ext.request_late")
		}
		sb.WriteString(w.t("ext.history_item", at, escape(e.RequestName), escape(ag), i18n.Date(e.From), i18n.Date(e.Asked), late, escape(i18n.Shorten(e.Reason, 200))))
		if e.State != store.ExtensionPending {
			detail := ""
			switch {
			case e.State == store.ExtensionApproved:
				detail = " → " + i18n.Date(e.To)
			case e.Refusal != "":
				detail = ": " + escape(i18n.Shorten(e.Refusal, 200))
			}
			sb.WriteString(w.t("ext.history_decided", i18n.Time(e.DecidedAt, f.cfg.Location), escape(e.DecidedName), decisionText(w, e.State), detail))
		} else {
			sb.WriteString(" (" + w.t("ext.decision.pending") + ")")
		}
		sb.WriteString("\n")
	}
}
