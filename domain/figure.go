package domain

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ErrNotANumber means a text holds no number where one was expected.
var ErrNotANumber = errors.New("not a number")

// ParseNumber reads a number as Vietnamese documents and officers write it:
// a decimal comma ("0,75", "9,5"), or a decimal point ("9.5", as English
// users type it). When both marks occur the last one is the decimal mark and
// the other groups thousands ("1.234,5", "1,234.5"); one mark used more than
// once groups thousands ("1.234.567"); a single one is the decimal mark
// ("1,5" and "1.5" are both one and a half), except a point followed by
// exactly three digits, which groups thousands as Vietnamese writes them
// ("1.200" is twelve hundred, "0.750" three quarters). Spaces between digit groups
// ("12 345") are dropped; a sign may lead.
func ParseNumber(s string) (float64, error) {
	n, err := numberText(s)
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(n, 64)
}

// numberText is s as strconv reads it ("0,75" → "0.75"), or an error.
func numberText(s string) (string, error) {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u202f' || r == '\u2009' {
			return -1
		}
		if r == '−' || r == '–' { // minus sign, en dash
			return '-'
		}
		return r
	}, s)
	sign := ""
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		sign, s = s[:1], s[1:]
		if sign == "+" {
			sign = ""
		}
	}
	if s == "" {
		return "", ErrNotANumber
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != ',' && r != '.' {
			return "", fmt.Errorf("%w: %q", ErrNotANumber, s)
		}
	}
	if s[0] == ',' || s[0] == '.' || s[len(s)-1] == ',' || s[len(s)-1] == '.' {
		return "", fmt.Errorf("%w: %q", ErrNotANumber, s)
	}
	commas, dots := strings.Count(s, ","), strings.Count(s, ".")
	switch {
	case commas > 0 && dots > 0:
		dec, group := ",", "."
		if strings.LastIndex(s, ".") > strings.LastIndex(s, ",") {
			dec, group = ".", ","
		}
		if strings.Count(s, dec) > 1 {
			return "", fmt.Errorf("%w: %q", ErrNotANumber, s)
		}
		s = strings.ReplaceAll(s, group, "")
		s = strings.Replace(s, dec, ".", 1)
	case commas > 1:
		s = strings.ReplaceAll(s, ",", "")
	case dots > 1:
		s = strings.ReplaceAll(s, ".", "")
	case dots == 1:
		// Vietnamese groups thousands with a point ("1.200 doanh nghiệp"):
		// a point followed by exactly three digits after a non-zero integer
		// part groups them; any other point is a decimal point ("9.5",
		// "0.750").
		if i := strings.IndexByte(s, '.'); len(s)-i-1 == 3 && strings.TrimLeft(s[:i], "0") != "" {
			s = s[:i] + s[i+1:]
		}
	case commas == 1:
		s = strings.Replace(s, ",", ".", 1)
	}
	return sign + s, nil
}

// Figure is a number of a plan's text or table as written: "trên 40%",
// "≥ 0,75", "9,5", "30% GRDP", "12 người/1 vạn dân".
type Figure struct {
	Value float64
	// Direction is the one the text states ("" when it states none: "9,5",
	// "đạt 30%"); Strict when the number itself is not enough ("trên 40%").
	Direction Direction
	Strict    bool
	Unit      string // what follows the number: "%", "% GRDP", "người/1 vạn dân"
	Text      string // the text, its spaces collapsed
	number    string // the number as strconv reads it, for its decimals
}

// The words and signs before a number that state its direction, longest
// first so that "không quá" is not read as "quá".
var figurePrefixes = []struct {
	text   string
	dir    Direction
	strict bool
}{
	{"không vượt quá", AtMost, false}, {"không cao hơn", AtMost, false}, {"không thấp hơn", AtLeast, false},
	{"không dưới", AtLeast, false}, {"không quá", AtMost, false}, {"tối thiểu", AtLeast, false},
	{"ít nhất", AtLeast, false}, {"tối đa", AtMost, false}, {"cao hơn", AtLeast, true}, {"thấp hơn", AtMost, true},
	{"vượt", AtLeast, true}, {"trên", AtLeast, true}, {"hơn", AtLeast, true}, {"dưới", AtMost, true},
	{"bằng", Exactly, false}, {"đúng", Exactly, false}, {"từ", AtLeast, false},
	{">=", AtLeast, false}, {"≥", AtLeast, false}, {"⩾", AtLeast, false}, {`\geq`, AtLeast, false}, {`\ge`, AtLeast, false},
	{"<=", AtMost, false}, {"≤", AtMost, false}, {"⩽", AtMost, false}, {`\leq`, AtMost, false}, {`\le`, AtMost, false},
	{">", AtLeast, true}, {"<", AtMost, true}, {"=", Exactly, false},
}

