package scheduler

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// recordingRuns keeps the runs the scheduler records.
type recordingRuns struct {
	mu   sync.Mutex
	runs []string
}

func (r *recordingRuns) RunPlanned(job string, messages int, at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs = append(r.runs, fmt.Sprintf("%s %d %s", job, messages, at.Format("2006-01-02 15:04")))
}

// Each completed run is recorded once, with the messages it queued and the
// time it finished; a slot already planned records nothing.
func TestRunPlannedRecorded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.link(khcnVI, "so-khcn", "vi", "Nguyễn Văn A")
	e.link(khcnEN, "so-khcn", "en-US", "Tran B")
	e.link(taiChin, "so-tai-chinh", "vi", "Lê Thị C")
	e.lead(leader, "vi")
	rec := &recordingRuns{}
	s, err := New(Deps{Store: e.st, Sender: e.send, Clock: e.clock.Now, Sleep: e.clock.Sleep, Config: e.cfg, Instance: "M", Metrics: rec})
	if err != nil {
		t.Fatal(err)
	}
	slot := at(2025, 12, 24, 8, 0)
	e.clock.Set(slot.Add(3 * time.Minute)) // the run finishes after its slot
	for range 2 {
		if _, err := s.RunReminders(e.ctx, slot); err != nil {
			t.Fatal(err)
		}
	}
	e.clock.Set(at(2025, 12, 29, 7, 30))
	s.DigestJob().Run()
	// Three officers' reminders and the admin's list of agencies with no officer.
	want := []string{"reminders 4 2025-12-24 08:03", "digest 1 2025-12-29 07:30"}
	if fmt.Sprint(rec.runs) != fmt.Sprint(want) {
		t.Errorf("recorded %q, want %q", rec.runs, want)
	}
}
