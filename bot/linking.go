package bot

// Linking a Telegram account: /start with an invite code (or the code
// pasted alone), the confirmation before an invite moves someone already
// linked, and /whoami.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// linkStore is what linking reads and writes (*store.Store: store/invites.go).
type linkStore interface {
	Invite(ctx context.Context, code string) (domain.Invite, error)
	ClaimInvite(ctx context.Context, code string, o domain.Officer) (domain.Invite, domain.Officer, error)
	WrongInvite(ctx context.Context, user int64, window time.Duration) (store.InviteTries, error)
	InviteTries(ctx context.Context, user int64, window time.Duration) (store.InviteTries, error)
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
}

type linking struct {
	*core
	store   linkStore
	menus   *menus
	pausing *pausing
}

// start greets, or links whoever opens an invite link (/start <code>).
func (f *linking) start(ctx context.Context, w who, args string) error {
	if args == "" {
		if w.Officer == nil && !w.Admin {
			w.reply(w.t("notlinked", w.ID))
			return nil
		}
		w.reply(helpText(w))
		return nil
	}
	code := strings.ToUpper(strings.TrimSpace(args))
	if waited, err := f.tooManyWrong(ctx, w); waited || err != nil {
		return err // codes cannot be tried at speed: invitetries.go
	}
	if len(code) > 32 {
		return f.wrongCode(ctx, w)
	}
	if f.askMove(ctx, w, code) {
		return nil // already linked elsewhere: confirm first
	}
	inv, o, err := f.store.ClaimInvite(ctx, code, domain.Officer{TelegramID: w.ID, Name: w.Name, Username: w.User, Lang: w.LangRaw})
	switch {
	case errors.Is(err, store.ErrInviteUnknown):
		return f.wrongCode(ctx, w)
	case errors.Is(err, store.ErrInviteUsed):
		if inv.UsedBy == w.ID {
			w.reply(w.t("invite.already_yours"))
			return nil
		}
		w.reply(w.t("invite.used"))
		return nil
	case errors.Is(err, store.ErrInviteExpired):
		w.reply(w.t("invite.expired"))
		return nil
	case err != nil:
		return fmt.Errorf("claim invite: %w", err)
	}
	w.Officer = &o
	f.menus.setFor(w.out, w)
	if o.Role == domain.RoleLeader {
		w.reply(w.t("linked.leader", escape(w.Name)) + "\n\n" + helpText(w))
	} else {
		ag, _ := f.catalog.store.Agency(ctx, o.AgencyKey)
		w.reply(w.t("linked.officer", escape(w.Name), escape(ag.Name)) + "\n\n" + helpText(w))
	}
	if inv.CreatedBy != 0 && inv.CreatedBy != w.ID {
		f.push(ctx, pushKey("invite", w.Source, inv.CreatedBy), inv.CreatedBy, f.textFor(ctx, inv.CreatedBy, "invite.used_notice", escape(w.Name), inv.Code))
	}
	return nil
}

// whoami says who the person is to the bot: their link, admin rights and
// pause.
func (f *linking) whoami(ctx context.Context, w who) error {
	role := w.t("whoami.none")
	if w.Officer != nil {
		switch w.Officer.Role {
		case domain.RoleLeader:
			role = w.t("whoami.leader")
		default:
			ag, _ := f.catalog.store.Agency(ctx, w.Officer.AgencyKey)
			role = w.t("whoami.officer", escape(ag.Name))
		}
	}
	if w.Admin {
		role += "\n" + w.t("whoami.admin")
	}
	for _, l := range f.pausing.whoamiLines(ctx, w) {
		role += "\n" + l
	}
	w.reply(w.t("whoami", escape(w.Name), w.ID, role))
	return nil
}

// moveConfirmed marks, in the context of /start, the invite code whose move
// the person confirmed.
type moveConfirmed struct{}

// askMove asks someone already linked who opens an invite for another
// agency (or another role) whether to move, and reports whether it asked.
// Invites that are unknown, used or expired get /start's usual answers.
func (f *linking) askMove(ctx context.Context, w who, code string) bool {
	if w.Officer == nil || ctx.Value(moveConfirmed{}) == code {
		return false
	}
	inv, err := f.store.Invite(ctx, code)
	if err != nil || inv.UsedBy != 0 || !inv.ExpiresAt.After(f.now()) {
		return false
	}
	if inv.Role == w.Officer.Role && inv.AgencyKey == w.Officer.AgencyKey {
		return false
	}
	target := w.t("whoami.leader")
	if inv.Role != domain.RoleLeader {
		target = inv.AgencyKey
		if ag, err := f.catalog.store.Agency(ctx, inv.AgencyKey); err == nil {
			target = ag.Name
		}
	}
	kb := [][]domain.Button{
		{button(w.t("move.yes", i18n.Shorten(target, 48)), domain.Callback{Verb: VerbMove, Ref: code, Arg: "1"})},
		{button(w.t("move.no"), domain.Callback{Verb: VerbMove, Ref: code, Arg: "0"})},
	}
	w.replyKB(w.t("move.confirm", f.roleText(ctx, w.Lang, w.Officer.Role, w.Officer.AgencyKey),
		f.roleText(ctx, w.Lang, inv.Role, inv.AgencyKey)), kb)
	return true
}

// move answers the move question: keep changes nothing; move uses the
// invite as /start does and tells the admins where the person moved from.
func (f *linking) move(ctx context.Context, w who, cb domain.Callback) error {
	if w.Officer == nil || len(cb.Ref) > 32 || (cb.Arg != "0" && cb.Arg != "1") {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	w.answer("", false)
	w.strip(w.pressed())
	prev := *w.Officer
	if cb.Arg == "0" {
		w.reply(w.t("move.kept", f.roleText(ctx, w.Lang, prev.Role, prev.AgencyKey)))
		return nil
	}
	if err := f.start(context.WithValue(ctx, moveConfirmed{}, cb.Ref), w, cb.Ref); err != nil {
		return err
	}
	now, err := f.store.Officer(ctx, w.ID)
	if err != nil || (now.Role == prev.Role && now.AgencyKey == prev.AgencyKey) {
		return nil // not moved: the invite was used, expired or unknown, and /start said so
	}
	for _, id := range f.cfg.AdminIDs {
		l := f.langOf(ctx, id)
		f.notify(ctx, w, "moved", id, i18n.T(l, "move.notice", escape(w.Name), w.ID,
			f.roleText(ctx, l, prev.Role, prev.AgencyKey), f.roleText(ctx, l, now.Role, now.AgencyKey), cb.Ref))
	}
	return nil
}

// button is one inline button.
func button(text string, cb domain.Callback) domain.Button {
	return domain.Button{Text: text, Data: cb.Encode()}
}
