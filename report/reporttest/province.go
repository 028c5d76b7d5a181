// Package reporttest generates report input for the benchmarks at national
// scale (bot, xlsxreport): the same generated province everywhere.
package reporttest

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"agencybot/agency"
	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/report"
)

// EnvInt is the positive integer in the environment variable name, or def.
func EnvInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// Province generates a province for the benchmarks: two open plans of 50
// tasks in 5 sections, due every week from 120 days ago; nAgencies
// communes, each leading every task (100 assignments each), in all four
// states, reported at various times, with notes.
func Province(nAgencies int, now time.Time, loc *time.Location) report.Input {
	in := report.Input{Now: now, Loc: loc, Policy: domain.DefaultPolicy, Plans: []domain.Plan{
		{Key: "kh-2025", Code: "25", Year: 2025, Number: "/KH-UBND", Title: "Kế hoạch chuyển đổi số 2025", AppendixTitle: "PHỤ LỤC: DANH MỤC NHIỆM VỤ CHUYỂN ĐỔI SỐ NĂM 2025", Open: true, Seq: 0},
		{Key: "kh-2026", Code: "26", Year: 2026, Number: "45/KH-UBND", Title: "Kế hoạch khoa học, công nghệ 2026", Open: true, Seq: 1},
	}}
	today := deadline.DateOf(now.In(loc))
	for _, p := range in.Plans {
		for i := range 50 {
			sec := []string{"I", "II", "III", "IV", "V"}[i/10]
			due := today.AddDays(-120 + 7*i)
			in.Tasks = append(in.Tasks, domain.Task{Code: fmt.Sprintf("%s-%s.%d", p.Code, sec, i+1), PlanKey: p.Key, Section: sec,
				SectionTitle: "Phần " + sec, Number: fmt.Sprintf("%s.%d", sec, i+1), Title: fmt.Sprintf("Nhiệm vụ số %d: triển khai nền tảng số dùng chung của tỉnh", i+1), Seq: i,
				Lead: domain.Cell{Text: "Các sở, ban, ngành, địa phương", Group: agency.DepartmentsLocalities}, Output: "Báo cáo kết quả thực hiện",
				Deadline: deadline.Deadline{Text: "Trước " + due.String(), Kind: deadline.Fixed, Due: due}})
		}
	}
	statuses := []domain.Status{domain.NotStarted, domain.InProgress, domain.Done, domain.Blocked}
	for ai := range nAgencies {
		key := fmt.Sprintf("xa-%04d", ai)
		in.Agencies = append(in.Agencies, domain.Agency{Key: key, Name: fmt.Sprintf("Ủy ban nhân dân xã Đồng Tháp %04d", ai), Kind: "commune"})
		for ti, t := range in.Tasks {
			id := domain.AssignmentID(t.Code, key)
			st := statuses[(ai+ti)%4]
			a := domain.Assignment{ID: id, Ref: domain.RefOf(id), TaskCode: t.Code, PlanKey: t.PlanKey, AgencyKey: key, Role: domain.Lead,
				Collective: true, Due: t.Deadline.Due, Kind: deadline.Fixed, Version: 1 + (ai+ti)%9, CreatedAt: now.AddDate(0, -8, 0)}
			a.Status = st
			a.Progress = (ai*7 + ti*13) % 95
			if (ai+ti)%5 != 0 {
				a.ReportedAt = now.Add(-time.Duration((ai*7+ti*13)%60) * 24 * time.Hour)
				a.Note = Notes[(ai+ti)%len(Notes)]
			}
			if st == domain.Done {
				a.Progress, a.DoneAt = 100, a.ReportedAt
			}
			in.Assignments = append(in.Assignments, a)
		}
	}
	return in
}

// Notes are officers' notes, in Vietnamese, that the generated data uses.
var Notes = []string{
	"Đã ban hành Quyết định số 12/QĐ-UBND về việc triển khai",
	"Đang lấy ý kiến các phòng, ban chuyên môn",
	"Thiếu kinh phí, đề nghị Sở Tài chính hỗ trợ",
	"Hoàn thành đào tạo cán bộ, công chức cấp xã",
	"Chờ hướng dẫn của Sở Khoa học và Công nghệ",
}
