package bot

import (
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/i18n"
)

// In a group the bot shows no data. It answers only a command addressed to
// it by name (/tasks@<bot>), pointing to the private chat; a command for
// another bot (/tasks@OtherBot), a bare command (/tasks, which every bot in
// the group receives) and chatter get no answer.

// botName is the bot's @username, without the @.
func (b *Bot) botName() string {
	if b.username != "" {
		return b.username
	}
	return b.API.Username()
}

// addressedToMe tells whether a group message is a command addressed to
// this bot by name.
func (b *Bot) addressedToMe(m *tgbotapi.Message) bool {
	if !m.IsCommand() {
		return false
	}
	at := m.CommandWithAt()
	i := strings.Index(at, "@")
	name := b.botName()
	return i >= 0 && name != "" && strings.EqualFold(at[i+1:], name)
}

// onGroupMessage handles a message in a group or supergroup.
func (b *Bot) onGroupMessage(m *tgbotapi.Message) {
	if !b.addressedToMe(m) {
		return
	}
	b.reply(m.Chat.ID, i18n.T(i18n.For(m.From.LanguageCode), "group.private", b.botName()))
}
