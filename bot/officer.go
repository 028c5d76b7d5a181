package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/store"
)

// pageSize is how many tasks one page of /tasks shows.
const pageSize = 8

// sessionAge is how long an opened task stays "open" for evidence and notes.
const sessionAge = 24 * time.Hour

// maxNoteRunes bounds a note, so that a task card with it fits one message.
const maxNoteRunes = 2000

func (b *Bot) today() deadline.Date { return deadline.DateOf(b.local()) }

func (b *Bot) policy() domain.Policy {
	return domain.PolicyFor(b.Config.SoonDays, b.Config.ReportPeriod)
}

// agencyInput is the roll-up input for one agency's assignments.
func (b *Bot) agencyInput(ctx context.Context, agencyKey string) (report.Input, error) {
	in := report.Input{Now: b.now(), Loc: b.Config.Location, Policy: b.policy(), StaleDays: b.Config.StaleDays}
	var err error
	if in.Plans, err = b.Catalog.OpenPlans(ctx); err != nil {
		return in, err
	}
	tasks, agencies, err := b.catalog(ctx)
	if err != nil {
		return in, err
	}
	for _, t := range tasks {
		in.Tasks = append(in.Tasks, t)
	}
	for _, a := range agencies {
		in.Agencies = append(in.Agencies, a)
	}
	if agencyKey == "" {
		in.Assignments, err = b.Assignments.AllAssignments(ctx)
		return in, err
	}
	ag, ok := agencies[agencyKey]
	if !ok { // registered after the cache was filled
		if ag, err = b.Catalog.Agency(ctx, agencyKey); err != nil {
			return in, fmt.Errorf("agency %s: %w", agencyKey, err)
		}
	}
	in.Assignments, err = b.Assignments.AssignmentsOf(ctx, ag, in.Tasks)
	return in, err
}

// cmdTasks lists the officer's agency's open assignments, most urgent first.
// msgID > 0 edits that message (paging) instead of sending a new one.
func (b *Bot) cmdTasks(ctx context.Context, w who, page, msgID int) {
	key := w.Agency()
	if key == "" {
		b.reply(w.Chat, w.t("tasks.not_officer"))
		return
	}
	in, err := b.agencyInput(ctx, key)
	if err != nil {
		b.fail(w, "list tasks", err)
		return
	}
	items := report.AgencyTasks(in, key)
	ag, _ := b.Catalog.Agency(ctx, key)
	if len(items) == 0 {
		b.reply(w.Chat, w.t("tasks.none", escape(ag.Name)))
		return
	}
	pages := (len(items) + pageSize - 1) / pageSize
	page = max(0, min(page, pages-1))
	var sb strings.Builder
	sb.WriteString(w.t("tasks.header", escape(ag.Name), len(items)))
	if pages > 1 {
		sb.WriteString(" " + w.t("tasks.page", page+1, pages))
	}
	sb.WriteString("\n\n")
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, it := range items[page*pageSize : min(len(items), (page+1)*pageSize)] {
		a, t := it.Assignment, it.Task
		fmt.Fprintf(&sb, "%s <b>%s</b> %s\n    ⏱ %s\n", lightIcon(it.Light), escape(t.Code), escape(i18n.Shorten(t.Title, 90)),
			dueText(w, t.Deadline.Text, a.Due, b.today(), a.Status))
		label := fmt.Sprintf("%s %s · %s", lightIcon(it.Light), t.Code, i18n.Shorten(t.Title, 28))
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(label, domain.Callback{Verb: domain.VerbOpen, Ref: a.Ref})))
	}
	if pages > 1 {
		var nav []tgbotapi.InlineKeyboardButton
		if page > 0 {
			nav = append(nav, button("◀️ "+w.t("btn.prev"), domain.Callback{Verb: domain.VerbList, Ref: itoa(page - 1)}))
		}
		if page < pages-1 {
			nav = append(nav, button(w.t("btn.next")+" ▶️", domain.Callback{Verb: domain.VerbList, Ref: itoa(page + 1)}))
		}
		rows = append(rows, nav)
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	if msgID > 0 {
		b.edit(w.Chat, msgID, sb.String(), &kb)
		return
	}
	b.replyKB(w.Chat, sb.String(), &kb)
}

