package bot

import (
	"context"
	"path/filepath"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"agencybot/domain"
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

// onFile stores a document or photo as evidence on the task the officer has open.
func (b *Bot) onFile(ctx context.Context, w who, m *tgbotapi.Message) {
	if m.Document != nil && b.wantsImport(ctx, w) { // issue 10: an admin's file with no task open is an import
		b.onImportFile(ctx, w, m)
		return
	}
	if w.Agency() == "" {
		b.reply(w.Chat, w.t("tasks.not_officer"))
		return
	}
	var ev domain.Evidence
	switch {
	case m.Document != nil:
		d := m.Document
		ext := strings.ToLower(filepath.Ext(d.FileName))
		if !evidenceExt[ext] {
			b.reply(w.Chat, w.t("err.file_kind", escape(d.FileName)))
			return
		}
		if d.FileSize > maxEvidence {
			b.reply(w.Chat, w.t("err.file_size", escape(d.FileName)))
			return
		}
		ev = domain.Evidence{FileID: d.FileID, FileUniqueID: d.FileUniqueID, Name: d.FileName, Mime: d.MimeType, Size: int64(d.FileSize), Kind: "document"}
	default:
		p := m.Photo[len(m.Photo)-1] // the largest size
		ev = domain.Evidence{FileID: p.FileID, FileUniqueID: p.FileUniqueID, Name: "photo.jpg", Mime: "image/jpeg", Size: int64(p.FileSize), Kind: "photo"}
	}
	se, ok, err := b.Questions.Session(ctx, w.ID, sessionAge)
	if err != nil {
		b.fail(w, "load session", err)
		return
	}
	if !ok || se.AssignmentID == "" {
		b.reply(w.Chat, w.t("err.file_no_task"))
		return
	}
	a, err := b.Assignments.Assignment(ctx, se.AssignmentID)
	if err != nil || a.AgencyKey != w.Agency() || a.Withdrawn {
		b.reply(w.Chat, w.t("err.file_no_task"))
		return
	}
	b.proofFile(ctx, w) // issue 10: a file given as a completion's proof
	caption := strings.TrimSpace(m.Caption)
	if n := len([]rune(caption)); n > maxNoteRunes {
		caption = string([]rune(caption)[:maxNoteRunes])
	}
	b.applyChange(ctx, w, a, domain.Change{Kind: domain.AddEvidence, Evidence: &ev, Note: caption}, "", 0)
}
