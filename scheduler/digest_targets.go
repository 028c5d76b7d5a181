package scheduler

import (
	"context"
	"fmt"
	"html"
	"strings"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report/upward"
)

// What the weekly digest adds for the targets and the report upward: the
// targets behind their path this year (domain.JudgeTarget, as /targets
// judges them), and in a quarter's last week a button that asks for the
// quarter's report (.docx, bot/upward.go).

// behindTarget is a target behind its path on the digest's day.
type behindTarget struct {
	target domain.Target
	j      domain.Judgement
}

// digestTargetLines is how many targets behind the digest names.
const digestTargetLines = 5

// targetsOf judges every target on day: those behind, in plan order, and
// how many targets there are.
func (s *Scheduler) targetsOf(ctx context.Context, day deadline.Date) ([]behindTarget, int, error) {
	recs, err := s.st.TargetRecords(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("load targets: %w", err)
	}
	var out []behindTarget
	for _, r := range recs {
		if j := domain.JudgeTarget(r.Target, r.History, day); j.Light == domain.Behind {
			out = append(out, behindTarget{target: r.Target, j: j})
		}
	}
	return out, len(recs), nil
}

// renderDigestTargets is the digest's section of targets behind (nothing
// when there are no targets at all).
func renderDigestTargets(l i18n.Lang, behind []behindTarget, total int) string {
	if total == 0 {
		return ""
	}
	var sb strings.Builder
	sb.WriteString("\n\n" + i18n.T(l, "digest.targets_behind", len(behind), total))
	if len(behind) == 0 {
		sb.WriteString("\n" + i18n.T(l, "digest.none"))
	}
	for i, b := range behind {
		if i == digestTargetLines {
			sb.WriteString("\n" + i18n.T(l, "digest.more", len(behind)-i))
			break
		}
		t := b.target
		name := html.EscapeString(i18n.Shorten(t.Name, 60))
		if t.Unit != "" {
			name += " (" + html.EscapeString(t.Unit) + ")"
		}
		sb.WriteString("\n" + i18n.T(l, "digest.target_line", html.EscapeString(t.Number), name, b.j.Year,
			i18n.Number(l, b.j.Actual.Value), i18n.Number(l, b.j.Expected.Value)))
	}
	return sb.String()
}

// digestButtons offers, in the last week of a quarter, the quarter's report
// upward.
func digestButtons(l i18n.Lang, day deadline.Date) [][]domain.Button {
	q := upward.QuarterOf(day)
	if deadline.DaysBetween(day, q.To) >= 7 {
		return nil
	}
	return [][]domain.Button{{{
		Text: "📄 " + i18n.T(l, "digest.report_btn", q.Label(l)),
		Data: domain.Callback{Verb: domain.VerbReport, Ref: strings.ToUpper(q.Slug())}.Encode(),
	}}}
}