func button(text string, cb domain.Callback) tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardButtonData(text, cb.Encode())
}

func (b *Bot) cbList(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	page, err := strconv.Atoi(cb.Ref)
	if err != nil || page < 0 || page > 1000 {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	b.answer(q.ID, "", false)
	b.cmdTasks(ctx, w, page, msgID)
}

// allowed loads the assignment a button names and checks that the person
// may act on it: officers of its agency change it; leaders and admins may
// only look. Stale or forged data gets an alert and changes nothing.
func (b *Bot) allowed(ctx context.Context, w who, q *tgbotapi.CallbackQuery, ref string, change bool) (domain.Assignment, bool) {
	if change {
		// Changes need no read here: the identity tells the agency, and
		// Apply reads the assignment (refusing a withdrawn one) anyway.
		id, err := b.refID(ctx, ref)
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				b.log().Error("load assignment", "ref", ref, "err", err)
			}
			b.answer(q.ID, w.t("err.stale_button"), true)
			return domain.Assignment{}, false
		}
		task, agency, _ := strings.Cut(id, "/")
		if w.Agency() == "" || agency != w.Agency() {
			b.answer(q.ID, w.t("err.not_yours"), true)
			return domain.Assignment{}, false
		}
		return domain.Assignment{ID: id, Ref: ref, TaskCode: task, AgencyKey: agency}, true
	}
	a, err := b.Assignments.AssignmentByRef(ctx, ref)
	if err == nil {
		b.rememberRef(ref, a.ID)
	}
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			b.log().Error("load assignment", "ref", ref, "err", err)
		}
		b.answer(q.ID, w.t("err.stale_button"), true)
		return a, false
	}
	mine := w.Agency() != "" && w.Agency() == a.AgencyKey
	if a.Withdrawn || (!mine && (change || !w.Sees())) {
		b.answer(q.ID, w.t("err.not_yours"), true)
		return a, false
	}
	return a, true
}

func (b *Bot) cbOpen(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	a, ok := b.allowed(ctx, w, q, cb.Ref, false)
	if !ok {
		return
	}
	b.answer(q.ID, "", false)
	b.showCard(ctx, w, a, 0, nil)
}

// showCard shows an assignment's card; msgID > 0 edits that message. last
// is the update just made (nil when the card is opened: it then becomes the
// officer's open task, where evidence goes).
func (b *Bot) showCard(ctx context.Context, w who, a domain.Assignment, msgID int, last *domain.Update) {
	t, err := b.task(ctx, a.TaskCode)
	if err != nil {
		b.fail(w, "load task", err)
		return
	}
	text, kb := b.card(ctx, w, t, a, last)
	if last == nil && w.Agency() == a.AgencyKey {
		if err := b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID}); err != nil {
			b.log().Warn("save session", "err", err)
		}
	}
	if msgID > 0 {
		b.edit(w.Chat, msgID, text, kb)
		return
	}
	b.replyKB(w.Chat, text, kb)
}

