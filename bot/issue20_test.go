package bot

import "time"

// later moves the harness's clock on by d and lets the outbox send what
// fell due meanwhile.
func (h *harness) later(d time.Duration) {
	h.t.Helper()
	h.setNow(h.clock.Now().Add(d))
	if h.sched != nil {
		if err := h.sched.Dispatch(h.ctx()); err != nil {
			h.t.Fatalf("dispatch: %v", err)
		}
		h.sched.Wake() // what waited for a message sent just now (After) goes too
	}
}
