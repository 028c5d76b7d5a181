package bot

// Completion needs proof: marking an assignment done asks for its output
// (the document's number and date, a file, or both); /review lists what
// waits for a coordinator, who accepts it or returns it with a comment.

import (
	"context"
	"errors"
	"regexp"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// VerbReview is the buttons of /review: Ref = "a" (accept) or "r" (return),
// Arg = the assignment's ref.
const VerbReview = "rv"

// maxReviewList bounds the completions /review shows at once.
const maxReviewList = 10

// reviewAfterChange opens or drops the review of a completion after an officer's
// change: done asks for the proof; taken back, the review goes.
func (b *Bot) reviewAfterChange(ctx context.Context, w who, moved domain.Assignment, u domain.Update) {
	if b.Plans == nil {
		return
	}
	switch {
	case u.After.Done() && !u.Before.Done():
		if err := b.Plans.OpenReview(ctx, moved, w.ID, w.Name); err != nil {
			b.log().Error("open review", "assignment", moved.ID, "err", err)
			return
		}
		m := b.ask(w.Chat, w.t("review.ask_proof", escape(moved.TaskCode)), w.t("review.proof_placeholder"))
		if err := b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: moved.ID, Awaiting: "proof", PromptID: m.MessageID}); err != nil {
			b.log().Error("save session", "user", w.ID, "err", err)
		}
	case !u.After.Done() && u.Before.Done():
		if err := b.Plans.DropReview(ctx, moved.ID); err != nil {
			b.log().Error("drop review", "assignment", moved.ID, "err", err)
		}
		if se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge); err == nil && ok && se.Awaiting == "proof" && se.AssignmentID == moved.ID {
			_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: moved.ID})
		}
	}
}

var digitRE = regexp.MustCompile(`\d`)

// proofText takes typed text when the bot waits for it: the output of a
// completion (officer) or the reason a completion is returned (admin). It
// reports false when it waits for neither.
func (b *Bot) proofText(ctx context.Context, w who, m *tgbotapi.Message) bool {
	if b.Plans == nil {
		return false
	}
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	if err != nil || !ok {
		return false
	}
	if r := m.ReplyToMessage; r != nil && r.MessageID != se.PromptID && b.isAbout(ctx, w.Chat, r) {
		return false // a reply about another message: a note by reply
	}
	text := strings.TrimSpace(m.Text)
	switch se.Awaiting {
	case "proof":
		a, err := b.Assignments.Assignment(ctx, se.AssignmentID)
		if err != nil || a.AgencyKey != w.Agency() {
			return false
		}
		if !digitRE.MatchString(text) || len([]rune(text)) > maxNoteRunes {
			b.reply(w.Chat, w.t("review.proof_unreadable"))
			return true // keep waiting
		}
		_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
		if err := b.Plans.AddProof(ctx, a.ID, text, false); err != nil {
			b.fail(w, "add proof", err)
			return true
		}
		b.applyChange(ctx, w, a, domain.Change{Kind: domain.AddNote, Note: w.t("review.output_note", text)}, "", 0)
		return true
	case "return":
		if !w.Admin {
			return false
		}
		if text == "" || len([]rune(text)) > maxNoteRunes {
			b.reply(w.Chat, w.t("err.note_empty"))
			return true
		}
		_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID})
		b.returnCompletion(ctx, w, se.AssignmentID, text)
		return true
	}
	return false
}

// proofFile counts a file sent while the bot waits for a completion's
// proof; the file is stored as evidence as any other.
func (b *Bot) proofFile(ctx context.Context, w who) {
	if b.Plans == nil {
		return
	}
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	if err != nil || !ok || se.Awaiting != "proof" {
		return
	}
	if err := b.Plans.AddProof(ctx, se.AssignmentID, "", true); err != nil {
		b.log().Error("add proof file", "assignment", se.AssignmentID, "err", err)
	}
	_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: se.AssignmentID})
}

