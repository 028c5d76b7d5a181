package xlsxreport

import (
	"strings"
	"testing"

	"agencybot/report"
)

// An extended part shows its new date with the plan's on the detail sheet
// and is judged against it; the summary counts the overdue parts by age.
func TestExtendedDatesAndOverdueByAge(t *testing.T) {
	in, _ := fixture()
	today := in.Assignments[0].Due.AddDays(5) // 25-1 was due 5 days ago
	in.Extended = map[string]bool{}
	for i := range in.Assignments {
		a := &in.Assignments[i]
		switch a.ID {
		case "25-1/a4": // extended past today: no longer overdue
			a.DueOriginal, a.Due, a.Extensions = a.Due, today.AddDays(10), 1
		case "25-3/a1": // reopened, 20 days late
			a.Status, a.Progress = "in_progress", 50
		}
	}
	in.Assignments = append(in.Assignments, in.Assignments[len(in.Assignments)-1])
	last := &in.Assignments[len(in.Assignments)-1] // 26-I.1 for a1, 120 days late
	last.ID, last.AgencyKey, last.Due = "26-I.1/a1", "a1", today.AddDays(-120)
	x := writeRead(t, in, report.Filter{}, nil, Options{})

	det, _ := x.GetRows("Chi tiết theo cơ quan")
	found := false
	for _, r := range det {
		if len(r) > 5 && r[3] == "Xã Tháp Mười" && strings.HasPrefix(r[1], "1") {
			found = true
			if want := dmy(today.AddDays(10)) + " (gia hạn 1 lần; theo kế hoạch: " + dmy(today.AddDays(-5)) + ")"; r[5] != want {
				t.Errorf("the extended part's date %q, want %q", r[5], want)
			}
			if r[8] != "Đang thực hiện trong hạn" {
				t.Errorf("the extended part's group %q", r[8])
			}
		}
	}
	if !found {
		t.Fatalf("no row of 25-1 for Xã Tháp Mười:\n%v", det)
	}

	sum, _ := x.GetRows("Tổng hợp")
	got := map[string]string{}
	head := false
	for _, r := range sum {
		if len(r) > 0 && r[0] == "Phần việc quá hạn theo thời gian quá hạn" {
			head = true
		}
		if len(r) == 2 {
			got[r[0]] = r[1]
		}
	}
	// 25-1/a3 (blocked, 5 days) and 25-3/a1 (20 days) ≤ 30; none 31–90; 26-I.1/a1 > 90.
	if !head || got["≤ 30 ngày"] != "2" || got["31–90 ngày"] != "0" || got["> 90 ngày"] != "1" {
		t.Errorf("overdue parts by age: heading %v, %v", head, got)
	}
}
