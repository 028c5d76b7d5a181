// Package chart draws the roll-up as a PNG a leader reads on a phone:
// agencies by light as stacked horizontal bars (most red first, the rest
// grouped), and mean progress per plan and section, with a caption saying
// the date and what is counted. Its figures come from report.Summary only,
// so they agree with the summary and the exports.
package chart

import (
	"fmt"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

// DefaultMaxAgencies is how many agencies get a bar of their own when
// Options.MaxAgencies is not set; the rest share one bar.
const DefaultMaxAgencies = 15

// AgencyBar is one bar of the agencies panel.
type AgencyBar struct {
	Label              string
	Red, Yellow, Green int
	Grouped            int // >0: this bar sums that many agencies ("others")
}

// ProgressBar is one bar of the progress panel: a plan or one of its sections.
type ProgressBar struct {
	Label    string
	Plan     bool // a plan's bar (sections follow it)
	Progress int  // 0..100
	Tasks    int
}

// Figures is everything the chart shows.
type Figures struct {
	Today       deadline.Date
	Scope       string // what the chart covers, in words
	Tasks       int
	Assignments int
	AgencyCount int
	Agencies    []AgencyBar   // most red first, then most yellow, then by name; "others" last
	Progress    []ProgressBar // plans in order, each followed by its sections
}

// FiguresOf takes the chart's figures from a summary. maxAgencies <= 0
// means DefaultMaxAgencies.
func FiguresOf(sum report.Summary, lang string, maxAgencies int) Figures {
	if maxAgencies <= 0 {
		maxAgencies = DefaultMaxAgencies
	}
	l := textsFor(lang)
	f := Figures{Today: sum.Today, Tasks: sum.Tasks, Assignments: sum.Assignments, AgencyCount: len(sum.Agencies), Scope: l.scopeAll}
	switch {
	case sum.Agency != nil:
		f.Scope = sum.Agency.Name
	case sum.Plan != nil:
		f.Scope = planLabel(*sum.Plan, l)
	}
	for i, a := range sum.Agencies {
		if i < maxAgencies || len(sum.Agencies) == maxAgencies+1 {
			f.Agencies = append(f.Agencies, AgencyBar{Label: a.Agency.Name, Red: a.Red, Yellow: a.Yellow, Green: a.Green})
			continue
		}
		if len(f.Agencies) == maxAgencies {
			f.Agencies = append(f.Agencies, AgencyBar{})
		}
		o := &f.Agencies[maxAgencies]
		o.Red, o.Yellow, o.Green, o.Grouped = o.Red+a.Red, o.Yellow+a.Yellow, o.Green+a.Green, o.Grouped+1
		o.Label = fmt.Sprintf(l.others, o.Grouped)
	}
	for _, p := range sum.Plans {
		f.Progress = append(f.Progress, ProgressBar{Label: planLabel(p.Plan, l), Plan: true, Progress: p.Progress, Tasks: p.Tasks})
		for _, s := range p.Sections {
			f.Progress = append(f.Progress, ProgressBar{Label: s.Section + ". " + s.Title, Progress: s.Progress, Tasks: s.Tasks})
		}
	}
	return f
}

// planLabel names a plan briefly: its number, else "Kế hoạch <year>".
func planLabel(p domain.Plan, l labels) string {
	if n := strings.TrimSpace(p.Number); n != "" && !strings.HasPrefix(n, "/") {
		return n
	}
	return fmt.Sprintf(l.plan, p.Year)
}
