package upward

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/i18n"
	"agencybot/report"
)

func date(s string) deadline.Date {
	d, err := deadline.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Each form of --period gives its first and last day, its title in both
// languages, its file-name part and the period after it.
func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in, from, to, vi, en, slug, next string
	}{
		{"2026-Q4", "2026-10-01", "2026-12-31", "quý IV năm 2026", "Q4 2026", "2026-q4", "2027-01-01"},
		{"2026-q1", "2026-01-01", "2026-03-31", "quý I năm 2026", "Q1 2026", "2026-q1", "2026-04-01"},
		{"2026-H1", "2026-01-01", "2026-06-30", "6 tháng đầu năm 2026", "the first half of 2026", "2026-h1", "2026-07-01"},
		{"2026-H2", "2026-07-01", "2026-12-31", "6 tháng cuối năm 2026", "the second half of 2026", "2026-h2", "2027-01-01"},
		{"2026", "2026-01-01", "2026-12-31", "năm 2026", "the year 2026", "2026", "2027-01-01"},
		{"2026-11", "2026-11-01", "2026-11-30", "tháng 11 năm 2026", "November 2026", "2026-11", "2026-12-01"},
		{"2028-02", "2028-02-01", "2028-02-29", "tháng 2 năm 2028", "February 2028", "2028-02", "2028-03-01"},
		{"2026-12", "2026-12-01", "2026-12-31", "tháng 12 năm 2026", "December 2026", "2026-12", "2027-01-01"},
	} {
		p, err := ParsePeriod(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.in, err)
			continue
		}
		if p.From.String() != c.from || p.To.String() != c.to || p.Label(i18n.VI) != c.vi || p.Label(i18n.EN) != c.en || p.Slug() != c.slug || p.Next().From.String() != c.next {
			t.Errorf("%s: %s–%s %q %q %s next %s", c.in, p.From, p.To, p.Label(i18n.VI), p.Label(i18n.EN), p.Slug(), p.Next().From)
		}
		if !p.Contains(p.From) || !p.Contains(p.To) || p.Contains(p.To.AddDays(1)) || p.Contains(p.From.AddDays(-1)) {
			t.Errorf("%s: Contains", c.in)
		}
	}
	for _, bad := range []string{"", "26-Q4", "2026-Q5", "2026-H3", "2026-13", "2026-1", "Q4", "2026-Q4-1", "abcd"} {
		if _, err := ParsePeriod(bad); err == nil || !strings.Contains(err.Error(), "2026-Q4") {
			t.Errorf("%q accepted or unhelpful: %v", bad, err)
		}
	}
	r, err := RangeOf(date("2026-10-01"), date("2026-12-15"))
	if err != nil || r.Label(i18n.VI) != "từ ngày 01/10/2026 đến ngày 15/12/2026" || r.Slug() != "20261001-20261215" ||
		r.Next().From.String() != "2026-12-16" || r.Next().To.String() != "2027-03-01" {
		t.Errorf("range %+v %q %s next %+v, %v", r, r.Label(i18n.VI), r.Slug(), r.Next(), err)
	}
	if _, err := RangeOf(date("2026-10-02"), date("2026-10-01")); err == nil {
		t.Error("a range ending before it starts")
	}
	if q := QuarterOf(date("2026-12-02")); q.Slug() != "2026-q4" || q.From.String() != "2026-10-01" {
		t.Errorf("quarter of 2 Dec: %+v", q)
	}
}

// The issuer's lines give the number's abbreviation, the place, its name in
// a sentence (as registered) and the signer's title.
func TestIssuer(t *testing.T) {
	agencies := []domain.Agency{{Key: "skhcn", Name: "Sở Khoa học và Công nghệ"}, {Key: "syt", Name: "Sở Y tế"}}
	for _, c := range []struct {
		lines                       []string
		abbrev, place, name, signer string
	}{
		{nil, "SKHCN", "Đồng Tháp", "Sở Khoa học và Công nghệ", "GIÁM ĐỐC"},
		{[]string{"UBND TỈNH ĐỒNG THÁP", "SỞ Y TẾ"}, "SYT", "Đồng Tháp", "Sở Y tế", "GIÁM ĐỐC"},
		{[]string{"UBND TỈNH ĐỒNG THÁP", "SỞ KH&CN"}, "SKHCN", "Đồng Tháp", "Sở Khoa học và Công nghệ", "GIÁM ĐỐC"},
		{[]string{"UBND THÀNH PHỐ CẦN THƠ", "SỞ ĐÀO TẠO"}, "SĐT", "Cần Thơ", "Sở đào tạo", "GIÁM ĐỐC"},
		{[]string{"ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"}, "UBNDTĐT", "Đồng Tháp", "Ủy ban nhân dân tỉnh đồng tháp", "CHỦ TỊCH"},
		{[]string{"TRUNG TÂM CHUYỂN ĐỔI SỐ"}, "TTCĐS", "Đồng Tháp", "Trung tâm chuyển đổi số", "THỦ TRƯỞNG CƠ QUAN"},
	} {
		is := NewIssuer(c.lines)
		if got := [...]string{is.Abbrev(), is.Place(), is.Name(agencies), is.Signer(i18n.VI)}; got != [...]string{c.abbrev, c.place, c.name, c.signer} {
			t.Errorf("%q: %q", c.lines, got)
		}
	}
}

