package bot

// The buttons of an import: choose a sheet, create or map an unknown name,
// confirm, update an existing plan, cancel; and /template.

import (
	"context"
	"errors"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/planimport"
	"agencybot/store"
)

// maxCandidates bounds the agencies offered for a mapping.
const maxCandidates = 8

func (b *Bot) cbImport(ctx context.Context, w who, q *tgbotapi.CallbackQuery, cb domain.Callback, msgID int) {
	if !w.Admin || b.Plans == nil {
		b.answer(q.ID, w.t("err.admins_only"), true)
		return
	}
	p, ok, err := b.Plans.PendingImportOf(ctx, w.ID, importAge)
	if err != nil {
		b.answer(q.ID, w.t("err.internal"), true)
		b.log().Error("load pending import", "user", w.ID, "err", err)
		return
	}
	if !ok || p.FileID == "" {
		b.answer(q.ID, w.t("import.none_pending"), true)
		return
	}
	switch cb.Ref {
	case "no":
		_ = b.Plans.DropPendingImport(ctx, w.ID)
		b.answer(q.ID, "", false)
		b.edit(w.Chat, msgID, w.t("import.cancelled"), nil)
	case "sh":
		i, err := strconv.Atoi(cb.Arg)
		if err != nil || i < 0 || i >= len(p.Sheets) {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		b.answer(q.ID, "", false)
		p.Sheet, p.Sheets = p.Sheets[i], nil
		b.advanceImport(ctx, w, p, 0)
	case "ok", "upd":
		b.answer(q.ID, "", false)
		if cb.Ref == "upd" {
			p.Update = true
		}
		b.confirmImport(ctx, w, p, msgID)
	case "new", "map", "kind", "to", "mk", "kinds":
		b.answer(q.ID, "", false)
		b.resolveUnknown(ctx, w, p, cb, msgID)
	case "pg":
		page, err := strconv.Atoi(cb.Arg)
		if err != nil || p.Kind != importPlan {
			b.answer(q.ID, w.t("err.stale_button"), true)
			return
		}
		b.answer(q.ID, "", false)
		t, _, ix, ok := b.readImport(ctx, w, p)
		if !ok {
			return
		}
		text, kb := previewMessage(w, p, t, ix, page)
		b.edit(w.Chat, msgID, text, &kb)
	case "meta":
		b.answer(q.ID, "", false)
		p.Awaiting = "meta"
		if err := b.Plans.SavePendingImport(ctx, p); err != nil {
			b.fail(w, "save pending import", err)
			return
		}
		b.ask(w.Chat, w.t("import.ask_change_meta", foundMeta(w, p)), "77/KH-UBND 10/02/2027 …")
	default:
		b.answer(q.ID, w.t("err.stale_button"), true)
	}
}

// unknownName finds the unrecognised name with hash h in the preview of p.
func (b *Bot) unknownName(ctx context.Context, w who, p store.PendingImport, h string) (string, bool) {
	t, cp, ix, ok := b.readImport(ctx, w, p)
	if !ok || cp != nil {
		return "", false
	}
	for _, u := range planimport.NewPreview(t, planimport.Meta{}, ix).Unknown {
		if nameHash(u.Text) == h {
			return u.Text, true
		}
	}
	b.reply(w.Chat, w.t("import.name_resolved"))
	return "", false
}

// resolveUnknown creates an agency for an unknown name, or maps it to an
// existing agency as an alias, then redraws the preview.
func (b *Bot) resolveUnknown(ctx context.Context, w who, p store.PendingImport, cb domain.Callback, msgID int) {
	h, arg, _ := strings.Cut(cb.Arg, ":")
	name, ok := b.unknownName(ctx, w, p, h)
	if !ok {
		return
	}
	switch cb.Ref {
	case "new", "kind", "kinds":
		// Creating an agency hands it every open collective task of its
		// kind: the admin is told how many before it is created.
		kind := agency.Kind(arg)
		k, guessed := agency.KindOf(name)
		if cb.Ref == "new" && guessed {
			kind = k
		}
		if cb.Ref == "kinds" || (cb.Ref == "new" && !guessed) {
			var rows [][]tgbotapi.InlineKeyboardButton
			for _, k := range agency.Kinds() {
				rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(kindText(w, k),
					domain.Callback{Verb: VerbImport, Ref: "kind", Arg: h + ":" + string(k)}.Encode())))
			}
			kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
			b.replyKB(w.Chat, w.t("import.ask_kind", escape(name)), &kb)
			return
		}
		if !kind.Valid() {
			b.reply(w.Chat, w.t("err.stale_button"))
			return
		}
		n, err := b.Plans.CollectiveTasks(ctx, kind)
		if err != nil {
			b.fail(w, "count collective tasks", err)
			return
		}
		kb := tgbotapi.NewInlineKeyboardMarkup(
			tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_create_ok"),
				domain.Callback{Verb: VerbImport, Ref: "mk", Arg: h + ":" + string(kind)}.Encode())),
			tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_other_kind"),
				domain.Callback{Verb: VerbImport, Ref: "kinds", Arg: h}.Encode())))
		b.replyKB(w.Chat, w.t("import.confirm_create", escape(name), escape(kindText(w, kind)), i18n.N(w.Lang, "import.confirm_create_tasks", n, n)), &kb)
	case "mk":
		kind := agency.Kind(arg)
		if !kind.Valid() {
			b.reply(w.Chat, w.t("err.stale_button"))
			return
		}
		a, n, err := b.Plans.AddAgency(ctx, name, kind, nil)
		if err != nil {
			b.reply(w.Chat, w.t("import.agency_not_added", escape(name), escape(err.Error())))
			return
		}
		b.catalogChanged(ctx)
		b.edit(w.Chat, msgID, w.t("import.agency_added", escape(a.Name), n), nil)
		b.advanceImport(ctx, w, p, 0)
	case "map":
		p.Awaiting = "map:" + h
		if err := b.Plans.SavePendingImport(ctx, p); err != nil {
			b.fail(w, "save pending import", err)
			return
		}
		b.ask(w.Chat, w.t("import.ask_map", escape(name)), w.t("import.map_placeholder"))
	case "to":
		a, err := b.Plans.AddAlias(ctx, arg, name)
		if err != nil {
			b.reply(w.Chat, w.t("import.alias_not_added", escape(name), escape(err.Error())))
			return
		}
		b.catalogChanged(ctx)
		p.Awaiting = ""
		b.reply(w.Chat, w.t("import.alias_added", escape(name), escape(a.Name)))
		b.advanceImport(ctx, w, p, 0)
	}
}

