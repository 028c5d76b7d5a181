package bot

// Importing a plan (or a list of communes) from a file an admin sends: the
// file, the plan's number, date and title, the preview with its unknown
// names (create or map each), and the confirmation. The exchange is kept in
// the store (store.PendingImport), so it survives a restart. The buttons of
// an import are in import_buttons.go.

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strings"
	"time"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/planimport"
	"agencybot/store"
	"agencybot/telegram"
)

// importStore stores plans and keeps each admin's import in progress
// (*store.Store: store/plans.go, store/pendingimport.go; nil: imports are
// not available).
type importStore interface {
	ImportPlan(ctx context.Context, meta planimport.Meta, t planimport.Table, update bool) (store.ImportResult, error)
	SavePendingImport(ctx context.Context, p store.PendingImport) error
	PendingImportOf(ctx context.Context, adminID int64, maxAge time.Duration) (store.PendingImport, bool, error)
	DropPendingImport(ctx context.Context, adminID int64) error
}

// agencyMaker creates agencies and aliases for the names an import does
// not recognise (*store.Store: store/agencies.go).
type agencyMaker interface {
	AddAgency(ctx context.Context, name string, kind agency.Kind, aliases []string) (domain.Agency, int, error)
	// CollectiveTasks counts the open collective tasks AddAgency would give
	// a new agency of kind.
	CollectiveTasks(ctx context.Context, kind agency.Kind) (int, error)
	AddAlias(ctx context.Context, key, alias string) (domain.Agency, error)
}

// Downloader fetches a file a user sent (getFile, then the file URL):
// *telegram.Client.
type Downloader interface {
	Download(ctx context.Context, fileID string, max int64) ([]byte, error)
}

type imports struct {
	*core
	store    importStore // nil: not available
	agencies agencyMaker
	sessions sessionStore
	files    Downloader // nil: files cannot be read
}

// importAge is how long an import in progress waits for the admin.
const importAge = 7 * 24 * time.Hour

// Kinds of pending import.
const (
	importPlan     = "plan"
	importCommunes = "communes"
)

// wants tells whether a file from w is an import: w is an admin, and
// either waits to send one (/importplan) or has no task open as an officer.
func (f *imports) wants(ctx context.Context, w who) bool {
	if !w.Admin || f.store == nil {
		return false
	}
	if p, ok, err := f.store.PendingImportOf(ctx, w.ID, importAge); err == nil && ok && p.Awaiting == "file" {
		return true
	}
	if w.Agency() == "" {
		return true
	}
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	return err == nil && (!ok || se.AssignmentID == "")
}

// start starts an import (/importplan, /importcommunes): with the plan's
// number, date and title on the line or not, the bot then waits for the
// file.
func (f *imports) start(ctx context.Context, w who, kind, args string) error {
	if f.store == nil {
		w.reply(w.t("import.unavailable"))
		return nil
	}
	p := store.PendingImport{AdminID: w.ID, Kind: kind, Awaiting: "file"}
	p.Number, p.Date, p.Title = parseMeta(args)
	if err := f.store.SavePendingImport(ctx, p); err != nil {
		return fmt.Errorf("save pending import: %w", err)
	}
	if kind == importCommunes {
		w.reply(w.t("import.send_communes"))
		return nil
	}
	w.reply(w.t("import.send_file"))
	return nil
}

