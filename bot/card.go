package bot

// The task card an officer works from, its history, and how an update is
// described. One live card per task and chat: a change made by typing
// redraws the card the officer was using; a newly sent card takes the
// buttons away from the previous one, so no older card offers buttons with
// stale figures.

import (
	"context"
	"fmt"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// cardStore is what a card shows and remembers (*store.Store).
type cardStore interface {
	LastUpdate(ctx context.Context, a domain.Assignment) (domain.Update, error)
	AssignmentHistory(ctx context.Context, id string, limit int) ([]domain.Update, error)
	AssignmentByRef(ctx context.Context, ref string) (domain.Assignment, error)
	LiveCard(ctx context.Context, chat int64, assignmentID string) (int, error)
	SetLiveCard(ctx context.Context, chat int64, assignmentID string, msg int) error
}

type cards struct {
	*core
	store      cardStore
	sessions   sessionStore
	abouts     *abouts
	reviews    *reviews    // whether a completion waits for review (issue 20)
	extensions *extensions // the "⏳ Xin gia hạn" button and the part's date (extensions.go)
}

// open shows the card of the assignment pressed.
func (f *cards) open(ctx context.Context, w who, cb domain.Callback) error {
	a, ok, err := f.viewable(ctx, w, cb.Ref)
	if !ok {
		return err
	}
	w.answer("", false)
	return f.show(ctx, w, a, 0, nil)
}

// history shows the history of the assignment pressed.
func (f *cards) history(ctx context.Context, w who, cb domain.Callback) error {
	a, ok, err := f.viewable(ctx, w, cb.Ref)
	if !ok {
		return err
	}
	w.answer("", false)
	h, err := f.store.AssignmentHistory(ctx, a.ID, 20)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	var sb strings.Builder
	sb.WriteString(w.t("history.header", escape(a.TaskCode)) + "\n")
	if len(h) == 0 {
		sb.WriteString(w.t("card.never"))
	}
	for _, u := range h {
		mark := ""
		if u.Corrected {
			mark = " " + w.t("history.corrected")
		}
		fmt.Fprintf(&sb, "• %s — %s: %s%s\n", i18n.Time(u.At, f.cfg.Location), escape(u.OfficerName), describe(w, u), mark)
	}
	if f.extensions != nil && f.extensions.store != nil {
		f.extensions.history(ctx, w, &sb, a.TaskCode, a.AgencyKey) // the part's extensions (extensions.go)
	}
	w.reply(sb.String())
	return nil
}

// viewable loads the assignment a button names and checks that the person
// may look at it: its agency's officers, and leaders and admins. Stale or
// forged data gets an alert (ok false, err nil); a storage error is
// returned.
func (f *cards) viewable(ctx context.Context, w who, ref string) (domain.Assignment, bool, error) {
	a, err := f.store.AssignmentByRef(ctx, ref)
	if err == nil {
		f.refs.remember(ref, a.ID)
	}
	if err != nil {
		if !isNotFound(err) {
			f.log.Error("load assignment", "ref", ref, "err", err)
		}
		w.answer(w.t("err.stale_button"), true)
		return a, false, nil
	}
	mine := w.Agency() != "" && w.Agency() == a.AgencyKey
	if a.Withdrawn || (!mine && !w.Sees()) {
		w.answer(w.t("err.not_yours"), true)
		return a, false, nil
	}
	return a, true, nil
}

// show shows an assignment's card; msgID > 0 edits that message. last is
// the update just made (nil when the card is opened: it then becomes the
// officer's open task, where evidence goes).
func (f *cards) show(ctx context.Context, w who, a domain.Assignment, msgID int, last *domain.Update) error {
	t, err := f.catalog.task(ctx, a.TaskCode)
	if err != nil {
		return fmt.Errorf("load task: %w", err)
	}
	text, kb := f.render(ctx, w, t, a, last)
	if last == nil && w.Agency() == a.AgencyKey {
		if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID}); err != nil {
			f.log.Warn("save session", "err", err)
		}
	}
	f.put(ctx, w, a, msgID, last != nil, text, kb)
	return nil
}

