package upward

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"agencybot/agency"
	"agencybot/config"
	"agencybot/domain"
	"agencybot/i18n"
)

// Issuer is the body that issues the report (REPORT_ISSUER): its lines from
// the top, the superior body first ("UBND TỈNH ĐỒNG THÁP", "SỞ KHOA HỌC VÀ
// CÔNG NGHỆ"), as Nghị định 30/2020/NĐ-CP sets them top left.
type Issuer struct {
	Lines []string
}

// NewIssuer is the issuer of those lines; none means REPORT_ISSUER's
// default.
func NewIssuer(lines []string) Issuer {
	if len(lines) == 0 {
		lines, _ = config.IssuerLines(config.DefaultReportIssuer)
	}
	return Issuer{Lines: lines}
}

// body is the issuer's own line: the last.
func (is Issuer) body() string {
	if len(is.Lines) == 0 {
		return ""
	}
	return is.Lines[len(is.Lines)-1]
}

// Abbrev is the issuer's abbreviation in document numbers ("SKHCN" in
// "Số: …/BC-SKHCN"): the initials of its own line's words but "và", an
// acronym (UBND, KH&CN) whole, diacritics dropped but Đ kept.
func (is Issuer) Abbrev() string {
	var b strings.Builder
	for _, w := range strings.Fields(is.body()) {
		if strings.EqualFold(w, "và") || strings.EqualFold(w, "&") {
			continue
		}
		if acronym(w) {
			b.WriteString(strings.ReplaceAll(w, "&", ""))
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteString(strings.ToUpper(bare(string(r))))
				break
			}
		}
	}
	return b.String()
}

// acronym tells whether a word is an acronym written in capitals (UBND,
// KH&CN), as opposed to a word of a name in capitals.
func acronym(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case r >= 'A' && r <= 'Z':
			letters++
		case r == '&':
		default:
			return false
		}
	}
	// A Vietnamese word written in capitals without diacritics ("KHOA")
	// has a vowel; an acronym has none.
	return letters >= 2 && !strings.ContainsAny(w, "AEIOUY")
}

// bare drops the diacritics of s but keeps Đ.
func bare(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

var placeWord = regexp.MustCompile(`(?i)(?:^|\s)(?:TỈNH|THÀNH PHỐ)\s+(.+)$`)

// Place is where the report is issued, as its date line names it ("Đồng
// Tháp, ngày 10 tháng 12 năm 2026"): the province or city its superior
// line names; "Đồng Tháp" when none does.
func (is Issuer) Place() string {
	for _, l := range is.Lines {
		if m := placeWord.FindStringSubmatch(l); m != nil {
			return titleCase(m[1])
		}
	}
	return "Đồng Tháp"
}

// Name is the issuer as a sentence names it ("Sở Khoa học và Công nghệ"):
// the registered agency its line names, else the line in sentence case.
func (is Issuer) Name(agencies []domain.Agency) string {
	n := agency.Normalize(is.body())
	for _, a := range agencies {
		if agency.Normalize(a.Name) == n {
			return a.Name
		}
	}
	s := []rune(strings.ToLower(is.body()))
	if len(s) > 0 {
		s[0] = unicode.ToUpper(s[0])
	}
	return string(s)
}

// Signer is the title above the signature: GIÁM ĐỐC for a department (Sở),
// CHỦ TỊCH for a People's Committee, else the head of the body.
func (is Issuer) Signer(l i18n.Lang) string {
	f := strings.Fields(agency.Normalize(is.body()))
	switch {
	case len(f) > 0 && f[0] == "so":
		return i18n.T(l, "upward.signer.department")
	case len(f) > 2 && f[0] == "uy" && f[1] == "ban":
		return i18n.T(l, "upward.signer.committee")
	}
	return i18n.T(l, "upward.signer.head")
}

// titleCase writes each word of s with a capital first letter: "ĐỒNG
// THÁP" → "Đồng Tháp".
func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
