package bot

// The roll-up input (package summaries), and the policy and day it is
// judged by.

import (
	"context"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

// UpdateHistory streams the update history the Excel report's history
// sheet lists (*store.Store: store.EachUpdate).
type UpdateHistory interface {
	EachUpdate(ctx context.Context, agencyKey string, fn func(domain.Update) error) error
}

// today is the date in the province.
func (b *Bot) today() deadline.Date { return deadline.DateOf(b.local()) }

// policy is the configured light thresholds.
func (b *Bot) policy() domain.Policy {
	return domain.PolicyFor(b.Config.SoonDays, b.Config.ReportPeriod)
}

// rollupInput is the roll-up input as of now: the open plans, or every plan
// when allPlans (the exports), from memory.
func (b *Bot) rollupInput(ctx context.Context, allPlans bool) (report.Input, error) {
	return b.Summaries.RollupInput(ctx, report.Base(b.Config, b.now()), "", allPlans)
}

// agencyInput is the roll-up input of the open plans for one agency's
// assignments (agencyKey not empty) or for all: from memory once the whole
// input is there; before that one agency's is read by _id, so an officer's
// first /tasks does not wait for the province's.
func (b *Bot) agencyInput(ctx context.Context, agencyKey string) (report.Input, error) {
	return b.Summaries.RollupInput(ctx, report.Base(b.Config, b.now()), agencyKey, false)
}

// catalogChanged is called after this bot changed plans, tasks or agencies:
// the cached tasks and agencies are dropped, and the summaries brought up to
// date before the coordinator is answered, so that every view agrees at once.
func (b *Bot) catalogChanged(ctx context.Context) {
	b.cache.mu.Lock()
	b.cache.tasks, b.cache.agencies = nil, nil
	b.cache.mu.Unlock()
	if err := b.Summaries.Changed(ctx); err != nil {
		b.log().Warn("bring the summaries up to date", "err", err)
	}
}
