package report

import (
	"time"

	"agencybot/config"
	"agencybot/domain"
)

// Base is the part of a roll-up's Input that comes from the configuration
// (thresholds, zone, the review setting) as of now; the store fills in the
// plans, tasks, agencies and assignments. Every output starts from it, so
// /summary, the digest, the chart and the exports judge alike.
func Base(cfg config.Config, now time.Time) Input {
	return Input{
		Now: now, Loc: cfg.Location, StaleDays: cfg.StaleDays, ReviewRequired: cfg.ReviewRequired,
		Policy: domain.PolicyFor(cfg.SoonDays, cfg.ReportPeriod).WithReportDay(cfg.Reminders.ReportDay),
	}
}
