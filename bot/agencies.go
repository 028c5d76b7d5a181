package bot

// Agencies from the chat: /agencies lists them with their officers and open
// tasks; admins add one, rename one, give one an alias and deactivate one
// (after a confirmation).

import (
	"context"
	"fmt"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
)

// VerbAgency is the buttons of agency management: Ref = "d" (deactivate,
// confirmed) or "x" (cancel), Arg = the agency key.
const VerbAgency = "ag"

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

// cmdAgencies lists the agencies with their linked officers and open tasks.
func (b *Bot) cmdAgencies(ctx context.Context, w who, _ string) {
	list, err := b.Catalog.Agencies(ctx)
	if err != nil {
		b.fail(w, "list agencies", err)
		return
	}
	people, err := b.People.Officers(ctx, "")
	if err != nil {
		b.fail(w, "list officers", err)
		return
	}
	officers := map[string]int{}
	for _, o := range people {
		if o.Role == domain.RoleOfficer {
			officers[o.AgencyKey]++
		}
	}
	as, err := b.Assignments.AllAssignments(ctx)
	if err != nil {
		b.fail(w, "list assignments", err)
		return
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
	b.reply(w.Chat, sb.String())
}

// findAgency finds an agency by key or by a name the index matches.
func (b *Bot) findAgency(ctx context.Context, w who, text string) (domain.Agency, bool) {
	text = strings.TrimSpace(text)
	if a, err := b.Catalog.Agency(ctx, text); err == nil && a.Key != "" {
		return a, true
	}
	if ix, err := b.Catalog.AgencyIndex(ctx); err == nil {
		if m, ok := ix.Match(text); ok {
			if a, err := b.Catalog.Agency(ctx, m.Key); err == nil {
				return a, true
			}
		}
	}
	b.reply(w.Chat, w.t("agencies.unknown", escape(i18n.Shorten(text, 80))))
	return domain.Agency{}, false
}

// cmdAddAgency: /addagency <name> [| kind].
func (b *Bot) cmdAddAgency(ctx context.Context, w who, args string) {
	name, kindArg, _ := strings.Cut(args, "|")
	name = strings.TrimSpace(name)
	if name == "" || b.Plans == nil {
		b.reply(w.Chat, w.t("agencies.add_usage"))
		return
	}
	kind, ok := agency.KindOf(name)
	if k := strings.ToLower(strings.TrimSpace(kindArg)); k != "" {
		if kind, ok = kindWords[k]; !ok {
			b.reply(w.Chat, w.t("agencies.add_usage"))
			return
		}
	} else if !ok {
		kind = agency.Department
	}
	a, n, err := b.Plans.AddAgency(ctx, name, kind, nil)
	if err != nil {
		b.reply(w.Chat, w.t("import.agency_not_added", escape(name), escape(err.Error())))
		return
	}
	b.catalogChanged(ctx)
	b.reply(w.Chat, w.t("agencies.added", escape(a.Name), kindText(w, a.Kind), n))
}

// twoParts splits "<agency> = <text>".
func (b *Bot) twoParts(w who, args, usage string) (string, string, bool) {
	left, right, ok := strings.Cut(args, "=")
	left, right = strings.TrimSpace(left), strings.TrimSpace(right)
	if !ok || left == "" || right == "" || b.Plans == nil {
		b.reply(w.Chat, w.t(usage))
		return "", "", false
	}
	return left, right, true
}

// cmdRenameAgency: /renameagency <agency> = <new name>.
func (b *Bot) cmdRenameAgency(ctx context.Context, w who, args string) {
	left, name, ok := b.twoParts(w, args, "agencies.rename_usage")
	if !ok {
		return
	}
	a, ok := b.findAgency(ctx, w, left)
	if !ok {
		return
	}
	r, err := b.Plans.RenameAgency(ctx, a.Key, name)
	if err != nil {
		b.reply(w.Chat, w.t("agencies.not_changed", escape(err.Error())))
		return
	}
	b.catalogChanged(ctx)
	b.reply(w.Chat, w.t("agencies.renamed", escape(a.Name), escape(r.Name)))
}

// cmdAlias: /alias <agency> = <another name>.
func (b *Bot) cmdAlias(ctx context.Context, w who, args string) {
	left, alias, ok := b.twoParts(w, args, "agencies.alias_usage")
	if !ok {
		return
	}
	a, ok := b.findAgency(ctx, w, left)
	if !ok {
		return
	}
	r, err := b.Plans.AddAlias(ctx, a.Key, alias)
	if err != nil {
		b.reply(w.Chat, w.t("import.alias_not_added", escape(alias), escape(err.Error())))
		return
	}
	b.catalogChanged(ctx)
	b.reply(w.Chat, w.t("import.alias_added", escape(alias), escape(r.Name)))
}

// cmdDeactivate: /deactivate <agency>, confirmed by a button.
func (b *Bot) cmdDeactivate(ctx context.Context, w who, args string) {
	if strings.TrimSpace(args) == "" || b.Plans == nil {
		b.reply(w.Chat, w.t("agencies.deactivate_usage"))
		return
	}
	a, ok := b.findAgency(ctx, w, args)
	if !ok {
		return
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(w.t("agencies.btn_deactivate"), domain.Callback{Verb: VerbAgency, Ref: "d", Arg: a.Key}.Encode()),
		tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_cancel"), domain.Callback{Verb: VerbAgency, Ref: "x", Arg: a.Key}.Encode())))
	b.replyKB(w.Chat, w.t("agencies.deactivate_confirm", escape(a.Name)), &kb)
}

func (b *Bot) cbAgency(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if !w.Admin || b.Plans == nil {
		b.answer(q.ID, w.t("err.admins_only"), true)
		return
	}
	switch cb.Ref {
	case "x":
		b.answer(q.ID, "", false)
		b.edit(w.Chat, msgID, w.t("agencies.kept"), nil)
	case "d":
		a, err := b.Catalog.Agency(ctx, cb.Arg)
		if err != nil {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		n, err := b.Plans.DeactivateAgency(ctx, a.Key)
		if err != nil {
			b.answer(q.ID, w.t("err.internal"), true)
			b.log().Error("deactivate agency", "agency", a.Key, "err", err)
			return
		}
		b.catalogChanged(ctx)
		b.answer(q.ID, "", false)
		b.edit(w.Chat, msgID, w.t("agencies.deactivated", escape(a.Name), n), nil)
	default:
		b.answer(q.ID, w.t("err.stale_button"), true)
	}
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
