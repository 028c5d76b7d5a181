// Package agency knows the agencies (cơ quan, đơn vị) that plans assign tasks
// to: how their names are spelled, how two spellings of one name are matched,
// which collective groups ("Các sở, ban, ngành, địa phương") a plan may name,
// and how one "Cơ quan chủ trì" / "Cơ quan phối hợp" table cell is read.
//
// The package holds no database code: it offers pure functions and an
// in-memory, read-only Index that a store builds from its records.
package agency

import (
	"fmt"
	"hash/fnv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kind is the sort of an agency; collective groups are defined over kinds.
type Kind string

// The kinds of agency found in the plans.
const (
	Department   Kind = "department"   // Sở …, Thanh tra tỉnh
	Office       Kind = "office"       // Văn phòng UBND tỉnh
	Police       Kind = "police"       // Công an tỉnh
	Party        Kind = "party"        // Văn phòng Tỉnh ủy and other party bodies
	University   Kind = "university"   // Đại học Đồng Tháp, Đại học Tiền Giang, trường…, viện nghiên cứu
	Organisation Kind = "organisation" // mass organisations, associations: Đoàn TNCS Hồ Chí Minh tỉnh, Hiệp hội doanh nghiệp
	Commune      Kind = "commune"      // xã, phường
)

// Kinds lists every kind, in a fixed order.
func Kinds() []Kind {
	return []Kind{Department, Office, Police, Party, University, Organisation, Commune}
}

// Valid reports whether k is one of the kinds above.
func (k Kind) Valid() bool {
	for _, x := range Kinds() {
		if k == x {
			return true
		}
	}
	return false
}

// Agency is one real agency. Key is its stable identifier (see Slug), Name its
// official name as displayed, Aliases other spellings or abbreviations that
// must match it ("Sở KH&CN", "Công an Tỉnh").
type Agency struct {
	Key     string
	Name    string
	Kind    Kind
	Aliases []string
}

// clone returns a copy of a that shares no memory with it.
func (a Agency) clone() Agency {
	if a.Aliases != nil {
		a.Aliases = append([]string(nil), a.Aliases...)
	}
	return a
}

// abbreviation is one whole-word abbreviation and its expansion, both as
// sequences of folded words.
type abbreviation struct {
	from []string
	to   []string
}

// abbreviations maps the first folded word of an abbreviation to its
// candidates, longest first. Expansions never contain a word that starts an
// abbreviation, which keeps Normalize idempotent.
var abbreviations = func() map[string][]abbreviation {
	table := []struct{ from, to string }{
		{"ubnd", "uy ban nhan dan"},
		{"hdnd", "hoi dong nhan dan"},
		{"vpub", "van phong uy ban nhan dan"},
		{"vp", "van phong"},
		{"tp", "thanh pho"},
		{"tncs", "thanh nien cong san"},
		{"hcm", "ho chi minh"},
		{"dtn", "doan thanh nien"},
		{"dh", "dai hoc"},
		{"kh cn", "khoa hoc va cong nghe"},
		{"kh va cn", "khoa hoc va cong nghe"},
		{"khcn", "khoa hoc va cong nghe"},
		{"gd dt", "giao duc va dao tao"},
		{"gd va dt", "giao duc va dao tao"},
		{"gddt", "giao duc va dao tao"},
		{"nn mt", "nong nghiep va moi truong"},
		{"nn va mt", "nong nghiep va moi truong"},
		{"nnmt", "nong nghiep va moi truong"},
		{"vh tt dl", "van hoa the thao va du lich"},
		{"vh tt va dl", "van hoa the thao va du lich"},
		{"vhttdl", "van hoa the thao va du lich"},
		{"kh dt", "ke hoach va dau tu"},
		{"kh va dt", "ke hoach va dau tu"},
		{"khdt", "ke hoach va dau tu"},
		{"tt tt", "thong tin va truyen thong"},
		{"tt va tt", "thong tin va truyen thong"},
		{"tttt", "thong tin va truyen thong"},
		{"gtvt", "giao thong van tai"},
		{"ld tb xh", "lao dong thuong binh va xa hoi"},
		{"ldtbxh", "lao dong thuong binh va xa hoi"},
	}
	m := make(map[string][]abbreviation)
	for _, t := range table {
		a := abbreviation{from: strings.Fields(t.from), to: strings.Fields(t.to)}
		m[a.from[0]] = append(m[a.from[0]], a)
	}
	for k, list := range m {
		// Longest first, so "kh va cn" wins over a shorter candidate.
		for i := 1; i < len(list); i++ {
			for j := i; j > 0 && len(list[j].from) > len(list[j-1].from); j-- {
				list[j], list[j-1] = list[j-1], list[j]
			}
		}
		m[k] = list
	}
	return m
}()

// foldRune maps the letters that have no Unicode decomposition but must fold
// like a plain letter (đ, Đ and look-alikes used by broken encodings).
func foldRune(r rune) rune {
	switch r {
	case 'đ', 'Đ', 'ð', 'Ð', 'ɖ', 'Ɖ':
		return 'd'
	}
	return r
}

// foldOnce lower-cases s, decomposes it (NFKD, a superset of NFD that also
// folds full-width and compatibility letters), drops combining marks, folds
// đ to d and turns every rune that is neither a letter nor a number into a
// space.
func foldOnce(s string) string {
	s = norm.NFKD.String(strings.ToLower(s))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.M, r) {
			continue
		}
		r = unicode.ToLower(foldRune(r))
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// foldWords returns the folded words of s: lower case, without diacritics,
// split at every rune that is not a letter or a number. Abbreviations are not
// expanded.
func foldWords(s string) []string {
	f := foldOnce(s)
	// Lower-casing can, for a few exotic letters, produce a rune that
	// decomposes further; fold again until nothing changes.
	for range 3 {
		g := foldOnce(f)
		if g == f {
			break
		}
		f = g
	}
	return strings.Fields(f)
}

// expand replaces whole-word abbreviations by their expansions.
func expand(words []string) []string {
	out := make([]string, 0, len(words)+4)
	for i := 0; i < len(words); {
		matched := false
		for _, a := range abbreviations[words[i]] {
			if i+len(a.from) > len(words) {
				continue
			}
			ok := true
			for j, w := range a.from {
				if words[i+j] != w {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, a.to...)
				i += len(a.from)
				matched = true
				break
			}
		}
		if !matched {
			out = append(out, words[i])
			i++
		}
	}
	return out
}

// dropProvince removes a trailing "tỉnh" or "tỉnh Đồng Tháp" qualifier, so
// that "Sở Tài chính tỉnh Đồng Tháp" and "Sở Tài chính" meet. A name that is
// only the qualifier keeps it.
func dropProvince(words []string) []string {
	for {
		n := len(words)
		switch {
		case n > 3 && words[n-3] == "tinh" && words[n-2] == "dong" && words[n-1] == "thap":
			words = words[:n-3]
		case n > 1 && words[n-1] == "tinh":
			words = words[:n-1]
		default:
			return words
		}
	}
}

// Normalize returns the matching key of an agency name: lower case, without
// diacritics (đ folded to d, old and new tone placement alike), punctuation and
// "&" turned into spaces, whitespace collapsed, common abbreviations expanded
// as whole words ("UBND" -> "uy ban nhan dan", "KH&CN" and "KHCN" -> "khoa hoc
// va cong nghe", "GD&ĐT" -> "giao duc va dao tao", "TNCS", "HCM", "TP", "VP",
// …) and a trailing "tỉnh" / "tỉnh Đồng Tháp" qualifier dropped. Two spellings
// of one agency give the same key; Normalize(Normalize(x)) == Normalize(x).
func Normalize(name string) string {
	return strings.Join(dropProvince(expand(foldWords(name))), " ")
}

// maxSlug bounds the length of a slug built from words.
const maxSlug = 64

// Slug returns a short, stable ASCII key for a new agency built from its
// normalized name, e.g. "so-khoa-hoc-va-cong-nghe" for "Sở KH&CN". When the
// name holds letters outside ASCII (or nothing usable at all) a short hash of
// the normalized name is added so that such names do not collide. Slug does
// not check uniqueness against existing keys: the caller must.
func Slug(name string) string {
	n := Normalize(name)
	var parts []string
	dropped := false
	for _, w := range strings.Fields(n) {
		var b strings.Builder
		for _, r := range w {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				b.WriteRune(r)
			} else {
				dropped = true
			}
		}
		if b.Len() > 0 {
			parts = append(parts, b.String())
		}
	}
	s := ""
	for _, p := range parts {
		if len(s)+1+len(p) > maxSlug {
			dropped = true
			break
		}
		if s != "" {
			s += "-"
		}
		s += p
	}
	if s == "" || dropped {
		h := fnv.New32a()
		h.Write([]byte(n))
		suffix := fmt.Sprintf("%08x", h.Sum32())
		if s == "" {
			return "agency-" + suffix
		}
		return s + "-" + suffix
	}
	return s
}

