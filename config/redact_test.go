package config

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://user:p%40ss@proxy.local:8081/bot%s/%s":                          "http://proxy.local:8081",
		"https://api.telegram.org/bot%s/%s":                                     "https://api.telegram.org",
		"mongodb://admin:s3cret@db1:27017,db2:27017/agency?authSource=x":        "mongodb://db1:27017,db2:27017/agency",
		"mongodb+srv://u@cluster0.example.net/?tlsCertificateKeyFilePassword=k": "mongodb+srv://cluster0.example.net/",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// Whatever quotes a URL with credentials, or a secret itself, comes out
// without them; the error chain survives.
func TestRedactErrorKeepsNoSecret(t *testing.T) {
	c, err := Load(func(k string) string {
		return map[string]string{
			"TELEGRAM_BOT_TOKEN":    "123456789:AAsecret-token_abcdefghijklmnopqrstu",
			"TELEGRAM_API_ENDPOINT": "http://proxyuser:prxy-pass_9@proxy.local:8081",
			"MONGODB_URI":           "mongodb://dbadmin:db-pass-123@db.local:27017/?authSource=admin",
		}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	base := errors.New("boom")
	wrapped := &url.Error{Op: "Post", URL: "http://proxyuser:prxy-pass_9@proxy.local:8081/bot123456789:AAsecret-token_abcdefghijklmnopqrstu/getMe", Err: base}
	for _, e := range []error{
		wrapped,
		errors.Join(errors.New(`error parsing uri "mongodb://dbadmin:db-pass-123@db.local:27017/?authSource=admin"`), base),
		errors.Join(errors.New("auth failed for dbadmin with password db-pass-123"), base),
	} {
		red := RedactError(e, c.Secrets()...)
		for _, secret := range []string{"proxyuser", "prxy-pass_9", "db-pass-123", "dbadmin", "AAsecret-token"} {
			if strings.Contains(red.Error(), secret) {
				t.Errorf("%q leaks %q", red, secret)
			}
		}
		if !errors.Is(red, base) {
			t.Errorf("%q lost its chain", red)
		}
	}
	if RedactError(nil) != nil || RedactError(base, c.Secrets()...) != base {
		t.Error("an error with nothing to hide changed")
	}
}
