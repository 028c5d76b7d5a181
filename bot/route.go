package bot

import (
	"context"
	"fmt"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/telegram"
)

// Handle routes one update (telegram.Handler): a press to the verb table, a
// command to the command table, any other message to the feature that
// takes it. Every update type is accepted; what the bot does not handle
// gets a short answer or silence.
func (b *Bot) Handle(ctx context.Context, u telegram.Update, out telegram.Replier) error {
	switch {
	case u.Press != nil:
		return b.onPress(ctx, u, out)
	case u.Message != nil && u.Edited:
		if u.Chat != nil && u.Chat.Private && u.From != nil {
			out.Send(u.Chat.ID, i18n.T(i18n.For(u.From.Lang), "err.edited"), nil)
		}
	case u.Message != nil:
		return b.onMessage(ctx, u, out)
	default:
		// Channel posts, membership changes, polls…: nothing to do.
	}
	return nil
}

func (b *Bot) onMessage(ctx context.Context, u telegram.Update, out telegram.Replier) error {
	m := u.Message
	if u.From == nil || u.Chat == nil || u.From.IsBot {
		return nil
	}
	if !u.Chat.Private {
		b.groups.message(u, out) // no data in groups: see group.go
		return nil
	}
	w, err := b.identify(ctx, u, out)
	if err != nil {
		return fmt.Errorf("identify user %d: %w", u.From.ID, err)
	}
	if m.Command != "" {
		if name := b.botName(); m.Named && name != "" && !strings.EqualFold(m.To, name) {
			return nil // addressed to another bot
		}
		return b.runCommand(ctx, w, strings.ToLower(m.Command), strings.TrimSpace(m.Args))
	}
	if code, ok := pastedInvite(m.Text, w.Officer == nil && !w.Admin); ok && m.ReplyTo == 0 {
		return b.linking.start(ctx, w, code) // an invite code pasted without /start
	}
	if w.Officer == nil && !w.Admin {
		w.reply(w.t("notlinked", w.ID))
		return nil
	}
	switch {
	case m.Document != nil || m.Photo != nil:
		return b.evidence.file(ctx, w, m)
	case m.Text != "":
		return b.questions.text(ctx, w, m)
	default:
		w.reply(w.t("err.unsupported"))
	}
	return nil
}

func (b *Bot) onPress(ctx context.Context, u telegram.Update, out telegram.Replier) error {
	q := u.Press
	if u.From == nil {
		return nil // nobody to answer
	}
	lang := i18n.For(u.From.Lang)
	if u.Chat == nil || !u.Chat.Private {
		out.Answer(q.ID, i18n.T(lang, "err.group"), true)
		return nil
	}
	w, err := b.identify(ctx, u, out)
	if err != nil {
		return fmt.Errorf("identify user %d: %w", u.From.ID, err)
	}
	cb, ok := domain.ParseCallback(q.Data)
	if !ok {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	return b.runVerb(ctx, w, cb)
}
