package scheduler

import (
	"slices"
	"strings"
	"testing"
	"time"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/seeds"
	"agencybot/store"
	"agencybot/tgserver"
)

// targetWorld is plan 2026's five targets (Sở KH&CN) and three more: one of
// Sở Y tế, one of Sở Tài chính (nobody linked there), one withdrawn, one
// tracked from 2027; values: 26-CT5's 2026 reported, 26-CT4 only for half
// of 2026, 26-CT1's 2026 value withdrawn by its officer.
func targetWorld(t *testing.T) TargetPlanInput {
	t.Helper()
	files, err := seeds.Targets()
	if err != nil {
		t.Fatal(err)
	}
	var targets []domain.Target
	for _, st := range files[0].Targets {
		d, err := st.Domain(files[0].Plan, "26")
		if err != nil {
			t.Fatal(err)
		}
		targets = append(targets, d)
	}
	final := domain.Milestone{Year: 2030, Value: 90, Text: "90%"}
	targets = append(targets,
		domain.Target{ID: "26-CT6", Number: "6", Name: "Tỷ lệ cơ sở y tế có bệnh án điện tử", Unit: "%", Direction: domain.AtLeast, From: 2026, Final: final, Agency: "so-y-te"},
		domain.Target{ID: "26-CT7", Number: "7", Name: "Tỷ lệ chi ngân sách cho khoa học", Unit: "%", Direction: domain.AtLeast, From: 2026, Final: final, Agency: "so-tai-chinh"},
		domain.Target{ID: "26-CT8", Number: "8", Name: "Đã bỏ", Unit: "%", Direction: domain.AtLeast, From: 2026, Final: final, Agency: "so-khcn", Withdrawn: true},
		domain.Target{ID: "26-CT9", Number: "9", Name: "Số doanh nghiệp khoa học và công nghệ", Unit: "doanh nghiệp", Direction: domain.AtLeast, From: 2027,
			Final: domain.Milestone{Year: 2030, Value: 30, Text: "30"}, Agency: "so-khcn"},
	)
	v := func(id string, version, year int, period string, value float64) domain.TargetValue {
		return domain.TargetValue{ID: domain.TargetValueID(id, version), TargetID: id, Version: version, Kind: domain.ReportValue, Year: year, Period: period, Value: value, OfficerID: 1}
	}
	return TargetPlanInput{
		Targets: targets,
		Histories: map[string][]domain.TargetValue{
			"26-CT5": {v("26-CT5", 1, 2026, "", 9.6)},
			"26-CT4": {v("26-CT4", 1, 2026, "6 tháng đầu năm 2026", 0.62)},
			"26-CT1": {v("26-CT1", 1, 2026, "", 21), {ID: "26-CT1#2", Version: 2, Kind: domain.CorrectionValue, Corrects: "26-CT1#1", OfficerID: 1}},
		},
		Officers: []domain.Officer{
			{TelegramID: 1, Role: domain.RoleOfficer, AgencyKey: "so-khcn", Name: "Nguyễn Văn An", Lang: "vi", Active: true},
			{TelegramID: 2, Role: domain.RoleOfficer, AgencyKey: "so-khcn", Name: "Lê Thị Bình", Lang: "en", Active: true,
				PausedUntil: time.Date(2026, 12, 20, 0, 0, 0, 0, vn), Substitute: 1},
			{TelegramID: 3, Role: domain.RoleOfficer, AgencyKey: "so-y-te", Name: "Trần Cường", Lang: "en", Active: true},
			{TelegramID: 4, Role: domain.RoleOfficer, AgencyKey: "so-khcn", Name: "Đã nghỉ", Active: false},
			{TelegramID: 5, Role: domain.RoleLeader, Name: "Lãnh đạo", Active: true},
			{TelegramID: 6, Role: domain.RoleOfficer, AgencyKey: "so-khcn", Name: "Mất liên lạc", Active: true, Unreachable: true},
		},
		Agencies: map[string]string{"so-khcn": "Sở KH&CN", "so-y-te": "Sở Y tế", "so-tai-chinh": "Sở Tài chính"},
		Month:    time.December, Day: 1, DaysBefore: []int{14, 7, 3, 1, 0},
	}
}

func targetIDs(asks []TargetAsk) []string {
	var out []string
	for _, a := range asks {
		out = append(out, a.Target.ID)
	}
	return out
}

