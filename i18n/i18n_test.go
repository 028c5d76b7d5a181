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
