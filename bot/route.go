package bot

import (
	"context"
	"errors"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// who is the person behind an update: their language, whether they are an
// admin, and their link (officer or leader) if any.
type who struct {
	ID      int64
	Name    string
	User    string
	Lang    i18n.Lang
	LangRaw string
	Admin   bool
	Officer *domain.Officer // nil when not linked
	Chat    int64
	Source  string // "tg:<update_id>": identifies what a change came from
}

func (w who) Leader() bool { return w.Officer != nil && w.Officer.Role == domain.RoleLeader }

// OfficerOf is the agency the person reports for ("" when none).
func (w who) Agency() string {
	if w.Officer != nil && w.Officer.Role == domain.RoleOfficer {
		return w.Officer.AgencyKey
	}
	return ""
}

// Sees tells whether the person may see leadership views.
func (w who) Sees() bool { return w.Admin || w.Leader() }

func (w who) t(key string, args ...any) string { return i18n.T(w.Lang, key, args...) }

func fullName(u *tgbotapi.User) string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// identify loads who the user is.
func (b *Bot) identify(ctx context.Context, u *tgbotapi.User, chat int64, updateID int) (who, error) {
	w := who{ID: u.ID, Name: fullName(u), User: u.UserName, Lang: i18n.For(u.LanguageCode), LangRaw: u.LanguageCode,
		Admin: b.Config.IsAdmin(u.ID), Chat: chat, Source: "tg:" + itoa(updateID)}
	o, err := b.People.Officer(ctx, u.ID)
	switch {
	case err == nil:
		w.Officer = &o
		if o.Unreachable { // they blocked the bot once; writing to it again means they can be reached
			if err := b.People.SetUnreachable(ctx, u.ID, false); err != nil {
				b.log().Warn("clear unreachable", "user", u.ID, "err", err)
			}
		}
		if o.Name != w.Name || o.Username != w.User || o.Lang != u.LanguageCode {
			if err := b.People.TouchOfficer(ctx, u.ID, w.Name, w.User, u.LanguageCode); err != nil {
				b.log().Warn("refresh officer", "user", u.ID, "err", err)
			}
		}
	case errors.Is(err, store.ErrNotFound):
	default:
		return w, err
	}
	return w, nil
}

// route sends an update to its handler. Every update type is accepted; what
// the bot does not handle gets a short answer or silence.
func (b *Bot) route(ctx context.Context, u tgbotapi.Update) {
	switch {
	case u.CallbackQuery != nil:
		b.onCallback(ctx, u.UpdateID, u.CallbackQuery)
	case u.Message != nil:
		b.onMessage(ctx, u.UpdateID, u.Message)
	case u.EditedMessage != nil:
		m := u.EditedMessage
		if m.Chat != nil && m.Chat.IsPrivate() && m.From != nil {
			b.reply(m.Chat.ID, i18n.T(i18n.For(m.From.LanguageCode), "err.edited"))
		}
	default:
		// Channel posts, membership changes, polls…: nothing to do.
	}
}

func (b *Bot) onMessage(ctx context.Context, updateID int, m *tgbotapi.Message) {
	if m.From == nil || m.Chat == nil || m.From.IsBot {
		return
	}
	lang := i18n.For(m.From.LanguageCode)
	if !m.Chat.IsPrivate() {
		b.onGroupMessage(m) // no data in groups: see group.go
		return
	}
	w, err := b.identify(ctx, m.From, m.Chat.ID, updateID)
	if err != nil {
		b.log().Error("identify user", "user", m.From.ID, "err", err)
		b.noteFailure(failureKey(updateID), err)
		b.reply(m.Chat.ID, i18n.T(lang, "err.internal"))
		return
	}
	if m.IsCommand() {
		b.onCommand(ctx, w, m)
		return
	}
	if code, ok := pastedInvite(m.Text, w.Officer == nil && !w.Admin); ok && m.ReplyToMessage == nil {
		b.cmdStart(ctx, w, code) // an invite code pasted without /start
		return
	}
	if w.Officer == nil && !w.Admin {
		b.reply(w.Chat, w.t("notlinked", w.ID))
		return
	}
	switch {
	case m.Document != nil || len(m.Photo) > 0:
		b.onFile(ctx, w, m)
	case m.Text != "":
		b.onText(ctx, w, m)
	default:
		b.reply(w.Chat, w.t("err.unsupported"))
	}
}

func (b *Bot) onCommand(ctx context.Context, w who, m *tgbotapi.Message) {
	cmd := strings.ToLower(m.Command())
	if at := m.CommandWithAt(); strings.Contains(at, "@") && b.username != "" && !strings.EqualFold(at[strings.Index(at, "@")+1:], b.username) {
		return // addressed to another bot
	}
	b.runCommand(ctx, w, cmd, strings.TrimSpace(m.CommandArguments()))
}

func (b *Bot) onCallback(ctx context.Context, updateID int, q *tgbotapi.CallbackQuery) {
	lang := i18n.For(q.From.LanguageCode)
	if q.Message == nil || q.Message.Chat == nil || !q.Message.Chat.IsPrivate() {
		b.answer(q.ID, i18n.T(lang, "err.group"), true)
		return
	}
	w, err := b.identify(ctx, q.From, q.Message.Chat.ID, updateID)
	if err != nil {
		b.log().Error("identify user", "user", q.From.ID, "err", err)
		b.noteFailure(failureKey(updateID), err)
		b.answer(q.ID, i18n.T(lang, "err.internal"), true)
		return
	}
	cb, ok := domain.ParseCallback(q.Data)
	if !ok {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	if w.Officer == nil && !w.Admin {
		b.answer(q.ID, w.t("notlinked.short"), true)
		return
	}
	msgID := q.Message.MessageID
	switch cb.Verb {
	case domain.VerbOpen:
		b.cbOpen(ctx, w, q, cb, msgID)
	case domain.VerbStatus, domain.VerbProgress, domain.VerbNote, domain.VerbCorrect, domain.VerbHistory:
		b.cbAssignment(ctx, w, q, cb, msgID)
	case domain.VerbList:
		b.cbList(ctx, w, q, cb, msgID)
	case domain.VerbInvite:
		if !w.Admin {
			b.answer(q.ID, w.t("err.admins_only"), true)
			return
		}
		b.cbInvite(ctx, w, q, cb)
	case VerbPause:
		b.cbPause(ctx, w, q, cb, msgID)
	case VerbImport:
		b.cbImport(ctx, w, q, cb, msgID)
	case VerbReview:
		b.cbReview(ctx, w, q, cb, msgID)
	case VerbAgency:
		b.cbAgency(ctx, w, q, cb, msgID)
	case VerbOfficers:
		b.cbOfficers(ctx, w, q, cb)
	case VerbMove:
		b.cbMove(ctx, w, q, cb, msgID)
	case VerbTyped:
		b.cbTyped(ctx, w, q, cb, msgID)
	case VerbUndo:
		b.cbUndo(ctx, w, q, cb, msgID)
	case VerbScope:
		b.cbScope(ctx, w, q, cb)
	case VerbTask:
		b.cbTask(ctx, w, q, cb)
	default:
		b.answer(q.ID, w.t("err.stale_button"), true)
	}
}
