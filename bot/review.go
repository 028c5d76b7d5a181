package bot

// Completion needs proof: marking an assignment done asks for its output
// (the document's number and date, a file, or both); /review lists what
// waits for a coordinator, who accepts it or returns it with a comment.

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/telegram"
)

// reviewStore keeps the completions waiting for review and their proof
// (*store.Store: store/review.go; nil: no reviews).
type reviewStore interface {
	OpenReview(ctx context.Context, a domain.Assignment, officerID int64, officerName string) error
	AddProof(ctx context.Context, assignmentID, output string, file bool) error
	DropReview(ctx context.Context, assignmentID string) error
	WaitingReviews(ctx context.Context) ([]store.Review, error)
	DecideReview(ctx context.Context, assignmentID string, accept bool, by int64, byName, comment string) (store.Review, error)
}

// reviewedStore is what a decision reads and changes besides the review.
type reviewedStore interface {
	Apply(ctx context.Context, assignmentID string, ch domain.Change) (domain.Assignment, domain.Update, error)
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
	AssignmentByRef(ctx context.Context, ref string) (domain.Assignment, error)
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
}

type reviews struct {
	*core
	store       reviewStore // nil: reviews are not available
	assignments reviewedStore
	sessions    sessionStore
	changes     *changes
}

// maxReviewList bounds the completions /review shows at once.
const maxReviewList = 10

// afterChange opens or drops the review of a completion after an officer's
// change: done asks for the proof; taken back, the review goes.
func (f *reviews) afterChange(ctx context.Context, w who, moved domain.Assignment, u domain.Update) error {
	if f.store == nil {
		return nil
	}
	switch {
	case u.After.Done() && !u.Before.Done():
		if err := f.store.OpenReview(ctx, moved, w.ID, w.Name); err != nil {
			f.log.Error("open review", "assignment", moved.ID, "err", err)
			return nil
		}
		m := w.ask(w.t("review.ask_proof", escape(moved.TaskCode)), w.t("review.proof_placeholder"))
		if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: moved.ID, Awaiting: "proof", PromptID: m}); err != nil {
			f.log.Error("save session", "user", w.ID, "err", err)
		}
	case !u.After.Done() && u.Before.Done():
		if err := f.store.DropReview(ctx, moved.ID); err != nil {
			f.log.Error("drop review", "assignment", moved.ID, "err", err)
		}
		if se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge); err == nil && ok && se.Awaiting == "proof" && se.AssignmentID == moved.ID {
			_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: moved.ID})
		}
	}
	return nil
}

var digitRE = regexp.MustCompile(`\d`)

// proofText takes typed text when the bot waits for it: the output of a
// completion (officer) or the reason a completion is returned (admin). took
// is false when it waits for neither.
func (f *reviews) proofText(ctx context.Context, w who, m *telegram.Message) (took bool, err error) {
	if f.store == nil {
		return false, nil
	}
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	if err != nil || !ok {
		return false, nil
	}
	if r := m.ReplyTo; r != 0 && r != se.PromptID && f.changes.cards.abouts.isAbout(ctx, w.Chat, r) {
		return false, nil // a reply about another message: a note by reply
	}
	text := strings.TrimSpace(m.Text)
	switch se.Awaiting {
	case "proof":
		a, err := f.assignments.Assignment(ctx, se.AssignmentID)
		if err != nil || a.AgencyKey != w.Agency() {
			return false, nil
		}
		if !digitRE.MatchString(text) || len([]rune(text)) > maxNoteRunes {
			w.reply(w.t("review.proof_unreadable"))
			return true, nil // keep waiting
		}
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID})
		if err := f.store.AddProof(ctx, a.ID, text, false); err != nil {
			return true, fmt.Errorf("add proof: %w", err)
		}
		_, err = f.changes.apply(ctx, w, a, domain.Change{Kind: domain.AddNote, Note: w.t("review.output_note", text)}, 0)
		return true, err
	case "return":
		if !w.Admin {
			return false, nil
		}
		if text == "" || len([]rune(text)) > maxNoteRunes {
			w.reply(w.t("err.note_empty"))
			return true, nil
		}
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		return true, f.giveBack(ctx, w, se.AssignmentID, text)
	}
	return false, nil
}

// proofFile counts a file sent while the bot waits for a completion's
// proof; the file is stored as evidence as any other.
func (f *reviews) proofFile(ctx context.Context, w who) {
	if f.store == nil {
		return
	}
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	if err != nil || !ok || se.Awaiting != "proof" {
		return
	}
	if err := f.store.AddProof(ctx, se.AssignmentID, "", true); err != nil {
		f.log.Error("add proof file", "assignment", se.AssignmentID, "err", err)
	}
	_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: se.AssignmentID})
}

