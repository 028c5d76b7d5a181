package bot

// Typed text that is no report: a greeting, thanks, an emoji. It is not
// offered as a note (issue 23, point 1); the officer is told how to write
// one instead.

import (
	"strings"
	"unicode"
)

// strayWords are the greetings, thanks and acknowledgements (lower case,
// punctuation removed) that say nothing about a task, with the polite
// words that may follow them.
var (
	strayWords = map[string]bool{
		"xin chào": true, "chào": true, "alo": true, "hello": true, "hi": true, "hey": true,
		"ok": true, "oke": true, "okay": true, "okie": true, "vâng": true, "dạ": true, "dạ vâng": true, "rồi": true,
		"cảm ơn": true, "cám ơn": true, "xin cảm ơn": true, "thanks": true, "thank": true, "thx": true, "test": true,
		"good morning": true, "chúc buổi sáng tốt lành": true, "yes": true, "no": true, "có": true, "không": true,
	}
	strayTails = map[string]bool{
		"ạ": true, "nhé": true, "nha": true, "nhiều": true, "bạn": true, "anh": true, "chị": true, "em": true,
		"bot": true, "you": true, "all": true, "everyone": true, "very": true, "much": true, "mọi": true, "người": true, "cả": true, "nhà": true,
	}
)

// strayText tells whether a typed text carries nothing to save: no letter
// or digit at all (emoji, punctuation), or only a greeting, thanks or an
// acknowledgement.
func strayText(text string) bool {
	var b strings.Builder
	letters := false
	for _, r := range strings.ToLower(text) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters = true
			b.WriteRune(r)
		case unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r):
			b.WriteRune(' ')
		}
	}
	if !letters {
		return true
	}
	words := strings.Fields(b.String())
	for len(words) > 1 && strayTails[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return strayWords[strings.Join(words, " ")]
}
