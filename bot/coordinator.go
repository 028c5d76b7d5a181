package bot

import (
	"context"
	"errors"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// What coordinators see (issue 9, point 7): agency choices that say how
// many more match, /officers by agency with buttons, /revoke that names
// whom it revoked and tells them, and a confirmation before an invite moves
// someone already linked.

// Button verbs of the coordinators' choices.
const (
	VerbOfficers = "ov" // /officers of an agency: Ref = agency key
	VerbMove     = "mv" // move to another link: Ref = invite code, Arg = "1" move, "0" keep
)

// maxAgencyChoices is how many agencies one choice offers as buttons.
const maxAgencyChoices = 10

// agencyChoice offers one button per matching agency (at most
// maxAgencyChoices) and, when more match, a line saying how many and how
// to narrow, with the name of one not shown as an example.
func agencyChoice(w who, hits []agency.Agency, verb, command, query string) (string, *tgbotapi.InlineKeyboardMarkup) {
	more := ""
	if len(hits) > maxAgencyChoices {
		example := command + " " + hits[maxAgencyChoices].Name
		more = w.t("agency.more", len(hits)-maxAgencyChoices, escape(i18n.Shorten(query, 60)), escape(example))
		hits = hits[:maxAgencyChoices]
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, h := range hits {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(button(i18n.Shorten(h.Name, 60), domain.Callback{Verb: verb, Ref: h.Key})))
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return more, &kb
}

// withMore appends the "more match" line to a choice's text.
func withMore(text, more string) string {
	if more == "" {
		return text
	}
	return text + "\n\n" + more
}

// cmdOfficers lists the linked people, or one agency's officers; a part of
// a name that matches several agencies offers buttons.
func (b *Bot) cmdOfficers(ctx context.Context, w who, args string) {
	if args == "" {
		b.showOfficers(ctx, w, "")
		return
	}
	ix, err := b.Catalog.AgencyIndex(ctx)
	if err != nil {
		b.fail(w, "agency index", err)
		return
	}
	if a, ok := ix.Match(args); ok {
		b.showOfficers(ctx, w, a.Key)
		return
	}
	hits := ix.Search(args)
	switch len(hits) {
	case 0:
		b.reply(w.Chat, w.t("invite.no_agency_add", escape(i18n.Shorten(args, 60))))
	case 1:
		b.showOfficers(ctx, w, hits[0].Key)
	default:
		more, kb := agencyChoice(w, hits, VerbOfficers, "/officers", args)
		b.replyKB(w.Chat, withMore(w.t("officers.choose", escape(i18n.Shorten(args, 60))), more), kb)
	}
}

func (b *Bot) cbOfficers(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback) {
	if !w.Admin {
		b.answer(q.ID, w.t("err.admins_only"), true)
		return
	}
	if _, err := b.Catalog.Agency(ctx, cb.Ref); err != nil {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	b.answer(q.ID, "", false)
	b.showOfficers(ctx, w, cb.Ref)
}

// cmdRevoke unlinks someone, answers with their name and what they were,
// tells them, and puts their command menu back to a newcomer's.
func (b *Bot) cmdRevoke(ctx context.Context, w who, args string) {
	id, err := strconv.ParseInt(strings.TrimSpace(args), 10, 64)
	if err != nil || id <= 0 {
		b.reply(w.Chat, w.t("revoke.usage"))
		return
	}
	o, err := b.People.Officer(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		b.reply(w.Chat, w.t("revoke.none", id))
		return
	}
	if err != nil {
		b.fail(w, "revoke", err)
		return
	}
	ok, err := b.People.RevokeOfficer(ctx, id)
	if err != nil {
		b.fail(w, "revoke", err)
		return
	}
	if !ok {
		b.reply(w.Chat, w.t("revoke.none", id))
		return
	}
	b.reply(w.Chat, w.t("revoke.done_named", escape(o.Name), b.roleText(ctx, w.Lang, o.Role, o.AgencyKey), id))
	l := i18n.For(o.Lang)
	b.notify(id, revokedNotice(l, b.roleText(ctx, l, o.Role, o.AgencyKey)))
	b.setUserCommands(who{ID: id, Lang: l, Admin: b.Config.IsAdmin(id)})
}

// moveConfirmed marks, in the context of /start, the invite code whose move
// the person confirmed.
type moveConfirmed struct{}

// askMove asks someone already linked who opens an invite for another
// agency (or another role) whether to move, and reports whether it asked.
// Invites that are unknown, used or expired get /start's usual answers.
func (b *Bot) askMove(ctx context.Context, w who, code string) bool {
	if w.Officer == nil || ctx.Value(moveConfirmed{}) == code {
		return false
	}
	inv, err := b.People.Invite(ctx, code)
	if err != nil || inv.UsedBy != 0 || !inv.ExpiresAt.After(b.now()) {
		return false
	}
	if inv.Role == w.Officer.Role && inv.AgencyKey == w.Officer.AgencyKey {
		return false
	}
	target := w.t("whoami.leader")
	if inv.Role != domain.RoleLeader {
		target = inv.AgencyKey
		if ag, err := b.Catalog.Agency(ctx, inv.AgencyKey); err == nil {
			target = ag.Name
		}
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(button(w.t("move.yes", i18n.Shorten(target, 48)), domain.Callback{Verb: VerbMove, Ref: code, Arg: "1"})),
		tgbotapi.NewInlineKeyboardRow(button(w.t("move.no"), domain.Callback{Verb: VerbMove, Ref: code, Arg: "0"})),
	)
	b.replyKB(w.Chat, w.t("move.confirm", b.roleText(ctx, w.Lang, w.Officer.Role, w.Officer.AgencyKey),
		b.roleText(ctx, w.Lang, inv.Role, inv.AgencyKey)), &kb)
	return true
}

// cbMove answers the move question: keep changes nothing; move uses the
// invite as /start does and tells the admins where the person moved from.
func (b *Bot) cbMove(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if w.Officer == nil || len(cb.Ref) > 32 || (cb.Arg != "0" && cb.Arg != "1") {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	b.answer(q.ID, "", false)
	b.dropButtons(w.Chat, msgID)
	prev := *w.Officer
	if cb.Arg == "0" {
		b.reply(w.Chat, w.t("move.kept", b.roleText(ctx, w.Lang, prev.Role, prev.AgencyKey)))
		return
	}
	b.cmdStart(context.WithValue(ctx, moveConfirmed{}, cb.Ref), w, cb.Ref)
	now, err := b.People.Officer(ctx, w.ID)
	if err != nil || (now.Role == prev.Role && now.AgencyKey == prev.AgencyKey) {
		return // not moved: the invite was used, expired or unknown, and /start said so
	}
	for _, id := range b.Config.AdminIDs {
		l := b.langOf(ctx, id)
		b.notify(id, moveNotice(l, w.Name, w.ID, b.roleText(ctx, l, prev.Role, prev.AgencyKey), b.roleText(ctx, l, now.Role, now.AgencyKey), cb.Ref))
	}
}

// dropButtons removes the buttons of a message (a choice made once).
func (b *Bot) dropButtons(chat int64, msgID int) {
	e := tgbotapi.NewEditMessageReplyMarkup(chat, msgID, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
	_, _ = b.call(e)
}

// langOf is the language of a person the bot writes to on its own: their
// linked record's, else Vietnamese.
func (b *Bot) langOf(ctx context.Context, id int64) i18n.Lang {
	if o, err := b.People.Officer(ctx, id); err == nil {
		return i18n.For(o.Lang)
	}
	return i18n.VI
}
