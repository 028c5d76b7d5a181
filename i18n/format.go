package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"agencybot/deadline"
)

// The formatting helpers the bot and the reminders share.

// Date writes a date as Vietnamese documents do: 31/12/2025 ("" for none).
func Date(d deadline.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%d", d.Day, int(d.Month), d.Year)
}

// Time writes a moment in loc as 24/12/2025 08:00.
func Time(t time.Time, loc *time.Location) string { return t.In(loc).Format("02/01/2006 15:04") }

// Shorten cuts s (its spaces collapsed) to at most n runes at a word
// boundary, ending it with "…".
func Shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n-1])
	if i := strings.LastIndex(cut, " "); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.-–") + "…"
}

// UTF16Len is the length of s in UTF-16 code units, as Telegram counts
// message lengths.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += max(1, utf16.RuneLen(r))
	}
	return n
}

// Count writes n with its noun as l says it, from the catalogue's "n.<noun>"
// texts: "1 task", "2 tasks" in English; "1 nhiệm vụ", "2 nhiệm vụ".
// Every count of things a text shows goes through it (or through N), so
// the plural is decided in one place per language.
func Count(l Lang, n int, noun string) string { return N(l, "n."+noun, n, n) }

// Number writes v as l writes numbers: at most three decimals, none
// trailing, a decimal comma in Vietnamese ("9,5", "0,75"), a point in
// English ("9.5").
func Number(l Lang, v float64) string {
	s := strconv.FormatFloat(v, 'f', 3, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	if l != EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
