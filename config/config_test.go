package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) Getenv { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIEndpoint != DefaultAPIEndpoint || c.MongoURI != "" || c.MongoDatabase != "agencybot" || c.DataDir != "./data" ||
		c.Location.String() != "Asia/Ho_Chi_Minh" || c.Reminders.Cron != "0 8 * * 1-5" || c.Reminders.DigestCron != "30 7 * * 1" ||
		len(c.Reminders.DaysBefore) != 5 || c.InviteTTL.Hours() != 168 || c.Reminders.TargetReport != "12-01" {
		t.Errorf("defaults = %+v", c)
	}
	if c.DatabaseDescription() != "embedded FerretDB (SQLite) in ./data" {
		t.Errorf("description %q", c.DatabaseDescription())
	}
}

// A bad value stops the program with one line per variable naming it and the
// expected form; secrets are not repeated.
func TestBadValuesNameTheVariable(t *testing.T) {
	secret := "mongodb-password-xyz"
	_, err := Load(env(map[string]string{
		"TELEGRAM_BOT_TOKEN":    "not-a-token",
		"TELEGRAM_API_ENDPOINT": "ftp://example",
		"MONGODB_URI":           "postgres://u:" + secret + "@h/db",
		"TZ":                    "Mars/Olympus",
		"ADMIN_TELEGRAM_IDS":    "12,abc",
		"LOG_LEVEL":             "loud",
		"REMINDER_CRON":         "every morning",
		"REMINDER_DAYS":         "7,x",
		"SEND_RATE":             "-1",
		"REPORT_PERIOD":         "weekly",
		"TARGET_REPORT_DATE":    "1 December",
	}))
	if err == nil {
		t.Fatal("bad values accepted")
	}
	msg := err.Error()
	for _, v := range []string{"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_ENDPOINT", "MONGODB_URI", "TZ", "ADMIN_TELEGRAM_IDS", "LOG_LEVEL", "REMINDER_CRON", "REMINDER_DAYS", "SEND_RATE", "REPORT_PERIOD", "TARGET_REPORT_DATE"} {
		found := false
		for _, line := range strings.Split(msg, "\n") {
			if strings.HasPrefix(line, v+": ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no line for %s in:\n%s", v, msg)
		}
	}
	if strings.Contains(msg, secret) || strings.Contains(msg, "not-a-token") {
		t.Errorf("a secret leaked into the error:\n%s", msg)
	}
}

func TestEndpointAndAdmins(t *testing.T) {
	c, err := Load(env(map[string]string{"TELEGRAM_API_ENDPOINT": "http://localhost:8081/", "ADMIN_TELEGRAM_IDS": "11, 22;33",
		"MONGODB_URI": "mongodb://user:pw@db.example:27017/?authSource=admin"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIEndpoint != "http://localhost:8081/bot%s/%s" || c.FileEndpoint() != "http://localhost:8081/file/bot%s/%s" {
		t.Errorf("endpoint %q / %q", c.APIEndpoint, c.FileEndpoint())
	}
	if !c.IsAdmin(22) || !c.IsAdmin(33) || c.IsAdmin(44) {
		t.Errorf("admins %v", c.AdminIDs)
	}
	if d := c.DatabaseDescription(); strings.Contains(d, "pw") || strings.Contains(d, "user") || !strings.Contains(d, "db.example:27017") {
		t.Errorf("description leaks or misses the host: %q", d)
	}
}

func TestOpsDefaultsAndValues(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Ops; o.HTTPAddr != "127.0.0.1:9090" || o.LogFormat != "text" || o.WebhookURL != "" || o.BackupCron != "" || o.BackupDir != "./backups" || o.BackupKeep != 7 {
		t.Errorf("ops defaults = %+v", o)
	}
	c, err = Load(env(map[string]string{"HTTP_ADDR": ":9100", "LOG_FORMAT": "JSON", "TELEGRAM_WEBHOOK_URL": "https://bot.example.gov.vn:8443/tg",
		"BACKUP_CRON": "0 2 * * *", "BACKUP_DIR": "/var/backups/agencybot", "BACKUP_KEEP": "30"}))
	if err != nil {
		t.Fatal(err)
	}
	if o := c.Ops; o.HTTPAddr != ":9100" || o.LogFormat != "json" || o.WebhookURL != "https://bot.example.gov.vn:8443/tg" || o.BackupCron != "0 2 * * *" || o.BackupDir != "/var/backups/agencybot" || o.BackupKeep != 30 {
		t.Errorf("ops = %+v", o)
	}
	c, err = Load(env(map[string]string{"HTTP_ADDR": "off"}))
	if err != nil || c.Ops.HTTPAddr != "" {
		t.Errorf("HTTP_ADDR=off: %q, %v", c.Ops.HTTPAddr, err)
	}
}

func TestOpsBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"HTTP_ADDR":            {"HTTP_ADDR": "localhost"},
		"LOG_FORMAT":           {"LOG_FORMAT": "xml"},
		"TELEGRAM_WEBHOOK_URL": {"TELEGRAM_WEBHOOK_URL": "http://bot.example.gov.vn/tg"},
		"BACKUP_CRON":          {"BACKUP_CRON": "daily at two"},
		"BACKUP_KEEP":          {"BACKUP_KEEP": "0"},
	}
	for v, m := range cases {
		_, err := Load(env(m))
		if err == nil || !strings.HasPrefix(err.Error(), v+": ") {
			t.Errorf("%v: err = %v, want a line for %s", m, err, v)
		}
	}
	// Telegram only calls webhooks on ports 443, 80, 88 and 8443.
	if _, err := Load(env(map[string]string{"TELEGRAM_WEBHOOK_URL": "https://bot.example.gov.vn:9443/tg"})); err == nil {
		t.Error("a webhook on port 9443 was accepted")
	}
	// Credentials in the webhook URL are refused and not repeated.
	_, err := Load(env(map[string]string{"TELEGRAM_WEBHOOK_URL": "https://u:hunter2@bot.example.gov.vn/tg"}))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v", err)
	}
}

