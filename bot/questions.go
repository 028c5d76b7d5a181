package bot

// The conversation state: the questions the bot asks (a note, a progress
// figure), their typed answers, and /cancel. Typed text that answers no
// question goes on to typed.go.

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"agencybot/domain"
	"agencybot/store"
	"agencybot/telegram"
)

// sessionStore keeps each person's conversation state: the task they opened
// and the question the bot waits for them to answer (*store.Store).
type sessionStore interface {
	Session(ctx context.Context, userID int64, maxAge time.Duration) (store.Session, bool, error)
	SaveSession(ctx context.Context, se store.Session) error
}

// assignmentReader reads one assignment by id.
type assignmentReader interface {
	Assignment(ctx context.Context, id string) (domain.Assignment, error)
}

// sessionAge is how long an opened task stays "open" for evidence and notes.
const sessionAge = 24 * time.Hour

// maxNoteRunes bounds a note, so that a task card with it fits one message.
const maxNoteRunes = 2000

type questions struct {
	*core
	sessions    sessionStore
	assignments assignmentReader
	changes     *changes
	imports     *imports
	reviews     *reviews
	free        *freeText
	abouts      *abouts
	extensions  *extensions
	targets     *targets
}

// prompt asks the officer to type a note or a progress figure.
func (f *questions) prompt(ctx context.Context, w who, a domain.Assignment, kind string) error {
	var m int
	switch kind {
	case "progress":
		m = w.ask(w.t("ask.progress", escape(a.TaskCode)), "0–100")
	case "blocked_note":
		m = w.ask(w.t("ask.blocked_note", escape(a.TaskCode)), w.t("ask.note_placeholder"))
	default:
		m = w.ask(w.t("ask.note", escape(a.TaskCode)), w.t("ask.note_placeholder"))
	}
	if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Awaiting: kind, PromptID: m}); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// text handles typed text: an import's question, a completion's proof or a
// return's reason, the answer to a question the bot asked, a reply to a
// message about a task, or anything else (a hint).
func (f *questions) text(ctx context.Context, w who, m *telegram.Message) error {
	if took, err := f.imports.text(ctx, w, m.Text); took {
		return err
	}
	if took, err := f.reviews.proofText(ctx, w, m); took {
		return err
	}
	if took, err := f.extensions.text(ctx, w, m); took { // a date or reason of an extension
		return err
	}
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	if err != nil {
		return fmt.Errorf("load session: %w", err)
	}
	if ok && se.Awaiting == "" && se.Answered != "" && se.Answered == w.Source {
		return nil // the replay of the answer that closed the question (a crash before it was marked handled)
	}
	if ok && answersTarget(se) && (m.ReplyTo == 0 || m.ReplyTo == se.PromptID || !f.abouts.isAbout(ctx, w.Chat, m.ReplyTo)) {
		return f.targets.answer(ctx, w, se, m.Text)
	}
	if ok && se.Awaiting != "" && (m.ReplyTo == 0 || m.ReplyTo == se.PromptID || !f.abouts.isAbout(ctx, w.Chat, m.ReplyTo)) {
		return f.answer(ctx, w, se, m.Text)
	}
	if m.ReplyTo != 0 {
		if took, err := f.free.reply(ctx, w, m); took {
			return err
		}
	}
	return f.free.loose(ctx, w, m, se, ok)
}

var progressRE = regexp.MustCompile(`^\s*(\d{1,3})\s*%?\s*$`)

// answer takes the typed answer to the question se.
func (f *questions) answer(ctx context.Context, w who, se store.Session, text string) error {
	a, err := f.assignments.Assignment(ctx, se.AssignmentID)
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("load assignment %s: %w", se.AssignmentID, err) // the question stays open
	}
	if err != nil || a.AgencyKey != w.Agency() || a.Withdrawn {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID})
		w.reply(w.t("err.stale_prompt"))
		return nil
	}
	switch se.Awaiting {
	case "progress":
		mm := progressRE.FindStringSubmatch(text)
		v := -1
		if mm != nil {
			v, _ = strconv.Atoi(mm[1])
		}
		if v < 0 || v > 100 {
			w.reply(w.t("err.progress_number"))
			return nil // keep waiting
		}
		return f.keep(ctx, w, se, text, domain.Change{Kind: domain.SetProgress, Progress: &v}, a)
	default: // note, blocked_note
		note := strings.TrimSpace(text)
		if n := len([]rune(note)); n > maxNoteRunes {
			w.reply(w.t("err.note_too_long", n, maxNoteRunes))
			return nil // keep waiting
		}
		if note == "" {
			w.reply(w.t("err.note_empty"))
			return nil
		}
		return f.keep(ctx, w, se, text, domain.Change{Kind: domain.AddNote, Note: note}, a) // a note on a blocked task alerts leaders
	}
}

// keep stores a typed answer, then closes the question: a crash in
// between leaves it open, and the replayed answer is recognised by its
// source (ErrDuplicate). A failed write keeps the text with the question.
func (f *questions) keep(ctx context.Context, w who, se store.Session, text string, ch domain.Change, a domain.Assignment) error {
	settled, err := f.changes.apply(ctx, w, a, ch, 0)
	if !settled {
		se.Draft = text
		if err := f.sessions.SaveSession(ctx, se); err != nil {
			f.log.Error("keep a typed answer", "user", w.ID, "err", err)
		}
		return err
	}
	if err := f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Answered: w.Source}); err != nil {
		f.log.Error("close the question", "user", w.ID, "err", err)
	}
	return err
}

// cancel drops an import in progress or the question the bot waits for.
func (f *questions) cancel(ctx context.Context, w who) error {
	if took, err := f.imports.cancel(ctx, w); took {
		return err
	}
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	if err == nil && ok && se.Awaiting != "" {
		_ = f.sessions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: se.AssignmentID})
		w.reply(w.t("ok.cancelled"))
		return nil
	}
	w.reply(w.t("ok.nothing_to_cancel"))
	return nil
}
