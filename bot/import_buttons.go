package bot

// The buttons of an import: choose a sheet, create or map an unknown name,
// confirm, update an existing plan, cancel; and /template.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/planimport"
	"agencybot/store"
)

// maxCandidates bounds the agencies offered for a mapping.
const maxCandidates = 8

// button moves an import on.
func (f *imports) button(ctx context.Context, w who, cb domain.Callback) error {
	if f.store == nil {
		w.answer(w.t("err.admins_only"), true)
		return nil
	}
	msgID := w.pressed()
	p, ok, err := f.store.PendingImportOf(ctx, w.ID, importAge)
	if err != nil {
		return fmt.Errorf("load pending import of %d: %w", w.ID, err)
	}
	if !ok || p.FileID == "" {
		w.answer(w.t("import.none_pending"), true)
		return nil
	}
	switch cb.Ref {
	case "no":
		_ = f.store.DropPendingImport(ctx, w.ID)
		w.answer("", false)
		w.edit(msgID, w.t("import.cancelled"), nil)
	case "sh":
		i, err := strconv.Atoi(cb.Arg)
		if err != nil || i < 0 || i >= len(p.Sheets) {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		w.answer("", false)
		p.Sheet, p.Sheets = p.Sheets[i], nil
		return f.advance(ctx, w, p, 0)
	case "ok", "upd":
		w.answer("", false)
		if cb.Ref == "upd" {
			p.Update = true
		}
		return f.confirm(ctx, w, p, msgID)
	case "new", "map", "kind", "to", "mk", "kinds":
		w.answer("", false)
		return f.resolve(ctx, w, p, cb, msgID)
	case "pg":
		page, err := strconv.Atoi(cb.Arg)
		if err != nil || p.Kind != importPlan {
			w.answer(w.t("err.stale_button"), true)
			return nil
		}
		w.answer("", false)
		t, _, ix, ok, err := f.read(ctx, w, p)
		if !ok {
			return err
		}
		text, kb := previewMessage(w, p, t, ix, page)
		w.edit(msgID, text, kb)
	case "meta":
		w.answer("", false)
		p.Awaiting = "meta"
		if err := f.store.SavePendingImport(ctx, p); err != nil {
			return fmt.Errorf("save pending import: %w", err)
		}
		w.ask(w.t("import.ask_change_meta", foundMeta(w, p)), "77/KH-UBND 10/02/2027 …")
	default:
		w.answer(w.t("err.stale_button"), true)
	}
	return nil
}

// unknownName finds the unrecognised name with hash h in the preview of p.
func (f *imports) unknownName(ctx context.Context, w who, p store.PendingImport, h string) (string, bool, error) {
	t, cp, ix, ok, err := f.read(ctx, w, p)
	if !ok || cp != nil {
		return "", false, err
	}
	for _, u := range planimport.NewPreview(t, planimport.Meta{}, ix).Unknown {
		if nameHash(u.Text) == h {
			return u.Text, true, nil
		}
	}
	w.reply(w.t("import.name_resolved"))
	return "", false, nil
}

// resolve creates an agency for an unknown name, or maps it to an existing
// agency as an alias, then redraws the preview.
func (f *imports) resolve(ctx context.Context, w who, p store.PendingImport, cb domain.Callback, msgID int) error {
	h, arg, _ := strings.Cut(cb.Arg, ":")
	name, ok, err := f.unknownName(ctx, w, p, h)
	if !ok {
		return err
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
			var rows [][]domain.Button
			for _, k := range agency.Kinds() {
				rows = append(rows, []domain.Button{button(kindText(w, k), domain.Callback{Verb: VerbImport, Ref: "kind", Arg: h + ":" + string(k)})})
			}
			w.replyKB(w.t("import.ask_kind", escape(name)), rows)
			return nil
		}
		if !kind.Valid() {
			w.reply(w.t("err.stale_button"))
			return nil
		}
		n, err := f.agencies.CollectiveTasks(ctx, kind)
		if err != nil {
			return fmt.Errorf("count collective tasks: %w", err)
		}
		w.replyKB(w.t("import.confirm_create", escape(name), escape(kindText(w, kind)), i18n.N(w.Lang, "import.confirm_create_tasks", n, n)), [][]domain.Button{
			{button(w.t("import.btn_create_ok"), domain.Callback{Verb: VerbImport, Ref: "mk", Arg: h + ":" + string(kind)})},
			{button(w.t("import.btn_other_kind"), domain.Callback{Verb: VerbImport, Ref: "kinds", Arg: h})}})
	case "mk":
		kind := agency.Kind(arg)
		if !kind.Valid() {
			w.reply(w.t("err.stale_button"))
			return nil
		}
		a, n, err := f.agencies.AddAgency(ctx, name, kind, nil)
		if err != nil {
			w.reply(w.t("import.agency_not_added", escape(name), escape(err.Error())))
			return nil
		}
		f.catalog.changed(ctx)
		w.edit(msgID, w.t("import.agency_added", escape(a.Name), n), nil)
		return f.advance(ctx, w, p, 0)
	case "map":
		p.Awaiting = "map:" + h
		if err := f.store.SavePendingImport(ctx, p); err != nil {
			return fmt.Errorf("save pending import: %w", err)
		}
		w.ask(w.t("import.ask_map", escape(name)), w.t("import.map_placeholder"))
	case "to":
		a, err := f.agencies.AddAlias(ctx, arg, name)
		if err != nil {
			w.reply(w.t("import.alias_not_added", escape(name), escape(err.Error())))
			return nil
		}
		f.catalog.changed(ctx)
		p.Awaiting = ""
		w.reply(w.t("import.alias_added", escape(name), escape(a.Name)))
		return f.advance(ctx, w, p, 0)
	}
	return nil
}

