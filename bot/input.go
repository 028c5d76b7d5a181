package bot

// The roll-up input, and the policy and day it is judged by.

import (
	"context"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

// today is the date in the province.
func (b *Bot) today() deadline.Date { return deadline.DateOf(b.local()) }

// policy is the configured light thresholds.
func (b *Bot) policy() domain.Policy {
	return domain.PolicyFor(b.Config.SoonDays, b.Config.ReportPeriod)
}

// agencyInput is the roll-up input of the open plans for one agency's
// assignments (agencyKey not empty) or for all. Once the whole input is in
// memory (rollcache.go) it is served from there; before that, one agency's
// is read through store.RollupInput by _id, so an officer's first /tasks
// does not wait for the province's.
func (b *Bot) agencyInput(ctx context.Context, agencyKey string) (report.Input, error) {
	b.rolls.mu.Lock()
	loaded := b.rolls.loaded
	b.rolls.mu.Unlock()
	if agencyKey == "" || loaded {
		return b.rollupInput(ctx, false)
	}
	r, err := b.reports()
	if err != nil {
		return report.Input{}, err
	}
	base := report.Base(b.Config, b.now())
	return r.RollupInput(ctx, base, agencyKey, false)
}
