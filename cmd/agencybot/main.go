// Command agencybot is the Telegram bot with which Đồng Tháp tracks the
// tasks of its science, technology and digital-transformation plans.
//
//	agencybot [run]                     start the bot (and the reminders)
//	agencybot seed                      load the plans in seeds/ (idempotent)
//	agencybot export --format json      print every task as JSON (csv, xlsx too)
//	agencybot targets --format json     print every target with its milestones and values
//	agencybot chart --out FILE.png      draw the leaders' chart
//	agencybot report --out FILE.docx    draft the report upward (báo cáo) of a period
//	agencybot reminders --at <RFC3339>  show what the reminder run at that instant would send
//	agencybot agency add --name N --kind K   register an agency (a commune, say)
//	agencybot backup --out FILE         a consistent snapshot of the database (while the bot runs)
//	agencybot restore FILE [--replace]  load a backup (the bot stopped)
//	agencybot migrate --to <URI>        copy the embedded database to MongoDB (resumable, verified)
//	agencybot health [--ready]          ask the running bot's HTTP_ADDR whether it is healthy
//	agencybot import FILE --number N --date D --title T [--dry-run]   import a plan's table
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/joho/godotenv"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A .env file is read if present; the real environment wins.
	if err := godotenv.Load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "agencybot: .env:", err)
		os.Exit(2)
	}
	err := execute(ctx, os.Args[1:], world{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now})
	if err != nil {
		fmt.Fprintln(os.Stderr, "agencybot:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

const usage = `usage: agencybot [command] [flags]

commands:
  run                         start the bot and the reminders (default)
  seed                        load the plans and agencies in seeds/ (twice changes nothing)
  export --format json|csv|xlsx [--out FILE] [--scope S] [--at T]
                              every task with its roll-up (json), one row per assignment (csv),
                              or the report in the plans' appendix layout (xlsx, needs --out)
  targets --format json [--out FILE] [--at T]
                              every target (chỉ tiêu) with its milestones, its light as of T
                              and the values reported
  chart --out FILE.png [--scope S] [--at T]
                              the chart /chart sends: agencies by light, progress by plan and section
  report --out FILE.docx [--plan P] [--agency A] [--period 2026-Q4|2026-H1|2026|2026-11]
         [--from D --to D] [--at T] [--lang vi|en]
                              the report upward (báo cáo) as a .docx draft to edit and sign: the form
                              of Nghị định 30, the figures /summary gives, the appendix per plan;
                              default period: the current quarter; issuer: REPORT_ISSUER
  reminders --at <RFC3339> [--text]
                              print what the reminder run at that instant would send (sends nothing);
                              --text adds each recipient's message as plain text
  agency add --name <name> --kind <kind> [--alias <a>]...
                              register an agency; it receives its collective tasks
  backup --out FILE           write a consistent, compressed snapshot of every collection
                              (works while the bot runs)
  restore FILE [--replace]    load a backup into an empty database (--replace: drop what is there);
                              stop the bot first
  migrate --to <MongoDB URI> [--db NAME]
                              copy the embedded database to MongoDB with its indexes and verify
                              counts and checksums; run it again after stopping the bot
  health [--ready]            exit 0 when the running bot's /healthz (or /readyz) answers 200
  import FILE --number <n> --date YYYY-MM-DD --title <t> [--sheet <s>] [--update] [--dry-run]
                              import a plan's table from .xlsx or .csv; --dry-run prints the preview
  help                        this text

Configuration comes from the environment or a .env file; see .env.example.
`

// world is what a command takes from outside the program: its output
// streams, its environment and its clock. main passes the real ones; tests
// pass buffers, a map and a pinned clock.
type world struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	// now is the current time: every decision by date (which reminders are
	// due, what a report counts as overdue, when an update was made) reads it.
	now func() time.Time
}

// execute runs one command; everything it needs comes in as arguments so
// that tests can run it.
func execute(ctx context.Context, args []string, w world) error {
	if w.now == nil {
		w.now = time.Now
	}
	cmd := "run"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "run":
		return runBot(ctx, args, w)
	case "seed":
		return runSeed(ctx, args, w)
	case "export":
		return runExport(ctx, args, w)
	case "targets":
		return runTargets(ctx, args, w)
	case "chart":
		return runChart(ctx, args, w)
	case "report":
		return runReport(ctx, args, w)
	case "reminders":
		return runReminders(ctx, args, w)
	case "agency":
		return runAgency(ctx, args, w)
	case "backup":
		return runBackup(ctx, args, w)
	case "restore":
		return runRestore(ctx, args, w)
	case "migrate":
		return runMigrate(ctx, args, w)
	case "health":
		return runHealth(ctx, args, w)
	case "import":
		return runImport(ctx, args, w)
	case "help", "-h", "--help":
		_, err := io.WriteString(w.stdout, usage)
		return err
	}
	return usageError{fmt.Sprintf("unknown command %q\n%s", cmd, usage)}
}