// Who is asked for which targets' yearly values, at pinned dates, with
// TARGET_REPORT_DATE 12-01 and REMINDER_DAYS 14,7,3,1,0: on the reminder days
// only (a weekend's on the Monday, the closest to the date), the targets
// tracked that year without a whole-year value, grouped per officer of the
// responsible agency, a paused officer's substitute in their place; an
// agency with nobody linked apart.
func TestPlanTargetRequestsAtPinnedDates(t *testing.T) {
	khcn2026 := []string{"26-CT1", "26-CT2", "26-CT3", "26-CT4"}
	khcn2027 := []string{"26-CT1", "26-CT2", "26-CT3", "26-CT4", "26-CT5", "26-CT9"}
	type want struct {
		officer  int64
		targets  []string
		period   string
		onBehalf []string
	}
	for _, c := range []struct {
		name      string
		from, to  deadline.Date
		want      []want
		unreached []string
	}{
		{"14 days before, 2026", d(2026, 11, 17), d(2026, 11, 17),
			[]want{{1, khcn2026, "y2026/d14", []string{"Lê Thị Bình"}}, {3, []string{"26-CT6"}, "y2026/d14", nil}}, []string{"so-tai-chinh"}},
		{"no reminder day", d(2026, 11, 18), d(2026, 11, 18), nil, nil},
		{"Monday after a weekend: the day before wins over three days before", d(2026, 11, 28), d(2026, 11, 30),
			[]want{{1, khcn2026, "y2026/d1", []string{"Lê Thị Bình"}}, {3, []string{"26-CT6"}, "y2026/d1", nil}}, []string{"so-tai-chinh"}},
		{"the report date itself", d(2026, 12, 1), d(2026, 12, 1),
			[]want{{1, khcn2026, "y2026/d0", []string{"Lê Thị Bình"}}, {3, []string{"26-CT6"}, "y2026/d0", nil}}, []string{"so-tai-chinh"}},
		{"a year later: both officers, the 2027 target too", d(2027, 11, 24), d(2027, 11, 24),
			[]want{{1, khcn2027, "y2027/d7", nil}, {2, khcn2027, "y2027/d7", nil}, {3, []string{"26-CT6"}, "y2027/d7", nil}}, []string{"so-tai-chinh"}},
		{"before the plan starts", d(2025, 11, 17), d(2025, 11, 17), nil, nil},
		{"after the final year", d(2031, 11, 17), d(2031, 11, 17), nil, nil},
	} {
		in := targetWorld(t)
		in.From, in.To, in.Now = c.from, c.to, c.to.In(vn).Add(8*time.Hour)
		reqs, unreached := PlanTargetRequests(in)
		if len(reqs) != len(c.want) {
			t.Errorf("%s: %d requests %+v, want %d", c.name, len(reqs), reqs, len(c.want))
			continue
		}
		for i, w := range c.want {
			r := reqs[i]
			if r.OfficerID != w.officer || !slices.Equal(targetIDs(r.Targets), w.targets) || r.Period != w.period || !slices.Equal(r.OnBehalf, w.onBehalf) ||
				r.Due != (deadline.Date{Year: c.to.Year, Month: 12, Day: 1}) {
				t.Errorf("%s: request %d = officer %d %v %s on behalf %v due %s; want %+v", c.name, i, r.OfficerID, targetIDs(r.Targets), r.Period, r.OnBehalf, r.Due, w)
			}
		}
		var agencies []string
		for _, u := range unreached {
			agencies = append(agencies, u.Agency)
		}
		if !slices.Equal(agencies, c.unreached) {
			t.Errorf("%s: unreached %v, want %v", c.name, agencies, c.unreached)
		}
	}
}

func d(y int, m time.Month, day int) deadline.Date { return deadline.Date{Year: y, Month: m, Day: day} }