// card renders an assignment with its buttons (buttons only for its officers).
func (b *Bot) card(ctx context.Context, w who, t domain.Task, a domain.Assignment, last *domain.Update) (string, *tgbotapi.InlineKeyboardMarkup) {
	ag := b.agency(ctx, a.AgencyKey)
	light := b.policy().LightOf(a, b.today(), b.Config.Location)
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s <b>%s</b> · %s\n\n", lightIcon(light), escape(t.Code), escape(ag.Name))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.task"), escape(t.Title))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.role"), w.t("role."+string(a.Role)))
	fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.deadline"), dueText(w, t.Deadline.Text, a.Due, b.today(), a.Status))
	if t.Output != "" {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.output"), escape(t.Output))
	}
	fmt.Fprintf(&sb, "<b>%s</b> %s · %d%%\n", w.t("card.status"), statusText(w.Lang, a.Status), a.Progress)
	if a.Note != "" {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.note"), escape(a.Note))
	}
	if last == nil {
		if u, err := b.Assignments.LastUpdate(ctx, a); err == nil {
			last = &u
		}
	}
	if last != nil {
		fmt.Fprintf(&sb, "<b>%s</b> %s — %s: %s\n", w.t("card.last"), i18n.Time(last.At, b.Config.Location),
			escape(last.OfficerName), b.describe(w, *last))
	} else {
		fmt.Fprintf(&sb, "<b>%s</b> %s\n", w.t("card.last"), w.t("card.never"))
	}
	if w.Agency() != a.AgencyKey {
		return sb.String(), nil
	}
	sb.WriteString("\n" + w.t("card.hint"))
	st := func(s domain.Status) tgbotapi.InlineKeyboardButton {
		label := statusText(w.Lang, s)
		if a.Status == s {
			label = "✓ " + label
		}
		return button(label, domain.Callback{Verb: domain.VerbStatus, Ref: a.Ref, Arg: string(s)})
	}
	pr := func(v int) tgbotapi.InlineKeyboardButton {
		label := itoa(v) + "%"
		if a.Progress == v {
			label = "✓ " + label
		}
		return button(label, domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: itoa(v)})
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(st(domain.NotStarted), st(domain.InProgress)),
		tgbotapi.NewInlineKeyboardRow(st(domain.Done), st(domain.Blocked)),
		tgbotapi.NewInlineKeyboardRow(pr(25), pr(50), pr(75), pr(100),
			button("✍️ %", domain.Callback{Verb: domain.VerbProgress, Ref: a.Ref, Arg: "ask"})),
		tgbotapi.NewInlineKeyboardRow(
			button("📝 "+w.t("btn.note"), domain.Callback{Verb: domain.VerbNote, Ref: a.Ref}),
			button("↩️ "+w.t("btn.correct"), domain.Callback{Verb: domain.VerbCorrect, Ref: a.Ref})),
		tgbotapi.NewInlineKeyboardRow(
			button("🕘 "+w.t("btn.history"), domain.Callback{Verb: domain.VerbHistory, Ref: a.Ref}),
			button("📋 "+w.t("btn.list"), domain.Callback{Verb: domain.VerbList, Ref: "0"})),
	)
	return sb.String(), &kb
}

// describe says what an update did, in the reader's language.
func (b *Bot) describe(w who, u domain.Update) string {
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
		return w.t("upd.evidence", escape(name))
	case domain.Correction:
		return w.t("upd.correction", statusText(w.Lang, u.After.Status), u.After.Progress)
	}
	return string(u.Kind)
}

func (b *Bot) cbAssignment(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if cb.Verb == domain.VerbHistory {
		a, ok := b.allowed(ctx, w, q, cb.Ref, false)
		if !ok {
			return
		}
		b.answer(q.ID, "", false)
		b.showHistory(ctx, w, a)
		return
	}
	a, ok := b.allowed(ctx, w, q, cb.Ref, true)
	if !ok {
		return
	}
	switch cb.Verb {
	case domain.VerbStatus:
		s := domain.Status(cb.Arg)
		if !s.Valid() {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		b.applyChange(ctx, w, a, store.Change{Kind: domain.SetStatus, Status: s}, q.ID, msgID)
	case domain.VerbProgress:
		if cb.Arg == "ask" {
			b.answer(q.ID, "", false)
			b.prompt(ctx, w, a, "progress")
			return
		}
		v, err := strconv.Atoi(cb.Arg)
		if err != nil || v < 0 || v > 100 {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		b.applyChange(ctx, w, a, store.Change{Kind: domain.SetProgress, Progress: &v}, q.ID, msgID)
	case domain.VerbNote:
		b.answer(q.ID, "", false)
		b.prompt(ctx, w, a, "note")
	case domain.VerbCorrect:
		b.applyChange(ctx, w, a, store.Change{Kind: domain.Correction}, q.ID, msgID)
	}
}

// prompt asks the officer to type a note or a progress figure.
func (b *Bot) prompt(ctx context.Context, w who, a domain.Assignment, kind string) {
	var m tgbotapi.Message
	switch kind {
	case "progress":
		m = b.ask(w.Chat, w.t("ask.progress", escape(a.TaskCode)), "0–100")
	case "blocked_note":
		m = b.ask(w.Chat, w.t("ask.blocked_note", escape(a.TaskCode)), w.t("ask.note_placeholder"))
	default:
		m = b.ask(w.Chat, w.t("ask.note", escape(a.TaskCode)), w.t("ask.note_placeholder"))
	}
	if err := b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Awaiting: kind, PromptID: m.MessageID}); err != nil {
		b.fail(w, "save session", err)
	}
}

