package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"agencybot/agency"
	"agencybot/config"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
	"agencybot/store"
	"agencybot/summaries"
	"agencybot/xlsxreport"
)

// reportFlags are the flags every report command shares.
type reportFlags struct {
	out, scope, at, lang string
}

func (r *reportFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.out, "out", "", "file to write (default: standard output)")
	fs.StringVar(&r.scope, "scope", "", "narrow to one agency or plan: a part of the agency's name, or the plan's year, code or number")
	fs.StringVar(&r.at, "at", "", "report as of this instant (RFC3339; default: now)")
	fs.StringVar(&r.lang, "lang", "vi", "language of the labels: vi or en")
}

// input reads the roll-up input and the filter the flags ask for.
func (r *reportFlags) input(ctx context.Context, s *store.Store, cfg config.Config, allPlans bool, now time.Time) (report.Input, report.Filter, error) {
	if r.at != "" {
		t, err := time.Parse(time.RFC3339, r.at)
		if err != nil {
			return report.Input{}, report.Filter{}, usageError{fmt.Sprintf("--at %q: want RFC3339, e.g. 2025-12-24T08:00:00+07:00", r.at)}
		}
		now = t
	}
	base := report.Base(cfg, now)
	in, err := summaries.New(summaries.Options{Store: s}).RollupInput(ctx, base, "", allPlans)
	if err != nil {
		return in, report.Filter{}, err
	}
	list := make([]agency.Agency, len(in.Agencies))
	for i, a := range in.Agencies {
		list[i] = agency.Agency{Key: a.Key, Name: a.Name, Kind: a.Kind, Aliases: a.Aliases}
	}
	ix, err := agency.NewIndex(list)
	if err != nil {
		return in, report.Filter{}, err
	}
	f, ok := report.ParseScope(in.Plans, ix, r.scope)
	if !ok {
		return in, f, usageError{fmt.Sprintf("--scope %q names no agency or plan", r.scope)}
	}
	return in, f, nil
}

// create opens the output: the file named by --out, else stdout.
func (r *reportFlags) create(stdout io.Writer) (io.Writer, func() error, error) {
	if r.out == "" || r.out == "-" {
		return stdout, func() error { return nil }, nil
	}
	fh, err := os.Create(r.out)
	if err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(fh, 1<<16)
	return bw, func() error {
		if err := bw.Flush(); err != nil {
			fh.Close()
			return err
		}
		return fh.Close()
	}, nil
}

func runExport(ctx context.Context, args []string, w world) error {
	stdout, stderr, getenv := w.stdout, w.stderr, w.getenv
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "json", "json (every task with its roll-up), csv (one row per assignment) or xlsx (the report in the appendix layout)")
	var rf reportFlags
	rf.register(fs)
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	switch *format {
	case "json", "csv":
	case "xlsx":
		if rf.out == "" {
			return usageError{"export --format xlsx needs --out FILE.xlsx"}
		}
	default:
		return usageError{fmt.Sprintf("export: format %q is not supported (use json, csv or xlsx)", *format)}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	return withStore(ctx, w, true, func(s *store.Store) error {
		in, f, err := rf.input(ctx, s, cfg, true, w.now())
		if err != nil {
			return err
		}
		w, done, err := rf.create(stdout)
		if err != nil {
			return err
		}
		switch *format {
		case "xlsx":
			hist := func(fn func(domain.Update) error) error { return s.EachUpdate(ctx, f.AgencyKey, fn) }
			if in.Targets, err = targetRows(ctx, s, rf.lang, deadline.DateOf(in.Now.In(cfg.Location))); err != nil {
				break
			}
			err = xlsxreport.Write(w, in, f, hist, xlsxreport.Options{Lang: rf.lang})
		default:
			in.Evidence = map[string]int{}
			extras, files, xerr := readExtras(ctx, s) // extensions, reviews and files (issue 20)
			if err = xerr; err != nil {
				break
			}
			if err = s.EachUpdate(ctx, f.AgencyKey, func(u domain.Update) error {
				report.FoldUpdates(in.Evidence, u)
				files(u)
				return nil
			}); err != nil {
				break
			}
			r := report.New(in, f)
			if *format == "csv" {
				err = writeCSV(w, r, in.Loc)
			} else {
				enc := json.NewEncoder(w)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				err = enc.Encode(exportTasks(r, in.Loc, extras))
			}
		}
		return errorsJoin(err, done())
	})
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// csvHeader is the header of `export --format csv`: one row per assignment.
var csvHeader = []string{"plan", "section", "number", "code", "title", "agency_key", "agency", "role", "collective", "deadline_text", "due",
	"status", "progress", "light", "group", "not_reported_this_period", "waiting_for_review", "reported_at", "done_at", "note", "evidence",
	"task_status", "task_progress", "task_light", "task_group"}

func writeCSV(w io.Writer, r *report.Rollup, loc *time.Location) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	var err error
	r.EachTask(func(v report.TaskView) bool {
		for _, a := range append(append([]report.AssignmentView(nil), v.Lead...), v.Coordinating...) {
			as := a.Assignment
			if err = cw.Write([]string{
				v.Plan.Label(), v.Task.Section, v.Task.Number, v.Task.Code, v.Task.Title, as.AgencyKey, a.Agency.Name, string(as.Role),
				strconv.FormatBool(as.Collective), v.Task.Deadline.Text, dateOrEmpty(as.Due.IsZero(), as.Due.String()),
				string(as.Status), strconv.Itoa(as.Progress), string(a.Light), string(a.Group), strconv.FormatBool(a.Unreported),
				strconv.FormatBool(a.Waiting), timeOrEmpty(as.ReportedAt, loc), timeOrEmpty(as.DoneAt, loc), as.Note, strconv.Itoa(a.Evidence),
				string(v.Status), strconv.Itoa(v.Progress), string(v.Light), string(v.Group),
			}); err != nil {
				return false
			}
		}
		return true
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func dateOrEmpty(zero bool, s string) string {
	if zero {
		return ""
	}
	return s
}

func timeOrEmpty(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}
