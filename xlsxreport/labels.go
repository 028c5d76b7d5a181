package xlsxreport

import (
	"agencybot/domain"
	"agencybot/report"
)

// labels are the workbook's texts in one language. They live here until the
// lead moves them into i18n/ (vi.go, en.go).
type labels struct {
	summarySheet, historySheet string
	title, byPlan, byAgency    string
	planTitle                  string // appendix title, date
	cols                       []string
	summaryCols                []string
	historyCols                []string
	status                     map[domain.Status]string
	light                      map[domain.Light]string
	group                      map[report.Group]string
	role                       map[domain.Role]string
	kind                       map[domain.UpdateKind]string
	total, plan, correction    string
}

var texts = map[string]labels{
	"vi": {
		summarySheet: "Tổng hợp", historySheet: "Lịch sử cập nhật",
		title:     "TỔNG HỢP TÌNH HÌNH THỰC HIỆN NHIỆM VỤ (số liệu ngày %s)",
		byPlan:    "Theo kế hoạch (số nhiệm vụ)",
		byAgency:  "Theo cơ quan (số nhiệm vụ được giao)",
		planTitle: "%s — tình hình thực hiện đến ngày %s",
		cols: []string{"STT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Kết quả/sản phẩm",
			"Trạng thái", "Tiến độ (%)", "Đèn", "Nhóm", "Cập nhật lần cuối", "Ghi chú mới nhất", "Số minh chứng"},
		summaryCols: []string{"Kế hoạch / cơ quan", "Số nhiệm vụ", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
			"Quá hạn chưa hoàn thành", "Chờ duyệt", "Xanh", "Vàng", "Đỏ", "Chưa báo cáo kỳ này", "Tiến độ TB (%)"},
		historyCols: []string{"Thời gian", "Mã nhiệm vụ", "Cơ quan", "Cán bộ", "Nội dung thay đổi", "Trạng thái sau", "Tiến độ sau (%)"},
		status:      map[domain.Status]string{domain.NotStarted: "Chưa triển khai", domain.InProgress: "Đang thực hiện", domain.Done: "Hoàn thành", domain.Blocked: "Gặp vướng mắc"},
		light:       map[domain.Light]string{domain.Green: "Xanh", domain.Yellow: "Vàng", domain.Red: "Đỏ"},
		group: map[report.Group]string{report.DoneOnTime: "Hoàn thành đúng hạn", report.DoneLate: "Hoàn thành quá hạn",
			report.OnTrack: "Đang thực hiện trong hạn", report.Late: "Quá hạn chưa hoàn thành"},
		role: map[domain.Role]string{domain.Lead: "chủ trì", domain.Coordinating: "phối hợp"},
		kind: map[domain.UpdateKind]string{domain.SetStatus: "Trạng thái", domain.SetProgress: "Tiến độ", domain.AddNote: "Ghi chú",
			domain.AddEvidence: "Minh chứng", domain.Correction: "Sửa cập nhật trước"},
		total: "Tổng cộng", plan: "Kế hoạch %d", correction: "đã được sửa",
	},
	"en": {
		summarySheet: "Summary", historySheet: "Update history",
		title:     "TASK IMPLEMENTATION SUMMARY (figures of %s)",
		byPlan:    "By plan (tasks)",
		byAgency:  "By agency (assigned tasks)",
		planTitle: "%s — implementation as of %s",
		cols: []string{"No.", "Task", "Lead agency", "Coordinating agencies", "Deadline", "Expected output",
			"Status", "Progress (%)", "Light", "Group", "Last update", "Latest note", "Evidence files"},
		summaryCols: []string{"Plan / agency", "Tasks", "Done on time", "Done late", "In progress on time",
			"Overdue", "Waiting for review", "Green", "Yellow", "Red", "Not reported this period", "Mean progress (%)"},
		historyCols: []string{"Time", "Task", "Agency", "Officer", "What changed", "Status after", "Progress after (%)"},
		status:      map[domain.Status]string{domain.NotStarted: "Not started", domain.InProgress: "In progress", domain.Done: "Done", domain.Blocked: "Blocked"},
		light:       map[domain.Light]string{domain.Green: "Green", domain.Yellow: "Yellow", domain.Red: "Red"},
		group: map[report.Group]string{report.DoneOnTime: "Done on time", report.DoneLate: "Done late",
			report.OnTrack: "In progress on time", report.Late: "Overdue"},
		role: map[domain.Role]string{domain.Lead: "lead", domain.Coordinating: "coordinating"},
		kind: map[domain.UpdateKind]string{domain.SetStatus: "Status", domain.SetProgress: "Progress", domain.AddNote: "Note",
			domain.AddEvidence: "Evidence", domain.Correction: "Correction of the previous update"},
		total: "Total", plan: "Plan %d", correction: "corrected",
	},
}

func textsFor(lang string) labels {
	if l, ok := texts[lang]; ok {
		return l
	}
	return texts["vi"]
}