// A plan is cited by its number and date when both are known; a blank
// number or date never prints its blanks.
func TestPlanRef(t *testing.T) {
	for _, c := range []struct {
		p      domain.Plan
		vi, en string
	}{
		{domain.Plan{Number: "45/KH-UBND", Date: "Đồng Tháp, ngày 10 tháng 4 năm 2026", Year: 2026}, "Kế hoạch số 45/KH-UBND ngày 10/04/2026", "Plan No. 45/KH-UBND of 10/04/2026"},
		{domain.Plan{Number: "45/KH-UBND", Date: "Đồng Tháp, ngày tháng 4 năm 2026", Year: 2026}, "Kế hoạch số 45/KH-UBND năm 2026", "Plan No. 45/KH-UBND (2026)"},
		{domain.Plan{Number: "/KH-UBND", Date: "Đồng Tháp, ngày tháng năm 2025", Year: 2025}, "Kế hoạch số …/KH-UBND năm 2025", "Plan No. …/KH-UBND (2025)"},
		{domain.Plan{Year: 2027}, "Kế hoạch năm 2027", "Plan 2027"},
	} {
		if vi, en := PlanRef(c.p, i18n.VI), PlanRef(c.p, i18n.EN); vi != c.vi || en != c.en {
			t.Errorf("%+v: %q %q", c.p, vi, en)
		}
	}
	if d := PlanDate(domain.Plan{Date: "ngày 31 tháng 2 năm 2026"}); !d.IsZero() {
		t.Errorf("31 February read as %s", d)
	}
}

// A collective task is one line: how many of its agencies have reported,
// how many are done, in progress and overdue, and who has not finished (the
// overdue first), naming at most so many.
func TestPartsOfACollectiveTask(t *testing.T) {
	av := func(name string, g report.Group, reported bool, role domain.Role) report.AssignmentView {
		a := report.AssignmentView{Agency: domain.Agency{Name: name}, Group: g, Assignment: domain.Assignment{Role: role, Collective: true}}
		if reported {
			a.Assignment.ReportedAt = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		}
		if g == report.DoneOnTime || g == report.DoneLate {
			a.Assignment.Status = domain.Done
		}
		return a
	}
	v := report.TaskView{Task: domain.Task{Lead: domain.Cell{Text: "Các sở, ban, ngành, địa phương", Group: agency.DepartmentsLocalities}}}
	groups := []report.Group{report.DoneOnTime, report.DoneLate, report.DoneOnTime, report.Late, report.OnTrack, report.Late}
	for i, g := range groups {
		v.Lead = append(v.Lead, av(fmt.Sprintf("Sở %c", 'A'+i), g, i != 4, domain.Lead))
	}
	p, ok := PartsOf(v)
	if !ok {
		t.Fatal("a collective task not seen as one")
	}
	if got := p.Text(i18n.VI, 2); got != "5/6 cơ quan đã báo cáo: 3 hoàn thành, 1 đang thực hiện, 2 quá hạn — chưa xong: Sở D, Sở F và 1 cơ quan khác" {
		t.Errorf("vi: %s", got)
	}
	if got := p.Text(i18n.EN, 8); got != "5/6 agencies reported: 3 done, 1 in progress, 2 overdue — not finished: Sở D, Sở F, Sở E" {
		t.Errorf("en: %s", got)
	}
	if got := Names(i18n.EN, []string{"A", "B", "C", "D"}, 2); got != "A, B and 2 other agencies" {
		t.Errorf("names: %s", got)
	}

	// A named lead with a group coordinating: the coordinating side.
	w := report.TaskView{Task: domain.Task{Lead: domain.Cell{Text: "Sở KH&CN"}, Coordinating: domain.Cell{Text: "Các sở", Group: agency.Departments}},
		Lead: []report.AssignmentView{av("Sở KH&CN", report.OnTrack, true, domain.Lead)}}
	for i := range 3 {
		w.Coordinating = append(w.Coordinating, av(fmt.Sprintf("Sở %d", i), report.DoneOnTime, true, domain.Coordinating))
	}
	if p, ok := PartsOf(w); !ok || p.Text(i18n.VI, 5) != "Phối hợp: 3/3 cơ quan đã báo cáo: 3 hoàn thành" {
		t.Errorf("coordinating group: %v %q", ok, p.Text(i18n.VI, 5))
	}
	// Agencies named one by one: no line.
	n := report.TaskView{Task: domain.Task{Lead: domain.Cell{Text: "Sở A, Sở B"}}, Lead: []report.AssignmentView{
		{Agency: domain.Agency{Name: "Sở A"}}, {Agency: domain.Agency{Name: "Sở B"}}}}
	if _, ok := PartsOf(n); ok {
		t.Error("two named leads counted as a group")
	}
}

// A file's name says the scope and the period.
func TestFileName(t *testing.T) {
	in := report.Input{
		Plans:    []domain.Plan{{Key: "kh-2025", Number: "/KH-UBND", Year: 2025}, {Key: "kh-2026", Number: "45/KH-UBND", Year: 2026}},
		Agencies: []domain.Agency{{Key: "so-y-te", Name: "Sở Y tế"}, {Key: "khcn", Name: "Sở Khoa học và Công nghệ"}},
	}
	q4, _ := ParsePeriod("2026-Q4")
	for _, c := range []struct {
		f    report.Filter
		ext  string
		want string
	}{
		{report.Filter{AgencyKey: "so-y-te"}, ".xlsx", "bao-cao-so-y-te-2026-q4.xlsx"},
		{report.Filter{}, ".docx", "bao-cao-2026-q4.docx"},
		{report.Filter{PlanKey: "kh-2025"}, ".docx", "bao-cao-kh-2025-2026-q4.docx"},
		{report.Filter{PlanKey: "kh-2026", AgencyKey: "khcn"}, ".xlsx", "bao-cao-so-khoa-hoc-va-cong-nghe-kh-45-2026-q4.xlsx"},
	} {
		if got := FileName(in, c.f, q4, c.ext); got != c.want {
			t.Errorf("%+v: %s, want %s", c.f, got, c.want)
		}
	}
}
