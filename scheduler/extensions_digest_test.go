package scheduler

import (
	"strings"
	"testing"

	"agencybot/deadline"
	"agencybot/domain"
	"agencybot/store"
)

// The digest keeps the four groups, with the extended tasks beside them,
// and judges an extended task against its new date.
func TestDigestCountsExtendedTasks(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.lead(leader, "vi")
	id := domain.AssignmentID("25-10", "so-khcn") // due 31/12/2025
	a, err := e.st.Assignment(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	to, _ := deadline.ParseDate("2026-03-31")
	if _, err := e.st.RequestExtension(e.ctx, store.Extension{Key: "1", AssignmentID: id, TaskCode: "25-10", AgencyKey: "so-khcn", From: a.Due, Asked: to, Reason: "Chờ số liệu"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.st.DecideExtension(e.ctx, id, "1", store.Decision{Approve: true, To: to, By: 1, ByName: "Quản Trị", Key: "2"}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(at(2026, 1, 5, 7, 30)) // 25-10 would be 5 days late without its extension
	e.s.DigestJob().Run()
	if err := e.s.Dispatch(e.ctx); err != nil {
		t.Fatal(err)
	}
	var text string
	for _, m := range e.send.To(leader) { // the text, or the chart with it as its caption
		text += m.Text
	}
	if !strings.Contains(text, "Theo thời hạn: Xong đúng hạn 0 · Xong trễ hạn 0 · Chưa xong, còn trong hạn ") || !strings.Contains(text, " — trong đó đã gia hạn: 1") {
		t.Errorf("the digest's groups:\n%s", text)
	}
}
