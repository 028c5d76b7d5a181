package scheduler

import (
	"agencybot/domain"
	"agencybot/i18n"
)

// withCaptions makes every part sendable: a photo or document whose text is
// longer than a caption may be (Telegram: 1024 characters after parsing;
// counting the HTML source is stricter) becomes two parts, the text as a
// message with the buttons, then the file without a caption.
func withCaptions(parts []domain.Outgoing) []domain.Outgoing {
	var out []domain.Outgoing
	for _, p := range parts {
		if p.File == nil || i18n.UTF16Len(p.Text) <= domain.MaxCaptionChars {
			out = append(out, p)
			continue
		}
		text := p
		text.File = nil
		file := domain.Outgoing{ChatID: p.ChatID, Silent: p.Silent, File: p.File}
		out = append(out, text, file)
	}
	return out
}

// methodOf names the Bot API method a part goes by, for the log.
func methodOf(out domain.Outgoing, se *domain.SendError) string {
	if se != nil && se.Method != "" {
		return se.Method
	}
	switch {
	case out.File == nil:
		return "sendMessage"
	case out.File.Kind == domain.AttachPhoto:
		return "sendPhoto"
	}
	return "sendDocument"
}