// render renders an assignment with its buttons (buttons only for its officers).
func (f *cards) render(ctx context.Context, w who, t domain.Task, a domain.Assignment, last *domain.Update) (string, [][]domain.Button) {
	ag := f.catalog.agency(ctx, a.AgencyKey)
	var review store.Review
	inReview := false
	if a.Status == domain.Done { // only a completion waits for review (domain.Judged)
		review, inReview = f.reviews.waitingOf(ctx, a.ID)
	}
	shown, waiting := domain.Judged(a, inReview, f.cfg.ReviewRequired) // as every view judges it
	light := f.policy().LightOf(shown, f.today(), f.cfg.Location)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s <b>%s</b> · %s\n\n", lightIcon(light), escape(t.Code), escape(ag.Name))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.task"), escape(t.Title))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.role"), w.t("role."+string(a.Role)))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.deadline"), dueText(w, dueLabel(w, t, a), a.Due, f.today(), shown.Status))
	if t.Output != "" {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.output"), escape(t.Output))
	}
	fmt.Fprintf(&sb, "<b>%s</b> %s · %d%%\n", w.t("card.status"), shownStatus(w, a.Status, waiting), a.Progress)
	if waiting {
		sb.WriteString(proofLine(w, review) + "\n")
	}
	if why := f.whyYellow(w, shown, light); why != "" {
		sb.WriteString(why + "\n")
	}
	if a.Note != "" {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.note"), escape(a.Note))
	}
	if last == nil {
		if u, err := f.store.LastUpdate(ctx, a); err == nil {
			last = &u
		}
	}
	if last != nil {
		fmt.Fprintf(&sb, "<b>%s</b> %s — %s: %s\n", w.t("card.last"), i18n.Time(last.At, f.cfg.Location),
			escape(last.OfficerName), describe(w, *last))
	} else {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.last"), w.t("card.never"))
	}
	if w.Agency() != a.AgencyKey {
		return sb.String(), nil
	}
	sb.WriteString("\n" + w.t("card.hint"))
	st := func(s domain.Status) domain.Button {
		label := statusText(w.Lang, s)
		if a.Status == s {
			label = "✓ " + label
		}
		return button(label, domain.Callback{Verb: domain.VerbStatus, Ref: a.Ref, Arg: string(s)})
	}
	pr := func(v int) domain.Button {
		label := itoa(v) + "%"
		if a.Progress == v {
			label = "✓ " + label
		}
		return button(label, domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: itoa(v)})
	}
	kb := [][]domain.Button{
		{st(domain.NotStarted), st(domain.InProgress)},
		{st(domain.Done), st(domain.Blocked)},
		{pr(25), pr(50), pr(75), pr(100), button("✍️ %", domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: "ask"})},
		{button("📝 "+w.t("btn.note"), domain.Callback{Verb: domain.VerbNote, Ref: a.Ref}),
			button("↩️ "+w.t("btn.correct"), domain.Callback{Verb: domain.VerbCorrect, Ref: a.Ref})},
		{button("🕘 "+w.t("btn.history"), domain.Callback{Verb: domain.VerbHistory, Ref: a.Ref}),
			button("📋 "+w.t("btn.list"), domain.Callback{Verb: domain.VerbList, Ref: "0"})},
	}
	if row := f.extensions.row(w, a); row != nil {
		kb = append(kb, row)
	}
	return sb.String(), kb
}

// whyYellow says on a card why an assignment is yellow: due soon (with the
// days left), or far from its deadline but not reported this period (since
// when). Empty for any other light.
func (f *cards) whyYellow(w who, a domain.Assignment, light domain.Light) string {
	if light != domain.Yellow {
		return ""
	}
	p, today := f.policy(), f.today()
	if !a.Due.IsZero() && !a.Due.Before(today) && deadline.DaysBetween(today, a.Due) <= p.SoonDays {
		return w.t("card.yellow_soon", deadline.DaysBetween(today, a.Due))
	}
	return w.t("card.yellow_unreported", i18n.Date(p.ReportFrom(today)))
}

// put shows a rendered card: in message msgID when set; else, after a
// change (changed), in the live card of the task; else as a new message.
// The card shown becomes the live one and the previous live card loses its
// buttons.
func (f *cards) put(ctx context.Context, w who, a domain.Assignment, msgID int, changed bool, text string, kb [][]domain.Button) {
	live := 0
	if kb != nil {
		var err error
		if live, err = f.store.LiveCard(ctx, w.Chat, a.ID); err != nil {
			f.log.Warn("load live card", "err", err)
		}
	}
	if msgID == 0 && changed {
		msgID = live
	}
	var shown int
	if msgID > 0 {
		shown = w.edit(msgID, text, kb)
	} else {
		shown = w.replyKB(text, kb)
	}
	f.abouts.remember(ctx, w.Chat, shown, AboutCard, refOf(a))
	if kb == nil || shown == 0 {
		return
	}
	if live != 0 && live != shown {
		w.strip(live)
	}
	if live != shown {
		if err := f.store.SetLiveCard(ctx, w.Chat, a.ID, shown); err != nil {
			f.log.Warn("save live card", "err", err)
		}
	}
}

// describe says what an update did, in the reader's language.
func describe(w who, u domain.Update) string {
	switch u.Kind {
	case domain.SetStatus:
		return w.t("upd.status", statusText(w.Lang, u.After.Status))
	case domain.SetProgress:
		return w.t("upd.progress", u.After.Progress)
	case domain.AddNote:
		return w.t("upd.note", escape(i18n.Shorten(u.Note, 300)))
	case domain.AddEvidence:
		name := ""
		if u.Evidence != nil {
			name = u.Evidence.Name
		}
		if u.Note != "" { // its caption
			return w.t("upd.evidence_caption", escape(name), escape(i18n.Shorten(u.Note, 300)))
		}
		return w.t("upd.evidence", escape(name))
	case domain.Correction:
		return describeCorrection(w, u)
	}
	return string(u.Kind)
}

// describeCorrection says exactly what a correction changed: status,
// progress and note, each from → to (a removed note named).
func describeCorrection(w who, u domain.Update) string {
	var parts []string
	if u.Before.Status != u.After.Status {
		parts = append(parts, w.t("undo.status", statusText(w.Lang, u.Before.Status), statusText(w.Lang, u.After.Status)))
	}
	if u.Before.Progress != u.After.Progress {
		parts = append(parts, w.t("undo.progress", u.Before.Progress, u.After.Progress))
	}
	switch {
	case u.Before.Note == u.After.Note:
	case u.After.Note == "":
		parts = append(parts, w.t("undo.note_removed", escape(i18n.Shorten(u.Before.Note, 120))))
	default:
		parts = append(parts, w.t("undo.note_back", escape(i18n.Shorten(u.After.Note, 120))))
	}
	if len(parts) == 0 {
		return w.t("undo.nothing")
	}
	return w.t("undo.head") + " " + strings.Join(parts, "; ")
}

// refOf is an assignment's button ref.
func refOf(a domain.Assignment) string {
	if a.Ref != "" {
		return a.Ref
	}
	return domain.RefOf(a.ID)
}
