// Package config reads the program's configuration from the environment into
// one struct and validates it, so that a wrong value stops the program with a
// message naming the variable and the form it should have.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must load on any machine
	"unicode/utf8"

	"github.com/robfig/cron/v3"
)

// DefaultAPIEndpoint is Telegram's Bot API endpoint in the form tgbotapi expects.
const DefaultAPIEndpoint = "https://api.telegram.org/bot%s/%s"

// Config is everything the program reads from the environment.
type Config struct {
	TelegramToken string // TELEGRAM_BOT_TOKEN
	APIEndpoint   string // TELEGRAM_API_ENDPOINT, normalised to ".../bot%s/%s"
	MongoURI      string // MONGODB_URI; empty = embedded FerretDB
	MongoDatabase string // MONGODB_DATABASE
	DataDir       string // DATA_DIR
	TZ            string // TZ
	Location      *time.Location
	AdminIDs      []int64       // ADMIN_TELEGRAM_IDS
	LogLevel      slog.Level    // LOG_LEVEL
	InviteTTL     time.Duration // INVITE_TTL
	SoonDays      int           // SOON_DAYS: due within this many days counts as "due soon"
	StaleDays     int           // STALE_DAYS: agencies silent this long are listed in /summary
	ReportPeriod  string        // REPORT_PERIOD: monthly or quarterly
	// ReviewRequired (REVIEW_REQUIRED, on by default): a completion counts as
	// done in summaries only once a coordinator accepted its proof.
	ReviewRequired bool
	// ExtensionApprover (EXTENSION_APPROVER: coordinators, the default, or
	// leaders) decides the extensions (gia hạn) officers ask for.
	ExtensionApprover string
	// ExtensionMax (EXTENSION_MAX, default 2) bounds the approved
	// extensions of one agency's part of a task.
	ExtensionMax int
	// ReportIssuer (REPORT_ISSUER) is the issuing body of the report upward,
	// one line each from the top: the superior body, then the issuer.
	ReportIssuer []string
	Reminders    Reminders
	Ops          Ops
}

// Who decides extensions (EXTENSION_APPROVER).
const (
	ExtensionByCoordinators = "coordinators" // the admins (Sở KH&CN)
	ExtensionByLeaders      = "leaders"      // the leaders of the PPC
)

// DefaultReportIssuer is REPORT_ISSUER's default: the lines of the issuing
// body separated by "/".
const DefaultReportIssuer = "UBND TỈNH ĐỒNG THÁP / SỞ KHOA HỌC VÀ CÔNG NGHỆ"

// IssuerLines splits a REPORT_ISSUER value into its lines: one to three,
// separated by "/", none empty or longer than 80 characters.
func IssuerLines(s string) ([]string, error) {
	var lines []string
	for _, l := range strings.Split(s, "/") {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" || utf8.RuneCountInString(l) > 80 {
			return nil, errors.New("bad line")
		}
		lines = append(lines, l)
	}
	if len(lines) > 3 {
		return nil, errors.New("too many lines")
	}
	return lines, nil
}

// Ops configures running the program in production.
type Ops struct {
	HTTPAddr   string // HTTP_ADDR: health, readiness and metrics (and the webhook); empty when "off"
	LogFormat  string // LOG_FORMAT: text or json
	WebhookURL string // TELEGRAM_WEBHOOK_URL: empty = long polling
	BackupCron string // BACKUP_CRON: 5-field spec of the daily backup; empty = none
	// BackupSchedule is BACKUP_CRON parsed; nil when it is empty.
	BackupSchedule cron.Schedule
	BackupDir      string // BACKUP_DIR: where the scheduled backups go
	BackupKeep     int    // BACKUP_KEEP: how many scheduled backups are kept
}

