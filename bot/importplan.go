package bot

// Importing a plan (or a list of communes) from a file an admin sends: the
// file, the plan's number, date and title, the preview with its unknown
// names (create or map each), and the confirmation. The exchange is kept in
// the store (store.PendingImport), so it survives a restart.

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/planimport"
	"agencybot/store"
)

// VerbImport is the buttons of an import: Ref = the action, Arg = its detail.
const VerbImport = "ip"

// importAge is how long an import in progress waits for the admin.
const importAge = 7 * 24 * time.Hour

// Kinds of pending import.
const (
	importPlan     = "plan"
	importCommunes = "communes"
)

// wantsImport tells whether a file from w is an import: w is an admin, and
// either waits to send one (/importplan) or has no task open as an officer.
func (b *Bot) wantsImport(ctx context.Context, w who) bool {
	if !w.Admin || b.Plans == nil {
		return false
	}
	if p, ok, err := b.Plans.PendingImportOf(ctx, w.ID, importAge); err == nil && ok && p.Awaiting == "file" {
		return true
	}
	if w.Agency() == "" {
		return true
	}
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	return err == nil && (!ok || se.AssignmentID == "")
}

// cmdImportPlan starts an import: with the plan's number, date and title on
// the line or not, the bot then waits for the file.
func (b *Bot) cmdImportPlan(ctx context.Context, w who, args string) {
	b.startImport(ctx, w, importPlan, args)
}

// cmdImportCommunes starts the import of a list of communes and wards.
func (b *Bot) cmdImportCommunes(ctx context.Context, w who, _ string) {
	b.startImport(ctx, w, importCommunes, "")
}

func (b *Bot) startImport(ctx context.Context, w who, kind, args string) {
	if b.Plans == nil {
		b.reply(w.Chat, w.t("import.unavailable"))
		return
	}
	p := store.PendingImport{AdminID: w.ID, Kind: kind, Awaiting: "file"}
	p.Number, p.Date, p.Title = parseMeta(args)
	if err := b.Plans.SavePendingImport(ctx, p); err != nil {
		b.fail(w, "save pending import", err)
		return
	}
	if kind == importCommunes {
		b.reply(w.Chat, w.t("import.send_communes"))
		return
	}
	b.reply(w.Chat, w.t("import.send_file"))
}

// onImportFile takes the file of an import.
func (b *Bot) onImportFile(ctx context.Context, w who, m *tgbotapi.Message) {
	d := m.Document
	p, ok, err := b.Plans.PendingImportOf(ctx, w.ID, importAge)
	if err != nil {
		b.fail(w, "load pending import", err)
		return
	}
	if !ok || p.Awaiting != "file" {
		p = store.PendingImport{AdminID: w.ID, Kind: importPlan}
	}
	if d.FileSize > planimport.MaxSize {
		b.reply(w.Chat, escape(planimport.ErrorOf(planimport.ErrSize).Message(w.Lang)))
		return
	}
	p.FileID, p.FileName, p.FileSize, p.Sheet, p.Update, p.Awaiting = d.FileID, d.FileName, int64(d.FileSize), "", false, ""
	if n, dt, t := parseMeta(m.Caption); n != "" || dt != "" || t != "" {
		p.Number, p.Date, p.Title = orElse(n, p.Number), orElse(dt, p.Date), orElse(t, p.Title)
	}
	b.advanceImport(ctx, w, p, 0)
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// readImport downloads and reads the pending file: a plan's table or a list
// of communes. A problem of the file is told to the admin (nothing stored,
// the pending import dropped) and ok is false.
func (b *Bot) readImport(ctx context.Context, w who, p store.PendingImport) (planimport.Table, *planimport.CommunePreview, *agency.Index, bool) {
	dl, ok := b.API.(Downloader)
	if !ok {
		b.reply(w.Chat, w.t("import.unavailable"))
		return planimport.Table{}, nil, nil, false
	}
	data, err := dl.Download(ctx, p.FileID, planimport.MaxSize)
	if err != nil {
		b.log().Warn("download import file", "user", w.ID, "err", err)
		b.reply(w.Chat, w.t("import.download_failed", escape(p.FileName)))
		return planimport.Table{}, nil, nil, false
	}
	ix, err := b.Catalog.AgencyIndex(ctx)
	if err != nil {
		b.fail(w, "agency index", err)
		return planimport.Table{}, nil, nil, false
	}
	if p.Kind == importCommunes {
		cp, err := planimport.ParseCommunes(p.FileName, data, ix)
		if err != nil {
			b.importFileError(ctx, w, p, err)
			return planimport.Table{}, nil, nil, false
		}
		return planimport.Table{}, &cp, ix, true
	}
	t, err := planimport.Parse(p.FileName, data, planimport.Options{Sheet: p.Sheet})
	if err != nil {
		b.importFileError(ctx, w, p, err)
		return planimport.Table{}, nil, nil, false
	}
	return t, nil, ix, true
}

// importFileError tells what is wrong with the file; with several sheets
// holding a table it asks which one.
func (b *Bot) importFileError(ctx context.Context, w who, p store.PendingImport, err error) {
	var pe *planimport.Error
	if !errors.As(err, &pe) {
		_ = b.Plans.DropPendingImport(ctx, w.ID)
		b.fail(w, "read import file", err)
		return
	}
	if pe.Code == planimport.ErrSheets && len(pe.Sheets) > 0 {
		p.Sheets = pe.Sheets
		if err := b.Plans.SavePendingImport(ctx, p); err != nil {
			b.fail(w, "save pending import", err)
			return
		}
		var rows [][]tgbotapi.InlineKeyboardButton
		for i, sh := range pe.Sheets {
			rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(sh,
				domain.Callback{Verb: VerbImport, Ref: "sh", Arg: itoa(i)}.Encode())))
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_cancel"),
			domain.Callback{Verb: VerbImport, Ref: "no"}.Encode())))
		kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
		b.replyKB(w.Chat, w.t("import.which_sheet", escape(p.FileName)), &kb)
		return
	}
	_ = b.Plans.DropPendingImport(ctx, w.ID)
	b.reply(w.Chat, w.t("import.bad_file", escape(p.FileName), escape(pe.Message(w.Lang))))
}