// list lists the completions waiting for review, each with Accept and
// Return buttons.
func (f *reviews) list(ctx context.Context, w who) error {
	if f.store == nil {
		w.reply(w.t("import.unavailable"))
		return nil
	}
	list, err := f.store.WaitingReviews(ctx)
	if err != nil {
		return fmt.Errorf("list reviews: %w", err)
	}
	if len(list) == 0 {
		w.reply(w.t("review.none"))
		return nil
	}
	w.reply(i18n.N(w.Lang, "review.header", len(list), len(list)))
	for i, r := range list {
		if i == maxReviewList {
			w.reply(w.t("review.more", len(list)-i))
			break
		}
		a, err := f.assignments.Assignment(ctx, r.AssignmentID)
		if err != nil {
			continue
		}
		t, _ := f.catalog.store.Task(ctx, r.TaskCode)
		ag, _ := f.catalog.store.Agency(ctx, r.AgencyKey)
		output := r.Output
		if output == "" {
			output = w.t("review.no_output")
		}
		text := w.t("review.item", escape(r.TaskCode), escape(i18n.Shorten(t.Title, 160)), escape(ag.Name), escape(r.OfficerName),
			i18n.Date(deadline.DateOf(r.DoneAt.In(f.cfg.Location))), escape(output), r.Files)
		w.replyKB(text, [][]domain.Button{{
			button(w.t("review.btn_accept"), domain.Callback{Verb: VerbReview, Ref: "a", Arg: a.Ref}),
			button(w.t("review.btn_return"), domain.Callback{Verb: VerbReview, Ref: "r", Arg: a.Ref})}})
	}
	return nil
}

// decide accepts a completion, or asks why it is returned.
func (f *reviews) decide(ctx context.Context, w who, cb domain.Callback) error {
	if f.store == nil {
		w.answer(w.t("err.admins_only"), true)
		return nil
	}
	a, err := f.assignments.AssignmentByRef(ctx, cb.Arg)
	if err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	switch cb.Ref {
	case "a":
		r, err := f.store.DecideReview(ctx, a.ID, true, w.ID, w.Name, "")
		if errors.Is(err, store.ErrReviewDecided) || errors.Is(err, store.ErrNotFound) {
			w.answer(w.t("review.decided"), true)
			return nil
		}
		if err != nil {
			return fmt.Errorf("accept review of %s: %w", a.ID, err)
		}
		w.answer(w.t("review.accepted_short"), false)
		w.edit(w.pressed(), w.t("review.accepted", escape(r.TaskCode), escape(w.Name)), nil)
	case "r":
		w.answer("", false)
		m := w.ask(w.t("review.ask_reason", escape(a.TaskCode)), w.t("review.reason_placeholder"))
		if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Awaiting: "return", PromptID: m}); err != nil {
			return fmt.Errorf("save session: %w", err)
		}
	default:
		w.answer(w.t("err.stale_button"), true)
	}
	return nil
}

// giveBack returns a completion with the coordinator's reason: the
// assignment goes back to in progress, the reason is its note, and the
// agency's officers are told why, with a button to open it.
func (f *reviews) giveBack(ctx context.Context, w who, id, reason string) error {
	r, err := f.store.DecideReview(ctx, id, false, w.ID, w.Name, reason)
	if errors.Is(err, store.ErrReviewDecided) || errors.Is(err, store.ErrNotFound) {
		w.reply(w.t("review.decided"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("return review: %w", err)
	}
	name := w.name()
	back := domain.Change{SourceID: w.Source + ":return", OfficerID: w.ID, OfficerName: name, Kind: domain.SetStatus, Status: domain.InProgress}
	moved, _, err := f.assignments.Apply(ctx, id, back)
	if err != nil && !errors.Is(err, domain.ErrNoChange) {
		return fmt.Errorf("return to in progress: %w", err)
	}
	progress := -1 // why the progress is what it is after the return (issue 23, point 4)
	if err == nil {
		f.sums.Applied(moved) // the summaries count it at once
		progress = moved.Progress
	}
	note := domain.Change{SourceID: w.Source + ":reason", OfficerID: w.ID, OfficerName: name, Kind: domain.AddNote, Note: w.t("review.reason_note", reason)}
	if moved, _, err := f.assignments.Apply(ctx, id, note); err != nil {
		f.log.Error("note the reason of a return", "assignment", id, "err", err)
	} else {
		f.sums.Applied(moved)
	}
	w.reply(w.t("review.returned", escape(r.TaskCode)))
	officers, err := f.assignments.Officers(ctx, r.AgencyKey)
	if err != nil {
		f.log.Error("officers of a returned completion", "agency", r.AgencyKey, "err", err)
		return nil
	}
	// Through the outbox, keyed by the update that returned it: a replay
	// queues nothing new, and 429s or a crash lose nothing.
	for _, o := range officers {
		ow := who{Lang: i18n.For(o.Lang)}
		open := [][]domain.Button{{button(ow.t("review.btn_open"), domain.Callback{Verb: domain.VerbOpen, Ref: domain.RefOf(id)})}}
		text := ow.t("review.returned_to_officer", escape(r.TaskCode), escape(name), escape(reason))
		if progress >= 0 {
			text += "\n" + ow.t("review.returned_progress", progress)
		}
		f.pushWith(ctx, pushKey("returned", w.Source, o.TelegramID), domain.Outgoing{ChatID: o.TelegramID, Text: text, Buttons: open})
	}
	return nil
}