// Reminders configures the scheduler.
type Reminders struct {
	Cron       string // REMINDER_CRON: when the reminder run happens
	DigestCron string // DIGEST_CRON: when leadership gets the weekly digest
	// Schedule and DigestSchedule are REMINDER_CRON and DIGEST_CRON parsed
	// (in the time zone of the instant they are asked about).
	Schedule, DigestSchedule cron.Schedule
	DaysBefore               []int   // REMINDER_DAYS: days before the due date
	CoordinationDays         int     // COORDINATION_DAYS: coordinating agencies are asked this many days before the lead's deadline
	EscalateDays             int     // ESCALATE_AFTER_DAYS: overdue this long escalates
	ReportDay                int     // REPORT_DAY: day of the period's last month on which periodic reports are asked for
	AnnualReport             string  // ANNUAL_REPORT_DATE: MM-DD on which annual tasks are asked for their report
	TargetReport             string  // TARGET_REPORT_DATE: MM-DD by which the targets' values of the year are asked for
	RatePerSecond            float64 // SEND_RATE: messages per second overall
	ChatPerSecond            float64 // SEND_RATE_PER_CHAT: messages per second to one chat
}

// cronParser reads the schedules: five fields (minute, hour, day of month,
// month, day of week) or a descriptor such as @daily. The schedules are
// parsed here only; the rest of the program gets cron.Schedules.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Getenv looks a variable up; os.Getenv in production, a map in tests.
type Getenv func(string) string

