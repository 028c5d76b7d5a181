package main

import (
	"context"
	"flag"
	"fmt"

	"agencybot/chart"
	"agencybot/report"
	"agencybot/store"
)

// runChart writes the chart /chart sends: agencies by light and progress
// per plan and section, for the open plans, as a PNG.
func runChart(ctx context.Context, args []string, w world) error {
	stdout, stderr, getenv := w.stdout, w.stderr, w.getenv
	fs := flag.NewFlagSet("chart", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rf reportFlags
	rf.register(fs)
	maxAgencies := fs.Int("max-agencies", chart.DefaultMaxAgencies, "agencies with a bar of their own; the rest share one")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if rf.out == "" {
		return usageError{"chart needs --out FILE.png"}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	return withStore(ctx, w, true, func(s *store.Store) error {
		in, f, err := rf.input(ctx, s, cfg, false, w.now())
		if err != nil {
			return err
		}
		w, done, err := rf.create(stdout)
		if err != nil {
			return err
		}
		if err := chart.Render(w, report.Summarize(in, f), chart.Options{Lang: rf.lang, MaxAgencies: *maxAgencies}); err != nil {
			_ = done()
			return fmt.Errorf("draw chart: %w", err)
		}
		return done()
	})
}
