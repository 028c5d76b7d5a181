package bot

// The roll-up input of an agency's assignments, and the policy and day it is judged by.

import (
	"context"
	"fmt"

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

// agencyInput is the roll-up input for one agency's assignments.
func (b *Bot) agencyInput(ctx context.Context, agencyKey string) (report.Input, error) {
	in := report.Input{Now: b.now(), Loc: b.Config.Location, Policy: b.policy(), StaleDays: b.Config.StaleDays}
	var err error
	if in.Plans, err = b.Catalog.OpenPlans(ctx); err != nil {
		return in, err
	}
	tasks, agencies, err := b.catalog(ctx)
	if err != nil {
		return in, err
	}
	for _, t := range tasks {
		in.Tasks = append(in.Tasks, t)
	}
	for _, a := range agencies {
		in.Agencies = append(in.Agencies, a)
	}
	if agencyKey == "" {
		in.Assignments, err = b.Assignments.AllAssignments(ctx)
		return in, err
	}
	ag, ok := agencies[agencyKey]
	if !ok { // registered after the cache was filled
		if ag, err = b.Catalog.Agency(ctx, agencyKey); err != nil {
			return in, fmt.Errorf("agency %s: %w", agencyKey, err)
		}
	}
	in.Assignments, err = b.Assignments.AssignmentsOf(ctx, ag, in.Tasks)
	return in, err
}
