package bot

import (
	"html"
	"strings"

	"agencybot/i18n"
)

// maxPopup is how long a callback answer may be (Telegram: 200 characters).
const maxPopup = 200

// plainText turns a text of the catalogue (HTML: tags, escaped user text)
// into the plain text a pop-up shows: tags dropped, entities decoded, cut to
// what a pop-up holds. Every callback answer goes through it.
func plainText(s string) string {
	s = html.UnescapeString(tagRE.ReplaceAllString(s, ""))
	s = strings.TrimSpace(s)
	if i18n.UTF16Len(s) <= maxPopup {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && i18n.UTF16Len(string(r))+1 > maxPopup {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