// Load reads and validates the configuration. Each problem is one error
// naming the variable and the expected form; the token and database
// credentials never appear in them.
func Load(env Getenv) (Config, error) {
	get := func(k, def string) string {
		if v := strings.TrimSpace(env(k)); v != "" {
			return v
		}
		return def
	}
	var errs []error
	bad := func(k, form string) { errs = append(errs, fmt.Errorf("%s: %s", k, form)) }

	c := Config{
		TelegramToken: get("TELEGRAM_BOT_TOKEN", ""),
		MongoURI:      get("MONGODB_URI", ""),
		MongoDatabase: get("MONGODB_DATABASE", "agencybot"),
		DataDir:       get("DATA_DIR", "./data"),
		TZ:            get("TZ", "Asia/Ho_Chi_Minh"),
		ReportPeriod:  get("REPORT_PERIOD", "monthly"),
	}
	if c.TelegramToken != "" && !validToken(c.TelegramToken) {
		bad("TELEGRAM_BOT_TOKEN", "must look like 123456789:AA… as given by @BotFather")
	}
	ep, err := normaliseEndpoint(get("TELEGRAM_API_ENDPOINT", DefaultAPIEndpoint))
	if err != nil {
		bad("TELEGRAM_API_ENDPOINT", "must be an http(s) URL such as https://api.telegram.org or http://localhost:8081 (optionally ending in /bot%s/%s)")
	}
	c.APIEndpoint = ep
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		bad("MONGODB_URI", "must start with mongodb:// or mongodb+srv://, or be empty for the embedded database")
	}
	if strings.ContainsAny(c.MongoDatabase, "/\\. \"$") {
		bad("MONGODB_DATABASE", "must be a plain name such as agencybot (no / \\ . space \" $)")
	}
	if c.Location, err = time.LoadLocation(c.TZ); err != nil {
		bad("TZ", "must be an IANA time zone such as Asia/Ho_Chi_Minh")
	}
	for _, f := range strings.FieldsFunc(get("ADMIN_TELEGRAM_IDS", ""), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			bad("ADMIN_TELEGRAM_IDS", "must be numeric Telegram user ids separated by commas, e.g. 12345678,87654321")
			break
		}
		c.AdminIDs = append(c.AdminIDs, id)
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		bad("LOG_LEVEL", "must be debug, info, warn or error")
	}
	if c.InviteTTL, err = time.ParseDuration(get("INVITE_TTL", "168h")); err != nil || c.InviteTTL <= 0 {
		bad("INVITE_TTL", "must be a positive duration such as 168h (7 days)")
	}
	c.SoonDays = intVar(get, "SOON_DAYS", "7", 0, 365, bad)
	c.StaleDays = intVar(get, "STALE_DAYS", "30", 1, 3650, bad)
	if c.ReportPeriod != "monthly" && c.ReportPeriod != "quarterly" {
		bad("REPORT_PERIOD", "must be monthly or quarterly")
	}
	switch strings.ToLower(get("REVIEW_REQUIRED", "true")) {
	case "true", "1", "yes", "on":
		c.ReviewRequired = true
	case "false", "0", "no", "off":
	default:
		bad("REVIEW_REQUIRED", "must be true or false")
	}

	switch c.ExtensionApprover = strings.ToLower(strings.TrimSpace(get("EXTENSION_APPROVER", ExtensionByCoordinators))); c.ExtensionApprover {
	case ExtensionByCoordinators, ExtensionByLeaders:
	default:
		bad("EXTENSION_APPROVER", "must be coordinators or leaders")
	}
	c.ExtensionMax = intVar(get, "EXTENSION_MAX", "2", 0, 20, bad)

	if c.ReportIssuer, err = IssuerLines(get("REPORT_ISSUER", DefaultReportIssuer)); err != nil {
		bad("REPORT_ISSUER", "must be one to three lines separated by /, the superior body first, e.g. \""+DefaultReportIssuer+"\"")
	}

	r := &c.Reminders
	r.Cron = get("REMINDER_CRON", "0 8 * * 1-5")
	if r.Schedule, err = cronParser.Parse(r.Cron); err != nil {
		bad("REMINDER_CRON", "must be a 5-field cron spec such as \"0 8 * * 1-5\"")
	}
	r.DigestCron = get("DIGEST_CRON", "30 7 * * 1")
	if r.DigestSchedule, err = cronParser.Parse(r.DigestCron); err != nil {
		bad("DIGEST_CRON", "must be a 5-field cron spec such as \"30 7 * * 1\"")
	}
	for _, f := range strings.Split(get("REMINDER_DAYS", "14,7,3,1,0"), ",") {
		d, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || d < 0 || d > 365 {
			bad("REMINDER_DAYS", "must be day counts 0–365 separated by commas, e.g. 14,7,3,1,0")
			break
		}
		r.DaysBefore = append(r.DaysBefore, d)
	}
	r.CoordinationDays = intVar(get, "COORDINATION_DAYS", "7", 0, 365, bad)
	r.EscalateDays = intVar(get, "ESCALATE_AFTER_DAYS", "14", 1, 365, bad)
	r.ReportDay = intVar(get, "REPORT_DAY", "20", 1, 28, bad)
	r.AnnualReport = get("ANNUAL_REPORT_DATE", "12-01")
	if _, err := time.Parse("01-02", r.AnnualReport); err != nil {
		bad("ANNUAL_REPORT_DATE", "must be MM-DD, e.g. 12-01 for 1 December")
	}
	r.TargetReport = get("TARGET_REPORT_DATE", "12-01")
	if _, err := time.Parse("01-02", r.TargetReport); err != nil {
		bad("TARGET_REPORT_DATE", "must be MM-DD, e.g. 12-01 for 1 December")
	}
	r.RatePerSecond = floatVar(get, "SEND_RATE", "30", bad)
	r.ChatPerSecond = floatVar(get, "SEND_RATE_PER_CHAT", "1", bad)

	loadOps(&c.Ops, get, bad)
	return c, errors.Join(errs...)
}

