package bot

import (
	"context"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/i18n"
)

// menus: the commands each role sees, in the order shown.
var (
	menuEveryone = []string{"start", "help", "whoami"}
	menuOfficer  = []string{"tasks", "task", "pause", "resume", "cancel", "whoami", "help"}
	menuLeader   = []string{"summary", "overdue", "duesoon", "task", "whoami", "help"}
	menuAdmin    = []string{"invite", "officers", "revoke", "summary", "overdue", "duesoon", "task", "whoami", "help"}
)

func commandList(l i18n.Lang, names []string) []tgbotapi.BotCommand {
	out := make([]tgbotapi.BotCommand, 0, len(names))
	for _, n := range names {
		out = append(out, tgbotapi.BotCommand{Command: n, Description: i18n.T(l, "cmd."+n)})
	}
	return out
}

// menuFor is the command menu of one person.
func menuFor(w who) []string {
	switch {
	case w.Admin && w.Agency() != "":
		return append(append([]string{}, menuOfficer[:5]...), menuAdmin...)
	case w.Admin:
		return menuAdmin
	case w.Leader():
		return menuLeader
	case w.Agency() != "":
		return menuOfficer
	}
	return menuEveryone
}

// setCommands sets the command menus at start: the default menu in
// Vietnamese and English, then each linked person's and admin's own menu.
// A failure is logged and never stops the bot.
func (b *Bot) setCommands(ctx context.Context) {
	for _, l := range []struct {
		code string
		lang i18n.Lang
	}{{"", i18n.VI}, {"vi", i18n.VI}, {"en", i18n.EN}} {
		c := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), l.code, commandList(l.lang, menuEveryone)...)
		if _, err := b.call(c); err != nil {
			b.log().Warn("setMyCommands (default) failed; the menu may be out of date", "lang", l.code)
		}
	}
	people, err := b.Store.Officers(ctx, "")
	if err != nil {
		b.log().Warn("list officers for command menus", "err", err)
	}
	seen := map[int64]bool{}
	for _, o := range people {
		o := o
		seen[o.TelegramID] = true
		b.setUserCommands(who{ID: o.TelegramID, Lang: langOf(o.Lang), Officer: &o, Admin: b.Config.IsAdmin(o.TelegramID)})
	}
	for _, id := range b.Config.AdminIDs {
		if !seen[id] {
			b.setUserCommands(who{ID: id, Lang: i18n.VI, Admin: true})
		}
	}
}

// setUserCommands sets one person's menu (chat scope) in their language.
func (b *Bot) setUserCommands(w who) {
	c := tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(w.ID), commandList(w.Lang, menuFor(w))...)
	if _, err := b.call(c); err != nil {
		b.log().Warn("setMyCommands for a user failed", "user", w.ID)
	}
}
