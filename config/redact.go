package config

import (
	"net/url"
	"strings"
)

// Secrets must not reach a log line or an error: the bot token, and the
// credentials that TELEGRAM_API_ENDPOINT ("http://user:pass@host") and
// MONGODB_URI ("mongodb://user:pass@host/?…") may carry. Everything that
// shows an endpoint or URI, or wraps an error that may quote one, goes
// through the helpers below.

// RedactURL shows a URL (the Bot API endpoint or a MongoDB URI) without its
// user info, its query (MongoDB options may hold secrets) and tgbotapi's
// "/bot%s/%s" suffix: "http://user:pass@proxy:8081/bot%s/%s" becomes
// "http://proxy:8081".
func RedactURL(raw string) string {
	s := strings.TrimSuffix(raw, "/bot%s/%s")
	s, _, _ = strings.Cut(s, "?")
	s, _, _ = strings.Cut(s, "#")
	return stripUserInfo(s)
}

// Secrets lists what this configuration must keep out of logs and errors:
// the token and the passwords of the endpoint and the database (their user
// names go wherever their URLs go, and Redact strips those).
func (c Config) Secrets() []string {
	return append(append([]string{c.TelegramToken}, URLSecrets(c.APIEndpoint)...), URLSecrets(c.MongoURI)...)
}

// URLSecrets returns the user name and password in a URL's user info (none
// when it has none).
func URLSecrets(raw string) []string {
	scheme := strings.Index(raw, "://")
	if scheme < 0 {
		return nil
	}
	auth := raw[scheme+3:]
	if i := strings.IndexAny(auth, "/?#"); i >= 0 {
		auth = auth[:i]
	}
	at := strings.LastIndex(auth, "@")
	if at < 0 {
		return nil
	}
	user, pass, _ := strings.Cut(auth[:at], ":")
	var out []string
	for _, v := range []string{user, pass} {
		if v == "" {
			continue
		}
		out = append(out, v)
		if u, err := url.PathUnescape(v); err == nil && u != v {
			out = append(out, u)
		}
	}
	return out
}

// minSecret is the shortest secret replaced wherever it occurs: a shorter
// one (a user name "u") would garble the text, and is caught in URLs, where
// user info is always removed.
const minSecret = 4

// Redact returns s with the user info of every URL in it removed and every
// secret (plain, path- or query-escaped) replaced by "<redacted>".
func Redact(s string, secrets ...string) string {
	s = stripUserInfo(s)
	for _, sec := range secrets {
		if len(sec) < minSecret {
			continue
		}
		for _, v := range []string{sec, url.PathEscape(sec), url.QueryEscape(sec)} {
			s = strings.ReplaceAll(s, v, "<redacted>")
		}
	}
	return s
}

// RedactError returns err with its text redacted (see Redact); errors.Is
// and errors.As still see the original. Nil stays nil; an error with
// nothing to hide is returned as it is.
func RedactError(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	return WithText(err, Redact(err.Error(), secrets...))
}

// WithText returns an error reading text that unwraps to err (err itself
// when its text is already that).
func WithText(err error, text string) error {
	if err == nil || err.Error() == text {
		return err
	}
	return &redactedError{msg: text, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// stripUserInfo removes "user:pass@" after every "://" in s.
func stripUserInfo(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		end := strings.IndexAny(s, "/?# \t\n\"'`<>")
		if end < 0 {
			end = len(s)
		}
		if at := strings.LastIndex(s[:end], "@"); at >= 0 {
			s = s[at+1:]
		}
	}
}