func TestReviewRequiredIsOnByDefault(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || !c.ReviewRequired {
		t.Fatalf("default: ReviewRequired %v, err %v; want on", c.ReviewRequired, err)
	}
	c, err = Load(env(map[string]string{"REVIEW_REQUIRED": "false"}))
	if err != nil || c.ReviewRequired {
		t.Fatalf("REVIEW_REQUIRED=false: %v, err %v", c.ReviewRequired, err)
	}
	if _, err := Load(env(map[string]string{"REVIEW_REQUIRED": "perhaps"})); err == nil || !strings.Contains(err.Error(), "REVIEW_REQUIRED") {
		t.Fatalf("a bad value names the variable: %v", err)
	}
}

// Load parses the schedules once and hands them out: the next run of each
// falls where its spec says, in the time zone of the instant asked about.
func TestSchedulesAreParsedByLoad(t *testing.T) {
	c, err := Load(env(map[string]string{"BACKUP_CRON": "0 2 * * *"}))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, c.Location) // a Wednesday, 10:00 in Đồng Tháp
	for name, s := range map[string]struct {
		sched interface{ Next(time.Time) time.Time }
		want  time.Time
	}{
		"REMINDER_CRON 0 8 * * 1-5": {c.Reminders.Schedule, time.Date(2026, 12, 3, 8, 0, 0, 0, c.Location)},
		"DIGEST_CRON 30 7 * * 1":    {c.Reminders.DigestSchedule, time.Date(2026, 12, 7, 7, 30, 0, 0, c.Location)},
		"BACKUP_CRON 0 2 * * *":     {c.Ops.BackupSchedule, time.Date(2026, 12, 3, 2, 0, 0, 0, c.Location)},
	} {
		if s.sched == nil {
			t.Errorf("%s: no schedule", name)
			continue
		}
		if got := s.sched.Next(now); !got.Equal(s.want) {
			t.Errorf("%s: next run after %s is %s, want %s", name, now, got, s.want)
		}
	}
	c, err = Load(env(map[string]string{"REMINDER_CRON": "@daily", "DIGEST_CRON": "0 17 * * 5"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Reminders.Schedule.Next(now); !got.Equal(time.Date(2026, 12, 3, 0, 0, 0, 0, c.Location)) {
		t.Errorf("@daily: next %s", got)
	}
	if got := c.Reminders.DigestSchedule.Next(now); !got.Equal(time.Date(2026, 12, 4, 17, 0, 0, 0, c.Location)) {
		t.Errorf("0 17 * * 5: next %s", got)
	}
	if c.Ops.BackupSchedule != nil {
		t.Errorf("BACKUP_CRON empty, yet a backup schedule %v", c.Ops.BackupSchedule)
	}
	// A wrong spec is one line naming its variable and the expected form.
	for v, spec := range map[string]string{"REMINDER_CRON": "8h", "DIGEST_CRON": "* * *", "BACKUP_CRON": "61 2 * * *"} {
		_, err := Load(env(map[string]string{v: spec}))
		if err == nil || strings.Count(err.Error(), "\n") != 0 || !strings.HasPrefix(err.Error(), v+": must be a 5-field cron spec such as") {
			t.Errorf("%s=%q: err = %v", v, spec, err)
		}
	}
}

// REPORT_ISSUER gives the issuing body's lines, the superior first; the
// default is Sở KH&CN under the PPC; an empty line or more than three lines
// is refused with the expected form.
func TestReportIssuer(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.ReportIssuer, "|") != "UBND TỈNH ĐỒNG THÁP|SỞ KHOA HỌC VÀ CÔNG NGHỆ" {
		t.Errorf("default issuer %q", c.ReportIssuer)
	}
	c, err = Load(env(map[string]string{"REPORT_ISSUER": " UBND TỈNH ĐỒNG THÁP /  SỞ Y   TẾ "}))
	if err != nil || strings.Join(c.ReportIssuer, "|") != "UBND TỈNH ĐỒNG THÁP|SỞ Y TẾ" {
		t.Errorf("issuer %q, %v", c.ReportIssuer, err)
	}
	for _, bad := range []string{"UBND TỈNH ĐỒNG THÁP //", "A / B / C / D", "/SỞ Y TẾ"} {
		_, err := Load(env(map[string]string{"REPORT_ISSUER": bad}))
		if err == nil || !strings.HasPrefix(err.Error(), "REPORT_ISSUER: must be one to three lines separated by /") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestExtensionSettings(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil || c.ExtensionApprover != ExtensionByCoordinators || c.ExtensionMax != 2 {
		t.Fatalf("defaults: approver %q, max %d, err %v; want coordinators, 2", c.ExtensionApprover, c.ExtensionMax, err)
	}
	c, err = Load(env(map[string]string{"EXTENSION_APPROVER": "Leaders", "EXTENSION_MAX": "3"}))
	if err != nil || c.ExtensionApprover != ExtensionByLeaders || c.ExtensionMax != 3 {
		t.Fatalf("leaders, 3: approver %q, max %d, err %v", c.ExtensionApprover, c.ExtensionMax, err)
	}
	for k, v := range map[string]string{"EXTENSION_APPROVER": "anyone", "EXTENSION_MAX": "-1"} {
		if _, err := Load(env(map[string]string{k: v})); err == nil || !strings.Contains(err.Error(), k) {
			t.Errorf("%s=%s: err %v, want one naming the variable", k, v, err)
		}
	}
}