// loadOps reads the production settings: the HTTP listener, the log format,
// the webhook and the scheduled backups.
func loadOps(o *Ops, get func(string, string) string, bad func(string, string)) {
	o.HTTPAddr = get("HTTP_ADDR", "127.0.0.1:9090")
	if strings.EqualFold(o.HTTPAddr, "off") {
		o.HTTPAddr = ""
	} else if !validAddr(o.HTTPAddr) {
		bad("HTTP_ADDR", "must be host:port such as 127.0.0.1:9090 (or :9090 for every interface), or off")
	}
	o.LogFormat = strings.ToLower(get("LOG_FORMAT", "text"))
	if o.LogFormat != "text" && o.LogFormat != "json" {
		bad("LOG_FORMAT", "must be text or json")
	}
	o.WebhookURL = get("TELEGRAM_WEBHOOK_URL", "")
	if o.WebhookURL != "" && !validWebhook(o.WebhookURL) {
		bad("TELEGRAM_WEBHOOK_URL", "must be an https URL on port 443, 80, 88 or 8443, such as https://bot.example.gov.vn/telegram, or empty for long polling")
	}
	o.BackupCron = get("BACKUP_CRON", "")
	if o.BackupCron != "" {
		var err error
		if o.BackupSchedule, err = cronParser.Parse(o.BackupCron); err != nil {
			bad("BACKUP_CRON", "must be a 5-field cron spec such as \"0 2 * * *\" (02:00 every day), or empty for no scheduled backup")
		}
	}
	o.BackupDir = get("BACKUP_DIR", "./backups")
	o.BackupKeep = intVar(get, "BACKUP_KEEP", "7", 1, 1000, bad)
}

// validAddr accepts host:port with a numeric port ("127.0.0.1:9090", ":9090").
func validAddr(a string) bool {
	_, port, err := net.SplitHostPort(a)
	if err != nil {
		return false
	}
	p, err := strconv.Atoi(port)
	return err == nil && p >= 0 && p <= 65535
}

// validWebhook accepts what Telegram accepts for setWebhook: https on one of
// its four ports.
func validWebhook(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" || u.User != nil {
		return false
	}
	switch u.Port() {
	case "", "443", "80", "88", "8443":
		return true
	}
	return false
}

func intVar(get func(string, string) string, k, def string, lo, hi int, bad func(string, string)) int {
	v, err := strconv.Atoi(get(k, def))
	if err != nil || v < lo || v > hi {
		bad(k, fmt.Sprintf("must be a whole number from %d to %d", lo, hi))
		d, _ := strconv.Atoi(def)
		return d
	}
	return v
}

func floatVar(get func(string, string) string, k, def string, bad func(string, string)) float64 {
	v, err := strconv.ParseFloat(get(k, def), 64)
	if err != nil || v <= 0 || v > 10000 {
		bad(k, "must be a positive number of messages per second, e.g. "+def)
		d, _ := strconv.ParseFloat(def, 64)
		return d
	}
	return v
}

// validToken checks the shape of a bot token without revealing it.
func validToken(t string) bool {
	id, secret, ok := strings.Cut(t, ":")
	if !ok || id == "" || len(secret) < 20 {
		return false
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return false
	}
	for _, r := range secret {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// normaliseEndpoint accepts a base URL ("http://localhost:8081") or the
// tgbotapi form ("…/bot%s/%s") and returns the latter.
func normaliseEndpoint(s string) (string, error) {
	base := strings.TrimSuffix(s, "/bot%s/%s")
	if strings.Contains(base, "%") {
		return "", errors.New("unexpected format verb")
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errors.New("not an http(s) URL")
	}
	return strings.TrimRight(base, "/") + "/bot%s/%s", nil
}

// FileEndpoint is the download endpoint matching APIEndpoint.
func (c Config) FileEndpoint() string {
	return strings.TrimSuffix(c.APIEndpoint, "/bot%s/%s") + "/file/bot%s/%s"
}

// IsAdmin tells whether a Telegram user id is one of ADMIN_TELEGRAM_IDS.
func (c Config) IsAdmin(id int64) bool {
	for _, a := range c.AdminIDs {
		if a == id {
			return true
		}
	}
	return false
}

// DatabaseDescription says which database is in use, without credentials.
func (c Config) DatabaseDescription() string {
	if c.MongoURI == "" {
		return "embedded FerretDB (SQLite) in " + c.DataDir
	}
	return "MongoDB at " + RedactURL(c.MongoURI)
}
