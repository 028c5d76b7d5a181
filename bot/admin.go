package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// cmdStart greets, or links whoever opens an invite link (/start <code>).
func (b *Bot) cmdStart(ctx context.Context, w who, args string) {
	if args == "" {
		if w.Officer == nil && !w.Admin {
			b.reply(w.Chat, w.t("notlinked", w.ID))
			return
		}
		b.reply(w.Chat, helpText(w))
		return
	}
	code := strings.ToUpper(strings.TrimSpace(args))
	if len(code) > 32 {
		b.reply(w.Chat, w.t("invite.unknown"))
		return
	}
	if b.askMove(ctx, w, code) {
		return // already linked elsewhere: confirm first (coordinator.go)
	}
	inv, o, err := b.People.ClaimInvite(ctx, code, domain.Officer{TelegramID: w.ID, Name: w.Name, Username: w.User, Lang: w.LangRaw})
	switch {
	case errors.Is(err, store.ErrInviteUnknown):
		b.reply(w.Chat, w.t("invite.unknown"))
		return
	case errors.Is(err, store.ErrInviteUsed):
		if inv.UsedBy == w.ID {
			b.reply(w.Chat, w.t("invite.already_yours"))
			return
		}
		b.reply(w.Chat, w.t("invite.used"))
		return
	case errors.Is(err, store.ErrInviteExpired):
		b.reply(w.Chat, w.t("invite.expired"))
		return
	case err != nil:
		b.fail(w, "claim invite", err)
		return
	}
	w.Officer = &o
	b.setUserCommands(w)
	if o.Role == domain.RoleLeader {
		b.reply(w.Chat, w.t("linked.leader", escape(w.Name))+"\n\n"+helpText(w))
	} else {
		ag, _ := b.Catalog.Agency(ctx, o.AgencyKey)
		b.reply(w.Chat, w.t("linked.officer", escape(w.Name), escape(ag.Name))+"\n\n"+helpText(w))
	}
	if inv.CreatedBy != 0 && inv.CreatedBy != w.ID {
		b.reply(inv.CreatedBy, i18n.T(i18n.VI, "invite.used_notice", escape(w.Name), inv.Code))
	}
}

func (b *Bot) cmdWhoami(ctx context.Context, w who) {
	role := w.t("whoami.none")
	if w.Officer != nil {
		switch w.Officer.Role {
		case domain.RoleLeader:
			role = w.t("whoami.leader")
		default:
			ag, _ := b.Catalog.Agency(ctx, w.Officer.AgencyKey)
			role = w.t("whoami.officer", escape(ag.Name))
		}
	}
	if w.Admin {
		role += "\n" + w.t("whoami.admin")
	}
	for _, l := range b.whoamiPause(ctx, w) {
		role += "\n" + l
	}
	b.reply(w.Chat, w.t("whoami", escape(w.Name), w.ID, role))
}

// cmdInvite makes an invite link for an agency's officer, or for a leader.
func (b *Bot) cmdInvite(ctx context.Context, w who, args string) {
	if args == "" {
		b.reply(w.Chat, w.t("invite.usage"))
		return
	}
	if la := strings.ToLower(args); la == "leader" || la == "lanhdao" || la == "lãnh đạo" {
		b.makeInvite(ctx, w, domain.RoleLeader, "")
		return
	}
	ix, err := b.Catalog.AgencyIndex(ctx)
	if err != nil {
		b.fail(w, "agency index", err)
		return
	}
	if a, ok := ix.Match(args); ok {
		b.makeInvite(ctx, w, domain.RoleOfficer, a.Key)
		return
	}
	hits := ix.Search(args)
	switch {
	case len(hits) == 0:
		b.reply(w.Chat, w.t("invite.no_agency_add", escape(i18n.Shorten(args, 60))))
	case len(hits) == 1:
		b.makeInvite(ctx, w, domain.RoleOfficer, hits[0].Key)
	default:
		more, kb := agencyChoice(w, hits, domain.VerbInvite, "/invite", args)
		b.replyKB(w.Chat, withMore(w.t("invite.choose", escape(i18n.Shorten(args, 60))), more), kb)
	}
}

func (b *Bot) cbInvite(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback) {
	if _, err := b.Catalog.Agency(ctx, cb.Ref); err != nil {
		b.answer(q.ID, w.t("err.stale_button"), true)
		return
	}
	if !b.firstPress(ctx, w, q) { // one invite per choice
		return
	}
	b.answer(q.ID, "", false)
	b.stripButtons(q.Message.Chat.ID, q.Message.MessageID)
	b.makeInvite(ctx, w, domain.RoleOfficer, cb.Ref)
}

func (b *Bot) makeInvite(ctx context.Context, w who, role domain.OfficerRole, agencyKey string) {
	inv, err := b.People.CreateInvite(ctx, role, agencyKey, w.ID, b.Config.InviteTTL)
	if err != nil {
		b.fail(w, "create invite", err)
		return
	}
	link := fmt.Sprintf("https://t.me/%s?start=%s", b.API.Username(), inv.Code)
	expires := i18n.Time(inv.ExpiresAt, b.Config.Location)
	if role == domain.RoleLeader {
		b.reply(w.Chat, w.t("invite.leader", link, inv.Code, expires))
		return
	}
	ag, _ := b.Catalog.Agency(ctx, agencyKey)
	b.reply(w.Chat, w.t("invite.officer", escape(ag.Name), link, inv.Code, expires))
}

// showOfficers lists the linked people (agencyKey "") with officers and
// leaders counted apart and the agencies nobody reports for, or one
// agency's officers.
func (b *Bot) showOfficers(ctx context.Context, w who, key string) {
	list, err := b.People.Officers(ctx, key)
	if err != nil {
		b.fail(w, "officers", err)
		return
	}
	agencies, _ := b.Catalog.Agencies(ctx)
	names := map[string]string{}
	for _, a := range agencies {
		names[a.Key] = a.Name
	}
	var sb strings.Builder
	if key == "" {
		officers, leaders := 0, 0
		for _, o := range list {
			if o.Role == domain.RoleLeader {
				leaders++
			} else {
				officers++
			}
		}
		sb.WriteString(w.t("officers.counts", officers, leaders) + "\n")
	} else {
		sb.WriteString(w.t("officers.of_agency", escape(names[key]), len(list)) + "\n")
		if len(list) == 0 {
			sb.WriteString(w.t("officers.none_here", escape(names[key])) + "\n")
		}
	}
	for _, o := range list {
		where := names[o.AgencyKey]
		if o.Role == domain.RoleLeader {
			where = w.t("whoami.leader")
		}
		user := ""
		if o.Username != "" {
			user = " @" + o.Username
		}
		flag := ""
		if o.Unreachable {
			flag = " ⚠️ " + w.t("officers.unreachable")
		}
		fmt.Fprintf(&sb, "• %s%s — %s · <code>%d</code>%s\n", escape(o.Name), escape(user), escape(where), o.TelegramID, flag)
	}
	if key == "" {
		var none []string
		has := map[string]bool{}
		for _, o := range list {
			has[o.AgencyKey] = true
		}
		for _, a := range agencies {
			if !has[a.Key] {
				none = append(none, a.Name)
			}
		}
		if len(none) > 0 {
			fmt.Fprintf(&sb, "\n<b>%s</b>\n%s\n", w.t("officers.missing", len(none)), escape(strings.Join(none, "; ")))
		}
	}
	if len(list) > 0 {
		sb.WriteString("\n" + w.t("officers.revoke_hint"))
	}
	b.reply(w.Chat, strings.TrimRight(sb.String(), "\n"))
}