// candidates offers the agencies whose name or alias contains what the
// admin typed, for the unknown name with hash h.
func (f *imports) candidates(ctx context.Context, w who, p store.PendingImport, h, typed string) error {
	name, ok, err := f.unknownName(ctx, w, p, h)
	if !ok {
		p.Awaiting = ""
		_ = f.store.SavePendingImport(ctx, p)
		return err
	}
	list, err := f.catalog.store.Agencies(ctx)
	if err != nil {
		return fmt.Errorf("list agencies: %w", err)
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
		w.ask(w.t("import.map_none", escape(typed), escape(name)), w.t("import.map_placeholder"))
		return nil
	case len(found) > maxCandidates:
		w.ask(w.t("import.map_many", len(found), escape(typed)), w.t("import.map_placeholder"))
		return nil
	}
	var rows [][]domain.Button
	for _, a := range found {
		cb := domain.Callback{Verb: VerbImport, Ref: "to", Arg: h + ":" + a.Key}
		if len(cb.Encode()) > 64 {
			continue
		}
		rows = append(rows, []domain.Button{button(short(a.Name, 40), cb)})
	}
	w.replyKB(w.t("import.map_choose", escape(name)), rows)
	return nil
}

// confirm stores the plan (or the communes) of the pending import, and
// brings the summaries up to date before it answers.
func (f *imports) confirm(ctx context.Context, w who, p store.PendingImport, msgID int) error {
	t, cp, _, ok, err := f.read(ctx, w, p)
	if !ok {
		return err
	}
	if cp != nil {
		added := 0
		for _, c := range cp.New {
			if _, _, err := f.agencies.AddAgency(ctx, c.Name, agency.Commune, c.Aliases); err != nil {
				w.reply(w.t("import.agency_not_added", escape(c.Name), escape(err.Error())))
				continue
			}
			added++
		}
		_ = f.store.DropPendingImport(ctx, w.ID)
		f.catalog.changed(ctx)
		w.edit(msgID, w.t("import.communes_done", added, len(cp.Known)), nil)
		return nil
	}
	r, err := f.store.ImportPlan(ctx, planimport.Meta{Number: p.Number, Date: p.Date, Title: p.Title}, t, p.Update)
	var exists *store.PlanExistsError
	switch {
	case errors.As(err, &exists):
		w.replyKB(w.t("import.exists", escape(exists.Plan.Number), planimport.Date(exists.Plan.Date)), [][]domain.Button{{
			button(w.t("import.btn_update"), domain.Callback{Verb: VerbImport, Ref: "upd"}),
			button(w.t("import.btn_cancel"), domain.Callback{Verb: VerbImport, Ref: "no"})}})
		return nil
	case err != nil:
		f.log.Error("import plan", "user", w.ID, "err", err)
		w.reply(w.t("import.failed"))
		return nil
	}
	_ = f.store.DropPendingImport(ctx, w.ID)
	f.catalog.changed(ctx)
	key := "import.done"
	if r.Updated {
		key = "import.updated"
	}
	w.edit(msgID, w.t(key, escape(r.Plan.Code), escape(r.Plan.Number), escape(r.Plan.Title),
		r.Tasks.Inserted+r.Tasks.Updated+r.Tasks.Unchanged, r.Assignments.Inserted, r.Assignments.Withdrawn), nil)
	return nil
}

// template sends the empty template workbook.
func (f *imports) template(w who) error {
	data, err := planimport.Template()
	if err != nil {
		return fmt.Errorf("template: %w", err)
	}
	if err := w.out.SendFile(w.Chat, domain.Attachment{Kind: domain.AttachDocument, Name: "mau-ke-hoach.xlsx", Data: data}, w.t("import.template_caption")); err != nil {
		w.reply(w.t("err.internal"))
	}
	return nil
}
