// Package i18n holds every text a user sees, one catalogue per language:
// Vietnamese (the default, vi.go) and English (en.go) for users whose
// Telegram language is English. Texts are HTML templates for fmt.Sprintf;
// callers escape user-supplied arguments.
package i18n

import (
	"fmt"
	"sort"
	"strings"
)

// Lang is a catalogue.
type Lang string

// The languages the bot speaks.
const (
	VI Lang = "vi"
	EN Lang = "en"
)

// For picks the catalogue for a Telegram language_code: English for "en…",
// Vietnamese for everything else.
func For(code string) Lang {
	if strings.HasPrefix(strings.ToLower(code), "en") {
		return EN
	}
	return VI
}

var catalogues = map[Lang]map[string]string{VI: vi, EN: en}

// T renders the text key in language l with args. A key missing in English
// falls back to Vietnamese; a key missing everywhere renders as the key, so
// the mistake shows and the tests catch it.
func T(l Lang, key string, args ...any) string {
	tpl, ok := catalogues[l][key]
	if !ok {
		if tpl, ok = vi[key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return tpl
	}
	return fmt.Sprintf(tpl, args...)
}

// N renders the text key for the count n: the text key+".one" when n is 1
// and the catalogue has one (English "1 task"), else key. Vietnamese nouns
// do not change with the number, so its catalogue needs no ".one" texts.
func N(l Lang, key string, n int, args ...any) string {
	if n == 1 {
		if _, ok := catalogues[l][key+".one"]; ok {
			return T(l, key+".one", args...)
		}
	}
	return T(l, key, args...)
}

// Keys lists the keys of a catalogue, sorted (tests check every text).
func Keys(l Lang) []string {
	keys := make([]string, 0, len(catalogues[l]))
	for k := range catalogues[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