// mapCandidates offers the agencies whose name or alias contains what the
// admin typed, for the unknown name with hash h.
func (b *Bot) mapCandidates(ctx context.Context, w who, p store.PendingImport, h, typed string) {
	name, ok := b.unknownName(ctx, w, p, h)
	if !ok {
		p.Awaiting = ""
		_ = b.Plans.SavePendingImport(ctx, p)
		return
	}
	list, err := b.Catalog.Agencies(ctx)
	if err != nil {
		b.fail(w, "list agencies", err)
		return
	}
	want := agency.Normalize(typed)
	var found []domain.Agency
	for _, a := range list {
		if want == "" {
			continue
		}
		hit := strings.Contains(agency.Normalize(a.Name), want) || a.Key == strings.TrimSpace(typed)
		for _, al := range a.Aliases {
			hit = hit || strings.Contains(agency.Normalize(al), want)
		}
		if hit {
			found = append(found, a)
		}
	}
	switch {
	case len(found) == 0:
		b.ask(w.Chat, w.t("import.map_none", escape(typed), escape(name)), w.t("import.map_placeholder"))
		return
	case len(found) > maxCandidates:
		b.ask(w.Chat, w.t("import.map_many", len(found), escape(typed)), w.t("import.map_placeholder"))
		return
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, a := range found {
		data := domain.Callback{Verb: VerbImport, Ref: "to", Arg: h + ":" + a.Key}.Encode()
		if len(data) > 64 {
			continue
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(short(a.Name, 40), data)))
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	b.replyKB(w.Chat, w.t("import.map_choose", escape(name)), &kb)
}

// confirmImport stores the plan (or the communes) of the pending import.
func (b *Bot) confirmImport(ctx context.Context, w who, p store.PendingImport, msgID int) {
	t, cp, _, ok := b.readImport(ctx, w, p)
	if !ok {
		return
	}
	if cp != nil {
		added := 0
		for _, c := range cp.New {
			if _, _, err := b.Plans.AddAgency(ctx, c.Name, agency.Commune, c.Aliases); err != nil {
				b.reply(w.Chat, w.t("import.agency_not_added", escape(c.Name), escape(err.Error())))
				continue
			}
			added++
		}
		_ = b.Plans.DropPendingImport(ctx, w.ID)
		b.catalogChanged(ctx)
		b.edit(w.Chat, msgID, w.t("import.communes_done", added, len(cp.Known)), nil)
		return
	}
	r, err := b.Plans.ImportPlan(ctx, planimport.Meta{Number: p.Number, Date: p.Date, Title: p.Title}, t, p.Update)
	var exists *store.PlanExistsError
	switch {
	case errors.As(err, &exists):
		kb := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_update"), domain.Callback{Verb: VerbImport, Ref: "upd"}.Encode()),
			tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_cancel"), domain.Callback{Verb: VerbImport, Ref: "no"}.Encode())))
		b.replyKB(w.Chat, w.t("import.exists", escape(exists.Plan.Number), planimport.Date(exists.Plan.Date)), &kb)
		return
	case err != nil:
		b.log().Error("import plan", "user", w.ID, "err", err)
		b.reply(w.Chat, w.t("import.failed"))
		return
	}
	_ = b.Plans.DropPendingImport(ctx, w.ID)
	b.catalogChanged(ctx)
	key := "import.done"
	if r.Updated {
		key = "import.updated"
	}
	b.edit(w.Chat, msgID, w.t(key, escape(r.Plan.Code), escape(r.Plan.Number), escape(r.Plan.Title),
		r.Tasks.Inserted+r.Tasks.Updated+r.Tasks.Unchanged, r.Assignments.Inserted, r.Assignments.Withdrawn), nil)
}

// cmdTemplate sends the empty template workbook.
func (b *Bot) cmdTemplate(_ context.Context, w who, _ string) {
	data, err := planimport.Template()
	if err != nil {
		b.fail(w, "template", err)
		return
	}
	d := tgbotapi.NewDocument(w.Chat, tgbotapi.FileBytes{Name: "mau-ke-hoach.xlsx", Bytes: data})
	d.Caption = w.t("import.template_caption")
	if _, err := b.call(d); err != nil {
		b.reply(w.Chat, w.t("err.internal"))
	}
}
