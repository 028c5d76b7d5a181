package deadline

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold turns a deadline cell into the form the patterns are written in:
//
//   - Unicode is composed (NFC) first, so NFD input behaves like NFC input;
//   - then decomposed and stripped of combining marks, and đ becomes d, so
//     "Hằng"/"Hàng" and old/new tone placement ("hoà"/"hòa", "qúy"/"quý") all
//     meet, as does text typed without diacritics;
//   - letters are lower-cased;
//   - en, em and other dashes become '-';
//   - invisible format characters (zero-width space, BOM, soft hyphen) go;
//   - every run of white space, line breaks included, becomes one space, and
//     the ends are trimmed.
//
// The result is only used for matching; Deadline.Text keeps the original.
func fold(s string) string {
	s = norm.NFD.String(norm.NFC.String(s))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsSpace(r):
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		switch r {
		case 'đ', 'Đ':
			r = 'd'
		case '‐', '‑', '‒', '–', '—', '―', '−', '﹣', '－':
			r = '-'
		default:
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maxDecor bounds how many layers trimDecor peels off. Real cells have one or
// two; the bound keeps deeply nested junk linear instead of quadratic.
const maxDecor = 8

// trimDecor removes what surrounds a phrase without changing it: trailing
// full stops, commas and semicolons, and parentheses that wrap the whole
// phrase, as in "(Hoàn thành trước 31/12/2025).".
func trimDecor(s string) string {
	for range maxDecor {
		t := strings.TrimRight(s, " .,;")
		if len(t) >= 2 && t[0] == '(' && closes(t, 0) == len(t)-1 {
			t = strings.TrimSpace(t[1 : len(t)-1])
		}
		if t == s {
			break
		}
		s = t
	}
	return s
}

// closes returns the index of the ')' that closes the '(' at s[open], or -1.
func closes(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// splitRemark splits "head (remark)" into its two parts. ok is false unless s
// ends with a parenthesised remark that follows a non-empty head.
func splitRemark(s string) (head, remark string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return "", "", false
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				head = trimDecor(s[:i])
				return head, s[i+1 : len(s)-1], head != ""
			}
		}
	}
	return "", "", false
}
