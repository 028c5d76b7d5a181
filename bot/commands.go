package bot

import (
	"context"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/i18n"
)

// Audience is a set of the kinds of people a command is for.
type Audience uint8

// The kinds of people. An admin counts as a leader too: admins may use every
// leaders' command.
const (
	Unlinked Audience = 1 << iota // not linked, not an admin
	Officers                      // focal officers of an agency
	Leaders                       // leaders, and admins
	Admins                        // admins (Sở KH&CN)

	Linked = Officers | Leaders | Admins
	Anyone = Unlinked | Linked
)

// audience is what kinds of person w is.
func (w who) audience() Audience {
	var a Audience
	if w.Agency() != "" {
		a |= Officers
	}
	if w.Leader() || w.Admin {
		a |= Leaders
	}
	if w.Admin {
		a |= Admins
	}
	if a == 0 {
		a = Unlinked
	}
	return a
}

// command is one chat command. Routing, the per-role menus (setMyCommands)
// and /help all come from the table of commands.
type command struct {
	// Name is the command as typed, without the slash; its menu text is
	// i18n "cmd.<Name>" and its /help line "help.cmd.<Name>".
	Name string
	// Aliases route to the same handler (Vietnamese names); not in menus.
	Aliases []string
	// Who may use it; anyone else gets Refusal (or "notlinked" when not
	// linked at all).
	Who Audience
	// Menu is whose command menu shows it (0: no menu).
	Menu Audience
	// Refusal is the i18n key told to a linked person outside Who.
	Refusal string
	// Run handles it; args is the text after the command.
	Run func(b *Bot, ctx context.Context, w who, args string)
}

