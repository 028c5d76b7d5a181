package bot

import (
	"context"

	"agencybot/domain"
	"agencybot/i18n"
)

// Notices: messages the bot sends on its own to someone other than the
// person it is answering (issue 9). Each notice's text comes from one
// function; all of them go out through notify, the one place to change when
// they move to the outbox.

// notify sends a notice to a person who did not ask for it.
func (b *Bot) notify(chat int64, text string) { b.reply(chat, text) }

// revokedNotice tells someone their link was revoked; role is what they
// were (roleText).
func revokedNotice(l i18n.Lang, role string) string {
	return i18n.T(l, "revoked.notice", role)
}

// moveNotice tells an admin that an officer moved from one link to another
// by opening an invite; from and to are roleText descriptions.
func moveNotice(l i18n.Lang, name string, id int64, from, to, code string) string {
	return i18n.T(l, "move.notice", escape(name), id, from, to, code)
}

// substituteEndedNotice tells a substitute that the colleague they stood in
// for receives their reminders again.
func substituteEndedNotice(l i18n.Lang, name string) string {
	return i18n.T(l, "pause.substitute_ended", escape(name))
}

// roleText describes a link in l (HTML): "Cán bộ đầu mối của Sở Y tế" or
// "Lãnh đạo UBND tỉnh".
func (b *Bot) roleText(ctx context.Context, l i18n.Lang, role domain.OfficerRole, agencyKey string) string {
	if role == domain.RoleLeader {
		return i18n.T(l, "whoami.leader")
	}
	name := agencyKey
	if ag, err := b.Catalog.Agency(ctx, agencyKey); err == nil {
		name = ag.Name
	}
	return i18n.T(l, "whoami.officer", escape(name))
}
