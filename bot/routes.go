package bot

// The one place the bot registers what it handles: the table of chat
// commands and the table of button verbs. Routing, the per-role command
// menus (setMyCommands), /help, and who may press what all come from them.
//
// To add a command: an entry in commands() with its handler, and its
// "cmd.<name>" and "help.cmd.<name>" texts in i18n/vi.go and i18n/en.go.
// To add a button: its verb below (or in domain/outgoing.go when the
// reminders put it under their messages too) and an entry in verbs().

import (
	"context"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/telegram"
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

// command is one chat command.
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
	// Run handles it; args is the text after the command. An error is a
	// failure on our side: the runtime logs it and tells the person.
	Run func(b *Bot, ctx context.Context, w who, args string) error
}

// commands is the table of chat commands, in menu order.
func commands() []command {
	return []command{
		{Name: "start", Who: Anyone, Menu: Unlinked,
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.linking.start(ctx, w, a) }},
		{Name: "tasks", Who: Officers, Menu: Officers, Refusal: "tasks.not_officer",
			Run: func(b *Bot, ctx context.Context, w who, _ string) error { return b.tasks.list(ctx, w, 0, 0) }},
		{Name: "invite", Aliases: []string{"moi"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.invites.invite(ctx, w, a) }},
		{Name: "invites", Aliases: []string{"mamoi"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.invites.list(ctx, w) }},
		{Name: "officers", Aliases: []string{"canbo"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.officers.list(ctx, w, a) }},
		{Name: "revoke", Aliases: []string{"thuhoi"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.officers.revoke(ctx, w, a) }},
		{Name: "summary", Aliases: []string{"tonghop"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error {
				return b.leaders.command(ctx, w, "summary", a)
			}},
		{Name: "overdue", Aliases: []string{"quahan"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error {
				return b.leaders.command(ctx, w, "overdue", a)
			}},
		{Name: "duesoon", Aliases: []string{"sapden"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.leaders.dueSoonCommand(ctx, w, a) }},
		{Name: "chart", Aliases: []string{"bieudo"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error {
				if targetsWord(a) {
					return b.reports.targetsChart(ctx, w)
				}
				return b.leaders.command(ctx, w, "chart", a)
			}},
		{Name: "export", Aliases: []string{"xuat"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error {
				return b.leaders.command(ctx, w, "export", a)
			}},
		{Name: "report", Aliases: []string{"baocao"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.reports.reportOf(ctx, w, a) }},
		{Name: "targets", Aliases: []string{"chitieu"}, Who: Linked, Menu: Linked,
			Run: func(b *Bot, ctx context.Context, w who, _ string) error { return b.targets.list(ctx, w, false) }},
		{Name: "target", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.targets.show(ctx, w, a) }},
		{Name: "agencies", Aliases: []string{"coquan"}, Who: Leaders, Menu: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, _ string) error { return b.agencies.list(ctx, w) }},
		{Name: "addagency", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.agencies.add(ctx, w, a) }},
		{Name: "renameagency", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.agencies.rename(ctx, w, a) }},
		{Name: "alias", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.agencies.alias(ctx, w, a) }},
		{Name: "deactivate", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.agencies.deactivate(ctx, w, a) }},
		{Name: "importplan", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error {
				return b.imports.start(ctx, w, importPlan, a)
			}},
		{Name: "importcommunes", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, _ string) error {
				return b.imports.start(ctx, w, importCommunes, "")
			}},
		{Name: "review", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, _ string) error { return b.reviews.list(ctx, w) }},
		{Name: "setdue", Aliases: []string{"dathan"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.edits.setDue(ctx, w, a) }},
		{Name: "edittask", Aliases: []string{"suanhiemvu"}, Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.edits.edit(ctx, w, a) }},
		{Name: "template", Who: Admins, Menu: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, _ context.Context, w who, _ string) error { return b.imports.template(w) }},
		{Name: "task", Who: Linked, Menu: Linked,
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.task.show(ctx, w, a) }},
		{Name: "pause", Who: Officers, Menu: Officers, Refusal: "tasks.not_officer",
			Run: func(b *Bot, ctx context.Context, w who, a string) error { return b.pausing.pause(ctx, w, a) }},
		{Name: "resume", Who: Officers, Menu: Officers, Refusal: "tasks.not_officer",
			Run: func(b *Bot, ctx context.Context, w who, _ string) error { return b.pausing.resume(ctx, w) }},
		{Name: "cancel", Who: Anyone, Menu: Officers,
			Run: func(b *Bot, ctx context.Context, w who, _ string) error { return b.questions.cancel(ctx, w) }},
		{Name: "whoami", Who: Anyone, Menu: Anyone,
			Run: func(b *Bot, ctx context.Context, w who, _ string) error { return b.linking.whoami(ctx, w) }},
		{Name: "help", Who: Anyone, Menu: Anyone,
			Run: func(_ *Bot, _ context.Context, w who, _ string) error { w.reply(helpText(w)); return nil }},
	}
}

