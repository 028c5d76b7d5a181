package bot

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"agencybot/i18n"
)

// Every text key the bot uses exists in the catalogues (a missing one would
// show the key itself to a user).
func TestEveryTextKeyExists(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	keyRE := regexp.MustCompile(`(?:\.t|i18n\.T\([^,]+,|textFor\([^"]*)\(?\s*"([a-z_]+\.[a-z_.]+|notlinked|whoami|more)"`)
	found := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
			found++
			if !has(m[1]) {
				t.Errorf("%s: text %q is not in the catalogue", f, m[1])
			}
		}
	}
	for _, c := range commands() {
		for _, key := range []string{"cmd." + c.Name, helpPrefix + c.Name} {
			if !has(key) {
				t.Errorf("command %s has no text %s", c.Name, key)
			}
		}
		if Linked&^c.Who != 0 && !has(c.Refusal) {
			t.Errorf("command %s has no refusal text", c.Name)
		}
	}
	if found < 100 {
		t.Errorf("only %d text keys found: the pattern is broken", found)
	}
}

// has tells whether key is in the Vietnamese catalogue (a missing key
// renders as itself).
func has(key string) bool { return i18n.T(i18n.VI, key) != key }