// cmdReview lists the completions waiting for review, each with Accept and
// Return buttons.
func (b *Bot) cmdReview(ctx context.Context, w who, _ string) {
	if b.Plans == nil {
		b.reply(w.Chat, w.t("import.unavailable"))
		return
	}
	list, err := b.Plans.WaitingReviews(ctx)
	if err != nil {
		b.fail(w, "list reviews", err)
		return
	}
	if len(list) == 0 {
		b.reply(w.Chat, w.t("review.none"))
		return
	}
	b.reply(w.Chat, w.t("review.header", len(list)))
	for i, r := range list {
		if i == maxReviewList {
			b.reply(w.Chat, w.t("review.more", len(list)-i))
			break
		}
		a, err := b.Assignments.Assignment(ctx, r.AssignmentID)
		if err != nil {
			continue
		}
		t, _ := b.Catalog.Task(ctx, r.TaskCode)
		ag, _ := b.Catalog.Agency(ctx, r.AgencyKey)
		output := r.Output
		if output == "" {
			output = w.t("review.no_output")
		}
		text := w.t("review.item", escape(r.TaskCode), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(r.OfficerName),
			i18n.Date(deadline.DateOf(r.DoneAt.In(b.Config.Location))), escape(output), r.Files)
		kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(w.t("review.btn_accept"), domain.Callback{Verb: VerbReview, Ref: "a", Arg: a.Ref}.Encode()),
			tgbotapi.NewInlineKeyboardButtonData(w.t("review.btn_return"), domain.Callback{Verb: VerbReview, Ref: "r", Arg: a.Ref}.Encode())))
		b.replyKB(w.Chat, text, &kb)
	}
}

func (b *Bot) cbReview(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if !w.Admin || b.Plans == nil {
		b.answer(q.ID, w.t("err.admins_only"), true)
		return
	}
	a, err := b.Assignments.AssignmentByRef(ctx, cb.Arg)
	if err != nil {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	switch cb.Ref {
	case "a":
		r, err := b.Plans.DecideReview(ctx, a.ID, true, w.ID, w.Name, "")
		if errors.Is(err, store.ErrReviewDecided) || errors.Is(err, store.ErrNotFound) {
			b.answer(q.ID, w.t("review.decided"), true)
			return
		}
		if err != nil {
			b.answer(q.ID, w.t("err.internal"), true)
			b.log().Error("accept review", "assignment", a.ID, "err", err)
			return
		}
		b.answer(q.ID, w.t("review.accepted_short"), false)
		b.edit(w.Chat, msgID, w.t("review.accepted", escape(r.TaskCode), escape(w.Name)), nil)
	case "r":
		b.answer(q.ID, "", false)
		m := b.ask(w.Chat, w.t("review.ask_reason", escape(a.TaskCode)), w.t("review.reason_placeholder"))
		if err := b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Awaiting: "return", PromptID: m.MessageID}); err != nil {
			b.fail(w, "save session", err)
		}
	default:
		b.answer(q.ID, w.t("err.stale_button"), true)
	}
}

// returnCompletion returns a completion with the coordinator's reason: the
// assignment goes back to in progress, the reason is its note, and the
// agency's officers are told why, with a button to open it.
func (b *Bot) returnCompletion(ctx context.Context, w who, id, reason string) {
	r, err := b.Plans.DecideReview(ctx, id, false, w.ID, w.Name, reason)
	if errors.Is(err, store.ErrReviewDecided) || errors.Is(err, store.ErrNotFound) {
		b.reply(w.Chat, w.t("review.decided"))
		return
	}
	if err != nil {
		b.fail(w, "return review", err)
		return
	}
	name := w.Name
	if name == "" {
		name = "@" + w.User
	}
	back := domain.Change{SourceID: w.Source + ":return", OfficerID: w.ID, OfficerName: name, Kind: domain.SetStatus, Status: domain.InProgress}
	moved, _, err := b.Assignments.Apply(ctx, id, back)
	if err != nil && !errors.Is(err, domain.ErrNoChange) {
		b.fail(w, "return to in progress", err)
		return
	}
	if err == nil {
		b.Summaries.Applied(moved) // the summaries count it at once
	}
	note := domain.Change{SourceID: w.Source + ":reason", OfficerID: w.ID, OfficerName: name, Kind: domain.AddNote, Note: w.t("review.reason_note", reason)}
	if moved, _, err := b.Assignments.Apply(ctx, id, note); err != nil {
		b.log().Error("note the reason of a return", "assignment", id, "err", err)
	} else {
		b.Summaries.Applied(moved)
	}
	b.reply(w.Chat, w.t("review.returned", escape(r.TaskCode)))
	officers, err := b.People.Officers(ctx, r.AgencyKey)
	if err != nil {
		b.log().Error("officers of a returned completion", "agency", r.AgencyKey, "err", err)
		return
	}
	// Through the outbox, keyed by the update that returned it: a replay
	// queues nothing new, and 429s or a crash lose nothing.
	for _, o := range officers {
		ow := who{Lang: i18n.For(o.Lang)}
		open := [][]domain.Button{{{Text: ow.t("review.btn_open"), Data: domain.Callback{Verb: domain.VerbOpen, Ref: domain.RefOf(id)}.Encode()}}}
		b.pushWith(ctx, pushKey("returned", w.Source, o.TelegramID), domain.Outgoing{ChatID: o.TelegramID,
			Text: ow.t("review.returned_to_officer", escape(r.TaskCode), escape(name), escape(reason)), Buttons: open})
	}
}