// The bot's own button verbs (those the reminders put under their messages
// too are in domain/outgoing.go). Callback data is "verb|ref|arg" and
// always re-checked on the server.
const (
	VerbPause        = "z"  // confirm a pause: Ref = days, Arg = substitute id (0 = none)
	VerbImport       = "ip" // an import's buttons: Ref = the action, Arg = its detail
	VerbReview       = "rv" // /review: Ref = "a" (accept), "r" (return), "f<i>" (send file i of its proof), "u<version>" (send the file of that update, from /task) or "l" (list what waits), Arg = the assignment's ref
	VerbAgency       = "ag" // agency management: Ref = "d" (deactivate, confirmed) or "x" (cancel), Arg = the agency key
	VerbOfficers     = "ov" // /officers of an agency: Ref = agency key
	VerbMove         = "mv" // move to another link: Ref = invite code, Arg = "1" move, "0" keep
	VerbTyped        = "t"  // the one-tap choice for a typed text: Ref = the draft's key, Arg = "n<i>" (a note on the i-th task), "p<i>" (its progress) or "x" (drop it)
	VerbUndo         = "u"  // confirm a correction: Ref = assignment ref, Arg = the version of the update to withdraw, or "x" to keep it
	VerbScope        = "sc" // pick one agency for a leader's command: Ref = agency key, Arg = command name + "~" + plan key
	VerbTask         = "tk" // open a task (read-only for a leader, or an officer's card of another agency): Ref = task code
	VerbInviteCancel = "ic" // cancel an invite nobody used (/invites): Ref = the code
	VerbMonthly      = "mo" // the monthly view under a chart (bot/monthly.go): Ref = agency key ("" all), Arg = plan key ("" all)
	VerbExtend       = "x"  // ask for an extension (gia hạn): Ref = assignment ref
	VerbExtended     = "xd" // decide one: Ref = assignment ref, Arg = "a" (approve), "o" (another date) or "r" (refuse) + the request's key
)

// verb is one kind of button.
type verb struct {
	// Verb is the first part of the callback data.
	Verb string
	// Help says what pressing it does.
	Help string
	// Who may press it; a linked person outside Who gets Refusal as an
	// alert (someone not linked at all: "notlinked.short").
	Who     Audience
	Refusal string
	// Run handles a press; w.press is the button pressed. An error is a
	// failure on our side: the runtime logs it and tells the person.
	Run func(b *Bot, ctx context.Context, w who, cb domain.Callback) error
}