// hasPrefixWords reports whether words starts with the words of p.
func hasPrefixWords(words []string, p string) bool {
	pw := strings.Fields(p)
	if len(pw) > len(words) {
		return false
	}
	for i, w := range pw {
		if words[i] != w {
			return false
		}
	}
	return true
}

// containsWords reports whether words holds the words of p contiguously.
func containsWords(words []string, p string) bool {
	pw := strings.Fields(p)
	for i := 0; i+len(pw) <= len(words); i++ {
		if hasPrefixWords(words[i:], p) {
			return true
		}
	}
	return false
}

// KindOf guesses the kind of an agency from its name ("Sở Y tế" ->
// Department, "Phường Cao Lãnh" -> Commune). It reports false when the name
// says nothing recognisable; a coordinator then chooses.
func KindOf(name string) (Kind, bool) {
	w := strings.Fields(Normalize(name))
	switch {
	case len(w) == 0:
		return "", false
	case containsWords(w, "tinh uy") || containsWords(w, "dang uy") || containsWords(w, "thanh uy"):
		return Party, true
	case hasPrefixWords(w, "van phong uy ban nhan dan"):
		return Office, true
	case hasPrefixWords(w, "cong an"):
		return Police, true
	case hasPrefixWords(w, "so") || hasPrefixWords(w, "thanh tra"):
		return Department, true
	case hasPrefixWords(w, "dai hoc") || hasPrefixWords(w, "truong") ||
		hasPrefixWords(w, "hoc vien") || hasPrefixWords(w, "cao dang") ||
		(hasPrefixWords(w, "vien") && !hasPrefixWords(w, "vien kiem sat")):
		return University, true
	case hasPrefixWords(w, "xa") || hasPrefixWords(w, "phuong") || hasPrefixWords(w, "dac khu") ||
		hasPrefixWords(w, "uy ban nhan dan xa") || hasPrefixWords(w, "uy ban nhan dan phuong"):
		return Commune, true
	case hasPrefixWords(w, "doan") || hasPrefixWords(w, "tinh doan") || hasPrefixWords(w, "hoi") || hasPrefixWords(w, "hiep hoi") ||
		hasPrefixWords(w, "lien minh") || hasPrefixWords(w, "lien doan") ||
		hasPrefixWords(w, "lien hiep") || hasPrefixWords(w, "mat tran"):
		return Organisation, true
	}
	return "", false
}
