package bot

// What coordinators see of the people linked: /officers by agency (with
// buttons when a part of a name matches several) and /revoke, which names
// whom it revoked and tells them.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
)

// officerStore lists and unlinks people (*store.Store: store/people.go).
type officerStore interface {
	Officer(ctx context.Context, telegramID int64) (domain.Officer, error)
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
	RevokeOfficer(ctx context.Context, id int64) (bool, error)
}

type officers struct {
	*core
	store officerStore
	menus *menus
}

// list lists the linked people, or one agency's officers; a part of a name
// that matches several agencies offers buttons.
func (f *officers) list(ctx context.Context, w who, args string) error {
	if args == "" {
		return f.show(ctx, w, "")
	}
	ix, err := f.catalog.store.AgencyIndex(ctx)
	if err != nil {
		return fmt.Errorf("agency index: %w", err)
	}
	if a, ok := ix.Match(args); ok {
		return f.show(ctx, w, a.Key)
	}
	hits := ix.Search(args)
	switch len(hits) {
	case 0:
		w.reply(w.t("invite.no_agency_add", escape(i18n.Shorten(args, 60))))
	case 1:
		return f.show(ctx, w, hits[0].Key)
	default:
		more, kb := agencyChoice(w, hits, VerbOfficers, "/officers", args)
		w.replyKB(withMore(w.t("officers.choose", escape(i18n.Shorten(args, 60))), more), kb)
	}
	return nil
}

// chosen lists the officers of the agency pressed.
func (f *officers) chosen(ctx context.Context, w who, cb domain.Callback) error {
	if _, err := f.catalog.store.Agency(ctx, cb.Ref); err != nil {
		w.answer(w.t("err.stale_button"), true)
		return nil
	}
	w.answer("", false)
	return f.show(ctx, w, cb.Ref)
}

// show lists the linked people (key "") with officers and leaders counted
// apart and the agencies nobody reports for, or one agency's officers.
func (f *officers) show(ctx context.Context, w who, key string) error {
	list, err := f.store.Officers(ctx, key)
	if err != nil {
		return fmt.Errorf("officers: %w", err)
	}
	agencies, _ := f.catalog.store.Agencies(ctx)
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
	w.reply(strings.TrimRight(sb.String(), "\n"))
	return nil
}

// revoke unlinks someone, answers with their name and what they were,
// tells them, and puts their command menu back to a newcomer's.
func (f *officers) revoke(ctx context.Context, w who, args string) error {
	id, err := strconv.ParseInt(strings.TrimSpace(args), 10, 64)
	if err != nil || id <= 0 {
		w.reply(w.t("revoke.usage"))
		return nil
	}
	o, err := f.store.Officer(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		w.reply(w.t("revoke.none", id))
		return nil
	}
	if err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	ok, err := f.store.RevokeOfficer(ctx, id)
	if err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	if !ok {
		w.reply(w.t("revoke.none", id))
		return nil
	}
	w.reply(w.t("revoke.done_named", escape(o.Name), f.roleText(ctx, w.Lang, o.Role, o.AgencyKey), id))
	l := i18n.For(o.Lang)
	f.notify(ctx, w, "revoked", id, i18n.T(l, "revoked.notice", f.roleText(ctx, l, o.Role, o.AgencyKey)))
	f.menus.setFor(w.out, who{ID: id, Lang: l, Admin: f.cfg.IsAdmin(id)})
	return nil
}