// verbs is the table of button verbs.
func verbs() []verb {
	return []verb{
		{Verb: domain.VerbOpen, Help: "open an assignment's card", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.cards.open(ctx, w, cb) }},
		{Verb: domain.VerbStatus, Help: "set an assignment's status", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.changes.status(ctx, w, cb)
			}},
		{Verb: domain.VerbProgress, Help: "set an assignment's progress, or ask for it", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.changes.progress(ctx, w, cb)
			}},
		{Verb: domain.VerbNote, Help: "ask for a note on an assignment", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.changes.note(ctx, w, cb) }},
		{Verb: domain.VerbCorrect, Help: "show what correcting the last update would undo", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.correct.ask(ctx, w, cb.Ref)
			}},
		{Verb: domain.VerbHistory, Help: "show an assignment's history", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.cards.history(ctx, w, cb) }},
		{Verb: domain.VerbList, Help: "turn a page of /tasks", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.tasks.page(ctx, w, cb) }},
		{Verb: domain.VerbInvite, Help: "invite an officer of the agency chosen", Who: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.invites.chosen(ctx, w, cb)
			}},
		{Verb: VerbPause, Help: "pause an officer's reminders, with the substitute chosen", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.pausing.confirmed(ctx, w, cb)
			}},
		{Verb: VerbImport, Help: "move an import on", Who: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.imports.button(ctx, w, cb)
			}},
		{Verb: VerbReview, Help: "accept or return a completion", Who: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.reviews.decide(ctx, w, cb)
			}},
		{Verb: VerbAgency, Help: "deactivate an agency, or keep it", Who: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.agencies.confirmed(ctx, w, cb)
			}},
		{Verb: VerbOfficers, Help: "list the officers of the agency chosen", Who: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.officers.chosen(ctx, w, cb)
			}},
		{Verb: VerbMove, Help: "move to the link of an invite, or keep the current one", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.linking.move(ctx, w, cb) }},
		{Verb: VerbTyped, Help: "say what a typed text is for", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.free.chosen(ctx, w, cb) }},
		{Verb: VerbUndo, Help: "withdraw the update shown, or keep it", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.correct.undo(ctx, w, cb) }},
		{Verb: VerbScope, Help: "run a leader's command for the agency chosen", Who: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.leaders.scoped(ctx, w, cb)
			}},
		{Verb: VerbInviteCancel, Help: "cancel an unused invite", Who: Admins, Refusal: "err.admins_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.invites.cancel(ctx, w, cb)
			}},
		{Verb: VerbMonthly, Help: "the monthly view of a chart's scope", Who: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.leaders.monthlyPressed(ctx, w, cb)
			}},
		{Verb: VerbExtend, Help: "ask for an extension (gia hạn) of an agency's part", Who: Officers, Refusal: "tasks.not_officer",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.extensions.ask(ctx, w, cb)
			}},
		{Verb: VerbExtended, Help: "approve an extension, approve another date, or refuse it", Who: Leaders, Refusal: "ext.not_approver",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.extensions.decide(ctx, w, cb)
			}},
		{Verb: domain.VerbTarget, Help: "open a target, report or correct its value", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.targets.pressed(ctx, w, cb)
			}},
		{Verb: domain.VerbReport, Help: "build the report upward of a period", Who: Leaders, Refusal: "err.leaders_only",
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error {
				return b.reports.reportPressed(ctx, w, cb)
			}},
		{Verb: VerbTask, Help: "open a task", Who: Linked,
			Run: func(b *Bot, ctx context.Context, w who, cb domain.Callback) error { return b.task.opened(ctx, w, cb) }},
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

// verbOf finds a button verb.
func verbOf(v string) (verb, bool) {
	for _, e := range verbs() {
		if e.Verb == v {
			return e, true
		}
	}
	return verb{}, false
}

// runCommand routes a command from the table, refusing it politely to
// whoever may not use it.
func (b *Bot) runCommand(ctx context.Context, w who, name, args string) error {
	c, ok := lookup(name)
	switch {
	case !ok:
		w.reply(w.t("err.unknown_command", escape(name)))
	case c.Who&w.audience() != 0:
		return c.Run(b, ctx, w, args)
	case w.audience() == Unlinked:
		w.reply(w.t("notlinked", w.ID))
	default:
		w.reply(w.t(c.Refusal))
	}
	return nil
}

// runVerb routes a press from the table, refusing it to whoever may not
// press it; an unknown verb is a stale button.
func (b *Bot) runVerb(ctx context.Context, w who, cb domain.Callback) error {
	v, ok := verbOf(cb.Verb)
	switch {
	case w.audience() == Unlinked:
		w.answer(w.t("notlinked.short"), true)
	case !ok:
		w.answer(w.t("err.stale_button"), true)
	case v.Who&w.audience() == 0:
		w.answer(w.t(v.Refusal), true)
	default:
		return v.Run(b, ctx, w, cb)
	}
	return nil
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

// menuOf is a menu in language l, from the table's texts.
func menuOf(l i18n.Lang, names []string) []telegram.Command {
	out := make([]telegram.Command, 0, len(names))
	for _, n := range names {
		out = append(out, telegram.Command{Name: n, Description: i18n.T(l, "cmd."+n)})
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
