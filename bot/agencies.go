package bot

// Agencies from the chat: /agencies lists them with their officers and open
// tasks; admins add one, rename one, give one an alias and deactivate one
// (after a confirmation).

import (
	"context"
	"fmt"
	"strings"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
)

// agencyStore changes agencies (*store.Store: store/agencies.go; nil: those
// commands are not available).
type agencyStore interface {
	AddAgency(ctx context.Context, name string, kind agency.Kind, aliases []string) (domain.Agency, int, error)
	RenameAgency(ctx context.Context, key, name string) (domain.Agency, error)
	AddAlias(ctx context.Context, key, alias string) (domain.Agency, error)
	DeactivateAgency(ctx context.Context, key string) (int, error)
}

// agencyCounts is what /agencies counts per agency.
type agencyCounts interface {
	Officers(ctx context.Context, agencyKey string) ([]domain.Officer, error)
	AllAssignments(ctx context.Context) ([]domain.Assignment, error)
}

type agencyAdmin struct {
	*core
	store    agencyStore // nil: not available
	officers agencyCounts
}

// kindWords reads a kind typed after "|" in /addagency.
var kindWords = map[string]agency.Kind{
	"so": agency.Department, "sở": agency.Department, "nganh": agency.Department, "ngành": agency.Department, "department": agency.Department,
	"van phong": agency.Office, "văn phòng": agency.Office, "office": agency.Office,
	"cong an": agency.Police, "công an": agency.Police, "police": agency.Police,
	"dang": agency.Party, "đảng": agency.Party, "party": agency.Party,
	"truong": agency.University, "trường": agency.University, "dai hoc": agency.University, "đại học": agency.University, "university": agency.University,
	"doan the": agency.Organisation, "đoàn thể": agency.Organisation, "hiep hoi": agency.Organisation, "hiệp hội": agency.Organisation, "organisation": agency.Organisation,
	"xa": agency.Commune, "xã": agency.Commune, "phuong": agency.Commune, "phường": agency.Commune, "commune": agency.Commune,
}

// list lists the agencies with their linked officers and open tasks.
func (f *agencyAdmin) list(ctx context.Context, w who) error {
	list, err := f.catalog.store.Agencies(ctx)
	if err != nil {
		return fmt.Errorf("list agencies: %w", err)
	}
	people, err := f.officers.Officers(ctx, "")
	if err != nil {
		return fmt.Errorf("list officers: %w", err)
	}
	officers := map[string]int{}
	for _, o := range people {
		if o.Role == domain.RoleOfficer {
			officers[o.AgencyKey]++
		}
	}
	as, err := f.officers.AllAssignments(ctx)
	if err != nil {
		return fmt.Errorf("list assignments: %w", err)
	}
	open := map[string]int{}
	for _, a := range as {
		if !a.Withdrawn && a.Status != domain.Done {
			open[a.AgencyKey]++
		}
	}
	var sb strings.Builder
	sb.WriteString(w.t("agencies.header", len(list)) + "\n")
	for _, a := range list {
		fmt.Fprintf(&sb, "• %s <code>%s</code> — %s\n", escape(a.Name), escape(a.Key), w.t("agencies.counts", officers[a.Key], open[a.Key]))
	}
	if w.Admin {
		sb.WriteString("\n" + w.t("agencies.admin_hint"))
	}
	w.reply(sb.String())
	return nil
}

// find finds an agency by key or by a name the index matches.
func (f *agencyAdmin) find(ctx context.Context, w who, text string) (domain.Agency, bool) {
	text = strings.TrimSpace(text)
	if a, err := f.catalog.store.Agency(ctx, text); err == nil && a.Key != "" {
		return a, true
	}
	if ix, err := f.catalog.store.AgencyIndex(ctx); err == nil {
		if m, ok := ix.Match(text); ok {
			if a, err := f.catalog.store.Agency(ctx, m.Key); err == nil {
				return a, true
			}
		}
	}
	w.reply(w.t("agencies.unknown", escape(i18n.Shorten(text, 80))))
	return domain.Agency{}, false
}

