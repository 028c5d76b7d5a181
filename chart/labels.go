package chart

// labels are the texts of the chart in one language. They live here until
// the lead moves them into i18n/ (vi.go, en.go).
type labels struct {
	title, agencies, progress, others, plan string
	red, yellow, green                      string
	caption                                 string // date, tasks, assignments, agencies, scope
	scopeAll                                string
	noData                                  string
}

var texts = map[string]labels{
	"vi": {
		title:    "Tiến độ thực hiện nhiệm vụ",
		agencies: "Cơ quan theo đèn (số nhiệm vụ được giao)",
		progress: "Tiến độ trung bình theo kế hoạch và phần (%)",
		others:   "Các cơ quan khác (%d)",
		plan:     "Kế hoạch %d",
		red:      "Đỏ: quá hạn hoặc vướng mắc",
		yellow:   "Vàng: sắp đến hạn hoặc chưa báo cáo kỳ này",
		green:    "Xanh: đúng tiến độ hoặc hoàn thành",
		caption: "Số liệu ngày %s — %s. Đếm %d nhiệm vụ, %d lượt giao cho %d cơ quan (mỗi cơ quan × nhiệm vụ là một lượt); " +
			"đèn của từng lượt giao theo trạng thái, tiến độ và thời hạn; tiến độ là trung bình %% của các nhiệm vụ.",
		scopeAll: "tất cả kế hoạch đang theo dõi",
		noData:   "Không có nhiệm vụ nào trong phạm vi này.",
	},
	"en": {
		title:    "Progress of plan tasks",
		agencies: "Agencies by light (assigned tasks)",
		progress: "Mean progress by plan and section (%)",
		others:   "Other agencies (%d)",
		plan:     "Plan %d",
		red:      "Red: overdue or blocked",
		yellow:   "Yellow: due soon or not reported this period",
		green:    "Green: on track or done",
		caption: "Figures of %s — %s. Counting %d tasks and %d assignments to %d agencies (one agency × one task each); " +
			"each assignment's light from its status, progress and deadline; progress is the tasks' mean %%.",
		scopeAll: "all tracked plans",
		noData:   "No task in this scope.",
	},
}

func textsFor(lang string) labels {
	if l, ok := texts[lang]; ok {
		return l
	}
	return texts["vi"]
}
