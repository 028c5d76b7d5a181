package bot

import (
	"context"
	"errors"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/telegram"
)

// who is the person behind an update: their language, whether they are an
// admin, their link (officer or leader) if any, and how to answer them.
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

	// out answers them (nil for someone the bot writes to on its own,
	// through the outbox); press is the button they pressed (nil for a
	// message).
	out   telegram.Replier
	press *telegram.Press
}

func (w who) Leader() bool { return w.Officer != nil && w.Officer.Role == domain.RoleLeader }

// Agency is the agency the person reports for ("" when none).
func (w who) Agency() string {
	if w.Officer != nil && w.Officer.Role == domain.RoleOfficer {
		return w.Officer.AgencyKey
	}
	return ""
}

// Sees tells whether the person may see leadership views.
func (w who) Sees() bool { return w.Admin || w.Leader() }

func (w who) t(key string, args ...any) string { return i18n.T(w.Lang, key, args...) }

// name is how a change or an edit names the person.
func (w who) name() string {
	if w.Name != "" {
		return w.Name
	}
	return "@" + w.User
}

// reply sends an HTML text to the person's chat and returns the id of the
// (last) message sent.
func (w who) reply(text string) int { return w.out.Send(w.Chat, text, nil) }

// replyKB sends a text with an inline keyboard (kept on the last part).
func (w who) replyKB(text string, kb telegram.Keyboard) int { return w.out.Send(w.Chat, text, kb) }

// ask sends a question whose answer the person types.
func (w who) ask(text, placeholder string) int { return w.out.Ask(w.Chat, text, placeholder) }

// edit replaces a message of the chat (or sends the text anew) and returns
// the id of the message shown.
func (w who) edit(msgID int, text string, kb telegram.Keyboard) int {
	return w.out.Edit(w.Chat, msgID, text, kb)
}

// strip takes the buttons away from a message of the chat.
func (w who) strip(msgID int) { w.out.Strip(w.Chat, msgID) }

// answer answers the button the person pressed; alert shows a dialog.
func (w who) answer(text string, alert bool) {
	if w.press != nil {
		w.out.Answer(w.press.ID, text, alert)
	}
}

// pressed is the message the pressed button is on (0: none).
func (w who) pressed() int {
	if w.press == nil {
		return 0
	}
	return w.press.MessageID
}

// identityStore is what identify reads and refreshes of a person.
type identityStore interface {
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
	TouchOfficer(ctx context.Context, id int64, name, username, lang string) error
	SetUnreachable(ctx context.Context, id int64, v bool) error
}

// identify loads who the sender of u is.
func (b *Bot) identify(ctx context.Context, u telegram.Update, out telegram.Replier) (who, error) {
	f := u.From
	w := who{ID: f.ID, Name: f.FullName(), User: f.Username, Lang: i18n.For(f.Lang), LangRaw: f.Lang,
		Admin: b.cfg.IsAdmin(f.ID), Chat: u.Chat.ID, Source: "tg:" + itoa(u.ID), out: out, press: u.Press}
	o, err := b.ids.Officer(ctx, f.ID)
	switch {
	case err == nil:
		w.Officer = &o
		if o.Unreachable { // they blocked the bot once; writing to it again means they can be reached
			if err := b.ids.SetUnreachable(ctx, f.ID, false); err != nil {
				b.log.Warn("clear unreachable", "user", f.ID, "err", err)
			}
		}
		if o.Name != w.Name || o.Username != w.User || o.Lang != f.Lang {
			if err := b.ids.TouchOfficer(ctx, f.ID, w.Name, w.User, f.Lang); err != nil {
				b.log.Warn("refresh officer", "user", f.ID, "err", err)
			}
		}
	case errors.Is(err, store.ErrNotFound):
	default:
		return w, err
	}
	return w, nil
}
