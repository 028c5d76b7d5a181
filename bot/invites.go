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
	OpenInvites(ctx context.Context) ([]domain.Invite, error)
	CancelInvite(ctx context.Context, code string) (bool, error)
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
		more = i18n.N(w.Lang, "agency.more", len(hits)-maxAgencyChoices, len(hits)-maxAgencyChoices, escape(i18n.Shorten(query, 60)), escape(example))
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

// maxInvitesListed bounds the invites /invites lists (and offers to cancel).
const maxInvitesListed = 20

// list shows the invites nobody used yet, each with a button to cancel it
// (/invites).
func (f *invites) list(ctx context.Context, w who) error {
	text, kb, err := f.listing(ctx, w)
	if err != nil {
		return err
	}
	w.replyKB(text, kb)
	return nil
}

func (f *invites) listing(ctx context.Context, w who) (string, [][]domain.Button, error) {
	open, err := f.store.OpenInvites(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("open invites: %w", err)
	}
	if len(open) == 0 {
		return w.t("invites.none"), nil, nil
	}
	var sb strings.Builder
	sb.WriteString(i18n.N(w.Lang, "invites.header", len(open), len(open)))
	var kb [][]domain.Button
	for i, inv := range open {
		if i == maxInvitesListed {
			sb.WriteString("\n" + w.t("invites.more", len(open)-i))
			break
		}
		whom := w.t("whoami.leader")
		if inv.Role != domain.RoleLeader {
			ag, _ := f.catalog.store.Agency(ctx, inv.AgencyKey)
			whom = ag.Name
		}
		sb.WriteString("\n" + w.t("invites.line", inv.Code, escape(whom), i18n.Time(inv.CreatedAt, f.cfg.Location), i18n.Time(inv.ExpiresAt, f.cfg.Location)))
		kb = append(kb, []domain.Button{button(w.t("invites.btn_cancel", inv.Code, i18n.Shorten(whom, 30)), domain.Callback{Verb: VerbInviteCancel, Ref: inv.Code})})
	}
	return sb.String(), kb, nil
}

// cancel withdraws the invite pressed and shows the list again.
func (f *invites) cancel(ctx context.Context, w who, cb domain.Callback) error {
	ok, err := f.store.CancelInvite(ctx, cb.Ref)
	if err != nil {
		return err
	}
	if ok {
		w.answer(w.t("invites.cancelled", cb.Ref), false)
	} else {
		w.answer(w.t("invites.gone", cb.Ref), true)
	}
	text, kb, err := f.listing(ctx, w)
	if err != nil {
		return err
	}
	w.edit(w.pressed(), text, kb)
	return nil
}