// The request reads in the officer's language: the year, the agency, the
// report date, each target with this year's milestone as the plan writes it
// (or the path, or only the target); plan texts escaped, valid HTML.
func TestRenderTargetRequest(t *testing.T) {
	in := targetWorld(t)
	in.From, in.To, in.Now = d(2027, 11, 17), d(2027, 11, 17), time.Date(2027, 11, 17, 8, 0, 0, 0, vn)
	in.Histories["26-CT5"] = append(in.Histories["26-CT5"], domain.TargetValue{ID: "26-CT5#0", Kind: domain.ReportValue, Year: 2025, Value: 8.5})
	reqs, unreached := PlanTargetRequests(in)
	vi, en := reqs[0], reqs[1]
	text := RenderTargetRequest(vi)
	for _, want := range []string{
		"📊 <b>Số liệu chỉ tiêu năm 2027</b> — Sở KH&amp;CN",
		"Đề nghị báo cáo số liệu năm 2027 của các chỉ tiêu sau trước ngày 01/12/2027, kèm nguồn số liệu:",
		"• Chỉ số chuyển đổi số cấp tỉnh (chỉ số): lộ trình năm 2027 khoảng 0,652; mục tiêu năm 2030: ≥ 0,75", // from the half-year 0,62 of 2026
		"• Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo (%): mục tiêu năm 2030: trên 40%",
		"(người/1 vạn dân): lộ trình năm 2027 khoảng 10,125; mục tiêu năm 2030: 12 người trên một vạn dân",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("vi request lacks %q:\n%s", want, text)
		}
	}
	if _, _, err := tgserver.ParseHTML(text); err != nil {
		t.Errorf("vi request is not valid HTML: %v\n%s", err, text)
	}
	if e := RenderTargetRequest(en); !strings.Contains(e, "Target figures for 2027") || !strings.Contains(e, "before 01/12/2027") || !strings.Contains(e, "path for 2027 about 10.125") {
		t.Errorf("en request:\n%s", e)
	}
	in.From, in.To, in.Now = d(2026, 11, 17), d(2026, 11, 17), time.Date(2026, 11, 17, 8, 0, 0, 0, vn)
	reqs, _ = PlanTargetRequests(in)
	if text := RenderTargetRequest(reqs[0]); !strings.Contains(text, "(thay cho Lê Thị Bình đang tạm nghỉ)") {
		t.Errorf("on behalf:\n%s", text)
	}
	in.Targets[4].Milestones = []domain.Milestone{{Year: 2026, Value: 9.5, Text: "9,5 người/1 vạn dân"}}
	in.Histories["26-CT5"] = nil
	reqs, _ = PlanTargetRequests(in)
	if text := RenderTargetRequest(reqs[0]); !strings.Contains(text, "mốc năm 2026 là 9,5 người/1 vạn dân; mục tiêu năm 2030: 12 người trên một vạn dân") {
		t.Errorf("milestone line:\n%s", text)
	}
	if n := RenderTargetUnreached("vi", unreached); n != "Chưa có cán bộ nào để hỏi số liệu chỉ tiêu năm 2027 của: Sở Tài chính." {
		t.Errorf("unreached notice %q", n)
	}
}

// TestReminderRunAsksForTargets: the reminder run itself asks for the
// targets' values on the reminder days before TARGET_REPORT_DATE, in the
// officer's one message of the run next to their tasks, in their language,
// with a button to each target's card; a target whose value is reported is
// no longer asked; a run again asks nothing twice.
func TestReminderRunAsksForTargets(t *testing.T) {
	e := newEnv(t, "TARGET_REPORT_DATE", "12-04") // 14 days before: 20/11, the day of the periodic reports
	files, err := seeds.Targets()
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(2026, 11, 1, 8, 0))
	if _, err := e.st.SeedTargets(e.ctx, files); err != nil {
		t.Fatal(err)
	}
	e.link(khcnVI, "so-khcn", "vi", "Nguyễn Văn An")
	e.link(khcnEN, "so-khcn", "en", "John")

	sent := e.day(at(2026, 11, 20, 8, 0))
	vi := ofChat(sent, khcnVI)
	if len(vi) != 1 {
		t.Fatalf("%d messages to the Vietnamese officer, want one (the targets grouped with the tasks)", len(vi))
	}
	text := vi[0].Text
	t.Log("the run's message:\n" + text)
	for _, want := range []string{
		"📊 <b>Số liệu chỉ tiêu năm 2026</b> — đề nghị báo cáo trước ngày 04/12/2026",
		"• Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo (người/1 vạn dân): mốc năm 2026 là 9,5 người/1 vạn dân; mục tiêu năm 2030: 12 người trên một vạn dân",
		"• Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo (%): mục tiêu năm 2030: trên 40%",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the run's message lacks %q", want)
		}
	}
	if !strings.Contains(text, "• <b>") {
		t.Error("the officer's tasks are not in the same message")
	}
	if strings.Index(text, "Số liệu chỉ tiêu") < strings.Index(text, "• <b>") {
		t.Error("the targets come before the tasks")
	}
	var cards []string
	for _, row := range vi[0].Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.Data, domain.VerbTarget+"|") {
				cards = append(cards, b.Data)
			}
		}
	}
	if !slices.Equal(cards, []string{"ct|-|m"}) {
		t.Errorf("buttons to the targets' cards: %v (all: %+v)", cards, vi[0].Buttons)
	}
	if en := ofChat(sent, khcnEN); len(en) != 1 || !strings.Contains(en[0].Text, "Target figures for 2026") || !strings.Contains(en[0].Text, "milestone for 2026") {
		t.Errorf("the English officer's message: %+v", en)
	}

	if none := ofChat(e.day(at(2026, 11, 25, 8, 0)), khcnVI); len(none) == 1 && strings.Contains(none[0].Text, "Số liệu chỉ tiêu") {
		t.Error("asked for the targets on a day that is no reminder day")
	}

	// Reported meanwhile: 26-CT5 is not asked any more; the others are.
	e.clock.Set(at(2026, 11, 26, 9, 0))
	if _, _, err := e.st.ApplyTarget(e.ctx, "26-CT5", store.TargetChange{OfficerID: khcnVI, AgencyKey: "so-khcn", Kind: domain.ReportValue,
		Year: 2026, Value: 9.6, DataSource: "Cục Thống kê"}); err != nil {
		t.Fatal(err)
	}
	week := ofChat(e.day(at(2026, 11, 27, 8, 0)), khcnVI) // 7 days before
	if len(week) != 1 || strings.Contains(week[0].Text, "Nguồn nhân lực") || !strings.Contains(week[0].Text, "Chỉ số chuyển đổi số cấp tỉnh") {
		t.Errorf("a week before, after 26-CT5 was reported: %+v", week)
	}
	if again := e.day(at(2026, 11, 27, 8, 0)); len(again) != 0 {
		t.Errorf("the same run again sent %d messages", len(again))
	}
}

