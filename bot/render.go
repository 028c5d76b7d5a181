package bot

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
)

// maxMessage is Telegram's limit for a message text (in UTF-16 units, after
// HTML parsing; we count the raw HTML, which is never shorter).
const maxMessage = 4096

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// escape makes user- or document-supplied text safe inside HTML.
func escape(s string) string { return html.EscapeString(s) }

var tagRE = regexp.MustCompile(`<[^>]*>`)

// splitMessage cuts text into parts of at most limit UTF-16 units, on line
// boundaries, so no HTML tag is ever cut (every line closes its own tags). A
// single line longer than the limit loses its markup and is cut at spaces.
func splitMessage(text string, limit int) []string {
	if i18n.UTF16Len(text) <= limit {
		return []string{text}
	}
	var parts []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if s := strings.TrimRight(cur.String(), "\n"); strings.TrimSpace(s) != "" {
			parts = append(parts, s)
		}
		cur.Reset()
		curLen = 0
	}
	for _, line := range strings.Split(text, "\n") {
		l := i18n.UTF16Len(line) + 1
		if l > limit {
			flush()
			plain := html.EscapeString(html.UnescapeString(tagRE.ReplaceAllString(line, "")))
			for _, chunk := range cutWords(plain, limit-1) {
				parts = append(parts, chunk)
			}
			continue
		}
		if curLen+l > limit {
			flush()
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		curLen += l
	}
	flush()
	return parts
}

// cutWords splits escaped plain text at spaces into chunks of at most limit
// UTF-16 units, never inside an HTML entity.
func cutWords(s string, limit int) []string {
	var out []string
	var cur strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		wl := i18n.UTF16Len(w) + 1
		if n+wl > limit && n > 0 {
			out = append(out, cur.String())
			cur.Reset()
			n = 0
		}
		for wl > limit { // one enormous "word": cut at a rune boundary outside entities
			r := []rune(w)
			cut := limit - 1
			if cut > len(r) {
				cut = len(r)
			}
			if i := strings.LastIndex(string(r[:cut]), "&"); i >= 0 && !strings.Contains(string(r[:cut])[i:], ";") {
				cut = len([]rune(string(r[:cut])[:i]))
			}
			out = append(out, string(r[:cut]))
			w = string(r[cut:])
			wl = i18n.UTF16Len(w) + 1
		}
		if n > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(w)
		n += wl
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

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
	default:
		return out + " · " + w.t("due.left", d)
	}
}