// file takes the file of an import.
func (f *imports) file(ctx context.Context, w who, m *telegram.Message) error {
	d := m.Document
	p, ok, err := f.store.PendingImportOf(ctx, w.ID, importAge)
	if err != nil {
		return fmt.Errorf("load pending import: %w", err)
	}
	if !ok || p.Awaiting != "file" {
		p = store.PendingImport{AdminID: w.ID, Kind: importPlan}
	}
	if d.Size > planimport.MaxSize {
		w.reply(escape(planimport.ErrorOf(planimport.ErrSize).Message(w.Lang)))
		return nil
	}
	p.FileID, p.FileName, p.FileSize, p.Sheet, p.Update, p.Awaiting = d.ID, d.Name, d.Size, "", false, ""
	if n, dt, t := parseMeta(m.Caption); n != "" || dt != "" || t != "" {
		p.Number, p.Date, p.Title = orElse(n, p.Number), orElse(dt, p.Date), orElse(t, p.Title)
	}
	return f.advance(ctx, w, p, 0)
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// read downloads and reads the pending file: a plan's table or a list of
// communes. A problem of the file is told to the admin (nothing stored, the
// pending import dropped) and ok is false.
func (f *imports) read(ctx context.Context, w who, p store.PendingImport) (planimport.Table, *planimport.CommunePreview, *agency.Index, bool, error) {
	if f.files == nil {
		w.reply(w.t("import.unavailable"))
		return planimport.Table{}, nil, nil, false, nil
	}
	data, err := f.files.Download(ctx, p.FileID, planimport.MaxSize)
	if err != nil {
		f.log.Warn("download import file", "user", w.ID, "err", err)
		w.reply(w.t("import.download_failed", escape(p.FileName)))
		return planimport.Table{}, nil, nil, false, nil
	}
	ix, err := f.catalog.store.AgencyIndex(ctx)
	if err != nil {
		return planimport.Table{}, nil, nil, false, fmt.Errorf("agency index: %w", err)
	}
	if p.Kind == importCommunes {
		cp, err := planimport.ParseCommunes(p.FileName, data, ix)
		if err != nil {
			return planimport.Table{}, nil, nil, false, f.fileError(ctx, w, p, err)
		}
		return planimport.Table{}, &cp, ix, true, nil
	}
	t, err := planimport.Parse(p.FileName, data, planimport.Options{Sheet: p.Sheet})
	if err != nil {
		return planimport.Table{}, nil, nil, false, f.fileError(ctx, w, p, err)
	}
	return t, nil, ix, true, nil
}

// fileError tells what is wrong with the file; with several sheets holding
// a table it asks which one.
func (f *imports) fileError(ctx context.Context, w who, p store.PendingImport, err error) error {
	var pe *planimport.Error
	if !errors.As(err, &pe) {
		_ = f.store.DropPendingImport(ctx, w.ID)
		return fmt.Errorf("read import file: %w", err)
	}
	if pe.Code == planimport.ErrSheets && len(pe.Sheets) > 0 {
		p.Sheets = pe.Sheets
		if err := f.store.SavePendingImport(ctx, p); err != nil {
			return fmt.Errorf("save pending import: %w", err)
		}
		var rows [][]domain.Button
		for i, sh := range pe.Sheets {
			rows = append(rows, []domain.Button{button(sh, domain.Callback{Verb: VerbImport, Ref: "sh", Arg: itoa(i)})})
		}
		rows = append(rows, []domain.Button{button(w.t("import.btn_cancel"), domain.Callback{Verb: VerbImport, Ref: "no"})})
		w.replyKB(w.t("import.which_sheet", escape(p.FileName)), rows)
		return nil
	}
	_ = f.store.DropPendingImport(ctx, w.ID)
	w.reply(w.t("import.bad_file", escape(p.FileName), escape(pe.Message(w.Lang))))
	return nil
}

// advance reads the pending file and moves the exchange on: it asks for
// what is missing (the plan's number, date, title) or shows the preview.
// msgID is the message to redraw (0: send a new one).
func (f *imports) advance(ctx context.Context, w who, p store.PendingImport, msgID int) error {
	t, cp, ix, ok, err := f.read(ctx, w, p)
	if !ok {
		return err
	}
	if cp == nil {
		// The number and date printed above the table are the defaults;
		// what the caption or the admin typed wins, and the preview offers
		// to change them.
		p.Number, p.Date = orElse(p.Number, t.Meta.Number), orElse(p.Date, t.Meta.Date)
	}
	if cp == nil && (p.Date == "" || p.Title == "") {
		p.Awaiting = "meta"
		if err := f.store.SavePendingImport(ctx, p); err != nil {
			return fmt.Errorf("save pending import: %w", err)
		}
		text := w.t("import.ask_meta", len(t.Tasks), escape(p.FileName), escape(missingMeta(w, p)))
		if found := foundMeta(w, p); found != "" {
			text += "\n" + found
		}
		w.ask(text, "77/KH-UBND 10/02/2027 …")
		return nil
	}
	if p.Awaiting != "" && !strings.HasPrefix(p.Awaiting, "map:") {
		p.Awaiting = ""
	}
	if err := f.store.SavePendingImport(ctx, p); err != nil {
		return fmt.Errorf("save pending import: %w", err)
	}
	var text string
	var kb [][]domain.Button
	if cp != nil {
		text = cp.HTML(w.Lang)
		kb = [][]domain.Button{confirmRow(w)}
	} else {
		text, kb = previewMessage(w, p, t, ix, 0)
	}
	if msgID > 0 {
		w.edit(msgID, text, kb)
		return nil
	}
	w.replyKB(text, kb)
	return nil
}

// previewMessage is the preview of a plan's table with the page'th page of
// its tasks and its buttons: create or map each unknown name, turn the
// page, change the number, date and title, confirm or cancel.
func previewMessage(w who, p store.PendingImport, t planimport.Table, ix *agency.Index, page int) (string, [][]domain.Button) {
	pv := planimport.NewPreview(t, planimport.Meta{Number: p.Number, Date: p.Date, Title: p.Title}, ix)
	page = min(max(page, 0), pv.Pages()-1)
	text := pv.HTMLPage(w.Lang, page)
	var rows [][]domain.Button
	for i, u := range pv.Unknown {
		if i == maxUnknownButtons {
			text += "\n" + w.t("import.more_unknown", len(pv.Unknown)-i)
			break
		}
		h := nameHash(u.Text)
		rows = append(rows, []domain.Button{
			button(w.t("import.btn_create", short(u.Text, 24)), domain.Callback{Verb: VerbImport, Ref: "new", Arg: h}),
			button(w.t("import.btn_map", short(u.Text, 24)), domain.Callback{Verb: VerbImport, Ref: "map", Arg: h})})
	}
	if pv.Pages() > 1 {
		var nav []domain.Button
		if page > 0 {
			nav = append(nav, button(w.t("import.btn_prev"), domain.Callback{Verb: VerbImport, Ref: "pg", Arg: itoa(page - 1)}))
		}
		if page < pv.Pages()-1 {
			nav = append(nav, button(w.t("import.btn_next"), domain.Callback{Verb: VerbImport, Ref: "pg", Arg: itoa(page + 1)}))
		}
		rows = append(rows, nav)
	}
	rows = append(rows, []domain.Button{button(w.t("import.btn_meta"), domain.Callback{Verb: VerbImport, Ref: "meta"})})
	rows = append(rows, confirmRow(w))
	return text, rows
}

func confirmRow(w who) []domain.Button {
	return []domain.Button{
		button(w.t("import.btn_confirm"), domain.Callback{Verb: VerbImport, Ref: "ok"}),
		button(w.t("import.btn_cancel"), domain.Callback{Verb: VerbImport, Ref: "no"})}
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

// text takes what an admin types during an import: the plan's number,
// date and title, or the name of the agency to map an unknown name to. took
// is false when no import waits for text.
func (f *imports) text(ctx context.Context, w who, text string) (took bool, err error) {
	if !w.Admin || f.store == nil {
		return false, nil
	}
	p, ok, err := f.store.PendingImportOf(ctx, w.ID, importAge)
	if err != nil || !ok {
		return false, nil
	}
	switch {
	case p.Awaiting == "meta":
		n, d, t := parseMeta(text)
		if n == "" && d == "" && t == "" {
			w.reply(w.t("import.meta_unreadable"))
			return true, nil
		}
		p.Number, p.Date, p.Title = orElse(n, p.Number), orElse(d, p.Date), orElse(t, p.Title)
		return true, f.advance(ctx, w, p, 0)
	case strings.HasPrefix(p.Awaiting, "map:"):
		return true, f.candidates(ctx, w, p, strings.TrimPrefix(p.Awaiting, "map:"), text)
	}
	return false, nil
}

// cancel drops an admin's import in progress; took is false when none.
func (f *imports) cancel(ctx context.Context, w who) (took bool, err error) {
	if !w.Admin || f.store == nil {
		return false, nil
	}
	if _, ok, err := f.store.PendingImportOf(ctx, w.ID, importAge); err != nil || !ok {
		return false, nil
	}
	if err := f.store.DropPendingImport(ctx, w.ID); err != nil {
		return true, fmt.Errorf("drop pending import: %w", err)
	}
	w.reply(w.t("import.cancelled"))
	return true, nil
}
