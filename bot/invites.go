package bot

// /invite: a single-use link for an agency's officer, or for a leader; a
// part of a name that matches several agencies offers buttons.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
)

// inviteStore makes invites (*store.Store: store/invites.go).
type inviteStore interface {
	CreateInvite(ctx context.Context, role domain.OfficerRole, agencyKey string, by int64, ttl time.Duration) (domain.Invite, error)
}

type invites struct {
	*core
	store inviteStore
	once  *oneShot
}

// invite makes an invite link for an agency's officer, or for a leader.
func (f *invites) invite(ctx context.Context, w who, args string) error {
	if args == "" {
		w.reply(w.t("invite.usage"))
		return nil
	}
	if la := strings.ToLower(args); la == "leader" || la == "lanhdao" || la == "lãnh đạo" {
		return f.make(ctx, w, domain.RoleLeader, "")
	}
	ix, err := f.catalog.store.AgencyIndex(ctx)
	if err != nil {
		return fmt.Errorf("agency index: %w", err)
	}
	if a, ok := ix.Match(args); ok {
		return f.make(ctx, w, domain.RoleOfficer, a.Key)
	}
	hits := ix.Search(args)
	switch {
	case len(hits) == 0:
		w.reply(w.t("invite.no_agency_add", escape(i18n.Shorten(args, 60))))
	case len(hits) == 1:
		return f.make(ctx, w, domain.RoleOfficer, hits[0].Key)
	default:
		more, kb := agencyChoice(w, hits, domain.VerbInvite, "/invite", args)
		w.replyKB(withMore(w.t("invite.choose", escape(i18n.Shorten(args, 60))), more), kb)
	}
	return nil
}

// chosen makes the invite for the agency pressed, once per choice.
func (f *invites) chosen(ctx context.Context, w who, cb domain.Callback) error {
	if _, err := f.catalog.store.Agency(ctx, cb.Ref); err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	if ok, err := f.once.first(ctx, w); !ok { // one invite per choice
		return err
	}
	w.answer("", false)
	w.strip(w.pressed())
	return f.make(ctx, w, domain.RoleOfficer, cb.Ref)
}

func (f *invites) make(ctx context.Context, w who, role domain.OfficerRole, agencyKey string) error {
	inv, err := f.store.CreateInvite(ctx, role, agencyKey, w.ID, f.cfg.InviteTTL)
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	link := fmt.Sprintf("https://t.me/%s?start=%s", f.botName(), inv.Code)
	expires := i18n.Time(inv.ExpiresAt, f.cfg.Location)
	if role == domain.RoleLeader {
		w.reply(w.t("invite.leader", link, inv.Code, expires))
		return nil
	}
	ag, _ := f.catalog.store.Agency(ctx, agencyKey)
	w.reply(w.t("invite.officer", escape(ag.Name), link, inv.Code, expires))
	return nil
}

// maxAgencyChoices is how many agencies one choice offers as buttons.
const maxAgencyChoices = 10

// agencyChoice offers one button per matching agency (at most
// maxAgencyChoices) and, when more match, a line saying how many and how
// to narrow, with the name of one not shown as an example.
func agencyChoice(w who, hits []agency.Agency, verb, command, query string) (string, [][]domain.Button) {
	more := ""
	if len(hits) > maxAgencyChoices {
		example := command + " " + hits[maxAgencyChoices].Name
		more = w.t("agency.more", len(hits)-maxAgencyChoices, escape(i18n.Shorten(query, 60)), escape(example))
		hits = hits[:maxAgencyChoices]
	}
	var rows [][]domain.Button
	for _, h := range hits {
		rows = append(rows, []domain.Button{button(i18n.Shorten(h.Name, 60), domain.Callback{Verb: verb, Ref: h.Key})})
	}
	return more, rows
}

// withMore appends the "more match" line to a choice's text.
func withMore(text, more string) string {
	if more == "" {
		return text
	}
	return text + "\n\n" + more
}