// commands is the table of chat commands, in menu order. To add a command,
// add an entry here, its handler, and its "cmd.<name>" and
// "help.cmd.<name>" texts in i18n/vi.go and i18n/en.go.
func commands() []command {
	return []command{
		{Name: "start", Who: Anyone, Menu: Unlinked, Run: (*Bot).cmdStart},
		{Name: "tasks", Who: Officers, Menu: Officers, Refusal: "tasks.not_officer",
			Run: func(b *Bot, ctx context.Context, w who, _ string) { b.cmdTasks(ctx, w, 0, 0) }},
		{Name: "invite", Aliases: []string{"moi"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdInvite},
		{Name: "officers", Aliases: []string{"canbo"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdOfficers},
		{Name: "revoke", Aliases: []string{"thuhoi"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdRevoke},
		{Name: "summary", Aliases: []string{"tonghop"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only", Run: (*Bot).cmdSummary},
		{Name: "overdue", Aliases: []string{"quahan"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only", Run: (*Bot).cmdOverdue},
		{Name: "duesoon", Aliases: []string{"sapden"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only", Run: (*Bot).cmdDueSoon},
		{Name: "chart", Aliases: []string{"bieudo"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only", Run: (*Bot).cmdChart},
		{Name: "export", Aliases: []string{"xuat"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only", Run: (*Bot).cmdExport},
		{Name: "agencies", Aliases: []string{"coquan"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only", Run: (*Bot).cmdAgencies},
		{Name: "addagency", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdAddAgency},
		{Name: "renameagency", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdRenameAgency},
		{Name: "alias", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdAlias},
		{Name: "deactivate", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdDeactivate},
		{Name: "importplan", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdImportPlan},
		{Name: "importcommunes", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdImportCommunes},
		{Name: "review", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdReview},
		{Name: "setdue", Aliases: []string{"dathan"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdSetDue},
		{Name: "edittask", Aliases: []string{"suanhiemvu"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdEditTask},
		{Name: "template", Who: Admins, Menu: Admins, Refusal: "err.admins_only", Run: (*Bot).cmdTemplate},
		{Name: "task", Who: Linked, Menu: Linked, Run: (*Bot).cmdTask},
		{Name: "pause", Who: Officers, Menu: Officers, Refusal: "tasks.not_officer", Run: (*Bot).cmdPause},
		{Name: "resume", Who: Officers, Menu: Officers, Refusal: "tasks.not_officer",
			Run: func(b *Bot, ctx context.Context, w who, _ string) { b.cmdResume(ctx, w) }},
		{Name: "cancel", Who: Anyone, Menu: Officers,
			Run: func(b *Bot, ctx context.Context, w who, _ string) { b.cmdCancel(ctx, w) }},
		{Name: "whoami", Who: Anyone, Menu: Anyone,
			Run: func(b *Bot, ctx context.Context, w who, _ string) { b.cmdWhoami(ctx, w) }},
		{Name: "help", Who: Anyone, Menu: Anyone,
			Run: func(b *Bot, _ context.Context, w who, _ string) { b.reply(w.Chat, helpText(w)) }},
	}
}

// helpPrefix + a command's name is the key of its /help line.
const helpPrefix = "help.cmd."

// lookup finds a command by name or alias.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.Name == name {
			return c, true
		}
		for _, a := range c.Aliases {
			if a == name {
				return c, true
			}
		}
	}
	return command{}, false
}

// runCommand routes a command from the table, refusing it politely to
// whoever may not use it.
func (b *Bot) runCommand(ctx context.Context, w who, name, args string) {
	c, ok := lookup(name)
	switch {
	case !ok:
		b.reply(w.Chat, w.t("err.unknown_command", escape(name)))
	case c.Who&w.audience() != 0:
		c.Run(b, ctx, w, args)
	case w.audience() == Unlinked:
		b.reply(w.Chat, w.t("notlinked", w.ID))
	default:
		b.reply(w.Chat, w.t(c.Refusal))
	}
}

// menuFor is the command menu of one person, in table order.
func menuFor(w who) []string {
	var out []string
	for _, c := range commands() {
		if c.Menu&w.audience() != 0 {
			out = append(out, c.Name)
		}
	}
	return out
}

// helpText lists everything this person can do, role by role, from the
// table: an officer's commands and how a task card works, the leaders'
// commands (an admin is told they may use them), the admins' commands, and
// the commands for everyone.
func helpText(w who) string {
	aud := w.audience()
	if aud == Unlinked {
		return w.t("notlinked", w.ID)
	}
	lines := func(role Audience) []string {
		var out []string
		for _, c := range commands() {
			if c.Who&role != 0 && c.Who != Anyone {
				out = append(out, w.t(helpPrefix+c.Name))
			}
		}
		return out
	}
	var sections []string
	if aud&Officers != 0 {
		sections = append(sections, strings.Join(append(append([]string{w.t("help.role.officer")}, lines(Officers)...), w.t("help.card")), "\n"))
	}
	if aud&Leaders != 0 {
		head := []string{w.t("help.role.leader")}
		if w.Admin {
			head = append(head, w.t("help.admin_leads"))
		}
		sections = append(sections, strings.Join(append(head, lines(Leaders)...), "\n"))
	}
	if aud&Admins != 0 {
		sections = append(sections, strings.Join(append([]string{w.t("help.role.admin")}, lines(Admins)...), "\n"))
	}
	if aud&(Officers|Leaders) != 0 {
		sections = append(sections, w.t("help.lights"))
	}
	var common []string
	for _, c := range commands() {
		if c.Who == Anyone && c.Name != "start" {
			common = append(common, w.t(helpPrefix+c.Name))
		}
	}
	sections = append(sections, strings.Join(common, " · "))
	return strings.Join(sections, "\n\n")
}

func commandList(l i18n.Lang, names []string) []tgbotapi.BotCommand {
	out := make([]tgbotapi.BotCommand, 0, len(names))
	for _, n := range names {
		out = append(out, tgbotapi.BotCommand{Command: n, Description: i18n.T(l, "cmd."+n)})
	}
	return out
}

// setCommands sets the command menus at start: the default menu in
// Vietnamese and English, then each linked person's and admin's own menu.
// A failure is logged and never stops the bot.
func (b *Bot) setCommands(ctx context.Context) {
	unlinked := menuFor(who{})
	for _, l := range []struct {
		code string
		lang i18n.Lang
	}{{"", i18n.VI}, {"vi", i18n.VI}, {"en", i18n.EN}} {
		c := tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), l.code, commandList(l.lang, unlinked)...)
		if _, err := b.call(c); err != nil {
			b.log().Warn("setMyCommands (default) failed; the menu may be out of date", "lang", l.code)
		}
	}
	people, err := b.People.Officers(ctx, "")
	if err != nil {
		b.log().Warn("list officers for command menus", "err", err)
	}
	seen := map[int64]bool{}
	for _, o := range people {
		o := o
		seen[o.TelegramID] = true
		b.setUserCommands(who{ID: o.TelegramID, Lang: i18n.For(o.Lang), Officer: &o, Admin: b.Config.IsAdmin(o.TelegramID)})
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
