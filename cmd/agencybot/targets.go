package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/store"
)

// exportTarget is one target as `agencybot targets --format json` prints it:
// the plan's numbers, who reports it, how it stands on the day, and every
// value reported.
type exportTarget struct {
	ID     string `json:"id"`
	Plan   string `json:"plan"`
	Number string `json:"number"`
	Name   string `json:"name"`
	Unit   string `json:"unit"`
	// Direction is at_least, at_most or exactly; Strict when the target's
	// own number does not meet it ("trên 40%").
	Direction domain.Direction `json:"direction"`
	Strict    bool             `json:"strict"`
	Baseline  *exportFigure    `json:"baseline"`
	// Milestones are the plan's numbers by year, the target's year included.
	Milestones   map[int]float64 `json:"milestones"`
	Target       float64         `json:"target"`
	TargetText   string          `json:"target_text"` // as written: "trên 40%"
	Year         int             `json:"year"`
	Agency       string          `json:"agency"`
	AgencyKey    string          `json:"agency_key"`
	Contributors string          `json:"contributors"`
	Task         string          `json:"task,omitempty"`
	Source       string          `json:"source"`

	AsOf     string             `json:"as_of"` // the day judged, YYYY-MM-DD
	Light    domain.TargetLight `json:"light"`
	Expected *exportExpected    `json:"expected"`
	Latest   *float64           `json:"latest"`
	Trend    domain.Trend       `json:"trend"`
	Met      bool               `json:"met"`
	Values   []exportValue      `json:"values"`
}

// exportFigure is a number as the plan writes it.
type exportFigure struct {
	Value float64 `json:"value"`
	Year  int     `json:"year"`
	Text  string  `json:"text"`
}

// exportExpected is what the judged year is held to, and on what basis.
type exportExpected struct {
	Year  int          `json:"year"`
	Value float64      `json:"value"`
	Basis domain.Basis `json:"basis"`
}

// exportValue is one value reported; Withdrawn when a correction took it
// back (it no longer counts).
type exportValue struct {
	Year      int       `json:"year"`
	Period    string    `json:"period,omitempty"`
	Value     float64   `json:"value"`
	Text      string    `json:"text,omitempty"`
	Source    string    `json:"source"`
	Date      *string   `json:"date"`
	Who       string    `json:"who"`
	OfficerID int64     `json:"officer_id"`
	When      time.Time `json:"when"`
	Withdrawn bool      `json:"withdrawn"`
}

func runTargets(ctx context.Context, args []string, w world) error {
	fs := flag.NewFlagSet("targets", flag.ContinueOnError)
	fs.SetOutput(w.stderr)
	format := fs.String("format", "json", "json: every target with its milestones and values")
	var rf reportFlags
	fs.StringVar(&rf.out, "out", "", "file to write (default: standard output)")
	fs.StringVar(&rf.at, "at", "", "judge the targets as of this instant (RFC3339; default: now)")
	if err := fs.Parse(args); err != nil {
		return usageError{err.Error()}
	}
	if *format != "json" {
		return usageError{fmt.Sprintf("targets: format %q is not supported (use json)", *format)}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("targets: unexpected %q", fs.Arg(0))}
	}
	cfg, err := loadConfig(w.getenv)
	if err != nil {
		return err
	}
	now := w.now()
	if rf.at != "" {
		if now, err = time.Parse(time.RFC3339, rf.at); err != nil {
			return usageError{fmt.Sprintf("--at %q: want RFC3339, e.g. 2026-12-24T08:00:00+07:00", rf.at)}
		}
	}
	return withStore(ctx, w, true, func(s *store.Store) error {
		recs, err := s.TargetRecords(ctx)
		if err != nil {
			return err
		}
		agencies, err := s.Agencies(ctx)
		if err != nil {
			return err
		}
		names := map[string]string{}
		for _, a := range agencies {
			names[a.Key] = a.Name
		}
		plans, err := s.Plans(ctx)
		if err != nil {
			return err
		}
		labels := map[string]string{}
		for _, p := range plans {
			labels[p.Key] = p.Label()
		}
		out, done, err := rf.create(w.stdout)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(exportTargets(recs, names, labels, deadline.DateOf(now.In(cfg.Location)), cfg.Location))
		return errorsJoin(err, done())
	})
}

// exportTargets turns the stored targets into the JSON rows, judged on day
// today.
func exportTargets(recs []store.TargetRecord, names, plans map[string]string, today deadline.Date, loc *time.Location) []exportTarget {
	rows := []exportTarget{}
	for _, r := range recs {
		t := r.Target
		j := domain.JudgeTarget(t, r.History, today)
		row := exportTarget{
			ID: t.ID, Plan: plans[t.PlanKey], Number: t.Number, Name: t.Name, Unit: t.Unit, Direction: t.Direction, Strict: t.Final.Strict,
			Milestones: map[int]float64{}, Target: t.Final.Value, TargetText: t.Final.Text, Year: t.Final.Year,
			Agency: names[t.Agency], AgencyKey: t.Agency, Contributors: t.Contributors.Text, Task: t.Task, Source: t.Source,
			AsOf: today.String(), Light: j.Light, Trend: j.Trend, Met: j.Met, Values: []exportValue{},
		}
		if b := t.Baseline; b != nil {
			row.Baseline = &exportFigure{Value: b.Value, Year: b.Year, Text: b.Text}
		}
		for _, m := range append(append([]domain.Milestone(nil), t.Milestones...), t.Final) {
			row.Milestones[m.Year] = m.Value
		}
		if j.Expected.Basis != domain.BasisNone {
			row.Expected = &exportExpected{Year: j.Expected.Year, Value: j.Expected.Value, Basis: j.Expected.Basis}
		}
		if j.Latest != nil {
			v := j.Latest.Value
			row.Latest = &v
		}
		standing := map[string]bool{}
		for _, v := range domain.CurrentValues(r.History) {
			standing[v.ID] = true
		}
		for _, v := range r.History {
			if v.Kind != domain.ReportValue {
				continue
			}
			x := exportValue{Year: v.Year, Period: v.Period, Value: v.Value, Text: v.Text, Source: v.DataSource, Who: v.OfficerName,
				OfficerID: v.OfficerID, When: v.At.In(loc), Withdrawn: !standing[v.ID]}
			if !v.Date.IsZero() {
				d := v.Date.String()
				x.Date = &d
			}
			row.Values = append(row.Values, x)
		}
		rows = append(rows, row)
	}
	return rows
}
