package i18n

import (
	"regexp"
	"strings"
	"testing"
)

var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// Every text exists in both languages with the same format verbs in the same order.
func TestCataloguesMatch(t *testing.T) {
	for k := range vi {
		e, ok := en[k]
		if !ok {
			t.Errorf("%s: missing in English", k)
			continue
		}
		if a, b := verb.FindAllString(vi[k], -1), verb.FindAllString(e, -1); strings.Join(a, " ") != strings.Join(b, " ") {
			t.Errorf("%s: verbs vi %v en %v", k, a, b)
		}
	}
	for k := range en {
		// A singular (N) is English only: Vietnamese nouns do not change.
		if base, one := strings.CutSuffix(k, ".one"); one {
			if a, b := verb.FindAllString(vi[base], -1), verb.FindAllString(en[k], -1); vi[base] == "" || strings.Join(a, " ") != strings.Join(b, " ") {
				t.Errorf("%s: singular of %q, verbs vi %v en %v", k, base, a, b)
			}
			continue
		}
		if _, ok := vi[k]; !ok {
			t.Errorf("%s: English only", k)
		}
	}
}

// Vietnamese texts carry diacritics: a text of several words without any is a slip.
func TestVietnameseHasDiacritics(t *testing.T) {
	ascii := regexp.MustCompile(`^[\x00-\x7f]*$`)
	tags := regexp.MustCompile(`<[^>]*>|%[-+# 0-9.]*[a-zA-Z%]|/[a-z_]+`)
	for k, v := range vi {
		plain := tags.ReplaceAllString(v, "")
		if len(strings.Fields(plain)) >= 3 && ascii.MatchString(plain) {
			t.Errorf("%s: %q has no Vietnamese letters", k, v)
		}
	}
}

// N takes the singular for one where the catalogue has it.
func TestPlural(t *testing.T) {
	en["test.n"], en["test.n.one"], vi["test.n"] = "%d tasks", "%d task", "%d nhiệm vụ"
	defer func() { delete(en, "test.n"); delete(en, "test.n.one"); delete(vi, "test.n") }()
	for _, c := range []struct {
		l    Lang
		n    int
		want string
	}{{EN, 1, "1 task"}, {EN, 0, "0 tasks"}, {EN, 2, "2 tasks"}, {VI, 1, "1 nhiệm vụ"}, {VI, 3, "3 nhiệm vụ"}} {
		if got := N(c.l, "test.n", c.n, c.n); got != c.want {
			t.Errorf("N(%s, %d) = %q, want %q", c.l, c.n, got, c.want)
		}
	}
}

func TestForAndFallback(t *testing.T) {
	if For("en-US") != EN || For("vi") != VI || For("") != VI || For("ru") != VI {
		t.Error("language choice")
	}
	if T(EN, "status.done") != "Done" || T(VI, "status.done") != "Hoàn thành" {
		t.Error("lookup")
	}
	if T(VI, "no.such.key") != "no.such.key" {
		t.Error("missing key")
	}
}
