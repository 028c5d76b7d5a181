package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/docxreport"
	"agencybot/i18n"
	"agencybot/report"
	"agencybot/report/upward"
	"agencybot/store"
)

// runReport writes the report upward (báo cáo) as a .docx draft: the open
// plans /summary covers, narrowed by --plan and --agency, for a period
// (--period, or --from and --to; the current quarter by default).
func runReport(ctx context.Context, args []string, w world) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(w.stderr)
	out := fs.String("out", "", "the .docx file to write")
	plan := fs.String("plan", "", "one plan: its year, code or number (2026, kh 2025, 45/KH-UBND)")
	agencyArg := fs.String("agency", "", "one agency: its name or a part of it")
	period := fs.String("period", "", "the reporting period: 2026-Q4, 2026-H1, 2026 or 2026-11 (default: the current quarter)")
	from := fs.String("from", "", "the period's first day, 2026-10-01 or 01/10/2026 (with --to)")
	to := fs.String("to", "", "the period's last day (with --from)")
	at := fs.String("at", "", "report as of this instant (RFC3339; default: now)")
	lang := fs.String("lang", "vi", "language of the report: vi or en (the national heading stays Vietnamese)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *out == "" || !strings.HasSuffix(strings.ToLower(*out), ".docx") {
		return usageError{"report needs --out FILE.docx"}
	}
	if *lang != "vi" && *lang != "en" {
		return usageError{fmt.Sprintf("--lang %q: use vi or en", *lang)}
	}
	now := w.now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageError{fmt.Sprintf("--at %q: want RFC3339, e.g. 2026-12-10T08:00:00+07:00", *at)}
		}
		now = t
	}
	cfg, err := loadConfig(w.getenv)
	if err != nil {
		return err
	}
	p, err := parsePeriod(*period, *from, *to, deadline.DateOf(now.In(cfg.Location)))
	if err != nil {
		return err
	}
	return withStore(ctx, w, true, func(s *store.Store) error {
		in, err := s.RollupInput(ctx, report.Base(cfg, now), "", false)
		if err != nil {
			return err
		}
		f, err := reportFilter(in, *plan, *agencyArg)
		if err != nil {
			return err
		}
		// The proof of the completions: the evidence files, folded from the
		// history as the exports fold their counts.
		if err := s.EachUpdate(ctx, f.AgencyKey, in.FoldProof()); err != nil {
			return fmt.Errorf("read the history: %w", err)
		}
		if in.Targets, err = targetRows(ctx, s, *lang, deadline.DateOf(now.In(cfg.Location))); err != nil {
			return err
		}
		rf := reportFlags{out: *out}
		dst, done, err := rf.create(w.stdout)
		if err != nil {
			return err
		}
		err = docxreport.Write(dst, in, docxreport.Options{Lang: *lang, Issuer: cfg.ReportIssuer, Filter: f, Period: p})
		if err = errorsJoin(err, done()); err != nil {
			return err
		}
		fmt.Fprintf(w.stdout, "wrote %s: %s (suggested name %s)\n", *out, p.Label("vi"), upward.FileName(in, f, p, ".docx"))
		return nil
	})
}

// targetRows are the targets with their latest values, judged on day
// today as /targets judges them: the report's and the Excel's targets.
func targetRows(ctx context.Context, s *store.Store, lang string, today deadline.Date) ([]report.Target, error) {
	recs, err := s.TargetRecords(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the targets: %w", err)
	}
	rows := make([]docxreport.TargetRecord, len(recs))
	for i, r := range recs {
		rows[i] = docxreport.TargetRecord{Target: r.Target, History: r.History}
	}
	return docxreport.TargetsOf(rows, i18n.Lang(lang), today), nil
}

// parsePeriod reads --period, or --from and --to; none is the quarter of
// today.
func parsePeriod(period, from, to string, today deadline.Date) (upward.Period, error) {
	switch {
	case period != "" && (from != "" || to != ""):
		return upward.Period{}, usageError{"report: give --period or --from/--to, not both"}
	case period != "":
		p, err := upward.ParsePeriod(period)
		if err != nil {
			return p, usageError{"--" + err.Error()}
		}
		return p, nil
	case from != "" || to != "":
		if from == "" || to == "" {
			return upward.Period{}, usageError{"report: --from and --to go together"}
		}
		f, err := parseDay(from)
		if err != nil {
			return upward.Period{}, usageError{fmt.Sprintf("--from %q: want 2026-10-01 or 01/10/2026", from)}
		}
		t, err := parseDay(to)
		if err != nil {
			return upward.Period{}, usageError{fmt.Sprintf("--to %q: want 2026-12-31 or 31/12/2026", to)}
		}
		p, err := upward.RangeOf(f, t)
		if err != nil {
			return p, usageError{"report: " + err.Error()}
		}
		return p, nil
	}
	return upward.QuarterOf(today), nil
}

// parseDay reads 2026-10-01 or 01/10/2026.
func parseDay(s string) (deadline.Date, error) {
	if d, err := deadline.ParseDate(s); err == nil {
		return d, nil
	}
	t, err := time.Parse("02/01/2006", s)
	if err != nil {
		return deadline.Date{}, err
	}
	return deadline.DateOf(t), nil
}

// reportFilter resolves --plan and --agency as /summary reads its scope.
func reportFilter(in report.Input, plan, agencyArg string) (report.Filter, error) {
	var f report.Filter
	if plan != "" {
		pf, ok := report.ParseScope(in.Plans, nil, plan)
		if !ok || pf.PlanKey == "" {
			var names []string
			for _, p := range in.Plans {
				names = append(names, p.Label())
			}
			return f, usageError{fmt.Sprintf("--plan %q names no open plan (open: %s)", plan, strings.Join(names, "; "))}
		}
		f.PlanKey = pf.PlanKey
	}
	if agencyArg != "" {
		list := make([]agency.Agency, len(in.Agencies))
		for i, a := range in.Agencies {
			list[i] = agency.Agency{Key: a.Key, Name: a.Name, Kind: a.Kind, Aliases: a.Aliases}
		}
		ix, err := agency.NewIndex(list)
		if err != nil {
			return f, err
		}
		af, ok := report.ParseScope(nil, ix, agencyArg)
		if !ok || af.AgencyKey == "" {
			return f, usageError{fmt.Sprintf("--agency %q names no agency", agencyArg)}
		}
		f.AgencyKey = af.AgencyKey
	}
	return f, nil
}
