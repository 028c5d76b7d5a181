package bot

// The conversation state: the questions the bot asks (a note, a progress
// figure), their typed answers, notes by reply, and /cancel.

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/store"
)

// sessionAge is how long an opened task stays "open" for evidence and notes.
const sessionAge = 24 * time.Hour

// maxNoteRunes bounds a note, so that a task card with it fits one message.
const maxNoteRunes = 2000

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

// onText handles typed text: the answer to a question the bot asked, a reply
// to a message about a task, or anything else (a hint).
func (b *Bot) onText(ctx context.Context, w who, m *tgbotapi.Message) {
	if b.importText(ctx, w, m.Text) || b.proofText(ctx, w, m) { // issue 10: an import's question, a completion's proof or a return's reason
		return
	}
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	if err != nil {
		b.fail(w, "load session", err)
		return
	}
	if ok && se.Awaiting == "" && se.Answered != "" && se.Answered == w.Source {
		return // the replay of the answer that closed the question (a crash before it was marked handled)
	}
	if ok && se.Awaiting != "" && (m.ReplyToMessage == nil || m.ReplyToMessage.MessageID == se.PromptID || !b.isAbout(ctx, w.Chat, m.ReplyToMessage)) {
		b.answerPrompt(ctx, w, se, m.Text)
		return
	}
	if m.ReplyToMessage != nil && b.onReply(ctx, w, m) {
		return
	}
	b.onLooseText(ctx, w, m, se, ok)
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
		b.storeAnswer(ctx, w, se, text, domain.Change{Kind: domain.SetProgress, Progress: &v}, a)
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
		b.storeAnswer(ctx, w, se, text, domain.Change{Kind: domain.AddNote, Note: note}, a) // a note on a blocked task alerts leaders
	}
}

// storeAnswer stores a typed answer, then closes the question: a crash in
// between leaves it open, and the replayed answer is recognised by its
// source (ErrDuplicate). A failed write keeps the text with the question.
func (b *Bot) storeAnswer(ctx context.Context, w who, se store.Session, text string, ch domain.Change, a domain.Assignment) {
	if !b.applyChange(ctx, w, a, ch, "", 0) {
		se.Draft = text
		if err := b.Questions.SaveSession(ctx, se); err != nil {
			b.log().Error("keep a typed answer", "user", w.ID, "err", err)
		}
		return
	}
	if err := b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: a.ID, Answered: w.Source}); err != nil {
		b.log().Error("close the question", "user", w.ID, "err", err)
	}
}

func (b *Bot) cmdCancel(ctx context.Context, w who) {
	if b.cancelImport(ctx, w) { // issue 10
		return
	}
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	if err == nil && ok && se.Awaiting != "" {
		_ = b.Questions.SaveSession(ctx, store.Session{UserID: w.ID, AssignmentID: se.AssignmentID})
		b.reply(w.Chat, w.t("ok.cancelled"))
		return
	}
	b.reply(w.Chat, w.t("ok.nothing_to_cancel"))
}
