package upward

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

// PlanRef cites a plan as a document does: "Kế hoạch số 45/KH-UBND ngày
// 10/04/2026" when its number and date are known, "Kế hoạch số …/KH-UBND
// năm 2025" for a number left blank (a draft's "/KH-UBND"), "Kế hoạch năm
// 2025" without any. A date with blanks ("ngày tháng năm 2025") is never
// printed.
func PlanRef(p domain.Plan, l i18n.Lang) string {
	num := strings.TrimSpace(p.Number)
	d := PlanDate(p)
	switch {
	case num == "":
		return i18n.T(l, "upward.plan.year", p.Year)
	case strings.HasPrefix(num, "/"):
		return i18n.T(l, "upward.plan.blank_number", num, p.Year)
	case !d.IsZero():
		return i18n.T(l, "upward.plan.dated", num, i18n.Date(d))
	}
	return i18n.T(l, "upward.plan.number", num, p.Year)
}

var planDate = regexp.MustCompile(`ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`)

// PlanDate is the date a plan was issued, from its date line ("Đồng Tháp,
// ngày 22 tháng 10 năm 2025"); zero when the line leaves the day or the
// month blank.
func PlanDate(p domain.Plan) deadline.Date {
	m := planDate.FindStringSubmatch(p.Date)
	if m == nil {
		return deadline.Date{}
	}
	d, err := deadline.ParseDate(m[3] + "-" + pad2(m[2]) + "-" + pad2(m[1]))
	if err != nil {
		return deadline.Date{}
	}
	return d
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// Parts is one side of a collective task (a group of agencies, each
// reporting on its own) counted in one line: how many agencies, how many
// have reported, how many are in each group, and who has not finished.
type Parts struct {
	Role     domain.Role // the side counted: the leads, or the coordinating agencies when only they are a group
	Agencies int
	Reported int // agencies that have reported at least once
	Done     int // finished, on time or late
	OnTrack  int // not finished, within the deadline (not started included)
	Late     int // not finished, past the deadline
	Open     []string
}

// PartsOf counts the collective side of v: its leads when they are a group
// of two or more, else its coordinating agencies when they are; ok is false
// for a task whose agencies are named one by one (its row speaks for itself).
// Open names the agencies not finished, the overdue first, then by name.
func PartsOf(v report.TaskView) (Parts, bool) {
	side, role := v.Lead, domain.Lead
	if !collective(v.Task.Lead, side) {
		side, role = v.Coordinating, domain.Coordinating
		if !collective(v.Task.Coordinating, side) {
			return Parts{}, false
		}
	}
	p := Parts{Role: role, Agencies: len(side)}
	var late, open []string
	for i := range side {
		a := &side[i]
		if !a.Assignment.ReportedAt.IsZero() {
			p.Reported++
		}
		switch a.Group {
		case report.DoneOnTime, report.DoneLate:
			p.Done++
			continue
		case report.Late:
			p.Late++
			late = append(late, a.Agency.Name)
			continue
		}
		p.OnTrack++
		open = append(open, a.Agency.Name)
	}
	p.Open = append(late, open...)
	return p, true
}

func collective(c domain.Cell, side []report.AssignmentView) bool {
	if len(side) < 2 {
		return false
	}
	if c.Group != agency.NoGroup {
		return true
	}
	return slices.ContainsFunc(side, func(a report.AssignmentView) bool { return a.Assignment.Collective })
}

// Text is the line: "14/14 cơ quan đã báo cáo: 3 hoàn thành, 9 đang thực
// hiện, 2 quá hạn — chưa xong: Sở A, Sở B và 9 cơ quan khác", naming at most
// maxNames agencies.
func (p Parts) Text(l i18n.Lang, maxNames int) string {
	var groups []string
	for _, g := range []struct {
		key string
		n   int
	}{{"done", p.Done}, {"on_track", p.OnTrack}, {"late", p.Late}} {
		if g.n > 0 {
			groups = append(groups, i18n.T(l, "upward.parts."+g.key, g.n))
		}
	}
	s := i18n.T(l, "upward.parts", p.Reported, p.Agencies, strings.Join(groups, ", "))
	if len(p.Open) > 0 {
		s += " — " + i18n.T(l, "upward.parts.open", Names(l, p.Open, maxNames))
	}
	if p.Role == domain.Coordinating {
		s = i18n.T(l, "upward.parts.coordinating", s)
	}
	return s
}

// Names lists at most max names, then how many more: "Sở A, Sở B và 9 cơ
// quan khác".
func Names(l i18n.Lang, names []string, max int) string {
	if max <= 0 || len(names) <= max {
		return strings.Join(names, ", ")
	}
	rest := len(names) - max
	return i18n.N(l, "upward.names.more", rest, strings.Join(names[:max], ", "), rest)
}

// FileName names a report's file by its scope and period:
// "bao-cao-so-y-te-2026-q4.xlsx" (one agency), "bao-cao-kh-2026-2026-q4.docx"
// (one plan), "bao-cao-2026-q4.docx" (everything). ext includes the dot.
func FileName(in report.Input, f report.Filter, p Period, ext string) string {
	parts := []string{"bao-cao"}
	if f.AgencyKey != "" {
		name := f.AgencyKey
		if i := slices.IndexFunc(in.Agencies, func(a domain.Agency) bool { return a.Key == f.AgencyKey }); i >= 0 {
			name = in.Agencies[i].Name
		}
		parts = append(parts, agency.Slug(name))
	}
	if f.PlanKey != "" {
		if i := slices.IndexFunc(in.Plans, func(x domain.Plan) bool { return x.Key == f.PlanKey }); i >= 0 {
			parts = append(parts, planSlug(in.Plans[i]))
		}
	}
	return strings.Join(append(parts, p.Slug()), "-") + ext
}

// planSlug is "kh-45" for plan 45/KH-UBND, "kh-2025" for one without a
// number.
func planSlug(p domain.Plan) string {
	num := strings.TrimSpace(p.Number)
	digits := num
	if i := strings.IndexFunc(num, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		digits = num[:i]
	}
	if digits == "" {
		return "kh-" + strconv.Itoa(p.Year)
	}
	return "kh-" + digits
}