// advanceImport reads the pending file and moves the exchange on: it asks
// for what is missing (the plan's number, date, title) or shows the preview.
// msgID is the message to redraw (0: send a new one).
func (b *Bot) advanceImport(ctx context.Context, w who, p store.PendingImport, msgID int) {
	t, cp, ix, ok := b.readImport(ctx, w, p)
	if !ok {
		return
	}
	if cp == nil {
		// The number and date printed above the table are the defaults;
		// what the caption or the admin typed wins, and the preview offers
		// to change them.
		p.Number, p.Date = orElse(p.Number, t.Meta.Number), orElse(p.Date, t.Meta.Date)
	}
	if cp == nil && (p.Date == "" || p.Title == "") {
		p.Awaiting = "meta"
		if err := b.Plans.SavePendingImport(ctx, p); err != nil {
			b.fail(w, "save pending import", err)
			return
		}
		text := w.t("import.ask_meta", len(t.Tasks), escape(p.FileName), escape(missingMeta(w, p)))
		if found := foundMeta(w, p); found != "" {
			text += "\n" + found
		}
		b.ask(w.Chat, text, "77/KH-UBND 10/02/2027 …")
		return
	}
	if p.Awaiting != "" && !strings.HasPrefix(p.Awaiting, "map:") {
		p.Awaiting = ""
	}
	if err := b.Plans.SavePendingImport(ctx, p); err != nil {
		b.fail(w, "save pending import", err)
		return
	}
	var text string
	var kb tgbotapi.InlineKeyboardMarkup
	if cp != nil {
		text = cp.HTML(w.Lang)
		kb = tgbotapi.NewInlineKeyboardMarkup(confirmRow(w))
	} else {
		text, kb = previewMessage(w, p, t, ix, 0)
	}
	if msgID > 0 {
		b.edit(w.Chat, msgID, text, &kb)
		return
	}
	b.replyKB(w.Chat, text, &kb)
}