// applyChange records a change and answers: a toast for a button press (qid)
// and the card redrawn in place (msgID) or sent anew.
func (b *Bot) applyChange(ctx context.Context, w who, a domain.Assignment, ch store.Change, qid string, msgID int) {
	ch.SourceID, ch.OfficerID, ch.OfficerName = w.Source, w.ID, w.Name
	if ch.OfficerName == "" {
		ch.OfficerName = "@" + w.User
	}
	moved, u, err := b.Assignments.Apply(ctx, a.ID, ch)
	switch {
	case errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrWithdrawn):
		if qid != "" {
			b.answer(qid, w.t("err.stale_button"), true)
		} else {
			b.reply(w.Chat, w.t("err.stale_prompt"))
		}
		return
	case errors.Is(err, store.ErrDuplicate):
		if qid != "" {
			b.answer(qid, w.t("ok.already"), false)
		}
		return
	case errors.Is(err, domain.ErrNoChange):
		if qid != "" {
			b.answer(qid, w.t("ok.no_change"), true)
		} else {
			b.reply(w.Chat, w.t("ok.no_change"))
		}
		return
	case errors.Is(err, domain.ErrNothingToCorrect):
		if qid != "" {
			b.answer(qid, w.t("err.nothing_to_correct"), true)
		} else {
			b.reply(w.Chat, w.t("err.nothing_to_correct"))
		}
		return
	case err != nil:
		b.log().Error("apply change", "assignment", a.ID, "kind", ch.Kind, "err", err)
		if qid != "" {
			b.answer(qid, w.t("err.internal"), true)
		} else {
			b.reply(w.Chat, w.t("err.internal"))
		}
		return
	}
	if qid != "" {
		b.answer(qid, w.t("ok.saved", b.describe(w, u)), false)
	} else {
		b.reply(w.Chat, "✅ "+w.t("ok.saved", b.describe(w, u)))
	}
	b.showCard(ctx, w, moved, msgID, &u)
	if moved.Status == domain.Blocked && (ch.Kind == domain.SetStatus || ch.Kind == domain.Correction) && u.Before.Status != domain.Blocked {
		b.alertLeaders(ctx, moved, u, w)
		if ch.Kind == domain.SetStatus {
			b.prompt(ctx, w, moved, "blocked_note")
		}
	}
}

// onText handles typed text: the answer to a question the bot asked, a reply
// to a message about a task, or anything else (a hint).
func (b *Bot) onText(ctx context.Context, w who, m *tgbotapi.Message) {
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	if err != nil {
		b.fail(w, "load session", err)
		return
	}
	if ok && se.Awaiting != "" && (m.ReplyToMessage == nil || m.ReplyToMessage.MessageID == se.PromptID || !mentionsTask(m.ReplyToMessage)) {
		b.answerPrompt(ctx, w, se, m.Text)
		return
	}
	if m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.IsBot {
		b.noteByReply(ctx, w, m)
		return
	}
	b.reply(w.Chat, w.t("hint.text"))
}

