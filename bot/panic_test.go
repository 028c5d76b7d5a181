package bot

import (
	"context"
	"strings"
	"testing"

	"agencybot/domain"
)

// panickyPeople panics on one user's lookup, as a broken dependency would.
type panickyPeople struct {
	*fakeStore
	id int64
}

func (p panickyPeople) Officer(ctx context.Context, id int64) (domain.Officer, error) {
	if id == p.id {
		panic("officer lookup broke")
	}
	return p.fakeStore.Officer(ctx, id)
}

// A handler's panic is recovered (the bot goes on with the next update),
// logged, and handed to Panicked once: the harness and the fakes set it to
// fail the test that caused it, so "nothing sent" can no longer hide a crash.
func TestHandlerPanicReachesPanicked(t *testing.T) {
	b, tg := fakeBot(t, panickyPeople{fakeStore: onFakes("vi"), id: 300})
	var got []string
	b.Runtime.Panicked = func(id int, p any) { got = append(got, itoa(id)+": "+strings.TrimSpace(p.(string))) }
	ctx := context.Background()
	b.Runtime.HandleUpdate(ctx, typed(1, fakeUser(300, "vi"), "/help"))
	if len(got) != 1 || got[0] != "1: officer lookup broke" {
		t.Fatalf("Panicked was told %q, want the panic of update 1 once", got)
	}
	b.Runtime.HandleUpdate(ctx, typed(2, fakeUser(100, "vi"), "/help")) // the next update is handled
	if texts := tg.texts(); len(texts) == 0 || !strings.Contains(texts[len(texts)-1], "/tasks") {
		t.Errorf("after a panic the next update was not answered: %q", texts)
	}
	if len(got) != 1 {
		t.Errorf("Panicked was told %d times", len(got))
	}
}