// add: /addagency <name> [| kind].
func (f *agencyAdmin) add(ctx context.Context, w who, args string) error {
	name, kindArg, _ := strings.Cut(args, "|")
	name = strings.TrimSpace(name)
	if name == "" || f.store == nil {
		w.reply(w.t("agencies.add_usage"))
		return nil
	}
	kind, ok := agency.KindOf(name)
	if k := strings.ToLower(strings.TrimSpace(kindArg)); k != "" {
		if kind, ok = kindWords[k]; !ok {
			w.reply(w.t("agencies.add_usage"))
			return nil
		}
	} else if !ok {
		kind = agency.Department
	}
	a, n, err := f.store.AddAgency(ctx, name, kind, nil)
	if err != nil {
		w.reply(w.t("import.agency_not_added", escape(name), escape(err.Error())))
		return nil
	}
	f.catalog.changed(ctx)
	w.reply(w.t("agencies.added", escape(a.Name), kindText(w, a.Kind), n))
	return nil
}

// twoParts splits "<agency> = <text>".
func (f *agencyAdmin) twoParts(w who, args, usage string) (string, string, bool) {
	left, right, ok := strings.Cut(args, "=")
	left, right = strings.TrimSpace(left), strings.TrimSpace(right)
	if !ok || left == "" || right == "" || f.store == nil {
		w.reply(w.t(usage))
		return "", "", false
	}
	return left, right, true
}

// rename: /renameagency <agency> = <new name>.
func (f *agencyAdmin) rename(ctx context.Context, w who, args string) error {
	left, name, ok := f.twoParts(w, args, "agencies.rename_usage")
	if !ok {
		return nil
	}
	a, ok := f.find(ctx, w, left)
	if !ok {
		return nil
	}
	r, err := f.store.RenameAgency(ctx, a.Key, name)
	if err != nil {
		w.reply(w.t("agencies.not_changed", escape(err.Error())))
		return nil
	}
	f.catalog.changed(ctx)
	w.reply(w.t("agencies.renamed", escape(a.Name), escape(r.Name)))
	return nil
}

// alias: /alias <agency> = <another name>.
func (f *agencyAdmin) alias(ctx context.Context, w who, args string) error {
	left, alias, ok := f.twoParts(w, args, "agencies.alias_usage")
	if !ok {
		return nil
	}
	a, ok := f.find(ctx, w, left)
	if !ok {
		return nil
	}
	r, err := f.store.AddAlias(ctx, a.Key, alias)
	if err != nil {
		w.reply(w.t("import.alias_not_added", escape(alias), escape(err.Error())))
		return nil
	}
	f.catalog.changed(ctx)
	w.reply(w.t("import.alias_added", escape(alias), escape(r.Name)))
	return nil
}

// deactivate: /deactivate <agency>, confirmed by a button.
func (f *agencyAdmin) deactivate(ctx context.Context, w who, args string) error {
	if strings.TrimSpace(args) == "" || f.store == nil {
		w.reply(w.t("agencies.deactivate_usage"))
		return nil
	}
	a, ok := f.find(ctx, w, args)
	if !ok {
		return nil
	}
	w.replyKB(w.t("agencies.deactivate_confirm", escape(a.Name)), [][]domain.Button{{
		button(w.t("agencies.btn_deactivate"), domain.Callback{Verb: VerbAgency, Ref: "d", Arg: a.Key}),
		button(w.t("import.btn_cancel"), domain.Callback{Verb: VerbAgency, Ref: "x", Arg: a.Key})}})
	return nil
}

// confirmed deactivates the agency pressed, or keeps it.
func (f *agencyAdmin) confirmed(ctx context.Context, w who, cb domain.Callback) error {
	if f.store == nil {
		w.answer(w.t("err.admins_only"), true)
		return nil
	}
	switch cb.Ref {
	case "x":
		w.answer("", false)
		w.edit(w.pressed(), w.t("agencies.kept"), nil)
	case "d":
		a, err := f.catalog.store.Agency(ctx, cb.Arg)
		if err != nil {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		n, err := f.store.DeactivateAgency(ctx, a.Key)
		if err != nil {
			return fmt.Errorf("deactivate agency %s: %w", a.Key, err)
		}
		f.catalog.changed(ctx)
		w.answer("", false)
		w.edit(w.pressed(), w.t("agencies.deactivated", escape(a.Name), n), nil)
	default:
		w.answer(w.t("err.stale_button"), true)
	}
	return nil
}

// kindText is the name of a kind of agency in w's language.
func kindText(w who, k agency.Kind) string {
	switch k {
	case agency.Department:
		return w.t("agency.kind.department")
	case agency.Office:
		return w.t("agency.kind.office")
	case agency.Police:
		return w.t("agency.kind.police")
	case agency.Party:
		return w.t("agency.kind.party")
	case agency.University:
		return w.t("agency.kind.university")
	case agency.Organisation:
		return w.t("agency.kind.organisation")
	case agency.Commune:
		return w.t("agency.kind.commune")
	}
	return string(k)
}