var progressRE = regexp.MustCompile(`^\s*(\d{1,3})\s*%?\s*$`)

func (b *Bot) answerPrompt(ctx context.Context, w who, se store.Session, text string) {
	a, err := b.Assignments.Assignment(ctx, se.AssignmentID)
	if err != nil || a.AgencyKey != w.Agency() || a.Withdrawn {
		_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID})
		b.reply(w.Chat, w.t("err.stale_prompt"))
		return
	}
	switch se.Awaiting {
	case "progress":
		mm := progressRE.FindStringSubmatch(text)
		v := -1
		if mm != nil {
			v, _ = strconv.Atoi(mm[1])
		}
		if v < 0 || v > 100 {
			b.reply(w.Chat, w.t("err.progress_number"))
			return // keep waiting
		}
		_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
		b.applyChange(ctx, w, a, store.Change{Kind: domain.SetProgress, Progress: &v}, "", 0)
	default: // note, blocked_note
		note := strings.TrimSpace(text)
		if n := len([]rune(note)); n > maxNoteRunes {
			b.reply(w.Chat, w.t("err.note_too_long", n, maxNoteRunes))
			return // keep waiting
		}
		if note == "" {
			b.reply(w.Chat, w.t("err.note_empty"))
			return
		}
		_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
		b.applyChange(ctx, w, a, store.Change{Kind: domain.AddNote, Note: note}, "", 0)
		if se.Awaiting == "blocked_note" {
			if cur, err := b.Assignments.Assignment(ctx, a.ID); err == nil && cur.Status == domain.Blocked {
				b.alertLeadersNote(ctx, cur, note, w)
			}
		}
	}
}

var codeRE = regexp.MustCompile(`\b(\d{2}-(?:[IVX]+\.)?\d{1,3})\b`)

func mentionsTask(m *tgbotapi.Message) bool {
	return m != nil && len(codeRE.FindAllString(m.Text, 2)) > 0
}

// noteByReply adds a note to the task a replied-to bot message is about.
func (b *Bot) noteByReply(ctx context.Context, w who, m *tgbotapi.Message) {
	codes := map[string]bool{}
	for _, c := range codeRE.FindAllString(m.ReplyToMessage.Text, -1) {
		codes[c] = true
	}
	var mine []domain.Assignment
	for c := range codes {
		if a, err := b.Assignments.Assignment(ctx, domain.AssignmentID(c, w.Agency())); err == nil && !a.Withdrawn {
			mine = append(mine, a)
		}
	}
	if len(mine) != 1 || w.Agency() == "" {
		b.reply(w.Chat, w.t("err.reply_which_task"))
		return
	}
	note := strings.TrimSpace(m.Text)
	if n := len([]rune(note)); n > maxNoteRunes {
		b.reply(w.Chat, w.t("err.note_too_long", n, maxNoteRunes))
		return
	}
	b.applyChange(ctx, w, mine[0], store.Change{Kind: domain.AddNote, Note: note}, "", 0)
}

// fail tells the user something went wrong on our side and logs why.
func (b *Bot) fail(w who, what string, err error) {
	b.log().Error(what, "user", w.ID, "err", err)
	b.reply(w.Chat, w.t("err.internal"))
}

func (b *Bot) cmdCancel(ctx context.Context, w who) {
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	if err == nil && ok && se.Awaiting != "" {
		_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: se.AssignmentID})
		b.reply(w.Chat, w.t("ok.cancelled"))
		return
	}
	b.reply(w.Chat, w.t("ok.nothing_to_cancel"))
}

func (b *Bot) showHistory(ctx context.Context, w who, a domain.Assignment) {
	h, err := b.Assignments.AssignmentHistory(ctx, a.ID, 20)
	if err != nil {
		b.fail(w, "history", err)
		return
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
		fmt.Fprintf(&sb, "• %s — %s: %s%s\n", i18n.Time(u.At, b.Config.Location), escape(u.OfficerName), b.describe(w, u), mark)
	}
	b.reply(w.Chat, sb.String())
}
