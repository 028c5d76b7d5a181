package bot

import (
	"strings"

	"agencybot/i18n"
	"agencybot/telegram"
)

// In a group the bot shows no data. It answers only a command addressed to
// it by name (/tasks@<bot>), pointing to the private chat; a command for
// another bot (/tasks@OtherBot), a bare command (/tasks, which every bot in
// the group receives) and chatter get no answer.
type groups struct {
	*core
}

// message handles a message in a group or supergroup.
func (g *groups) message(u telegram.Update, out telegram.Replier) {
	m, name := u.Message, g.botName()
	if m.Command == "" || !m.Named || name == "" || !strings.EqualFold(m.To, name) {
		return
	}
	out.Send(u.Chat.ID, i18n.T(i18n.For(u.From.Lang), "group.private", name), nil)
}
