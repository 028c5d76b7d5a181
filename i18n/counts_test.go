package i18n

import (
	"regexp"
	"strings"
	"testing"
)

// Issue 23, point 6: counts say "1 task" and "2 tasks"; the texts with a
// count take their plural from one place per language (N, Count).
func TestCountsAtOneAndTwo(t *testing.T) {
	wrong := regexp.MustCompile(`\b1 (tasks|agencies|assignments|days|sections|files)\b|\(rows 6\)|rows 6\.|1 tasks? reported done wait\b`)
	for _, tc := range []struct {
		name    string
		render  func(l Lang, n int) string
		one, en string // in English at 1 and at 2
		vi2     string // in Vietnamese at 2
	}{
		{"task", func(l Lang, n int) string { return Count(l, n, "task") }, "1 task", "2 tasks", "2 nhiệm vụ"},
		{"assignment", func(l Lang, n int) string { return Count(l, n, "assignment") }, "1 assignment", "2 assignments", "2 phần việc"},
		{"agency", func(l Lang, n int) string { return Count(l, n, "agency") }, "1 agency", "2 agencies", "2 cơ quan"},
		{"summary.work", func(l Lang, n int) string {
			return T(l, "summary.work", Count(l, n, "task"), Count(l, n, "assignment"), Count(l, n, "agency"))
		}, "1 task — 1 assignment for 1 agency", "2 tasks — 2 assignments for 2 agencies", "2 nhiệm vụ — 2 phần việc của 2 cơ quan"},
		{"duesoon.header", func(l Lang, n int) string { return T(l, "duesoon.header", Count(l, n, "day"), Count(l, n, "task")) },
			"Due in the next 1 day: 1 task", "Due in the next 2 days: 2 tasks", "Đến hạn trong 2 ngày tới: 2 nhiệm vụ"},
		{"review.header", func(l Lang, n int) string { return N(l, "review.header", n, n) },
			"1 task reported done waits for review", "2 tasks reported done wait for review", "2 nhiệm vụ báo hoàn thành chờ duyệt"},
		{"summary.waiting", func(l Lang, n int) string { return N(l, "summary.waiting", n, n) }, "Waiting for review: 1 task", "Waiting for review: 2 tasks", "Chờ duyệt kết quả: 2 nhiệm vụ"},
		{"summary.n_tasks", func(l Lang, n int) string { return N(l, "summary.n_tasks", n, n) }, "1 task", "2 tasks", "2 nhiệm vụ"},
		{"import.preview_rows", func(l Lang, n int) string { return N(l, "import.preview_rows", n, []string{"", "6", "6, 7"}[n]) }, "(row 6)", "(rows 6, 7)", "(dòng 6, 7)"},
		{"import.preview_no_lead", func(l Lang, n int) string { return N(l, "import.preview_no_lead", n, []string{"", "6", "6, 7"}[n]) },
			"row 6.", "rows 6, 7.", "dòng 6, 7."},
		{"import.preview_tasks", func(l Lang, n int) string { return N(l, "import.preview_tasks", n, n, 1) }, "1 task, sections: 1", "2 tasks, sections: 1", "2 nhiệm vụ"},
	} {
		one, two, vi := tc.render(EN, 1), tc.render(EN, 2), tc.render(VI, 2)
		t.Logf("%s: %q · %q · %q", tc.name, one, two, vi)
		if !strings.Contains(one, tc.one) || wrong.MatchString(one) {
			t.Errorf("%s at 1: %q, want %q", tc.name, one, tc.one)
		}
		if !strings.Contains(two, tc.en) {
			t.Errorf("%s at 2: %q, want %q", tc.name, two, tc.en)
		}
		if !strings.Contains(vi, tc.vi2) {
			t.Errorf("%s in Vietnamese at 2: %q, want %q", tc.name, vi, tc.vi2)
		}
	}
}