// figureFillers are words before the number that state no direction.
var figureFillers = []string{"đạt", "ở mức", "mức", "khoảng", "là", "đến", ":"}

// ParseFigure reads a figure: the direction its words or signs state, the
// number (ParseNumber) and the unit after it. "trở lên" after the number
// means at least, "trở xuống" at most. The LaTeX of PDF extractions
// ("$\geq 0,75$") reads as the sign it stands for.
func ParseFigure(s string) (Figure, error) {
	text := strings.Join(strings.Fields(norm.NFC.String(s)), " ")
	f := Figure{Text: text}
	rest := strings.TrimSpace(strings.ReplaceAll(text, "$", ""))
	low := strings.ToLower(rest)
	for changed := true; changed; {
		changed = false
		for _, p := range figurePrefixes {
			if strings.HasPrefix(low, p.text) && f.Direction == "" && (!endsInLetter(p.text) || !isLetter(low[len(p.text):])) {
				f.Direction, f.Strict = p.dir, p.strict
				rest, low = strings.TrimSpace(rest[len(p.text):]), strings.TrimSpace(low[len(p.text):])
				changed = true
				break
			}
		}
		for _, w := range figureFillers {
			if strings.HasPrefix(low, w) && (len(low) == len(w) || !isLetter(low[len(w):])) {
				rest, low = strings.TrimSpace(rest[len(w):]), strings.TrimSpace(low[len(w):])
				changed = true
				break
			}
		}
	}
	// The number: the longest run of digits, marks and spaces between
	// digits at the start.
	end := 0
	for i, r := range rest {
		switch {
		case r >= '0' && r <= '9', r == ',' || r == '.':
			end = i + 1
		case (r == '-' || r == '+' || r == '−') && i == 0:
			end = i + len(string(r))
		case r == ' ' && end == i && i+1 < len(rest) && rest[i+1] >= '0' && rest[i+1] <= '9' && groupOf3(rest[i+1:]):
		default:
			goto done
		}
	}
done:
	num := strings.TrimRight(rest[:end], ",.")
	n, err := numberText(num)
	if err != nil {
		return f, fmt.Errorf("%w: %q", ErrNotANumber, text)
	}
	if f.Value, err = strconv.ParseFloat(n, 64); err != nil {
		return f, fmt.Errorf("%w: %q", ErrNotANumber, text)
	}
	f.number = strings.TrimPrefix(n, "-")
	unit := strings.TrimSpace(rest[len(num):])
	lowUnit := strings.ToLower(unit)
	for _, sfx := range []struct {
		text string
		dir  Direction
	}{{"trở lên", AtLeast}, {"trở xuống", AtMost}} {
		if strings.HasSuffix(lowUnit, sfx.text) {
			unit = strings.TrimSpace(unit[:len(unit)-len(sfx.text)])
			if f.Direction == "" {
				f.Direction = sfx.dir
			}
		}
	}
	f.Unit = strings.TrimRight(unit, " .;")
	return f, nil
}

// groupOf3 tells whether s starts with exactly three digits (a thousands
// group after a space: "12 345").
func groupOf3(s string) bool {
	if len(s) < 3 {
		return false
	}
	for i := range 3 {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) == 3 || s[3] < '0' || s[3] > '9'
}

func endsInLetter(s string) bool {
	r := []rune(s)
	return len(r) > 0 && unicode.IsLetter(r[len(r)-1])
}

// isLetter tells whether s begins with a letter.
func isLetter(s string) bool {
	for _, r := range s {
		return unicode.IsLetter(r)
	}
	return false
}
