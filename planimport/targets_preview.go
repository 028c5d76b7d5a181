package planimport

import (
	"strings"

	"agencybot/agency"
	"agencybot/domain"
	"agencybot/i18n"
)

// TargetLine is one target as the preview lists it.
type TargetLine struct {
	Number     string             `json:"number"`
	Name       string             `json:"name"`
	Unit       string             `json:"unit"`
	Direction  domain.Direction   `json:"direction"`
	Stated     bool               `json:"stated"` // the file states the direction; else it was read from the numbers
	Baseline   *domain.Milestone  `json:"baseline,omitempty"`
	Milestones []domain.Milestone `json:"milestones"` // the last one is the target
	Lead       string             `json:"lead"`
	AgencyKey  string             `json:"agency_key,omitempty"` // the agency matched, "" when none
	Row        int                `json:"row"`
}

// previewTargets adds the table's targets to the preview: one line each, and
// their lead cells' names among the agencies matched or not recognised.
func (p *Preview) previewTargets(t Table, ix *agency.Index, add func(kind, id, text, key string, row int)) {
	for _, x := range t.Targets {
		line := TargetLine{Number: x.Number, Name: x.Name, Unit: x.Unit, Direction: x.Direction, Stated: x.Stated, Baseline: x.Baseline,
			Milestones: x.Milestones, Lead: x.Lead, Row: x.Row}
		a := agency.ParseAssignees(x.Lead, ix)
		for _, n := range a.Names {
			if ag, ok := ix.Match(n); ok {
				add("matched", ag.Key, ag.Name, ag.Key, x.Row)
				if line.AgencyKey == "" {
					line.AgencyKey = ag.Key
				}
			}
		}
		for _, r := range a.Rest {
			if agency.NameLike(r) {
				add("unknown", agency.Normalize(r), r, "", x.Row)
			}
		}
		for _, text := range []string{x.Coordinating} {
			c := agency.ParseAssignees(text, ix)
			for _, n := range c.Names {
				if ag, ok := ix.Match(n); ok {
					add("matched", ag.Key, ag.Name, ag.Key, x.Row)
				}
			}
			for _, r := range c.Rest {
				if agency.NameLike(r) {
					add("unknown", agency.Normalize(r), r, "", x.Row)
				}
			}
		}
		if line.AgencyKey == "" {
			p.TargetNoAgency = append(p.TargetNoAgency, x.Row)
		}
		p.Targets = append(p.Targets, line)
	}
}

// TargetText is a target's line in l, plain text: "CT5. Name (unit):
// 2026: 9,5; 2030: 12 — agency", numbers as the file writes them.
func TargetText(l i18n.Lang, x TargetLine) string {
	var parts []string
	if x.Baseline != nil {
		parts = append(parts, i18n.T(l, "import.preview_target_base", x.Baseline.Text, x.Baseline.Year))
	}
	for _, m := range x.Milestones {
		parts = append(parts, i18n.T(l, "import.preview_target_year", m.Year, m.Text))
	}
	s := i18n.T(l, "import.preview_target", x.Number, i18n.Shorten(x.Name, 60), x.Unit, strings.Join(parts, "; "))
	if !x.Stated {
		s += " " + i18n.T(l, "import.preview_target_read", i18n.T(l, "target.direction."+string(x.Direction)))
	}
	if x.Lead != "" {
		s += " — " + i18n.Shorten(x.Lead, 40)
	}
	return s
}

// renderTargets writes the preview's targets: a heading, a line each (at
// most maxListed), the rows without an agency.
func (p Preview) renderTargets(l i18n.Lang, esc func(string) string, b0, b1 string, line func(string)) {
	if len(p.Targets) == 0 {
		return
	}
	line("")
	line(b0 + esc(i18n.T(l, "import.preview_targets", len(p.Targets))) + b1)
	for i, x := range p.Targets {
		if i == maxListed {
			line(esc(i18n.T(l, "import.preview_more", len(p.Targets)-maxListed)))
			break
		}
		line("• " + esc(TargetText(l, x)))
	}
	if len(p.TargetNoAgency) > 0 {
		line(esc(i18n.T(l, "import.preview_target_no_agency", rowList(p.TargetNoAgency))))
	}
}