// TestDigestTargetsAndQuarterReport: the weekly digest lists the targets
// behind their path (as /targets judges them at the pinned day) and, in a
// quarter's last week only, offers the quarter's report upward as a button;
// in English for an English leader.
func TestDigestTargetsAndQuarterReport(t *testing.T) {
	e := newEnv(t)
	files, err := seeds.Targets()
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(2026, 12, 1, 8, 0))
	if _, err := e.st.SeedTargets(e.ctx, files); err != nil {
		t.Fatal(err)
	}
	for id, v := range map[string]float64{"26-CT5": 9.1, "26-CT4": 0.8} {
		if _, _, err := e.st.ApplyTarget(e.ctx, id, store.TargetChange{OfficerID: khcnVI, Kind: domain.ReportValue, Year: 2026, Value: v, DataSource: "Cục Thống kê"}); err != nil {
			t.Fatal(err)
		}
	}
	e.lead(leader, "vi")
	e.lead(leader+1, "en")
	digest := func(when time.Time, chat int64) domain.Outgoing {
		t.Helper()
		before := len(e.send.To(chat))
		e.clock.Set(when)
		e.s.DigestJob().Run()
		if err := e.s.Dispatch(e.ctx); err != nil {
			t.Fatal(err)
		}
		got := e.send.To(chat)[before:]
		if len(got) == 0 {
			t.Fatalf("no digest at %s", when)
		}
		return got[0] // the text (its chart follows)
	}
	early := digest(at(2026, 12, 7, 7, 30), leader)
	t.Log("the digest's targets:\n" + early.Text[strings.Index(early.Text, "🎯"):])
	if !strings.Contains(early.Text, "🎯 <b>Chỉ tiêu chậm so với lộ trình</b> (1/5 chỉ tiêu)") ||
		!strings.Contains(early.Text, "• <b>5.</b> Nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ… (người/1 vạn dân): năm 2026 đạt 9,1, yêu cầu 9,5") ||
		strings.Contains(early.Text, "Chỉ số chuyển đổi số") {
		t.Errorf("the digest's targets behind:\n%s", early.Text)
	}
	if len(early.Buttons) != 0 {
		t.Errorf("a report button on 07/12, three weeks before the quarter ends: %+v", early.Buttons)
	}
	last := digest(at(2026, 12, 28, 7, 30), leader)
	if len(last.Buttons) != 1 || last.Buttons[0][0].Data != "rp|2026-Q4" || !strings.Contains(last.Buttons[0][0].Text, "Báo cáo quý IV năm 2026 (.docx)") {
		t.Errorf("the button in the quarter's last week: %+v", last.Buttons)
	}
	en := e.send.To(leader + 1)
	var enText domain.Outgoing
	for _, m := range en {
		if strings.Contains(m.Text, "Targets behind") {
			enText = m
		}
	}
	if !strings.Contains(enText.Text, "🎯 <b>Targets behind their path</b> (1 of 5)") || !strings.Contains(enText.Text, "2026 at 9.1, needs 9.5") ||
		len(enText.Buttons) != 1 || !strings.Contains(enText.Buttons[0][0].Text, "Report for Q4 2026") {
		t.Errorf("the English digest: %q %+v", enText.Text, enText.Buttons)
	}
}
