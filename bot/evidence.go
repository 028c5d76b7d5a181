package bot

// Evidence: a document or photo an officer sends while a task is open is
// stored on it (an admin's file with no task open is an import instead).

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"agencybot/domain"
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
	f.reviews.proofFile(ctx, w) // a file given as a completion's proof
	caption := strings.TrimSpace(m.Caption)
	if n := len([]rune(caption)); n > maxNoteRunes {
		caption = string([]rune(caption)[:maxNoteRunes])
	}
	_, err = f.changes.apply(ctx, w, a, domain.Change{Kind: domain.AddEvidence, Evidence: &ev, Note: caption}, 0)
	return err
}
