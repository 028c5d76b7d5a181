package bot

// Evidence: a document or photo an officer sends while a task is open is
// stored on it (an admin's file with no task open is an import instead).

import (
	"context"
	"fmt"
	"mime"
	"path/filepath"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/telegram"
)

// evidenceExt lists the kinds of file accepted as evidence.
var evidenceExt = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true,
	".odt": true, ".ods": true, ".odp": true, ".rtf": true, ".txt": true, ".csv": true,
	".jpg": true, ".jpeg": true, ".png": true, ".heic": true, ".webp": true, ".tif": true, ".tiff": true,
	".zip": true, ".rar": true, ".7z": true,
}

// maxEvidence is the largest file accepted (Telegram's bot download limit).
const maxEvidence = 20 << 20

type evidence struct {
	*core
	sessions    sessionStore
	assignments assignmentReader
	imports     *imports
	reviews     *reviews
	changes     *changes
}

// file stores a document or photo as evidence on the task the officer has open.
func (f *evidence) file(ctx context.Context, w who, m *telegram.Message) error {
	if m.Document != nil && f.imports.wants(ctx, w) { // an admin's file with no task open is an import
		return f.imports.file(ctx, w, m)
	}
	if w.Agency() == "" {
		w.reply(w.t("tasks.not_officer"))
		return nil
	}
	var ev domain.Evidence
	switch {
	case m.Document != nil:
		d := m.Document
		ext := strings.ToLower(filepath.Ext(d.Name))
		if !evidenceExt[ext] {
			w.reply(w.t("err.file_kind", escape(d.Name)))
			return nil
		}
		if d.Size > maxEvidence {
			w.reply(w.t("err.file_size", escape(d.Name)))
			return nil
		}
		ev = domain.Evidence{FileID: d.ID, FileUniqueID: d.UniqueID, Name: d.Name, Mime: d.MIME, Size: d.Size, Kind: "document"}
	default:
		p := m.Photo // the largest size
		ev = domain.Evidence{FileID: p.ID, FileUniqueID: p.UniqueID, Name: p.Name, Mime: p.MIME, Size: p.Size, Kind: "photo"}
	}
	se, ok, err := f.sessions.Session(ctx, w.ID, sessionAge)
	if err != nil {
		return fmt.Errorf("load session: %w", err)
	}
	if !ok || se.AssignmentID == "" {
		w.reply(w.t("err.file_no_task"))
		return nil
	}
	a, err := f.assignments.Assignment(ctx, se.AssignmentID)
	if err != nil || a.AgencyKey != w.Agency() || a.Withdrawn {
		w.reply(w.t("err.file_no_task"))
		return nil
	}
	caption := strings.TrimSpace(m.Caption)
	if n := len([]rune(caption)); n > maxNoteRunes {
		caption = string([]rune(caption)[:maxNoteRunes])
	}
	if ev.Kind == "photo" || strings.TrimSuffix(ev.Name, filepath.Ext(ev.Name)) == "" {
		ev.Name = evidenceName(a, ev, f.today())
	}
	f.reviews.proofFile(ctx, a, ev, caption) // while its completion waits, a file is its proof
	_, err = f.changes.apply(ctx, w, a, domain.Change{Kind: domain.AddEvidence, Evidence: &ev, Note: caption}, 0)
	return err
}

// evidenceName names a file that has no name of its own (a photo, which
// Telegram sends as "photo.jpg"; a document without a name) from the task,
// the agency and the day: "25-3_so-y-te_24-12-2025.jpg" (issue 20).
func evidenceName(a domain.Assignment, ev domain.Evidence, day deadline.Date) string {
	ext := strings.ToLower(filepath.Ext(ev.Name))
	if ext == "" || ext == "." {
		ext = ".jpg"
		if ev.Kind != "photo" {
			ext = ".bin"
			if exts, _ := mime.ExtensionsByType(ev.Mime); len(exts) > 0 {
				ext = exts[0]
			}
		}
	}
	clean := strings.NewReplacer("/", "-", "\\", "-", " ", "-", ".", "-").Replace
	return fmt.Sprintf("%s_%s_%02d-%02d-%04d%s", clean(a.TaskCode), clean(a.AgencyKey), day.Day, int(day.Month), day.Year, ext)
}

// evidenceButtons are, for a coordinator, a button for each file in a
// task's history (newest first, at most maxEvidenceButtons): pressed, the
// bot sends the file (issue 20). Nil for anyone else.
func evidenceButtons(w who, h []domain.Update) [][]domain.Button {
	if !w.Admin {
		return nil
	}
	var kb [][]domain.Button
	for _, u := range h {
		if u.Kind != domain.AddEvidence || u.Evidence == nil || u.Corrected || len(kb) == maxEvidenceButtons {
			continue
		}
		kb = append(kb, []domain.Button{button("📎 "+i18n.Shorten(u.TaskCode+" · "+u.Evidence.Name, 40),
			domain.Callback{Verb: VerbReview, Ref: "u" + itoa(u.Version), Arg: domain.RefOf(u.AssignmentID)})})
	}
	return kb
}

// maxEvidenceButtons bounds the file buttons under /task.
const maxEvidenceButtons = 8