// previewMessage is the preview of a plan's table with the page'th page of
// its tasks and its buttons: create or map each unknown name, turn the
// page, change the number, date and title, confirm or cancel.
func previewMessage(w who, p store.PendingImport, t planimport.Table, ix *agency.Index, page int) (string, tgbotapi.InlineKeyboardMarkup) {
	pv := planimport.NewPreview(t, planimport.Meta{Number: p.Number, Date: p.Date, Title: p.Title}, ix)
	page = min(max(page, 0), pv.Pages()-1)
	text := pv.HTMLPage(w.Lang, page)
	var rows [][]tgbotapi.InlineKeyboardButton
	for i, u := range pv.Unknown {
		if i == maxUnknownButtons {
			text += "\n" + w.t("import.more_unknown", len(pv.Unknown)-i)
			break
		}
		h := nameHash(u.Text)
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(
			tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_create", short(u.Text, 24)), domain.Callback{Verb: VerbImport, Ref: "new", Arg: h}.Encode()),
			tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_map", short(u.Text, 24)), domain.Callback{Verb: VerbImport, Ref: "map", Arg: h}.Encode())))
	}
	if pv.Pages() > 1 {
		var nav []tgbotapi.InlineKeyboardButton
		if page > 0 {
			nav = append(nav, tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_prev"), domain.Callback{Verb: VerbImport, Ref: "pg", Arg: itoa(page - 1)}.Encode()))
		}
		if page < pv.Pages()-1 {
			nav = append(nav, tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_next"), domain.Callback{Verb: VerbImport, Ref: "pg", Arg: itoa(page + 1)}.Encode()))
		}
		rows = append(rows, nav)
	}
	rows = append(rows, tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_meta"), domain.Callback{Verb: VerbImport, Ref: "meta"}.Encode())))
	rows = append(rows, confirmRow(w))
	return text, tgbotapi.NewInlineKeyboardMarkup(rows...)
}

func confirmRow(w who) []tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_confirm"), domain.Callback{Verb: VerbImport, Ref: "ok"}.Encode()),
		tgbotapi.NewInlineKeyboardButtonData(w.t("import.btn_cancel"), domain.Callback{Verb: VerbImport, Ref: "no"}.Encode()))
}

// foundMeta says the number and date an import has so far (from the
// file, the caption or typed), for the admin to keep or change.
func foundMeta(w who, p store.PendingImport) string {
	var parts []string
	if p.Number != "" {
		parts = append(parts, w.t("import.meta_number")+" "+escape(p.Number))
	}
	if p.Date != "" {
		parts = append(parts, w.t("import.meta_date_is")+" "+planimport.Date(p.Date))
	}
	if p.Title != "" {
		parts = append(parts, w.t("import.meta_title")+" "+escape(p.Title))
	}
	if len(parts) == 0 {
		return ""
	}
	return w.t("import.meta_found", strings.Join(parts, ", "))
}

// maxUnknownButtons bounds the create/map buttons under one preview.
const maxUnknownButtons = 10

// nameHash is a short stable id of a name for the 64-byte callback data.
func nameHash(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(agency.Normalize(s)))
	return fmt.Sprintf("%08x", h.Sum32())
}

// short cuts a button label to n runes.
func short(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}

func missingMeta(w who, p store.PendingImport) string {
	var out []string
	if p.Number == "" {
		out = append(out, w.t("import.meta_number"))
	}
	if p.Date == "" {
		out = append(out, w.t("import.meta_date"))
	}
	if p.Title == "" {
		out = append(out, w.t("import.meta_title"))
	}
	return strings.Join(out, ", ")
}

var (
	metaNumberRE = regexp.MustCompile(`^\d+[\p{L}\d.-]*/[\p{L}\d./-]+$`)
	metaDateRE   = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{4})-(\d{2})-(\d{2})$`)
)

// parseMeta reads "77/KH-UBND 10/02/2027 Tên kế hoạch" (also "Kế hoạch số
// 77/KH-UBND ngày 10/02/2027 …" and dates as YYYY-MM-DD): the number, the
// date as YYYY-MM-DD and the title, each "" when absent or not valid.
func parseMeta(s string) (number, date, title string) {
	var rest []string
	fields := strings.Fields(s)
	for i, f := range fields {
		low := strings.ToLower(f)
		next := ""
		if i+1 < len(fields) {
			next = fields[i+1]
		}
		switch {
		case number == "" && metaNumberRE.MatchString(f) && !metaDateRE.MatchString(f):
			number = f
		case date == "" && metaDateRE.MatchString(strings.TrimSuffix(f, ",")):
			date = isoDate(strings.TrimSuffix(f, ","))
		case low == "số" && number == "" && metaNumberRE.MatchString(next):
			// "Kế hoạch số 77/KH-UBND": the words before the number name the kind of document.
			if n := len(rest); n >= 2 && strings.EqualFold(rest[n-2]+" "+rest[n-1], "kế hoạch") {
				rest = rest[:n-2]
			}
		case low == "ngày" && date == "" && metaDateRE.MatchString(next):
		default:
			rest = append(rest, f)
		}
	}
	return number, date, strings.Trim(strings.Join(rest, " "), " -–:,")
}

func isoDate(s string) string {
	m := metaDateRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	var t time.Time
	var err error
	if m[4] != "" {
		t, err = time.Parse(time.DateOnly, s)
	} else {
		t, err = time.Parse("2/1/2006", m[1]+"/"+m[2]+"/"+m[3])
	}
	if err != nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// importText takes what an admin types during an import: the plan's number,
// date and title, or the name of the agency to map an unknown name to. It
// reports false when no import waits for text.
func (b *Bot) importText(ctx context.Context, w who, text string) bool {
	if !w.Admin || b.Plans == nil {
		return false
	}
	p, ok, err := b.Plans.PendingImportOf(ctx, w.ID, importAge)
	if err != nil || !ok {
		return false
	}
	switch {
	case p.Awaiting == "meta":
		n, d, t := parseMeta(text)
		if n == "" && d == "" && t == "" {
			b.reply(w.Chat, w.t("import.meta_unreadable"))
			return true
		}
		p.Number, p.Date, p.Title = orElse(n, p.Number), orElse(d, p.Date), orElse(t, p.Title)
		b.advanceImport(ctx, w, p, 0)
		return true
	case strings.HasPrefix(p.Awaiting, "map:"):
		b.mapCandidates(ctx, w, p, strings.TrimPrefix(p.Awaiting, "map:"), text)
		return true
	}
	return false
}

// cancelImport drops an admin's import in progress; false when none.
func (b *Bot) cancelImport(ctx context.Context, w who) bool {
	if !w.Admin || b.Plans == nil {
		return false
	}
	if _, ok, err := b.Plans.PendingImportOf(ctx, w.ID, importAge); err != nil || !ok {
		return false
	}
	if err := b.Plans.DropPendingImport(ctx, w.ID); err != nil {
		b.fail(w, "drop pending import", err)
		return true
	}
	b.reply(w.Chat, w.t("import.cancelled"))
	return true
}
