package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"agencybot/scheduler"
	"agencybot/store"
)

// runReminders prints, sending nothing, what the reminder run at an instant
// would send: one JSON object per line, and with --text each recipient's
// message as plain text. An instant before the day's run time previews that
// day's run, and says so on stderr.
func runReminders(ctx context.Context, args []string, w world) error {
	stdout, stderr, getenv := w.stdout, w.stderr, w.getenv
	fs := flag.NewFlagSet("reminders", flag.ContinueOnError)
	fs.SetOutput(stderr)
	at := fs.String("at", "", "the instant of the run, RFC 3339, e.g. 2025-12-24T08:00:00+07:00 (default: now)")
	asText := fs.Bool("text", false, "also print, per recipient, the message text that would be sent (plain text)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	when := w.now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageError{fmt.Sprintf("reminders: --at %q is not an RFC 3339 time such as 2025-12-24T08:00:00+07:00", *at)}
		}
		when = t
	}
	return withStore(ctx, w, true, func(s *store.Store) error {
		cfg, err := loadConfig(getenv)
		if err != nil {
			return err
		}
		sched, err := scheduler.New(scheduler.Deps{Store: s, Config: cfg, Clock: func() time.Time { return when }})
		if err != nil {
			return err
		}
		when = previewedRun(sched, when, cfg.Reminders.Cron, stderr)
		lines, err := sched.Preview(ctx, when)
		if err != nil {
			return err
		}
		if err := scheduler.WritePreview(stdout, lines); err != nil || !*asText {
			return err
		}
		msgs, err := sched.PreviewMessages(ctx, when)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\n# messages of the run at %s: %d\n", when.In(cfg.Location).Format("2006-01-02 15:04 -07:00"), len(msgs))
		return scheduler.WritePreviewMessages(stdout, msgs)
	})
}

// previewedRun is the instant a preview is computed at: the day's run when
// at comes before it (said on stderr, with the run's time); at otherwise.
func previewedRun(sched *scheduler.Scheduler, at time.Time, cron string, stderr io.Writer) time.Time {
	run, ok := sched.RunOfDay(at)
	switch {
	case !ok:
		fmt.Fprintf(stderr, "reminders: no reminder run on %s (REMINDER_CRON %q); previewing as of %s\n",
			at.Format("2006-01-02"), cron, at.Format(time.RFC3339))
		return at
	case at.Before(run):
		fmt.Fprintf(stderr, "reminders: %s is before the day's run time; previewing the run of %s\n",
			at.Format(time.RFC3339), run.Format(time.RFC3339))
		return run
	}
	return at
}
