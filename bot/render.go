package bot

import (
	"errors"
	"html"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/store"
	"agencybot/telegram"
)

// escape makes user- or document-supplied text safe inside HTML.
func escape(s string) string { return html.EscapeString(s) }

// plainText is a catalogue text as a pop-up shows it (no HTML).
func plainText(s string) string { return telegram.PlainText(s) }

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

func lightIcon(l domain.Light) string {
	switch l {
	case domain.Red:
		return "🔴"
	case domain.Yellow:
		return "🟡"
	}
	return "🟢"
}

func statusText(l i18n.Lang, s domain.Status) string {
	if s == "" {
		s = domain.NotStarted
	}
	return i18n.T(l, "status."+string(s))
}

// dueText is the deadline as written, with what is left or overdue.
func dueText(w who, text string, due deadline.Date, today deadline.Date, status domain.Status) string {
	out := escape(text)
	if out == "" {
		out = w.t("due.none")
	}
	if due.IsZero() || status == domain.Done {
		return out
	}
	d := deadline.DaysBetween(today, due)
	switch {
	case d < 0:
		return out + " · " + w.t("due.overdue", -d)
	case d == 0:
		return out + " · " + w.t("due.today")
	case d > farDueDays: // "còn 1490 ngày" is nothing to act on: the date is
		if strings.Contains(out, i18n.Date(due)) {
			return out
		}
		return out + " · " + w.t("due.by", i18n.Date(due))
	default:
		return out + " · " + w.t("due.left", d)
	}
}

// farDueDays is how far a due date may be for the days left to be shown;
// a later one shows its date (issue 23, point 4).
const farDueDays = 90
